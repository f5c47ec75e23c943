// Login throttling: every attempt is counted atomically (parallel guesses each count), per
// account and per client address, and sign-ins and lockouts are audited.
import { beforeAll, describe, expect, it } from "vitest";
import { args, makeRequest, setupDatabase } from "../helpers/app";

beforeAll(setupDatabase);

/** Posts the login form as a client at `address` (the server's load context carries it). */
async function loginFrom(address: string | undefined, username: string, password: string): Promise<Response> {
  const { action } = await import("../../app/routes/login");
  const a = args(makeRequest("/login", { form: { username, password } }));
  return (await action({ ...a, context: address === undefined ? {} : { clientAddress: address } })) as Response;
}

async function throttleRow(key: string) {
  const { db } = await import("../../db/client.server");
  const { loginThrottle } = await import("../../db/schema");
  const { eq } = await import("drizzle-orm");
  return db.select().from(loginThrottle).where(eq(loginThrottle.username, key)).get();
}

async function loginAudit() {
  const { db } = await import("../../db/client.server");
  const { auditEvents } = await import("../../db/schema");
  const { eq, asc } = await import("drizzle-orm");
  return db.select().from(auditEvents).where(eq(auditEvents.entity, "login")).orderBy(asc(auditEvents.id)).all();
}

async function userId(username: string) {
  const { db } = await import("../../db/client.server");
  const { users } = await import("../../db/schema");
  const { eq } = await import("drizzle-orm");
  return db.select().from(users).where(eq(users.username, username)).get()!;
}

describe("per-account throttle", () => {
  it("counts 10 parallel wrong passwords as 10 failures and locks the account", async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => loginFrom("10.0.0.1", "nanan.unit", `wrong-${i}`)),
    );
    expect(responses.every((r) => r.status === 400)).toBe(true);
    expect((await throttleRow("user:nanan.unit"))?.failures).toBe(10);
    // Locked: the right password is refused now.
    const res = await loginFrom("10.0.0.2", "nanan.unit", "jixiao-demo");
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/登录失败次数过多/);
  });

  it("answers the failure that locks with the lock message, and audits the lock once", async () => {
    const { MAX_ACCOUNT_FAILURES } = await import("../../app/auth/login-throttle.server");
    const bodies = [];
    for (let i = 0; i < MAX_ACCOUNT_FAILURES + 2; i++) {
      bodies.push(await (await loginFrom("10.0.1.1", "wansheng.unit", `bad-${i}`)).json());
    }
    expect(bodies.slice(0, MAX_ACCOUNT_FAILURES - 1).every((b) => b.error === "用户名或密码错误")).toBe(true);
    expect(bodies.slice(MAX_ACCOUNT_FAILURES - 1).every((b) => /登录失败次数过多/.test(b.error))).toBe(true);
    const user = await userId("wansheng.unit");
    const locks = (await loginAudit()).filter((e) => e.action === "account_locked" && e.entityId === user.id);
    expect(locks).toHaveLength(1);
    expect(locks[0].regionId).toBe(user.regionId);
    expect(locks[0].actorId).toBeNull();
    expect(JSON.parse(locks[0].after!)).toMatchObject({ username: "wansheng.unit", address: "10.0.1.1" });
  });

  it("locks unknown usernames the same way; their lock has no region", async () => {
    const { MAX_ACCOUNT_FAILURES } = await import("../../app/auth/login-throttle.server");
    for (let i = 0; i < MAX_ACCOUNT_FAILURES; i++) await loginFrom("10.0.2.1", "no.such.user", "x");
    const res = await loginFrom("10.0.2.1", "no.such.user", "x");
    expect((await res.json()).error).toMatch(/登录失败次数过多/);
    const lock = (await loginAudit()).find((e) => e.action === "account_locked" && e.after?.includes("no.such.user"));
    expect(lock).toMatchObject({ regionId: null, entityId: null, actorId: null });
  });

  it("a success clears the account's count", async () => {
    for (let i = 0; i < 3; i++) await loginFrom("10.0.3.1", "qijiang.unit", "bad");
    expect((await throttleRow("user:qijiang.unit"))?.failures).toBe(3);
    expect((await loginFrom("10.0.3.1", "qijiang.unit", "jixiao-demo")).status).toBe(302);
    expect(await throttleRow("user:qijiang.unit")).toBeUndefined();
  });
});

