// Word files generated off the request thread (docs/decisions/024-publish-command.md): the
// `docx` package builds and serialises a document in one synchronous piece (about 9 ms a
// table here, 4.6 s for a 500-table file), so a region's publication made on the server's
// thread would stop every other request for its whole duration. write.ts itself runs in a
// worker thread, loaded from its source through tsx (a runtime dependency: `npm start` and
// `jixiao` run TypeScript the same way), so there is one generator, not a copy for the worker.
//
// One worker serves every request, one file at a time (memory stays that of one file); it
// is kept a while between files (a region is one file per department) and lets the process
// exit when idle.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { TableLayout } from "./layout";
import type { DocxOptions } from "./write";

const WORKER_SCRIPT = `
const { parentPort, workerData } = require("node:worker_threads");
require(workerData.tsx).register();
const { layoutsToDocx } = require(workerData.write);
parentPort.on("message", ({ id, layouts, opts }) => {
  layoutsToDocx(layouts, opts).then(
    (bytes) => parentPort.postMessage({ id, bytes }),
    (e) => parentPort.postMessage({ id, error: String((e && e.message) || e) }),
  );
});
`;

/** The worker's heap (MB) at most: a 500-table file needs about 300 MB. */
const WORKER_HEAP_MB = 1536;
/** One file at most (ms); 500 tables take seconds. */
const JOB_TIMEOUT_MS = 300_000;
/** How long an idle worker is kept for the next file (ms). */
const IDLE_MS = 15_000;

export class DocxGenerationError extends Error {
  constructor(detail: string) {
    super(`生成 Word 文件失败：${detail}`);
    this.name = "DocxGenerationError";
  }
}

/** The source of write.ts: beside this module, or from the server bundle (build/) up to the project root. */
function writeModulePath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const here = path.join(dir, "write.ts");
    if (path.basename(dir) === "docx" && fs.existsSync(here)) return here;
    const fromRoot = path.join(dir, "app", "io", "docx", "write.ts");
    if (fs.existsSync(fromRoot)) return fromRoot;
    const up = path.dirname(dir);
    if (up === dir) throw new DocxGenerationError("找不到 app/io/docx/write.ts");
    dir = up;
  }
}

type Job = { layouts: TableLayout[]; opts: DocxOptions; resolve: (b: Uint8Array) => void; reject: (e: Error) => void };

let worker: Worker | null = null;
const queue: Job[] = [];
let running: (Job & { id: number; timer: NodeJS.Timeout }) | null = null;
let nextId = 1;
let idleTimer: NodeJS.Timeout | null = null;

function start(): Worker {
  const require = createRequire(import.meta.url);
  const w = new Worker(WORKER_SCRIPT, {
    eval: true,
    workerData: { tsx: require.resolve("tsx/cjs/api"), write: writeModulePath() },
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
  const fail = (e: Error & { code?: string }) => {
    if (worker !== w) return; // stopped on purpose
    worker = null;
    finish(undefined, new DocxGenerationError(e.code === "ERR_WORKER_OUT_OF_MEMORY" ? "内存不足" : e.message.slice(0, 200)));
  };
  w.on("message", (m: { id: number; bytes?: Uint8Array; error?: string }) => {
    if (running?.id !== m.id) return;
    if (m.bytes) finish(new Uint8Array(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
    else finish(undefined, new DocxGenerationError(m.error ?? "未知错误"));
  });
  w.on("error", fail);
  w.on("exit", (code) => fail(new Error(`生成线程已退出（${code}）`)));
  return w;
}

function stop(): void {
  const w = worker;
  worker = null;
  void w?.terminate();
}

/** Settles the running job and starts the next. */
function finish(bytes?: Uint8Array, error?: Error): void {
  const job = running;
  running = null;
  if (job) {
    clearTimeout(job.timer);
    if (bytes) job.resolve(bytes);
    else job.reject(error ?? new DocxGenerationError("未知错误"));
  }
  pump();
}

function pump(): void {
  if (running) return;
  const job = queue.shift();
  if (!job) {
    // Idle: the worker no longer keeps the process alive, and goes after a while.
    worker?.unref();
    idleTimer ??= setTimeout(() => ((idleTimer = null), stop()), IDLE_MS).unref();
    return;
  }
  if (idleTimer) clearTimeout(idleTimer), (idleTimer = null);
  let w: Worker;
  try {
    w = worker ??= start();
  } catch (e) {
    job.reject(e instanceof DocxGenerationError ? e : new DocxGenerationError((e as Error).message));
    return pump();
  }
  w.ref();
  const id = nextId++;
  // A file that takes this long will not end: the worker goes, the next file starts a new one.
  const timer = setTimeout(() => (stop(), finish(undefined, new DocxGenerationError("超时"))), JOB_TIMEOUT_MS);
  running = { ...job, id, timer };
  // Posted before the worker is up, the message waits in its port.
  w.postMessage({ id, layouts: job.layouts, opts: job.opts });
}

/** layoutsToDocx (write.ts), run in the worker: the calling thread stays free meanwhile. */
export function layoutsToDocxOffThread(layouts: TableLayout[], opts: DocxOptions = {}): Promise<Uint8Array> {
  return new Promise<Uint8Array>((resolve, reject) => {
    queue.push({ layouts, opts, resolve, reject });
    pump();
  });
}
