// 绩效自评 exports through the real routes on real SQLite (issue 11 items 7 and 8): an
// evaluation filled, submitted, approved by the department, adjusted by finance with a reason
// and approved; then its .xlsx (read back), its print view, the round workbook (index and
// finance's summary), its exchange JSON scored by `jixiao score` — the same total and grade
// as the web under the region's own rule set — and scope (another region, another unit, a
// foreign department → 404).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type ExcelJS from "exceljs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { departmentTable } from "../helpers/department-table";
import { indicator, validProjectTable } from "../helpers/tables";
import { cellValue, readWorkbook } from "../helpers/xlsx";

const cookies: Record<string, string> = {};
let projectId = 0;
let otherUnitProjectId = 0;
let deptTargetId = 0;
let roundId = 0;
let foreignDepartmentId = 0;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-eval-export-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const route = (p: string) => import(`../../app/routes/${p}`);

beforeAll(async () => {
  await setupDatabase();
  const { db } = await import("../../db/client.server");
  const { departments, regions, units } = await import("../../db/schema");
  const { commitImport } = await import("../../app/models/import.server");
  const { ruleSetFor, saveRuleSet } = await import("../../app/models/rulesets.server");
  const { getSessionUser } = await import("../../app/auth/session.server");
  const qijiang = db.select().from(regions).where(eq(regions.slug, "qijiang")).get()!;
  const actor = { id: null, regionId: qijiang.id };
  const table = validProjectTable({
    name: "自评导出项目",
    code: "EX-1",
    project: { ...validProjectTable().project!, code: "EX-1", name: "自评导出项目", annualGoal: "按时足额发放补助，受益对象满意" },
    indicators: [
      indicator({ name: "补助人数", weight: 30, operator: "≥", target: "40", unit: "人", core: true }),
      indicator({ level1: "效益指标", level2: "社会效益指标", name: "政策知晓度", weight: 30, operator: "定性", target: "好", unit: null, core: true }),
      indicator({ level1: "满意度指标", level2: "服务对象满意度指标", name: "受益人群满意度", weight: 20, unit: "%", operator: "≥", target: "90", core: true }),
      indicator({ level2: "质量指标", name: "宣传场次", weight: 10, unit: "次", operator: "≥", target: "4", core: false }),
    ],
  });
  projectId = commitImport(actor, { year: 2026, mode: "approved", tables: [table] }).created[0].id;
  const first = db.select().from(units).where(eq(units.regionId, qijiang.id)).get()!;
  const second = db.insert(units).values({ regionId: qijiang.id, departmentId: first.departmentId, code: "206097", name: "自评导出第二单位" }).returning().get();
  otherUnitProjectId = commitImport(actor, {
    year: 2026,
    mode: "approved",
    tables: [validProjectTable({ name: "他单位自评项目", code: "EX-2", unit: { code: second.code, name: second.name } })],
  }).created[0].id;
  deptTargetId = commitImport(actor, { year: 2026, mode: "approved", tables: [departmentTable()] }).created[0].id;
  foreignDepartmentId = db.insert(departments).values({ regionId: qijiang.id, code: "299", name: "自评导出另一部门" }).returning().get().id;
  for (const u of ["qijiang.unit", "qijiang.dept", "qijiang.finance", "nanan.finance", "nanan.unit"]) cookies[u] = await login(u);

  // The region's own rule set grades more strictly than the built-in ones (良 from 85): a
  // score computed under another rule set would give another grade.
  const finance = (await getSessionUser(makeRequest("/", { cookie: cookies["qijiang.finance"] })))!;
  const base = ruleSetFor(qijiang.id, 2026);
  const saved = saveRuleSet(finance, 2026, "chongqing-2024", { ...base, scoring: { ...base.scoring, grades: { 优: 95, 良: 85, 中: 60 } } });
  expect(saved.ok).toBe(true);

  const { action: openRound } = await route("evaluations._index");
  const opened = await call(openRound, makeRequest("/evaluations", { cookie: cookies["qijiang.finance"], form: { year: "2026", opensOn: "2026-01-01", dueOn: "2099-03-31" } }));
  expect(opened.status).toBe(302);
  roundId = Number(opened.headers.get("Location")!.split("/").pop());

  // Fill, submit, approve, deduct with a reason, approve — through the entry page's action.
  const entry = () => `/evaluations/${roundId}/p/${projectId}`;
  const params = () => ({ roundId: String(roundId), ownerId: String(projectId) });
  const { loader, action } = await route("evaluations.$roundId.p.$ownerId");
  const get = async (who: string) => jsonOf(await call(loader, makeRequest(entry(), { cookie: cookies[who] }), params()));
  const post = (who: string, form: Record<string, string>) => call(action, makeRequest(entry(), { cookie: cookies[who], form }), params());
  const form = {
    budgetAnnual: "25.65",
    budgetExecuted: "23.085",
    summary: "年度目标基本完成",
    "rows.0.actual": "36",
    "rows.0.explanation": "部分对象迁出",
    "rows.1.actual": "部分达成",
    "rows.1.percent": "75",
    "rows.1.explanation": "宣传覆盖不足，明年加强",
    "rows.2.actual": "95",
    "rows.3.na": "1",
    "rows.3.naReason": "政策调整，不再组织宣传",
  };
  expect((await post("qijiang.unit", { intent: "submit", revision: "", ...form })).status).toBe(302);
  expect((await post("qijiang.dept", { intent: "approve", comment: "", revision: String((await get("qijiang.dept")).report.revision) })).status).toBe(302);
  const adjusted = await post("qijiang.finance", { intent: "adjust", position: "2", score: "15", reason: "满意度调查样本不足", revision: String((await get("qijiang.finance")).report.revision) });
  expect(adjusted.status).toBe(302);
  expect((await post("qijiang.finance", { intent: "approve", comment: "同意", revision: String((await get("qijiang.finance")).report.revision) })).status).toBe(302);
});

