// 监控填报: one report per owner (project or 部门整体 target) per round, pinned to the table
// version in force when the entry is started; saving (optimistic `revision`), submitting,
// reviewing, each in one transaction with its audit entry. Scope comes from the owner
// (projectScope / departmentTargetScope), so a report outside the user's scope is a 404.
// The lights are computed by app/domain/monitoring.ts (assessMonitoringEntry), the same
// code the browser runs. See docs/monitoring.md.
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { db } from "../../db/client.server";
import {
  departments,
  departmentTargets,
  indicators,
  projectHeaders,
  projects,
  reportReviews,
  reportRows,
  reports,
  rounds,
  targetTables,
  units,
  users,
} from "../../db/schema";
import type { CurrentUser } from "../auth/types";
import { Dec } from "../domain/decimal";
import { assessMonitoringEntry, type EntryAssessment, type EntryIndicator, type PeriodCode } from "../domain/monitoring";
import { emptyMonitoringRow, monitoringFormSchema, rowToEntry, formErrors, type MonitoringForm } from "../domain/monitoring-form";
import { isReportEditable, reportFillerRole, reportTransition, reviewActions, type ReportAction, type ReportState } from "../domain/report-workflow";
import { daysLeft, effectiveDue, isEntryOpen, isOverdue, periodLabel, roundPhase } from "../domain/rounds";
import type { Operator } from "../domain/schemas";
import { recordAudit } from "./audit.server";
import { listReopenings, type Round } from "./rounds.server";
import { recheckNextYearOf, ruleSetFor } from "./rulesets.server";
import { preparedPerShape } from "./prepared.server";
import { departmentTargetScope, preparedDepartmentTargetScope, preparedProjectScope, projectScope, scopeParams, scopeShape, type ScopeShape } from "./scope.server";

export type OwnerRef = { kind: "project" | "department"; id: number };
export type Report = typeof reports.$inferSelect;
export type ReportRow = typeof reportRows.$inferSelect;

export type Owner = {
  kind: "project" | "department";
  id: number;
  name: string;
  code: string | null;
  year: number;
  departmentId: number;
  departmentName: string;
  unitId: number | null;
  unitName: string | null;
  /** 当年预算 of the project's version in force (an entry's context: of its pinned version) / 部门支出预算数 (元). */
  budget: number | null;
  /** The approved table in force, or null when the owner has none. */
  currentTableId: number | null;
  currentVersion: number | null;
};

/** The owner in the user's scope (any status), or null (→ 404). */
export function getOwner(user: CurrentUser, ref: OwnerRef): Owner | null {
  if (!Number.isSafeInteger(ref.id)) return null;
  if (ref.kind === "project") {
    const r = db
      .select({ p: projects, deptName: departments.name, unitName: units.name, tableId: targetTables.id, version: targetTables.version, status: targetTables.status })
      .from(projects)
      .innerJoin(departments, eq(departments.id, projects.departmentId))
      .leftJoin(units, eq(units.id, projects.unitId))
      .leftJoin(targetTables, and(eq(targetTables.projectId, projects.id), eq(targetTables.isCurrent, true)))
      .where(and(eq(projects.id, ref.id), projectScope(user)))
      .get();
    if (!r) return null;
    const approved = r.status === "approved";
    return {
      kind: "project",
      id: r.p.id,
      name: r.p.name,
      code: r.p.code,
      year: r.p.year,
      departmentId: r.p.departmentId,
      departmentName: r.deptName,
      unitId: r.p.unitId,
      unitName: r.unitName,
      budget: r.p.budgetTotal,
      currentTableId: approved ? r.tableId : null,
      currentVersion: approved ? r.version : null,
    };
  }
  const r = db
    .select({ d: departmentTargets, deptName: departments.name, tableId: targetTables.id, version: targetTables.version, status: targetTables.status })
    .from(departmentTargets)
    .innerJoin(departments, eq(departments.id, departmentTargets.departmentId))
    .leftJoin(targetTables, and(eq(targetTables.departmentTargetId, departmentTargets.id), eq(targetTables.isCurrent, true)))
    .where(and(eq(departmentTargets.id, ref.id), departmentTargetScope(user)))
    .get();
  if (!r) return null;
  const approved = r.status === "approved";
  return {
    kind: "department",
    id: r.d.id,
    name: `${r.deptName} 部门整体`,
    code: null,
    year: r.d.year,
    departmentId: r.d.departmentId,
    departmentName: r.deptName,
    unitId: null,
    unitName: null,
    budget: r.d.budget,
    currentTableId: approved ? r.tableId : null,
    currentVersion: approved ? r.version : null,
  };
}

