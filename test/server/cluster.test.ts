// server.js in production with several HTTP processes (server/cluster.js): a primary that
// forks the workers, replaces one that dies, and stops them all gracefully. Which process
// answers is found through /proc (the server tells clients nothing about it): the worker
// that holds the server end of a connection. docs/decisions/029-cluster-workers.md.
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../helpers/net";
import { heldLogout, send } from "./http";
import { buildIfStale, prepareDatabase, spawnServer, type Spawned } from "./spawn";

let dir: string;
let dbFile: string;
let env: NodeJS.ProcessEnv;
const started: Spawned[] = [];

beforeAll(() => {
  buildIfStale();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-cluster-"));
  dbFile = path.join(dir, "cluster.db");
  env = prepareDatabase(dbFile);
}, 180_000);

afterAll(async () => {
  for (const s of started) {
    if (s.child.exitCode !== null || s.child.signalCode !== null) continue;
    // The workers go with the primary (a cluster worker exits when its channel closes).
    s.child.kill("SIGKILL");
    await s.exited;
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Polls `probe` until it returns a value other than undefined, for at most `ms`. */
async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * true when a TCP connection to `base` is refused, undefined when it is accepted (or does not
 * answer within a second). A bare connect, not an HTTP request: a connection the primary
 * accepted just as the last worker closed can be left hanging by Node's round-robin
 * handle (it re-queues what the closing worker turned down on a handle already closed),
 * and an HTTP request on it would wait for the workers to exit.
 */
function connectRefused(base: string): Promise<true | undefined> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.setTimeout(1000, () => (socket.destroy(), resolve(undefined)));
    socket.once("connect", () => (socket.destroy(), resolve(undefined)));
    socket.once("error", (e: NodeJS.ErrnoException) => resolve(e.code === "ECONNREFUSED" ? true : undefined));
  });
}

/** The child processes of `pid` (every thread's children), from /proc. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    const text = fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
    if (text) out.push(...text.split(/\s+/).map(Number));
  }
  return out.sort((a, b) => a - b);
}

/** `pid` is gone (or a zombie its parent has not reaped yet). */
function gone(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

/** The socket inodes a process holds. */
function socketInodes(pid: number): Set<string> {
  const out = new Set<string>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) out.add(m[1]);
    } catch {
      /* closed meanwhile */
    }
  }
  return out;
}

/** The inode of the server's end of the established loopback connection from `clientPort`. */
function serverEndInode(serverPort: number, clientPort: number): string | undefined {
  const hex = (port: number) => port.toString(16).toUpperCase().padStart(4, "0");
  for (const line of fs.readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    // local, remote, state (01: established), …, inode
    if (f[1] === `0100007F:${hex(serverPort)}` && f[2] === `0100007F:${hex(clientPort)}` && f[3] === "01") return f[9];
  }
  return undefined;
}

/** Answers a GET on a new kept-alive connection, and the process that holds its server end. */
async function answeredBy(base: string, workers: number[]): Promise<{ status: number; pid: number | undefined; agent: http.Agent }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const { status, clientPort } = await new Promise<{ status: number; clientPort: number }>((resolve, reject) => {
    http
      .get(`${base}/login`, { agent }, (res) => {
        const clientPort = res.socket.localPort!;
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, clientPort }));
      })
      .on("error", reject);
  });
  const inode = serverEndInode(Number(new URL(base).port), clientPort);
  const pid = inode === undefined ? undefined : workers.find((w) => socketInodes(w).has(inode));
  return { status, pid, agent };
}

/** Opens connections until each worker holds one (round-robin: a few suffice); each answers 200. */
async function eachWorkerAnswers(base: string, workers: number[]) {
  const seen = new Set<number>();
  const agents: http.Agent[] = [];
  try {
    for (let i = 0; i < 20 && seen.size < workers.length; i++) {
      const { status, pid, agent } = await answeredBy(base, workers);
      agents.push(agent);
      expect(status).toBe(200);
      expect(pid, "a worker holds the connection").toBeDefined();
      seen.add(pid!);
    }
  } finally {
    for (const a of agents) a.destroy();
  }
  expect([...seen].sort((a, b) => a - b)).toEqual(workers);
}

async function start(extra: Record<string, string>, options: { detached?: boolean } = {}) {
  const port = await freePort();
  const spawned = spawnServer({ ...env, PORT: String(port), HOST: "127.0.0.1", ...extra }, options);
  started.push(spawned);
  await spawned.printed(`[jixiao] http://127.0.0.1:${port}`);
  return { ...spawned, base: `http://127.0.0.1:${port}`, pid: spawned.child.pid! };
}

