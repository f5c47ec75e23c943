// Run by `npm start` before the server: apply pending migrations, then seed.
//   JIXIAO_DEMO=0 → no demo data; one admin from JIXIAO_ADMIN_USER / JIXIAO_ADMIN_PASSWORD.
//   --no-seed     → migrations only.
import { databasePath, openDatabase } from "./client.server";
import { migrateDatabase } from "./migrate";
import { clearStatistics } from "./statistics";
import { ensureAdmin, seedOrganisation } from "./seed";
import { seedPublishedTables } from "./seed-tables";
import { seedEvaluationDemo } from "../seeds/evaluation";
import { seedMonitoringDemo } from "../seeds/monitoring";

const { db, sqlite } = openDatabase();
migrateDatabase(db);
console.log(`jixiao: database ${databasePath()} is up to date`);

if (!process.argv.includes("--no-seed")) {
  if (process.env.JIXIAO_DEMO === "0") {
    const user = process.env.JIXIAO_ADMIN_USER;
    const password = process.env.JIXIAO_ADMIN_PASSWORD;
    if (!user || !password) {
      console.error("jixiao: JIXIAO_DEMO=0 needs JIXIAO_ADMIN_USER and JIXIAO_ADMIN_PASSWORD");
      process.exit(1);
    }
    if (password.length < 8) {
      console.error("jixiao: JIXIAO_ADMIN_PASSWORD must have at least 8 characters");
      process.exit(1);
    }
    const created = await ensureAdmin(db, user, password, process.env.JIXIAO_REGION_NAME ?? "本地区");
    console.log(created ? `jixiao: created admin ${user}` : `jixiao: admin ${user} exists`);
  } else {
    const rows = await seedOrganisation(db);
    const tables = seedPublishedTables(db);
    console.log(`jixiao: demo data ready (${rows} organisation rows, ${tables} tables added)`);
    // After the tables: the demo monitoring is derived from the approved tables.
    const m = seedMonitoringDemo();
    console.log(`jixiao: demo monitoring ready (${m.rounds} rounds, ${m.reports} entries, ${m.rectifications} 整改 added)`);
    // After monitoring: the self-evaluation's form is prefilled from the last monitoring round.
    const e = seedEvaluationDemo();
    console.log(
      `jixiao: demo self-evaluation ready (${e.rounds} rounds, ${e.reports} entries, ${e.adjustments} deductions, ${e.nextYearTables} next-year tables added)`,
    );
  }
}
// The app plans without ANALYZE statistics: drop any that someone gathered (db/statistics.ts).
clearStatistics(sqlite);
sqlite.close();
