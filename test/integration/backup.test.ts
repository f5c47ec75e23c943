// Data safety (issue 9, item 13): the connection's pragmas, and the online backup taken while
// another connection keeps writing, restored as README "Backup and restore" says and checked
// table by table.
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupDatabase, BackupError, inspectDatabase } from "../../db/backup";
import { call, login, makeRequest, setupDatabase } from "../helpers/app";

const require = createRequire(import.meta.url);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-backup-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let sqlite: Database.Database;
let source: string;

beforeAll(async () => {
  await setupDatabase();
  ({ sqlite } = await import("../../db/client.server"));
  source = process.env.DATABASE_URL!;
  // Data written the way the app writes it: the published demo tables, a sign-in and a save.
  const { db } = await import("../../db/client.server");
  const { seedPublishedTables } = await import("../../db/seed-tables");
  expect(seedPublishedTables(db)).toBeGreaterThan(0);
  const cookie = await login("qijiang.unit");
  const { action } = await import("../../app/routes/projects.new");
  const created = await call(action, makeRequest("/projects/new", { cookie, form: { name: "备份测试项目", budgetTotal: "12.5" } }));
  expect(created.status).toBe(302);
});

/** Runs plain-JS worker code with its own better-sqlite3 connection to the test database. */
function startWorker(code: string, data: Record<string, unknown>): Worker {
  return new Worker(`const Database = require(${JSON.stringify(require.resolve("better-sqlite3"))});\n${code}`, {
    eval: true,
    workerData: { file: source, ...data },
  });
}

function message(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
}

