// db/setup.ts is what `npm start` runs before serving: migrations, then demo data or, with
// JIXIAO_DEMO=0, a single admin from the environment. Run as a real child process.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-setup-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function setup(file: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "db/setup.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: path.join(dir, file), ...env },
    encoding: "utf8",
  });
}

function count(file: string, sql: string): number {
  const db = new Database(path.join(dir, file), { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe("start-up setup", () => {
  it("seeds the demo once: a second start adds nothing", () => {
    const first = setup("demo.db");
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/demo data ready \(25 organisation rows, \d+ tables added\)/);
    expect(count("demo.db", "select count(*) n from users")).toBe(12);
    const projects = count("demo.db", "select count(*) n from projects");
    expect(projects).toBeGreaterThan(20);
    const second = setup("demo.db");
    expect(second.stdout).toContain("demo data ready (0 organisation rows, 0 tables added)");
    expect(count("demo.db", "select count(*) n from projects")).toBe(projects);
  });

  it("JIXIAO_DEMO=0 creates one admin from the environment and no demo data", () => {
    const r = setup("empty.db", { JIXIAO_DEMO: "0", JIXIAO_ADMIN_USER: "Bureau.Admin", JIXIAO_ADMIN_PASSWORD: "long-enough-1" });
    expect(r.status).toBe(0);
    expect(count("empty.db", "select count(*) n from users where username = 'bureau.admin' and role = 'admin'")).toBe(1);
    expect(count("empty.db", "select count(*) n from users")).toBe(1);
    expect(count("empty.db", "select count(*) n from projects")).toBe(0);
    expect(count("empty.db", "select count(*) n from regions where slug in ('nanan','qijiang','wansheng')")).toBe(0);
  });

  it("JIXIAO_DEMO=0 without credentials, or with a short password, refuses to start", () => {
    expect(setup("none.db", { JIXIAO_DEMO: "0", JIXIAO_ADMIN_USER: "", JIXIAO_ADMIN_PASSWORD: "" }).status).toBe(1);
    const short = setup("short.db", { JIXIAO_DEMO: "0", JIXIAO_ADMIN_USER: "a", JIXIAO_ADMIN_PASSWORD: "short" });
    expect(short.status).toBe(1);
    expect(short.stderr).toMatch(/at least 8/);
  });
});