const ownerWhere = (ref: OwnerRef) => (ref.kind === "project" ? eq(reports.projectId, ref.id) : eq(reports.departmentTargetId, ref.id));

export function findReport(roundId: number, ref: OwnerRef): Report | null {
  return db.select().from(reports).where(and(eq(reports.roundId, roundId), ownerWhere(ref))).get() ?? null;
}

/** 元 → "1300.5" 万元 text for the form (exact). */
export function yuanToWanText(yuan: number | null): string {
  if (yuan === null) return "";
  return Dec.of(yuan).div(Dec.of(10000)).toString();
}

/** "1300.5" 万元 → integer 元; null for blank; "invalid" when not a number or finer than 0.0001 万元. */
export function wanTextToYuan(text: string): number | null | "invalid" {
  if (text.trim() === "") return null;
  const d = Dec.parse(text.trim());
  if (!d) return "invalid";
  const yuan = d.mul(Dec.of(10000));
  if (!yuan.isInteger()) return "invalid";
  const n = Number(yuan.toString());
  return Number.isSafeInteger(n) ? n : "invalid";
}

export type EntryIndicatorRow = EntryIndicator & { level1: string | null; level2: string | null; weight: number | null; id: number };

export function tableIndicators(tableId: number): EntryIndicatorRow[] {
  return db
    .select()
    .from(indicators)
    .where(eq(indicators.tableId, tableId))
    .orderBy(asc(indicators.position))
    .all()
    .map((i) => ({
      id: i.id,
      position: i.position,
      name: i.name,
      operator: (i.operator as Operator | null) ?? null,
      target: i.target,
      unit: i.unit,
      level1: i.level1,
      level2: i.level2,
      weight: i.weight,
    }));
}

const PERIOD_ORDER = ["Q1", "H1", "Q2", "M7", "Q3", "Q4"];

/** The owner's report in the latest earlier monitoring round of the same year (any, for an evaluation), with its rows. */
export function previousReport(round: Round, ref: OwnerRef): { report: Report; round: Round; rows: ReportRow[] } | null {
  const earlier = db
    .select({ report: reports, round: rounds })
    .from(reports)
    .innerJoin(rounds, eq(rounds.id, reports.roundId))
    .where(and(ownerWhere(ref), eq(rounds.regionId, round.regionId), eq(rounds.year, round.year), eq(rounds.kind, "monitoring")))
    .all()
    // For the year-end evaluation every monitoring round of the year is earlier.
    .filter((r) => r.round.id !== round.id && (round.kind === "evaluation" || PERIOD_ORDER.indexOf(r.round.period) < PERIOD_ORDER.indexOf(round.period)))
    .sort((a, b) => PERIOD_ORDER.indexOf(b.round.period) - PERIOD_ORDER.indexOf(a.round.period))[0];
  if (!earlier) return null;
  const rows = db.select().from(reportRows).where(eq(reportRows.reportId, earlier.report.id)).orderBy(asc(reportRows.position)).all();
  return { ...earlier, rows };
}

/** The previous monitoring report and its rows matched to this table's indicators by position. */
export function previousRows(round: Round, ref: OwnerRef, inds: EntryIndicatorRow[]) {
  const prev = previousReport(round, ref);
  if (!prev) return { prev: null, byPosition: new Map<number, ReportRow>() };
  const sourceNames = new Map<number, string | null>();
  const ids = prev.rows.map((r) => r.indicatorId);
  if (ids.length) for (const i of db.select({ id: indicators.id, name: indicators.name }).from(indicators).where(inArray(indicators.id, ids)).all()) sourceNames.set(i.id, i.name);
  return { prev, byPosition: matchRows(inds, prev.rows, sourceNames) };
}

