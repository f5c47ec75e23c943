// 结果应用 (issue 11 item 5): last year's approved self-evaluation feeds next year — the
// checker's below_last_actual (save, import preview/commit, table view, submit, rule-set
// re-check), 指标库 suggestions with last year's actuals, and 上年自评：差 on the project list
// and page. Same project = same code, else same name within the same unit; never across
// regions or units (app/models/results.server.ts).
import { beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { indicator, validProjectTable } from "../helpers/tables";
import { emptyProjectHeader, type ExchangeTable } from "../../app/domain/schemas";

const cookies: Record<string, string> = {};
const ids: Record<string, number> = {};
let qijiang = 0;
let nanan = 0;
let roundId = 0;

const U1 = { code: "206001", name: "重庆市綦江区经济和信息化委员会（本级）" };
const U2 = { code: "206002", name: "重庆市綦江区中小企业发展服务中心" };

/** A table whose first indicator is 补助人数 ≥ `target`. */
function table(year: number, name: string, code: string | null, unit: { code: string; name: string }, target = "100"): ExchangeTable {
  const t = validProjectTable({ year, code, project: { ...emptyProjectHeader(), code, name, budget: { total: 25.65, local: 25.65, superior: null } } });
  t.unit = unit;
  t.indicators[0] = indicator({ target });
  return t;
}

/** Files an evaluation of the project's approved table in the region's 2025 evaluation round. */
async function evaluation(projectId: number, status: "approved" | "pending_finance", grade: string, actuals: Record<string, string>) {
  const { db } = await import("../../db/client.server");
  const { indicators, projects, reportRows, reports, rounds, targetTables } = await import("../../db/schema");
  const project = db.select().from(projects).where(eq(projects.id, projectId)).get()!;
  let round = db
    .select()
    .from(rounds)
    .where(and(eq(rounds.regionId, project.regionId), eq(rounds.year, 2025), eq(rounds.kind, "evaluation")))
    .get();
  round ??= db
    .insert(rounds)
    .values({ regionId: project.regionId, year: 2025, kind: "evaluation", period: "Y", opensAt: new Date("2026-01-01"), dueAt: new Date("2026-03-31") })
    .returning()
    .get();
  const tableRow = db.select().from(targetTables).where(and(eq(targetTables.projectId, projectId), eq(targetTables.isCurrent, true))).get()!;
  const report = db
    .insert(reports)
    .values({
      regionId: project.regionId,
      roundId: round.id,
      projectId,
      departmentId: project.departmentId,
      unitId: project.unitId,
      tableId: tableRow.id,
      status,
      score: grade === "差" ? 5500 : 8500,
      grade,
      approvedAt: status === "approved" ? new Date() : null,
    })
    .returning()
    .get();
  const rows = db.select().from(indicators).where(eq(indicators.tableId, tableRow.id)).all();
  db.insert(reportRows)
    .values(rows.map((i) => ({ reportId: report.id, indicatorId: i.id, position: i.position, actual: actuals[i.name!] ?? null })))
    .run();
  return round.id;
}

async function financeUser(slug = "qijiang") {
  const { getSessionUser } = await import("../../app/auth/session.server");
  return (await getSessionUser(makeRequest("/", { cookie: cookies[`${slug}.finance`] })))!;
}

beforeAll(async () => {
  await setupDatabase();
  const { db } = await import("../../db/client.server");
  const { departments, projects, regions, units } = await import("../../db/schema");
  const { commitImport } = await import("../../app/models/import.server");
  qijiang = db.select().from(regions).where(eq(regions.slug, "qijiang")).get()!.id;
  nanan = db.select().from(regions).where(eq(regions.slug, "nanan")).get()!.id;
  const dept = db.select().from(departments).where(and(eq(departments.regionId, qijiang), eq(departments.code, "206"))).get()!;
  db.insert(units).values({ regionId: qijiang, departmentId: dept.id, ...U2 }).run();
  const system = { id: null, regionId: qijiang } as const;
  const created = (r: { created: { id: number }[] }) => r.created.map((c) => c.id);

  // 2025, approved tables and their self-evaluations.
  [ids.A, ids.B, ids.C, ids.D] = created(
    commitImport(system, {
      year: 2025,
      mode: "approved",
      tables: [
        table(2025, "结果应用项目", "RES-A", U1),
        table(2025, "无编码项目", null, U1),
        table(2025, "另一单位项目", null, U2),
        table(2025, "未审定项目", "RES-D", U1),
      ],
    }),
  );
  roundId = await evaluation(ids.A, "approved", "差", { 补助人数: "120", 受益人群满意度: "90" });
  await evaluation(ids.B, "approved", "良", { 补助人数: "80" });
  await evaluation(ids.C, "approved", "差", { 补助人数: "200" });
  // Not approved yet: its actuals and grade count nowhere.
  await evaluation(ids.D, "pending_finance", "差", { 补助人数: "500" });

  // 2026, drafts: same code (renamed), same name in the unit, same name in another unit.
  [ids.A26, ids.B26, ids.C26, ids.C26u2, ids.D26] = created(
    commitImport(system, {
      year: 2026,
      mode: "draft",
      tables: [
        table(2026, "结果应用项目（续）", "RES-A", U1),
        table(2026, "无编码项目", null, U1, "50"),
        table(2026, "另一单位项目（暂名）", null, U1, "100"),
        table(2026, "另一单位项目", null, U2, "100"),
        table(2026, "未审定项目", "RES-D", U1),
      ],
    }),
  );
  // The import takes a same-named project without a code in the same department for the
  // same project, so the U1 one is renamed afterwards.
  db.update(projects).set({ name: "另一单位项目" }).where(eq(projects.id, ids.C26)).run();
  // Another region, the same code.
  [ids.N26] = created(
    commitImport(
      { id: null, regionId: nanan },
      {
        year: 2026,
        mode: "draft",
        tables: [
          {
            ...table(2026, "结果应用项目", "RES-A", { code: "402001", name: "重庆市南岸区经济和信息化委员会（本级）" }),
            department: { code: "402", name: "重庆市南岸区经济和信息化委员会" },
          },
        ],
      },
    ),
  );
  for (const u of ["qijiang.unit", "qijiang.finance", "nanan.finance", "nanan.unit"]) cookies[u] = await login(u);
});

async function page(who: string, id: number) {
  const { loader } = await import("../../app/routes/projects.$projectId");
  return jsonOf(await call(loader, makeRequest(`/projects/${id}`, { cookie: cookies[who] }), { projectId: String(id) }));
}
async function post(who: string, id: number, form: Record<string, string>) {
  const { action } = await import("../../app/routes/projects.$projectId");
  return call(action, makeRequest(`/projects/${id}`, { cookie: cookies[who], form }), { projectId: String(id) });
}
const belowLast = (findings: { code: string; message: string }[]) => findings.filter((f) => f.code === "below_last_actual").map((f) => f.message);
const A_WARNING = "第 1 个指标「补助人数」的指标值 100 低于 2025 年实际完成值 120";

/** The editor's form of a table with 补助人数 ≥ target (the other rows as stored). */
function editorForm(intent: "save" | "submit", view: { table: { id: number; revision: number }; exchange: ExchangeTable }, target: string) {
  const form: Record<string, string> = { intent, tableId: String(view.table.id), revision: String(view.table.revision), budgetExecutionWeight: "10" };
  view.exchange.indicators.forEach((ind, i) => {
    const row = { ...ind, target: i === 0 ? target : ind.target };
    for (const k of ["level1", "level2", "name", "unit", "operator", "target"] as const) form[`indicators.${i}.${k}`] = row[k] ?? "";
    form[`indicators.${i}.weight`] = String(row.weight);
    form[`indicators.${i}.core`] = row.core ? "是" : "否";
  });
  return form;
}

describe("below_last_actual: next year's table warns under last year's actual", () => {
  it("same project code: the table view names last year's 120, the stored count includes it", async () => {
    const a = await page("qijiang.finance", ids.A26);
    expect(belowLast(a.view.findings)).toEqual([A_WARNING]);
    const d = await page("qijiang.finance", ids.D26);
    expect(belowLast(d.view.findings)).toEqual([]);
    // Same content, one more warning stored at import (commit) than the table without history.
    expect(a.view.table.warningCount).toBe(d.view.table.warningCount + 1);
  });

  it("matched by name within the unit when the code is missing", async () => {
    expect(belowLast((await page("qijiang.finance", ids.B26)).view.findings)).toEqual([
      "第 1 个指标「补助人数」的指标值 50 低于 2025 年实际完成值 80",
    ]);
    // 「另一单位项目」 was evaluated in U2 (200): the U1 project of that name is another project.
    expect(belowLast((await page("qijiang.finance", ids.C26)).view.findings)).toEqual([]);
    expect(belowLast((await page("qijiang.finance", ids.C26u2)).view.findings)).toEqual([
      "第 1 个指标「补助人数」的指标值 100 低于 2025 年实际完成值 200",
    ]);
  });

  it("never across regions, never from an evaluation not yet approved", async () => {
    expect(belowLast((await page("nanan.finance", ids.N26)).view.findings)).toEqual([]);
    expect(belowLast((await page("qijiang.finance", ids.D26)).view.findings)).toEqual([]);
  });

  it("the editor gets last year's actuals for its live findings; saving re-checks with them", async () => {
    let a = await page("qijiang.unit", ids.A26);
    expect(a.view.canEdit).toBe(true);
    expect(a.view.history).toHaveLength(1);
    expect(a.view.history[0].indicators.find((i: { name: string }) => i.name === "补助人数").actual).toBe("120");
    const warnings = a.view.table.warningCount;

    expect((await post("qijiang.unit", ids.A26, editorForm("save", a.view, "130"))).status).toBe(302);
    a = await page("qijiang.unit", ids.A26);
    expect(belowLast(a.view.findings)).toEqual([]);
    expect(a.view.table.warningCount).toBe(warnings - 1);

    expect((await post("qijiang.unit", ids.A26, editorForm("save", a.view, "110"))).status).toBe(302);
    a = await page("qijiang.unit", ids.A26);
    expect(belowLast(a.view.findings)).toEqual(["第 1 个指标「补助人数」的指标值 110 低于 2025 年实际完成值 120"]);
    expect(a.view.table.warningCount).toBe(warnings);
    expect((await post("qijiang.unit", ids.A26, editorForm("save", a.view, "100"))).status).toBe(302);
  });

  it("the import preview checks against last year too (by code; by name within the 编制单位)", async () => {
    const { previewImport } = await import("../../app/models/import.server");
    const items = previewImport(await financeUser(), 2026, [
      table(2026, "任意名称", "RES-A", U1),
      table(2026, "无编码项目", null, U1, "50"),
      table(2026, "无编码项目", null, U2, "50"),
    ]);
    expect(items.map((i) => belowLast(i.findings))).toEqual([
      [A_WARNING],
      ["第 1 个指标「补助人数」的指标值 50 低于 2025 年实际完成值 80"],
      [],
    ]);
  });

  it("a rule set making it an error re-checks open tables with the actuals, and blocks 提交审核", async () => {
    const { ruleSetFor, saveRuleSet } = await import("../../app/models/rulesets.server");
    const finance = await financeUser();
    const base = ruleSetFor(qijiang, 2026);
    const before = (await page("qijiang.finance", ids.A26)).view.table;
    const saved = saveRuleSet(finance, 2026, "chongqing-2024", { ...base, severities: { ...base.severities, below_last_actual: "error" } });
    expect(saved).toMatchObject({ ok: true });
    const after = (await page("qijiang.finance", ids.A26)).view.table;
    expect([after.errorCount, after.warningCount]).toEqual([before.errorCount + 1, before.warningCount - 1]);

    const a = await page("qijiang.unit", ids.A26);
    const res = await post("qijiang.unit", ids.A26, editorForm("submit", a.view, "100"));
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).reasons).toContain(A_WARNING);
    expect((await page("qijiang.unit", ids.A26)).view.table.status).toBe("draft");

    expect(saveRuleSet(finance, 2026, "chongqing-2024", base)).toMatchObject({ ok: true });
  });
});

