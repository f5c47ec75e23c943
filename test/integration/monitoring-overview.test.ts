// A round's overview reads only what a page shows (monitoring-overview.server.ts): 红灯事项
// (redItems) one department at a time and only the rows of the first reports with red, the
// entry list (listRoundEntries) only the departments its page falls in. The lists must still
// be exactly the first items in (department name, project name) order, across departments,
// page after page, and only within the user's scope.
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { CurrentUser } from "../../app/auth/types";
import type { Round } from "../../app/models/rounds.server";
import { login, makeRequest, setupDatabase } from "../helpers/app";
import { validProjectTable } from "../helpers/tables";

let finance: CurrentUser;
let round: Round;
const deptUsers: Record<string, CurrentUser> = {};

/** Five rows (validProjectTable): row 1 red when `red`, budget red when `budgetRed` (Q2: 序时进度 50%). */
function entry(red: boolean, budgetRed: boolean) {
  const row = (actual: string, projected: string) => ({ actual, projected, likelihood: "确定能" });
  return {
    budgetAnnual: "100",
    budgetExecuted: budgetRed ? "10" : "50",
    budgetReason: budgetRed ? "资金未拨付" : "",
    budgetMeasures: budgetRed ? "加快拨付" : "",
    rows: [
      row("20", "39"),
      red ? { actual: "700", projected: "900", likelihood: "完全不可能", reasons: ["经费保障"], reasonText: "标准上调", measures: "调整预算" } : row("556", "556"),
      row("90", "90"),
      row("90", "90"),
      row("100", "100"),
    ],
  };
}

beforeAll(async () => {
  await setupDatabase();
  const { db } = await import("../../db/client.server");
  const { departments, regions, units } = await import("../../db/schema");
  const { commitImport } = await import("../../app/models/import.server");
  const { getSessionUser } = await import("../../app/auth/session.server");
  const { openRound, getRound } = await import("../../app/models/rounds.server");
  const { saveEntry } = await import("../../app/models/reports.server");
  const qijiang = db.select().from(regions).where(eq(regions.slug, "qijiang")).get()!;
  finance = (await getSessionUser(makeRequest("/", { cookie: await login("qijiang.finance") })))!;
  const unitUser = (await getSessionUser(makeRequest("/", { cookie: await login("qijiang.unit") })))!;
  const deptUser = (await getSessionUser(makeRequest("/", { cookie: await login("qijiang.dept") })))!;
  const opened = openRound(finance, { year: 2026, kind: "monitoring", period: "Q2", opensOn: "2026-01-01", dueOn: "2099-12-31" });
  if (!opened.ok) throw new Error(JSON.stringify(opened));
  round = getRound(finance, opened.id)!;

  // Departments named so that their order by name differs from their order of creation.
  const plan: Array<{ dept: string; projects: Array<[string, boolean, boolean]> }> = [
    { dept: "丙部门", projects: [["丙-甲", true, true]] },
    { dept: "乙部门", projects: [["乙-乙", true, false], ["乙-甲", true, true], ["乙-丙", false, false]] },
    { dept: "丁部门", projects: [["丁-甲", false, true]] },
  ];
  // Sixty more, unstarted, so the entry list has two pages that cut through 乙部门.
  plan[1].projects.push(...Array.from({ length: 60 }, (_, i): [string, boolean, boolean] => [`乙-${String(i).padStart(2, "0")}`, false, false]));
  for (const [n, d] of plan.entries()) {
    const dept = db.insert(departments).values({ regionId: qijiang.id, code: `9${n}0`, name: d.dept }).returning().get();
    const unit = db.insert(units).values({ regionId: qijiang.id, departmentId: dept.id, code: `9${n}0001`, name: `${d.dept}本级` }).returning().get();
    const filler: CurrentUser = { ...unitUser, departmentId: dept.id, unitId: unit.id };
    deptUsers[d.dept] = { ...deptUser, departmentId: dept.id };
    for (const [i, [name, red, budgetRed]] of d.projects.entries()) {
      const table = validProjectTable({ name, code: `RED-${n}-${i}`, department: { code: dept.code, name: dept.name }, unit: { code: unit.code, name: unit.name } });
      const id = commitImport({ id: null, regionId: qijiang.id }, { year: 2026, mode: "approved", tables: [table] }).created[0].id;
      if (/\d/.test(name)) continue;
      const saved = saveEntry(filler, round, { kind: "project", id }, { intent: "save", revision: null, raw: entry(red, budgetRed) });
      if (!saved.ok) throw new Error(JSON.stringify(saved));
    }
  }
});

