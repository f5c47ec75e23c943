// 整改 (rectification), docs/monitoring.md: on a red report finance issues a 整改通知
// (requirement, due date); the filler answers with the measures taken; finance closes it
// or sends it back (it is open again, with finance's note). Every step is audited.
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { db } from "../../db/client.server";
import { departmentTargets, projects, rectifications, reports, rounds, users } from "../../db/schema";
import type { CurrentUser } from "../auth/types";
import { reportFillerRole } from "../domain/report-workflow";
import { periodLabel, shanghaiDay } from "../domain/rounds";
import { recordAudit } from "./audit.server";
import { findReport, getOwner, type OwnerRef } from "./reports.server";
import type { Round } from "./rounds.server";
import { preparedPerShape } from "./prepared.server";
import { preparedDepartmentTargetScope, preparedProjectScope, scopeParams, scopeShape, type ScopeShape } from "./scope.server";

export type Rectification = typeof rectifications.$inferSelect;
export type RectResult = { ok: true; id: number } | { ok: false; status: 400 | 403 | 404 | 409; reason: string; errors?: Record<string, string> };

export { RECT_STATUS_LABELS } from "../domain/rectification-labels";

export function listRectifications(reportId: number) {
  return db
    .select({ r: rectifications, issuer: users.displayName })
    .from(rectifications)
    .leftJoin(users, eq(users.id, rectifications.issuedBy))
    .where(eq(rectifications.reportId, reportId))
    .orderBy(asc(rectifications.createdAt), asc(rectifications.id))
    .all()
    .map(({ r, issuer }) => ({ ...r, issuerName: issuer }));
}

/** Finance issues a 整改通知 on a report with a red budget or indicator. */
export function issueRectification(
  user: CurrentUser,
  round: Round,
  ref: OwnerRef,
  input: { requirement: string; dueOn: string },
): RectResult {
  if (user.role !== "finance") return { ok: false, status: 403, reason: "只有财政局可以下发整改通知" };
  const owner = getOwner(user, ref);
  const report = owner ? findReport(round.id, ref) : null;
  if (!owner || !report) return { ok: false, status: 404, reason: "未找到" };
  if (report.budgetLight !== "red" && report.red === 0) return { ok: false, status: 409, reason: "只有红灯（预算执行或指标）的项目可以下发整改通知" };
  const errors: Record<string, string> = {};
  if (!input.requirement.trim()) errors.requirement = "请填写整改要求";
  if (input.requirement.length > 2000) errors.requirement = "整改要求不能超过 2000 字";
  if (!shanghaiDay(input.dueOn, "end")) errors.dueOn = "请填写整改期限（年-月-日）";
  if (Object.keys(errors).length) return { ok: false, status: 400, reason: "请按提示修改", errors };
  const id = db.transaction((tx) => {
    const row = tx
      .insert(rectifications)
      .values({ regionId: user.regionId, reportId: report.id, requirement: input.requirement.trim(), dueDate: input.dueOn.trim(), issuedBy: user.id })
      .returning()
      .get();
    recordAudit(tx, { actor: user, entity: "rectification", entityId: row.id, action: "issue", after: { reportId: report.id, requirement: row.requirement, dueDate: row.dueDate } });
    return row.id;
  });
  return { ok: true, id };
}

/** A rectification of a report the user can see, or null. */
function rectInScope(user: CurrentUser, id: number) {
  if (!Number.isSafeInteger(id)) return null;
  const row = db.select({ r: rectifications, report: reports }).from(rectifications).innerJoin(reports, eq(reports.id, rectifications.reportId)).where(and(eq(rectifications.id, id), eq(rectifications.regionId, user.regionId))).get();
  if (!row) return null;
  const ref: OwnerRef = row.report.projectId !== null ? { kind: "project", id: row.report.projectId } : { kind: "department", id: row.report.departmentTargetId! };
  return getOwner(user, ref) ? { ...row, ref } : null;
}

/** The filler answers with the measures taken. */
export function answerRectification(user: CurrentUser, id: number, input: { answer: string; revision: number | null }, now = new Date()): RectResult {
  const found = rectInScope(user, id);
  if (!found) return { ok: false, status: 404, reason: "未找到" };
  if (user.role !== reportFillerRole(found.ref.kind)) return { ok: false, status: 403, reason: "只有填报单位可以答复整改通知" };
  if (found.r.status !== "open") return { ok: false, status: 409, reason: "这份整改通知已答复或已完成" };
  if (!input.answer.trim()) return { ok: false, status: 400, reason: "请填写整改措施", errors: { answer: "请填写已采取的整改措施" } };
  if (input.answer.length > 4000) return { ok: false, status: 400, reason: "请按提示修改", errors: { answer: "不能超过 4000 字" } };
  return update(user, found.r, input.revision, { status: "answered", answer: input.answer.trim(), answeredBy: user.id, answeredAt: now }, "answer");
}

