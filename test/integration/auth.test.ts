import { beforeAll, describe, expect, it } from "vitest";
import { call, login, makeRequest, setupDatabase } from "../helpers/app";

beforeAll(setupDatabase);

describe("login", () => {
  it("signs in with the demo password and sets an httpOnly, SameSite=Lax cookie", async () => {
    const { action } = await import("../../app/routes/login");
    const res = await call(action, makeRequest("/login", { form: { username: "nanan.unit", password: "jixiao-demo" } }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/");
    const cookie = res.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/^jixiao_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=43200/);
  });

  it("refuses a wrong password with one generic Chinese error and keeps the username", async () => {
    const { action } = await import("../../app/routes/login");
    const res = await call(action, makeRequest("/login", { form: { username: "nanan.unit", password: "wrong" } }));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toBe("用户名或密码错误");
    expect(body.username).toBe("nanan.unit");
    // An unknown user gets exactly the same answer.
    const unknown = await call(action, makeRequest("/login", { form: { username: "nobody", password: "x" } }));
    expect((await unknown.json()).error).toBe("用户名或密码错误");
  });

  it.each([
    ["/\t/evil.example", "/"], // what redirectTo=/%09/evil.example arrives as
    ["/\n/evil.example", "/"],
    ["//evil.example", "/"],
    [" //evil.example", "/"],
    ["/\\evil.example", "/"],
    ["\\\\evil.example", "/"],
    ["https://evil.example/", "/"],
    ["javascript:alert(1)", "/"],
    ["", "/"],
    ["/projects?year=2024", "/projects?year=2024"],
    ["/projects/12#review", "/projects/12#review"],
  ])("after login, redirectTo %j goes to %s", async (redirectTo, location) => {
    const { action } = await import("../../app/routes/login");
    const res = await call(
      action,
      makeRequest("/login", { form: { username: "nanan.dept", password: "jixiao-demo", redirectTo } }),
    );
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(location);
  });

  it("locks a username for a while after 5 failures, even with the right password then", async () => {
    const { action } = await import("../../app/routes/login");
    for (let i = 0; i < 5; i++) {
      await call(action, makeRequest("/login", { form: { username: "nanan.finance", password: `bad${i}` } }));
    }
    const res = await call(action, makeRequest("/login", { form: { username: "nanan.finance", password: "jixiao-demo" } }));
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/登录失败次数过多/);
    // Other users are not affected.
    expect(await login("nanan.admin")).toMatch(/^jixiao_session=/);
  });

  it("lifts the lock after 15 minutes", async () => {
    const { verifyLogin } = await import("../../app/models/users.server");
    const t0 = new Date();
    const at = (minutes: number) => ({ address: "10.0.0.1", now: new Date(t0.getTime() + minutes * 60_000) });
    for (let i = 0; i < 5; i++) await verifyLogin("qijiang.finance", "bad", at(0));
    expect(await verifyLogin("qijiang.finance", "jixiao-demo", at(1))).toMatchObject({ ok: false });
    expect(await verifyLogin("qijiang.finance", "jixiao-demo", at(16))).toMatchObject({ ok: true });
  });

  it("stores scrypt hashes with a per-user salt, never the password", async () => {
    const { db } = await import("../../db/client.server");
    const { users } = await import("../../db/schema");
    const { hashPassword, verifyPassword } = await import("../../app/auth/password.server");
    const rows = db.select({ hash: users.passwordHash }).from(users).all();
    expect(rows.every((r) => r.hash.startsWith("scrypt$") && !r.hash.includes("jixiao-demo"))).toBe(true);
    const a = await hashPassword("same-password");
    const b = await hashPassword("same-password");
    expect(a).not.toBe(b);
    expect(await verifyPassword("same-password", a)).toBe(true);
    expect(await verifyPassword("other", a)).toBe(false);
  });
});

describe("sessions", () => {
  it("redirects to login without a session, remembering where the user was going", async () => {
    const { loader } = await import("../../app/routes/projects._index");
    const res = await call(loader, makeRequest("/projects?year=2024"));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login?redirectTo=%2Fprojects%3Fyear%3D2024");
  });

  it("logout ends the session: the old cookie no longer works", async () => {
    const cookie = await login("wansheng.dept");
    const { loader } = await import("../../app/routes/_index");
    expect((await call(loader, makeRequest("/", { cookie }))).status).toBe(200);
    const logout = await import("../../app/routes/logout");
    const res = await call(logout.action, makeRequest("/logout", { method: "POST", cookie }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Set-Cookie")).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);
    const after = await call(loader, makeRequest("/", { cookie }));
    expect(after.status).toBe(302);
    expect(after.headers.get("Location")).toMatch(/^\/login/);
  });

  it("logout by GET changes nothing", async () => {
    const cookie = await login("wansheng.unit");
    const logout = await import("../../app/routes/logout");
    await call(logout.loader, makeRequest("/logout", { cookie }));
    const { loader } = await import("../../app/routes/_index");
    expect((await call(loader, makeRequest("/", { cookie }))).status).toBe(200);
  });

  it("an expired session is refused", async () => {
    const cookie = await login("wansheng.finance");
    const { db } = await import("../../db/client.server");
    const { sessions } = await import("../../db/schema");
    db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).run();
    const { loader } = await import("../../app/routes/_index");
    expect((await call(loader, makeRequest("/", { cookie }))).status).toBe(302);
  });
});
