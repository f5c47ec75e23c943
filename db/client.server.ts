// The one better-sqlite3 connection of the process. WAL lets readers run while a writer
// commits; foreign keys are off by default in SQLite, so we turn them on; the busy timeout
// makes a second writer wait instead of failing with SQLITE_BUSY.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import * as schema from "./schema";

export type DB = BetterSQLite3Database<typeof schema>;

export function databasePath(): string {
  return process.env.DATABASE_URL?.replace(/^file:/, "") || path.join("data", "jixiao.db");
}

export function openDatabase(file: string = databasePath()): { sqlite: Database.Database; db: DB } {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  return { sqlite, db: drizzle(sqlite, { schema }) };
}

declare global {
  // eslint-disable-next-line no-var
  var __jixiaoDb: { sqlite: Database.Database; db: DB } | undefined;
}

// Created once per process, and kept across dev-server rebuilds.
const connection = (globalThis.__jixiaoDb ??= openDatabase());

export const db: DB = connection.db;
export const sqlite = connection.sqlite;
