// Login throttling, per account and per client address (docs/decisions/008-sessions-and-login-throttle.md).
// An attempt is counted by one atomic upsert BEFORE the password is hashed, so parallel guesses
// each count; the attempt that turns out right gives its count back. Rows of login_throttle are
// keyed "user:<name>" and "ip:<address>": the prefixes keep a typed username from ever naming
// an address's row.
import { and, eq, lte, sql } from "drizzle-orm";
import type { DB } from "../../db/client.server";
import { loginThrottle } from "../../db/schema";

export const LOCK_MS = 15 * 60 * 1000;
/** Failures further apart than this start a new count; rows older than it are pruned. */
export const WINDOW_MS = LOCK_MS;
export const MAX_ACCOUNT_FAILURES = 5;
/** Higher than per account: a whole bureau may sign in from one NAT address. */
export const MAX_ADDRESS_FAILURES = 50;

/** Used when the server's load context carries no client address (tests, `remix-serve`). */
export const UNKNOWN_ADDRESS = "unknown";

export const accountKey = (username: string) => `user:${username}`;
export const addressKey = (address: string) => `ip:${address}`;

/** The client address the server puts in the Remix load context; never a forwarded header. */
export function clientAddressOf(context: unknown): string {
  const value = (context as { clientAddress?: unknown } | null | undefined)?.clientAddress;
  return typeof value === "string" && value !== "" ? value.slice(0, 100) : UNKNOWN_ADDRESS;
}

export type Attempt = {
  key: string;
  limit: number;
  /** This attempt's number in the current count, itself included. */
  count: number;
  at: number;
  previousFailureAt: Date | null;
};

/** Attempts up to the limit are checked; the one at the limit starts the lock. */
export const allowed = (a: Attempt) => a.count <= a.limit;
export const reachedLimit = (a: Attempt) => a.count === a.limit;

/**
 * Counts one attempt on `key` and returns its number. One statement decides the count and
 * the lock: still locked or a failure inside the window → count + 1; otherwise start at 1.
 */
export function countAttempt(db: DB, key: string, limit: number, now: Date): Attempt {
  const at = now.getTime();
  return db.transaction(
    (tx) => {
      const previous = tx.select({ last: loginThrottle.lastFailureAt }).from(loginThrottle).where(eq(loginThrottle.username, key)).get();
      const counting = sql`("locked_until" > ${at} OR ("locked_until" IS NULL AND "last_failure_at" >= ${at - WINDOW_MS}))`;
      const next = sql`CASE WHEN ${counting} THEN "failures" + 1 ELSE 1 END`;
      const row = tx
        .insert(loginThrottle)
        .values({ username: key, failures: 1, lockedUntil: null, lastFailureAt: now })
        .onConflictDoUpdate({
          target: loginThrottle.username,
          set: {
            failures: next,
            lockedUntil: sql`CASE WHEN "locked_until" > ${at} THEN "locked_until" WHEN ${next} >= ${limit} THEN ${at + LOCK_MS} ELSE NULL END`,
            lastFailureAt: now,
          },
        })
        .returning({ failures: loginThrottle.failures })
        .get();
      return { key, limit, count: row.failures, at, previousFailureAt: previous?.last ?? null };
    },
    { behavior: "immediate" },
  );
}

/**
 * Gives back a successful attempt's count on an address: minus one, the lock lifted when
 * the count falls below the limit, and the last-failure time restored unless a later
 * attempt has set it since (so successes do not keep a busy address's window open).
 */
export function returnAttempt(db: DB, attempt: Attempt): void {
  const previous = attempt.previousFailureAt?.getTime() ?? null;
  db.transaction((tx) => {
    tx.update(loginThrottle)
      .set({
        failures: sql`max("failures" - 1, 0)`,
        lockedUntil: sql`CASE WHEN "failures" - 1 < ${attempt.limit} THEN NULL ELSE "locked_until" END`,
        lastFailureAt: sql`CASE WHEN "last_failure_at" = ${attempt.at} THEN ${previous} ELSE "last_failure_at" END`,
      })
      .where(eq(loginThrottle.username, attempt.key))
      .run();
    tx.delete(loginThrottle)
      .where(and(eq(loginThrottle.username, attempt.key), lte(loginThrottle.failures, 0)))
      .run();
  });
}

/** A right password clears the account's count and lock. */
export function clearAccount(db: DB, username: string): void {
  db.delete(loginThrottle).where(eq(loginThrottle.username, accountKey(username))).run();
}