describe("the app's connection", () => {
  it("runs in WAL mode with foreign keys on, a busy timeout and synchronous=NORMAL", () => {
    expect(sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(sqlite.pragma("busy_timeout", { simple: true })).toBe(5000);
    expect(sqlite.pragma("synchronous", { simple: true })).toBe(1);
  });

  it("refuses a row whose foreign key points nowhere", () => {
    expect(() => sqlite.prepare("INSERT INTO target_tables (region_id, project_id, version, status, is_current) VALUES (1, 999999, 1, 'draft', 0)").run()).toThrow(
      /FOREIGN KEY/,
    );
  });

  it("waits for another connection's write lock instead of failing with SQLITE_BUSY", async () => {
    // The other connection takes the write lock, says so, and holds it for a moment.
    const holder = startWorker(
      `const { parentPort, workerData } = require("node:worker_threads");
       const db = new Database(workerData.file);
       db.exec("BEGIN IMMEDIATE");
       db.prepare("INSERT INTO audit_events (entity, action) VALUES ('test', 'lock holder')").run();
       parentPort.postMessage("locked");
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
       db.exec("COMMIT");
       db.close();`,
      {},
    );
    expect(await message(holder)).toBe("locked");
    // Without the busy timeout this throws SQLITE_BUSY at once.
    sqlite.prepare("INSERT INTO audit_events (entity, action) VALUES ('test', 'waiter')").run();
    const order = sqlite.prepare("SELECT action FROM audit_events WHERE entity = 'test' ORDER BY id").pluck().all();
    expect(order).toEqual(["lock holder", "waiter"]);
    sqlite.prepare("DELETE FROM audit_events WHERE entity = 'test'").run();
  });
});

type Rows = Record<string, unknown>[];
function allRows(db: Database.Database, table: string, maxRowid = Number.MAX_SAFE_INTEGER): Rows {
  return db.prepare(`SELECT * FROM "${table}" WHERE rowid <= ? ORDER BY rowid`).all(maxRowid) as Rows;
}

describe("online backup while another connection writes", () => {
  it("copies a consistent snapshot that restores with every table and every audit entry", async () => {
    const { openDatabase } = await import("../../db/client.server");
    const { migrateDatabase } = await import("../../db/migrate");
    // A few MB, so the copy spans many pages (better-sqlite3's default step is 100 pages: a
    // backup in such steps restarts after every write of another connection and never ends).
    const { recordAudit } = await import("../../app/models/audit.server");
    const { db } = await import("../../db/client.server");
    db.transaction((tx) => {
      for (let i = 0; i < 2000; i++) recordAudit(tx, { actor: null, entity: "test", entityId: i, action: "bulk", after: { text: "绩效".repeat(400) } });
    });
    const before = inspectDatabase(source).counts;
    const firstAudit = allRows(sqlite, "audit_events");

    // The writer creates projects with their audit entries, one transaction each, as
    // createProject does, until told to stop; ctrl[1] counts its commits.
    const ctrl = new Int32Array(new SharedArrayBuffer(8));
    const writer = startWorker(
      `const { parentPort, workerData } = require("node:worker_threads");
       const ctrl = workerData.ctrl;
       const db = new Database(workerData.file);
       db.pragma("busy_timeout = 5000");
       // The projects' search-index trigger calls a function every app connection registers
       // (db/connection.ts); this raw connection stands in for it, the index is not under test.
       db.function("jixiao_search_document", { deterministic: true }, (_region, _name, _code) => "");
       const dept = db.prepare("SELECT id, region_id FROM departments ORDER BY id LIMIT 1").get();
       const project = db.prepare("INSERT INTO projects (region_id, year, department_id, name) VALUES (?, 2026, ?, ?)");
       const audit = db.prepare("INSERT INTO audit_events (region_id, entity, entity_id, action, after) VALUES (?, 'project', ?, 'create', ?)");
       const write = db.transaction((n) => {
         const id = project.run(dept.region_id, dept.id, "并发写入 " + n).lastInsertRowid;
         audit.run(dept.region_id, id, JSON.stringify({ n }));
       });
       while (Atomics.load(ctrl, 0) === 0) {
         write(Atomics.load(ctrl, 1) + 1);
         if (Atomics.add(ctrl, 1, 1) === 49) parentPort.postMessage("writing");
       }
       db.close();`,
      { ctrl },
    );
    const exited = new Promise((resolve) => writer.once("exit", resolve));
    expect(await message(writer)).toBe("writing");

    // The app's own connection writes too, on every turn of the event loop, so between any
    // two steps of the backup (a backup in many steps would restart for ever).
    let ticks = 0;
    let ticking = true;
    const tick = () => {
      if (!ticking) return;
      recordAudit(db, { actor: null, entity: "test", entityId: ++ticks, action: "tick" });
      setImmediate(tick);
    };
    setImmediate(tick);

    const dest = path.join(dir, "snapshot.db");
    const writesAtStart = Atomics.load(ctrl, 1);
    const result = await backupDatabase(source, dest);
    const writesAtEnd = Atomics.load(ctrl, 1);
    ticking = false;
    Atomics.store(ctrl, 0, 1);
    await exited;
    // Both writers really were writing while the backup ran.
    expect(writesAtEnd).toBeGreaterThan(writesAtStart);
    expect(ticks).toBeGreaterThan(0);

    expect(result.integrity).toBe("ok");
    expect(result.bytes).toBe(fs.statSync(dest).size);
    expect(result.migrations).toMatchObject({ pending: 0, unknown: 0 });
    expect(result.migrations.applied).toBe(result.migrations.known);

    // Restore as README says: the backup file alone (no -wal/-shm) in the database's place.
    expect(fs.existsSync(`${dest}-wal`)).toBe(false);
    const restoredPath = path.join(dir, "restored", "jixiao.db");
    fs.mkdirSync(path.dirname(restoredPath));
    fs.copyFileSync(dest, restoredPath);
    const restored = openDatabase(restoredPath);
    try {
      migrateDatabase(restored.db); // the app's start-up step: nothing left to apply
      expect(restored.sqlite.prepare("SELECT count(*) FROM __drizzle_migrations").pluck().get()).toBe(result.migrations.known);
      expect(restored.sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(restored.sqlite.pragma("foreign_key_check")).toEqual([]);

      const after = inspectDatabase(source).counts;
      const counts = inspectDatabase(restoredPath).counts;
      // The counts printed at backup time are the restored database's counts.
      expect(counts).toEqual(result.counts);
      expect(Object.keys(counts).sort()).toEqual(Object.keys(after).sort());
      // What the writers add to: the projects, their audit entries and their search index.
      const written = new Set(["projects", "audit_events", "project_search", "project_search_content", "project_search_data", "project_search_docsize", "project_search_idx"]);
      for (const table of Object.keys(counts)) {
        if (written.has(table)) {
          expect(counts[table]).toBeGreaterThanOrEqual(before[table]);
          expect(counts[table]).toBeLessThanOrEqual(after[table]);
        } else {
          expect(counts[table], table).toBe(after[table]);
        }
        // An FTS index's shadow tables (some WITHOUT ROWID) are compared through the index itself.
        if (restored.sqlite.prepare("SELECT type FROM pragma_table_list WHERE name = ?").pluck().get(table) === "shadow") continue;
        // Summary rows change in place as projects are added: the snapshot's must add up to its own projects.
        if (table === "project_counts") {
          expect(restored.sqlite.prepare("SELECT sum(n) FROM project_counts").pluck().get()).toBe(counts.projects);
          continue;
        }
        // Every row of the snapshot is the source's row, and the snapshot is the source up to
        // its last row: nothing missing in between, nothing altered.
        const rows = allRows(restored.sqlite, table);
        const last = rows.length ? Number(restored.sqlite.prepare(`SELECT max(rowid) FROM "${table}"`).pluck().get()) : 0;
        expect(rows, table).toEqual(allRows(sqlite, table, last));
      }
      // One snapshot: each of the worker's transactions is in it whole or not at all.
      const count = (sql: string) => restored.sqlite.prepare(sql).pluck().get();
      expect(count("SELECT count(*) FROM projects WHERE name LIKE '并发写入 %'")).toBe(counts.projects - before.projects);
      expect(count("SELECT count(*) FROM audit_events WHERE entity = 'project' AND after LIKE '{\"n\":%'")).toBe(counts.projects - before.projects);
      // Every audit entry from before the backup is there, unchanged.
      expect(allRows(restored.sqlite, "audit_events").slice(0, firstAudit.length)).toEqual(firstAudit);
    } finally {
      restored.sqlite.close();
    }
  });

  it("refuses to overwrite an existing file unless forced, and never backs up onto the database", async () => {
    const dest = path.join(dir, "twice.db");
    await backupDatabase(source, dest);
    const first = fs.readFileSync(dest);
    await expect(backupDatabase(source, dest)).rejects.toThrow(/已存在；如要覆盖，请加 --force/);
    expect(fs.readFileSync(dest).equals(first)).toBe(true);

    sqlite.prepare("INSERT INTO audit_events (entity, action) VALUES ('test', 'after first backup')").run();
    // A stale -wal beside DEST would be replayed into the new file: --force removes it.
    fs.writeFileSync(`${dest}-wal`, "stale");
    const forced = await backupDatabase(source, dest, { force: true });
    expect(fs.existsSync(`${dest}-wal`)).toBe(false);
    expect(forced.counts.audit_events).toBe(inspectDatabase(source).counts.audit_events);
    expect(fs.readdirSync(dir).filter((f) => f.includes(".partial-"))).toEqual([]);

    await expect(backupDatabase(source, source, { force: true })).rejects.toThrow(BackupError);
    await expect(backupDatabase(path.join(dir, "missing.db"), path.join(dir, "x.db"))).rejects.toThrow(/数据库文件不存在/);
    expect(fs.existsSync(path.join(dir, "x.db"))).toBe(false);
  });

  it("`jixiao backup DEST` prints the size and the counts; a folder gets a time-stamped file", async () => {
    const { main } = await import("../../app/cli/main");
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), readFile: () => "" };
    const folder = path.join(dir, "nightly");
    fs.mkdirSync(folder);
    expect(await main(["backup", folder], io)).toBe(0);
    const [file] = fs.readdirSync(folder);
    expect(file).toMatch(/^jixiao-\d{8}-\d{6}Z\.db$/);
    const text = out.join("\n");
    expect(text).toContain(path.join(folder, file));
    expect(text).toMatch(new RegExp(`大小：.*（${fs.statSync(path.join(folder, file)).size} 字节）`));
    expect(text).toContain("完整性检查：ok");
    expect(text).toMatch(/audit_events\s+\d+/);

    expect(await main(["backup", path.join(folder, file)], io)).toBe(1);
    expect(err.join("\n")).toMatch(/已存在/);
    expect(await main(["backup"], io)).toBe(2);
    expect(await main(["backup", "x.db", "--overwrite"], io)).toBe(2);
  });
});
