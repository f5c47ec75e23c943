// The project_headers migration (docs/decisions/026) on a database made by the previous
// schema: the migrations before it are applied from a copy of drizzle/ without it, data is
// written in the old shape (the header on projects), then the real folder is applied. Every
// header field must arrive on every version of every project, nothing else may change.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/connection";
import { MIGRATIONS_FOLDER } from "../../db/migrate";

const TAG = "_project_headers";
const HEADER_COLUMNS = [
  "name",
  "category",
  "finance_office_code",
  "finance_office_name",
  "budget_total",
  "budget_local",
  "budget_superior",
  "overview",
  "basis",
  "schedule",
  "measures",
  "mid_term_goal",
  "annual_goal",
] as const;
type Header = Record<(typeof HEADER_COLUMNS)[number], string | number | null>;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-migration-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** drizzle/ as it was before this migration: its SQL, snapshot and journal entry left out. */
function previousMigrations(): string {
  const folder = path.join(dir, "drizzle");
  fs.cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = path.join(folder, "meta", "_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalPath, "utf8")) as { entries: { idx: number; tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag.endsWith(TAG));
  expect(at).toBeGreaterThan(0);
  for (const e of journal.entries.slice(at)) {
    fs.rmSync(path.join(folder, `${e.tag}.sql`));
    fs.rmSync(path.join(folder, "meta", `${String(e.idx).padStart(4, "0")}_snapshot.json`));
  }
  journal.entries = journal.entries.slice(0, at);
  fs.writeFileSync(journalPath, JSON.stringify(journal, null, 2));
  return folder;
}

const full: Header = {
  name: "参战参核军人生活补助",
  category: "一般性项目",
  finance_office_code: "005",
  finance_office_name: "社会保障科",
  budget_total: 256500,
  budget_local: 200000,
  budget_superior: 56500,
  overview: "<p>此笔款项为财政专项资金</p>",
  basis: "我委三定方案",
  schedule: "按季度发放",
  measures: "专款专用",
  mid_term_goal: "三年内覆盖全部对象",
  annual_goal: "按时足额发放",
};
const sparse: Header = { ...Object.fromEntries(HEADER_COLUMNS.map((c) => [c, null])), name: "只有名称的项目" } as Header;

let file = "";
const ids = { adjusted: 0, draft: 0, tables: [] as { id: number; project: "adjusted" | "draft" }[], departmentTable: 0 };

beforeAll(() => {
  file = path.join(dir, "old.db");
  const { sqlite, db } = openDatabase(file);
  migrate(db, { migrationsFolder: previousMigrations() });
  expect(sqlite.prepare("select count(*) as n from pragma_table_info('projects') where name = 'annual_goal'").get()).toEqual({ n: 1 });

  const region = sqlite.prepare("insert into regions (slug, name, current_year) values ('old', '旧库地区', 2026)").run().lastInsertRowid;
  const department = sqlite.prepare("insert into departments (region_id, code, name) values (?, '206', '经济和信息化委员会')").run(region).lastInsertRowid;
  const unit = sqlite.prepare("insert into units (region_id, department_id, code, name) values (?, ?, '206001', '本级')").run(region, department).lastInsertRowid;
  const insertProject = sqlite.prepare(
    `insert into projects (region_id, year, department_id, unit_id, code, ${HEADER_COLUMNS.join(", ")})
     values (?, 2026, ?, ?, ?, ${HEADER_COLUMNS.map(() => "?").join(", ")})`,
  );
  const insertTable = sqlite.prepare("insert into target_tables (region_id, project_id, department_target_id, version, status, is_current) values (?, ?, ?, ?, ?, ?)");
  const insertIndicator = sqlite.prepare("insert into indicators (table_id, position, name, weight) values (?, 0, '补助人数', 9000)");
  ids.adjusted = Number(insertProject.run(region, department, unit, "50011021T000000052342", ...HEADER_COLUMNS.map((c) => full[c])).lastInsertRowid);
  ids.draft = Number(insertProject.run(region, department, null, null, ...HEADER_COLUMNS.map((c) => sparse[c])).lastInsertRowid);
  // An adjusted project (v1 superseded, v2 approved, v3 an open draft) and a project with one draft.
  for (const [version, status, current] of [[1, "superseded", 0], [2, "approved", 1], [3, "draft", 0]] as const) {
    const id = Number(insertTable.run(region, ids.adjusted, null, version, status, current).lastInsertRowid);
    insertIndicator.run(id);
    ids.tables.push({ id, project: "adjusted" });
  }
  ids.tables.push({ id: Number(insertTable.run(region, ids.draft, null, 1, "draft", 1).lastInsertRowid), project: "draft" });
  const target = sqlite.prepare("insert into department_targets (region_id, year, department_id, budget) values (?, 2026, ?, 1000000)").run(region, department).lastInsertRowid;
  ids.departmentTable = Number(insertTable.run(region, null, target, 1, "approved", 1).lastInsertRowid);
  sqlite.close();
});

describe("migration to per-version project headers", () => {
  it("copies every header field of the project to every version, and nothing to 部门整体 tables", () => {
    const { sqlite, db } = openDatabase(file);
    try {
      migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
      const headers = sqlite.prepare(`select table_id, ${HEADER_COLUMNS.join(", ")} from project_headers order by table_id`).all() as (Header & { table_id: number })[];
      expect(headers.map((h) => h.table_id)).toEqual(ids.tables.map((t) => t.id));
      for (const t of ids.tables) {
        const { table_id: _, ...h } = headers.find((x) => x.table_id === t.id)!;
        expect(h).toEqual(t.project === "adjusted" ? full : sparse);
      }
      expect(sqlite.prepare("select count(*) as n from project_headers where table_id = ?").get(ids.departmentTable)).toEqual({ n: 0 });
    } finally {
      sqlite.close();
    }
  });

  it("keeps the identity and the list columns on projects, drops the rest, and leaves the rest of the data alone", () => {
    const { sqlite } = openDatabase(file);
    try {
      const columns = (sqlite.prepare("select name from pragma_table_info('projects')").all() as { name: string }[]).map((c) => c.name);
      expect(columns).toEqual(expect.arrayContaining(["region_id", "year", "department_id", "unit_id", "code", "name", "category", "budget_total"]));
      for (const gone of ["finance_office_code", "budget_local", "budget_superior", "overview", "basis", "schedule", "measures", "mid_term_goal", "annual_goal"]) {
        expect(columns).not.toContain(gone);
      }
      expect(sqlite.prepare("select code, name, category, budget_total from projects where id = ?").get(ids.adjusted)).toEqual({
        code: "50011021T000000052342",
        name: full.name,
        category: full.category,
        budget_total: full.budget_total,
      });
      expect(sqlite.prepare("select count(*) as n from indicators").get()).toEqual({ n: 3 });
      expect(sqlite.prepare("select version, status, is_current from target_tables where project_id = ? order by version").all(ids.adjusted)).toEqual([
        { version: 1, status: "superseded", is_current: 0 },
        { version: 2, status: "approved", is_current: 1 },
        { version: 3, status: "draft", is_current: 0 },
      ]);
      expect(sqlite.prepare("pragma foreign_key_check").all()).toEqual([]);
      expect(sqlite.prepare("pragma integrity_check").get()).toEqual({ integrity_check: "ok" });
    } finally {
      sqlite.close();
    }
  });
});
