// A second connection for test/integration/write-transactions.test.ts: waits for "go" on
// stdin, then runs `JIXIAO_TX_RUNS` transactions that read before they write, through the
// app's connection settings (db/connection.ts), and prints what happened as JSON.
import readline from "node:readline";
import { sql } from "drizzle-orm";
import { openDatabase } from "../../db/connection";

const { db, sqlite } = openDatabase(process.env.DATABASE_URL!);
const runs = Number(process.env.JIXIAO_TX_RUNS);
process.stdout.write("ready\n");
const input = readline.createInterface({ input: process.stdin });
input.once("line", () => {
  let done = 0;
  const errors: Record<string, number> = {};
  for (let i = 0; i < runs; i++) {
    try {
      db.transaction((tx) => {
        const n = tx.get<{ n: number }>(sql`select count(*) as n from tx_probe`)!.n;
        tx.run(sql`insert into tx_probe (seen) values (${n})`);
      });
      done++;
    } catch (error) {
      const code = (error as { code?: string }).code ?? String(error);
      errors[code] = (errors[code] ?? 0) + 1;
    }
  }
  sqlite.close();
  process.stdout.write(`${JSON.stringify({ done, errors })}\n`);
  input.close();
});
