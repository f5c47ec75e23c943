// 绩效自评 through the real loaders and actions: open the task, fill with the official scores,
// refusals (wrong role, foreign region, closed task, locked evaluation, missing explanations,
// deduction without reason, stale save → 409), review and finance's deduction, the overview.
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { indicator, validProjectTable } from "../helpers/tables";

const cookies: Record<string, string> = {};
let projectId = 0;
let roundId = 0;

beforeAll(async () => {
  await setupDatabase();
  const { db } = await import("../../db/client.server");
  const { regions } = await import("../../db/schema");
  const { commitImport } = await import("../../app/models/import.server");
  const qijiang = db.select().from(regions).where(eq(regions.slug, "qijiang")).get()!;
  const table = validProjectTable({
    name: "自评测试项目",
    code: "EVAL-1",
    indicators: [
      indicator({ name: "补助人数", weight: 40, operator: "≥", target: "40", unit: "人", core: true }),
      indicator({ level1: "效益指标", level2: "社会效益指标", name: "政策知晓度", weight: 30, operator: "定性", target: "好", unit: null, core: true }),
      indicator({ level1: "满意度指标", level2: "服务对象满意度指标", name: "受益人群满意度", weight: 20, unit: "%", operator: "≥", target: "90", core: true }),
    ],
  });
  projectId = commitImport({ id: null, regionId: qijiang.id }, { year: 2026, mode: "approved", tables: [table] }).created[0].id;
  for (const u of ["qijiang.unit", "qijiang.dept", "qijiang.finance", "nanan.finance", "nanan.unit"]) cookies[u] = await login(u);
});

const route = (path: string) => import(`../../app/routes/${path}`);
const entryPath = () => `/evaluations/${roundId}/p/${projectId}`;
async function get(who: string) {
  const { loader } = await route("evaluations.$roundId.p.$ownerId");
  return call(loader, makeRequest(entryPath(), { cookie: cookies[who] }), { roundId: String(roundId), ownerId: String(projectId) });
}
async function post(who: string, form: Record<string, string>) {
  const { action } = await route("evaluations.$roundId.p.$ownerId");
  return call(action, makeRequest(entryPath(), { cookie: cookies[who], form }), { roundId: String(roundId), ownerId: String(projectId) });
}
function form(intent: string, revision: string, extra: Record<string, string> = {}) {
  return {
    intent,
    revision,
    budgetAnnual: "25.65",
    budgetExecuted: "23.085",
    summary: "年度目标基本完成",
    "rows.0.actual": "36",
    "rows.1.actual": "部分达成",
    "rows.1.percent": "75",
    "rows.2.actual": "95",
    ...extra,
  };
}
const EXPLAIN = { "rows.0.explanation": "部分对象迁出", "rows.1.explanation": "宣传覆盖不足，明年加强" };

describe("自评任务", () => {
  it("finance opens the year's self-evaluation once; others may not", async () => {
    const { action } = await route("evaluations._index");
    const open = (who: string) => call(action, makeRequest("/evaluations", { cookie: cookies[who], form: { year: "2026", opensOn: "2026-01-01", dueOn: "2099-03-31" } }));
    expect((await open("qijiang.unit")).status).toBe(403);
    const ok = await open("qijiang.finance");
    expect(ok.status).toBe(302);
    roundId = Number(ok.headers.get("Location")!.split("/").pop());
    expect((await open("qijiang.finance")).status).toBe(409);
    const { loader } = await route("evaluations._index");
    const list = await jsonOf(await call(loader, makeRequest("/evaluations", { cookie: cookies["qijiang.unit"] })));
    expect(list.rounds.map((r: { label: string }) => r.label)).toEqual(["年度自评"]);
    expect(list.todo.toFill.map((e: { name: string }) => e.name)).toContain("自评测试项目");
  });
  it("a foreign region and a monitoring URL do not reach it", async () => {
    expect((await get("nanan.unit")).status).toBe(404);
    const { loader } = await route("monitoring.$roundId._index");
    expect((await call(loader, makeRequest(`/monitoring/${roundId}`, { cookie: cookies["qijiang.finance"] }), { roundId: String(roundId) })).status).toBe(404);
  });
});

