// The whole story of a 项目绩效目标表 in Chromium: a unit fills a table with a weight
// error, cannot submit, fixes it, submits; the department returns it with a comment; the
// unit sees the comment, fixes, resubmits; department approves; finance approves with a
// rating; the table is locked; the unit requests an adjustment and the diff shows it.
// Plus: without JavaScript a form keeps its input after a server-side error.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserAvailable, newPage, pageErrors, signIn, useBrowser } from "./browser";

useBrowser();

type Row = [string, string, string, string, string, string, string, string];
const ROWS: Row[] = [
  ["产出指标", "数量指标", "企业走访户数", "30", "户", "≥", "120", "是"],
  ["产出指标", "时效指标", "问题按时办结率", "25", "%", "≥", "95", "是"],
  ["效益指标", "社会效益指标", "企业诉求解决率", "20", "%", "≥", "90", "否"],
  ["满意度指标", "服务对象满意度指标", "走访企业满意度", "10", "%", "≥", "90", "否"],
];

async function fillRow(page: Page, i: number, row: Row) {
  const n = i + 1;
  const [l1, l2, name, weight, unit, op, target, core] = row;
  await page.getByLabel(`第 ${n} 行一级指标`).selectOption(l1);
  await page.getByLabel(`第 ${n} 行二级指标`).selectOption(l2);
  await page.getByLabel(`第 ${n} 行三级指标`).fill(name);
  await page.getByLabel(`第 ${n} 行权重`).fill(weight);
  await page.getByLabel(`第 ${n} 行计量单位`).fill(unit);
  await page.getByLabel(`第 ${n} 行指标性质`).selectOption(op);
  await page.getByLabel(`第 ${n} 行指标值`).fill(target);
  await page.getByLabel(`第 ${n} 行是否核心指标`).selectOption(core);
}

async function openProject(page: Page, url: string) {
  await page.goto(url);
  await page.getByRole("heading", { name: "走访服务企业专项" }).waitFor();
}

/** The table's status in the page header (not the review history, not a button's text). */
async function statusShows(page: Page, label: string) {
  await page.locator(".page-header .badge").filter({ hasText: new RegExp(`^${label}$`) }).waitFor();
}

/**
 * Clicks a workflow button and waits for what it really did: the POST answered without an
 * error, then the header shows the new status. Only then may the test close the context.
 */
async function act(page: Page, button: string, expectedStatus: string) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: button, exact: true }).click(),
  ]);
  if (response.status() >= 400) {
    // Name what the server refused, not just the status.
    const message = page.getByTestId("action-message");
    await message.waitFor();
    expect.fail(`${button}: ${response.status()} ${await message.textContent()}`);
  }
  await statusShows(page, expectedStatus);
}

