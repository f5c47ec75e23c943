// Exports of 绩效自评 (issue 11 items 7 and 8): the data of the 项目支出绩效自评表 for one
// evaluation or a round (the .xlsx and the print view), and one evaluation as exchange JSON
// for `jixiao score`.
//
// Everything starts from loadEvaluation, which decides scope (a foreign or out-of-scope owner
// is "not found"), and the scores are assessEvaluationEntry's with the adjustments in force
// (overridesOf): the numbers the entry page shows, finance's deductions included.
import { and, eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { departments, departmentTargets } from "../../db/schema";
import type { CurrentUser } from "../auth/types";
import { assessEvaluationEntry, evaluationTable, TIERS, type EvaluationAssessment } from "../domain/evaluation-form";
import type { RuleSet } from "../domain/rules";
import type { ScoreOverride } from "../domain/scoring";
import type { ExchangeTable } from "../domain/schemas";
import { MAX_EVALUATION_SHEETS, TooManyEvaluationsError } from "../io/xlsx/evaluation-export";
import type { EvaluationSheetData, EvaluationSheetRow } from "../io/xlsx/evaluation-layout";
import { formatDateTime } from "../utils/format";
import { departmentTargetToExchange } from "./exchange.server";
import { loadEvaluation } from "./evaluations.server";
import { getProjectExport } from "./export.server";
import type { OwnerRef } from "./reports.server";
import { roundOwners } from "./round-export.server";
import type { Round } from "./rounds.server";
import { departmentTargetScope } from "./scope.server";
import { listIndicatorsOf } from "./tables.server";

type EvaluationView = NonNullable<ReturnType<typeof loadEvaluation>>;

/** The evaluated version of the target table as exchange JSON (header and indicators), or null. */
function evaluatedTable(user: CurrentUser, ref: OwnerRef, view: EvaluationView): ExchangeTable | null {
  if (ref.kind === "project") return getProjectExport(user, ref.id, view.table.version)?.table ?? null;
  const r = db
    .select({ target: departmentTargets, code: departments.code, name: departments.name })
    .from(departmentTargets)
    .innerJoin(departments, eq(departments.id, departmentTargets.departmentId))
    .where(and(eq(departmentTargets.id, ref.id), departmentTargetScope(user)))
    .get();
  if (!r) return null;
  const weight = view.budgetExecutionWeight === null ? null : Math.round(view.budgetExecutionWeight * 100);
  return departmentTargetToExchange(r.target, { code: r.code, name: r.name }, { budgetExecutionWeight: weight }, listIndicatorsOf([view.table.id]));
}

interface Loaded {
  view: EvaluationView;
  assessment: EvaluationAssessment;
  table: ExchangeTable;
  scoringInput: Parameters<typeof assessEvaluationEntry>[0];
  /** Nothing required is missing from the filler's entry. */
  complete: boolean;
}

function load(user: CurrentUser, round: Round, ref: OwnerRef, now: Date): Loaded | null {
  const view = loadEvaluation(user, round, ref, now);
  if (!view) return null;
  const table = evaluatedTable(user, ref, view);
  if (!table) return null;
  const scoringInput = {
    indicators: view.evaluationIndicators,
    budgetExecutionWeight: view.budgetExecutionWeight,
    budgetInitial: view.budgetInitial,
    kind: ref.kind,
    form: view.form,
    overrides: view.overrides,
  };
  const assessment = assessEvaluationEntry(scoringInput, view.ruleSet);
  // Complete is judged on the filler's own scores, as on submission: a row finance marked
  // down carries finance's reason, not a missing explanation (docs/evaluation.md, 财政复核).
  const complete = view.overrides.length > 0 ? assessEvaluationEntry({ ...scoringInput, overrides: [] }, view.ruleSet).complete : assessment.complete;
  return { view, table, scoringInput, assessment, complete };
}

function gradeRule(ruleSet: RuleSet): string {
  const g = ruleSet.scoring.grades;
  return `优 ≥ ${g.优}，良 ≥ ${g.良}，中 ≥ ${g.中}，差 < ${g.中}`;
}

function targetText(ind: EvaluationView["evaluationIndicators"][number]): string {
  if (ind.operator === "定性") return ind.target ?? "";
  if (!ind.target) return "";
  return `${ind.operator ?? ""}${ind.target}${ind.unit ?? ""}`;
}

function sheetOf(round: Round, ref: OwnerRef, { view, assessment: a, table, complete }: Loaded): EvaluationSheetData {
  const o = view.owner;
  const s = a.score;
  // view.adjustments is newest first: the first per row is the one overridesOf keeps in force.
  const latest = new Map<number, EvaluationView["adjustments"][number]>();
  for (const adj of view.adjustments) if (!latest.has(adj.position)) latest.set(adj.position, adj);
  const overridden = new Set(view.overrides.map((x: ScoreOverride) => x.indicator));
  const rows = view.evaluationIndicators.map((ind, i): EvaluationSheetRow => {
    const f = view.form.rows[i];
    const r = s.indicators[i];
    const applicable = r?.applicable ?? true;
    let actualText = "";
    if (!applicable) actualText = f?.naReason.trim() ? `不适用：${f.naReason.trim()}` : "不适用";
    else if (ind.operator === "定性") {
      const tier = TIERS.find((t) => t.value === r?.tier);
      actualText = tier ? `${tier.label}（${r!.percent}%）` : (f?.actual.trim() ?? "");
    } else if (f?.actual.trim()) actualText = `${f.actual.trim()}${ind.unit ?? ""}`;
    const adj = overridden.has(i) ? latest.get(ind.position) : undefined;
    return {
      level1: ind.level1,
      level2: ind.level2,
      name: ind.name,
      targetText: targetText(ind),
      actualText,
      weight: ind.weight,
      score: r?.score ?? null,
      applicable,
      explanation: f?.explanation.trim() || null,
      formula: r?.formula ?? "",
      adjustment: adj ? { before: adj.before / 100, after: adj.after / 100, reason: adj.reason, actor: adj.actorName, at: formatDateTime(adj.createdAt) } : null,
    };
  });
  return {
    roundId: round.id,
    year: round.year,
    ownerKind: ref.kind,
    ownerId: o.id,
    name: o.name,
    code: o.code,
    departmentName: o.departmentName,
    unitName: ref.kind === "department" ? o.departmentName : o.unitName,
    status: view.report ? view.status : null,
    tableVersion: view.table.version,
    budget: {
      initial: view.budgetInitial,
      annual: s.budget.budgetAnnual,
      executed: s.budget.budgetExecuted,
      weight: s.budget.weight,
      rate: s.budget.rate,
      score: s.budget.score,
      formula: s.budget.formula,
    },
    goal: {
      expected: (ref.kind === "project" ? table.project?.annualGoal : table.overall?.annualGoal) ?? null,
      actual: view.form.summary.trim() || null,
    },
    rows,
    total: s.total,
    totalText: s.totalText,
    grade: s.grade,
    formula: s.formula,
    gradeRule: gradeRule(view.ruleSet),
    complete,
  };
}

/** One evaluation's 自评表 (the saved entry, else the prefilled blank one); null → 404. */
export function evaluationSheet(user: CurrentUser, round: Round, ref: OwnerRef, now = new Date()): EvaluationSheetData | null {
  const loaded = load(user, round, ref, now);
  return loaded ? sheetOf(round, ref, loaded) : null;
}

/** A table carrying finance's adjustments in force (`overrides`, docs/cli.md). */
export type EvaluatedExchangeTable = ExchangeTable & { overrides: ScoreOverride[] };

/**
 * One evaluation as exchange JSON for `jixiao score` (docs/cli.md, "Scoring an exported
 * evaluation"): the evaluated version of the table with the entry's values — exactly the
 * input the web scores — finance's adjustments in force as `overrides`, and the region-year
 * rule set the web scores with. null → 404.
 */
export function evaluationExchange(user: CurrentUser, round: Round, ref: OwnerRef, now = new Date()): { tables: EvaluatedExchangeTable[]; ruleSet: RuleSet } | null {
  const loaded = load(user, round, ref, now);
  if (!loaded) return null;
  const { table, view, scoringInput } = loaded;
  const scored = evaluationTable(scoringInput);
  return {
    tables: [
      {
        ...table,
        budgetExecutionWeight: scored.budgetExecutionWeight,
        evaluation: scored.evaluation,
        indicators: scored.indicators.map((ind, i) => ({ ...ind, core: table.indicators[i]?.core ?? null })),
        overrides: view.overrides,
      },
    ],
    ruleSet: view.ruleSet,
  };
}

/**
 * Every evaluation of a round in the user's scope (or of one department in it), in the
 * order of the round page's list. null when the department is not in the user's scope
 * (→ 404); more than MAX_EVALUATION_SHEETS throws TooManyEvaluationsError before anything
 * is loaded.
 */
export function roundEvaluationSheets(user: CurrentUser, round: Round, departmentId: number | null, now = new Date()) {
  const found = roundOwners(user, round, departmentId, MAX_EVALUATION_SHEETS, (n) => new TooManyEvaluationsError(n), now);
  if (!found) return null;
  const sheets: EvaluationSheetData[] = [];
  for (const o of found.owners) {
    const s = evaluationSheet(user, round, { kind: o.kind, id: o.ownerId }, now);
    if (s) sheets.push(s);
  }
  return { department: found.department, sheets };
}