describe("绩效自评", () => {
  it("the page is prefilled with the approved budget and shows the scoring inputs", async () => {
    const body = await jsonOf(await get("qijiang.unit"));
    expect(body.form.budgetAnnual).toBe("25.65");
    expect(body.budgetExecutionWeight).toBe(10);
    expect(body.evaluationIndicators.map((i: { weight: number }) => i.weight)).toEqual([40, 30, 20]);
    expect(body.canEdit).toBe(true);
  });
  it("提交自评 is refused while explanations are missing; input kept; nothing written", async () => {
    const res = await post("qijiang.unit", form("submit", ""));
    expect(res.status).toBe(400);
    const body = await jsonOf(res);
    expect(body.missing).toEqual([
      "第 1 个指标「补助人数」：未得满分，须填写偏差原因分析及改进措施",
      "第 2 个指标「政策知晓度」：未得满分，须填写偏差原因分析及改进措施",
    ]);
    expect(body.values.rows[1]).toMatchObject({ actual: "部分达成", percent: "75" });
    expect((await jsonOf(await get("qijiang.unit"))).report).toBeNull();
  });
  it("saves a draft with the server's scores; a stale save is a 409", async () => {
    expect((await post("qijiang.unit", form("save", ""))).status).toBe(302);
    const body = await jsonOf(await get("qijiang.unit"));
    // budget 23.085/25.65 = 90% × 10 = 9; 36/40 × 40 = 36; 75% × 30 = 22.5; 20 → 87.5
    expect(body.report.score).toBe(8750);
    expect(body.report.grade).toBe("良");
    expect(body.form.rows[1]).toMatchObject({ actual: "部分达成", percent: "75" });
    expect((await post("qijiang.unit", form("save", String(body.report.revision + 1)))).status).toBe(409);
    expect((await post("qijiang.dept", form("save", String(body.report.revision)))).status).toBe(403);
  });
  it("with explanations it is submitted and locked", async () => {
    const rev = (await jsonOf(await get("qijiang.unit"))).report.revision;
    expect((await post("qijiang.unit", form("submit", String(rev), EXPLAIN))).status).toBe(302);
    const body = await jsonOf(await get("qijiang.unit"));
    expect(body.status).toBe("pending_department");
    expect(body.canEdit).toBe(false);
    expect((await post("qijiang.unit", form("save", String(body.report.revision), EXPLAIN))).status).toBe(409);
  });
  it("the department approves; finance deducts with a reason (never without) and approves", async () => {
    let body = await jsonOf(await get("qijiang.dept"));
    expect((await post("qijiang.finance", { intent: "adjust", position: "2", score: "15", reason: "x", revision: String(body.report.revision) })).status).toBe(409);
    expect((await post("qijiang.dept", { intent: "approve", comment: "", revision: String(body.report.revision) })).status).toBe(302);
    body = await jsonOf(await get("qijiang.finance"));
    expect(body.canAdjust).toBe(true);
    const noReason = await post("qijiang.finance", { intent: "adjust", position: "2", score: "15", reason: " ", revision: String(body.report.revision) });
    expect(noReason.status).toBe(400);
    expect((await jsonOf(noReason)).errors.reason).toBe("调整分数须说明理由");
    const tooHigh = await post("qijiang.finance", { intent: "adjust", position: "2", score: "25", reason: "超出", revision: String(body.report.revision) });
    expect((await jsonOf(tooHigh)).errors.score).toBe("调整后的分数应在 0 到 20 之间");
    expect((await post("qijiang.dept", { intent: "adjust", position: "2", score: "15", reason: "x", revision: String(body.report.revision) })).status).toBe(403);
    const ok = await post("qijiang.finance", { intent: "adjust", position: "2", score: "15", reason: "满意度调查样本不足", revision: String(body.report.revision) });
    expect(ok.status).toBe(302);
    body = await jsonOf(await get("qijiang.finance"));
    expect(body.report.score).toBe(8250);
    expect(body.adjustments[0]).toMatchObject({ position: 2, before: 2000, after: 1500, reason: "满意度调查样本不足" });
    expect(body.overrides).toEqual([{ indicator: 2, score: "15", reason: "满意度调查样本不足" }]);
    expect((await post("qijiang.finance", { intent: "approve", comment: "同意", revision: String(body.report.revision) })).status).toBe(302);
    body = await jsonOf(await get("qijiang.unit"));
    expect(body.status).toBe("approved");
    expect(body.report.grade).toBe("良");
    expect(body.canAdjust).toBe(false);
  });
  it("the deduction is in the audit log with before, after and reason", async () => {
    const { db } = await import("../../db/client.server");
    const { auditEvents } = await import("../../db/schema");
    const e = db.select().from(auditEvents).where(eq(auditEvents.action, "adjust_score")).get()!;
    expect(JSON.parse(e.after!)).toMatchObject({ position: 2, score: 1500, reason: "满意度调查样本不足", total: 8250, grade: "良" });
  });
});