describe("红灯预警: a project graded 差 last year is marked on next year's list and page", () => {
  async function list(who: string, query = "year=2026") {
    const { loader } = await import("../../app/routes/projects._index");
    return jsonOf(await call(loader, makeRequest(`/projects?${query}`, { cookie: cookies[who] })));
  }
  const lastYearByName = (body: { result: { rows: { id: number; lastYear: unknown }[] } }) =>
    Object.fromEntries(body.result.rows.map((r) => [r.id, r.lastYear]));

  it("the list: 差 by code and by name within the unit, with a link to that evaluation; not across units", async () => {
    const rows = lastYearByName(await list("qijiang.finance"));
    expect(rows[ids.A26]).toEqual({ year: 2025, grade: "差", score: 5500, href: `/evaluations/${roundId}/p/${ids.A}` });
    expect(rows[ids.C26u2]).toMatchObject({ grade: "差", href: `/evaluations/${roundId}/p/${ids.C}` });
    expect(rows[ids.B26]).toMatchObject({ grade: "良" });
    expect(rows[ids.C26]).toBeNull();
    // An evaluation under review is no result yet.
    expect(rows[ids.D26]).toBeNull();
  });

  it("the unit sees it on its own list too; another region's project of that code is not marked", async () => {
    const unit = lastYearByName(await list("qijiang.unit"));
    expect(unit[ids.A26]).toMatchObject({ grade: "差" });
    expect(lastYearByName(await list("nanan.finance"))[ids.N26]).toBeNull();
  });

  it("the project page carries it (banner 上年自评：差 linking to the evaluation)", async () => {
    expect((await page("qijiang.unit", ids.A26)).lastYear).toMatchObject({ grade: "差", href: `/evaluations/${roundId}/p/${ids.A}` });
    expect((await page("qijiang.finance", ids.C26)).lastYear).toBeNull();
    expect((await page("nanan.finance", ids.N26)).lastYear).toBeNull();
  });

  it("the page looks both up at once: the banner follows the project as stored, the checker's history the version's header", async () => {
    const { db } = await import("../../db/client.server");
    const { projects } = await import("../../db/schema");
    const { priorAndHistory } = await import("../../app/models/results.server");
    const row = (id: number) => db.select().from(projects).where(eq(projects.id, id)).get()!;
    const actual = (h: ExchangeTable[]) => h[0]?.indicators.find((i) => i.name === "补助人数")?.actual ?? null;
    const a: ExchangeTable = (await page("qijiang.unit", ids.A26)).view.exchange;
    const named = (t: ExchangeTable, code: string | null, name: string): ExchangeTable => ({ ...t, project: { ...t.project!, code, name } });

    const same = priorAndHistory(row(ids.A26), a);
    expect(same.lastYear).toMatchObject({ grade: "差", href: `/evaluations/${roundId}/p/${ids.A}` });
    expect(actual(same.history)).toBe("120");
    // The draft's header names B's project (no code, its name in U1): the history is B's, the banner still A's.
    const renamed = priorAndHistory(row(ids.A26), named(a, null, "无编码项目"));
    expect(renamed.lastYear).toMatchObject({ grade: "差" });
    expect(actual(renamed.history)).toBe("80");
    // And the other way round: B's project with a draft naming A's code.
    const b = priorAndHistory(row(ids.B26), named(a, "RES-A", "无编码项目"));
    expect(b.lastYear).toMatchObject({ grade: "良" });
    expect(actual(b.history)).toBe("120");
    // A header naming nothing evaluated: no history, the banner unchanged.
    expect(priorAndHistory(row(ids.A26), named(a, "RES-NONE", "没有的项目"))).toMatchObject({ lastYear: { grade: "差" }, history: [] });
  });

  it("one query per list page, not one per row: five rows run as many statements as one", async () => {
    const { sqlite } = await import("../../db/client.server");
    const statements = async (query: string) => {
      const spy = vi.spyOn(sqlite, "prepare");
      try {
        const body = await list("qijiang.finance", query);
        return { rows: body.result.rows.length, n: spy.mock.calls.length };
      } finally {
        spy.mockRestore();
      }
    };
    // Warm what is cached between requests (prepared statements, counts), then count. Both
    // lists search (a search runs its own statements to choose its plan), so only the number
    // of rows differs.
    await statements(`year=2026&q=${encodeURIComponent("项目")}`);
    await statements("year=2026&q=RES-A");
    const many = await statements(`year=2026&q=${encodeURIComponent("项目")}`);
    const one = await statements("year=2026&q=RES-A");
    expect([many.rows, one.rows]).toEqual([5, 1]);
    expect(many.n).toBe(one.n);
  });
});

