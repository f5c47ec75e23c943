// 审计日志: append-only. Only `recordAudit` writes; nothing updates or deletes a row.
import { and, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import { db, type DB } from "../../db/client.server";
import { auditEvents, users } from "../../db/schema";
import type { CurrentUser } from "../auth/types";

type Tx = Parameters<Parameters<DB["transaction"]>[0]>[0] | DB;

export type AuditInput = {
  actor: { id: number | null; regionId: number } | null;
  regionId?: number | null;
  entity: string;
  entityId: number | null;
  action: string;
  before?: unknown;
  after?: unknown;
};

export function recordAudit(tx: Tx, input: AuditInput): void {
  tx.insert(auditEvents)
    .values({
      regionId: input.regionId ?? input.actor?.regionId ?? null,
      actorId: input.actor?.id ?? null,
      entity: input.entity,
      entityId: input.entityId,
      action: input.action,
      before: input.before === undefined ? null : JSON.stringify(input.before),
      after: input.after === undefined ? null : JSON.stringify(input.after),
    })
    .run();
}

export type AuditFilter = {
  entity?: string | null;
  actorId?: number | null;
  from?: Date | null;
  /** exclusive */
  to?: Date | null;
  page?: number;
  pageSize?: number;
};

/** Finance and admin see their region's log; the route guards the role. */
export function listAuditEvents(user: CurrentUser, filter: AuditFilter = {}) {
  const conditions: SQL[] = [eq(auditEvents.regionId, user.regionId)];
  if (filter.entity) conditions.push(eq(auditEvents.entity, filter.entity));
  if (filter.actorId) conditions.push(eq(auditEvents.actorId, filter.actorId));
  if (filter.from) conditions.push(gte(auditEvents.createdAt, filter.from));
  if (filter.to) conditions.push(lt(auditEvents.createdAt, filter.to));
  const where = and(...conditions);
  const pageSize = filter.pageSize ?? 50;
  const page = Math.max(1, filter.page ?? 1);
  const rows = db
    .select({
      id: auditEvents.id,
      entity: auditEvents.entity,
      entityId: auditEvents.entityId,
      action: auditEvents.action,
      before: auditEvents.before,
      after: auditEvents.after,
      createdAt: auditEvents.createdAt,
      actorName: users.displayName,
      actorUsername: users.username,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorId))
    .where(where)
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
  const total = db.select({ n: sql<number>`count(*)` }).from(auditEvents).where(where).get()?.n ?? 0;
  return { rows, total, page, pageSize };
}