describe("overview", () => {
  it("grades, averages, deductions and drill-down by grade", async () => {
    const { loader } = await route("evaluations.$roundId._index");
    const load = async (q = "") => jsonOf(await call(loader, makeRequest(`/evaluations/${roundId}${q}`, { cookie: cookies["qijiang.finance"] }), { roundId: String(roundId) }));
    const all = await load();
    expect(all.grades.region).toMatchObject({ grades: { 优: 0, 良: 1, 中: 0, 差: 0 }, count: 1, average: 82.5 });
    expect(all.deductions.adjustments[0]).toMatchObject({ name: "自评测试项目", before: 2000, after: 1500 });
    expect(all.deductions.rows.map((r: { indicatorName: string; lost: number }) => [r.indicatorName, r.lost])).toEqual([
      ["政策知晓度", 750],
      ["受益人群满意度", 500],
      ["补助人数", 400],
    ]);
    const good = await load("?grade=良");
    expect(good.entries.rows.map((r: { name: string }) => r.name)).toEqual(["自评测试项目"]);
    expect(good.entries.rows[0].href).toBe(`/evaluations/${roundId}/p/${projectId}`);
    expect((await load("?grade=差")).entries.total).toBe(0);
  });
});

describe("工作台", () => {
  it("shows the self-evaluation 待办 beside monitoring's", async () => {
    const { loader } = await route("_index");
    const body = await jsonOf(await call(loader, makeRequest("/", { cookie: cookies["qijiang.finance"] })));
    expect(body.evaluation).toMatchObject({ toFill: [], review: 0 });
    expect(body.monitoring.toFill).toEqual([]);
  });
});

describe("部门整体 self-evaluation", () => {
  it("is filled by the department and goes straight to finance", async () => {
    const { db } = await import("../../db/client.server");
    const { regions } = await import("../../db/schema");
    const { commitImport } = await import("../../app/models/import.server");
    const qijiang = db.select().from(regions).where(eq(regions.slug, "qijiang")).get()!;
    const dept = commitImport(
      { id: null, regionId: qijiang.id },
      {
        year: 2026,
        mode: "approved",
        tables: [
          {
            ...validProjectTable({ name: "x" }),
            kind: "department",
            project: null,
            overall: { budget: 200, midTermGoal: null, annualGoal: "部门整体目标" },
            budgetExecutionWeight: 10,
            indicators: [indicator({ name: "服务企业数", weight: 90, core: null, target: "10", unit: "家" })],
          },
        ],
      },
    );
    const id = dept.created[0].id;
    const { action, loader } = await route("evaluations.$roundId.d.$ownerId");
    const at = (who: string, f?: Record<string, string>) =>
      call(f ? action : loader, makeRequest(`/evaluations/${roundId}/d/${id}`, { cookie: cookies[who], form: f }), { roundId: String(roundId), ownerId: String(id) });
    const view = await jsonOf(await at("qijiang.dept"));
    expect(view.form.budgetAnnual).toBe("200");
    expect(view.canEdit).toBe(true);
    expect((await at("qijiang.unit")).status).toBe(404);
    const f = { intent: "submit", revision: "", budgetAnnual: "200", budgetExecuted: "200", summary: "完成", "rows.0.actual": "10" };
    expect((await at("qijiang.unit", f)).status).toBe(404);
    expect((await at("qijiang.dept", f)).status).toBe(302);
    const after = await jsonOf(await at("qijiang.finance"));
    expect(after.status).toBe("pending_finance");
    expect(after.report.score).toBe(10000);
    expect(after.report.grade).toBe("优");
  });
});
