// The app plans without ANALYZE statistics (db/statistics.ts, docs/decisions/031-planner-statistics.md):
// whatever someone gathered is dropped before the server starts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/connection";
import { migrateDatabase } from "../../db/migrate";
import { clearStatistics, statisticsRows } from "../../db/statistics";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-statistics-"));
const file = path.join(dir, "t.db");
const { sqlite, db } = openDatabase(file);
afterAll(() => {
  sqlite.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Someone runs ANALYZE on the file (another connection, as the sqlite3 shell would). */
function analyzeByHand() {
  const other = openDatabase(file).sqlite;
  other.exec("analyze");
  other.close();
}

describe("planner statistics", () => {
  it("a database without any stays without", () => {
    migrateDatabase(db);
    expect(statisticsRows(sqlite)).toBe(0);
    clearStatistics(sqlite);
    expect(statisticsRows(sqlite)).toBe(0);
  });

  it("the row counts and samples of an ANALYZE run by hand are dropped", () => {
    sqlite.exec("insert into regions (name, slug, current_year) values ('甲区', 'jia', 2026), ('乙区', 'yi', 2026)");
    analyzeByHand();
    const samples = () => sqlite.prepare("select count(*) from sqlite_stat4").pluck().get() as number;
    // better-sqlite3's SQLite is built with STAT4: a plain ANALYZE takes samples as well.
    expect(samples()).toBeGreaterThan(0);
    expect(statisticsRows(sqlite)).toBeGreaterThan(samples());
    clearStatistics(sqlite);
    expect(statisticsRows(sqlite)).toBe(0);
  });

  it("npm start's setup drops them", async () => {
    analyzeByHand();
    expect(statisticsRows(sqlite)).toBeGreaterThan(0);
    const { spawnSync } = await import("node:child_process");
    const res = spawnSync(process.execPath, ["--import", "tsx", "db/setup.ts", "--no-seed"], { env: { ...process.env, DATABASE_URL: file }, encoding: "utf8" });
    expect(res.status, res.stderr).toBe(0);
    expect(statisticsRows(sqlite)).toBe(0);
  });
});
