// The one better-sqlite3 connection of the process, opened with the settings of
// db/connection.ts (WAL, foreign keys, busy timeout).
import type Database from "better-sqlite3";
import { openDatabase, type DB } from "./connection";

export { databasePath, openDatabase, type DB } from "./connection";

declare global {
  // eslint-disable-next-line no-var
  var __jixiaoDb: { sqlite: Database.Database; db: DB } | undefined;
}

// Created once per process, and kept across dev-server rebuilds.
const connection = (globalThis.__jixiaoDb ??= openDatabase());

export const db: DB = connection.db;
export const sqlite = connection.sqlite;

