// The 绩效自评 form (docs/monitoring.md, docs/evaluation.md): field names, parsing, and the
// assessment of an entry — the official scores (scoring.ts) plus what is still missing before
// 提交自评. Shared by the browser (live scores) and the server. Pure TypeScript.
import { z } from "zod";
import { Dec } from "./decimal";
import type { RuleSet } from "./rules";
import { scoreEvaluation, type ScoreOverride, type ScoreResult } from "./scoring";
import { EXCHANGE_FORMAT, type ExchangeTable, type Indicator, type Operator } from "./schemas";

const MAX_TEXT = 4000;
const text = z.string().max(MAX_TEXT, `不能超过 ${MAX_TEXT} 字`).default("");

export const TIERS = [
  { value: "达成", label: "达成年度指标", range: [80, 100], default: 100 },
  { value: "部分达成", label: "部分达成并具有一定效果", range: [60, 80], default: 70 },
  { value: "未达成", label: "未达成且效果较差", range: [0, 60], default: 30 },
] as const;

export const evaluationRowSchema = z.object({
  /** 全年实际完成值 (quantitative), or the tier (定性). */
  actual: text,
  /** 定性: the percentage of the weight inside the tier; blank = the tier's default. */
  percent: text,
  /** 不适用: "1" when ticked. */
  na: z.string().max(1).default(""),
  naReason: text,
  /** 偏差原因分析及改进措施 */
  explanation: text,
});

export const evaluationFormSchema = z.object({
  budgetAnnual: text,
  budgetExecuted: text,
  /** 总体目标完成情况 */
  summary: text,
  rows: z.array(evaluationRowSchema).max(500),
});

export type EvaluationRowForm = z.infer<typeof evaluationRowSchema>;
export type EvaluationForm = z.infer<typeof evaluationFormSchema>;

export const emptyEvaluationRow = (): EvaluationRowForm => ({ actual: "", percent: "", na: "", naReason: "", explanation: "" });

const ROW_FIELDS = new Set(["actual", "percent", "na", "naReason", "explanation"]);

/** Reads posted fields (budgetAnnual, rows.3.actual …) into the form shape for `rowCount` rows. */
export function readEvaluationForm(entries: Iterable<[string, string]>, rowCount: number): unknown {
  const out: Record<string, unknown> = {};
  const rows: Array<Record<string, string>> = Array.from({ length: rowCount }, () => ({}));
  for (const [key, value] of entries) {
    if (key === "budgetAnnual" || key === "budgetExecuted" || key === "summary") {
      out[key] = value;
      continue;
    }
    const m = /^rows\.(\d{1,4})\.([A-Za-z]+)$/.exec(key);
    if (!m || !ROW_FIELDS.has(m[2])) continue;
    const i = Number(m[1]);
    if (i < rowCount) rows[i][m[2]] = value;
  }
  out.rows = rows;
  return out;
}

/** An indicator of the approved table, as the evaluation needs it. */
export interface EvaluationIndicator {
  position: number;
  level1: string | null;
  level2: string | null;
  name: string | null;
  operator: Operator | null;
  target: string | null;
  unit: string | null;
  /** Weight in points (not hundredths); null when the table gives none. */
  weight: number | null;
}

export interface EvaluationAssessment {
  score: ScoreResult;
  /** Per row: what is missing before submission. */
  rowMissing: string[][];
  budgetMissing: string[];
  /** Every missing item, with where it is. */
  missing: string[];
  complete: boolean;
}

const blank = (s: string | null | undefined) => s == null || s.trim() === "";

function wan(textValue: string): number | null {
  if (blank(textValue)) return null;
  const d = Dec.parse(textValue.trim());
  return d === null ? null : d.toNumber();
}

function rowLabel(ind: EvaluationIndicator): string {
  return `第 ${ind.position + 1} 个指标「${ind.name && ind.name.trim() ? ind.name.trim() : "（未命名）"}」`;
}