describe.skipIf(!browserAvailable)("the target-table workflow in Chromium", () => {
  let projectUrl = "";

  it("a unit fills a table with a weight error, cannot submit, fixes it and submits", async () => {
    const { context, page } = await newPage();
    await signIn(page, "qijiang.unit");
    await page.getByRole("link", { name: "项目", exact: true }).click();
    await page.getByRole("link", { name: "新建项目" }).click();
    await page.getByLabel("项目名称").fill("走访服务企业专项");
    await page.getByLabel("当年预算（万元）").fill("12.5");
    await page.getByRole("button", { name: "新建项目" }).click();
    await page.getByRole("heading", { name: "走访服务企业专项" }).waitFor();
    projectUrl = new URL(page.url()).pathname;

    // Three empty rows are ready; add a fourth with the button.
    await page.getByRole("button", { name: "添加指标" }).click();
    for (const [i, row] of ROWS.entries()) await fillRow(page, i, row);
    await page.getByLabel("预算执行率权重").fill("10");
    // Live weight meter: 30 + 25 + 20 + 10 = 85 of 90.
    await expect(page.getByTestId("weight-meter").textContent()).resolves.toMatch(/85\s*\/\s*90/);
    const revision = await page.locator('input[name="revision"]').inputValue();
    await page.getByRole("button", { name: "提交审核" }).click();
    const message = page.getByTestId("action-message");
    await message.waitFor();
    expect(await message.textContent()).toContain("指标权重合计 85，应为 90");
    // The refused submission saved the draft: wait until the page has the new revision, which
    // the next submission must carry (the message shows before the page's data is reloaded).
    await page.waitForFunction((old) => document.querySelector<HTMLInputElement>('input[name="revision"]')?.value !== old, revision);
    // Nothing typed was lost.
    expect(await page.getByLabel("第 4 行三级指标").inputValue()).toBe("走访企业满意度");

    await page.getByLabel("第 3 行权重").fill("25");
    await expect(page.getByTestId("weight-meter").textContent()).resolves.toMatch(/90\s*\/\s*90/);
    await act(page, "提交审核", "待主管部门审核");
    expect(await page.getByRole("button", { name: "提交审核" }).count()).toBe(0);
    await context.close();
  });

  it("the department returns it with a comment; the unit sees it, fixes and resubmits", async () => {
    const dept = await newPage();
    await signIn(dept.page, "qijiang.dept");
    await openProject(dept.page, projectUrl);
    await dept.page.getByLabel("审核意见").fill("满意度目标偏低，请提高到 95");
    // The button itself says 退回修改: wait for the header's status, after the POST.
    await act(dept.page, "退回修改", "退回修改");
    await dept.context.close();

    const { context, page } = await newPage();
    await signIn(page, "qijiang.unit");
    await openProject(page, projectUrl);
    await statusShows(page, "退回修改");
    await page.getByTestId("review-entry").filter({ hasText: "满意度目标偏低，请提高到 95" }).waitFor();
    await page.getByLabel("第 4 行指标值").fill("95");
    // The review history already shows a 待主管部门审核 badge from the first submission.
    await act(page, "提交审核", "待主管部门审核");
    await context.close();
  });

  it("department approves, finance approves with a rating, and the table is locked", async () => {
    const dept = await newPage();
    await signIn(dept.page, "qijiang.dept");
    await openProject(dept.page, projectUrl);
    await act(dept.page, "审核通过", "待财政审核");
    await dept.context.close();

    const fin = await newPage();
    await signIn(fin.page, "qijiang.finance");
    await openProject(fin.page, projectUrl);
    await fin.page.getByLabel("良").check();
    await fin.page.getByLabel("审核意见").fill("同意批复");
    await act(fin.page, "审核通过", "已批复");
    expect(await fin.page.getByText("财政评级：良").count()).toBe(1);
    await fin.context.close();

    const { context, page } = await newPage();
    await signIn(page, "qijiang.unit");
    await openProject(page, projectUrl);
    expect(await page.getByRole("button", { name: "保存草稿" }).count()).toBe(0);
    expect(await page.getByLabel("第 1 行三级指标").count()).toBe(0);
    await context.close();
  });

  it("the unit requests an adjustment and the diff shows the change", async () => {
    const { context, page } = await newPage();
    await signIn(page, "qijiang.unit");
    await openProject(page, projectUrl);
    await page.getByLabel("调整理由").fill("走访计划扩大");
    await page.getByRole("button", { name: "申请调整" }).click();
    await page.getByText("第 2 版（调整）").waitFor();
    await page.getByLabel("第 1 行指标值").fill("150");
    await page.getByRole("button", { name: "保存草稿" }).click();
    const diff = page.getByTestId("version-diff");
    await diff.waitFor();
    await diff.getByText("企业走访户数").waitFor();
    expect(await diff.textContent()).toMatch(/指标值\s*120\s*150/);
    await context.close();
  });
});

describe.skipIf(!browserAvailable)("without JavaScript", () => {
  it("a server-side error returns the form with every typed value kept", async () => {
    const { context, page } = await newPage({ javaScriptEnabled: false });
    await signIn(page, "qijiang.unit");
    await page.goto("/projects/new");
    await page.getByLabel("项目名称").fill("无脚本项目");
    await page.getByLabel("项目编码").fill("50011021T0000001");
    await page.getByLabel("当年预算（万元）").fill("十二万");
    await page.getByLabel("项目概况").fill("用于验证无 JavaScript 时的表单");
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: "新建项目" }).click(),
    ]);
    expect(response.status()).toBe(400);
    await page.getByText("当年预算须为数字（万元）").waitFor();
    expect(await page.getByLabel("项目名称").inputValue()).toBe("无脚本项目");
    expect(await page.getByLabel("项目编码").inputValue()).toBe("50011021T0000001");
    expect(await page.getByLabel("当年预算（万元）").inputValue()).toBe("十二万");
    expect(await page.getByLabel("项目概况").inputValue()).toBe("用于验证无 JavaScript 时的表单");
    await context.close();
  });

  it("the indicator editor posts and keeps its input without JavaScript too", async () => {
    const { context, page } = await newPage({ javaScriptEnabled: false });
    await signIn(page, "qijiang.unit");
    await page.goto("/projects/new");
    await page.getByLabel("项目名称").fill("无脚本编辑");
    await page.getByRole("button", { name: "新建项目" }).click();
    await page.getByRole("heading", { name: "无脚本编辑" }).waitFor();
    // Only what works without JavaScript is offered: no row buttons, no 添加指标 (blank rows instead).
    for (const name of ["删除指标", "添加指标", "上移第 2 行", "在第 1 行后插入"]) expect(await page.getByRole("button", { name }).count(), name).toBe(0);
    expect(await page.getByLabel("第 3 行三级指标").inputValue()).toBe("");
    await page.getByLabel("第 1 行三级指标").fill("超长".repeat(60));
    await page.getByLabel("第 1 行权重").fill("30");
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: "保存草稿" }).click(),
    ]);
    expect(response.status()).toBe(400);
    await page.getByText("三级指标不能超过 100 个字").first().waitFor();
    expect(await page.getByLabel("第 1 行三级指标").inputValue()).toBe("超长".repeat(60));
    expect(await page.getByLabel("第 1 行权重").inputValue()).toBe("30");
    await context.close();
  });
});

