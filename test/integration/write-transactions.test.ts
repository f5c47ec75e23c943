// Two processes writing one database file (server workers, the CLI beside the server): a
// transaction that reads before it writes must wait for the other's commit, never fail with
// SQLITE_BUSY (db/connection.ts, docs/decisions/029-cluster-workers.md).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/connection";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-tx-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const RUNS = 3000;

function child(file: string): { process: ChildProcess; lines: AsyncIterator<string> } {
  const p = spawn(process.execPath, ["--import", "tsx", path.resolve("test/helpers/transaction-child.ts")], {
    env: { ...process.env, DATABASE_URL: file, JIXIAO_TX_RUNS: String(RUNS) },
    stdio: ["pipe", "pipe", "inherit"],
  });
  return { process: p, lines: readline.createInterface({ input: p.stdout! })[Symbol.asyncIterator]() };
}

describe("write transactions from two processes", () => {
  it("all commit: none fails with SQLITE_BUSY, and no write is lost", async () => {
    const file = path.join(dir, "tx.db");
    const setup = openDatabase(file);
    setup.sqlite.exec("create table tx_probe (id integer primary key, seen integer not null)");
    setup.sqlite.close();

    const children = [child(file), child(file)];
    for (const c of children) expect((await c.lines.next()).value).toBe("ready");
    // Both start together: each has its connection open and is waiting for this line.
    for (const c of children) c.process.stdin!.write("go\n");
    const results = await Promise.all(children.map(async (c) => JSON.parse((await c.lines.next()).value as string) as { done: number; errors: Record<string, number> }));
    for (const r of results) expect(r).toEqual({ done: RUNS, errors: {} });

    const check = openDatabase(file);
    expect(check.sqlite.prepare("select count(*) from tx_probe").pluck().get()).toBe(2 * RUNS);
    check.sqlite.close();
  }, 120_000);
});