/** Rows of an earlier report matched to this table's indicators: same indicator, else same position and name. */
function matchRows(inds: EntryIndicatorRow[], rows: ReportRow[], sourceIndicators: Map<number, string | null>): Map<number, ReportRow> {
  const out = new Map<number, ReportRow>();
  for (const ind of inds) {
    const hit =
      rows.find((r) => r.indicatorId === ind.id) ??
      rows.find((r) => r.position === ind.position && (sourceIndicators.get(r.indicatorId) ?? null) === ind.name);
    if (hit) out.set(ind.position, hit);
  }
  return out;
}

function rowToForm(r: ReportRow | undefined) {
  if (!r) return emptyMonitoringRow();
  return {
    actual: r.actual ?? "",
    projected: r.projected ?? "",
    likelihood: (r.likelihood ?? "") as MonitoringForm["rows"][number]["likelihood"],
    reasons: r.reasons ? (JSON.parse(r.reasons) as MonitoringForm["rows"][number]["reasons"]) : [],
    reasonText: r.reasonText ?? "",
    measures: r.measures ?? "",
  };
}

export function listReportReviews(reportId: number) {
  return db
    .select({
      id: reportReviews.id,
      fromStatus: reportReviews.fromStatus,
      toStatus: reportReviews.toStatus,
      action: reportReviews.action,
      comment: reportReviews.comment,
      rowComments: reportReviews.rowComments,
      createdAt: reportReviews.createdAt,
      actorName: users.displayName,
    })
    .from(reportReviews)
    .leftJoin(users, eq(users.id, reportReviews.actorId))
    .where(eq(reportReviews.reportId, reportId))
    .orderBy(desc(reportReviews.createdAt), desc(reportReviews.id))
    .all();
}

export type EntryView = NonNullable<ReturnType<typeof loadEntry>>;

/**
 * What every entry page and save needs, whatever the round's kind: the owner in scope, its
 * report (if started), the pinned (or current approved) table and its indicators, and whether
 * entry is open. null when the owner is outside the user's scope, of another year, or has no
 * approved table.
 */
export function entryContext(user: CurrentUser, round: Round, ref: OwnerRef, now = new Date()) {
  let owner = getOwner(user, ref);
  if (!owner || owner.year !== round.year) return null;
  const report = findReport(round.id, ref);
  const tableId = report?.tableId ?? owner.currentTableId;
  if (!tableId) return null;
  const table = db
    .select({ version: targetTables.version, budgetExecutionWeight: targetTables.budgetExecutionWeight, budget: projectHeaders.budgetTotal })
    .from(targetTables)
    .leftJoin(projectHeaders, eq(projectHeaders.tableId, targetTables.id))
    .where(eq(targetTables.id, tableId))
    .get()!;
  // A project's 当年预算 is that of the version the entry is pinned to, which an adjustment
  // may have changed since (docs/decisions/026): the 全年预算数 prefill and 年初预算数 read it.
  if (ref.kind === "project") owner = { ...owner, budget: table.budget };
  const inds = tableIndicators(tableId);
  const reopenings = listReopenings(round.id);
  const entryOwner = { departmentId: owner.departmentId, projectId: ref.kind === "project" ? ref.id : null, departmentTargetId: ref.kind === "department" ? ref.id : null };
  const entryOpen = isEntryOpen(round, reopenings, entryOwner, now);
  const due = effectiveDue(round, reopenings, entryOwner, now);
  const status = (report?.status ?? "draft") as ReportState;
  const filler = user.role === reportFillerRole(ref.kind);
  return {
    owner,
    report,
    tableId,
    table: { id: tableId, version: table.version, budgetExecutionWeight: table.budgetExecutionWeight },
    inds,
    entryOpen,
    due,
    status,
    filler,
    common: {
      round: { ...round, label: periodLabel(round.kind, round.period), phase: roundPhase(round, now) },
      owner,
      table: { id: tableId, version: table.version },
      indicators: inds,
      report,
      status,
      entryOpen,
      due,
      daysLeft: daysLeft(due, now),
      overdue: isOverdue(report?.status ?? null, due, now),
      canEdit: filler && entryOpen && isReportEditable(status),
      reviewActions: report ? reviewActions(status, user.role) : [],
      reviews: report ? listReportReviews(report.id) : [],
    },
  };
}

