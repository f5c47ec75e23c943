// 绩效自评: the year-end entry of an approved table, scored with the official formulas
// (app/domain/scoring.ts via assessEvaluationEntry), on the same rounds, reports, review and
// writer as monitoring (reports.server.ts). Finance's 复核 may change a row's score only with
// a written reason: each change is a row of score_adjustments, the latest per row in force.
// See docs/evaluation.md.
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { db } from "../../db/client.server";
import { reportRows, reports, scoreAdjustments, users } from "../../db/schema";
import type { CurrentUser } from "../auth/types";
import { Dec } from "../domain/decimal";
import {
  assessEvaluationEntry,
  emptyEvaluationRow,
  evaluationFormSchema,
  type EvaluationAssessment,
  type EvaluationForm,
  type EvaluationIndicator,
} from "../domain/evaluation-form";
import type { ScoreOverride } from "../domain/scoring";
import { listAttachments } from "./attachments.server";
import { recordAudit } from "./audit.server";
import {
  entryContext,
  guardSave,
  nextStatus,
  parseEntryForm,
  previousRows,
  writeEntry,
  yuanToWanText,
  type EntryContext,
  type OwnerRef,
  type SaveEntryResult,
} from "./reports.server";
import type { Round } from "./rounds.server";
import { ruleSetFor } from "./rulesets.server";

const nul = (s: string) => (s.trim() === "" ? null : s.trim());
const points = (hundredths: number | null) => (hundredths === null ? null : hundredths / 100);

export function evaluationIndicators(ctx: EntryContext): EvaluationIndicator[] {
  return ctx.inds.map((i) => ({
    position: i.position,
    level1: i.level1,
    level2: i.level2,
    name: i.name,
    operator: i.operator,
    target: i.target,
    unit: i.unit,
    weight: points(i.weight),
  }));
}

/** Finance's adjustments of a report, newest first, with who made them. */
export function listAdjustments(reportId: number) {
  return db
    .select({ a: scoreAdjustments, actorName: users.displayName })
    .from(scoreAdjustments)
    .leftJoin(users, eq(users.id, scoreAdjustments.actorId))
    .where(eq(scoreAdjustments.reportId, reportId))
    .orderBy(desc(scoreAdjustments.createdAt), desc(scoreAdjustments.id))
    .all()
    .map(({ a, actorName }) => ({ ...a, actorName }));
}

/**
 * The adjustments in force as scoring overrides, by index in the table: the latest per row
 * made since the last submission (a returned and resubmitted evaluation is reviewed afresh;
 * earlier adjustments stay in the history).
 */
export function overridesOf(reportId: number | null, ctx: EntryContext): ScoreOverride[] {
  if (reportId === null || !ctx.report) return [];
  const since = ctx.report.submittedAt?.getTime() ?? 0;
  const latest = new Map<number, { after: number; reason: string }>();
  for (const a of listAdjustments(reportId)) {
    if (a.createdAt.getTime() >= since && !latest.has(a.position)) latest.set(a.position, { after: a.after, reason: a.reason });
  }
  return ctx.inds.flatMap((ind, index) => {
    const a = latest.get(ind.position);
    return a ? [{ indicator: index, score: Dec.of(a.after).div(Dec.HUNDRED).toString(), reason: a.reason }] : [];
  });
}

function assess(user: CurrentUser, round: Round, ctx: EntryContext, form: EvaluationForm, overrides: ScoreOverride[]): EvaluationAssessment {
  return assessEvaluationEntry(
    {
      indicators: evaluationIndicators(ctx),
      budgetExecutionWeight: points(ctx.table.budgetExecutionWeight),
      budgetInitial: ctx.owner.budget === null ? null : ctx.owner.budget / 10000,
      kind: ctx.owner.kind,
      form,
      overrides,
    },
    ruleSetFor(user.regionId, round.year),
  );
}

