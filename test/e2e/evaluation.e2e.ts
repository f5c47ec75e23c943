// The whole 绩效自评 story in Chromium (issue 11 item 10): finance opens the year's
// self-evaluation; the unit fills actuals with one indicator below target and one 定性 row and
// sees the row scores and the total change as it types, cannot submit without the
// explanations, saves a draft, attaches a file, adds the explanations and submits; the
// department approves; finance deducts points on one row with a reason and approves; the
// grade and the deduction show on the round's list, in its chart (a click on the bar lands on
// the filtered list) and in the exported .xlsx, read back here. Plus: without JavaScript an
// entry keeps its input after a server-side error.
//
// Works in 綦江区 2026. Its published tables have no 定性 indicator, so the story starts with
// the unit's own new project, approved by the department and finance like any other; being
// new, its self-evaluation is not started whatever the demo data holds. The year's task is the
// existing one when there is one (one per year), else finance opens it.
import ExcelJS from "exceljs";
import type { Page, Response } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  barCentre,
  browserAvailable,
  evaluationEntryWithStatus,
  fillIndicatorRow,
  findOrOpenEvaluationRound,
  newPage,
  signIn,
  useBrowser,
  type IndicatorRow,
} from "./browser";

useBrowser();

const PROJECT = "企业服务质效提升专项";
// A category no demo project has, so the round page can be filtered down to this project.
const CATEGORY = "重点专项";
const ROWS: IndicatorRow[] = [
  ["产出指标", "数量指标", "服务企业户数", "30", "户", "≥", "100", "是"],
  ["产出指标", "质量指标", "问题按时办结率", "25", "%", "≥", "90", "是"],
  ["效益指标", "社会效益指标", "企业发展环境改善情况", "25", "", "定性", "明显改善", "否"],
  ["满意度指标", "服务对象满意度指标", "服务企业满意度", "10", "%", "≥", "90", "否"],
];
const SUMMARY = "全年走访服务企业 95 户，问题按时办结，企业发展环境有所改善";
const EXPLAIN_0 = "两户企业年内迁出，走访计划相应调减；明年按在册企业数设定目标";
const EXPLAIN_2 = "融资对接活动推迟到四季度，效果尚未完全显现；明年一季度前完成";
const REASON = "办结率统计未计入超期件，按台账核减";
// 执行率 48 ÷ 50 = 96% → 9.60; 95 ÷ 100 × 30 = 28.50; 25 (95 ≥ 90); 25 × 75% = 18.75; 10 (92 ≥ 90).
const TOTAL = "91.85";
// Finance's 问题按时办结率 25 → 20.
const FINAL = "86.85";
const FINAL_GRADE = "良";
const GRADE_FILL = "#2a62c0"; // 良 in the grades chart (evaluations.$roundId._index.tsx)
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

let projectUrl = "";
let roundUrl = "";
let entryUrl = "";

const row = (page: Page, i: number) => page.getByTestId(`row-${i}`);
const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).textContent()) ?? "").trim();

/** Clicks a submit button and returns the response of the POST it sends. */
async function post(page: Page, button: string): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: button, exact: true }).click(),
  ]);
  return response;
}

/** The status badge in the page header (not the review history's, not a button's text). */
async function headerStatus(page: Page, label: string) {
  await page.locator(".page-header .badge").filter({ hasText: new RegExp(`^${label}$`) }).waitFor();
}

async function openEntry(page: Page) {
  await page.goto(entryUrl);
  await page.getByRole("heading", { name: PROJECT, exact: true }).waitFor();
}

