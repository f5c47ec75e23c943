// Shared browser helpers for e2e tests: one Chromium per file, a fresh context per test.
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

export async function signIn(page: Page, username: string, password = "jixiao-demo") {
  await page.goto("/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  // The URL changes before the new page has rendered; wait for the signed-in shell.
  await page.getByRole("button", { name: "退出登录" }).waitFor();
}
