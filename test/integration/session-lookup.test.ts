// The per-request session lookup (app/auth/session.server.ts): one prepared statement by the
// token, its answer kept for the rest of the same request (the root loader and the route's
// loader both ask), never for another request.
import { Request as WebFetchRequest } from "@remix-run/web-fetch";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { BASE, login, makeRequest, setupDatabase } from "../helpers/app";

beforeAll(setupDatabase);

// The Request that server.js installs (installGlobals): it keeps the signal it is given.
const RemixRequest = WebFetchRequest as unknown as typeof Request;

async function modules() {
  const { db } = await import("../../db/client.server");
  const schema = await import("../../db/schema");
  const { getSessionUser } = await import("../../app/auth/session.server");
  return { db, ...schema, getSessionUser };
}

describe("session lookup", () => {
  it("gives the user, their region and its settings with their types", async () => {
    const { getSessionUser } = await modules();
    const cookie = await login("qijiang.dept");
    const user = await getSessionUser(makeRequest("/", { cookie }));
    expect(user).toMatchObject({ username: "qijiang.dept", role: "department", regionSlug: "qijiang" });
    expect(typeof user!.skipDepartmentReview).toBe("boolean");
    expect(typeof user!.currentYear).toBe("number");
    expect(await getSessionUser(makeRequest("/"))).toBeNull();
    expect(await getSessionUser(makeRequest("/", { cookie: "jixiao_session=bm9uc2Vuc2U%3D" }))).toBeNull();
  });

  it("refuses a session past its expiry and the session of a deactivated user", async () => {
    const { db, sessions, users, getSessionUser } = await modules();
    const cookie = await login("qijiang.unit");
    const user = (await getSessionUser(makeRequest("/", { cookie })))!;
    db.update(sessions).set({ expiresAt: new Date(Date.now() + 60_000) }).where(eq(sessions.userId, user.id)).run();
    expect(await getSessionUser(makeRequest("/", { cookie }))).not.toBeNull();
    db.update(sessions).set({ expiresAt: new Date(Date.now() - 1) }).where(eq(sessions.userId, user.id)).run();
    expect(await getSessionUser(makeRequest("/", { cookie }))).toBeNull();

    const other = await login("qijiang.finance");
    const finance = (await getSessionUser(makeRequest("/", { cookie: other })))!;
    db.update(users).set({ active: false }).where(eq(users.id, finance.id)).run();
    try {
      expect(await getSessionUser(makeRequest("/", { cookie: other }))).toBeNull();
    } finally {
      db.update(users).set({ active: true }).where(eq(users.id, finance.id)).run();
    }
  });

  it("asks the database once per request: Requests derived with the request's signal share the answer", async () => {
    const { db, sessions, getSessionUser } = await modules();
    const cookie = await login("qijiang.admin");
    const controller = new AbortController();
    // What server/remix.js and Remix do: one Request per request, then one derived per loader.
    const request = new RemixRequest(`${BASE}/projects`, { headers: { Cookie: cookie }, signal: controller.signal });
    const derived = () => new RemixRequest(`${BASE}/projects?index`, { headers: request.headers, signal: request.signal });
    expect(derived().signal).toBe(request.signal);

    const first = await getSessionUser(request);
    expect(first?.username).toBe("qijiang.admin");
    // The session ends in the middle of the request: this request still has its answer…
    db.delete(sessions).where(eq(sessions.userId, first!.id)).run();
    expect(await getSessionUser(derived())).toEqual(first);
    // …a request with another Cookie header on the same signal looks again…
    const elsewhere = new RemixRequest(`${BASE}/`, { headers: { Cookie: "jixiao_session=x" }, signal: request.signal });
    expect(await getSessionUser(elsewhere)).toBeNull();
    // …and the next request (its own signal) finds no session.
    expect(await getSessionUser(new RemixRequest(`${BASE}/projects`, { headers: { Cookie: cookie } }))).toBeNull();
    expect(await getSessionUser(makeRequest("/", { cookie }))).toBeNull();
  });
});
