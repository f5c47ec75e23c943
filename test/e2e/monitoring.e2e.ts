// The whole 绩效运行监控 story in Chromium (issue 10 item 10): finance opens a round; the unit
// fills an entry with one red indicator (the light turns red as they type), cannot submit
// without reasons, adds them, submits; the department returns it with a comment; the unit
// fixes and resubmits; department and finance approve; finance issues a 整改通知; the unit
// answers; finance clicks the department's red bar in the chart and lands on the filtered
// list. Plus: without JavaScript an entry keeps its input after server-side errors.
// Works in 綦江区 2026 on a seeded approved project of qijiang.unit's own unit.
import type { Page, Response } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserAvailable, newPage, openUnusedRound, signIn, useBrowser } from "./browser";

useBrowser();

// Seeded from the published 綦江区 2026 tables (seeds/published/002_…): approved, filed
// under 重庆市綦江区经济和信息化委员会（本级）, the unit of qijiang.unit.
const PROJECT = "参战参核军人生活补助";
// Its indicators in order: 补助人数 ≥39 人, 人均补助标准 ≥556 元, 受益人群满意度 ≥90 %,
// 补助政策知晓率 ≥90 %, 每季度按时发放率 =100 %.
const ON_TARGET: Array<[actual: string, projected: string]> = [
  ["20", "39"],
  ["556", "556"],
  ["92", "92"],
  ["95", "95"],
  ["100", "100"],
];
const NO_JS_PROJECT = "困难企业、骨干企业慰问费";
const DEPARTMENT = "重庆市綦江区经济和信息化委员会";

let roundUrl = "";

const row = (page: Page, i: number) => page.getByTestId(`row-${i}`);

async function openEntry(page: Page, project: string) {
  await page.goto(roundUrl);
  await page.getByTestId("entries-table").getByRole("link", { name: project, exact: true }).click();
  await page.getByRole("heading", { name: project, exact: true }).waitFor();
}

/** Clicks a submit button and returns the response of the POST it sends. */
async function post(page: Page, button: string): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: button, exact: true }).click(),
  ]);
  return response;
}

async function clearReasons(page: Page, i: number) {
  for (const box of await row(page, i).getByRole("checkbox").all()) await box.uncheck();
  await row(page, i).getByLabel("原因说明").fill("");
  await row(page, i).getByLabel("纠偏措施").fill("");
}

async function fillRow(page: Page, i: number, actual: string, projected: string, likelihood: string) {
  await row(page, i).getByLabel("截至本期完成值").fill(actual);
  await row(page, i).getByLabel("全年预计完成值").fill(projected);
  await row(page, i).getByLabel("完成目标可能性").selectOption(likelihood);
}