/** The approved evaluation as the entry page gives it (the stored final score and grade). */
async function webResult() {
  const { loader } = await route("evaluations.$roundId.p.$ownerId");
  const body = await jsonOf(await call(loader, makeRequest(`/evaluations/${roundId}/p/${projectId}`, { cookie: cookies["qijiang.unit"] }), { roundId: String(roundId), ownerId: String(projectId) }));
  expect(body.status).toBe("approved");
  return { score: body.report.score / 100, grade: body.report.grade as string };
}

async function download(file: string, who: string, kind: "p" | "d" = "p", ownerId = projectId, query = "") {
  const { loader } = await route(file);
  const suffix = file.endsWith(".print") ? "print" : file.endsWith(".json") ? "json" : "xlsx";
  const url = file.includes(".$ownerId") ? `/evaluations/${roundId}/${kind}/${ownerId}/${suffix}` : `/evaluations/${roundId}/xlsx${query}`;
  return call(loader, makeRequest(url, { cookie: cookies[who] }), { roundId: String(roundId), ownerId: String(ownerId) });
}
const projectXlsx = (who: string, id = projectId) => download("evaluations.$roundId.p.$ownerId.xlsx", who, "p", id);
const projectJson = (who: string, id = projectId) => download("evaluations.$roundId.p.$ownerId.json", who, "p", id);
const projectPrint = (who: string, id = projectId) => download("evaluations.$roundId.p.$ownerId_.print", who, "p", id);
const roundXlsx = (who: string, query = "") => download("evaluations.$roundId.xlsx", who, "p", 0, query);

async function workbookOf(res: Response): Promise<ExcelJS.Workbook> {
  expect(res.status).toBe(200);
  return readWorkbook(await res.arrayBuffer());
}
const v = cellValue;