/** The form as saved, else prefilled: 全年预算数 from the table, actuals from the last monitoring round. */
function formOf(round: Round, ref: OwnerRef, ctx: EntryContext): EvaluationForm {
  const { report, inds, owner } = ctx;
  if (report) {
    const rows = db.select().from(reportRows).where(eq(reportRows.reportId, report.id)).orderBy(asc(reportRows.position)).all();
    const byPos = new Map(rows.map((r) => [r.position, r]));
    return {
      budgetAnnual: yuanToWanText(report.budgetAnnual),
      budgetExecuted: yuanToWanText(report.budgetExecuted),
      summary: report.summary ?? "",
      rows: inds.map((i) => {
        const r = byPos.get(i.position);
        if (!r) return emptyEvaluationRow();
        return {
          actual: r.tier ?? r.actual ?? "",
          percent: r.tierPercent ?? "",
          na: r.notApplicable ? "1" : "",
          naReason: r.naReason ?? "",
          explanation: r.reasonText ?? "",
        };
      }),
    };
  }
  const { prev, byPosition } = previousRows(round, ref, inds);
  return {
    budgetAnnual: prev?.report.budgetAnnual != null ? yuanToWanText(prev.report.budgetAnnual) : yuanToWanText(owner.budget),
    budgetExecuted: "",
    summary: "",
    rows: inds.map((i) => {
      const r = byPosition.get(i.position);
      // A 定性 indicator has no cumulative number to carry over.
      return { ...emptyEvaluationRow(), actual: i.operator === "定性" ? "" : (r?.actual ?? "") };
    }),
  };
}

/** Everything the 绩效自评 page shows; null → 404. */
export function loadEvaluation(user: CurrentUser, round: Round, ref: OwnerRef, now = new Date()) {
  const ctx = entryContext(user, round, ref, now);
  if (!ctx) return null;
  const form = formOf(round, ref, ctx);
  const rs = ruleSetFor(user.regionId, round.year);
  return {
    ...ctx.common,
    form,
    evaluationIndicators: evaluationIndicators(ctx),
    budgetExecutionWeight: points(ctx.table.budgetExecutionWeight),
    budgetInitial: ctx.owner.budget === null ? null : ctx.owner.budget / 10000,
    overrides: overridesOf(ctx.report?.id ?? null, ctx),
    adjustments: ctx.report ? listAdjustments(ctx.report.id) : [],
    attachments: listAttachments(ctx.report?.id ?? null),
    canAdjust: user.role === "finance" && ctx.status === "pending_finance",
    ruleSet: rs,
  };
}

/**
 * Saves a self-evaluation (保存草稿) or saves and submits it (提交自评: refused, writing
 * nothing, while anything required is missing). Scores are recomputed on the server.
 */
export function saveEvaluation(
  user: CurrentUser,
  round: Round,
  ref: OwnerRef,
  input: { intent: "save" | "submit"; revision: number | null; raw: unknown },
  now = new Date(),
): SaveEntryResult {
  const ctx = guardSave(user, round, ref, input.revision, now);
  if ("ok" in ctx) return ctx;
  const parsed = parseEntryForm(evaluationFormSchema, input.raw, "全年执行数");
  if (!parsed.ok) return parsed;
  const { form, annual, executed } = parsed;

  const a = assess(user, round, ctx, form, []);
  const next = nextStatus(user, ref, ctx, input.intent, a.missing);
  if (!next.ok) return { ok: false, status: 400, reason: next.reason, missing: a.missing };
  const toHundredths = (n: number | null) => (n === null ? null : Math.round(n * 100));
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
        executionRate: toHundredths(a.score.budget.rate),
        summary: nul(form.summary),
        score: toHundredths(a.score.total),
        grade: a.score.grade,
      },
      rows: ctx.inds.map((ind, i) => {
        const r = form.rows[i] ?? emptyEvaluationRow();
        const qualitative = ind.operator === "定性";
        return {
          actual: qualitative ? null : nul(r.actual),
          tier: qualitative ? nul(r.actual) : null,
          tierPercent: qualitative ? nul(r.percent) : null,
          notApplicable: r.na === "1",
          naReason: r.na === "1" ? nul(r.naReason) : null,
          reasonText: nul(r.explanation),
          score: toHundredths(a.score.indicators[i]?.score ?? null),
        };
      }),
      audit: { total: a.score.total, grade: a.score.grade, form },
    },
    now,
  );
}