describe.skipIf(!browserAvailable)("the monitoring story in Chromium", () => {
  it("finance opens a monitoring round from the 监控 page", async () => {
    const { context, page } = await newPage();
    await signIn(page, "qijiang.finance");
    await page.getByRole("link", { name: "监控", exact: true }).click();
    await page.getByRole("heading", { name: "绩效运行监控" }).waitFor();
    roundUrl = await openUnusedRound(page);
    // The new round covers the unit's approved project.
    await page.getByTestId("entries-table").getByRole("link", { name: PROJECT, exact: true }).waitFor();
    await context.close();
  });

  it("the unit fills an entry with one red indicator, cannot submit without reasons, adds them and submits", async () => {
    const { context, page } = await newPage();
    await signIn(page, "qijiang.unit");
    await openEntry(page, PROJECT);
    const posts: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST") posts.push(r.url());
    });

    // Budget fully executed: green whatever the period.
    const annual = await page.getByLabel("全年预算数（万元）").inputValue();
    expect(Number(annual)).toBeGreaterThan(0);
    await page.getByLabel("截至本期执行数（万元）").fill(annual);
    await page.getByTestId("budget-light").getByText("绿灯").waitFor();

    for (const [i, [actual, projected]] of ON_TARGET.entries()) await fillRow(page, i, actual, projected, "确定能");
    // A later round starts from the previous round's values (issue 10 item 2): start clean.
    await clearReasons(page, 0);
    await expect(row(page, 0).getAttribute("data-light")).resolves.toBe("green");
    // 补助人数: 20 of ≥39 projected for the year — the light turns red as it is typed.
    await row(page, 0).getByLabel("全年预计完成值").fill("20");
    await row(page, 0).getByLabel("完成目标可能性").selectOption("有可能");
    await page.waitForFunction(() => document.querySelector('[data-testid="row-0"]')?.getAttribute("data-light") === "red");
    await row(page, 0).getByText("预计 20，目标 ≥39：红灯").waitFor();
    await row(page, 0).getByText("红灯指标须选择偏差原因").waitFor();
    expect(await page.getByTestId("light-summary").textContent()).toMatch(/绿灯 4 · 黄灯 0 · 红灯 1/);
    expect(posts).toEqual([]);

    // 提交监控 without reasons: refused by the server, which lists what is missing.
    const refused = await post(page, "提交监控");
    expect(refused.status()).toBe(400);
    const error = page.getByTestId("entry-error");
    await error.waitFor();
    const listed = await error.textContent();
    expect(listed).toContain("第 1 个指标「补助人数」：红灯指标须选择偏差原因");
    expect(listed).toContain("第 1 个指标「补助人数」：红灯指标须说明偏差原因");
    expect(listed).toContain("第 1 个指标「补助人数」：红灯指标须填写纠偏措施");
    // Nothing typed was lost.
    expect(await row(page, 0).getByLabel("全年预计完成值").inputValue()).toBe("20");
    expect(await page.getByLabel("截至本期执行数（万元）").inputValue()).toBe(annual);

    await row(page, 0).getByLabel("经费保障").check();
    await row(page, 0).getByLabel("原因说明").fill("上级补助资金尚未下达，部分人员待核实");
    await row(page, 0).getByLabel("纠偏措施").fill("加快核实");
    await row(page, 0).getByText("红灯指标须选择偏差原因").waitFor({ state: "detached" });
    await post(page, "提交监控");
    await page.getByText("已提交，等待审核。").waitFor();
    await page.getByText("待主管部门审核").first().waitFor();
    expect(await page.getByRole("button", { name: "提交监控" }).count()).toBe(0);
    await context.close();
  });

  it("the department returns it with a comment; the unit sees it, fixes and resubmits", async () => {
    const dept = await newPage();
    await signIn(dept.page, "qijiang.dept");
    await openEntry(dept.page, PROJECT);
    await dept.page.getByLabel("审核意见").fill("纠偏措施过于笼统，请写明时间节点");
    await dept.page.getByText("逐条指标意见（可选）").click();
    await dept.page.getByLabel("第 1 个指标「补助人数」").fill("请说明待核实人数");
    await post(dept.page, "退回修改");
    await dept.page.getByText("已退回修改。").waitFor();
    await dept.context.close();

    const { context, page } = await newPage();
    await signIn(page, "qijiang.unit");
    await openEntry(page, PROJECT);
    await page.getByText("退回修改").first().waitFor();
    await page.getByText("审核意见：纠偏措施过于笼统，请写明时间节点").first().waitFor();
    await row(page, 0).getByText("审核意见：请说明待核实人数").waitFor();
    // The entry kept what was submitted.
    expect(await row(page, 0).getByLabel("原因说明").inputValue()).toBe("上级补助资金尚未下达，部分人员待核实");
    await row(page, 0).getByLabel("原因说明").fill("上级补助资金尚未下达，19 人待核实");
    await row(page, 0).getByLabel("纠偏措施").fill("9 月底前完成核实并发放");
    await post(page, "提交监控");
    await page.getByText("已提交，等待审核。").waitFor();
    await context.close();
  });

  it("the department and finance approve it", async () => {
    const dept = await newPage();
    await signIn(dept.page, "qijiang.dept");
    await openEntry(dept.page, PROJECT);
    await post(dept.page, "审核通过");
    await dept.page.getByText("已审核通过。").waitFor();
    await dept.page.getByText("待财政审核").first().waitFor();
    await dept.context.close();

    const fin = await newPage();
    await signIn(fin.page, "qijiang.finance");
    await openEntry(fin.page, PROJECT);
    expect(await row(fin.page, 0).getByLabel("纠偏措施").inputValue()).toBe("9 月底前完成核实并发放");
    await fin.page.getByLabel("审核意见").fill("同意");
    await post(fin.page, "审核通过");
    await fin.page.getByText("已审核通过。").waitFor();
    await fin.page.getByText("已审核").first().waitFor();
    await fin.context.close();
  });

  it("finance issues a 整改通知 and the unit answers it", async () => {
    const fin = await newPage();
    await signIn(fin.page, "qijiang.finance");
    await openEntry(fin.page, PROJECT);
    await fin.page.getByLabel("整改要求").fill("补助人数严重滞后，请于期限内完成核实发放");
    await fin.page.getByLabel("整改期限").fill(shanghaiDayFromNow(20));
    await post(fin.page, "下发整改通知");
    await fin.page.getByText("整改通知已下发。").waitFor();
    await fin.page.getByTestId("rectification").getByText("整改要求：补助人数严重滞后，请于期限内完成核实发放").waitFor();
    await fin.context.close();

    const { context, page } = await newPage();
    await signIn(page, "qijiang.unit");
    await openEntry(page, PROJECT);
    const rect = page.getByTestId("rectification");
    await rect.getByText("整改要求：补助人数严重滞后，请于期限内完成核实发放").waitFor();
    await rect.getByLabel("已采取的整改措施").fill("已完成 19 人核实，补助已发放到位");
    await post(page, "答复整改");
    await page.getByText("整改情况已答复。").waitFor();
    await page.getByTestId("rectification").getByText("整改情况：已完成 19 人核实，补助已发放到位").waitFor();
    await context.close();
  });

  it("finance clicks the department's red bar in the chart and lands on the filtered list", async () => {
    const { context, page } = await newPage();
    await signIn(page, "qijiang.finance");
    await page.goto(roundUrl);
    await page.getByTestId("red-items").getByText("补助人数").waitFor();
    const chart = page.locator('[data-testid="lights-chart"][data-ready="1"]');
    await chart.waitFor();
    const bar = await redBar(page);
    await page.mouse.click(bar.x, bar.y);
    await page.waitForURL((url) => url.searchParams.get("light") === "indicator_red");
    const url = new URL(page.url());
    expect(url.searchParams.get("department")).toMatch(/^\d+$/);
    const entries = page.getByTestId("entries-table");
    await entries.getByRole("link", { name: PROJECT, exact: true }).waitFor();
    expect(await entries.getByRole("row").count()).toBe(2); // header + the one red project
    expect(await entries.textContent()).toContain(DEPARTMENT);
    expect(await page.locator("#f-light").inputValue()).toBe("indicator_red");
    await context.close();
  });
});

