// 监控: rounds, entries, review, 整改, through the real loaders and actions on real SQLite:
// every transition and refusal (wrong role, foreign region, closed round, locked entry,
// stale save → 409), and the overview's counts.
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { indicator, validProjectTable } from "../helpers/tables";

const cookies: Record<string, string> = {};
let projectId = 0;
let otherUnitProjectId = 0;
let deptTargetId = 0;
let roundId = 0;

beforeAll(async () => {
  await setupDatabase();
  const { db } = await import("../../db/client.server");
  const { regions, units } = await import("../../db/schema");
  const { commitImport } = await import("../../app/models/import.server");
  const qijiang = db.select().from(regions).where(eq(regions.slug, "qijiang")).get()!;
  const actor = { id: null, regionId: qijiang.id };
  const mine = commitImport(actor, { year: 2026, mode: "approved", tables: [validProjectTable({ name: "监控测试项目", code: "MON-1" })] });
  projectId = mine.created[0].id;
  const first = db.select().from(units).where(eq(units.regionId, qijiang.id)).get()!;
  const secondUnit = db.insert(units).values({ regionId: qijiang.id, departmentId: first.departmentId, code: "206099", name: "监控测试第二单位" }).returning().get();
  const other = commitImport(actor, {
    year: 2026,
    mode: "approved",
    tables: [validProjectTable({ name: "他单位项目", code: "MON-2", unit: { code: secondUnit.code, name: secondUnit.name } })],
  });
  otherUnitProjectId = other.created[0].id;
  const dept = commitImport(actor, {
    year: 2026,
    mode: "approved",
    tables: [
      {
        ...validProjectTable({ name: "x" }),
        kind: "department",
        project: null,
        overall: { budget: 100, midTermGoal: null, annualGoal: "部门整体目标" },
        budgetExecutionWeight: null,
        indicators: [indicator({ name: "服务企业数", weight: 50, core: null }), indicator({ level1: "效益指标", level2: "社会效益指标", name: "企业满意度", weight: 50, unit: "%", target: "90", core: null })],
      },
    ],
  });
  deptTargetId = dept.created[0].id;
  for (const u of ["qijiang.unit", "qijiang.dept", "qijiang.finance", "nanan.finance", "nanan.unit", "qijiang.admin"]) cookies[u] = await login(u);
});

async function route(path: string) {
  return import(`../../app/routes/${path}`);
}

async function openRound(who: string, form: Record<string, string>) {
  const { action } = await route("monitoring._index");
  return call(action, makeRequest("/monitoring", { cookie: cookies[who], form }));
}

const entryPath = (kind: "p" | "d", id: number) => `/monitoring/${roundId}/${kind}/${id}`;

async function entryGet(who: string, id = projectId, kind: "p" | "d" = "p") {
  const { loader } = await route(kind === "p" ? "monitoring.$roundId.p.$ownerId" : "monitoring.$roundId.d.$ownerId");
  return call(loader, makeRequest(entryPath(kind, id), { cookie: cookies[who] }), { roundId: String(roundId), ownerId: String(id) });
}

async function entryPost(who: string, form: Record<string, string | string[]>, id = projectId, kind: "p" | "d" = "p") {
  const { action } = await route(kind === "p" ? "monitoring.$roundId.p.$ownerId" : "monitoring.$roundId.d.$ownerId");
  return call(action, makeRequest(entryPath(kind, id), { cookie: cookies[who], form }), { roundId: String(roundId), ownerId: String(id) });
}

/** Entry form values: five indicators, the second one (人均补助标准 ≤ 556) off track. */
function entryForm(intent: string, revision: string, extra: Record<string, string | string[]> = {}) {
  const form: Record<string, string | string[]> = { intent, revision, budgetAnnual: "25.65", budgetExecuted: "12.9" };
  const rows = [
    { actual: "20", projected: "39", likelihood: "确定能" },
    { actual: "400", projected: "700", likelihood: "完全不可能" },
    { actual: "92", projected: "95", likelihood: "确定能" },
    { actual: "91", projected: "93", likelihood: "确定能" },
    { actual: "100", projected: "100", likelihood: "确定能" },
  ];
  rows.forEach((r, i) => {
    for (const [k, v] of Object.entries(r)) form[`rows.${i}.${k}`] = v;
  });
  return { ...form, ...extra };
}
const FIX_RED = { "rows.1.reasons": ["经费保障", "其他"], "rows.1.reasonText": "标准上调", "rows.1.measures": "申请调整预算" };

