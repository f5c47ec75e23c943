// db/setup.ts run as `npm start` runs it (a real child process) on a database file in `dir`,
// and counts read back from that file: for the tests of start-up seeding.
import { spawnSync } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";

const root = path.resolve(__dirname, "../..");

export function runSetup(dir: string, file: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "db/setup.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: path.join(dir, file), ...env },
    encoding: "utf8",
  });
}

/** The `n` of a `select count(*) n …` on the file, opened read-only. */
export function countIn(dir: string, file: string, sql: string): number {
  const db = new Database(path.join(dir, file), { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}
