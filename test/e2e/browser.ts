// Shared browser helpers for e2e tests: one Chromium per file, a fresh context per test.
import fs from "node:fs";
import { createRequire } from "node:module";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, inject } from "vitest";

export const baseURL = inject("baseURL");
export const browserAvailable = Boolean(baseURL);

let browser: Browser | undefined;

export function useBrowser() {
  beforeAll(async () => {
    if (!browserAvailable) return;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-quic",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });
}

export async function newPage(options: { javaScriptEnabled?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser!.newContext({ baseURL, locale: "zh-CN", ...options });
  const page = await context.newPage();
  return { context, page };
}

/**
 * Uncaught errors in the page and React's own errors (a hydration that did not match the
 * server's HTML is one: React then renders on the client, and the page still works), as
 * they happen from now on.
 */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && /react|hydrat/i.test(message.text())) errors.push(`console: ${message.text()}`);
  });
  return errors;
}

export async function signIn(page: Page, username: string, password = "jixiao-demo") {
  await page.goto("/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  // The URL changes before the new page has rendered; wait for the signed-in shell.
  await page.getByRole("button", { name: "退出登录" }).waitFor();
}

/**
 * On the 监控 page as finance: opens a round for the first period the region's rule set
 * allows that has no round yet this year (the demo data or another test may hold some),
 * due in 30 days. Returns the new round's path.
 */
export async function openUnusedRound(page: Page): Promise<string> {
  const taken = await page.locator('section[aria-labelledby="rounds-h"] tbody tr td:first-child').allTextContents();
  const period = page.getByLabel("监控期间");
  const options = await period.locator("option").evaluateAll((els) =>
    els.map((e) => ({ value: (e as HTMLOptionElement).value, label: e.textContent ?? "" })).filter((o) => o.value),
  );
  const free = options.find((o) => !taken.some((t) => t.trim() === o.label.trim()));
  if (!free) throw new Error(`every monitoring period is taken: ${taken.join(", ")}`);
  await period.selectOption(free.value);
  const due = new Date(Date.now() + 30 * 86400000 + 8 * 3600000).toISOString().slice(0, 10);
  await page.getByLabel("截止日期", { exact: true }).fill(due);
  await page.getByRole("button", { name: "发起任务" }).click();
  await page.waitForURL((url) => /^\/monitoring\/\d+$/.test(url.pathname));
  await page.getByRole("heading", { name: `${free.label} 绩效运行监控` }).waitFor();
  return new URL(page.url()).pathname;
}

/** A row of the 绩效目标表 editor: 一级, 二级, 三级指标, 权重, 计量单位, 指标性质, 指标值, 是否核心指标. */
export type IndicatorRow = [level1: string, level2: string, name: string, weight: string, unit: string, operator: string, target: string, core: string];

/** Fills row i (0-based) of the 绩效目标表 editor. */
export async function fillIndicatorRow(page: Page, i: number, [l1, l2, name, weight, unit, op, target, core]: IndicatorRow) {
  const n = i + 1;
  await page.getByLabel(`第 ${n} 行一级指标`).selectOption(l1);
  await page.getByLabel(`第 ${n} 行二级指标`).selectOption(l2);
  await page.getByLabel(`第 ${n} 行三级指标`).fill(name);
  await page.getByLabel(`第 ${n} 行权重`).fill(weight);
  await page.getByLabel(`第 ${n} 行计量单位`).fill(unit);
  await page.getByLabel(`第 ${n} 行指标性质`).selectOption(op);
  await page.getByLabel(`第 ${n} 行指标值`).fill(target);
  await page.getByLabel(`第 ${n} 行是否核心指标`).selectOption(core);
}

/**
 * On the 自评 page as finance: the year's 自评任务 when there is one (the demo data or another
 * test may have opened it; one per year), else opens it due in 30 days. Returns its path.
 * One that is not 进行中 (closed, or not open yet) is refused: the tests need entry open.
 */
export async function findOrOpenEvaluationRound(page: Page): Promise<string> {
  const rows = page.locator('section[aria-labelledby="rounds-h"] tbody tr');
  if ((await rows.count()) > 0) {
    const phase = (await rows.first().locator("td").nth(1).textContent()) ?? "";
    if (!phase.includes("进行中")) throw new Error(`the year's self-evaluation is「${phase.trim()}」; the browser tests need one 进行中`);
    await rows.first().getByRole("link").click();
  } else {
    const due = new Date(Date.now() + 30 * 86400000 + 8 * 3600000).toISOString().slice(0, 10);
    await page.getByLabel("截止日期", { exact: true }).fill(due);
    await page.getByRole("button", { name: "发起任务" }).click();
  }
  await page.waitForURL((url) => /^\/evaluations\/\d+$/.test(url.pathname));
  await page.getByRole("heading", { name: /年度绩效自评$/ }).waitFor();
  return new URL(page.url()).pathname;
}

/**
 * The path of the first entry of the round's list, in the user's scope, whose status is the
 * first of `statuses` that has one (the demo data may have started some entries already).
 */
export async function evaluationEntryWithStatus(page: Page, roundUrl: string, statuses: string[]): Promise<string> {
  for (const status of statuses) {
    await page.goto(`${roundUrl}?status=${status}`);
    const link = page.getByTestId("entries-table").locator('a[href*="/p/"]').first();
    if ((await link.count()) > 0) return (await link.getAttribute("href"))!;
  }
  throw new Error(`no self-evaluation entry in ${statuses.join(" / ")} in ${roundUrl}`);
}

/**
 * The centre, in page coordinates, of the one bar segment filled with `fill` in the chart
 * `testId` (the legend's icon of the same colour sits above the grid and is left out).
 */
export async function barCentre(page: Page, testId: string, fill: string): Promise<{ x: number; y: number }> {
  const chart = page.getByTestId(testId);
  const top = (await chart.boundingBox())!.y;
  const boxes = [];
  for (const el of await chart.locator(`svg path[fill="${fill}"]`).all()) {
    const box = await el.boundingBox();
    if (box && box.y - top > 28 && box.width > 0) boxes.push(box);
  }
  if (boxes.length !== 1) throw new Error(`${testId}: ${boxes.length} bars filled ${fill}, expected 1`);
  const [b] = boxes;
  return { x: b!.x + b!.width / 2, y: b!.y + b!.height / 2 };
}

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * Runs axe-core on the page as it is now and returns its WCAG 2 A and AA violations, one
 * line per element. axe is evaluated through the DevTools protocol, which the page's CSP
 * (script-src with a nonce) does not govern; an added <script> would be refused.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  // Charts render after hydration; check them drawn, not half-way.
  await page.waitForFunction(() => [...document.querySelectorAll(".chart")].every((c) => (c as HTMLElement).dataset.ready === "1"));
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<AxeResult> } }).axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] },
      resultTypes: ["violations"],
    }),
  );
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.help}): ${n.target.join(" ")} — ${n.failureSummary ?? ""}`));
}

type AxeResult = { violations: Array<{ id: string; help: string; nodes: Array<{ target: string[]; failureSummary?: string }> }> };
