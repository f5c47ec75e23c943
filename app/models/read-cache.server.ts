// Results of aggregate reads that cost O(projects of a region-year) — the project list's
// counts per status and its filter choices, the 工作台's figures — kept until the database
// changes. "Changes" is decided by SQLite itself, so no write path has to remember to
// invalidate: total_changes() counts every row this connection (the process's only one)
// has inserted, updated or deleted, and PRAGMA data_version changes when another
// connection or process commits. Any change empties the whole cache. Only reads whose
// result depends on the database alone (never on the clock) may be cached here.
// JIXIAO_READ_CACHE=0 turns it off. See docs/decisions/019-read-cache-until-write.md.
import type Database from "better-sqlite3";
import { sqlite as processConnection } from "../../db/client.server";
import { deepFreeze } from "../utils/freeze";

/** Entries kept at most; past it the oldest goes (searches typed by users make many keys). */
export const MAX_ENTRIES = 500;

type Stamp = { changes: Database.Statement; version: Database.Statement };

const stamps = new WeakMap<Database.Database, Stamp>();
const entries = new Map<string, unknown>();
let currentStamp: string | null = null;

function stampOf(sqlite: Database.Database): string {
  let s = stamps.get(sqlite);
  if (!s) {
    s = { changes: sqlite.prepare("select total_changes()").pluck(), version: sqlite.prepare("pragma data_version").pluck() };
    stamps.set(sqlite, s);
  }
  return `${s.changes.get()}:${s.version.get()}`;
}

export const readCacheEnabled = () => process.env.JIXIAO_READ_CACHE !== "0";

/**
 * `read()`'s result for `key`, computed again only after the database has changed. The
 * result is frozen: it is shared by every request until then. `key` must name every input
 * of `read` (the user's scope, the filter).
 */
export function cachedRead<T>(key: string, read: () => T, sqlite: Database.Database = processConnection): T {
  // Inside a transaction a read may see writes that are then rolled back.
  if (!readCacheEnabled() || sqlite.inTransaction) return read();
  const stamp = stampOf(sqlite);
  if (stamp !== currentStamp) {
    entries.clear();
    currentStamp = stamp;
  }
  if (entries.has(key)) return entries.get(key) as T;
  const value = deepFreeze(read());
  // A read that wrote (it should not) leaves the stamp behind: keep nothing then.
  if (stampOf(sqlite) !== stamp) return value;
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(key, value);
  return value;
}

/** The part of a user that decides what they may see (projectScope and the like). */
export function scopeKey(user: { regionId: number; role: string; departmentId: number | null; unitId: number | null }): string {
  return `${user.regionId}/${user.role}/${user.departmentId ?? ""}/${user.unitId ?? ""}`;
}