export type EntryContext = NonNullable<ReturnType<typeof entryContext>>;

/** Everything the monitoring entry page shows; null → 404. */
export function loadEntry(user: CurrentUser, round: Round, ref: OwnerRef, now = new Date()) {
  const ctx = entryContext(user, round, ref, now);
  if (!ctx) return null;
  const { owner, report, inds } = ctx;
  const { prev, byPosition: prevByPos } = previousRows(round, ref, inds);
  const own = report ? db.select().from(reportRows).where(eq(reportRows.reportId, report.id)).orderBy(asc(reportRows.position)).all() : [];
  const ownByPos = new Map(own.map((r) => [r.position, r]));

  // The form: the saved report, else prefilled from the previous round, else empty.
  const base = report ?? prev?.report ?? null;
  const form: MonitoringForm = {
    budgetAnnual: base?.budgetAnnual != null ? yuanToWanText(base.budgetAnnual) : yuanToWanText(owner.budget),
    budgetExecuted: base ? yuanToWanText(base.budgetExecuted) : "",
    budgetReason: report?.budgetReason ?? "",
    budgetMeasures: report?.budgetMeasures ?? "",
    summary: report?.summary ?? "",
    rows: inds.map((i) => rowToForm(report ? ownByPos.get(i.position) : prevByPos.get(i.position))),
  };
  return {
    ...ctx.common,
    form,
    previous: prev
      ? {
          label: periodLabel(prev.round.kind, prev.round.period),
          budgetExecuted: prev.report.budgetExecuted,
          executionRate: prev.report.executionRate,
          budgetLight: prev.report.budgetLight,
          rows: Object.fromEntries([...prevByPos].map(([pos, r]) => [pos, { actual: r.actual, projected: r.projected, light: r.light }])),
        }
      : null,
    ruleSet: ruleSetFor(user.regionId, round.year).monitoring,
  };
}

export type SaveEntryResult =
  | { ok: true; reportId: number; status: ReportState; revision: number }
  | { ok: false; status: 400 | 403 | 404 | 409; reason: string; errors?: Record<string, string>; missing?: string[] };

/** The lights of a monitoring form against the table's indicators, under the region-year rule set. */
export function assessMonitoringForm(round: Round, inds: EntryIndicator[], form: MonitoringForm, user: CurrentUser): EntryAssessment {
  return assessMonitoringEntry(
    {
      period: round.period as PeriodCode,
      budget: { annual: form.budgetAnnual, executed: form.budgetExecuted, reason: form.budgetReason, measures: form.budgetMeasures },
      rows: inds.map((indicator, i) => ({ indicator, entry: rowToEntry(form.rows[i] ?? emptyMonitoringRow()) })),
    },
    ruleSetFor(user.regionId, round.year),
  );
}

class Stale extends Error {}

const STALE = "保存失败：在您编辑期间，他人已保存了这份填报。您填写的内容仍保留在下方，请刷新查看最新内容后再保存。";

/**
 * The checks every save shares: owner in scope, the filler's role, entry open, the report
 * editable and not stale. Returns the entry context or the refusal.
 */
export function guardSave(user: CurrentUser, round: Round, ref: OwnerRef, revision: number | null, now: Date): EntryContext | Extract<SaveEntryResult, { ok: false }> {
  const ctx = entryContext(user, round, ref, now);
  if (!ctx) return { ok: false, status: 404, reason: "未找到" };
  if (!ctx.filler) return { ok: false, status: 403, reason: ref.kind === "project" ? "只有项目单位可以填报" : "只有主管部门可以填报部门整体" };
  if (!ctx.entryOpen) return { ok: false, status: 409, reason: "本轮任务未开放或已关闭，不能填报" };
  if (!isReportEditable(ctx.status)) return { ok: false, status: 409, reason: "已提交或已审核的填报不能修改" };
  if (ctx.report && revision !== ctx.report.revision) return { ok: false, status: 409, reason: STALE };
  return ctx;
}