describe("JIXIAO_WORKERS=2", () => {
  let server: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    server = await start({ JIXIAO_WORKERS: "2" });
  }, 60_000);

  it("serves from two worker processes, and says where it listens once", async () => {
    const workers = childrenOf(server.pid);
    expect(workers).toHaveLength(2);
    await eachWorkerAnswers(server.base, workers);
    expect(server.output().match(/\[jixiao\] http:/g)).toHaveLength(1);
  });

  it("replaces a worker that is killed, and goes on serving", async () => {
    const [victim, survivor] = childrenOf(server.pid);
    process.kill(victim, "SIGKILL");
    await server.printed(`工作进程 ${victim} 意外退出（SIGKILL）`);
    // Served by the survivor meanwhile.
    expect((await send(server.base, "/login")).status).toBe(200);
    const replacement = await until("a new worker", () => childrenOf(server.pid).find((p) => p !== victim && p !== survivor));
    await server.printed(`新工作进程 ${replacement} 已开始服务`);
    expect(gone(victim)).toBe(true);
    await eachWorkerAnswers(server.base, [survivor, replacement].sort((a, b) => a - b));
  }, 60_000);

  it("tells every worker, replacements too, how many workers share the machine", () => {
    const env = (pid: number) => fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
    const workers = childrenOf(server.pid);
    expect(workers).toHaveLength(2);
    for (const pid of workers) expect(env(pid)).toContain("JIXIAO_CLUSTER_SIZE=2");
  });

  it("starts the workers with a larger young generation", () => {
    const argv = (pid: number) => fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    for (const pid of childrenOf(server.pid)) expect(argv(pid)).toContain("--max-semi-space-size=32");
    expect(argv(server.pid)).not.toContain("--max-semi-space-size=32");
  });

  // Last: this one stops the server.
  it("on SIGTERM to the primary, every worker stops accepting, the request under way finishes, and all exit 0", async () => {
    const workers = childrenOf(server.pid);
    const held = await heldLogout(server.base);
    server.child.kill("SIGTERM");
    // Both workers have closed the shared listening socket: new connections are refused…
    await until("the port to close", () => connectRefused(server.base));
    // …while the primary waits for the one still answering.
    expect(server.child.exitCode).toBeNull();
    held.finish();
    const answer = await held.answered;
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe("/login");
    expect(await server.exited).toBe(0);
    expect(workers.every(gone)).toBe(true);
    // Each worker closed its SQLite connection; the last one to close removes the log.
    expect(fs.existsSync(`${dbFile}-wal`)).toBe(false);
    expect(server.output().match(/已停止接受新连接/g)).toHaveLength(2);
  }, 60_000);
});

describe("server.js processes", () => {
  it("with JIXIAO_WORKERS=1 is one process, no cluster", async () => {
    const server = await start({ JIXIAO_WORKERS: "1" });
    expect((await send(server.base, "/login")).status).toBe(200);
    expect(childrenOf(server.pid)).toEqual([]);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  }, 60_000);

  // Ctrl-C in a terminal (SIGINT), a service manager stopping the whole group (SIGTERM): each
  // worker gets the signal itself and once more from the primary.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`stops cleanly (exit 0) when ${signal} goes to the whole process group`, async () => {
      const server = await start({ JIXIAO_WORKERS: "2" }, { detached: true });
      const workers = childrenOf(server.pid);
      expect(workers).toHaveLength(2);
      process.kill(-server.pid, signal);
      expect(await server.exited).toBe(0);
      expect(workers.every(gone)).toBe(true);
      expect(server.output().match(/已停止接受新连接/g)).toHaveLength(2);
      expect(server.output()).not.toMatch(/意外退出|强制/);
    }, 60_000);
  }

  it("exits with an error, without forking again, when workers die before they listen", async () => {
    // A directory where the database file should be: each worker fails as it opens it.
    const spawned = spawnServer({ ...env, PORT: String(await freePort()), HOST: "127.0.0.1", JIXIAO_WORKERS: "2", DATABASE_URL: dir });
    started.push(spawned);
    expect(await spawned.exited).toBe(1);
    expect(spawned.output()).toContain("在开始服务前退出");
    expect(spawned.output()).not.toContain("[jixiao] http:");
  }, 60_000);
});
