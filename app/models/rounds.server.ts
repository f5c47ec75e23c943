// 监控任务 / 自评任务 (rounds): finance opens, closes and reopens them; everybody in the region
// sees them. Which owners a round covers: every project of the region-year whose table in
// force is approved, and every approved 部门整体 table (docs/monitoring.md).
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { db } from "../../db/client.server";
import { departments, departmentTargets, projectCounts, projects, reports, roundReopenings, rounds, targetTables, type RoundKind } from "../../db/schema";
import type { CurrentUser } from "../auth/types";
import { PERIODS } from "../domain/monitoring";
import { allowedPeriods, EVALUATION_PERIOD, isEntryOpen, periodLabel, roundPhase, shanghaiDay, type EntryOwner, type Reopening } from "../domain/rounds";
import { recordAudit } from "./audit.server";
import { ruleSetFor } from "./rulesets.server";
import { departmentTargetScope, projectCountScope, projectScope } from "./scope.server";

export type Round = typeof rounds.$inferSelect;
export type RoundReopening = typeof roundReopenings.$inferSelect;

/** A round of the user's region, or null (→ 404). */
export function getRound(user: CurrentUser, roundId: number, kind?: RoundKind): Round | null {
  if (!Number.isSafeInteger(roundId)) return null;
  const row = db
    .select()
    .from(rounds)
    .where(and(eq(rounds.id, roundId), eq(rounds.regionId, user.regionId)))
    .get();
  if (!row || (kind && row.kind !== kind)) return null;
  return row;
}

export function listReopenings(roundId: number): RoundReopening[] {
  return db.select().from(roundReopenings).where(eq(roundReopenings.roundId, roundId)).orderBy(asc(roundReopenings.createdAt)).all();
}

export function entryOpenFor(round: Round, reopenings: readonly Reopening[], owner: EntryOwner, now = new Date()): boolean {
  return isEntryOpen(round, reopenings, owner, now);
}

/** Rounds of the region and year, newest period first, with their label and phase. */
export function roundsOfYear(user: CurrentUser, kind: RoundKind, year: number, now = new Date()) {
  return db
    .select()
    .from(rounds)
    .where(and(eq(rounds.regionId, user.regionId), eq(rounds.kind, kind), eq(rounds.year, year)))
    .orderBy(desc(rounds.opensAt), desc(rounds.id))
    .all()
    .map((r) => ({ ...r, label: periodLabel(r.kind, r.period), phase: roundPhase(r, now) }));
}

/** roundsOfYear with the user's scope's counts (the rounds page). */
export function listRounds(user: CurrentUser, kind: RoundKind, year: number) {
  const list = roundsOfYear(user, kind, year);
  const due = list.length ? coveredCount(user, year) : 0;
  return list.map((r) => ({ ...r, due, counts: statusCounts(user, r.id) }));
}

/** How many owners a round of `year` covers within the user's scope. */
export function coveredCount(user: CurrentUser, year: number): number {
  // Projects from their summary rows (status is the version in force's, docs/decisions/028):
  // a few hundred rows, not the region-year's projects.
  const p = db
    .select({ n: sql<number>`coalesce(sum(${projectCounts.n}), 0)` })
    .from(projectCounts)
    .where(and(projectCountScope(user), eq(projectCounts.year, year), eq(projectCounts.status, "approved")))
    .get()!.n;
  const d = db
    .select({ n: sql<number>`count(*)` })
    .from(departmentTargets)
    .innerJoin(targetTables, and(eq(targetTables.departmentTargetId, departmentTargets.id), eq(targetTables.isCurrent, true)))
    .where(and(departmentTargetScope(user), eq(departmentTargets.year, year), eq(targetTables.status, "approved")))
    .get()!.n;
  return p + d;
}

