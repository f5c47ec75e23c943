// Self-evaluation scoring (绩效自评), docs/domain.md §6, exactly:
//   budget execution: min(执行数 / 全年预算数, 1) × W
//   ≥ / >: actual ≥ target → full; else actual / target × weight
//   ≤ / <: actual ≤ target → full; else target / actual × weight
//   =    : actual = target → full; else weight × max(0, 1 − |actual − target| / |target|)
//          (rule-set option "exact": all or nothing; see docs/decisions/003-equal-operator-formula.md)
//   zero targets: ≥ 0 always met; ≤ 0 (and = 0) met only by 0, else 0 points
//   定性: tier 达成 / 部分达成 / 未达成 with a percentage inside the tier's range
//   not applicable: excluded; total = (budget score + Σ scores) × 100 / (W + Σ applicable weights)
//   each score is computed exactly and shown with 2 decimals; the total adds the shown
//   scores (rule-set option: the exact ones), see docs/decisions/004-score-rounding-and-grades.md
//   grade on the total as shown: ≥ 90 优, ≥ 80 良, ≥ 60 中, else 差
// No binary floating point: all arithmetic is exact (decimal.ts) until rounding for output.
// Pure TypeScript: no I/O.
import { Dec, fmt } from "./decimal";
import type { ExchangeTable, Indicator, QualitativeTier } from "./schemas";
import { indicatorLabel, kindRules, numericTarget, weightOf, type RuleSet, type Severity, type Where } from "./rules";
import { cleanCell, isQuantitative } from "./taxonomy";

export const GRADES = ["优", "良", "中", "差"] as const;
export type Grade = (typeof GRADES)[number];

/** Flags on a scored indicator. */
export type ScoreFlag =
  /** below full marks: an explanation (偏差原因分析及改进措施) is required */
  | "explanation_required"
  /** an explanation is required but none was given */
  | "explanation_missing"
  /** actual above a ≥ target by more than the threshold: analyse why; finance may deduct */
  | "over_achievement"
  /** excluded (不适用) and the remaining points rescaled */
  | "not_applicable"
  /** no actual value: scored 0 */
  | "actual_missing"
  /** the target is 0 (special rule applied) */
  | "zero_target"
  /** actual beyond the target: capped at full weight */
  | "capped"
  /** the score was overridden manually (with a reason) */
  | "overridden"
  /** the formula cannot be applied (bad target/actual/tier): 0 points until fixed */
  | "invalid";

export interface ScoreIssue {
  severity: Severity;
  code: string;
  message: string;
  where: Where;
}

export interface IndicatorScore {
  /** 0-based index in the table. */
  index: number;
  name: string | null;
  level1: string | null;
  operator: string | null;
  target: string | null;
  actual: string | null;
  unit: string | null;
  weight: number | null;
  applicable: boolean;
  /** Points out of `weight` (2 decimals); null when not applicable. */
  score: number | null;
  /** For 定性: the tier and the percentage used. */
  tier: QualitativeTier | null;
  percent: number | null;
  /** The formula with the numbers, in words, e.g. "实际值 18 < 目标值 20：18 ÷ 20 × 20 = 18.00". */
  formula: string;
  flags: ScoreFlag[];
  explanationRequired: boolean;
}

export interface BudgetScore {
  /** W: the table's 预算执行率 weight (or the rule set's when the table states none). */
  weight: number;
  budgetInitial: number | null;
  budgetAnnual: number | null;
  budgetExecuted: number | null;
  /** 执行率 in percent, 2 decimals; null when it cannot be computed. */
  rate: number | null;
  score: number;
  formula: string;
}

export interface ScoreResult {
  project: { code: string | null; name: string | null };
  /** Total out of 100, 2 decimals. */
  total: number;
  /** Total as text with exactly 2 decimals ("90.00"). */
  totalText: string;
  grade: Grade;
  budget: BudgetScore;
  indicators: IndicatorScore[];
  /** Σ budget + indicator points before rescaling, and the points they are out of. */
  rawTotal: number;
  maxPoints: number;
  /** How the total was obtained, in words. */
  formula: string;
  /** Problems with the input (missing actuals, bad tiers…). Empty for a clean evaluation. */
  issues: ScoreIssue[];
  /** False when an input was missing or invalid (the total is then provisional). */
  complete: boolean;
}

