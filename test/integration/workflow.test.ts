// The whole workflow through the project page's loader and action, with real Requests:
// every transition, every refusal (wrong role, wrong state, foreign region, locked table),
// adjustments with their diff, and concurrent saves.
import { beforeAll, describe, expect, it } from "vitest";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";

type Row = { level1: string; level2: string; name: string; weight: string; unit: string; operator: string; target: string; core: string };

const GOOD: Row[] = [
  { level1: "产出指标", level2: "数量指标", name: "补助人数", weight: "30", unit: "人", operator: "≥", target: "39", core: "是" },
  { level1: "产出指标", level2: "时效指标", name: "按时发放率", weight: "20", unit: "%", operator: "=", target: "100", core: "是" },
  { level1: "效益指标", level2: "社会效益指标", name: "补助政策知晓率", weight: "30", unit: "%", operator: "≥", target: "90", core: "否" },
  { level1: "满意度指标", level2: "服务对象满意度指标", name: "受益人群满意度", weight: "10", unit: "%", operator: "≥", target: "90", core: "否" },
];

function editorForm(intent: "save" | "submit", tableId: number, revision: number, rows: Row[], extra: Record<string, string> = {}) {
  const form: Record<string, string> = { intent, tableId: String(tableId), revision: String(revision), budgetExecutionWeight: "10", ...extra };
  rows.forEach((r, i) => {
    for (const [k, v] of Object.entries(r)) form[`indicators.${i}.${k}`] = v;
  });
  return form;
}

const cookies: Record<string, string> = {};
let projectId = 0;

async function page(who: string, version?: number) {
  const { loader } = await import("../../app/routes/projects.$projectId");
  const res = await call(loader, makeRequest(`/projects/${projectId}${version ? `?version=${version}` : ""}`, { cookie: cookies[who] }), {
    projectId: String(projectId),
  });
  return { status: res.status, body: res.status === 200 ? await jsonOf(res) : null };
}

async function post(who: string, form: Record<string, string>, id = projectId) {
  const { action } = await import("../../app/routes/projects.$projectId");
  const res = await call(action, makeRequest(`/projects/${id}`, { cookie: cookies[who], form }), { projectId: String(id) });
  return { status: res.status, location: res.headers.get("Location"), body: res.status >= 400 && res.headers.get("Content-Type")?.includes("json") ? await res.json() : null };
}

async function current(who = "unit") {
  const { body } = await page(who);
  return body.view.table as { id: number; revision: number; status: string; version: number };
}

beforeAll(async () => {
  await setupDatabase();
  for (const role of ["unit", "dept", "finance", "admin"]) cookies[role] = await login(`qijiang.${role}`);
  cookies.nananDept = await login("nanan.dept");
  cookies.nananFinance = await login("nanan.finance");
  const { action } = await import("../../app/routes/projects.new");
  const res = await call(action, makeRequest("/projects/new", { cookie: cookies.unit, form: { name: "参战参核军人生活补助", code: "50011021T000000052342", category: "一般性项目", budgetTotal: "25.65", budgetLocal: "25.65", budgetSuperior: "", overview: "", basis: "", annualGoal: "" } }));
  expect(res.status).toBe(302);
  projectId = Number(res.headers.get("Location")!.split("/").pop());
});

describe("新建项目", () => {
  it("only unit users may create projects", async () => {
    const { loader } = await import("../../app/routes/projects.new");
    expect((await call(loader, makeRequest("/projects/new", { cookie: cookies.finance }))).status).toBe(403);
  });

  it("a bad header keeps every typed value and names the field (400)", async () => {
    const { action } = await import("../../app/routes/projects.new");
    const res = await call(action, makeRequest("/projects/new", { cookie: cookies.unit, form: { name: "", code: "X 1", budgetTotal: "abc", overview: "保留我" } }));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors).toMatchObject({ name: "请填写项目名称", budgetTotal: "当年预算须为数字（万元）" });
    expect(body.errors.code).toMatch(/项目编码/);
    expect(body.values).toMatchObject({ code: "X 1", budgetTotal: "abc", overview: "保留我" });
  });

  it("the new project starts as a draft the unit can edit, in the unit's scope", async () => {
    const { body } = await page("unit");
    expect(body.view.table).toMatchObject({ status: "draft", version: 1 });
    expect(body.view.canEdit).toBe(true);
    expect(body.view.headerEditable).toBe(true);
    expect(body.project).toMatchObject({ budgetTotal: 256500, year: 2026 });
    expect((await page("nananDept")).status).toBe(404);
  });
});

