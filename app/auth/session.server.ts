// DB-backed sessions. The cookie carries a random token; the database keeps only its
// sha256, the user and the expiry. Logging out deletes the row, so an old cookie is dead.
import crypto from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import { and, eq, inArray, isNull, lt, lte, or } from "drizzle-orm";
import { db, sqlite, type DB } from "../../db/client.server";
import { loginThrottle, regions, sessions, users } from "../../db/schema";
import { WINDOW_MS } from "./login-throttle.server";
import type { CurrentUser } from "./types";

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export const sessionCookie = createCookie("jixiao_session", {
  httpOnly: true,
  sameSite: "lax",
  path: "/",
  // Over HTTPS server.js marks it Secure (server/security.js); JIXIAO_SECURE_COOKIE=1 forces it.
  // Not always: plain http on a LAN address would drop a Secure cookie.
  secure: process.env.JIXIAO_SECURE_COOKIE === "1",
  maxAge: SESSION_TTL_MS / 1000,
});

const hashToken = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

async function readToken(request: Request): Promise<string | null> {
  const value = await sessionCookie.parse(request.headers.get("Cookie"));
  return typeof value === "string" && /^[0-9a-f]{64}$/.test(value) ? value : null;
}

export async function createUserSession(userId: number, redirectTo: string): Promise<Response> {
  const token = crypto.randomBytes(32).toString("hex");
  db.insert(sessions)
    .values({ tokenHash: hashToken(token), userId, expiresAt: new Date(Date.now() + SESSION_TTL_MS) })
    .run();
  return redirect(redirectTo, { headers: { "Set-Cookie": await sessionCookie.serialize(token) } });
}

// The lookup of every request: one statement by the token's primary key, prepared once on
// first use (the tables must exist by then) and read as a plain row. Through drizzle's
// query builder every call built the SQL, had SQLite plan it and mapped the row generically:
// a few percent of a page's CPU (bench/http.ts --profile).
const LOOKUP_SQL = `
  select u.id, u.username, u.display_name, u.role, u.region_id, u.department_id, u.unit_id,
         r.name, r.slug, r.current_year, r.skip_department_review
  from sessions s
  join users u on u.id = s.user_id
  join regions r on r.id = u.region_id
  where s.token_hash = ? and s.expires_at > ? and u.active = 1`;
type LookupRow = [number, string, string, CurrentUser["role"], number, number | null, number | null, string, string, number, number];
let sessionLookup: { get(tokenHash: string, nowMs: number): unknown } | undefined;

function lookupSession(tokenHash: string): CurrentUser | null {
  // expires_at holds epoch milliseconds (timestamp_ms).
  sessionLookup ??= sqlite.prepare(LOOKUP_SQL).raw();
  const row = sessionLookup.get(tokenHash, Date.now()) as LookupRow | undefined;
  if (!row) return null;
  const [id, username, displayName, role, regionId, departmentId, unitId, regionName, regionSlug, currentYear, skip] = row;
  return { id, username, displayName, role, regionId, departmentId, unitId, regionName, regionSlug, currentYear, skipDepartmentReview: skip === 1 };
}

/**
 * The user of the request's session, looked up once per request: the root loader and the
 * route's loader both ask, with Requests that Remix derives from one another and that share
 * the server's AbortSignal (server/remix.js). The answer is kept with that signal, for the
 * same Cookie header only, and goes with the request.
 */
const perRequest = new WeakMap<AbortSignal, { cookie: string; user: CurrentUser | null }>();

export async function getSessionUser(request: Request): Promise<CurrentUser | null> {
  const cookie = request.headers.get("Cookie") ?? "";
  const signal = request.signal as AbortSignal | null;
  const known = signal ? perRequest.get(signal) : undefined;
  if (known && known.cookie === cookie) return known.user;
  const token = await readToken(request);
  const user = token ? lookupSession(hashToken(token)) : null;
  if (signal) perRequest.set(signal, { cookie, user });
  return user;
}

export async function logout(request: Request): Promise<Response> {
  const token = await readToken(request);
  if (token) db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token))).run();
  return redirect("/login", {
    headers: { "Set-Cookie": await sessionCookie.serialize("", { maxAge: 0, expires: new Date(0) }) },
  });
}

/** Ends every session of a user (deactivation, password reset). */
export function endSessionsOf(userId: number): void {
  db.delete(sessions).where(eq(sessions.userId, userId)).run();
}

/** Rows deleted per table and call: sign-in attempts prune as they go without a long write. */
export const PRUNE_BATCH = 1000;

/**
 * Deletes expired sessions and login-throttle rows that no longer count: no running lock and
 * no failure inside the window. Bounded to PRUNE_BATCH rows per table; verifyLogin calls it on
 * every attempt, and a server may call it on a timer.
 */
export function pruneExpired(database: DB, now: Date): { sessions: number; throttle: number } {
  const expired = database
    .select({ tokenHash: sessions.tokenHash })
    .from(sessions)
    .where(lte(sessions.expiresAt, now))
    .limit(PRUNE_BATCH);
  const stale = database
    .select({ key: loginThrottle.username })
    .from(loginThrottle)
    .where(
      and(
        or(isNull(loginThrottle.lockedUntil), lte(loginThrottle.lockedUntil, now)),
        or(isNull(loginThrottle.lastFailureAt), lt(loginThrottle.lastFailureAt, new Date(now.getTime() - WINDOW_MS))),
      ),
    )
    .limit(PRUNE_BATCH);
  return {
    sessions: database.delete(sessions).where(inArray(sessions.tokenHash, expired)).run().changes,
    throttle: database.delete(loginThrottle).where(inArray(loginThrottle.username, stale)).run().changes,
  };
}