describe("监控任务", () => {
  it("only finance opens a round; the period must be allowed; errors keep the input", async () => {
    const denied = await openRound("qijiang.unit", { year: "2026", period: "Q2", opensOn: "2026-01-01", dueOn: "2099-07-15" });
    expect(denied.status).toBe(403);
    const bad = await openRound("qijiang.finance", { year: "2026", period: "M7", opensOn: "2026-01-01", dueOn: "2025-01-01" });
    expect(bad.status).toBe(400);
    const body = await jsonOf(bad);
    expect(body.errors.period).toMatch(/未启用/);
    expect(body.errors.dueOn).toBe("截止日期须晚于开始日期");
    expect(body.values).toMatchObject({ period: "M7", dueOn: "2025-01-01" });
    const ok = await openRound("qijiang.finance", { year: "2026", period: "Q2", opensOn: "2026-01-01", dueOn: "2099-07-15" });
    expect(ok.status).toBe(302);
    roundId = Number(ok.headers.get("Location")!.split("/").pop());
    const again = await openRound("qijiang.finance", { year: "2026", period: "Q2", opensOn: "2026-01-01", dueOn: "2099-07-15" });
    expect(again.status).toBe(409);
  });

  it("covers approved projects and 部门整体 tables; the unit sees only its own", async () => {
    const { loader } = await route("monitoring.$roundId._index");
    const fin = await jsonOf(await call(loader, makeRequest(`/monitoring/${roundId}`, { cookie: cookies["qijiang.finance"] }), { roundId: String(roundId) }));
    const names = fin.entries.rows.map((r: { name: string }) => r.name);
    expect(names).toEqual(expect.arrayContaining(["监控测试项目", "他单位项目"]));
    expect(fin.entries.rows.some((r: { kind: string }) => r.kind === "department")).toBe(true);
    const unit = await jsonOf(await call(loader, makeRequest(`/monitoring/${roundId}`, { cookie: cookies["qijiang.unit"] }), { roundId: String(roundId) }));
    expect(unit.entries.rows.map((r: { name: string }) => r.name)).toContain("监控测试项目");
    expect(unit.entries.rows.map((r: { name: string }) => r.name)).not.toContain("他单位项目");
  });

  it("another region's round, and another unit's entry, are 404", async () => {
    const { loader } = await route("monitoring.$roundId._index");
    const foreign = await call(loader, makeRequest(`/monitoring/${roundId}`, { cookie: cookies["nanan.finance"] }), { roundId: String(roundId) });
    expect(foreign.status).toBe(404);
    expect((await entryGet("nanan.unit")).status).toBe(404);
    expect((await entryGet("qijiang.unit", otherUnitProjectId)).status).toBe(404);
    expect((await entryPost("qijiang.unit", entryForm("save", ""), otherUnitProjectId)).status).toBe(404);
  });
});