/** A manual override of one indicator's computed score; a reason is mandatory. */
export interface ScoreOverride {
  indicator: number;
  score: number | string;
  reason: string;
}

export interface ScoreOptions {
  overrides?: ScoreOverride[];
}

const TIER_ALIASES: Record<string, QualitativeTier> = {
  达成: "达成",
  达成年度指标: "达成",
  已达成: "达成",
  完成: "达成",
  部分达成: "部分达成",
  部分达成并具有一定效果: "部分达成",
  部分完成: "部分达成",
  未达成: "未达成",
  未达成且效果较差: "未达成",
  未完成: "未达成",
};

/** The tier named by an actual value of a 定性 indicator (`达成年度指标` → 达成), or null. */
export function parseTier(text: string | null | undefined): QualitativeTier | null {
  if (!text) return null;
  return TIER_ALIASES[cleanCell(text)] ?? null;
}

/** Grade of a total under a rule set's thresholds (compared exactly). */
export function gradeOf(total: Dec | number | string, ruleSet: RuleSet): Grade {
  const t = Dec.of(total);
  const g = ruleSet.scoring.grades;
  if (t.gte(Dec.of(g.优))) return "优";
  if (t.gte(Dec.of(g.良))) return "良";
  if (t.gte(Dec.of(g.中))) return "中";
  return "差";
}

const f2 = (d: Dec) => d.toFixed(2);
const num2 = (d: Dec) => Number(d.toFixed(2));

interface Scored {
  score: Dec;
  formula: string;
  flags: ScoreFlag[];
  tier?: QualitativeTier | null;
  percent?: number | null;
  issue?: string;
}

/** Scores one applicable quantitative indicator exactly (docs/domain.md §6). */
export function scoreQuantitative(
  operator: "≥" | ">" | "≤" | "<" | "=",
  target: Dec,
  actual: Dec,
  weight: Dec,
  ruleSet: RuleSet,
): Scored {
  const T = fmt(target);
  const A = fmt(actual);
  const W = fmt(weight);
  const flags: ScoreFlag[] = [];
  if (target.isZero()) flags.push("zero_target");

  if (operator === "≥" || operator === ">") {
    const threshold = Dec.of(ruleSet.scoring.overAchievementThreshold);
    if (target.sign() > 0 && actual.gt(target.mul(Dec.ONE.add(threshold)))) flags.push("over_achievement");
    if (actual.gte(target)) {
      if (actual.gt(target)) flags.push("capped");
      return {
        score: weight,
        formula: target.isZero()
          ? `目标值为 0（${operator} 0 总是达成）：得满分 ${W}`
          : `实际值 ${A} ≥ 目标值 ${T}：得满分 ${W}`,
        flags,
      };
    }
    if (target.sign() <= 0 || actual.sign() <= 0) {
      // A negative target, or a non-positive actual under a positive target: the ratio is meaningless.
      return {
        score: Dec.ZERO,
        formula:
          target.sign() < 0
            ? `实际值 ${A} < 目标值 ${T}（负目标值无法按比例计分）：得 0`
            : `实际值 ${A} ≤ 0，低于目标值 ${T}：得 0`,
        flags,
      };
    }
    const s = actual.div(target).mul(weight);
    return { score: s, formula: `实际值 ${A} < 目标值 ${T}：${A} ÷ ${T} × ${W} = ${f2(s)}`, flags };
  }

  if (operator === "≤" || operator === "<") {
    if (actual.lte(target)) {
      return { score: weight, formula: `实际值 ${A} ≤ 目标值 ${T}：得满分 ${W}`, flags };
    }
    if (target.sign() <= 0) {
      return {
        score: Dec.ZERO,
        formula: target.isZero()
          ? `目标值为 0（≤ 0 只有实际值为 0 才达成），实际值 ${A}：得 0`
          : `实际值 ${A} > 目标值 ${T}（负目标值无法按比例计分）：得 0`,
        flags,
      };
    }
    const s = target.div(actual).mul(weight);
    return { score: s, formula: `实际值 ${A} > 目标值 ${T}：${T} ÷ ${A} × ${W} = ${f2(s)}`, flags };
  }

  // "="
  if (actual.eq(target)) return { score: weight, formula: `实际值 ${A} = 目标值 ${T}：得满分 ${W}`, flags };
  if (target.isZero()) {
    return { score: Dec.ZERO, formula: `目标值为 0（= 0 只有实际值为 0 才达成），实际值 ${A}：得 0`, flags };
  }
  if (ruleSet.scoring.equalFormula === "exact") {
    return { score: Dec.ZERO, formula: `实际值 ${A} ≠ 目标值 ${T}（规则集：等于须完全一致）：得 0`, flags };
  }
  const dev = actual.sub(target).abs().div(target.abs());
  const s = Dec.ONE.sub(dev).max(Dec.ZERO).mul(weight);
  return {
    score: s,
    formula: `实际值 ${A} ≠ 目标值 ${T}：${W} × max(0, 1 − |${A} − ${T}| ÷ |${T}|) = ${f2(s)}`,
    flags,
  };
}

