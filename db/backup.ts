// Online backup: `npm run backup -- DEST` / `jixiao backup DEST [--force]`.
// Uses SQLite's online backup API (better-sqlite3's db.backup()), so it runs while the server
// is up and writing. The copy is made in one backup step, a single read transaction: in WAL
// mode writers go on meanwhile and the copy is one consistent snapshot (a multi-step backup
// restarts whenever another connection writes). See docs/decisions/010-online-backup.md.
// The copy goes to a temporary file beside DEST, is checked, then moved into place, so DEST
// is never a half-written database. Restore: README, "Backup and restore".
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { BUSY_TIMEOUT_MS, databasePath } from "./connection";
import { MIGRATIONS_FOLDER } from "./migrate";

export class BackupError extends Error {}

export type MigrationStatus = {
  /** Migrations recorded in the database. */
  applied: number;
  /** Migrations in drizzle/ that this program knows. */
  known: number;
  /** Known migrations the database has not applied. */
  pending: number;
  /** Applied migrations newer than any this program knows (a database from a newer version). */
  unknown: number;
};

export type DatabaseReport = {
  /** PRAGMA integrity_check: "ok", or the problems it found. */
  integrity: string;
  migrations: MigrationStatus;
  /** Rows per table, by table name. */
  counts: Record<string, number>;
};

export type BackupResult = DatabaseReport & { source: string; dest: string; bytes: number; ms: number };

/** Integrity, migrations and row counts of a database file (opened read-write, then closed). */
export function inspectDatabase(file: string): DatabaseReport {
  const sqlite = new Database(file, { fileMustExist: true });
  try {
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const integrity = (sqlite.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check).join("; ");
    const tables = sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[];
    const counts: Record<string, number> = {};
    for (const t of tables) counts[t] = sqlite.prepare(`SELECT count(*) FROM "${t.replaceAll('"', '""')}"`).pluck().get() as number;
    return { integrity, migrations: migrationStatus(sqlite, tables), counts };
  } finally {
    sqlite.close();
  }
}

/** Compares the database's drizzle migration records with drizzle/ (drizzle applies by time stamp). */
function migrationStatus(sqlite: Database.Database, tables: string[]): MigrationStatus {
  const known = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).map((m) => m.folderMillis);
  const applied = tables.includes("__drizzle_migrations")
    ? (sqlite.prepare("SELECT created_at FROM __drizzle_migrations").pluck().all() as (number | string)[]).map(Number)
    : [];
  const lastApplied = applied.length ? Math.max(...applied) : -Infinity;
  const lastKnown = known.length ? Math.max(...known) : -Infinity;
  return {
    applied: applied.length,
    known: known.length,
    pending: known.filter((m) => m > lastApplied).length,
    unknown: applied.filter((m) => m > lastKnown).length,
  };
}

/** Where the backup goes: DEST itself, or a time-stamped file when DEST is a folder. */
export function backupTarget(dest: string, now = new Date()): string {
  const isDir = /[\\/]$/.test(dest) || (fs.existsSync(dest) && fs.statSync(dest).isDirectory());
  if (!isDir) return path.resolve(dest);
  const stamp = now.toISOString().replace(/\.\d+Z$/, "Z").replace(/[-:]/g, "").replace("T", "-");
  return path.resolve(dest, `jixiao-${stamp}.db`);
}

function sameFile(a: string, b: string): boolean {
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}

function removeSidecars(file: string): void {
  // A -wal left beside a file would be replayed into the new database when it is opened.
  for (const suffix of ["-wal", "-shm", "-journal"]) fs.rmSync(file + suffix, { force: true });
}

