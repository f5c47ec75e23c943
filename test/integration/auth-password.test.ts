// Password hashing: the production cost is OWASP's scrypt (N = 2^17, r = 8, p = 1); test
// databases use a lower cost (test/setup/db-per-file.ts); hashes of any stored cost verify,
// and weaker ones are upgraded on the next successful sign-in.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { call, makeRequest, setupDatabase } from "../helpers/app";

beforeAll(setupDatabase);

const OWASP = { N: 2 ** 17, r: 8, p: 1 };

async function storedHash(username: string): Promise<string> {
  const { db } = await import("../../db/client.server");
  const { users } = await import("../../db/schema");
  const { eq } = await import("drizzle-orm");
  return db.select().from(users).where(eq(users.username, username)).get()!.passwordHash;
}

async function setStoredHash(username: string, hash: string) {
  const { db } = await import("../../db/client.server");
  const { users } = await import("../../db/schema");
  const { eq } = await import("drizzle-orm");
  db.update(users).set({ passwordHash: hash }).where(eq(users.username, username)).run();
}

async function signIn(username: string, password = "jixiao-demo") {
  const { action } = await import("../../app/routes/login");
  return call(action, makeRequest("/login", { form: { username, password } }));
}

const params = (hash: string) => hash.split("$").slice(1, 4).map(Number);

describe("hash cost", () => {
  let testCost: { N: number; r: number; p: number };
  beforeAll(async () => {
    testCost = (await import("../../app/auth/password.server")).currentHashCost();
  });
  afterEach(async () => {
    (await import("../../app/auth/password.server")).setHashCostForTests(testCost);
  });

  it("the module, loaded afresh as the server loads it, hashes with N = 2^17, r = 8, p = 1", async () => {
    vi.resetModules();
    const fresh = await import("../../app/auth/password.server");
    vi.resetModules();
    expect(fresh.DEFAULT_HASH_COST).toEqual(OWASP);
    expect(fresh.currentHashCost()).toEqual(OWASP);
    const hash = await fresh.hashPassword("correct horse");
    expect(params(hash)).toEqual([OWASP.N, OWASP.r, OWASP.p]);
    expect(await fresh.verifyPassword("correct horse", hash)).toBe(true);
    expect(await fresh.verifyPassword("correct horsf", hash)).toBe(false);
  });

  it("test databases are seeded at the lower test cost", async () => {
    const { currentHashCost } = await import("../../app/auth/password.server");
    expect(currentHashCost().N).toBeLessThan(OWASP.N);
    expect(params(await storedHash("nanan.admin"))).toEqual([currentHashCost().N, 8, 1]);
  });

  it("verifies hashes across parameters and refuses malformed or absurd ones", async () => {
    const { hashPassword, verifyPassword, setHashCostForTests, needsRehash } = await import("../../app/auth/password.server");
    setHashCostForTests({ N: 2 ** 8, r: 4, p: 2 });
    const odd = await hashPassword("pw-1");
    expect(params(odd)).toEqual([256, 4, 2]);
    setHashCostForTests(testCost);
    expect(await verifyPassword("pw-1", odd)).toBe(true);
    expect(needsRehash(odd)).toBe(true);
    expect(needsRehash(await hashPassword("pw-1"))).toBe(false);
    const [, , , , salt, key] = odd.split("$");
    for (const bad of ["", "bcrypt$x", `scrypt$1000$8$1$${salt}$${key}`, `scrypt$${2 ** 30}$8$1$${salt}$${key}`, `scrypt$256$0$2$${salt}$${key}`]) {
      expect(await verifyPassword("pw-1", bad)).toBe(false);
    }
  });

  it("upgrades a weaker stored hash to the current cost on the next successful sign-in", async () => {
    const { hashPassword, setHashCostForTests, verifyPassword } = await import("../../app/auth/password.server");
    setHashCostForTests({ N: 2 ** 8, r: 8, p: 1 });
    await setStoredHash("wansheng.dept", await hashPassword("jixiao-demo"));
    setHashCostForTests(testCost);

    // A failed attempt changes nothing.
    expect((await signIn("wansheng.dept", "wrong")).status).toBe(400);
    expect(params(await storedHash("wansheng.dept"))).toEqual([256, 8, 1]);

    expect((await signIn("wansheng.dept")).status).toBe(302);
    const upgraded = await storedHash("wansheng.dept");
    expect(params(upgraded)).toEqual([testCost.N, testCost.r, testCost.p]);
    expect(await verifyPassword("jixiao-demo", upgraded)).toBe(true);
    // Already current: the next sign-in leaves it alone.
    expect((await signIn("wansheng.dept")).status).toBe(302);
    expect(await storedHash("wansheng.dept")).toBe(upgraded);
  });

  it("with the production cost, an old N = 2^14 hash becomes an OWASP hash on sign-in", async () => {
    const { hashPassword, setHashCostForTests, DEFAULT_HASH_COST } = await import("../../app/auth/password.server");
    setHashCostForTests({ N: 2 ** 14, r: 8, p: 1 }); // the cost before issue 9
    await setStoredHash("qijiang.unit", await hashPassword("jixiao-demo"));
    setHashCostForTests(DEFAULT_HASH_COST);
    expect((await signIn("qijiang.unit")).status).toBe(302);
    expect(params(await storedHash("qijiang.unit"))).toEqual([OWASP.N, OWASP.r, OWASP.p]);
  });

  it("an admin's password reset hashes at the current cost", async () => {
    const { login } = await import("../helpers/app");
    const { db } = await import("../../db/client.server");
    const { users } = await import("../../db/schema");
    const { eq } = await import("drizzle-orm");
    const cookie = await login("nanan.admin");
    const target = db.select().from(users).where(eq(users.username, "nanan.unit")).get()!;
    const page = await import("../../app/routes/admin.users.$userId");
    const res = await call(
      page.action,
      makeRequest(`/admin/users/${target.id}`, { cookie, form: { intent: "reset-password", password: "new-password-1" } }),
      { userId: String(target.id) },
    );
    expect(res.status).toBeLessThan(400);
    expect(params(await storedHash("nanan.unit"))).toEqual([testCost.N, testCost.r, testCost.p]);
  });
});

describe("password hashing's limit", () => {
  it("is per machine: cluster workers share it, each keeping one", async () => {
    const { parallelHashes } = await import("../../app/auth/password.server");
    expect(parallelHashes(2, 1)).toBe(1);
    expect(parallelHashes(8, 1)).toBe(4);
    expect(parallelHashes(64, 1)).toBe(4);
    expect(parallelHashes(8, 2)).toBe(2);
    expect(parallelHashes(8, 8)).toBe(1);
    expect(parallelHashes(2, 2)).toBe(1);
    expect(parallelHashes(1, 1)).toBe(1);
  });
});
