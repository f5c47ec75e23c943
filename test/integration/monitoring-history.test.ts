// 监控情况 of a project page: projectMonitoringHistory gives each indicator's values per
// monitoring round of the project's year, in period order (not the order rounds were
// opened), and nothing for a project outside the user's scope. Real SQLite, real users.
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { CurrentUser } from "../../app/auth/types";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { validProjectTable } from "../helpers/tables";

const users: Record<string, CurrentUser> = {};
const cookies: Record<string, string> = {};
let projectId = 0;
let otherUnitProjectId = 0;
let quietProjectId = 0;

/** Five indicators (see validProjectTable): values for one round. */
function form(rows: Array<[string, string]>, executed: string) {
  return {
    budgetAnnual: "25.65",
    budgetExecuted: executed,
    rows: rows.map(([actual, projected]) => ({ actual, projected, likelihood: "确定能" })),
  };
}

beforeAll(async () => {
  await setupDatabase();
  const { db } = await import("../../db/client.server");
  const { regions, units } = await import("../../db/schema");
  const { commitImport } = await import("../../app/models/import.server");
  const { getSessionUser } = await import("../../app/auth/session.server");
  const { openRound, getRound } = await import("../../app/models/rounds.server");
  const { saveEntry } = await import("../../app/models/reports.server");

  const qijiang = db.select().from(regions).where(eq(regions.slug, "qijiang")).get()!;
  const actor = { id: null, regionId: qijiang.id };
  projectId = commitImport(actor, { year: 2026, mode: "approved", tables: [validProjectTable({ name: "历史测试项目", code: "HIS-1" })] }).created[0].id;
  quietProjectId = commitImport(actor, { year: 2026, mode: "approved", tables: [validProjectTable({ name: "未填报项目", code: "HIS-3" })] }).created[0].id;
  const first = db.select().from(units).where(eq(units.regionId, qijiang.id)).get()!;
  const second = db.insert(units).values({ regionId: qijiang.id, departmentId: first.departmentId, code: "206098", name: "历史测试第二单位" }).returning().get();
  otherUnitProjectId = commitImport(actor, {
    year: 2026,
    mode: "approved",
    tables: [validProjectTable({ name: "他单位历史项目", code: "HIS-2", unit: { code: second.code, name: second.name } })],
  }).created[0].id;

  for (const u of ["qijiang.unit", "qijiang.dept", "qijiang.finance", "nanan.finance"]) {
    cookies[u] = await login(u);
    users[u] = (await getSessionUser(makeRequest("/", { cookie: cookies[u] })))!;
  }
  const finance = users["qijiang.finance"];
  // Opened out of period order: Q3 first, then Q1.
  const ids: Record<string, number> = {};
  for (const period of ["Q3", "Q1"]) {
    const r = openRound(finance, { year: 2026, kind: "monitoring", period, opensOn: "2026-01-01", dueOn: "2099-12-31" });
    if (!r.ok) throw new Error(JSON.stringify(r));
    ids[period] = r.id;
  }
  const unit = users["qijiang.unit"];
  const q1 = getRound(finance, ids.Q1)!;
  const q3 = getRound(finance, ids.Q3)!;
  const save = (round: typeof q1, raw: unknown) => {
    const r = saveEntry(unit, round, { kind: "project", id: projectId }, { intent: "save", revision: null, raw });
    if (!r.ok) throw new Error(JSON.stringify(r));
  };
  // Q3 saved first (so insertion order is not period order).
  save(q3, form([["30", "39"], ["556", "556"], ["91", "92"], ["90", "91"], ["100", "100"]], "20"));
  save(q1, form([["10", "39"], ["556", "556"], ["88", "90"], ["85", "90"], ["100", "100"]], "5"));
  // The other unit's project has a report too: it must never show up for qijiang.unit.
  const other = { ...unit, unitId: second.id };
  const r = saveEntry(other, q1, { kind: "project", id: otherUnitProjectId }, { intent: "save", revision: null, raw: form([["1", "1"], ["1", "1"], ["1", "1"], ["1", "1"], ["1", "1"]], "1") });
  if (!r.ok) throw new Error(JSON.stringify(r));
});