export type AdjustResult = { ok: true } | { ok: false; status: 400 | 403 | 404 | 409; reason: string; errors?: Record<string, string> };

/**
 * 财政复核: finance changes one row's score (0 to the row's weight) with a written reason,
 * while the evaluation waits for finance. The total and grade are recomputed; the change is a
 * row of its own and an audit entry.
 */
export function adjustScore(
  user: CurrentUser,
  round: Round,
  ref: OwnerRef,
  input: { position: number; score: string; reason: string; revision: number | null },
  now = new Date(),
): AdjustResult {
  const ctx = entryContext(user, round, ref, now);
  if (!ctx || !ctx.report) return { ok: false, status: 404, reason: "未找到" };
  if (user.role !== "finance") return { ok: false, status: 403, reason: "只有财政局可以在复核时调整分数" };
  if (ctx.status !== "pending_finance") return { ok: false, status: 409, reason: "只有待财政审核的自评可以调整分数" };
  if (input.revision !== null && input.revision !== ctx.report.revision) return { ok: false, status: 409, reason: "这份自评已被他人处理，请刷新后再调整" };
  const index = ctx.inds.findIndex((i) => i.position === input.position);
  const ind = ctx.inds[index];
  if (!ind) return { ok: false, status: 400, reason: "没有这个指标", errors: { position: "请选择指标" } };
  const errors: Record<string, string> = {};
  const weight = points(ind.weight);
  const s = Dec.parse(input.score.trim());
  if (s === null || s.sign() < 0 || (weight !== null && s.gt(Dec.of(weight)))) errors.score = `调整后的分数应在 0 到 ${weight ?? 0} 之间`;
  else if (!s.round(2).eq(s)) errors.score = "分数最多保留 2 位小数";
  if (!input.reason.trim()) errors.reason = "调整分数须说明理由";
  if (input.reason.length > 2000) errors.reason = "理由不能超过 2000 字";
  if (Object.keys(errors).length > 0) return { ok: false, status: 400, reason: "请按提示修改", errors };

  const form = formOf(round, ref, ctx);
  const current = assess(user, round, ctx, form, overridesOf(ctx.report.id, ctx));
  const before = Math.round((current.score.indicators[index]?.score ?? 0) * 100);
  const after = Math.round(s!.toNumber() * 100);
  const overrides = [...overridesOf(ctx.report.id, ctx).filter((o) => o.indicator !== index), { indicator: index, score: s!.toString(), reason: input.reason.trim() }];
  const next = assess(user, round, ctx, form, overrides);
  const report = ctx.report;
  return db.transaction((tx) => {
    const updated = tx
      .update(reports)
      .set({ score: Math.round(next.score.total * 100), grade: next.score.grade, revision: sql`${reports.revision} + 1`, updatedAt: now })
      .where(and(eq(reports.id, report.id), eq(reports.revision, report.revision), eq(reports.status, "pending_finance")))
      .returning()
      .get();
    if (!updated) return { ok: false as const, status: 409 as const, reason: "这份自评已被他人处理，请刷新后再调整" };
    tx.insert(scoreAdjustments).values({ regionId: user.regionId, reportId: report.id, position: ind.position, before, after, reason: input.reason.trim(), actorId: user.id }).run();
    tx.update(reportRows).set({ score: after }).where(and(eq(reportRows.reportId, report.id), eq(reportRows.position, ind.position))).run();
    recordAudit(tx, {
      actor: user,
      entity: "report",
      entityId: report.id,
      action: "adjust_score",
      before: { position: ind.position, score: before, total: report.score, grade: report.grade },
      after: { position: ind.position, score: after, reason: input.reason.trim(), total: updated.score, grade: updated.grade },
    });
    return { ok: true as const };
  });
}