describe("per-address throttle", () => {
  it("stops one address guessing across many usernames; other addresses are not affected", async () => {
    const { MAX_ADDRESS_FAILURES } = await import("../../app/auth/login-throttle.server");
    // Password spraying: one guess per username, each name under its own account limit.
    const sprayed = await Promise.all(
      Array.from({ length: MAX_ADDRESS_FAILURES + 5 }, (_, i) => loginFrom("203.0.113.9", `spray${i}`, "123456")),
    );
    expect(sprayed.every((r) => r.status === 400)).toBe(true);
    expect((await throttleRow("ip:203.0.113.9"))?.failures).toBe(MAX_ADDRESS_FAILURES + 5);
    // Now even a right password from that address is refused…
    const refused = await loginFrom("203.0.113.9", "qijiang.dept", "jixiao-demo");
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatch(/登录失败次数过多/);
    // …without costing the account anything, and the same user signs in from elsewhere.
    expect(await throttleRow("user:qijiang.dept")).toBeUndefined();
    expect((await loginFrom("198.51.100.7", "qijiang.dept", "jixiao-demo")).status).toBe(302);
    const locks = (await loginAudit()).filter((e) => e.action === "address_locked");
    expect(locks).toHaveLength(1);
    expect(locks[0]).toMatchObject({ regionId: null, actorId: null });
    expect(JSON.parse(locks[0].after!)).toMatchObject({ address: "203.0.113.9" });
  });

  it("successful sign-ins do not use up an address's budget (many users behind one NAT)", async () => {
    const { MAX_ADDRESS_FAILURES } = await import("../../app/auth/login-throttle.server");
    const names = ["wansheng.admin", "wansheng.finance", "wansheng.dept", "nanan.admin", "nanan.finance", "nanan.dept"];
    for (let i = 0; i < MAX_ADDRESS_FAILURES + 10; i++) {
      const res = await loginFrom("192.0.2.50", names[i % names.length], "jixiao-demo");
      expect(res.status).toBe(302);
    }
    expect((await throttleRow("ip:192.0.2.50"))?.failures ?? 0).toBe(0);
  });

  it("successes do not keep an address's window open: failures 15 minutes apart start over", async () => {
    const { verifyLogin } = await import("../../app/models/users.server");
    const t0 = Date.parse("2030-03-01T01:00:00Z");
    const at = (minutes: number) => ({ address: "192.0.2.77", now: new Date(t0 + minutes * 60_000) });
    for (let i = 0; i < 3; i++) await verifyLogin(`typo${i}`, "x", at(0));
    expect(await verifyLogin("nanan.admin", "jixiao-demo", at(10))).toMatchObject({ ok: true });
    expect((await throttleRow("ip:192.0.2.77"))?.failures).toBe(3);
    await verifyLogin("typo9", "x", at(20));
    expect((await throttleRow("ip:192.0.2.77"))?.failures).toBe(1);
  });

  it("without a client address in the load context, attempts share the 'unknown' address", async () => {
    await loginFrom(undefined, "nobody.here", "x");
    expect((await throttleRow("ip:unknown"))?.failures).toBe(1);
  });

  it("a username that looks like an address key does not touch that address's count", async () => {
    await loginFrom("10.9.9.9", "ip:10.0.0.77", "x");
    expect(await throttleRow("ip:10.0.0.77")).toBeUndefined();
    expect((await throttleRow("user:ip:10.0.0.77"))?.failures).toBe(1);
  });
});

describe("audit", () => {
  it("records each sign-in with the user, region and address", async () => {
    const res = await loginFrom("10.1.1.1", "qijiang.finance", "jixiao-demo");
    expect(res.status).toBe(302);
    const user = await userId("qijiang.finance");
    const events = (await loginAudit()).filter((e) => e.action === "success" && e.entityId === user.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: user.id, regionId: user.regionId });
    expect(JSON.parse(events[0].after!)).toEqual({ address: "10.1.1.1" });
  });

  it("plain failures that do not lock are not audited", async () => {
    const before = (await loginAudit()).length;
    await loginFrom("10.1.1.2", "qijiang.admin", "bad");
    expect((await loginAudit()).length).toBe(before);
  });
});