describe("projectMonitoringHistory", () => {
  it("lists the rounds in period order with each indicator's target, cumulative value and projection", async () => {
    const { projectMonitoringHistory } = await import("../../app/models/monitoring-history.server");
    const h = projectMonitoringHistory(users["qijiang.unit"], projectId)!;
    expect(h.rounds.map((r) => r.period)).toEqual(["Q1", "Q3"]);
    expect(h.rounds.map((r) => r.status)).toEqual(["draft", "draft"]);
    expect(h.rounds[0].executionRate).toBeCloseTo((5 / 25.65) * 100, 2);
    expect(h.indicators.map((i) => i.name)).toEqual(["补助人数", "人均补助标准", "受益人群满意度", "补助政策知晓率", "每季度按时发放率"]);
    const first = h.indicators[0];
    expect(first).toMatchObject({ target: "39", operator: "≥", unit: "人" });
    expect(first.points.map((p) => p && [p.actual, p.projected, p.actualValue, p.projectedValue, p.targetValue])).toEqual([
      ["10", "39", 10, 39, 39],
      ["30", "39", 30, 39, 39],
    ]);
    expect(first.points.map((p) => p?.light)).toEqual(["green", "green"]);
    expect(h.indicators[2].points.map((p) => p?.light)).toEqual(["green", "green"]);
  });

  it("finance and the department see the same history; a project without entries has none", async () => {
    const { projectMonitoringHistory } = await import("../../app/models/monitoring-history.server");
    const unitView = projectMonitoringHistory(users["qijiang.unit"], projectId);
    expect(projectMonitoringHistory(users["qijiang.finance"], projectId)).toEqual(unitView);
    expect(projectMonitoringHistory(users["qijiang.dept"], projectId)).toEqual(unitView);
    expect(projectMonitoringHistory(users["qijiang.unit"], quietProjectId)).toEqual({ rounds: [], indicators: [] });
  });

  it("another unit's project, and another region's user, get nothing", async () => {
    const { projectMonitoringHistory } = await import("../../app/models/monitoring-history.server");
    expect(projectMonitoringHistory(users["qijiang.unit"], otherUnitProjectId)).toBeNull();
    expect(projectMonitoringHistory(users["qijiang.finance"], otherUnitProjectId)!.rounds.map((r) => r.period)).toEqual(["Q1"]);
    expect(projectMonitoringHistory(users["nanan.finance"], projectId)).toBeNull();
  });

  it("the project page carries the history (and stays a 404 for another unit)", async () => {
    const page = await import("../../app/routes/projects.$projectId");
    const res = await call(page.loader, makeRequest(`/projects/${projectId}`, { cookie: cookies["qijiang.unit"] }), { projectId: String(projectId) });
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(body.monitoring.rounds.map((r: { period: string }) => r.period)).toEqual(["Q1", "Q3"]);
    const foreign = await call(page.loader, makeRequest(`/projects/${otherUnitProjectId}`, { cookie: cookies["qijiang.unit"] }), { projectId: String(otherUnitProjectId) });
    expect(foreign.status).toBe(404);
  });
});

describe("监控情况 section", () => {
  it("renders the whole history as a table on the server (no JavaScript needed)", async () => {
    const { createElement } = await import("react");
    const { renderToString } = await import("react-dom/server");
    const { MemoryRouter } = await import("react-router-dom");
    const { MonitoringHistory } = await import("../../app/components/MonitoringHistory");
    const { projectMonitoringHistory } = await import("../../app/models/monitoring-history.server");
    const history = projectMonitoringHistory(users["qijiang.unit"], projectId)!;
    const html = renderToString(createElement(MemoryRouter, null, createElement(MonitoringHistory, { history })));
    const table = html.slice(html.indexOf("<table"), html.indexOf("</table>"));
    expect(table.indexOf("第一季度")).toBeLessThan(table.indexOf("第三季度"));
    expect(table).toContain(`href="/monitoring/${history.rounds[0].roundId}/p/${projectId}"`);
    // 补助人数 ≥ 39: 10 then 30 so far, 39 projected both times.
    const row = table.slice(table.indexOf("补助人数"), table.indexOf("</tr>", table.indexOf("补助人数")));
    expect(row.replace(/<!-- -->/g, "").match(/class="num">(\d+)/g)).toEqual(['class="num">10', 'class="num">39', 'class="num">30', 'class="num">39']);
    // The chart (ECharts, browser only) is not rendered on the server.
    expect(html).not.toContain("history-chart");
  });
});
