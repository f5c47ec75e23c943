import { beforeAll, describe, expect, it } from "vitest";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";

const cookies: Record<string, string> = {};
let targetId = 0;

async function view(who: string) {
  const { loader } = await import("../../app/routes/department-targets.$targetId");
  const res = await call(loader, makeRequest(`/department-targets/${targetId}`, { cookie: cookies[who] }), { targetId: String(targetId) });
  return { status: res.status, body: res.status === 200 ? await jsonOf(res) : null };
}

async function post(who: string, form: Record<string, string>) {
  const { action } = await import("../../app/routes/department-targets.$targetId");
  const res = await call(action, makeRequest(`/department-targets/${targetId}`, { cookie: cookies[who], form }), { targetId: String(targetId) });
  return { status: res.status, body: res.status >= 400 && res.headers.get("Content-Type")?.includes("json") ? await res.json() : null };
}

const ROWS = [
  ["产出指标", "数量指标", "安全评估区内燃气企业个数", "40", "个", "≥", "4", "是"],
  ["履职效能", "质量指标", "预决算信息公开合规率", "30", "%", "=", "100", "是"],
  ["管理效率", "管理效率", "绩效运行监控率", "20", "%", "=", "100", "否"],
  ["服务对象满意度", "服务对象满意度", "服务对象满意度", "10", "%", "≥", "99", "否"],
];

function editorForm(intent: string, tableId: number, revision: number) {
  const form: Record<string, string> = { intent, tableId: String(tableId), revision: String(revision), budgetExecutionWeight: "" };
  ROWS.forEach((r, i) =>
    ["level1", "level2", "name", "weight", "unit", "operator", "target", "core"].forEach((k, j) => (form[`indicators.${i}.${k}`] = r[j])),
  );
  return form;
}

beforeAll(async () => {
  await setupDatabase();
  for (const who of ["wansheng.dept", "wansheng.finance", "wansheng.unit", "nanan.dept"]) cookies[who] = await login(who);
});

describe("部门整体绩效目标表", () => {
  it("a unit user may not open the pages", async () => {
    const { loader } = await import("../../app/routes/department-targets._index");
    expect((await call(loader, makeRequest("/department-targets", { cookie: cookies["wansheng.unit"] }))).status).toBe(403);
  });

  it("the department creates this year's table once", async () => {
    const { action } = await import("../../app/routes/department-targets._index");
    const res = await call(action, makeRequest("/department-targets", { cookie: cookies["wansheng.dept"], form: {} }));
    expect(res.status).toBe(302);
    targetId = Number(res.headers.get("Location")!.split("/").pop());
    const again = await call(action, makeRequest("/department-targets", { cookie: cookies["wansheng.dept"], form: {} }));
    expect(again.headers.get("Location")).toBe(`/department-targets/${targetId}`);
    expect((await call(action, makeRequest("/department-targets", { cookie: cookies["wansheng.finance"], form: {} }))).status).toBe(403);
  });

  it("another region's department gets 404", async () => {
    expect((await view("nanan.dept")).status).toBe(404);
  });

  it("header: a bad budget keeps the input; a good one is saved", async () => {
    const t = (await view("wansheng.dept")).body.view.table;
    const bad = await post("wansheng.dept", { intent: "header", tableId: String(t.id), budget: "三千", annualGoal: "培育特色优势产业" });
    expect(bad.status).toBe(400);
    expect(bad.body.headerErrors.budget).toMatch(/须为数字/);
    expect(bad.body.headerValues.annualGoal).toBe("培育特色优势产业");
    expect((await post("wansheng.dept", { intent: "header", tableId: String(t.id), budget: "3,462.99", annualGoal: "培育特色优势产业" })).status).toBe(302);
    expect((await view("wansheng.dept")).body.target).toMatchObject({ budget: 34629900, annualGoal: "培育特色优势产业" });
  });

  it("fills with the department first levels, submits straight to finance, finance approves", async () => {
    let t = (await view("wansheng.dept")).body.view.table;
    expect((await post("wansheng.dept", editorForm("submit", t.id, t.revision))).status).toBe(302);
    const after = await view("wansheng.dept");
    expect(after.body.view.table.status).toBe("pending_finance");
    expect(after.body.view.findings.filter((f: { severity: string }) => f.severity === "error")).toEqual([]);
    t = after.body.view.table;
    expect((await post("wansheng.finance", { intent: "approve", tableId: String(t.id), rating: "优" })).status).toBe(302);
    const done = await view("wansheng.finance");
    expect(done.body.view.table.status).toBe("approved");
    expect((await post("wansheng.dept", editorForm("save", t.id, done.body.view.table.revision))).status).toBe(409);
  });
});
