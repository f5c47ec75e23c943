// The project header belongs to each version of the table (docs/decisions/026), through the
// real loaders and actions: 申请调整 → edit the header → submit → review → approve; the diff
// shows the header change; lists, exports and the exchange JSON show the version in force;
// monitoring and self-evaluation read the budget of the version their entry is pinned to.
import { beforeAll, describe, expect, it } from "vitest";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { importTables, validProjectTable } from "../helpers/tables";

const cookies: Record<string, string> = {};
let projectId = 0;
let q2 = 0;
let evaluationRound = 0;
const NAME = "版本表头测试项目";
const NEW_NAME = "版本表头测试项目（年中调整）";
const CODE = "HDR-0001";

const route = (path: string) => import(`../../app/routes/${path}`);

async function page(who: string, version?: number) {
  const { loader } = await route("projects.$projectId");
  const res = await call(loader, makeRequest(`/projects/${projectId}${version ? `?version=${version}` : ""}`, { cookie: cookies[who] }), { projectId: String(projectId) });
  expect(res.status).toBe(200);
  return jsonOf(res);
}

async function post(who: string, form: Record<string, string>) {
  const { action } = await route("projects.$projectId");
  const res = await call(action, makeRequest(`/projects/${projectId}`, { cookie: cookies[who], form }), { projectId: String(projectId) });
  return { status: res.status, body: res.status >= 400 ? await jsonOf(res) : null };
}

/** The editor's post: the stored indicators unchanged, and the header as given. */
function editorForm(intent: "save" | "submit", table: { id: number; revision: number }, header: Record<string, string>) {
  const form: Record<string, string> = { intent, tableId: String(table.id), revision: String(table.revision), budgetExecutionWeight: "10" };
  validProjectTable().indicators.forEach((ind, i) => {
    const cells = { level1: ind.level1, level2: ind.level2, name: ind.name, weight: String(ind.weight), unit: ind.unit ?? "", operator: ind.operator ?? "", target: ind.target ?? "", core: ind.core ? "是" : "否" };
    for (const [k, v] of Object.entries(cells)) form[`indicators.${i}.${k}`] = v ?? "";
  });
  for (const [k, v] of Object.entries(header)) form[`header.${k}`] = v;
  return form;
}

async function entry(kind: "monitoring" | "evaluations", roundId: number, form?: Record<string, string>) {
  const mod = await route(`${kind}.$roundId.p.$ownerId`);
  const path = `/${kind}/${roundId}/p/${projectId}`;
  const params = { roundId: String(roundId), ownerId: String(projectId) };
  if (form) return call(mod.action, makeRequest(path, { cookie: cookies["qijiang.unit"], form }), params);
  return call(mod.loader, makeRequest(path, { cookie: cookies["qijiang.unit"] }), params);
}

async function openRound(kind: "monitoring" | "evaluations", form: Record<string, string>): Promise<number> {
  const { action } = await route(`${kind}._index`);
  const res = await call(action, makeRequest(`/${kind}`, { cookie: cookies["qijiang.finance"], form }));
  expect(res.status).toBe(302);
  return Number(res.headers.get("Location")!.split("/").pop());
}

async function exported(version?: number) {
  const { getProjectExport } = await import("../../app/models/export.server");
  const { getSessionUser } = await import("../../app/auth/session.server");
  const user = (await getSessionUser(makeRequest("/", { cookie: cookies["qijiang.finance"] })))!;
  return getProjectExport(user, projectId, version)!.table;
}

async function listRow() {
  const { loader } = await route("projects._index");
  const rows = (await jsonOf(await call(loader, makeRequest(`/projects?q=${encodeURIComponent("版本表头")}`, { cookie: cookies["qijiang.finance"] })))).result.rows;
  return rows.find((r: { id: number }) => r.id === projectId);
}

beforeAll(async () => {
  await setupDatabase();
  const table = validProjectTable({ name: NAME, code: CODE });
  table.project = { ...table.project!, annualGoal: "按时足额发放补助", midTermGoal: "三年内覆盖全部对象", schedule: "按季度发放" };
  [projectId] = await importTables([table]);
  for (const u of ["qijiang.unit", "qijiang.dept", "qijiang.finance"]) cookies[u] = await login(u);
});

describe("entries started on version 1", () => {
  it("monitoring and self-evaluation prefill the approved version's 当年预算", async () => {
    q2 = await openRound("monitoring", { year: "2026", period: "Q2", opensOn: "2026-01-01", dueOn: "2099-07-15" });
    expect((await jsonOf(await entry("monitoring", q2))).form.budgetAnnual).toBe("25.65");
    // Saved without a 全年预算数: the entry is pinned to version 1, and its prefill stays that version's.
    expect((await entry("monitoring", q2, { intent: "save", revision: "", budgetAnnual: "", budgetExecuted: "" })).status).toBe(302);
    evaluationRound = await openRound("evaluations", { year: "2026", opensOn: "2026-01-01", dueOn: "2099-03-31" });
    const ev = await jsonOf(await entry("evaluations", evaluationRound));
    expect(ev.budgetInitial).toBe(25.65);
    expect((await entry("evaluations", evaluationRound, { intent: "save", revision: "", budgetAnnual: "", budgetExecuted: "", summary: "" })).status).toBe(302);
  });
});

