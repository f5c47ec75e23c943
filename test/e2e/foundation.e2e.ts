import { describe, expect, it } from "vitest";
import { browserAvailable, newPage, signIn, useBrowser } from "./browser";

useBrowser();

const NAV_BY_ROLE: Record<string, string[]> = {
  "nanan.unit": ["工作台", "项目", "监控", "自评", "指标库"],
  "nanan.dept": ["工作台", "项目", "部门整体目标", "监控", "自评", "指标库", "绩效公开"],
  "nanan.finance": ["工作台", "项目", "部门整体目标", "监控", "自评", "指标库", "绩效公开", "审计日志", "规则集", "导入"],
  "nanan.admin": ["工作台", "项目", "监控", "自评", "指标库", "绩效公开", "审计日志", "导入", "系统管理"],
};

describe.skipIf(!browserAvailable)("foundation in Chromium", () => {
  for (const [username, nav] of Object.entries(NAV_BY_ROLE)) {
    it(`${username} signs in and sees the navigation of the role`, async () => {
      const { context, page } = await newPage();
      await signIn(page, username);
      await page.getByRole("heading", { name: "工作台" }).waitFor();
      expect(await page.title()).toBe("工作台 · jixiao");
      const items = await page.getByRole("navigation", { name: "主导航" }).getByRole("link").allTextContents();
      expect(items).toEqual(nav);
      await expect(page.getByTestId("region").textContent()).resolves.toBe("重庆市南岸区");
      await context.close();
    });
  }

  it("the navigation opens its pages inside the app, marks the current one and prefetches the one the pointer rests on", async () => {
    const { context, page } = await newPage();
    await signIn(page, "nanan.finance");
    await page.getByRole("heading", { name: "工作台" }).waitFor();
    await page.waitForFunction(() => (window as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized === true);
    const nav = page.getByRole("navigation", { name: "主导航" });
    const currentItem = () => nav.locator('[aria-current="page"]').allTextContents();
    expect(await currentItem()).toEqual(["工作台"]);
    // A new document would lose this.
    await page.evaluate(() => ((window as { __sameDocument?: boolean }).__sameDocument = true));

    // Resting on 监控 prefetches its route module (as <NavLink prefetch="intent"> did).
    await nav.getByRole("link", { name: "监控" }).hover();
    await page.locator('link[rel="modulepreload"][href*="monitoring._index"], link[rel="prefetch"][href*="monitoring"]').first().waitFor({ state: "attached" });

    await nav.getByRole("link", { name: "项目" }).click();
    await page.getByRole("heading", { level: 1, name: "项目" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/projects");
    expect(await currentItem()).toEqual(["项目"]);
    expect(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    await context.close();
  });

  it("a wrong password shows the error and keeps the username", async () => {
    const { context, page } = await newPage();
    await page.goto("/login");
    await page.getByLabel("用户名").fill("nanan.unit");
    await page.getByLabel("密码").fill("not-the-password");
    await page.getByRole("button", { name: "登录" }).click();
    await page.getByRole("alert").filter({ hasText: "用户名或密码错误" }).waitFor();
    expect(await page.getByLabel("用户名").inputValue()).toBe("nanan.unit");
    expect(page.url()).toMatch(/\/login$/);
    await context.close();
  });

  it("a 南岸区 unit user who opens a 綦江区 project URL gets 404", async () => {
    const q = await newPage();
    await signIn(q.page, "qijiang.finance");
    await q.page.goto("/projects");
    const href = await q.page.locator("table.data tbody a").first().getAttribute("href");
    expect(href).toMatch(/^\/projects\/\d+$/);
    await q.context.close();

    const { context, page } = await newPage();
    await signIn(page, "nanan.unit");
    const response = await page.goto(href!);
    expect(response?.status()).toBe(404);
    await page.getByRole("heading", { name: "页面不存在" }).waitFor();
    await context.close();
  });

  it("logout ends the session: the old cookie no longer works", async () => {
    const { context, page } = await newPage();
    await signIn(page, "nanan.dept");
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "jixiao_session");
    expect(session?.httpOnly).toBe(true);
    await page.getByRole("button", { name: "退出登录" }).click();
    await page.waitForURL(/\/login$/);
    await context.close();

    // A new browser that replays the old cookie is sent to the login page.
    const replay = await newPage();
    await replay.context.addCookies([session!]);
    await replay.page.goto("/projects");
    expect(new URL(replay.page.url()).pathname).toBe("/login");
    await replay.context.close();
  });
});