describe("监控填报", () => {
  it("the entry page is prefilled with the approved budget and starts nothing on GET", async () => {
    const res = await entryGet("qijiang.unit");
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(body.form.budgetAnnual).toBe("25.65");
    expect(body.report).toBeNull();
    expect(body.canEdit).toBe(true);
    expect(body.indicators).toHaveLength(5);
  });

  it("提交监控 with a red indicator and no reasons is refused with the reasons, writes nothing and keeps the input", async () => {
    const res = await entryPost("qijiang.unit", entryForm("submit", ""));
    expect(res.status).toBe(400);
    const body = await jsonOf(res);
    expect(body.missing).toContain("第 2 个指标「人均补助标准」：红灯指标须选择偏差原因");
    expect(body.values.rows[1].projected).toBe("700");
    expect((await jsonOf(await entryGet("qijiang.unit"))).report).toBeNull();
  });

  it("bad numbers are a 400 with field errors; other roles may not fill", async () => {
    const res = await entryPost("qijiang.unit", entryForm("save", "", { budgetExecuted: "十二" }));
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).errors.budgetExecuted).toMatch(/应为数字/);
    expect((await entryPost("qijiang.dept", entryForm("save", ""))).status).toBe(403);
    expect((await entryPost("qijiang.finance", entryForm("save", ""))).status).toBe(403);
  });

  it("保存草稿 is always allowed; a stale revision is a 409 that writes nothing", async () => {
    const first = await entryPost("qijiang.unit", entryForm("save", ""));
    expect(first.status).toBe(302);
    const view = await jsonOf(await entryGet("qijiang.unit"));
    expect(view.report.status).toBe("draft");
    expect(view.report.red).toBe(1);
    expect(view.report.budgetLight).toBe("green");
    expect(view.form.rows[1].projected).toBe("700");
    const stale = await entryPost("qijiang.unit", entryForm("save", String(view.report.revision - 1), { budgetExecuted: "1" }));
    expect(stale.status).toBe(409);
    const again = await jsonOf(await entryGet("qijiang.unit"));
    expect(again.report.revision).toBe(view.report.revision);
    expect(again.form.budgetExecuted).toBe("12.9");
    // A second "first save" (no revision) after the report exists is stale too.
    expect((await entryPost("qijiang.unit", entryForm("save", ""))).status).toBe(409);
  });

  it("with reasons and measures it is submitted, then locked against every edit", async () => {
    const view = await jsonOf(await entryGet("qijiang.unit"));
    const res = await entryPost("qijiang.unit", entryForm("submit", String(view.report.revision), FIX_RED));
    expect(res.status).toBe(302);
    const after = await jsonOf(await entryGet("qijiang.unit"));
    expect(after.report.status).toBe("pending_department");
    expect(after.canEdit).toBe(false);
    expect(after.form.rows[1].reasons).toEqual(["经费保障", "其他"]);
    const locked = await entryPost("qijiang.unit", entryForm("save", String(after.report.revision), FIX_RED));
    expect(locked.status).toBe(409);
  });

  it("review: wrong role refused; return needs 审核意见; the unit fixes and resubmits; department and finance approve", async () => {
    let view = await jsonOf(await entryGet("qijiang.dept"));
    expect(view.reviewActions).toEqual(["approve", "return"]);
    expect((await entryPost("qijiang.finance", { intent: "approve", revision: String(view.report.revision) })).status).toBe(409);
    expect((await entryPost("qijiang.unit", { intent: "approve", revision: String(view.report.revision) })).status).toBe(403);
    expect((await entryPost("qijiang.dept", { intent: "return", comment: "", revision: String(view.report.revision) })).status).toBe(409);
    const ret = await entryPost("qijiang.dept", { intent: "return", comment: "请补充偏差原因", "rowComment.1": "说明标准调整依据", revision: String(view.report.revision) });
    expect(ret.status).toBe(302);
    view = await jsonOf(await entryGet("qijiang.unit"));
    expect(view.report.status).toBe("returned");
    expect(view.canEdit).toBe(true);
    expect(view.reviews[0]).toMatchObject({ action: "return", comment: "请补充偏差原因" });
    expect(JSON.parse(view.reviews[0].rowComments)).toEqual([{ position: 1, comment: "说明标准调整依据" }]);
    const re = await entryPost("qijiang.unit", entryForm("submit", String(view.report.revision), { ...FIX_RED, "rows.1.reasonText": "2026 年补助标准上调至 700 元" }));
    expect(re.status).toBe(302);
    view = await jsonOf(await entryGet("qijiang.dept"));
    expect((await entryPost("qijiang.dept", { intent: "approve", comment: "", revision: String(view.report.revision) })).status).toBe(302);
    view = await jsonOf(await entryGet("qijiang.finance"));
    expect(view.status).toBe("pending_finance");
    expect((await entryPost("qijiang.finance", { intent: "approve", comment: "同意", revision: String(view.report.revision - 1) })).status).toBe(409);
    expect((await entryPost("qijiang.finance", { intent: "approve", comment: "同意", revision: String(view.report.revision) })).status).toBe(302);
    view = await jsonOf(await entryGet("qijiang.unit"));
    expect(view.status).toBe("approved");
    expect(view.canEdit).toBe(false);
  });

  it("every change is audited once", async () => {
    const { db } = await import("../../db/client.server");
    const { auditEvents } = await import("../../db/schema");
    const view = await jsonOf(await entryGet("qijiang.unit"));
    const events = db.select().from(auditEvents).where(eq(auditEvents.entityId, view.report.id)).all().filter((e) => e.entity === "report");
    expect(events.map((e) => e.action)).toEqual(["save_draft", "submit", "return", "submit", "approve", "approve"]);
  });
});