/** The next state of a save: unchanged for 保存草稿; for a submission, the workflow decides. */
export function nextStatus(user: CurrentUser, ref: OwnerRef, ctx: EntryContext, intent: "save" | "submit", missing: string[]): { ok: true; to: ReportState } | { ok: false; reason: string } {
  if (intent === "save") return { ok: true, to: ctx.status };
  const t = reportTransition(ctx.status, "submit", user.role, { owner: ref.kind, skipDepartmentReview: user.skipDepartmentReview, missing, entryOpen: ctx.entryOpen });
  return t.ok ? { ok: true, to: t.to } : { ok: false, reason: t.reason };
}

type ReportValues = Partial<Omit<typeof reports.$inferInsert, "id" | "regionId" | "roundId" | "projectId" | "departmentTargetId" | "tableId" | "revision" | "status">>;
type RowValues = Omit<typeof reportRows.$inferInsert, "id" | "reportId" | "indicatorId" | "position">;

/**
 * Writes a save in one transaction, whatever the kind: starts the report (pinned to the
 * table) or updates it under its revision, replaces its rows, records the submission and the
 * audit entry. A concurrent save is a 409 that writes nothing.
 */
export function writeEntry(
  user: CurrentUser,
  round: Round,
  ref: OwnerRef,
  ctx: EntryContext,
  input: { intent: "save" | "submit"; to: ReportState; values: ReportValues; rows: RowValues[]; audit: unknown },
  now: Date,
): SaveEntryResult {
  const existing = ctx.report;
  const values = {
    ...input.values,
    status: input.to,
    departmentId: ctx.owner.departmentId,
    unitId: ctx.owner.unitId,
    updatedBy: user.id,
    updatedAt: now,
    ...(input.intent === "submit" ? { submittedAt: now } : {}),
  };
  try {
    return db.transaction((tx) => {
      let report: Report;
      if (!existing) {
        const clash = tx.select({ id: reports.id }).from(reports).where(and(eq(reports.roundId, round.id), ownerWhere(ref))).get();
        if (clash) throw new Stale();
        report = tx
          .insert(reports)
          .values({
            regionId: user.regionId,
            roundId: round.id,
            projectId: ref.kind === "project" ? ref.id : null,
            departmentTargetId: ref.kind === "department" ? ref.id : null,
            tableId: ctx.tableId,
            ...values,
          })
          .returning()
          .get();
      } else {
        const updated = tx
          .update(reports)
          .set({ ...values, revision: sql`${reports.revision} + 1` })
          .where(and(eq(reports.id, existing.id), eq(reports.revision, existing.revision), inArray(reports.status, ["draft", "returned"])))
          .returning()
          .get();
        if (!updated) throw new Stale();
        report = updated;
        tx.delete(reportRows).where(eq(reportRows.reportId, report.id)).run();
      }
      if (ctx.inds.length > 0) {
        tx.insert(reportRows)
          .values(ctx.inds.map((ind, i) => ({ ...input.rows[i], reportId: report.id, indicatorId: ind.id, position: ind.position })))
          .run();
      }
      if (input.to !== ctx.status) {
        tx.insert(reportReviews)
          .values({ regionId: user.regionId, reportId: report.id, fromStatus: ctx.status, toStatus: input.to, action: "submit", actorId: user.id })
          .run();
      }
      recordAudit(tx, {
        actor: user,
        entity: "report",
        entityId: report.id,
        action: input.intent === "submit" ? "submit" : "save_draft",
        before: existing ? { status: ctx.status, revision: existing.revision } : null,
        after: { status: input.to, revision: report.revision, ...(input.audit as object) },
      });
      return { ok: true as const, reportId: report.id, status: input.to, revision: report.revision };
    });
  } catch (e) {
    if (e instanceof Stale || (e instanceof Error && /UNIQUE constraint failed: reports/.test(e.message))) {
      return { ok: false, status: 409, reason: STALE };
    }
    throw e;
  }
}


type FormSchema<T> = { safeParse(raw: unknown): { success: true; data: T } | { success: false; error: import("zod").ZodError } };

/**
 * Parses a posted entry form and its two money fields (万元 → 元). `executedLabel` names the
 * second field as the page does (截至本期执行数 / 全年执行数). A 400 with field errors otherwise.
 */