describe.skipIf(!browserAvailable)("the self-evaluation story in Chromium", () => {
  it("the unit's new project with a 定性 indicator is approved by the department and finance", async () => {
    const { context, page } = await newPage();
    await signIn(page, "qijiang.unit");
    await page.goto("/projects/new");
    await page.getByLabel("项目名称").fill(PROJECT);
    await page.getByLabel("项目分类").selectOption(CATEGORY);
    await page.getByLabel("当年预算（万元）").fill("50");
    await page.getByRole("button", { name: "新建项目" }).click();
    await page.getByRole("heading", { name: PROJECT }).waitFor();
    projectUrl = new URL(page.url()).pathname;
    await page.getByRole("button", { name: "添加指标" }).click();
    for (const [i, r] of ROWS.entries()) await fillIndicatorRow(page, i, r);
    await page.getByLabel("预算执行率权重").fill("10");
    await expect(page.getByTestId("weight-meter").textContent()).resolves.toMatch(/90\s*\/\s*90/);
    expect((await post(page, "提交审核")).status()).toBeLessThan(400);
    await headerStatus(page, "待主管部门审核");
    await context.close();

    const dept = await newPage();
    await signIn(dept.page, "qijiang.dept");
    await dept.page.goto(projectUrl);
    expect((await post(dept.page, "审核通过")).status()).toBeLessThan(400);
    await headerStatus(dept.page, "待财政审核");
    await dept.context.close();

    const fin = await newPage();
    await signIn(fin.page, "qijiang.finance");
    await fin.page.goto(projectUrl);
    await fin.page.getByLabel("优").check();
    expect((await post(fin.page, "审核通过")).status()).toBeLessThan(400);
    await headerStatus(fin.page, "已批复");
    await fin.context.close();
  });

  it("finance opens the self-evaluation from the 自评 page; it covers the approved project", async () => {
    expect(projectUrl).not.toBe("");
    const { context, page } = await newPage();
    await signIn(page, "qijiang.finance");
    await page.getByRole("link", { name: "自评", exact: true }).click();
    await page.getByRole("heading", { name: "绩效自评" }).waitFor();
    await page.getByRole("heading", { name: "发起自评任务" }).waitFor();
    roundUrl = await findOrOpenEvaluationRound(page);
    const link = page.getByTestId("entries-table").getByRole("link", { name: PROJECT, exact: true });
    await link.waitFor();
    entryUrl = (await link.getAttribute("href"))!;
    expect(entryUrl).toMatch(/^\/evaluations\/\d+\/p\/\d+$/);
    const line = page.getByTestId("entries-table").getByRole("row").filter({ has: page.getByRole("link", { name: PROJECT, exact: true }) });
    expect(await line.textContent()).toContain("未填报");
    await context.close();
  });

  it("the unit fills actuals and a 定性 row, sees the scores live, and cannot submit without the explanations", async () => {
    const { context, page } = await newPage();
    await signIn(page, "qijiang.unit");
    await page.goto(roundUrl);
    await page.getByTestId("entries-table").getByRole("link", { name: PROJECT, exact: true }).click();
    await page.getByRole("heading", { name: PROJECT, exact: true }).waitFor();
    const posts: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST") posts.push(r.url());
    });

    // 全年预算数 starts from the table's 年初预算数.
    expect(await page.getByLabel("全年预算数（万元）").inputValue()).toBe("50");
    const before = await text(page, "total");
    await page.getByLabel("全年执行数（万元）").fill("48");
    await page.getByTestId("budget-score").getByText("96%", { exact: false }).waitFor();
    await page.getByLabel("总体目标完成情况").fill(SUMMARY);

    // 服务企业户数 ≥100: 95 is below target — the row scores 28.50 with its formula in words.
    await row(page, 0).getByLabel("服务企业户数 全年实际完成值").fill("95");
    await page.waitForFunction(() => document.querySelector('[data-testid="score-0"]')?.textContent === "28.50");
    expect(await text(page, "formula-0")).toBe("实际值 95 < 目标值 100：95 ÷ 100 × 30 = 28.50");
    await row(page, 0).getByText("未得满分，须填写偏差原因分析及改进措施").waitFor();
    await row(page, 1).getByLabel("问题按时办结率 全年实际完成值").fill("95");
    await row(page, 3).getByLabel("服务企业满意度 全年实际完成值").fill("92");
    await page.waitForFunction(() => document.querySelector('[data-testid="score-3"]')?.textContent === "10.00");

    // The 定性 row: a tier gives its default percentage, then the percentage typed.
    await row(page, 2).getByLabel("企业发展环境改善情况 完成程度").selectOption("部分达成");
    await page.waitForFunction(() => document.querySelector('[data-testid="score-2"]')?.textContent === "17.50");
    const withDefault = await text(page, "total");
    await row(page, 2).getByLabel("得分比例 %").fill("75");
    await page.waitForFunction(() => document.querySelector('[data-testid="score-2"]')?.textContent === "18.75");
    expect(await text(page, "formula-2")).toBe("定性「部分达成」（60%–80%），取 75%：25 × 75% = 18.75");
    await page.waitForFunction((t) => document.querySelector('[data-testid="total"]')?.textContent === t, TOTAL);
    expect(await text(page, "grade")).toBe("优");
    expect(new Set([before, withDefault, TOTAL]).size).toBe(3);
    expect(await page.getByText("还有 2 项必填内容").count()).toBe(1);
    // All of it in the browser: nothing was posted.
    expect(posts).toEqual([]);

    // 提交自评 without the explanations: refused by the server, which lists what is missing.
    const refused = await post(page, "提交自评");
    expect(refused.status()).toBe(400);
    const error = page.getByTestId("entry-error");
    await error.waitFor();
    expect((await error.locator("li").allTextContents()).map((s) => s.trim())).toEqual([
      "第 1 个指标「服务企业户数」：未得满分，须填写偏差原因分析及改进措施",
      "第 3 个指标「企业发展环境改善情况」：未得满分，须填写偏差原因分析及改进措施",
    ]);
    // Nothing typed was lost, and the scores stand.
    expect(await row(page, 0).getByLabel("服务企业户数 全年实际完成值").inputValue()).toBe("95");
    expect(await row(page, 2).getByLabel("企业发展环境改善情况 完成程度").inputValue()).toBe("部分达成");
    expect(await row(page, 2).getByLabel("得分比例 %").inputValue()).toBe("75");
    expect(await page.getByLabel("全年执行数（万元）").inputValue()).toBe("48");
    expect(await text(page, "total")).toBe(TOTAL);
    // Nor was anything saved: the 佐证材料 still ask for a draft first.
    await page.getByTestId("attachments").getByText("请先点击“保存草稿”保存自评，再上传佐证材料。").waitFor();

    await post(page, "保存草稿");
    await page.getByText("草稿已保存。").waitFor();
    expect(await text(page, "total")).toBe(TOTAL);
    await context.close();
  });

  it("the unit attaches a file to the below-target row, adds the explanations and submits", async () => {
    const { context, page } = await newPage();
    await signIn(page, "qijiang.unit");
    await openEntry(page);
    const files = page.getByTestId("attachments");

    // A file whose bytes are not what its name says is refused, with the reason.
    await page.locator("#attachment-position").selectOption("0");
    await page.locator("#attachment-file").setInputFiles({ name: "走访照片.png", mimeType: "image/png", buffer: PDF });
    expect((await post(page, "上传")).status()).toBe(400);
    const refusal = files.getByTestId("attachment-error");
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain("走访照片.png");
    expect(await page.locator("#attachment-position").inputValue()).toBe("0");

    await page.locator("#attachment-file").setInputFiles({ name: "服务企业台账.pdf", mimeType: "application/pdf", buffer: PDF });
    await post(page, "上传");
    await files.getByText("佐证材料已上传。").waitFor();
    // The earlier refusal is gone with it.
    expect(await files.getByTestId("attachment-error").count()).toBe(0);
    const listed = files.getByRole("row").filter({ hasText: "服务企业台账.pdf" });
    expect(await listed.locator("td").first().textContent()).toBe("第 1 个指标「服务企业户数」");
    // It downloads as the same bytes.
    const href = (await listed.getByRole("link", { name: "服务企业台账.pdf" }).getAttribute("href"))!;
    const download = await page.request.get(href);
    expect(download.status()).toBe(200);
    expect(Buffer.compare(await download.body(), PDF)).toBe(0);

    await row(page, 0).getByLabel("偏差原因分析及改进措施（必填）").fill(EXPLAIN_0);
    await row(page, 2).getByLabel("偏差原因分析及改进措施（必填）").fill(EXPLAIN_2);
    await row(page, 0).getByText("未得满分，须填写偏差原因分析及改进措施").waitFor({ state: "detached" });
    expect(await page.getByText(/还有 \d+ 项必填内容/).count()).toBe(0);
    await post(page, "提交自评");
    await page.getByText("已提交，等待审核。").waitFor();
    await headerStatus(page, "待主管部门审核");
    expect(await page.getByRole("button", { name: "提交自评" }).count()).toBe(0);
    expect(await text(page, "total")).toBe(TOTAL);
    await context.close();
  });

  it("the department approves it", async () => {
    const { context, page } = await newPage();
    await signIn(page, "qijiang.dept");
    await openEntry(page);
    expect(await row(page, 0).getByLabel("偏差原因分析及改进措施（必填）").inputValue()).toBe(EXPLAIN_0);
    await page.getByTestId("attachments").getByRole("link", { name: "服务企业台账.pdf" }).waitFor();
    await page.getByLabel("审核意见").fill("同意");
    await post(page, "审核通过");
    await page.getByText("已审核通过。").waitFor();
    await headerStatus(page, "待财政审核");
    await context.close();
  });

  it("finance deducts points on one row, only with a reason, and approves", async () => {
    const { context, page } = await newPage();
    await signIn(page, "qijiang.finance");
    await openEntry(page);
    await page.getByRole("heading", { name: "财政复核：调整分数" }).waitFor();
    await page.locator("#adj-position").selectOption("1");
    await page.locator("#adj-score").fill("20");
    const refused = await post(page, "调整分数");
    expect(refused.status()).toBe(400);
    expect(await page.locator("#adj-reason-err").textContent()).toBe("调整分数须说明理由");
    expect(await page.locator("#adj-score").inputValue()).toBe("20");
    expect(await page.locator("#adj-position").inputValue()).toBe("1");
    expect(await text(page, "total")).toBe(TOTAL);

    await page.locator("#adj-reason").fill(REASON);
    await post(page, "调整分数");
    await page.getByText("分数已调整，理由已记录。").waitFor();
    expect(await text(page, "total")).toBe(FINAL);
    expect(await text(page, "grade")).toBe(FINAL_GRADE);
    expect(await text(page, "score-1")).toBe("20.00");
    expect(await text(page, "formula-1")).toBe(`实际值 95 ≥ 目标值 90：得满分 25；人工调整为 20.00（理由：${REASON}）`);
    expect(await page.getByTestId("adjustments").textContent()).toContain(`第 2 个指标「问题按时办结率」：25 → 20 分 · 理由：${REASON} · 财政局绩效科（演示）`);
    // The deduction is finance's, with its reason: nothing becomes missing from the unit's entry.
    expect(await page.getByText(/还有 \d+ 项必填内容/).count()).toBe(0);
    expect(await row(page, 1).getByText("须填写偏差原因分析及改进措施").count()).toBe(0);

    await page.getByLabel("审核意见").fill("同意，按复核调整后的得分");
    await post(page, "审核通过");
    await page.getByText("已审核通过。").waitFor();
    await headerStatus(page, "已审核");
    expect(await text(page, "total")).toBe(FINAL);
    expect(await page.getByRole("heading", { name: "财政复核：调整分数" }).count()).toBe(0);
    await context.close();
  });

  it("the grade and the deduction show on the list, in the chart and in the exported .xlsx", async () => {
    const { context, page } = await newPage();
    await signIn(page, "qijiang.finance");
    await page.goto(roundUrl);
    const entries = page.getByTestId("entries-table");
    const line = entries.getByRole("row").filter({ has: page.getByRole("link", { name: PROJECT, exact: true }) });
    expect((await line.locator("td").allTextContents()).map((s) => s.trim())).toEqual([
      expect.stringContaining(PROJECT),
      "重庆市綦江区经济和信息化委员会",
      "已审核",
      "96%",
      FINAL,
      FINAL_GRADE,
    ]);
    // The newest of finance's changes comes first.
    expect(await page.getByTestId("finance-adjustments").locator("li").first().textContent()).toBe(
      `${PROJECT} 第 2 个指标：25 → 20 分，理由：${REASON}`,
    );

    // Filtered to the project's category, the rows that lost the most points are its own.
    await page.locator("#f-cat").selectOption(CATEGORY);
    await page.getByRole("button", { name: "筛选" }).click();
    await page.waitForURL((url) => url.searchParams.get("category") === CATEGORY);
    // The URL changes before the page has rendered the new data.
    const deductions = async () => (await page.getByTestId("deductions").locator("li").allTextContents()).map((s) => s.trim());
    await expect.poll(deductions, { timeout: 10000 }).toEqual([
      `${PROJECT}（重庆市綦江区经济和信息化委员会）「企业发展环境改善情况」：18.75 / 25 分，扣 6.25 分 — ${EXPLAIN_2}`,
      `${PROJECT}（重庆市綦江区经济和信息化委员会）「问题按时办结率」：20 / 25 分，扣 5 分 — 未说明原因`,
      `${PROJECT}（重庆市綦江区经济和信息化委员会）「服务企业户数」：28.5 / 30 分，扣 1.5 分 — ${EXPLAIN_0}`,
    ]);

    // The chart of the whole round: the 良 bar leads to the list of 良 evaluations.
    await page.goto(roundUrl);
    await page.locator('[data-testid="grades-chart"][data-ready="1"]').waitFor();
    const bar = await barCentre(page, "grades-chart", GRADE_FILL);
    await page.mouse.click(bar.x, bar.y);
    await page.waitForURL((url) => url.searchParams.get("grade") === FINAL_GRADE);
    expect(new URL(page.url()).searchParams.get("department")).toMatch(/^\d+$/);
    // The filter form is drawn with the filtered list: once it shows 良, so does the list.
    await expect.poll(() => page.locator("#f-grade").inputValue(), { timeout: 10000 }).toBe(FINAL_GRADE);
    await entries.getByRole("link", { name: PROJECT, exact: true }).waitFor();
    const grades = await entries.locator("tbody tr td:nth-child(6)").allTextContents();
    expect(grades.length).toBeGreaterThan(0);
    expect(grades.every((g) => g.trim() === FINAL_GRADE)).toBe(true);

    // The round's workbook, as the page's 导出 Excel link gives it.
    await page.goto(roundUrl);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "导出 Excel" }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await download.path());

    const summary = wb.getWorksheet("汇总表")!;
    const header = rowValues(summary, 3);
    const mine = findRow(summary, (r) => cellText(r.getCell(2)) === PROJECT);
    expect(mine.getCell(header.indexOf("总分") + 1).value).toBe(Number(FINAL));
    expect(mine.getCell(header.indexOf("自评等级") + 1).value).toBe(FINAL_GRADE);
    expect(mine.getCell(header.indexOf("状态") + 1).value).toBe("已审核");

    const sheet = wb.worksheets.find((ws) => ws.name === PROJECT || ws.name.endsWith(` ${PROJECT}`))!;
    expect(sheet, `a sheet for ${PROJECT} among ${wb.worksheets.map((w) => w.name).join(", ")}`).toBeDefined();
    expect(cellText(sheet.getCell("A2"))).toBe("状态：已审核 · 绩效目标表第 1 版");
    const adjusted = findRow(sheet, (r) => cellText(r.getCell(4)) === "问题按时办结率");
    expect(adjusted.getCell(8).value).toBe(20);
    expect(noteText(adjusted.getCell(8))).toContain(`财政复核：25.00 → 20.00 分；理由：${REASON}`);
    expect(cellText(adjusted.getCell(10))).toContain(`财政复核：25.00 → 20.00 分；理由：${REASON}`);
    const below = findRow(sheet, (r) => cellText(r.getCell(4)) === "服务企业户数");
    expect(below.getCell(8).value).toBe(28.5);
    expect(cellText(below.getCell(9))).toBe(EXPLAIN_0);
    const qualitative = findRow(sheet, (r) => cellText(r.getCell(4)) === "企业发展环境改善情况");
    expect(cellText(qualitative.getCell(6))).toBe("部分达成并具有一定效果（75%）");
    const total = findRow(sheet, (r) => cellText(r.getCell(1)) === "总分");
    expect(total.getCell(8).value).toBe(Number(FINAL));
    const grade = findRow(sheet, (r) => cellText(r.getCell(1)) === "自评等级");
    expect(grade.getCell(7).value).toBe(FINAL_GRADE);
    await context.close();
  });
});