describe("整改", () => {
  it("finance issues a 整改通知 on the red project; the unit answers; finance returns then closes it", async () => {
    expect((await entryPost("qijiang.dept", { intent: "rectify", requirement: "x", dueOn: "2026-08-01" })).status).toBe(403);
    const bad = await entryPost("qijiang.finance", { intent: "rectify", requirement: "", dueOn: "2026-02-30" });
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).errors).toMatchObject({ requirement: "请填写整改要求", dueOn: "请填写整改期限（年-月-日）" });
    expect((await entryPost("qijiang.finance", { intent: "rectify", requirement: "说明补助标准调整并报送调整申请", dueOn: "2026-08-01" })).status).toBe(302);
    const { loader } = await route("monitoring._index");
    const unitHome = await jsonOf(await call(loader, makeRequest("/monitoring", { cookie: cookies["qijiang.unit"] })));
    expect(unitHome.todo.rectifications).toHaveLength(1);
    let view = await jsonOf(await entryGet("qijiang.unit"));
    const rect = view.rectifications[0];
    expect(rect.status).toBe("open");
    expect((await entryPost("qijiang.finance", { intent: "rect-close", rectId: String(rect.id), revision: String(rect.revision) })).status).toBe(409);
    expect((await entryPost("qijiang.unit", { intent: "rect-answer", rectId: String(rect.id), answer: "", revision: String(rect.revision) })).status).toBe(400);
    expect((await entryPost("qijiang.unit", { intent: "rect-answer", rectId: String(rect.id), answer: "已报送调整申请", revision: String(rect.revision) })).status).toBe(302);
    const finHome = await jsonOf(await call(loader, makeRequest("/monitoring", { cookie: cookies["qijiang.finance"] })));
    expect(finHome.todo.rectifications.map((r: { id: number }) => r.id)).toEqual([rect.id]);
    view = await jsonOf(await entryGet("qijiang.finance"));
    let r = view.rectifications[0];
    expect((await entryPost("qijiang.finance", { intent: "rect-return", rectId: String(r.id), note: "", revision: String(r.revision) })).status).toBe(400);
    expect((await entryPost("qijiang.finance", { intent: "rect-return", rectId: String(r.id), note: "请附调整文件", revision: String(r.revision) })).status).toBe(302);
    view = await jsonOf(await entryGet("qijiang.unit"));
    r = view.rectifications[0];
    expect(r).toMatchObject({ status: "open", financeNote: "请附调整文件" });
    expect((await entryPost("qijiang.unit", { intent: "rect-answer", rectId: String(r.id), answer: "已附调整文件", revision: String(r.revision) })).status).toBe(302);
    r = (await jsonOf(await entryGet("qijiang.finance"))).rectifications[0];
    expect((await entryPost("qijiang.finance", { intent: "rect-close", rectId: String(r.id), note: "", revision: String(r.revision) })).status).toBe(302);
    expect((await jsonOf(await entryGet("qijiang.unit"))).rectifications[0].status).toBe("closed");
  });

  it("a report without red cannot get a 整改通知", async () => {
    const { db } = await import("../../db/client.server");
    const { reports } = await import("../../db/schema");
    // The department fills its 部门整体 entry, all green.
    const form = { intent: "save", revision: "", budgetAnnual: "100", budgetExecuted: "50", "rows.0.actual": "20", "rows.0.projected": "39", "rows.0.likelihood": "确定能", "rows.1.actual": "90", "rows.1.projected": "95", "rows.1.likelihood": "确定能" };
    expect((await entryPost("qijiang.dept", form, deptTargetId, "d")).status).toBe(302);
    expect((await entryPost("qijiang.unit", form, deptTargetId, "d")).status).toBe(404);
    const rep = db.select().from(reports).where(eq(reports.departmentTargetId, deptTargetId)).get()!;
    expect(rep.red).toBe(0);
    expect((await entryPost("qijiang.finance", { intent: "rectify", requirement: "x", dueOn: "2026-08-01" }, deptTargetId, "d")).status).toBe(409);
  });
});