describe("申请调整 changes the header", () => {
  it("the adjustment's editor offers the header (the code read-only), prefilled from version 1", async () => {
    const v1 = (await page("qijiang.unit")).view.table;
    expect((await post("qijiang.unit", { intent: "request_adjustment", tableId: String(v1.id), comment: "年中追加上级补助" })).status).toBe(302);
    const { view } = await page("qijiang.unit", 2);
    expect(view.table).toMatchObject({ version: 2, status: "draft" });
    expect(view.headerEditable).toBe(true);
    expect(view.codeEditable).toBe(false);
    expect(view.editorDefaults.header).toMatchObject({ name: NAME, code: CODE, budgetTotal: "25.65", budgetLocal: "25.65", budgetSuperior: "", midTermGoal: "三年内覆盖全部对象" });
  });

  it("submits the changed header; version 1 stays in force (lists, exports) until approval", async () => {
    const { view } = await page("qijiang.unit", 2);
    const header = {
      ...view.editorDefaults.header,
      name: NEW_NAME,
      code: "FORGED-1",
      category: "重点专项",
      budgetTotal: "30",
      budgetSuperior: "4.35",
      annualGoal: "按时足额发放补助，新增对象全部覆盖",
    };
    const res = await post("qijiang.unit", editorForm("submit", view.table, header));
    expect(res.body).toBeNull();
    expect(res.status).toBe(302);
    const v2 = (await page("qijiang.unit", 2)).view;
    expect(v2.table.status).toBe("pending_department");
    expect(v2.exchange.project).toMatchObject({ name: NEW_NAME, code: CODE, category: "重点专项", budget: { total: 30, local: 25.65, superior: 4.35 } });
    // Fields the editor does not show are carried over from version 1.
    expect(v2.exchange.project.schedule).toBe("按季度发放");
    const v1 = (await page("qijiang.unit", 1)).view;
    expect(v1.exchange.project).toMatchObject({ name: NAME, budget: { total: 25.65, local: 25.65, superior: null }, annualGoal: "按时足额发放补助" });
    expect(await listRow()).toMatchObject({ name: NAME, budgetTotal: 256500, category: "一般性项目", version: 1 });
    expect((await exported()).project).toMatchObject({ name: NAME, budget: { total: 25.65 } });
  });

  it("after review and approval the header of version 2 is in force, and the diff lists its changes", async () => {
    const t = (await page("qijiang.dept", 2)).view.table;
    expect((await post("qijiang.dept", { intent: "approve", tableId: String(t.id) })).status).toBe(302);
    expect((await post("qijiang.finance", { intent: "approve", tableId: String(t.id), rating: "优" })).status).toBe(302);
    const body = await page("qijiang.finance");
    expect(body.view.table).toMatchObject({ version: 2, status: "approved", isCurrent: true });
    expect(body.project).toMatchObject({ name: NEW_NAME, code: CODE, category: "重点专项", budgetTotal: 300000 });
    expect(body.view.diff.header).toEqual([
      { field: "name", before: NAME, after: NEW_NAME },
      { field: "category", before: "一般性项目", after: "重点专项" },
      { field: "budgetTotal", before: 25.65, after: 30 },
      { field: "budgetSuperior", before: null, after: 4.35 },
      { field: "annualGoal", before: "按时足额发放补助", after: "按时足额发放补助，新增对象全部覆盖" },
    ]);
    expect(body.view.diff.changed).toEqual([]);
    // Version 1 keeps its own header.
    expect((await page("qijiang.finance", 1)).view.exchange.project).toMatchObject({ name: NAME, budget: { total: 25.65 } });
  });

  it("the list, its search and the exports show the version in force", async () => {
    expect(await listRow()).toMatchObject({ name: NEW_NAME, budgetTotal: 300000, category: "重点专项", version: 2 });
    expect((await exported()).project).toMatchObject({ code: CODE, name: NEW_NAME, budget: { total: 30, local: 25.65, superior: 4.35 } });
    expect((await exported(1)).project).toMatchObject({ code: CODE, name: NAME, budget: { total: 25.65, superior: null } });
  });
});

describe("entries read the budget of their version", () => {
  it("entries pinned to version 1 keep its 当年预算", async () => {
    const mon = await jsonOf(await entry("monitoring", q2));
    expect(mon.table.version).toBe(1);
    expect(mon.form.budgetAnnual).toBe("25.65");
    const ev = await jsonOf(await entry("evaluations", evaluationRound));
    expect(ev.table.version).toBe(1);
    expect(ev.budgetInitial).toBe(25.65);
  });

  it("an entry started after the adjustment prefills the adjusted 当年预算", async () => {
    const q3 = await openRound("monitoring", { year: "2026", period: "Q3", opensOn: "2026-01-01", dueOn: "2099-10-15" });
    const mon = await jsonOf(await entry("monitoring", q3));
    expect(mon.table.version).toBe(2);
    expect(mon.form.budgetAnnual).toBe("30");
  });
});