/** Finance closes an answered rectification, or sends it back with a note. */
export function decideRectification(user: CurrentUser, id: number, input: { decision: "close" | "return"; note: string; revision: number | null }, now = new Date()): RectResult {
  const found = rectInScope(user, id);
  if (!found) return { ok: false, status: 404, reason: "未找到" };
  if (user.role !== "finance") return { ok: false, status: 403, reason: "只有财政局可以确认整改" };
  if (found.r.status !== "answered") return { ok: false, status: 409, reason: found.r.status === "closed" ? "这份整改通知已完成" : "单位尚未答复，不能确认" };
  if (input.decision === "return" && !input.note.trim()) return { ok: false, status: 400, reason: "退回整改须说明理由", errors: { note: "退回整改须说明理由" } };
  const set =
    input.decision === "close"
      ? { status: "closed" as const, financeNote: input.note.trim() || null, closedBy: user.id, closedAt: now }
      : { status: "open" as const, financeNote: input.note.trim() };
  return update(user, found.r, input.revision, set, input.decision);
}

function update(user: CurrentUser, r: Rectification, revision: number | null, set: Partial<Rectification>, action: string): RectResult {
  if (revision !== null && revision !== r.revision) return { ok: false, status: 409, reason: "这份整改通知已被他人处理，请刷新后再试" };
  return db.transaction((tx) => {
    const updated = tx
      .update(rectifications)
      .set({ ...set, revision: sql`${rectifications.revision} + 1` })
      .where(and(eq(rectifications.id, r.id), eq(rectifications.revision, r.revision)))
      .returning()
      .get();
    if (!updated) return { ok: false as const, status: 409 as const, reason: "这份整改通知已被他人处理，请刷新后再试" };
    recordAudit(tx, { actor: user, entity: "rectification", entityId: r.id, action, before: { status: r.status }, after: { status: updated.status, answer: updated.answer, financeNote: updated.financeNote } });
    return { ok: true as const, id: r.id };
  });
}

/**
 * Open 整改 items in the user's scope, for 待办: a filler sees those waiting for an answer,
 * finance those waiting for its decision. Newest first, at most `limit`.
 */
export function pendingRectifications(user: CurrentUser, limit = 20) {
  const shape = scopeShape(user);
  const params = { ...scopeParams(user), status: user.role === "finance" ? "answered" : "open", limit };
  // Rows are this call's own: extended in place (docs/decisions/030, spreads on Node 20).
  const p =
    user.role === "department"
      ? []
      : pendingOfProjects(shape)
          .all(params)
          .map((x) => Object.assign(x, { href: `/monitoring/${x.roundId}/p/${x.ownerId}`, label: periodLabel(x.kind, x.period) }));
  const d =
    user.role === "unit"
      ? []
      : pendingOfDepartments(shape)
          .all(params)
          .map((x) => Object.assign(x, { href: `/monitoring/${x.roundId}/d/${x.ownerId}`, label: periodLabel(x.kind, x.period) }));
  return [...p, ...d].slice(0, limit);
}

const pendingColumns = {
  id: rectifications.id,
  requirement: rectifications.requirement,
  dueDate: rectifications.dueDate,
  status: rectifications.status,
  roundId: reports.roundId,
  period: rounds.period,
  kind: rounds.kind,
};

// Built once per scope shape (app/models/prepared.server.ts); the scope, status and limit are bound.
const pendingOf = (owner: "project" | "department") =>
  preparedPerShape((shape: ScopeShape) => {
    const ownerColumns =
      owner === "project" ? { ownerId: projects.id, ownerName: projects.name } : { ownerId: departmentTargets.id, ownerName: sql<string>`'部门整体'` };
    const query = db.select({ ...pendingColumns, ...ownerColumns }).from(rectifications).innerJoin(reports, eq(reports.id, rectifications.reportId)).innerJoin(rounds, eq(rounds.id, reports.roundId));
    const owned =
      owner === "project"
        ? query.innerJoin(projects, eq(projects.id, reports.projectId))
        : query.innerJoin(departmentTargets, eq(departmentTargets.id, reports.departmentTargetId));
    const scope = owner === "project" ? preparedProjectScope(shape) : preparedDepartmentTargetScope(shape);
    return owned
      .where(and(eq(rectifications.regionId, sql.placeholder("scopeRegion")), eq(rectifications.status, sql.placeholder("status")), scope))
      .orderBy(desc(rectifications.createdAt))
      .limit(sql.placeholder("limit"))
      .prepare();
  });
const pendingOfProjects = pendingOf("project");
const pendingOfDepartments = pendingOf("department");
