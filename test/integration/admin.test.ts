import { beforeAll, describe, expect, it } from "vitest";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";

beforeAll(setupDatabase);

async function admin() {
  return login("qijiang.admin");
}

describe("departments and units", () => {
  it("creates a department and records it in the audit log", async () => {
    const { action, loader } = await import("../../app/routes/admin.departments");
    const cookie = await admin();
    const res = await call(action, makeRequest("/admin/departments", { cookie, form: { code: "207", name: "重庆市綦江区教育委员会" } }));
    expect(res.status).toBe(302);
    const list = await jsonOf(await call(loader, makeRequest("/admin/departments", { cookie })));
    expect(list.departments.map((d: { code: string }) => d.code)).toEqual(["206", "207"]);
    const audit = await import("../../app/routes/audit");
    const log = await jsonOf(await call(audit.loader, makeRequest("/audit?entity=department", { cookie })));
    expect(log.result.rows[0]).toMatchObject({ entity: "department", action: "create" });
    expect(JSON.parse(log.result.rows[0].after)).toMatchObject({ code: "207" });
  });

  it("a duplicate code is a field error and keeps the input", async () => {
    const { action } = await import("../../app/routes/admin.departments");
    const res = await call(action, makeRequest("/admin/departments", { cookie: await admin(), form: { code: "206", name: "重复的部门" } }));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors.code[0]).toMatch(/已被其他主管部门使用/);
    expect(body.values).toMatchObject({ code: "206", name: "重复的部门" });
  });

  it("the same code in another region is fine (codes are per region)", async () => {
    const { action } = await import("../../app/routes/admin.departments");
    const res = await call(action, makeRequest("/admin/departments", { cookie: await login("nanan.admin"), form: { code: "206", name: "南岸区某部门" } }));
    expect(res.status).toBe(302);
  });

  it("editing another region's department is a 404", async () => {
    const { db } = await import("../../db/client.server");
    const { departments } = await import("../../db/schema");
    const { eq } = await import("drizzle-orm");
    const nananDept = db.select().from(departments).where(eq(departments.code, "402")).get()!;
    const { action } = await import("../../app/routes/admin.departments");
    const res = await call(action, makeRequest("/admin/departments", { cookie: await admin(), form: { id: String(nananDept.id), code: "999", name: "x" } }));
    expect(res.status).toBe(404);
    expect(db.select().from(departments).where(eq(departments.id, nananDept.id)).get()!.code).toBe("402");
  });

  it("creates a unit under a department; duplicate unit codes are refused", async () => {
    const { action } = await import("../../app/routes/admin.units");
    const { db } = await import("../../db/client.server");
    const { departments } = await import("../../db/schema");
    const { eq } = await import("drizzle-orm");
    const dept = db.select().from(departments).where(eq(departments.code, "207")).get()!;
    const cookie = await admin();
    const ok = await call(action, makeRequest("/admin/units", { cookie, form: { code: "207001", name: "教委本级", departmentId: String(dept.id) } }));
    expect(ok.status).toBe(302);
    const dup = await call(action, makeRequest("/admin/units", { cookie, form: { code: "207001", name: "又一个", departmentId: String(dept.id) } }));
    expect(dup.status).toBe(400);
    expect((await dup.json()).errors.code[0]).toMatch(/已被其他单位使用/);
    const noDept = await call(action, makeRequest("/admin/units", { cookie, form: { code: "207002", name: "无部门", departmentId: "" } }));
    expect(noDept.status).toBe(400);
    expect((await noDept.json()).values.name).toBe("无部门");
  });
});