describe.skipIf(!browserAvailable)("monitoring entry without JavaScript", () => {
  it("keeps every typed value after a non-numeric amount and after a submit without reasons", async () => {
    expect(roundUrl).not.toBe("");
    const { context, page } = await newPage({ javaScriptEnabled: false });
    await signIn(page, "qijiang.unit");
    await openEntry(page, NO_JS_PROJECT);
    // 慰问金按时到位率 =100 %: projected 60 is red.
    await page.getByLabel("截至本期执行数（万元）").fill("三万");
    await fillRow(page, 0, "60", "60", "有可能");
    await clearReasons(page, 0);
    await row(page, 0).getByLabel("原因说明").fill("部分企业尚未确认名单");
    const bad = await post(page, "保存草稿");
    expect(bad.status()).toBe(400);
    await page.getByText("截至本期执行数应为数字（万元，最多 4 位小数）").waitFor();
    expect(await page.getByLabel("截至本期执行数（万元）").inputValue()).toBe("三万");
    expect(await row(page, 0).getByLabel("截至本期完成值").inputValue()).toBe("60");
    expect(await row(page, 0).getByLabel("全年预计完成值").inputValue()).toBe("60");
    expect(await row(page, 0).getByLabel("完成目标可能性").inputValue()).toBe("有可能");
    expect(await row(page, 0).getByLabel("原因说明").inputValue()).toBe("部分企业尚未确认名单");

    // A number now, but the red indicator has no 偏差原因 or 纠偏措施: submit is refused.
    await page.getByLabel("截至本期执行数（万元）").fill("3");
    const refused = await post(page, "提交监控");
    expect(refused.status()).toBe(400);
    const error = page.getByTestId("entry-error");
    await error.getByText("第 1 个指标「慰问金按时到位率」：红灯指标须选择偏差原因", { exact: true }).waitFor();
    expect(await page.getByLabel("截至本期执行数（万元）").inputValue()).toBe("3");
    expect(await row(page, 0).getByLabel("全年预计完成值").inputValue()).toBe("60");
    expect(await row(page, 0).getByLabel("原因说明").inputValue()).toBe("部分企业尚未确认名单");
    // The server rendered the light too.
    expect(await row(page, 0).getAttribute("data-light")).toBe("red");
    await context.close();
  });
});

/** Today + days as YYYY-MM-DD in Asia/Shanghai (the app's calendar). */
function shanghaiDayFromNow(days: number): string {
  return new Date(Date.now() + days * 86400000 + 8 * 3600000).toISOString().slice(0, 10);
}

/** The centre of the red (红灯指标) bar segment in the lights chart, in page coordinates. */
async function redBar(page: Page): Promise<{ x: number; y: number }> {
  const chart = page.getByTestId("lights-chart");
  const top = (await chart.boundingBox())!.y;
  // The legend's red icon has the same fill; the bars are below the legend (grid top 32).
  const boxes = [];
  for (const el of await chart.locator('svg path[fill="#b42318"]').all()) {
    const box = await el.boundingBox();
    if (box && box.y - top > 28 && box.width > 0) boxes.push(box);
  }
  expect(boxes).toHaveLength(1);
  const [b] = boxes;
  return { x: b!.x + b!.width / 2, y: b!.y + b!.height / 2 };
}