describe("fill, check, submit", () => {
  it("保存草稿 is allowed with errors; 提交审核 is refused while errors remain, listing them", async () => {
    let t = await current();
    const bad = GOOD.map((r, i) => (i === 0 ? { ...r, weight: "25" } : r));
    const saved = await post("unit", editorForm("save", t.id, t.revision, bad));
    expect(saved.status).toBe(302);
    t = await current();
    expect(t.status).toBe("draft");
    const refused = await post("unit", editorForm("submit", t.id, t.revision, bad));
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/不能提交审核/);
    expect(refused.body.reasons.join("\n")).toContain("指标权重合计 85，应为 90");
    expect(refused.body.values.indicators[0].weight).toBe("25");
    expect((await current()).status).toBe("draft");
  });

  it("text in a weight cell is kept as typed and reported, not lost", async () => {
    const t = await current();
    await post("unit", editorForm("save", t.id, t.revision, GOOD.map((r, i) => (i === 1 ? { ...r, weight: "二十" } : r))));
    const { body } = await page("unit");
    expect(body.view.editorDefaults.indicators[1].weight).toBe("二十");
    expect(body.view.findings.some((f: { code: string }) => f.code === "weight_invalid")).toBe(true);
  });

  it("over-long input is a 400 with the values kept", async () => {
    const t = await current();
    const res = await post("unit", editorForm("save", t.id, t.revision, [{ ...GOOD[0], name: "长".repeat(101) }]));
    expect(res.status).toBe(400);
    expect(res.body.errors["indicators.0.name"]).toMatch(/不能超过 100/);
    expect(res.body.values.indicators[0].name).toHaveLength(101);
  });

  it("a corrected table is submitted to the department", async () => {
    const t = await current();
    const res = await post("unit", editorForm("submit", t.id, t.revision, GOOD));
    expect(res.status).toBe(302);
    expect((await current()).status).toBe("pending_department");
  });

  it("a submitted table cannot be edited, even by a hand-made POST", async () => {
    const t = await current();
    const res = await post("unit", editorForm("save", t.id, t.revision, GOOD.slice(0, 1)));
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/不能修改/);
    const { body } = await page("unit");
    expect(body.view.exchange.indicators).toHaveLength(4);
  });
});

describe("department review", () => {
  it("refuses the wrong roles and a return without 审核意见", async () => {
    const t = await current();
    expect((await post("unit", { intent: "approve", tableId: String(t.id) })).status).toBe(400);
    const fin = await post("finance", { intent: "approve", tableId: String(t.id), rating: "优" });
    expect(fin.status).toBe(400);
    expect(fin.body.message).toMatch(/只能由主管部门审核/);
    expect((await post("admin", { intent: "approve", tableId: String(t.id) })).status).toBe(403);
    const noComment = await post("dept", { intent: "return", tableId: String(t.id), comment: " " });
    expect(noComment.status).toBe(400);
    expect(noComment.body.message).toBe("退回修改须填写审核意见");
  });

  it("another region's department gets 404 for this table", async () => {
    const t = await current();
    expect((await post("nananDept", { intent: "approve", tableId: String(t.id) })).status).toBe(404);
    // Even when posted to their own region's project URL, the foreign table id is unknown:
    // a 南岸 project, submitted so that its department could approve its own table.
    const nananUnit = await login("nanan.unit");
    const { action: create } = await import("../../app/routes/projects.new");
    const created = await call(create, makeRequest("/projects/new", { cookie: nananUnit, form: { name: "南岸区外地表测试项目", budgetTotal: "10" } }));
    expect(created.status).toBe(302);
    const ownId = Number(created.headers.get("Location")!.split("/").pop());
    const { loader } = await import("../../app/routes/projects.$projectId");
    const ownPage = async () => (await jsonOf(await call(loader, makeRequest(`/projects/${ownId}`, { cookie: cookies.nananDept }), { projectId: String(ownId) }))).view.table;
    const ownTable = await ownPage();
    cookies.nananUnit = nananUnit;
    const submitted = await post("nananUnit", editorForm("submit", ownTable.id, ownTable.revision, GOOD), ownId);
    expect(submitted.status).toBe(302);
    expect((await ownPage()).status).toBe("pending_department");

    expect((await post("nananDept", { intent: "approve", tableId: String(t.id) }, ownId)).status).toBe(404);
    expect((await current()).status).toBe("pending_department");
    // The same request with their own table goes through: the 404 above is the foreign id.
    expect((await post("nananDept", { intent: "approve", tableId: String(ownTable.id) }, ownId)).status).toBe(302);
    expect((await ownPage()).status).toBe("pending_finance");
  });

  it("returns the table with a comment and per-indicator comments; the unit sees them", async () => {
    const t = await current();
    const res = await post("dept", { intent: "return", tableId: String(t.id), comment: "满意度目标偏低", "indicatorComment.3": "建议不低于 95" });
    expect(res.status).toBe(302);
    const { body } = await page("unit");
    expect(body.view.table.status).toBe("returned");
    expect(body.view.canEdit).toBe(true);
    const review = body.view.reviews[0];
    expect(review).toMatchObject({ action: "return", comment: "满意度目标偏低", toStatus: "returned" });
    expect(JSON.parse(review.indicatorComments)).toEqual([{ position: 3, comment: "建议不低于 95" }]);
  });

  it("the unit fixes and resubmits; the department approves to finance", async () => {
    let t = await current();
    const fixed = GOOD.map((r, i) => (i === 3 ? { ...r, target: "95" } : r));
    expect((await post("unit", editorForm("submit", t.id, t.revision, fixed))).status).toBe(302);
    t = await current();
    expect(t.status).toBe("pending_department");
    expect((await post("dept", { intent: "approve", tableId: String(t.id), comment: "同意" })).status).toBe(302);
    expect((await current()).status).toBe("pending_finance");
  });
});