/** Report counts per status in a round, within the user's scope (two grouped queries). */
export function statusCounts(user: CurrentUser, roundId: number): Record<string, number> {
  const out: Record<string, number> = { draft: 0, pending_department: 0, pending_finance: 0, approved: 0, returned: 0 };
  const p = db
    .select({ status: reports.status, n: sql<number>`count(*)` })
    .from(reports)
    .innerJoin(projects, eq(projects.id, reports.projectId))
    .where(and(eq(reports.roundId, roundId), projectScope(user)))
    .groupBy(reports.status)
    .all();
  const d = db
    .select({ status: reports.status, n: sql<number>`count(*)` })
    .from(reports)
    .innerJoin(departmentTargets, eq(departmentTargets.id, reports.departmentTargetId))
    .where(and(eq(reports.roundId, roundId), departmentTargetScope(user)))
    .groupBy(reports.status)
    .all();
  for (const r of [...p, ...d]) out[r.status] = (out[r.status] ?? 0) + r.n;
  return out;
}

export type OpenRoundInput = { year: number; kind: RoundKind; period: string; opensOn: string; dueOn: string };
export type RoundResult = { ok: true; id: number } | { ok: false; status: 400 | 403 | 409; errors: Record<string, string> };

/** Finance opens a round for its region; the period must be one the region's rule set allows. */
export function openRound(user: CurrentUser, input: OpenRoundInput): RoundResult {
  if (user.role !== "finance") return { ok: false, status: 403, errors: { form: "只有财政局可以发起任务" } };
  const errors: Record<string, string> = {};
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100) errors.year = "年度无效";
  let period = input.period;
  if (input.kind === "evaluation") period = EVALUATION_PERIOD;
  else {
    const allowed = errors.year ? [] : allowedPeriods(ruleSetFor(user.regionId, input.year).monitoring.periods);
    if (!(period in PERIODS)) errors.period = "请选择监控期间";
    else if (!errors.year && !allowed.includes(period as never)) {
      errors.period = `本地区规则集未启用「${periodLabel("monitoring", period)}」，可选：${allowed.map((p) => periodLabel("monitoring", p)).join("、")}`;
    }
  }
  const opensAt = shanghaiDay(input.opensOn, "start");
  const dueAt = shanghaiDay(input.dueOn, "end");
  if (!opensAt) errors.opensOn = "请填写开始日期（年-月-日）";
  if (!dueAt) errors.dueOn = "请填写截止日期（年-月-日）";
  if (opensAt && dueAt && dueAt <= opensAt) errors.dueOn = "截止日期须晚于开始日期";
  if (Object.keys(errors).length > 0) return { ok: false, status: 400, errors };

  const exists = db
    .select({ id: rounds.id })
    .from(rounds)
    .where(and(eq(rounds.regionId, user.regionId), eq(rounds.year, input.year), eq(rounds.kind, input.kind), eq(rounds.period, period)))
    .get();
  if (exists) {
    return { ok: false, status: 409, errors: { period: `${input.year} 年度「${periodLabel(input.kind, period)}」的任务已经发起过` } };
  }
  const id = db.transaction((tx) => {
    const row = tx
      .insert(rounds)
      .values({ regionId: user.regionId, year: input.year, kind: input.kind, period, opensAt: opensAt!, dueAt: dueAt!, createdBy: user.id })
      .returning()
      .get();
    recordAudit(tx, { actor: user, entity: "round", entityId: row.id, action: "open", after: { year: row.year, kind: row.kind, period, opensOn: input.opensOn, dueOn: input.dueOn } });
    return row.id;
  });
  return { ok: true, id };
}

export type SimpleResult = { ok: true } | { ok: false; status: 400 | 403 | 404 | 409; reason: string };

export function closeRound(user: CurrentUser, round: Round, now = new Date()): SimpleResult {
  if (user.role !== "finance") return { ok: false, status: 403, reason: "只有财政局可以关闭任务" };
  if (round.closedAt && round.closedAt <= now) return { ok: false, status: 409, reason: "任务已经关闭" };
  db.transaction((tx) => {
    tx.update(rounds).set({ closedAt: now }).where(eq(rounds.id, round.id)).run();
    // Closing the round also ends its reopenings.
    tx.update(roundReopenings)
      .set({ closedAt: now })
      .where(and(eq(roundReopenings.roundId, round.id), sql`${roundReopenings.closedAt} IS NULL`))
      .run();
    recordAudit(tx, { actor: user, entity: "round", entityId: round.id, action: "close", before: { closedAt: null }, after: { closedAt: now.toISOString() } });
  });
  return { ok: true };
}