/** The table as exchange JSON with the evaluation's values, ready for scoreEvaluation. */
export function evaluationTable(
  input: { indicators: EvaluationIndicator[]; budgetExecutionWeight: number | null; budgetInitial: number | null; kind: "project" | "department"; form: EvaluationForm },
): ExchangeTable {
  const { form } = input;
  return {
    format: EXCHANGE_FORMAT,
    kind: input.kind,
    year: null,
    department: null,
    project: null,
    overall: null,
    budgetExecutionWeight: input.budgetExecutionWeight,
    evaluation: { budgetInitial: input.budgetInitial, budgetAnnual: wan(form.budgetAnnual), budgetExecuted: wan(form.budgetExecuted) },
    indicators: input.indicators.map((ind, i): Indicator => {
      const r = form.rows[i] ?? emptyEvaluationRow();
      const pct = blank(r.percent) ? null : Dec.parse(r.percent.trim());
      return {
        level1: ind.level1,
        level2: ind.level2,
        name: ind.name,
        weight: ind.weight,
        unit: ind.unit,
        operator: ind.operator,
        target: ind.target,
        core: null,
        actual: blank(r.actual) ? null : r.actual.trim(),
        percent: pct === null ? null : pct.toNumber(),
        applicable: r.na !== "1",
        explanation: blank(r.explanation) ? null : r.explanation.trim(),
      };
    }),
  };
}

/**
 * Scores the entry with the official formulas and lists what is missing: 全年预算数 and
 * 全年执行数; per row an actual value (or a tier for 定性), a reason when 不适用, and an
 * explanation below full marks or on over-achievement.
 */
export function assessEvaluationEntry(
  input: {
    indicators: EvaluationIndicator[];
    budgetExecutionWeight: number | null;
    budgetInitial: number | null;
    kind: "project" | "department";
    form: EvaluationForm;
    overrides?: ScoreOverride[];
  },
  ruleSet: RuleSet,
): EvaluationAssessment {
  const table = evaluationTable(input);
  const score = scoreEvaluation(table, ruleSet, { overrides: input.overrides });
  const budgetMissing: string[] = [];
  const { form } = input;
  if (blank(form.budgetAnnual)) budgetMissing.push("请填写全年预算数");
  else if (wan(form.budgetAnnual) === null) budgetMissing.push(`全年预算数「${form.budgetAnnual}」不是数字`);
  if (blank(form.budgetExecuted)) budgetMissing.push("请填写全年执行数");
  else if (wan(form.budgetExecuted) === null) budgetMissing.push(`全年执行数「${form.budgetExecuted}」不是数字`);
  for (const i of score.issues) if (i.where.indicator === null && i.code === "budget_invalid") budgetMissing.push(i.message);
  if (blank(form.summary)) budgetMissing.push("请填写总体目标完成情况");

  const rowMissing = input.indicators.map((ind, i) => {
    const r = form.rows[i] ?? emptyEvaluationRow();
    const out: string[] = [];
    if (r.na === "1") {
      if (blank(r.naReason)) out.push("不适用须说明理由");
      return out;
    }
    const s = score.indicators[i];
    if (blank(r.actual)) out.push(ind.operator === "定性" ? "请选择完成程度" : "请填写全年实际完成值");
    else if (s?.flags.includes("invalid")) out.push(s.formula.split("：")[0]);
    if (ind.operator === "定性" && !blank(r.percent)) {
      const p = Dec.parse(r.percent.trim());
      if (p === null || p.sign() < 0 || p.gt(Dec.HUNDRED)) out.push("得分比例应为 0–100 的数字");
    }
    // Ask for the explanation only once the value itself is readable.
    if (out.length === 0 && s?.flags.includes("explanation_missing")) {
      out.push(s.flags.includes("over_achievement") ? "实际值高于指标值较多，须分析原因" : "未得满分，须填写偏差原因分析及改进措施");
    }
    return out;
  });
  const missing = [
    ...budgetMissing.map((m) => `预算执行：${m}`),
    ...rowMissing.flatMap((list, i) => list.map((m) => `${rowLabel(input.indicators[i])}：${m}`)),
  ];
  return { score, rowMissing, budgetMissing, missing, complete: missing.length === 0 };
}