describe("finance review", () => {
  it("needs a rating; 中 cannot be approved, 差 cannot be returned", async () => {
    const t = await current();
    expect((await post("finance", { intent: "approve", tableId: String(t.id) })).body.message).toMatch(/须给出审核评级/);
    expect((await post("finance", { intent: "approve", tableId: String(t.id), rating: "中" })).body.message).toMatch(/须退回修改/);
    expect((await post("finance", { intent: "return", tableId: String(t.id), rating: "差", comment: "x" })).body.message).toMatch(/不予安排/);
    expect((await post("finance", { intent: "reject", tableId: String(t.id), rating: "良", comment: "x" })).status).toBe(400);
    expect((await post("dept", { intent: "approve", tableId: String(t.id) })).status).toBe(400);
    expect((await current()).status).toBe("pending_finance");
  });

  it("approves with a rating: the table is 已批复 and locked against every route", async () => {
    const t = await current();
    expect((await post("finance", { intent: "approve", tableId: String(t.id), rating: "良", comment: "批复" })).status).toBe(302);
    const after = await current();
    expect(after.status).toBe("approved");
    const { body } = await page("unit");
    expect(body.view.canEdit).toBe(false);
    expect(body.view.table.rating).toBe("良");
    // Hand-made POSTs: save, submit, approve again, return.
    expect((await post("unit", editorForm("save", t.id, after.revision, GOOD))).status).toBe(409);
    expect((await post("unit", editorForm("submit", t.id, after.revision, GOOD))).status).toBe(409);
    expect((await post("finance", { intent: "approve", tableId: String(t.id), rating: "优" })).status).toBe(400);
    expect((await post("finance", { intent: "return", tableId: String(t.id), comment: "再改" })).status).toBe(400);
    expect((await current()).status).toBe("approved");
  });
});

describe("申请调整", () => {
  it("only the unit, with a reason", async () => {
    const t = await current();
    expect((await post("finance", { intent: "request_adjustment", tableId: String(t.id), comment: "x" })).status).toBe(400);
    expect((await post("unit", { intent: "request_adjustment", tableId: String(t.id), comment: "" })).body.message).toMatch(/调整理由/);
  });

  it("creates version 2 as a draft; version 1 stays approved and current until v2 is approved", async () => {
    const v1 = await current();
    const res = await post("unit", { intent: "request_adjustment", tableId: String(v1.id), comment: "补助人数调整" });
    expect(res.status).toBe(302);
    expect(res.location).toMatch(/version=2$/);
    const { body } = await page("unit");
    expect(body.versions.map((v: { version: number; status: string; isCurrent: boolean }) => [v.version, v.status, v.isCurrent])).toEqual([
      [2, "draft", false],
      [1, "approved", true],
    ]);
    // The adjustment edits its own header, but not the project code (docs/decisions/026).
    expect(body.view.headerEditable).toBe(true);
    expect(body.view.codeEditable).toBe(false);
    // A second adjustment while one is open is refused.
    expect((await post("unit", { intent: "request_adjustment", tableId: String(v1.id), comment: "再调" })).status).toBe(409);
    // The list still shows the approved version.
    const list = await import("../../app/routes/projects._index");
    const rows = (await jsonOf(await call(list.loader, makeRequest("/projects", { cookie: cookies.finance })))).result.rows;
    expect(rows.find((r: { id: number }) => r.id === projectId)).toMatchObject({ status: "approved", version: 1 });
  });

  it("the adjusted version goes through review; approval supersedes v1; the diff shows the change", async () => {
    const v2 = await current();
    const changed = GOOD.map((r, i) => (i === 0 ? { ...r, target: "45" } : i === 3 ? { ...r, target: "95" } : r));
    expect((await post("unit", editorForm("submit", v2.id, v2.revision, changed))).status).toBe(302);
    expect((await post("dept", { intent: "approve", tableId: String(v2.id) })).status).toBe(302);
    expect((await post("finance", { intent: "approve", tableId: String(v2.id), rating: "优" })).status).toBe(302);
    const { body } = await page("finance", 2);
    expect(body.versions.map((v: { version: number; status: string; isCurrent: boolean }) => [v.version, v.status, v.isCurrent])).toEqual([
      [2, "approved", true],
      [1, "superseded", false],
    ]);
    expect(body.view.diff.changed).toEqual([{ name: "补助人数", changes: [{ field: "target", before: "39", after: "45" }] }]);
  });
});

