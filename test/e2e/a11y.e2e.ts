// Accessibility: axe-core finds no WCAG 2 A or AA violation on the main pages of every role,
// in the states people see them — the table editor of a draft, a monitoring entry refused
// with its missing fields listed, one waiting for review, the round page with its charts
// drawn. Works in 南岸区 (2024), on a monitoring round it opens itself. The 自评 pages are
// checked on the demo's self-evaluations: 綦江区 2026's open one (entries in every state) and
// 南岸区 2024's finished one (charts of every grade, a finance deduction, the task closed).
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, browserAvailable, evaluationEntryWithStatus, findOrOpenEvaluationRound, newPage, openUnusedRound, signIn, useBrowser } from "./browser";

useBrowser();

let roundUrl = "";
let entryUrl = "";
let projectUrl = "";

/** Opens `path` (or stays, when null) and expects no violation; `what` names the page in the failure. */
async function expectAccessible(page: Page, what: string, path: string | null = null) {
  if (path) {
    const response = await page.goto(path);
    expect(response?.status(), `${what} (${path})`).toBe(200);
  }
  expect(await axeViolations(page), what).toEqual([]);
}

describe.skipIf(!browserAvailable)("accessibility (axe-core, WCAG 2 A and AA)", () => {
  it("finance opens a round: 工作台, 监控, the round page", async () => {
    const { context, page } = await newPage();
    await signIn(page, "nanan.finance");
    await expectAccessible(page, "财政 工作台", "/");
    await expectAccessible(page, "财政 监控", "/monitoring");
    roundUrl = await openUnusedRound(page);
    await expectAccessible(page, "财政 新的监控任务");
    await context.close();
  });

  it("unit: 工作台, 项目, 新建项目, the table editor, 监控, a refused entry, 指标库", async () => {
    const { context, page } = await newPage();
    await signIn(page, "nanan.unit");
    await expectAccessible(page, "单位 工作台", "/");
    await expectAccessible(page, "单位 项目", "/projects");
    await expectAccessible(page, "单位 新建项目", "/projects/new");
    await page.getByLabel("项目名称").fill("无障碍检查项目");
    await page.getByRole("button", { name: "新建项目" }).click();
    await page.getByRole("heading", { name: "无障碍检查项目" }).waitFor();
    await expectAccessible(page, "单位 绩效目标表编辑");
    await expectAccessible(page, "单位 监控", "/monitoring");
    await expectAccessible(page, "单位 监控任务", roundUrl);

    await page.getByTestId("entries-table").locator('a[href*="/p/"]').first().click();
    await page.getByRole("button", { name: "提交监控" }).waitFor();
    entryUrl = new URL(page.url()).pathname;
    await expectAccessible(page, "单位 监控填报");
    // Every indicator red (完全不可能), no reasons: refused, the missing fields listed.
    const rows = page.locator('tbody[data-testid^="row-"]');
    const n = await rows.count();
    await page.getByLabel("截至本期执行数（万元）").fill(await page.getByLabel("全年预算数（万元）").inputValue());
    for (let i = 0; i < n; i++) {
      const row = rows.nth(i);
      await row.getByLabel("截至本期完成值").fill("1");
      await row.getByLabel("全年预计完成值").fill("1");
      await row.getByLabel("完成目标可能性").selectOption("完全不可能");
      for (const box of await row.getByRole("checkbox").all()) await box.uncheck();
      await row.getByLabel("原因说明").fill("");
      await row.getByLabel("纠偏措施").fill("");
    }
    await page.getByRole("button", { name: "提交监控" }).click();
    await page.getByTestId("entry-error").waitFor();
    await expectAccessible(page, "单位 监控填报（提交被拒，列出缺项）");

    for (let i = 0; i < n; i++) {
      const row = rows.nth(i);
      await row.getByLabel("经费保障").check();
      await row.getByLabel("原因说明").fill("资金未到位");
      await row.getByLabel("纠偏措施").fill("督促拨付");
    }
    await page.getByRole("button", { name: "提交监控" }).click();
    await page.getByText("已提交，等待审核。").waitFor();
    await expectAccessible(page, "单位 监控填报（已提交）");
    await expectAccessible(page, "单位 指标库", "/library");
    await context.close();
  });

  it("department: 工作台, 项目, 部门整体目标, 监控, an entry to review, 指标库", async () => {
    const { context, page } = await newPage();
    await signIn(page, "nanan.dept");
    await expectAccessible(page, "主管部门 工作台", "/");
    await expectAccessible(page, "主管部门 项目", "/projects");
    await expectAccessible(page, "主管部门 部门整体目标", "/department-targets");
    await expectAccessible(page, "主管部门 监控", "/monitoring");
    await expectAccessible(page, "主管部门 监控任务", roundUrl);
    await expectAccessible(page, "主管部门 监控填报审核", entryUrl);
    await page.getByRole("button", { name: "审核通过" }).waitFor();
    await expectAccessible(page, "主管部门 指标库", "/library");
    await context.close();
  });

  it("finance: 项目, a project, the round's charts, an entry with 整改, 指标库, 审计日志, 规则集, 导入", async () => {
    const { context, page } = await newPage();
    await signIn(page, "nanan.finance");
    await expectAccessible(page, "财政 项目", "/projects");
    await page.locator('table.data tbody a[href^="/projects/"]').first().click();
    await page.waitForURL((url) => /^\/projects\/\d+$/.test(url.pathname));
    projectUrl = new URL(page.url()).pathname;
    await expectAccessible(page, "财政 项目页");
    await expectAccessible(page, "财政 部门整体目标", "/department-targets");
    await expectAccessible(page, "财政 监控任务（图表）", roundUrl);
    await page.getByTestId("lights-chart").waitFor();
    await expectAccessible(page, "财政 监控填报（可下发整改）", entryUrl);
    await page.getByLabel("整改要求").waitFor();
    await expectAccessible(page, "财政 指标库", "/library");
    await expectAccessible(page, "财政 审计日志", "/audit");
    await expectAccessible(page, "财政 规则集", "/rules");
    await expectAccessible(page, "财政 导入", "/import");
    await context.close();
  });

  it("admin: 工作台, a project, 审计日志, 导入, 系统管理", async () => {
    const { context, page } = await newPage();
    await signIn(page, "nanan.admin");
    await expectAccessible(page, "管理员 工作台", "/");
    await expectAccessible(page, "管理员 项目页", projectUrl);
    await expectAccessible(page, "管理员 审计日志", "/audit");
    await expectAccessible(page, "管理员 导入", "/import");
    await expectAccessible(page, "管理员 系统管理", "/admin");
    await context.close();
  });

  it("自评 (unit): the task, an entry not started, refused with its missing items listed, a draft with its 佐证材料 form", async () => {
    const { context, page } = await newPage();
    await signIn(page, "qijiang.unit");
    await expectAccessible(page, "单位 自评", "/evaluations");
    const roundUrl = (await page.locator('section[aria-labelledby="rounds-h"] tbody a').first().getAttribute("href"))!;
    await expectAccessible(page, "单位 自评任务", roundUrl);
    await expectAccessible(page, "单位 绩效自评（未填报）", await evaluationEntryWithStatus(page, roundUrl, ["not_started"]));
    // Nothing of 总体目标完成情况 yet: 提交自评 is refused and the missing items are listed.
    await page.getByRole("button", { name: "提交自评" }).click();
    await page.getByTestId("entry-error").waitFor();
    await expectAccessible(page, "单位 绩效自评（提交被拒，列出缺项）");
    await expectAccessible(page, "单位 绩效自评（草稿）", await evaluationEntryWithStatus(page, roundUrl, ["draft"]));
    await page.locator("#attachment-file").waitFor();
    await context.close();
  });

  it("自评 (department and finance): the task with its charts, an entry to review, finance's 复核 form, an approved one with a deduction", async () => {
    const dept = await newPage();
    await signIn(dept.page, "qijiang.dept");
    await dept.page.goto("/evaluations");
    const roundUrl = (await dept.page.locator('section[aria-labelledby="rounds-h"] tbody a').first().getAttribute("href"))!;
    await expectAccessible(dept.page, "主管部门 绩效自评（待审核）", await evaluationEntryWithStatus(dept.page, roundUrl, ["pending_department"]));
    await dept.page.getByRole("button", { name: "审核通过" }).waitFor();
    await dept.context.close();

    const { context, page } = await newPage();
    await signIn(page, "qijiang.finance");
    await page.goto("/evaluations");
    expect(await findOrOpenEvaluationRound(page)).toBe(roundUrl);
    await page.getByTestId("grades-chart").waitFor();
    await expectAccessible(page, "财政 自评任务（图表）");
    await expectAccessible(page, "财政 绩效自评（复核）", await evaluationEntryWithStatus(page, roundUrl, ["pending_finance"]));
    await page.getByRole("heading", { name: "财政复核：调整分数" }).waitFor();
    await context.close();

    const nanan = await newPage();
    await signIn(nanan.page, "nanan.finance");
    await expectAccessible(nanan.page, "财政 自评", "/evaluations");
    await nanan.page.locator('section[aria-labelledby="rounds-h"] tbody a').first().click();
    await nanan.page.getByRole("heading", { name: "重新开放" }).waitFor();
    await expectAccessible(nanan.page, "财政 已关闭的自评任务（图表、扣分、重新开放）");
    await nanan.page.getByTestId("finance-adjustments").getByRole("link").first().click();
    await nanan.page.getByTestId("adjustments").waitFor();
    await expectAccessible(nanan.page, "财政 绩效自评（已审核，有复核调整）");
    await nanan.context.close();
  });
});