export function parseEntryForm<T extends { budgetAnnual: string; budgetExecuted: string }>(
  schema: FormSchema<T>,
  raw: unknown,
  executedLabel: string,
): { ok: true; form: T; annual: number | null; executed: number | null } | Extract<SaveEntryResult, { ok: false }> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { ok: false, status: 400, reason: "填写的内容有误，请按提示修改", errors: formErrors(parsed.error) };
  const form = parsed.data;
  const errors: Record<string, string> = {};
  const annual = wanTextToYuan(form.budgetAnnual);
  const executed = wanTextToYuan(form.budgetExecuted);
  if (annual === "invalid") errors.budgetAnnual = "全年预算数应为数字（万元，最多 4 位小数）";
  if (executed === "invalid") errors.budgetExecuted = `${executedLabel}应为数字（万元，最多 4 位小数）`;
  if (annual === "invalid" || executed === "invalid") return { ok: false, status: 400, reason: "填写的内容有误，请按提示修改", errors };
  return { ok: true, form, annual, executed };
}

const nul = (s: string) => (s.trim() === "" ? null : s.trim());

/**
 * Saves a monitoring entry (intent "save" = 保存草稿, always allowed while editable) or saves
 * and submits it (提交监控, refused with the reasons while anything required is missing; a
 * refused submission writes nothing). The first save starts the report, pinned to the table
 * version in force at that moment.
 */
export function saveEntry(
  user: CurrentUser,
  round: Round,
  ref: OwnerRef,
  input: { intent: "save" | "submit"; revision: number | null; raw: unknown },
  now = new Date(),
): SaveEntryResult {
  const ctx = guardSave(user, round, ref, input.revision, now);
  if ("ok" in ctx) return ctx;
  const parsed = parseEntryForm(monitoringFormSchema, input.raw, "截至本期执行数");
  if (!parsed.ok) return parsed;
  const { form, annual, executed } = parsed;

  const a = assessMonitoringForm(round, ctx.inds, form, user);
  const next = nextStatus(user, ref, ctx, input.intent, a.missing);
  if (!next.ok) return { ok: false, status: 400, reason: next.reason, missing: a.missing };
  return writeEntry(
    user,
    round,
    ref,
    ctx,
    {
      intent: input.intent,
      to: next.to,
      values: {
        budgetAnnual: annual,
        budgetExecuted: executed,
        budgetReason: nul(form.budgetReason),
        budgetMeasures: nul(form.budgetMeasures),
        budgetLight: a.budget.light,
        executionRate: a.budget.executionRate === null ? null : Math.round(a.budget.executionRate * 100),
        summary: nul(form.summary),
        green: a.counts.green,
        yellow: a.counts.yellow,
        red: a.counts.red,
        unlit: a.counts.none,
        warningCount: a.rows.reduce((n, r) => n + r.warnings.length, 0),
      },
      rows: ctx.inds.map((_, i) => {
        const r = form.rows[i] ?? emptyMonitoringRow();
        return {
          actual: nul(r.actual),
          projected: nul(r.projected),
          likelihood: r.likelihood || null,
          reasons: r.reasons.length ? JSON.stringify(r.reasons) : null,
          reasonText: nul(r.reasonText),
          measures: nul(r.measures),
          light: a.rows[i]?.light ?? null,
        };
      }),
      audit: { budgetLight: a.budget.light, counts: a.counts, form },
    },
    now,
  );
}

export type ReviewInput = { action: ReportAction; comment: string; rowComments: Array<{ position: number; comment: string }>; revision: number | null };

