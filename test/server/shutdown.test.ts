// server/shutdown.js on a bare http server: what holds the exit back and what does not.
// (test/server/server.test.ts stops the real server.js with SIGTERM.)
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { gracefulShutdown } from "../../server/shutdown.js";
import { collect } from "./http";

async function listen(handler: http.RequestListener) {
  const server = http.createServer(handler);
  // Long enough that an idle keep-alive connection left open would outlast the test.
  server.keepAliveTimeout = 10 * 60 * 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function stopper(server: http.Server, timeoutMs: number) {
  let cleaned = 0;
  let resolveExit!: (code: number) => void;
  const exit = new Promise<number>((r) => (resolveExit = r));
  const shutdown = gracefulShutdown(server, { timeoutMs, cleanup: () => void cleaned++, exit: resolveExit, log: () => {} });
  return { shutdown, exit, cleaned: () => cleaned };
}

describe("graceful shutdown", () => {
  it("closes idle keep-alive connections and waits for the request under way, then cleans up and exits 0", async () => {
    let finish!: () => void;
    const { server, base } = await listen((req, res) => {
      if (req.url === "/slow") finish = () => res.end("done");
      else res.end("ok");
    });
    const stop = stopper(server, 60_000);
    const agent = new http.Agent({ keepAlive: true });
    const get = (path: string) =>
      new Promise<{ status: number; body: string; connection?: string }>((resolve, reject) => {
        http.get(`${base}${path}`, { agent }, (res) => collect(res).then((a) => resolve({ ...a, connection: a.headers.connection }), reject)).on("error", reject);
      });
    // Two connections left open: one idle at shutdown, one carrying the slow request.
    expect((await Promise.all([get("/"), get("/")])).map((a) => a.body)).toEqual(["ok", "ok"]);
    const slow = get("/slow");
    await new Promise<void>((resolve) => server.once("request", () => setImmediate(resolve)));
    stop.shutdown("SIGTERM");
    expect(stop.cleaned()).toBe(0);
    finish();
    expect((await slow).body).toBe("done");
    expect(await stop.exit).toBe(0);
    expect(stop.cleaned()).toBe(1);
    agent.destroy();
  });

  it("cuts off requests still running at the bound, cleans up all the same and exits 1", async () => {
    const { server, base } = await listen(() => {
      /* never answers */
    });
    const stop = stopper(server, 200);
    const request = new Promise<string>((resolve) => {
      http.get(base, { agent: false }).on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    await new Promise((resolve) => server.once("request", resolve));
    stop.shutdown("SIGINT");
    expect(await stop.exit).toBe(1);
    expect(stop.cleaned()).toBe(1);
    expect(await request).toBe("ECONNRESET");
  });
});
