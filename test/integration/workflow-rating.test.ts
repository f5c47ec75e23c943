// Issue 9 (7): only finance's review records a rating. A rating posted by anyone else (a
// hand-made form: the page offers the field to finance only) is refused with 403 and
// nothing is written — not the table, not a review row, not an audit entry.
import { beforeAll, describe, expect, it } from "vitest";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";

const GOOD = [
  { level1: "产出指标", level2: "数量指标", name: "补助人数", weight: "30", unit: "人", operator: "≥", target: "39", core: "是" },
  { level1: "产出指标", level2: "时效指标", name: "按时发放率", weight: "20", unit: "%", operator: "=", target: "100", core: "是" },
  { level1: "效益指标", level2: "社会效益指标", name: "补助政策知晓率", weight: "30", unit: "%", operator: "≥", target: "90", core: "否" },
  { level1: "满意度指标", level2: "服务对象满意度指标", name: "受益人群满意度", weight: "10", unit: "%", operator: "≥", target: "90", core: "否" },
];

const cookies: Record<string, string> = {};
let projectId = 0;

async function post(who: string, form: Record<string, string>) {
  const { action } = await import("../../app/routes/projects.$projectId");
  const res = await call(action, makeRequest(`/projects/${projectId}`, { cookie: cookies[who], form }), { projectId: String(projectId) });
  return { status: res.status, body: res.headers.get("Content-Type")?.includes("json") ? await res.json() : null };
}

async function table() {
  const { loader } = await import("../../app/routes/projects.$projectId");
  const res = await call(loader, makeRequest(`/projects/${projectId}`, { cookie: cookies.unit }), { projectId: String(projectId) });
  return (await jsonOf(res)).view.table as { id: number; revision: number; status: string; rating: string | null };
}

/** Everything a review action writes, for the table. */
async function written(tableId: number) {
  const { db } = await import("../../db/client.server");
  const { reviews, auditEvents, targetTables } = await import("../../db/schema");
  const { and, eq } = await import("drizzle-orm");
  return {
    table: db.select().from(targetTables).where(eq(targetTables.id, tableId)).get(),
    reviews: db.select().from(reviews).where(eq(reviews.tableId, tableId)).all(),
    audit: db.select().from(auditEvents).where(and(eq(auditEvents.entity, "table"), eq(auditEvents.entityId, tableId))).all(),
  };
}

beforeAll(async () => {
  await setupDatabase();
  for (const role of ["unit", "dept", "finance"]) cookies[role] = await login(`qijiang.${role}`);
  const created = await import("../../app/routes/projects.new");
  const res = await call(created.action, makeRequest("/projects/new", { cookie: cookies.unit, form: { name: "评级项目", budgetTotal: "10" } }));
  projectId = Number(res.headers.get("Location")!.split("/").pop());
  const t = await table();
  const form: Record<string, string> = { intent: "submit", tableId: String(t.id), revision: String(t.revision), budgetExecutionWeight: "10" };
  GOOD.forEach((r, i) => Object.entries(r).forEach(([k, v]) => (form[`indicators.${i}.${k}`] = v)));
  expect((await post("unit", form)).status).toBe(302);
  expect((await table()).status).toBe("pending_department");
});

describe("the finance rating", () => {
  it("a 主管部门 user who posts a rating is refused (403) and nothing is written", async () => {
    const t = await table();
    const before = await written(t.id);
    for (const intent of ["approve", "return"]) {
      const res = await post("dept", { intent, tableId: String(t.id), rating: "优", comment: "部门想给优" });
      expect(res.status).toBe(403);
    }
    expect(await written(t.id)).toEqual(before);
    expect((await table()).rating).toBeNull();
  });

  it("the same review without a rating goes through and records none", async () => {
    const t = await table();
    expect((await post("dept", { intent: "approve", tableId: String(t.id), rating: "", comment: "同意" })).status).toBe(302);
    const after = await written(t.id);
    expect(after.table).toMatchObject({ status: "pending_finance", rating: null });
    expect(after.reviews.at(-1)).toMatchObject({ action: "approve", rating: null });
  });

  it("a unit posting a rating with another action is refused too", async () => {
    const t = await table();
    const before = await written(t.id);
    expect((await post("unit", { intent: "approve", tableId: String(t.id), rating: "优" })).status).toBe(403);
    expect(await written(t.id)).toEqual(before);
  });

  it("finance's review records its rating on the table, the review row and the audit entry", async () => {
    const t = await table();
    expect((await post("finance", { intent: "approve", tableId: String(t.id), rating: "良", comment: "批复" })).status).toBe(302);
    const after = await written(t.id);
    expect(after.table).toMatchObject({ status: "approved", rating: "良" });
    expect(after.reviews.at(-1)).toMatchObject({ action: "approve", rating: "良" });
    expect(JSON.parse(after.audit.at(-1)!.after!)).toMatchObject({ status: "approved", rating: "良" });
  });
});