describe("overview", () => {
  it("counts per department, red items and drill-down filters", async () => {
    const { loader } = await route("monitoring.$roundId._index");
    const get = async (q = "") => jsonOf(await call(loader, makeRequest(`/monitoring/${roundId}${q}`, { cookie: cookies["qijiang.finance"] }), { roundId: String(roundId) }));
    const all = await get();
    const d = all.overview.departments[0];
    expect(d.approved).toBe(1);
    expect(d.indicators.red).toBe(1);
    expect(all.red.indicators.map((r: { indicatorName: string }) => r.indicatorName)).toEqual(["人均补助标准"]);
    expect(all.scatter.timeProgress).toBe(50);
    const red = await get(`?department=${d.departmentId}&light=indicator_red`);
    expect(red.entries.rows.map((r: { name: string }) => r.name)).toEqual(["监控测试项目"]);
    const notStarted = await get("?status=not_started");
    expect(notStarted.entries.rows.map((r: { name: string }) => r.name)).toEqual(["他单位项目"]);
    const junk = await get("?status=zzz&light=%27&department=abc&page=1e300");
    expect(junk.entries.total).toBe(all.entries.total);
  });
});

describe("close and reopen", () => {
  it("a closed round refuses entries; finance reopens it for one project with a reason (audited)", async () => {
    const { action } = await route("monitoring.$roundId._index");
    const post = (who: string, form: Record<string, string>) => call(action, makeRequest(`/monitoring/${roundId}`, { cookie: cookies[who], form }), { roundId: String(roundId) });
    expect((await post("qijiang.dept", { intent: "close" })).status).toBe(403);
    expect((await post("qijiang.finance", { intent: "close" })).status).toBe(302);
    const { loader: unitLoader } = await route("monitoring.$roundId.p.$ownerId");
    void unitLoader;
    const refused = await entryPost("qijiang.dept", { intent: "save", revision: "", budgetAnnual: "100", budgetExecuted: "60" }, deptTargetId, "d");
    expect(refused.status).toBe(409);
    const noReason = await post("qijiang.finance", { intent: "reopen", target: `d:${deptTargetId}`, reason: " ", dueOn: "" });
    expect(noReason.status).toBe(400);
    expect((await post("qijiang.finance", { intent: "reopen", target: `p:999999`, reason: "补报", dueOn: "" })).status).toBe(400);
    expect((await post("qijiang.finance", { intent: "reopen", target: `d:${deptTargetId}`, reason: "部门整体补报", dueOn: "2099-12-31" })).status).toBe(302);
    const view = await jsonOf(await entryGet("qijiang.dept", deptTargetId, "d"));
    expect(view.entryOpen).toBe(true);
    const saved = await entryPost("qijiang.dept", { intent: "save", revision: String(view.report.revision), budgetAnnual: "100", budgetExecuted: "60" }, deptTargetId, "d");
    expect(saved.status).toBe(302);
    // The reopening covers only that owner.
    expect((await jsonOf(await entryGet("qijiang.unit", projectId))).entryOpen).toBe(false);
    const { db } = await import("../../db/client.server");
    const { auditEvents } = await import("../../db/schema");
    const actions = db.select().from(auditEvents).where(eq(auditEvents.entity, "round")).all().map((e) => e.action);
    expect(actions).toEqual(["open", "close", "reopen"]);
  });
});

describe("工作台 and 待办", () => {
  it("a unit sees entries due with the days left; overdue entries are marked; reviewers see what waits", async () => {
    const { loader } = await route("_index");
    const home = async (who: string) => (await jsonOf(await call(loader, makeRequest("/", { cookie: cookies[who] })))).monitoring;
    // An open round whose deadline has passed: its entries are overdue.
    expect((await openRound("qijiang.finance", { year: "2026", period: "Q1", opensOn: "2026-01-01", dueOn: "2026-01-02" })).status).toBe(302);
    const unit = await home("qijiang.unit");
    const due = unit.toFill.find((e: { name: string }) => e.name === "监控测试项目");
    expect(due).toMatchObject({ roundLabel: "第一季度（1–3月）", overdue: true, dueOn: "2026-01-02" });
    expect(due.daysLeft).toBeLessThan(0);
    expect(unit.toFill.every((e: { href: string }) => !e.href.includes("/d/"))).toBe(true);
    // The department's own 部门整体 entry is on its list, its units' projects are not.
    const dept = await home("qijiang.dept");
    expect(dept.toFill.map((e: { href: string }) => e.href.includes("/d/"))).toEqual([true]);
    // Nothing waits for finance's review now; finance fills nothing.
    const fin = await home("qijiang.finance");
    expect(fin.toFill).toEqual([]);
    expect(fin.review).toBe(0);
  });
});
