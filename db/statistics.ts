// The app plans its queries without ANALYZE statistics (docs/decisions/031-planner-statistics.md).
// Its indexes and queries are written, and tested (test/integration/query-plans.test.ts), for
// SQLite's estimates from the schema alone. Statistics would change that in two ways:
//   - row counts (sqlite_stat1) gathered while a region is small keep the plans of a small
//     database (whole-table scans) as it grows, until the next ANALYZE;
//   - value samples (sqlite_stat4; better-sqlite3's SQLite is built with STAT4) make SQLite
//     plan a statement for the values bound to it, and plan it again whenever values are
//     bound, on every run of a prepared statement: a last-year lookup that runs in 3 µs took
//     100 µs.
// So statistics someone gathered (an ANALYZE or PRAGMA optimize from the sqlite3 shell) are
// dropped before the server starts (db/setup.ts).
import type Database from "better-sqlite3";

const STATISTICS_TABLES = ["sqlite_stat1", "sqlite_stat4"] as const;

/** Drops the statistics ANALYZE left, and has this connection plan without them. */
export function clearStatistics(sqlite: Database.Database): void {
  const present = STATISTICS_TABLES.filter((t) => exists(sqlite, t));
  if (present.length === 0) return;
  for (const table of present) sqlite.exec(`delete from ${table}`);
  // Reloads the (now empty) statistics into this connection's planner.
  sqlite.exec("analyze sqlite_schema");
}

/** Rows of statistics the planner would use (0 is what the app keeps). */
export function statisticsRows(sqlite: Database.Database): number {
  return STATISTICS_TABLES.filter((t) => exists(sqlite, t)).reduce((n, t) => n + (sqlite.prepare(`select count(*) from ${t}`).pluck().get() as number), 0);
}

function exists(sqlite: Database.Database, table: string): boolean {
  return sqlite.prepare("select 1 from sqlite_schema where type = 'table' and name = ?").get(table) !== undefined;
}