export type ReopenInput = { target: string; reason: string; dueOn: string };

/**
 * Reopens a closed round for one department ("dept:ID"), project ("p:ID") or 部门整体 target
 * ("d:ID") of the region, with a written reason (audited).
 */
export function reopenRound(user: CurrentUser, round: Round, input: ReopenInput, now = new Date()): RoundResult {
  if (user.role !== "finance") return { ok: false, status: 403, errors: { form: "只有财政局可以重新开放任务" } };
  const errors: Record<string, string> = {};
  if (roundPhase(round, now) !== "closed") errors.form = "任务仍在进行中，无需重新开放";
  if (!input.reason.trim()) errors.reason = "重新开放须说明理由";
  const dueAt = input.dueOn.trim() ? shanghaiDay(input.dueOn, "end") : null;
  if (input.dueOn.trim() && !dueAt) errors.dueOn = "截止日期格式应为 年-月-日";
  const m = /^(dept|p|d):(\d{1,12})$/.exec(input.target);
  let target: { departmentId: number | null; projectId: number | null; departmentTargetId: number | null; label: string } | null = null;
  if (m) {
    const id = Number(m[2]);
    if (m[1] === "dept") {
      const d = db.select().from(departments).where(and(eq(departments.id, id), eq(departments.regionId, user.regionId))).get();
      if (d) target = { departmentId: d.id, projectId: null, departmentTargetId: null, label: d.name };
    } else if (m[1] === "p") {
      const p = db.select().from(projects).where(and(eq(projects.id, id), projectScope(user))).get();
      if (p) target = { departmentId: null, projectId: p.id, departmentTargetId: null, label: p.name };
    } else {
      const d = db.select().from(departmentTargets).where(and(eq(departmentTargets.id, id), departmentTargetScope(user))).get();
      if (d) target = { departmentId: null, projectId: null, departmentTargetId: d.id, label: "部门整体" };
    }
  }
  if (!target) errors.target = "请选择要重新开放的主管部门或项目";
  if (Object.keys(errors).length > 0) return { ok: false, status: 400, errors };
  const id = db.transaction((tx) => {
    const row = tx
      .insert(roundReopenings)
      .values({
        regionId: user.regionId,
        roundId: round.id,
        departmentId: target!.departmentId,
        projectId: target!.projectId,
        departmentTargetId: target!.departmentTargetId,
        reason: input.reason.trim(),
        dueAt,
        createdBy: user.id,
      })
      .returning()
      .get();
    recordAudit(tx, {
      actor: user,
      entity: "round",
      entityId: round.id,
      action: "reopen",
      after: { reopening: row.id, target: input.target, label: target!.label, reason: row.reason, dueOn: input.dueOn || null },
    });
    return row.id;
  });
  return { ok: true, id };
}

/** Finance ends one reopening early (audited). */
export function closeReopening(user: CurrentUser, round: Round, reopeningId: number, now = new Date()): SimpleResult {
  if (user.role !== "finance") return { ok: false, status: 403, reason: "只有财政局可以关闭" };
  const r = db
    .select()
    .from(roundReopenings)
    .where(and(eq(roundReopenings.id, reopeningId), eq(roundReopenings.roundId, round.id), eq(roundReopenings.regionId, user.regionId)))
    .get();
  if (!r) return { ok: false, status: 404, reason: "未找到" };
  if (r.closedAt && r.closedAt <= now) return { ok: false, status: 409, reason: "已经关闭" };
  db.transaction((tx) => {
    tx.update(roundReopenings).set({ closedAt: now }).where(eq(roundReopenings.id, r.id)).run();
    recordAudit(tx, { actor: user, entity: "round", entityId: round.id, action: "close_reopening", after: { reopening: r.id } });
  });
  return { ok: true };
}
