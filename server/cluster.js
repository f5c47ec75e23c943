// @ts-check
// The cluster primary of server.js: forks the HTTP workers (each one the whole server with
// its own SQLite connection), says where the server listens once every worker does, replaces
// a worker that dies, and on SIGTERM/SIGINT lets each worker shut down gracefully and exits
// when all have. It serves no HTTP and never opens the database. Why and what is safe to
// share between the workers: docs/decisions/029-cluster-workers.md.
import cluster from "node:cluster";
import os from "node:os";

/**
 * How many HTTP processes: JIXIAO_WORKERS when it is a positive integer, else one per core.
 * @param {string | undefined} value  JIXIAO_WORKERS
 * @param {(line: string) => void} [warn]
 */
export function workerCount(value, warn = console.error) {
  if (value !== undefined && value.trim() !== "") {
    if (/^\s*\d+\s*$/.test(value) && Number(value) > 0) return Number(value);
    warn(`[jixiao] JIXIAO_WORKERS=${value} 不是正整数，按 CPU 核数（${os.availableParallelism()}）启动`);
  }
  return os.availableParallelism();
}

/**
 * The workers' Node flags: the primary's, and a larger young generation (32 MB semi-spaces
 * instead of V8's 16) unless one was given. A page render allocates a few MB of short-lived
 * objects; fewer scavenges cost less: 4–5 % less CPU per list request in `npm run bench --
 * http` (docs/decisions/030-per-request-cost.md), for up to 32 MB more memory per worker.
 * @param {string[]} execArgv
 */
export function workerExecArgv(execArgv) {
  return execArgv.some((a) => a.startsWith("--max-semi-space-size")) ? execArgv : [...execArgv, "--max-semi-space-size=32"];
}

/**
 * Runs the primary: forks `workers` workers (this same script, see cluster.isPrimary in
 * server.js) and keeps them running until SIGTERM/SIGINT.
 * @param {object} options
 * @param {number} options.workers
 * @param {string | undefined} options.host  as the workers listen (undefined: all interfaces)
 * @param {number} [options.timeoutMs]  the workers' own bound on a graceful shutdown
 * @param {(line: string) => void} [options.log]
 * @param {(line: string) => void} [options.error]
 */
export function runPrimary({ workers, host, timeoutMs = 10_000, log = console.log, error = console.error }) {
  // Round-robin by the primary, not the OS's accept() race, which on Linux keeps most
  // connections on one busy process (Node's default on Linux too; set so it cannot vary).
  cluster.schedulingPolicy = cluster.SCHED_RR;
  cluster.setupPrimary({ execArgv: workerExecArgv(process.execArgv) });
  // Limits that are per machine divide themselves by it (password hashing's, ADR 029).
  const workerEnv = { JIXIAO_CLUSTER_SIZE: String(workers) };
  /** Workers (by cluster id) that have listened at least once. */
  const served = new Set();
  let announced = false;
  let stopping = false;
  let failed = false;

  const alive = () => Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);

  /** @type {NodeJS.Timeout | undefined} */
  let backstop;
  /** @param {number} code */
  const finish = (code) => {
    clearTimeout(backstop);
    process.exit(code);
  };

  /** Asks every worker to shut down gracefully (server/shutdown.js runs on its SIGTERM). */
  const stopAll = () => {
    stopping = true;
    for (const worker of alive()) worker.process.kill("SIGTERM");
    // The workers cut off their own requests at timeoutMs; this only bounds a worker that hangs.
    backstop = setTimeout(() => {
      error("[jixiao] 仍有工作进程未退出，强制结束");
      for (const worker of alive()) worker.process.kill("SIGKILL");
      finish(1);
    }, timeoutMs + 5_000);
    if (alive().length === 0) finish(failed ? 1 : 0);
  };

  cluster.on("listening", (worker, address) => {
    if (served.has(worker.id)) return;
    served.add(worker.id);
    if (announced) {
      log(`[jixiao] 新工作进程 ${worker.process.pid} 已开始服务`);
    } else if (alive().filter((w) => served.has(w.id)).length >= workers) {
      // Once every worker listens, so that the first requests do not all go to the first one.
      announced = true;
      log(`[jixiao] http://${host ?? "localhost"}:${address.port}`);
    }
  });

  cluster.on("exit", (worker, code, signal) => {
    const how = signal ?? `代码 ${code}`;
    if (stopping) {
      // Killed by the stop signal while still loading is clean too: it had served nothing.
      // Killed by a signal after it listened, its requests were cut off.
      const clean = code === 0 || (signal !== null && !served.has(worker.id));
      if (!clean) failed = true;
      if (alive().length === 0) finish(failed ? 1 : 0);
      return;
    }
    if (!served.has(worker.id)) {
      // It never got as far as listening (a broken build, an unreadable database…): a new
      // one would die the same way, so stop rather than fork forever.
      error(`[jixiao] 工作进程 ${worker.process.pid} 在开始服务前退出（${how}），服务停止`);
      failed = true;
      stopAll();
      return;
    }
    error(`[jixiao] 工作进程 ${worker.process.pid} 意外退出（${how}），正在启动新的工作进程`);
    cluster.fork(workerEnv);
  });

  /** @param {NodeJS.Signals} signal */
  const onSignal = (signal) => {
    if (stopping) return;
    log(`[jixiao] ${signal}：正在停止 ${alive().length} 个工作进程`);
    stopAll();
  };
  // `on`, not `once`: a signal sent to the whole process group may come again; it must not
  // end the primary before its workers.
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);

  for (let i = 0; i < workers; i++) cluster.fork(workerEnv);
}