describe.skipIf(!browserAvailable)("self-evaluation entry without JavaScript", () => {
  it("keeps every typed value after a non-numeric 全年执行数 and after a refused submission", async () => {
    expect(roundUrl).not.toBe("");
    const { context, page } = await newPage({ javaScriptEnabled: false });
    await signIn(page, "qijiang.unit");
    // An entry of the unit still open to it (the demo data may have started some).
    const url = await evaluationEntryWithStatus(page, roundUrl, ["not_started", "draft", "returned"]);
    await page.goto(url);
    await page.getByRole("button", { name: "提交自评" }).waitFor();
    // The first row of the demo tables is quantitative.
    const actual = row(page, 0).locator("#r0-actual");
    expect(await actual.evaluate((e) => e.tagName)).toBe("INPUT");

    await page.getByLabel("全年执行数（万元）").fill("四十万");
    await page.getByLabel("总体目标完成情况").fill("");
    await actual.fill("1");
    await row(page, 0).locator("#r0-explanation").fill("年中调整了实施方案");
    const annual = await page.getByLabel("全年预算数（万元）").inputValue();
    const bad = await post(page, "保存草稿");
    expect(bad.status()).toBe(400);
    expect(await page.locator("#budgetExecuted-err").textContent()).toBe("全年执行数应为数字（万元，最多 4 位小数）");
    expect(await page.getByLabel("全年执行数（万元）").inputValue()).toBe("四十万");
    expect(await page.getByLabel("全年预算数（万元）").inputValue()).toBe(annual);
    expect(await actual.inputValue()).toBe("1");
    expect(await row(page, 0).locator("#r0-explanation").inputValue()).toBe("年中调整了实施方案");

    // A number now, but no 总体目标完成情况: 提交自评 is refused, the input kept again.
    await page.getByLabel("全年执行数（万元）").fill("40");
    const refused = await post(page, "提交自评");
    expect(refused.status()).toBe(400);
    await page.getByTestId("entry-error").getByText("预算执行：请填写总体目标完成情况", { exact: true }).waitFor();
    expect(await page.getByLabel("全年执行数（万元）").inputValue()).toBe("40");
    expect(await actual.inputValue()).toBe("1");
    expect(await row(page, 0).locator("#r0-explanation").inputValue()).toBe("年中调整了实施方案");
    // The server scored what was typed.
    expect(await text(page, "formula-0")).toMatch(/^实际值 1 /);
    await context.close();
  });
});

