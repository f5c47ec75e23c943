// `npm run bench -- writes`: how many save transactions one SQLite file takes per second when
// several connections save at once (issue 13 item 4). A generated region (bench/server.ts,
// `--projects N`, default 10,000), then K worker threads (1, 2, 4, 8), each with its own
// connection, save distinct drafts for a few seconds: one transaction per save as the
// editor's 保存草稿 writes it (the table's revision and findings, its 30 indicators replaced,
// one audit entry), with the triggers of drizzle/0008 keeping the summaries. Prints saves per
// second and the latency of a save; asserts nothing. Bounded: every run stops by itself.
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { sizeArgs } from "./server";

const SECONDS = 3;

// The worker: plain JavaScript (no TypeScript loader in a worker), one connection opened as
// db/connection.ts opens it. It saves its own drafts round-robin until the deadline.
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma("journal_mode = WAL");
db.pragma("foreign_keys = ON");
db.pragma("busy_timeout = 5000");
db.pragma("synchronous = NORMAL");
db.function("jixiao_search_document", { deterministic: true }, (_r, _n, _c) => "");
const bump = db.prepare("update target_tables set revision = revision + 1, error_count = ?, warning_count = ?, updated_at = ? where id = ?");
const clear = db.prepare("delete from indicators where table_id = ?");
const add = db.prepare("insert into indicators (table_id, position, level1, level2, name, weight, unit, operator, target, core) values (?, ?, '产出指标', '数量指标', ?, 300, '人', '≥', ?, 0)");
const audit = db.prepare("insert into audit_events (region_id, actor_id, entity, entity_id, action, after) values (?, null, 'table', ?, 'save', ?)");
const save = db.transaction((t, n) => {
  bump.run(n % 3, n % 5, Date.now(), t.id);
  clear.run(t.id);
  for (let i = 0; i < 30; i++) add.run(t.id, i, "补助人数" + i, String(n + i));
  audit.run(t.regionId, t.id, JSON.stringify({ n }));
});
const deadline = Date.now() + workerData.seconds * 1000;
const latencies = [];
let n = 0;
while (Date.now() < deadline) {
  const t = workerData.tables[n % workerData.tables.length];
  const a = performance.now();
  save(t, n++);
  latencies.push(performance.now() - a);
}
db.close();
parentPort.postMessage({ saves: n, latencies });
`;

export async function run(): Promise<void> {
  const size = sizeArgs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-bench-writes-"));
  const file = path.join(dir, "bench.db");
  const previousUrl = process.env.DATABASE_URL;
  process.env.DATABASE_URL = file;
  const { db, sqlite } = await import("../db/client.server");
  try {
    const { generateRegion } = await import("./server");
    await generateRegion(db, sqlite, file, size);
    // Drafts of the measured region, split between the workers so no two save the same table.
    const drafts = sqlite
      .prepare("select t.id, t.region_id as regionId from target_tables t join regions r on r.id = t.region_id where r.slug = 'qijiang' and t.status = 'draft' and t.is_current = 1 limit 4000")
      .all() as { id: number; regionId: number }[];
    console.log(`\n${drafts.length} drafts; each save: 1 table row, 30 indicators replaced, 1 audit entry (summaries kept by triggers)\n`);
    for (const workers of [1, 2, 4, 8]) {
      const results = await Promise.all(
        Array.from({ length: workers }, (_, w) => {
          const tables = drafts.filter((_, i) => i % workers === w);
          return new Promise<{ saves: number; latencies: number[] }>((resolve, reject) => {
            const worker = new Worker(WORKER, { eval: true, workerData: { file, tables, seconds: SECONDS, driver: createRequire(import.meta.url).resolve("better-sqlite3") } });
            worker.once("message", resolve);
            worker.once("error", reject);
          });
        }),
      );
      const saves = results.reduce((t, r) => t + r.saves, 0);
      const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
      const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)];
      console.log(
        `${String(workers).padStart(2)} connection(s) saving at once: ${(saves / SECONDS).toFixed(0).padStart(5)} saves/s   ` +
          `save median ${q(0.5).toFixed(1)} ms, p99 ${q(0.99).toFixed(1)} ms (including waits for the write lock)`,
      );
    }
    console.log(`database ${(fs.statSync(file).size / 1024 / 1024).toFixed(0)} MB`);
  } finally {
    sqlite.close();
    delete (globalThis as { __jixiaoDb?: unknown }).__jixiaoDb;
    if (previousUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previousUrl;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