function scoreQualitative(ind: Indicator, weight: Dec, ruleSet: RuleSet): Scored {
  const tier = parseTier(ind.actual);
  if (!tier) {
    return {
      score: Dec.ZERO,
      formula: `定性指标的完成情况「${ind.actual}」不是 达成 / 部分达成 / 未达成：暂计 0`,
      flags: ["invalid"],
      tier: null,
      percent: null,
      issue: `完成情况「${ind.actual}」无法识别，应为 达成、部分达成 或 未达成`,
    };
  }
  const range = ruleSet.scoring.qualitativeTiers[tier];
  const percent = ind.percent ?? range.default;
  if (percent < range.min || percent > range.max) {
    return {
      score: Dec.ZERO,
      formula: `「${tier}」的得分比例应在 ${range.min}%–${range.max}% 之间，实为 ${percent}%：暂计 0`,
      flags: ["invalid"],
      tier,
      percent,
      issue: `「${tier}」的得分比例 ${percent}% 不在 ${range.min}%–${range.max}% 之间`,
    };
  }
  const s = Dec.of(percent).div(Dec.HUNDRED).mul(weight);
  return {
    score: s,
    formula: `定性「${tier}」（${range.min}%–${range.max}%），取 ${fmt(percent)}%${ind.percent == null ? "（默认）" : ""}：${fmt(weight)} × ${fmt(percent)}% = ${f2(s)}`,
    flags: [],
    tier,
    percent,
  };
}

/**
 * Scores a self-evaluation table (docs/domain.md §6). Uses `table.evaluation` (budget) and per
 * indicator `actual` / `percent` / `applicable` / `explanation`. Never throws on bad data:
 * problems are listed in `issues`, the indicator scores 0 and `complete` is false.
 */