describe("项目支出绩效自评表 (.xlsx)", () => {
  it("the stored final total and grade, the official cells, the adjusted row with its reason", async () => {
    const web = await webResult();
    // (9 + 27 + 22.5 + 15) ÷ 90 × 100 = 81.67: 中 under the region's 良 ≥ 85.
    expect(web).toEqual({ score: 81.67, grade: "中" });
    const res = await projectXlsx("qijiang.unit");
    expect(res.headers.get("Content-Type")).toContain("spreadsheetml");
    expect(res.headers.get("Content-Disposition")).toContain("filename*=UTF-8''");
    const ws = (await workbookOf(res)).worksheets[0];
    expect(v(ws, "A1")).toBe("2026年度项目支出绩效自评表");
    expect(v(ws, "B3")).toBe("EX-1-自评导出项目");
    expect(["B6", "D6", "E6", "F6", "G6", "H6"].map((a) => v(ws, a))).toEqual([25.65, 25.65, 23.085, 10, 0.9, 9]);
    expect([v(ws, "B8"), v(ws, "F8")]).toEqual(["按时足额发放补助，受益对象满意", "年度目标基本完成"]);
    expect(["D10", "E10", "F10", "G10", "H10", "I10"].map((a) => v(ws, a))).toEqual(["补助人数", "≥40人", "36人", 30, 36 / 40 * 30, "部分对象迁出"]);
    expect([v(ws, "F11"), v(ws, "H11")]).toEqual(["部分达成并具有一定效果（75%）", 22.5]);
    expect(v(ws, "H12")).toBe(15);
    expect(v(ws, "J12")).toMatch(/^财政复核：20\.00 → 15\.00 分；理由：满意度调查样本不足（/);
    expect([v(ws, "F13"), v(ws, "H13")]).toEqual(["不适用：政策调整，不再组织宣传", "不适用"]);
    expect([v(ws, "A14"), v(ws, "H14")]).toEqual(["总分", web.score]);
    expect([v(ws, "A15"), v(ws, "G15")]).toEqual(["自评等级", web.grade]);
    expect(v(ws, "I15")).toBe("优 ≥ 95，良 ≥ 85，中 ≥ 60，差 < 60");
  });

  it("the print view shows the same form, server-rendered", async () => {
    const web = await webResult();
    const res = await projectPrint("qijiang.dept");
    expect(res.status).toBe(200);
    const { sheet } = await jsonOf(res);
    expect([sheet.totalText, sheet.grade]).toEqual([web.score.toFixed(2), web.grade]);
    expect(sheet.rows[2].adjustment).toMatchObject({ before: 20, after: 15, reason: "满意度调查样本不足" });
    const { renderToStaticMarkup } = await import("react-dom/server");
    const { createElement } = await import("react");
    const { EvaluationPrint } = await import("../../app/components/EvaluationPrint");
    const html = renderToStaticMarkup(createElement(EvaluationPrint, { data: sheet }));
    expect(html).toContain(`data-testid="print-total">${web.score.toFixed(2)}<`);
    expect(html).toContain("理由：满意度调查样本不足");
  });

  it("部门整体: the department's own form; a unit may not see it", async () => {
    const ok = await download("evaluations.$roundId.d.$ownerId.xlsx", "qijiang.dept", "d", deptTargetId);
    const ws = (await workbookOf(ok)).worksheets[0];
    expect(v(ws, "A1")).toBe("2026年度部门整体支出绩效自评表");
    expect(v(ws, "B8")).toBe("部门整体目标");
    expect((await download("evaluations.$roundId.d.$ownerId.xlsx", "qijiang.unit", "d", deptTargetId)).status).toBe(404);
    expect((await download("evaluations.$roundId.d.$ownerId_.print", "qijiang.unit", "d", deptTargetId)).status).toBe(404);
    expect((await download("evaluations.$roundId.d.$ownerId.json", "qijiang.unit", "d", deptTargetId)).status).toBe(404);
  });

  it("another region, another unit, an unknown project or round: 404", async () => {
    for (const fetcher of [projectXlsx, projectJson, projectPrint]) {
      expect((await fetcher("nanan.unit")).status).toBe(404);
      expect((await fetcher("nanan.finance")).status).toBe(404);
      expect((await fetcher("qijiang.unit", otherUnitProjectId)).status).toBe(404);
      expect((await fetcher("qijiang.unit", 999999)).status).toBe(404);
    }
    expect((await roundXlsx("nanan.finance")).status).toBe(404);
  });
});

