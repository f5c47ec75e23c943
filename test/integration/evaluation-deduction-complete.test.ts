// A finance deduction on a row the unit scored full marks on does not make the approved
// evaluation "incomplete": the 自评表 (.xlsx and print) shows its final score, not 填报不完整，
// 得分为暂计 (found by test/e2e/evaluation.e2e.ts). A draft with a missing explanation still
// says so. Through the real routes on real SQLite.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { indicator, validProjectTable } from "../helpers/tables";
import { cellValue, readWorkbook } from "../helpers/xlsx";

const cookies: Record<string, string> = {};
let roundId = 0;
let approvedId = 0;
let draftId = 0;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-eval-deduction-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const route = (p: string) => import(`../../app/routes/${p}`);
const INDICATORS = [
  indicator({ name: "补助人数", weight: 50, operator: "≥", target: "40", unit: "人", core: true }),
  indicator({ level1: "满意度指标", level2: "服务对象满意度指标", name: "受益人群满意度", weight: 10, unit: "%", operator: "≥", target: "90", core: false }),
  indicator({ level1: "效益指标", level2: "社会效益指标", name: "补助政策知晓率", weight: 30, unit: "%", operator: "≥", target: "90", core: true }),
];

async function entry(id: number) {
  const { loader, action } = await route("evaluations.$roundId.p.$ownerId");
  const url = `/evaluations/${roundId}/p/${id}`;
  const params = { roundId: String(roundId), ownerId: String(id) };
  const get = async (who: string) => jsonOf(await call(loader, makeRequest(url, { cookie: cookies[who] }), params));
  const post = async (who: string, form: Record<string, string>) => {
    const revision = String((await get(who)).report?.revision ?? "");
    return call(action, makeRequest(url, { cookie: cookies[who], form: { revision, ...form } }), params);
  };
  return { get, post };
}

beforeAll(async () => {
  await setupDatabase();
  const { db } = await import("../../db/client.server");
  const { regions } = await import("../../db/schema");
  const { commitImport } = await import("../../app/models/import.server");
  const qijiang = db.select().from(regions).where(eq(regions.slug, "qijiang")).get()!;
  const actor = { id: null, regionId: qijiang.id };
  [approvedId, draftId] = commitImport(actor, {
    year: 2026,
    mode: "approved",
    tables: [
      validProjectTable({ name: "复核扣分项目", code: "DC-1", indicators: INDICATORS }),
      validProjectTable({ name: "草稿项目", code: "DC-2", indicators: INDICATORS }),
    ],
  }).created.map((c: { id: number }) => c.id);
  for (const u of ["qijiang.unit", "qijiang.dept", "qijiang.finance"]) cookies[u] = await login(u);
  const { action: openRound } = await route("evaluations._index");
  const opened = await call(openRound, makeRequest("/evaluations", { cookie: cookies["qijiang.finance"], form: { year: "2026", opensOn: "2026-01-01", dueOn: "2099-03-31" } }));
  roundId = Number(opened.headers.get("Location")!.split("/").pop());

  const values = { budgetAnnual: "25.65", budgetExecuted: "25.65", summary: "全面完成", "rows.0.actual": "40", "rows.1.actual": "95", "rows.2.actual": "36", "rows.2.explanation": "宣传覆盖不足" };
  const approved = await entry(approvedId);
  expect((await approved.post("qijiang.unit", { intent: "submit", ...values })).status).toBe(302);
  expect((await approved.post("qijiang.dept", { intent: "approve", comment: "" })).status).toBe(302);
  // 受益人群满意度 scored full marks by the unit (no explanation needed); finance deducts.
  expect((await approved.post("qijiang.finance", { intent: "adjust", position: "1", score: "6", reason: "样本不足" })).status).toBe(302);
  expect((await approved.post("qijiang.finance", { intent: "approve", comment: "" })).status).toBe(302);

  const draft = await entry(draftId);
  expect((await draft.post("qijiang.unit", { intent: "save", ...values, "rows.2.explanation": "" })).status).toBe(302);
});

async function subtitle(id: number): Promise<unknown> {
  const { loader } = await route("evaluations.$roundId.p.$ownerId.xlsx");
  const res = await call(loader, makeRequest(`/evaluations/${roundId}/p/${id}/xlsx`, { cookie: cookies["qijiang.finance"] }), { roundId: String(roundId), ownerId: String(id) });
  expect(res.status).toBe(200);
  return cellValue((await readWorkbook(await res.arrayBuffer())).worksheets[0], "A2");
}

async function printed(id: number) {
  const { loader } = await route("evaluations.$roundId.p.$ownerId_.print");
  const res = await call(loader, makeRequest(`/evaluations/${roundId}/p/${id}/print`, { cookie: cookies["qijiang.finance"] }), { roundId: String(roundId), ownerId: String(id) });
  expect(res.status).toBe(200);
  return (await jsonOf(res)).sheet;
}

describe("an approved evaluation with a finance deduction", () => {
  it("is complete in the .xlsx and the print view, with the deducted score", async () => {
    const { report } = await (await entry(approvedId)).get("qijiang.finance");
    // 10 (budget) + 50 + 6 (deducted from 10) + 36 ÷ 90 × 30 = 78.
    expect([report.status, report.score]).toEqual(["approved", 7800]);
    expect(await subtitle(approvedId)).toBe("状态：已审核 · 绩效目标表第 1 版");
    const sheet = await printed(approvedId);
    expect([sheet.complete, sheet.totalText, sheet.rows[1].score]).toEqual([true, "78.00", 6]);
  });

  it("while a draft missing an explanation is still marked provisional", async () => {
    expect(await subtitle(draftId)).toBe("状态：草稿 · 绩效目标表第 1 版 · 填报不完整，得分为暂计");
    expect((await printed(draftId)).complete).toBe(false);
  });
});