describe("redItems", () => {
  it("lists red indicators and red budgets in department-name, then project-name order, across departments", async () => {
    const { redItems } = await import("../../app/models/monitoring-overview.server");
    const all = redItems(finance, round);
    // 丁 < 丙 < 乙 by code point: the order SQLite's default collation gives.
    expect(all.indicators.map((r) => r.name)).toEqual(["丙-甲", "乙-乙", "乙-甲"]);
    expect(all.indicators.every((r) => r.indicatorName === "人均补助标准")).toBe(true);
    expect(all.budget.map((b) => b.name)).toEqual(["丁-甲", "丙-甲", "乙-甲"]);
  });

  it("a limit cuts each list after its first items, wherever they fall", async () => {
    const { redItems } = await import("../../app/models/monitoring-overview.server");
    const two = redItems(finance, round, 2);
    expect(two.indicators.map((r) => r.name)).toEqual(["丙-甲", "乙-乙"]);
    expect(two.budget.map((b) => b.name)).toEqual(["丁-甲", "丙-甲"]);
    const one = redItems(finance, round, 1);
    expect(one.indicators.map((r) => r.name)).toEqual(["丙-甲"]);
    expect(one.budget.map((b) => b.name)).toEqual(["丁-甲"]);
  });

  it("a department sees only its own", async () => {
    const { redItems } = await import("../../app/models/monitoring-overview.server");
    const mine = redItems(deptUsers["乙部门"], round);
    expect(mine.indicators.map((r) => r.name)).toEqual(["乙-乙", "乙-甲"]);
    expect(mine.budget.map((b) => b.name)).toEqual(["乙-甲"]);
    expect(redItems(deptUsers["丁部门"], round).indicators).toEqual([]);
  });
});

describe("listRoundEntries", () => {
  it("pages through every owner in (department name, name) order, the total counted once", async () => {
    const { listRoundEntries } = await import("../../app/models/monitoring-overview.server");
    const first = listRoundEntries(finance, round, { page: 1 });
    const second = listRoundEntries(finance, round, { page: 2 });
    expect(first.total).toBe(65);
    expect(second.total).toBe(65);
    expect(first.rows).toHaveLength(50);
    expect(second.rows).toHaveLength(15);
    const seen = [...first.rows, ...second.rows].map((r) => `${r.departmentName}/${r.name}`);
    // Code-point order, as SQLite compares text.
    expect(seen).toEqual([...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set(seen).size).toBe(65);
    expect(seen.slice(0, 3)).toEqual(["丁部门/丁-甲", "丙部门/丙-甲", "乙部门/乙-00"]);
    expect(seen.at(-1)).toBe("乙部门/乙-甲");
    expect(listRoundEntries(finance, round, { page: 3 }).rows).toEqual([]);
  });

  it("filters keep their count and page: the started entries, a department's own", async () => {
    const { listRoundEntries } = await import("../../app/models/monitoring-overview.server");
    const started = listRoundEntries(finance, round, { status: "draft" });
    expect(started.total).toBe(5);
    expect(started.rows.map((r) => r.name)).toEqual(["丁-甲", "丙-甲", "乙-丙", "乙-乙", "乙-甲"]);
    const mine = listRoundEntries(deptUsers["丙部门"], round, { page: 1 });
    expect(mine.total).toBe(1);
    expect(mine.rows.map((r) => r.name)).toEqual(["丙-甲"]);
  });
});