describe("指标库: last year's actuals beside the targets", () => {
  async function suggest(who: string, query: string) {
    const { loader } = await import("../../app/routes/library.suggest");
    const body = await jsonOf(await call(loader, makeRequest(`/library/suggest?${query}`, { cookie: cookies[who] })));
    return body.suggestions as { name: string; source: string; median: string | null; lastYear: unknown }[];
  }
  const ACTUALS_2025 = { year: 2025, count: 3, unit: "人", median: "120", min: "80", max: "200" };

  beforeAll(async () => {
    const { db } = await import("../../db/client.server");
    const { libraryIndicators } = await import("../../db/schema");
    // A curated 补助人数 in both regions: nanan's suggestion exists but has no actuals.
    db.insert(libraryIndicators).values({ regionId: qijiang, name: "补助人数", unit: "人", operator: "≥" }).run();
    db.insert(libraryIndicators).values({ regionId: nanan, name: "补助人数", unit: "人", operator: "≥" }).run();
  });

  it("the suggestion JSON: median and range of the region's approved 2025 actuals (not the one under review)", async () => {
    const [s] = (await suggest("qijiang.unit", "q=补助人数")).filter((x) => x.name === "补助人数");
    expect(s).toMatchObject({ source: "curated", median: "100", lastYear: ACTUALS_2025 });
    // The year being filled can be given; 2026's evaluations are not there.
    const [later] = (await suggest("qijiang.unit", "q=补助人数&year=2027")).filter((x) => x.name === "补助人数");
    expect(later.lastYear).toBeNull();
    const [bad] = (await suggest("qijiang.unit", "q=补助人数&year=abc")).filter((x) => x.name === "补助人数");
    expect(bad.lastYear).toEqual(ACTUALS_2025);
  });

  it("never another region's", async () => {
    const [s] = (await suggest("nanan.unit", "q=补助人数&year=2026")).filter((x) => x.name === "补助人数");
    expect(s.lastYear).toBeNull();
  });

  it("the 指标库 page shows them for curated entries and for the most used names", async () => {
    const { loader } = await import("../../app/routes/library");
    const body = await jsonOf(await call(loader, makeRequest("/library?q=补助人数", { cookie: cookies["qijiang.finance"] })));
    expect(body.list.actualsYear).toBe(2025);
    expect(body.list.rows.map((r: { name: string; lastYear: unknown }) => [r.name, r.lastYear])).toEqual([["补助人数", ACTUALS_2025]]);
    expect(body.list.history.find((h: { name: string }) => h.name === "补助人数").lastYear).toEqual(ACTUALS_2025);
  });
});