/** A cell as Excel shows it: text, rich text, or a formula's cached result (the sheet links). */
function cellText(cell: ExcelJS.Cell): string {
  let v = cell.value;
  if (v && typeof v === "object" && "result" in v) v = v.result as ExcelJS.CellValue;
  if (v === null || v === undefined) return "";
  if (typeof v === "object" && "richText" in v) return v.richText.map((t) => t.text).join("");
  if (typeof v === "object" && "text" in v) return String(v.text);
  return String(v);
}

function noteText(cell: ExcelJS.Cell): string {
  const n = cell.note as string | { texts?: Array<{ text: string }> } | undefined;
  if (!n) return "";
  return typeof n === "string" ? n : (n.texts ?? []).map((t) => t.text).join("");
}

function rowValues(ws: ExcelJS.Worksheet, r: number): string[] {
  const out: string[] = [];
  ws.getRow(r).eachCell({ includeEmpty: true }, (cell, c) => (out[c - 1] = cellText(cell)));
  return out;
}

function findRow(ws: ExcelJS.Worksheet, match: (r: ExcelJS.Row) => boolean): ExcelJS.Row {
  for (let r = 1; r <= ws.rowCount; r++) if (match(ws.getRow(r))) return ws.getRow(r);
  throw new Error(`no matching row in sheet ${ws.name}`);
}