describe("不予安排", () => {
  it("finance rejects with 差 and a comment; the table is locked", async () => {
    const { action } = await import("../../app/routes/projects.new");
    const created = await call(action, makeRequest("/projects/new", { cookie: cookies.unit, form: { name: "被否项目", budgetTotal: "10" } }));
    const id = Number(created.headers.get("Location")!.split("/").pop());
    const saved = projectId;
    projectId = id;
    let t = await current();
    expect((await post("unit", editorForm("submit", t.id, t.revision, GOOD))).status).toBe(302);
    expect((await post("dept", { intent: "approve", tableId: String(t.id) })).status).toBe(302);
    expect((await post("finance", { intent: "reject", tableId: String(t.id), rating: "差", comment: "" })).body.message).toMatch(/审核意见/);
    expect((await post("finance", { intent: "reject", tableId: String(t.id), rating: "差", comment: "绩效目标不明确" })).status).toBe(302);
    t = await current();
    expect(t.status).toBe("rejected");
    expect((await post("unit", editorForm("save", t.id, t.revision, GOOD))).status).toBe(409);
    expect((await post("unit", { intent: "request_adjustment", tableId: String(t.id), comment: "x" })).status).toBe(400);
    projectId = saved;
  });
});

describe("concurrent edits", () => {
  it("the second save with a stale revision gets a conflict, keeps its input and writes nothing", async () => {
    const { action } = await import("../../app/routes/projects.new");
    const created = await call(action, makeRequest("/projects/new", { cookie: cookies.unit, form: { name: "并发项目" } }));
    const id = Number(created.headers.get("Location")!.split("/").pop());
    const saved = projectId;
    projectId = id;
    const t = await current();
    const first = await post("unit", editorForm("save", t.id, t.revision, GOOD));
    expect(first.status).toBe(302);
    const second = await post("unit", editorForm("save", t.id, t.revision, [{ ...GOOD[0], name: "另一人的修改" }]));
    expect(second.status).toBe(409);
    expect(second.body.conflict).toBe(true);
    expect(second.body.message).toMatch(/他人已保存/);
    expect(second.body.values.indicators[0].name).toBe("另一人的修改");
    const { body } = await page("unit");
    expect(body.view.exchange.indicators.map((i: { name: string }) => i.name)).toEqual(GOOD.map((r) => r.name));
    projectId = saved;
  });
});

describe("region setting: no department stage", () => {
  it("submission goes straight to finance", async () => {
    const { db } = await import("../../db/client.server");
    const { regions } = await import("../../db/schema");
    const { eq } = await import("drizzle-orm");
    db.update(regions).set({ skipDepartmentReview: true }).where(eq(regions.slug, "qijiang")).run();
    const { action } = await import("../../app/routes/projects.new");
    const created = await call(action, makeRequest("/projects/new", { cookie: cookies.unit, form: { name: "直送财政" } }));
    const saved = projectId;
    projectId = Number(created.headers.get("Location")!.split("/").pop());
    const t = await current();
    expect((await post("unit", editorForm("submit", t.id, t.revision, GOOD))).status).toBe(302);
    expect((await current()).status).toBe("pending_finance");
    db.update(regions).set({ skipDepartmentReview: false }).where(eq(regions.slug, "qijiang")).run();
    projectId = saved;
  });
});

describe("audit", () => {
  it("every save and transition is in the audit log with before and after", async () => {
    const audit = await import("../../app/routes/audit");
    const log = await jsonOf(await call(audit.loader, makeRequest("/audit?entity=table", { cookie: cookies.finance })));
    const actions = log.result.rows.map((r: { action: string }) => r.action);
    for (const a of ["save_draft", "submit", "approve", "return", "reject", "request_adjustment"]) expect(actions).toContain(a);
    const approve = log.result.rows.find((r: { action: string }) => r.action === "approve");
    expect(JSON.parse(approve.before)).toHaveProperty("status");
    expect(JSON.parse(approve.after)).toHaveProperty("status");
  });
});