/** 审核通过 / 退回修改 by the department or finance, with 审核意见 and optional per-row comments. */
export function reviewEntry(user: CurrentUser, round: Round, ref: OwnerRef, input: ReviewInput, now = new Date()): SaveEntryResult {
  const owner = getOwner(user, ref);
  if (!owner || owner.year !== round.year) return { ok: false, status: 404, reason: "未找到" };
  const report = findReport(round.id, ref);
  if (!report) return { ok: false, status: 409, reason: "尚未填报，不能审核" };
  if (input.action === "submit") return { ok: false, status: 400, reason: "无效的操作" };
  const status = report.status as ReportState;
  const t = reportTransition(status, input.action, user.role, {
    owner: ref.kind,
    skipDepartmentReview: user.skipDepartmentReview,
    comment: input.comment,
    entryOpen: true,
  });
  if (!t.ok) return { ok: false, status: user.role === "unit" || user.role === "admin" ? 403 : 409, reason: t.reason };
  if (input.revision !== null && input.revision !== report.revision) {
    return { ok: false, status: 409, reason: "这份填报已被他人处理，请刷新后再审核" };
  }
  const comments = input.rowComments.filter((c) => c.comment.trim() !== "");
  try {
    return db.transaction((tx) => {
      const updated = tx
        .update(reports)
        .set({ status: t.to, revision: sql`${reports.revision} + 1`, updatedAt: now, ...(t.to === "approved" ? { approvedAt: now } : {}) })
        .where(and(eq(reports.id, report.id), eq(reports.revision, report.revision), eq(reports.status, status)))
        .returning()
        .get();
      if (!updated) throw new Stale();
      tx.insert(reportReviews)
        .values({
          regionId: user.regionId,
          reportId: report.id,
          fromStatus: status,
          toStatus: t.to,
          action: input.action,
          comment: input.comment.trim() || null,
          rowComments: comments.length ? JSON.stringify(comments) : null,
          actorId: user.id,
        })
        .run();
      recordAudit(tx, { actor: user, entity: "report", entityId: report.id, action: input.action, before: { status }, after: { status: t.to, comment: input.comment.trim() || null, rowComments: comments } });
      // 结果应用: next year's open tables of the project now compare with these actuals.
      if (t.to === "approved" && round.kind === "evaluation" && ref.kind === "project") recheckNextYearOf(tx, report.id);
      return { ok: true as const, reportId: report.id, status: t.to, revision: updated.revision };
    });
  } catch (e) {
    if (e instanceof Stale) return { ok: false, status: 409, reason: "这份填报已被他人处理，请刷新后再审核" };
    throw e;
  }
}

/** Pending reviews of a user in a round's region, and a unit's returned entries: for 待办. */
export function countReportTodo(user: CurrentUser, kind: "monitoring" | "evaluation" = "monitoring"): { review: number; returned: number } {
  const shape = scopeShape(user);
  const count = (status: ReportState | null, owners: "both" | "project" | "department" = "both") => {
    if (status === null) return 0;
    const params = { ...scopeParams(user), status, kind };
    const p = owners === "department" ? 0 : (reportCountOfProjects(shape).get(params)?.n ?? 0);
    const d = owners === "project" ? 0 : (reportCountOfDepartments(shape).get(params)?.n ?? 0);
    return p + d;
  };
  // Returned entries wait for their filler: a unit's projects, a department's 部门整体 report.
  const returned = user.role === "unit" ? count("returned", "project") : user.role === "department" ? count("returned", "department") : 0;
  return { review: count(user.role === "department" ? "pending_department" : user.role === "finance" ? "pending_finance" : null), returned };
}

// Reports of one status in the rounds of one kind of the user's region, per scope shape
// (app/models/prepared.server.ts): the scope, status and kind are bound.
const ofRoundKind = sql`${reports.roundId} in (select ${rounds.id} from ${rounds} where ${rounds.regionId} = ${sql.placeholder("scopeRegion")} and ${rounds.kind} = ${sql.placeholder("kind")})`;

const reportCountOf = (owner: "project" | "department") =>
  preparedPerShape((shape: ScopeShape) => {
    const query = db.select({ n: sql<number>`count(*)` }).from(reports);
    const owned =
      owner === "project"
        ? query.innerJoin(projects, eq(projects.id, reports.projectId))
        : query.innerJoin(departmentTargets, eq(departmentTargets.id, reports.departmentTargetId));
    const scope = owner === "project" ? preparedProjectScope(shape) : preparedDepartmentTargetScope(shape);
    return owned.where(and(eq(reports.regionId, sql.placeholder("scopeRegion")), eq(reports.status, sql.placeholder("status")), scope, ofRoundKind)).prepare();
  });
const reportCountOfProjects = reportCountOf("project");
const reportCountOfDepartments = reportCountOf("department");