/** A new project of qijiang.unit, open in its editor; with the page's errors from the start. */
async function newProjectAsUnit(name: string) {
  const { context, page } = await newPage();
  const errors = pageErrors(page);
  await signIn(page, "qijiang.unit");
  await page.goto("/projects/new");
  await page.getByLabel("项目名称").fill(name);
  await page.getByRole("button", { name: "新建项目" }).click();
  await page.getByRole("heading", { name }).waitFor();
  return { context, page, errors };
}

describe.skipIf(!browserAvailable)("editor conveniences", () => {
  it("rows pasted from Excel fill the grid; Enter moves down; a 指标库 suggestion fills a row", async () => {
    const { context, page, errors } = await newProjectAsUnit("粘贴测试项目");

    // Two rows in 002's published layout, as Excel puts them on the clipboard.
    const tsv = [
      "绩效指标\t产出指标\t数量指标\t补助人数\t20\t人\t≥\t39\t是",
      "\t成本指标\t经济成本指标\t人均补助标准\t20\t元\t≤\t556\t否",
    ].join("\n");
    await page.getByLabel("第 1 行三级指标").focus();
    await page.evaluate((text) => {
      const data = new DataTransfer();
      data.setData("text/plain", text);
      document.activeElement!.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }, tsv);
    await page.getByText("已粘贴 2 行").waitFor();
    expect(await page.getByLabel("第 2 行三级指标").inputValue()).toBe("人均补助标准");
    expect(await page.getByLabel("第 2 行指标性质").inputValue()).toBe("≤");
    expect(await page.getByLabel("第 1 行是否核心指标").inputValue()).toBe("是");
    await expect(page.getByTestId("weight-meter").textContent()).resolves.toMatch(/40\s*\/\s*90/);

    // Enter in a cell moves to the same column of the next row.
    await page.getByLabel("第 2 行权重").press("Enter");
    // Focus moves on the next animation frame.
    await page.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "第 3 行权重", null, { timeout: 5000 });

    // The region's approved tables (the published 綦江区 projects) suggest indicators.
    await page.getByLabel("第 3 行三级指标").fill("受益人群");
    const option = page.getByRole("listbox", { name: "指标库推荐" }).getByRole("button").filter({ hasText: "受益人群满意度" }).first();
    await option.click();
    expect(await page.getByLabel("第 3 行三级指标").inputValue()).toBe("受益人群满意度");
    expect(await page.getByLabel("第 3 行一级指标").inputValue()).toBe("满意度指标");
    expect(await page.getByLabel("第 3 行计量单位").inputValue()).toBe("%");
    // The editor was rendered on the server without react-hook-form's register(): it must
    // hydrate as rendered (docs/decisions/030-per-request-cost.md).
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a filled table's editor, the project list and the 工作台 hydrate without an error", async () => {
    const { context, page, errors } = await newProjectAsUnit("水合测试项目");
    await page.getByRole("button", { name: "添加指标" }).click();
    for (const [i, row] of ROWS.entries()) await fillRow(page, i, row);
    const revision = await page.locator('input[name="revision"]').inputValue();
    await page.getByRole("button", { name: "保存草稿" }).click();
    await page.waitForFunction((old) => document.querySelector<HTMLInputElement>('input[name="revision"]')?.value !== old, revision);
    // The saved table as the server renders it, then hydrated: the client-side checker
    // answers typing only once it is.
    await page.reload();
    expect(await page.getByLabel("第 4 行三级指标").inputValue()).toBe("走访企业满意度");
    await page.getByLabel("第 1 行权重").fill("31");
    await expect(page.getByTestId("weight-meter").textContent()).resolves.toMatch(/86\s*\/\s*90/);
    // The row buttons come with JavaScript (the server leaves them out) and work.
    const first = await page.getByLabel("第 1 行三级指标").inputValue();
    await page.getByRole("button", { name: "下移第 1 行" }).click();
    expect(await page.getByLabel("第 2 行三级指标").inputValue()).toBe(first);
    for (const url of ["/projects", "/"]) {
      await page.goto(url);
      await page.waitForFunction(() => (window as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized === true);
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe.skipIf(!browserAvailable)("the project list", () => {
  it("its plain row links open a project inside the app, without loading a new document", async () => {
    const { context, page } = await newPage();
    const errors = pageErrors(page);
    await signIn(page, "qijiang.finance");
    await page.goto("/projects");
    await page.waitForFunction(() => (window as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized === true);
    // A new document would lose this.
    await page.evaluate(() => ((window as { __sameDocument?: boolean }).__sameDocument = true));
    const first = page.locator("table.data tbody a").first();
    const name = (await first.textContent())!;
    const href = (await first.getAttribute("href"))!;
    expect(href).toMatch(/^\/projects\/\d+$/);
    await first.click();
    await page.getByRole("heading", { level: 1, name }).waitFor();
    expect(new URL(page.url()).pathname).toBe(href);
    expect(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    // Back to the list the same way: the browser's history works as with <Link>.
    await page.goBack();
    await page.getByRole("heading", { level: 1, name: "项目" }).waitFor();
    expect(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});
