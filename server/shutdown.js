// @ts-check
// Graceful shutdown: stop accepting connections, let the requests under way finish (up to
// a bound), then run the cleanup (closing SQLite) and exit. Keep-alive connections are
// closed as soon as they are idle, so they do not hold the exit back.

/**
 * @param {import("node:http").Server} server
 * @param {object} options
 * @param {number} [options.timeoutMs]  how long requests under way may take
 * @param {() => void | Promise<void>} [options.cleanup]
 * @param {(code: number) => void} [options.exit]
 * @param {(line: string) => void} [options.log]
 * @returns {(signal: string) => void}
 */
export function gracefulShutdown(server, { timeoutMs = 10_000, cleanup = () => {}, exit = (code) => process.exit(code), log = console.log }) {
  let closing = false;
  // A request that arrives on an open keep-alive connection meanwhile is served, then that
  // connection closes.
  server.on("request", (_req, res) => {
    if (closing) res.setHeader("Connection", "close");
  });
  return (signal) => {
    if (closing) return;
    closing = true;
    let forced = false;
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    const force = setTimeout(() => {
      forced = true;
      log("仍有请求未完成，强制断开");
      server.closeAllConnections();
    }, timeoutMs);
    server.close(async () => {
      clearInterval(idle);
      clearTimeout(force);
      try {
        await cleanup();
      } catch (error) {
        console.error(error);
        exit(1);
        return;
      }
      log("已停止");
      exit(forced ? 1 : 0);
    });
    server.closeIdleConnections();
    // Said once the listening socket is closed: from here on new connections are refused.
    log(`${signal}：已停止接受新连接，等待进行中的请求完成（最多 ${timeoutMs / 1000} 秒）`);
  };
}
