// server.js as `npm start` runs it, for the tests that start it as a child process: the build
// (made first when missing or older than the sources), a migrated database file, and the
// child with its output.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const root = path.resolve(__dirname, "../..");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function isStale(): boolean {
  const built = path.join(root, "build/index.js");
  const sources = Math.max(newestMtime(path.join(root, "app")), newestMtime(path.join(root, "db")), fs.statSync(path.join(root, "remix.config.js")).mtimeMs);
  return !fs.existsSync(built) || fs.statSync(built).mtimeMs <= sources;
}

/** Sleeps the thread (the build lock is taken synchronously, in beforeAll). */
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Builds when build/ is stale. Test files run in parallel processes: a lock (a directory,
 * created atomically) keeps two of them from building into build/ at once.
 */
export function buildIfStale() {
  if (!isStale()) return;
  const lock = path.join(os.tmpdir(), `jixiao-build-${crypto.createHash("sha1").update(root).digest("hex").slice(0, 12)}.lock`);
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // Left behind by a run that was killed while building.
      if (Date.now() - fs.statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 10 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`build lock ${lock} still held after 5 minutes`);
      pause(200);
    }
  }
  try {
    if (isStale()) execFileSync("npx", ["remix", "build"], { cwd: root, env: { ...process.env, NODE_ENV: "production" }, stdio: "inherit" });
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** A migrated database (no demo data, one admin) in `dir`, and the environment to serve it. */
export function prepareDatabase(dbFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: dbFile,
    JIXIAO_DEMO: "0",
    JIXIAO_ADMIN_USER: "admin",
    JIXIAO_ADMIN_PASSWORD: "server-test-admin",
  };
  delete env.JIXIAO_TEST;
  delete env.JIXIAO_WORKERS;
  execFileSync("npx", ["tsx", "db/setup.ts"], { cwd: root, env, stdio: "pipe" });
  return env;
}

export interface Spawned {
  child: ChildProcess;
  /** Everything printed so far, stdout and stderr. */
  output: () => string;
  /** Resolves when the server has printed `text`; rejects if it exits first. */
  printed: (text: string) => Promise<void>;
  exited: Promise<number | null>;
}

/** `node server.js` with `env`. `detached`: in a process group of its own (to signal the group). */
export function spawnServer(env: NodeJS.ProcessEnv, options: { detached?: boolean } = {}): Spawned {
  const child = spawn(process.execPath, ["server.js"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"], detached: options.detached });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const printed = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (output.includes(text)) {
          child.stdout!.off("data", check);
          child.stderr!.off("data", check);
          resolve();
        }
      };
      child.stdout!.on("data", check);
      child.stderr!.on("data", check);
      const gone = () => reject(new Error(`server exited before printing "${text}":\n${output}`));
      child.once("exit", gone);
      check();
      if (child.exitCode !== null || child.signalCode !== null) gone();
    });
  return { child, output: () => output, printed, exited };
}