export function scoreEvaluation(table: ExchangeTable, ruleSet: RuleSet, options: ScoreOptions = {}): ScoreResult {
  const issues: ScoreIssue[] = [];
  const issue = (code: string, message: string, indicator: number | null, field: string | null, severity: Severity = "error") =>
    issues.push({
      severity,
      code,
      message,
      where: { table: null, indicator, field, line: indicator != null ? (table.indicators[indicator]?.line ?? null) : null },
    });

  // --- budget execution ---------------------------------------------------------------
  const byShown = ruleSet.scoring.totalOf === "shownScores";
  const W = Dec.of(table.budgetExecutionWeight ?? kindRules(ruleSet, table).budgetExecutionWeight);
  const ev = table.evaluation;
  let budgetScore = Dec.ZERO;
  let rate: Dec | null = null;
  let budgetFormula: string;
  if (W.isZero()) {
    budgetFormula = "本表无预算执行率权重";
  } else if (!ev || ev.budgetAnnual == null || ev.budgetExecuted == null) {
    budgetFormula = "缺少全年预算数或全年执行数：预算执行率暂计 0";
    issue("budget_missing", "缺少全年预算数或全年执行数，预算执行率无法计分", null, "evaluation");
  } else if (ev.budgetAnnual <= 0) {
    budgetFormula = `全年预算数为 ${fmt(ev.budgetAnnual)}：预算执行率无法计算，暂计 0`;
    issue("budget_invalid", `全年预算数 ${fmt(ev.budgetAnnual)} 应为正数`, null, "evaluation.budgetAnnual");
  } else if (ev.budgetExecuted < 0) {
    budgetFormula = `全年执行数为 ${fmt(ev.budgetExecuted)}：不能为负，暂计 0`;
    issue("budget_invalid", `全年执行数 ${fmt(ev.budgetExecuted)} 不能为负数`, null, "evaluation.budgetExecuted");
  } else {
    const annual = Dec.of(ev.budgetAnnual);
    const executed = Dec.of(ev.budgetExecuted);
    rate = executed.div(annual);
    budgetScore = rate.min(Dec.ONE).mul(W);
    if (byShown) budgetScore = budgetScore.round(2);
    budgetFormula =
      `执行率 = ${fmt(executed)} ÷ ${fmt(annual)} = ${rate.mul(Dec.HUNDRED).toFixed(2)}%` +
      (rate.gt(Dec.ONE) ? `（超过 100% 按 100% 计）` : "") +
      `；得分 = min(执行率, 100%) × ${fmt(W)} = ${f2(budgetScore)}`;
  }

  // --- indicators ---------------------------------------------------------------------------
  const overrides = new Map<number, ScoreOverride>();
  for (const o of options.overrides ?? []) {
    if (!o.reason || !o.reason.trim()) {
      issue("override_reason_missing", `第 ${o.indicator + 1} 个指标的人工调整分数未说明理由，未采用`, o.indicator, "score");
    } else overrides.set(o.indicator, o);
  }

  let sumScores = Dec.ZERO;
  let sumWeights = Dec.ZERO;
  const results: IndicatorScore[] = table.indicators.map((ind, i) => {
    let labelText: string | null = null;
    const labelOf = () => (labelText ??= indicatorLabel(i, ind));
    const w = weightOf(ind);
    if (ind.applicable === false) {
      return {
        index: i,
        name: ind.name,
        level1: ind.level1,
        operator: ind.operator,
        target: ind.target,
        actual: ind.actual ?? null,
        unit: ind.unit,
        weight: ind.weight,
        applicable: false,
        score: null,
        tier: null,
        percent: null,
        formula: "不适用：不计分，其余得分按百分制折算",
        flags: ["not_applicable"],
        explanationRequired: false,
      };
    }
    let r: Scored;
    if (w === null || w.sign() <= 0) {
      r = { score: Dec.ZERO, formula: "权重缺失或无效：不计分", flags: ["invalid"], issue: `${labelOf()}的权重缺失或无效` };
    } else if (ind.actual == null || ind.actual.trim() === "") {
      r = { score: Dec.ZERO, formula: "未填写实际完成值：得 0", flags: ["actual_missing"], issue: `${labelOf()}未填写实际完成值` };
    } else if (ind.operator === "定性") {
      r = scoreQualitative(ind, w, ruleSet);
    } else if (isQuantitative(ind.operator)) {
      const target = numericTarget(ind.target);
      const actual = numericTarget(ind.actual);
      if (target === null) {
        r = { score: Dec.ZERO, formula: `指标值「${ind.target ?? ""}」不是数值：暂计 0`, flags: ["invalid"], issue: `${labelOf()}的指标值不是数值` };
      } else if (actual === null) {
        r = {
          score: Dec.ZERO,
          formula: `实际完成值「${ind.actual}」不是数值：暂计 0`,
          flags: ["invalid"],
          issue: `${labelOf()}的实际完成值「${ind.actual}」不是数值`,
        };
      } else {
        r = scoreQuantitative(ind.operator, target, actual, w, ruleSet);
      }
    } else {
      r = { score: Dec.ZERO, formula: "未填写指标性质：无法计分", flags: ["invalid"], issue: `${labelOf()}没有指标性质，无法计分` };
    }
    if (r.issue) issue(r.flags.includes("actual_missing") ? "actual_missing" : "score_invalid", r.issue, i, "actual");

    const ov = overrides.get(i);
    if (ov && w) {
      const s = Dec.parse(String(ov.score));
      if (s === null || s.sign() < 0 || s.gt(w)) {
        issue("override_invalid", `${labelOf()}的人工调整分数 ${ov.score} 应在 0 到 ${fmt(w)} 之间，未采用`, i, "score");
      } else {
        r = {
          ...r,
          score: s,
          formula: `${r.formula}；人工调整为 ${f2(s)}（理由：${ov.reason.trim()}）`,
          flags: [...r.flags, "overridden"],
        };
      }
    }

    const flags = [...r.flags];
    const belowFull = w !== null && r.score.lt(w);
    const explanationRequired =
      (ruleSet.scoring.explanationBelowFull && belowFull) || flags.includes("over_achievement");
    if (explanationRequired) {
      flags.push("explanation_required");
      if (!ind.explanation || !ind.explanation.trim()) {
        flags.push("explanation_missing");
        issue(
          "explanation_missing",
          flags.includes("over_achievement")
            ? `${labelOf()}的实际值高于指标值较多，须分析原因（指标值是否设定偏低）`
            : `${labelOf()}未得满分，须填写偏差原因分析及改进措施`,
          i,
          "explanation",
          "warning",
        );
      }
    }
    const shown = r.score.round(2);
    if (w) {
      sumScores = sumScores.add(byShown ? shown : r.score);
      sumWeights = sumWeights.add(w);
    }
    return {
      index: i,
      name: ind.name,
      level1: ind.level1,
      operator: ind.operator,
      target: ind.target,
      actual: ind.actual ?? null,
      unit: ind.unit,
      weight: ind.weight,
      applicable: true,
      score: shown.toNumber(),
      tier: r.tier ?? null,
      percent: r.percent ?? null,
      formula: r.formula,
      flags,
      explanationRequired,
    };
  });

  // --- total ------------------------------------------------------------------------------
  const raw = budgetScore.add(sumScores);
  const max = W.add(sumWeights);
  let total: Dec;
  let formula: string;
  if (max.isZero()) {
    total = Dec.ZERO;
    formula = "没有可计分的项目：总分 0";
    issue("nothing_to_score", "没有适用且有权重的指标，无法计分", null, null);
  } else if (max.eq(Dec.HUNDRED)) {
    total = raw;
    formula = `总分 = 预算执行率 ${f2(budgetScore)} + 指标得分 ${f2(sumScores)} = ${f2(total)}`;
  } else {
    total = raw.mul(Dec.HUNDRED).div(max);
    formula =
      `总分 = (预算执行率 ${f2(budgetScore)} + 指标得分 ${f2(sumScores)}) ÷ ${fmt(max)} × 100 = ${f2(total)}` +
      `（适用的权重合计 ${fmt(max)}，按百分制折算）`;
  }
  const totalRounded = Dec.of(total.toFixed(2));

  return {
    project: { code: table.project?.code ?? null, name: table.project?.name ?? null },
    total: num2(total),
    totalText: total.toFixed(2),
    grade: gradeOf(totalRounded, ruleSet),
    budget: {
      weight: W.toNumber(),
      budgetInitial: ev?.budgetInitial ?? null,
      budgetAnnual: ev?.budgetAnnual ?? null,
      budgetExecuted: ev?.budgetExecuted ?? null,
      rate: rate ? num2(rate.mul(Dec.HUNDRED)) : null,
      score: num2(budgetScore),
      formula: budgetFormula,
    },
    indicators: results,
    rawTotal: num2(raw),
    maxPoints: max.toNumber(),
    formula,
    issues,
    complete: !issues.some((x) => x.severity === "error"),
  };
}