describe("users", () => {
  it("creates a unit user who can then sign in; the password is never echoed", async () => {
    const { action } = await import("../../app/routes/admin.users._index");
    const { db } = await import("../../db/client.server");
    const { units } = await import("../../db/schema");
    const { eq } = await import("drizzle-orm");
    const unit = db.select().from(units).where(eq(units.code, "206001")).get()!;
    const res = await call(
      action,
      makeRequest("/admin/users", {
        cookie: await admin(),
        form: { username: "Qijiang.Zhang", displayName: "张三", role: "unit", unitId: String(unit.id), departmentId: "", password: "secret-123" },
      }),
    );
    expect(res.status).toBe(302);
    expect(await login("qijiang.zhang", "secret-123")).toMatch(/^jixiao_session=/);
  });

  it("a duplicate username is a field error with the input kept (but not the password)", async () => {
    const { action } = await import("../../app/routes/admin.users._index");
    const res = await call(
      action,
      makeRequest("/admin/users", {
        cookie: await admin(),
        form: { username: "nanan.unit", displayName: "李四", role: "finance", unitId: "", departmentId: "", password: "secret-123" },
      }),
    );
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors.username).toBe("用户名已被使用");
    expect(body.values).toMatchObject({ username: "nanan.unit", displayName: "李四", role: "finance" });
    expect(body.values.password).toBeUndefined();
  });

  it("a unit user needs a unit of the admin's region", async () => {
    const { action } = await import("../../app/routes/admin.users._index");
    const { db } = await import("../../db/client.server");
    const { units } = await import("../../db/schema");
    const { eq } = await import("drizzle-orm");
    const foreign = db.select().from(units).where(eq(units.code, "402001")).get()!;
    const res = await call(
      action,
      makeRequest("/admin/users", {
        cookie: await admin(),
        form: { username: "qijiang.wang", displayName: "王五", role: "unit", unitId: String(foreign.id), departmentId: "", password: "secret-123" },
      }),
    );
    expect(res.status).toBe(400);
    expect((await res.json()).errors.unitId).toBe("所选单位不存在");
  });

  it("deactivating a user ends their sessions and blocks sign-in; reset password works", async () => {
    const { db } = await import("../../db/client.server");
    const { users } = await import("../../db/schema");
    const { eq } = await import("drizzle-orm");
    const target = db.select().from(users).where(eq(users.username, "qijiang.dept")).get()!;
    const theirCookie = await login("qijiang.dept");
    const page = await import("../../app/routes/admin.users.$userId");
    const cookie = await admin();
    const params = { userId: String(target.id) };
    expect((await call(page.action, makeRequest(`/admin/users/${target.id}`, { cookie, form: { intent: "deactivate" } }), params)).status).toBe(302);
    const home = await import("../../app/routes/_index");
    expect((await call(home.loader, makeRequest("/", { cookie: theirCookie }))).status).toBe(302);
    await expect(login("qijiang.dept")).rejects.toThrow();

    await call(page.action, makeRequest(`/admin/users/${target.id}`, { cookie, form: { intent: "activate" } }), params);
    const short = await call(page.action, makeRequest(`/admin/users/${target.id}`, { cookie, form: { intent: "reset-password", password: "short" } }), params);
    expect(short.status).toBe(400);
    const reset = await call(page.action, makeRequest(`/admin/users/${target.id}`, { cookie, form: { intent: "reset-password", password: "new-password-1" } }), params);
    expect(reset.status).toBe(200);
    expect(await login("qijiang.dept", "new-password-1")).toMatch(/^jixiao_session=/);
  });

  it("changing a role takes effect at once; an admin cannot demote or deactivate themself", async () => {
    const { db } = await import("../../db/client.server");
    const { users } = await import("../../db/schema");
    const { eq } = await import("drizzle-orm");
    const me = db.select().from(users).where(eq(users.username, "qijiang.admin")).get()!;
    const page = await import("../../app/routes/admin.users.$userId");
    const cookie = await admin();
    const params = { userId: String(me.id) };
    const demote = await call(page.action, makeRequest(`/admin/users/${me.id}`, { cookie, form: { intent: "update", displayName: "管理员", role: "finance" } }), params);
    expect(demote.status).toBe(400);
    const off = await call(page.action, makeRequest(`/admin/users/${me.id}`, { cookie, form: { intent: "deactivate" } }), params);
    expect(off.status).toBe(400);
  });

  it("another region's user is a 404", async () => {
    const { db } = await import("../../db/client.server");
    const { users } = await import("../../db/schema");
    const { eq } = await import("drizzle-orm");
    const foreign = db.select().from(users).where(eq(users.username, "nanan.unit")).get()!;
    const page = await import("../../app/routes/admin.users.$userId");
    const res = await call(page.loader, makeRequest(`/admin/users/${foreign.id}`, { cookie: await admin() }), { userId: String(foreign.id) });
    expect(res.status).toBe(404);
  });
});

describe("region settings", () => {
  it("an admin sets the working year and skipping the department stage; bad input is kept", async () => {
    const page = await import("../../app/routes/admin.region");
    const cookie = await login("wansheng.admin");
    const bad = await call(page.action, makeRequest("/admin/region", { cookie, form: { currentYear: "二〇二三", skipDepartmentReview: "on" } }));
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(body.errors.currentYear).toBe("年度须为数字");
    expect(body.values.skipDepartmentReview).toBe("on");
    const ok = await call(page.action, makeRequest("/admin/region", { cookie, form: { currentYear: "2023", skipDepartmentReview: "on" } }));
    expect(ok.status).toBe(302);
    const settings = (await jsonOf(await call(page.loader, makeRequest("/admin/region", { cookie })))).settings;
    expect(settings).toMatchObject({ currentYear: 2023, skipDepartmentReview: true });
    const audit = await import("../../app/routes/audit");
    const log = await jsonOf(await call(audit.loader, makeRequest("/audit?entity=region", { cookie })));
    expect(JSON.parse(log.result.rows[0].after)).toEqual({ currentYear: 2023, skipDepartmentReview: true });
    expect((await call(page.loader, makeRequest("/admin/region", { cookie: await login("wansheng.finance") }))).status).toBe(403);
  });
});