describe("the round as one workbook", () => {
  it("finance: an index linking to each evaluation and the region-year summary", async () => {
    const web = await webResult();
    const wb = await workbookOf(await roundXlsx("qijiang.finance"));
    const names = wb.worksheets.map((w) => w.name);
    expect(names.slice(0, 2)).toEqual(["目录", "汇总表"]);
    const index = wb.getWorksheet("目录")!;
    const rows = Array.from({ length: index.rowCount - 3 }, (_, i) => i + 4);
    const ours = rows.find((r) => v(index, `D${r}`) === "自评导出项目")!;
    const sheetName = v(index, `B${ours}`) as string;
    expect(names).toContain(sheetName);
    expect((index.getCell(`B${ours}`).value as { formula: string }).formula).toContain(`#'${sheetName}'!A1`);
    expect([v(index, `G${ours}`), v(index, `H${ours}`), v(index, `I${ours}`), v(index, `J${ours}`)]).toEqual(["已审核", web.score, web.grade, "1 项"]);
    expect(v(wb.getWorksheet(sheetName)!, `H14`)).toBe(web.score);
    expect(names.length - 2).toBe(rows.length);

    const sum = wb.getWorksheet("汇总表")!;
    expect(v(sum, "A1")).toBe("重庆市綦江区2026年度绩效自评结果汇总表");
    const line = Array.from({ length: sum.rowCount - 3 }, (_, i) => i + 4).find((r) => v(sum, `B${r}`) === "自评导出项目")!;
    expect(["C", "F", "H", "I", "J", "K"].map((c) => v(sum, `${c}${line}`))).toEqual(["EX-1", 25.65, 0.9, web.score, web.grade, "已审核"]);
  });

  it("a unit: its own evaluations only, no summary; a department filter outside the scope is a 404", async () => {
    const wb = await workbookOf(await roundXlsx("qijiang.unit"));
    expect(wb.worksheets.map((w) => w.name)).not.toContain("汇总表");
    const index = wb.getWorksheet("目录")!;
    const listed = Array.from({ length: index.rowCount - 3 }, (_, i) => v(index, `D${i + 4}`));
    expect(listed).toContain("自评导出项目");
    expect(listed).not.toContain("他单位自评项目");
    expect((await roundXlsx("qijiang.dept", `?department=${foreignDepartmentId}`)).status).toBe(404);
    expect((await roundXlsx("qijiang.dept", "?department=abc")).status).toBe(404);
    const own = await workbookOf(await roundXlsx("qijiang.finance", `?department=${foreignDepartmentId}`));
    expect(own.worksheets.map((w) => w.name)).toEqual(["目录", "汇总表"]);
  });
});

describe("jixiao score on the exported evaluation", () => {
  it("gives exactly the web's total and grade (finance's adjustment and the region's rule set included)", async () => {
    const web = await webResult();
    const res = await projectJson("qijiang.unit");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("application/json");
    const body = await res.text();
    const exported = JSON.parse(body);
    expect(exported.tables[0]).toMatchObject({
      format: "jixiao.table/v1",
      kind: "project",
      year: 2026,
      evaluation: { budgetInitial: 25.65, budgetAnnual: 25.65, budgetExecuted: 23.085 },
      overrides: [{ indicator: 2, score: "15", reason: "满意度调查样本不足" }],
    });
    expect(exported.tables[0].indicators.map((i: { actual: string | null; applicable: boolean }) => [i.actual, i.applicable])).toEqual([
      ["36", true],
      ["部分达成", true],
      ["95", true],
      [null, false],
    ]);
    expect(exported.ruleSet.scoring.grades).toEqual({ 优: 95, 良: 85, 中: 60 });

    const file = path.join(dir, "evaluation.json");
    fs.writeFileSync(file, body);
    const { main } = await import("../../app/cli/main");
    let stdout = "";
    let stderr = "";
    const code = await main(["score", file, "--json"], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readFile: (p) => fs.readFileSync(p, "utf8") });
    expect([code, stderr]).toEqual([0, ""]);
    const out = JSON.parse(stdout);
    expect(out.warnings).toEqual([]);
    const t = out.tables[0];
    expect([t.total, t.totalText, t.grade, t.complete]).toEqual([web.score, web.score.toFixed(2), web.grade, true]);
    // As on the page: the deducted row is now below full marks without an explanation (a warning).
    expect(t.issues.map((i: { code: string; severity: string }) => [i.code, i.severity])).toEqual([["explanation_missing", "warning"]]);
    expect(t.indicators[2]).toMatchObject({ score: 15, flags: expect.arrayContaining(["overridden"]) });
    expect(t.indicators[3]).toMatchObject({ applicable: false, score: null });

    // The built-in rule set grades 81.67 otherwise: the file's rule set is what made it equal.
    const national = await main(["score", file, "--json", "--rules", "national"], { stdout: (x) => (stdout = x), stderr: () => {}, readFile: (p) => fs.readFileSync(p, "utf8") });
    expect(national).toBe(0);
    expect(JSON.parse(stdout).tables[0].grade).toBe("良");
  });
});
