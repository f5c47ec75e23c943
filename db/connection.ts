// Opening a SQLite file with the app's settings, without creating the process's connection
// (db/client.server.ts does that): the backup command and tests open other files with it.
// WAL lets readers (and the online backup) run while a writer commits; foreign keys are off
// by default in SQLite, so we turn them on; the busy timeout makes a second writer wait
// instead of failing with SQLITE_BUSY. See docs/decisions/009-workflow-states-and-concurrency.md.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import * as schema from "./schema";
import { searchDocument } from "./search-tokens";

export type DB = BetterSQLite3Database<typeof schema>;

export const BUSY_TIMEOUT_MS = 5000;

export function databasePath(): string {
  return process.env.DATABASE_URL?.replace(/^file:/, "") || path.join("data", "jixiao.db");
}

export function openDatabase(file: string = databasePath()): { sqlite: Database.Database; db: DB } {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma("synchronous = NORMAL");
  // Used by the triggers that keep the project search index (drizzle/0008_scale_triggers.sql):
  // a connection without it cannot write projects, which fails loudly rather than silently
  // leaving the index behind.
  sqlite.function("jixiao_search_document", { deterministic: true }, (regionId, name, code) =>
    searchDocument(Number(regionId), name as string | null, code as string | null),
  );
  const db = drizzle(withStatementCache(sqlite), { schema });
  // Transactions take the write lock when they begin (BEGIN IMMEDIATE), not at their first
  // write: a deferred transaction that reads and then writes gets SQLITE_BUSY at once, busy
  // timeout or not, when another connection (a second server process, the CLI) committed in
  // between. Waiting at BEGIN is what the busy timeout is for. docs/decisions/029-cluster-workers.md.
  const transaction = db.transaction.bind(db);
  db.transaction = ((run, config) => transaction(run, { behavior: "immediate", ...config })) as typeof db.transaction;
  return { sqlite, db };
}

/** Statements kept per connection; dynamic SQL (IN lists of every length) makes many texts. */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * The connection as drizzle sees it: `prepare` returns a statement already compiled for the
 * same SQL text when there is one. drizzle prepares every query it runs, and compiling costs
 * more than running most of ours (docs/decisions/030-per-request-cost.md). A cached
 * statement is handed out in its default mode (drizzle switches on `raw()` for typed
 * selects), and one still busy (iterating) is never handed out twice.
 */
export function withStatementCache(sqlite: Database.Database, size = STATEMENT_CACHE_SIZE): Database.Database {
  const cache = new Map<string, Database.Statement>();
  const prepare = (source: string): Database.Statement => {
    const hit = cache.get(source);
    if (hit && !hit.busy) {
      if (hit.reader) hit.raw(false).pluck(false).expand(false);
      // Most recently used last: the oldest is dropped first.
      cache.delete(source);
      cache.set(source, hit);
      return hit;
    }
    const statement = sqlite.prepare(source);
    if (!hit) {
      if (cache.size >= size) cache.delete(cache.keys().next().value!);
      cache.set(source, statement);
    }
    return statement;
  };
  return new Proxy(sqlite, {
    get(target, key) {
      if (key === "prepare") return prepare;
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
