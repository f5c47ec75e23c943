// Housekeeping: expired sessions and login-throttle rows that no longer count are deleted,
// by pruneExpired (for a timer) and, bounded, on every sign-in attempt.
import { beforeAll, describe, expect, it } from "vitest";
import { login, setupDatabase } from "../helpers/app";

beforeAll(setupDatabase);

const MINUTE = 60_000;

async function tables() {
  const { db } = await import("../../db/client.server");
  const { loginThrottle, sessions, users } = await import("../../db/schema");
  return { db, loginThrottle, sessions, users };
}

async function throttleKeys(): Promise<string[]> {
  const { db, loginThrottle } = await tables();
  return db.select().from(loginThrottle).all().map((r) => r.username).sort();
}

describe("pruneExpired", () => {
  it("deletes expired sessions and throttle rows whose lock and last failure are older than the window", async () => {
    const { pruneExpired } = await import("../../app/auth/session.server");
    const { WINDOW_MS } = await import("../../app/auth/login-throttle.server");
    const { db, loginThrottle, sessions, users } = await tables();
    const now = new Date("2030-01-01T08:00:00Z");
    const t = now.getTime();
    const userId = db.select().from(users).get()!.id;
    db.delete(sessions).run();
    db.delete(loginThrottle).run();
    db.insert(sessions)
      .values([
        { tokenHash: "expired", userId, expiresAt: new Date(t - 1) },
        { tokenHash: "expires-now", userId, expiresAt: now },
        { tokenHash: "live", userId, expiresAt: new Date(t + 1) },
      ])
      .run();
    db.insert(loginThrottle)
      .values([
        { username: "user:stale", failures: 3, lockedUntil: null, lastFailureAt: new Date(t - WINDOW_MS - 1) },
        { username: "user:recent", failures: 3, lockedUntil: null, lastFailureAt: new Date(t - WINDOW_MS + MINUTE) },
        { username: "user:lock-over", failures: 9, lockedUntil: new Date(t - 1), lastFailureAt: new Date(t - WINDOW_MS - 1) },
        { username: "user:still-locked", failures: 9, lockedUntil: new Date(t + MINUTE), lastFailureAt: new Date(t - WINDOW_MS - 1) },
        { username: "ip:lock-over-recent-failure", failures: 60, lockedUntil: new Date(t - 1), lastFailureAt: new Date(t - MINUTE) },
        { username: "ip:no-dates", failures: 0, lockedUntil: null, lastFailureAt: null },
      ])
      .run();

    expect(pruneExpired(db, now)).toEqual({ sessions: 2, throttle: 3 });
    expect(db.select().from(sessions).all().map((s) => s.tokenHash)).toEqual(["live"]);
    expect(await throttleKeys()).toEqual(["ip:lock-over-recent-failure", "user:recent", "user:still-locked"]);
    // Nothing left to prune at the same instant.
    expect(pruneExpired(db, now)).toEqual({ sessions: 0, throttle: 0 });
  });

  it("deletes at most a batch per call, so one call never holds the database long", async () => {
    const { pruneExpired, PRUNE_BATCH } = await import("../../app/auth/session.server");
    const { db, loginThrottle } = await tables();
    const now = new Date("2030-01-02T08:00:00Z");
    db.delete(loginThrottle).run();
    const old = new Date(now.getTime() - 24 * 60 * MINUTE);
    db.insert(loginThrottle)
      .values(Array.from({ length: PRUNE_BATCH + 7 }, (_, i) => ({ username: `user:old${i}`, failures: 1, lastFailureAt: old })))
      .run();
    expect(pruneExpired(db, now).throttle).toBe(PRUNE_BATCH);
    expect(pruneExpired(db, now).throttle).toBe(7);
  });

  it("runs on sign-in: a login removes expired sessions and stale throttle rows", async () => {
    const { db, loginThrottle, sessions } = await tables();
    const stale = new Date(Date.now() - 24 * 60 * MINUTE);
    db.delete(loginThrottle).run();
    db.insert(loginThrottle).values({ username: "user:gone.long.ago", failures: 2, lastFailureAt: stale }).run();
    await login("nanan.unit");
    db.update(sessions).set({ expiresAt: stale }).run();
    await login("nanan.dept");
    expect(db.select().from(sessions).all()).toHaveLength(1);
    expect(await throttleKeys()).toEqual([]);
  });
});