/** Copies the live database at `source` to `dest` (a file, or a folder for a time-stamped file). */
export async function backupDatabase(source: string, dest: string, options: { force?: boolean } = {}): Promise<BackupResult> {
  const started = performance.now();
  const from = path.resolve(source);
  if (!fs.existsSync(from)) throw new BackupError(`数据库文件不存在：${from}（请检查 DATABASE_URL）`);
  const to = backupTarget(dest);
  if (sameFile(from, to)) throw new BackupError("备份文件不能是数据库文件本身");
  if (!fs.existsSync(path.dirname(to))) throw new BackupError(`目录不存在：${path.dirname(to)}`);
  if (fs.existsSync(to) && !options.force) throw new BackupError(`${to} 已存在；如要覆盖，请加 --force`);

  const partial = `${to}.partial-${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
  try {
    const sqlite = new Database(from, { fileMustExist: true });
    try {
      sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      // better-sqlite3's first step copies 0 pages; then everything that remains in one step.
      await sqlite.backup(partial, { progress: () => 0x7fffffff });
    } catch (e) {
      throw new BackupError(`备份失败：${(e as Error).message}`);
    } finally {
      sqlite.close();
    }
    const report = inspectDatabase(partial);
    if (report.integrity !== "ok") throw new BackupError(`备份文件未通过完整性检查：${report.integrity}`);
    removeSidecars(partial);
    removeSidecars(to);
    if (options.force) fs.renameSync(partial, to);
    else {
      // link() refuses an existing name, so a file created meanwhile is not overwritten either.
      try {
        fs.linkSync(partial, to);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "EEXIST") throw new BackupError(`${to} 已存在；如要覆盖，请加 --force`);
        throw e;
      }
    }
    return { ...report, source: from, dest: to, bytes: fs.statSync(to).size, ms: performance.now() - started };
  } finally {
    fs.rmSync(partial, { force: true });
    removeSidecars(partial);
  }
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} 字节`;
}

export function formatBackupReport(r: BackupResult): string {
  const m = r.migrations;
  const migrations =
    m.pending || m.unknown
      ? `已应用 ${m.applied} 个，本程序有 ${m.known} 个（${m.pending} 个未应用，${m.unknown} 个本程序不认识）`
      : `已应用 ${m.applied} 个，与本程序一致`;
  const width = Math.max(...Object.keys(r.counts).map((t) => t.length));
  const rows = Object.entries(r.counts).map(([t, n]) => `  ${t.padEnd(width)}  ${String(n).padStart(8)}`);
  return [
    `已备份 ${r.source}`,
    `   → ${r.dest}`,
    `大小：${formatBytes(r.bytes)}（${r.bytes} 字节），用时 ${Math.round(r.ms)} ms`,
    `完整性检查：${r.integrity}；数据库迁移：${migrations}`,
    "各表行数：",
    ...rows,
  ].join("\n");
}

const USAGE = `用法：
  jixiao backup DEST [--force]    在线备份数据库（DATABASE_URL，默认 data/jixiao.db）到 DEST
  npm run backup -- DEST [--force]

服务器运行、写入时也可备份。DEST 为文件名，或已有目录（其中生成带时间的文件名）。
DEST 已存在时不覆盖，除非加 --force。恢复方法见 README「Backup and restore」。`;

/** `jixiao backup DEST [--force]`: exit 0 done, 1 failed, 2 usage. */
export async function backupCommand(
  argv: string[],
  io: { stdout: (text: string) => void; stderr: (text: string) => void },
): Promise<number> {
  let force = false;
  const positional: string[] = [];
  for (const a of argv) {
    if (a === "--force" || a === "-f") force = true;
    else if (a === "-h" || a === "--help") {
      io.stdout(USAGE);
      return 0;
    } else if (a.startsWith("-")) {
      io.stderr(`jixiao: 未知选项：${a}\n${USAGE}`);
      return 2;
    } else positional.push(a);
  }
  if (positional.length !== 1) {
    io.stderr(`jixiao: ${positional.length ? "只能给出一个 DEST" : "缺少备份文件 DEST"}\n${USAGE}`);
    return 2;
  }
  try {
    io.stdout(formatBackupReport(await backupDatabase(databasePath(), positional[0], { force })));
    return 0;
  } catch (e) {
    if (e instanceof BackupError) {
      io.stderr(`jixiao: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