describe("an approval feeds next year at once", () => {
  it("finance approves the evaluation under review: next year's open table is re-counted, the 指标库 follows", async () => {
    const { reviewEntry } = await import("../../app/models/reports.server");
    const { getRound } = await import("../../app/models/rounds.server");
    const finance = await financeUser();
    const before = (await page("qijiang.finance", ids.D26)).view.table;
    const result = reviewEntry(finance, getRound(finance, roundId, "evaluation")!, { kind: "project", id: ids.D }, { action: "approve", comment: "", rowComments: [], revision: null });
    expect(result).toMatchObject({ ok: true, status: "approved" });
    const after = await page("qijiang.finance", ids.D26);
    expect(belowLast(after.view.findings)).toEqual(["第 1 个指标「补助人数」的指标值 100 低于 2025 年实际完成值 500"]);
    // The stored count (the list's 问题 column) follows without a save.
    expect(after.view.table.warningCount).toBe(before.warningCount + 1);
    const { loader } = await import("../../app/routes/library.suggest");
    const body = await jsonOf(await call(loader, makeRequest("/library/suggest?q=补助人数", { cookie: cookies["qijiang.unit"] })));
    const s = body.suggestions.find((x: { name: string }) => x.name === "补助人数");
    expect(s.lastYear).toEqual({ year: 2025, count: 4, unit: "人", median: "160", min: "80", max: "500" });
  });
});
