// Monitoring (绩效运行监控, "双监控"), docs/domain.md §5: time progress of a period, budget and
// indicator traffic lights (红黄绿灯) with configurable thresholds, and which fields become
// required. Pure TypeScript: no I/O.
import { Dec, fmt } from "./decimal";
import type { DeviationReason, Likelihood, Operator } from "./schemas";
import { BUILTIN_NAME_KEYWORDS, matchesKeywords, numericTarget, type RuleSet } from "./rules";
import { cleanCell, isQuantitative } from "./taxonomy";

/** Monitoring periods: quarters and the mid-year cuts 1–6月 (H1) and 1–7月 (M7). */
export const PERIODS = {
  Q1: { label: "第一季度（1–3月）", startMonth: 1, endMonth: 3 },
  Q2: { label: "第二季度（1–6月）", startMonth: 1, endMonth: 6 },
  Q3: { label: "第三季度（1–9月）", startMonth: 1, endMonth: 9 },
  Q4: { label: "第四季度（1–12月）", startMonth: 1, endMonth: 12 },
  H1: { label: "半年（1–6月）", startMonth: 1, endMonth: 6 },
  M7: { label: "1–7月", startMonth: 1, endMonth: 7 },
} as const;
export type PeriodCode = keyof typeof PERIODS;

export type Light = "green" | "yellow" | "red";
export const LIGHT_LABELS: Record<Light, string> = { green: "绿灯", yellow: "黄灯", red: "红灯" };

// 完成目标可能性 and 偏差原因 live with the exchange format (jixiao monitor reads them there).
export { DEVIATION_REASONS, LIKELIHOODS, type DeviationReason, type Likelihood } from "./schemas";

/** 序时进度 = months elapsed / 12, exact (Q1 → 1/4, M7 → 7/12). Accepts a code or a month 1–12. */
export function timeProgress(period: PeriodCode | number): Dec {
  const months = typeof period === "number" ? period : PERIODS[period].endMonth;
  if (!Number.isInteger(months) || months < 0 || months > 12) {
    throw new RangeError(`month must be an integer 0–12, got ${months}`);
  }
  return Dec.fraction(BigInt(months), 12n);
}

/** Is a period open for entry at `now`? Open from `openedAt` until `closedAt` (exclusive). */
export function isPeriodOpen(period: { openedAt: Date | null; closedAt: Date | null }, now: Date): boolean {
  if (!period.openedAt || now < period.openedAt) return false;
  return !period.closedAt || now < period.closedAt;
}

export interface BudgetLight {
  /** 执行率 in percent (2 decimals); null when 全年预算数 is not positive. */
  executionRate: number | null;
  /** 序时进度 in percent (2 decimals). */
  timeProgress: number;
  /** 序时进度 − 执行率, in percentage points (2 decimals); negative when ahead; null as above. */
  gap: number | null;
  /** null when it cannot be computed (the message says why). */
  light: Light | null;
  message: string;
}

/**
 * Budget traffic light (throws only on a bad period): gap = 序时进度 − 执行率 (percentage points); gap ≤ green → 绿灯,
 * ≤ yellow → 黄灯, above → 红灯 (defaults 10 / 20, from the rule set).
 */
export function budgetLight(
  input: { annual: number | string; executed: number | string; period: PeriodCode | number },
  ruleSet: Pick<RuleSet, "monitoring">,
): BudgetLight {
  const annual = Dec.of(input.annual);
  const executed = Dec.of(input.executed);
  const tp = timeProgress(input.period).mul(Dec.HUNDRED);
  if (annual.sign() <= 0) {
    return { executionRate: null, timeProgress: Number(tp.toFixed(2)), gap: null, light: null, message: `全年预算数为 ${fmt(annual)}，应为正数，无法计算执行率` };
  }
  const rate = executed.div(annual).mul(Dec.HUNDRED);
  const gap = tp.sub(rate);
  const { green, yellow } = ruleSet.monitoring.budget;
  const light: Light = gap.lte(Dec.of(green)) ? "green" : gap.lte(Dec.of(yellow)) ? "yellow" : "red";
  const message =
    `执行率 ${rate.toFixed(2)}%，序时进度 ${tp.toFixed(2)}%，` +
    (gap.sign() <= 0 ? `快于序时进度 ${gap.neg().toFixed(2)} 个百分点` : `落后 ${gap.toFixed(2)} 个百分点`) +
    `：${LIGHT_LABELS[light]}`;
  return {
    executionRate: Number(rate.toFixed(2)),
    timeProgress: Number(tp.toFixed(2)),
    gap: Number(gap.toFixed(2)),
    light,
    message,
  };
}

export interface IndicatorLightInput {
  operator: Operator | null;
  /** Target as decimal text (for 定性 ignored). */
  target: string | null;
  /** 全年预计完成值 (decimal text); may be null. */
  projected: string | null;
  likelihood: Likelihood | null;
}

export interface IndicatorLight {
  /** null when there is not enough to decide (no projection and no likelihood). */
  light: Light | null;
  message: string;
}

const ORDER: Record<Light, number> = { green: 0, yellow: 1, red: 2 };
const worse = (a: Light, b: Light): Light => (ORDER[a] >= ORDER[b] ? a : b);

/**
 * Indicator traffic light: the projection meets the target → 绿灯; within
 * `indicatorYellowWithin` (10%) of meeting it → 黄灯; otherwise 红灯. 完全不可能 → 红灯,
 * 有可能 → at least 黄灯. 定性: from the likelihood alone (确定能 绿, 有可能 黄, 完全不可能 红).
 */
export function indicatorLight(input: IndicatorLightInput, ruleSet: Pick<RuleSet, "monitoring">): IndicatorLight {
  const within = Dec.of(ruleSet.monitoring.indicatorYellowWithin);
  const lk = input.likelihood;
  const fromLikelihood: Light | null =
    lk === "完全不可能" ? "red" : lk === "有可能" ? "yellow" : lk === "确定能" ? "green" : null;

  if (!isQuantitative(input.operator)) {
    return fromLikelihood
      ? { light: fromLikelihood, message: `定性指标，完成目标可能性「${lk}」：${LIGHT_LABELS[fromLikelihood]}` }
      : { light: null, message: "定性指标须选择完成目标可能性" };
  }
  const target = numericTarget(input.target);
  const projected = numericTarget(input.projected);
  if (target === null || projected === null) {
    if (fromLikelihood) {
      return {
        light: fromLikelihood,
        message: `缺少${target === null ? "目标值" : "全年预计完成值"}，按完成目标可能性「${lk}」：${LIGHT_LABELS[fromLikelihood]}`,
      };
    }
    return { light: null, message: `缺少${target === null ? "目标值" : "全年预计完成值"}和完成目标可能性` };
  }

  const op = input.operator;
  let light: Light;
  let how: string;
  const P = fmt(projected);
  const T = fmt(target);
  if (op === "≥" || op === ">") {
    const met = op === "≥" ? projected.gte(target) : projected.gt(target);
    const near = projected.gte(target.sub(target.abs().mul(within)));
    light = met ? "green" : near ? "yellow" : "red";
    how = `预计 ${P}，目标 ${op}${T}`;
  } else if (op === "≤" || op === "<") {
    const met = op === "≤" ? projected.lte(target) : projected.lt(target);
    const near = projected.lte(target.add(target.abs().mul(within)));
    light = met ? "green" : near ? "yellow" : "red";
    how = `预计 ${P}，目标 ${op}${T}`;
  } else {
    const diff = projected.sub(target).abs();
    light = diff.isZero() ? "green" : diff.lte(target.abs().mul(within)) ? "yellow" : "red";
    how = `预计 ${P}，目标 =${T}`;
  }
  let final = light;
  if (fromLikelihood === "red") final = "red";
  else if (fromLikelihood === "yellow") final = worse(light, "yellow");
  const note = final !== light ? `（完成目标可能性「${lk}」）` : "";
  return { light: final, message: `${how}：${LIGHT_LABELS[final]}${note}` };
}

export interface MonitoringEntry {
  /** 截至本期完成值 */
  cumulativeActual: string | null;
  /** 全年预计完成值 */
  projected: string | null;
  likelihood: Likelihood | null;
  /** 偏差原因: one or more of DEVIATION_REASONS */
  deviationReasons: DeviationReason[];
  /** Text explaining the reasons (required for 其他, and whenever reasons are required). */
  deviationText: string | null;
  /** 纠偏措施 */
  correctiveMeasures: string | null;
}

export interface RequiredField {
  field: keyof MonitoringEntry;
  message: string;
}

/**
 * Which fields of a monitoring entry are required and missing, given its light: always
 * 截至本期完成值 and 完成目标可能性 (and 全年预计完成值 for quantitative indicators);
 * with a yellow or red light also 偏差原因 (with text) and 纠偏措施. An empty result means
 * the entry may be submitted.
 */
export function missingMonitoringFields(
  entry: MonitoringEntry,
  light: Light | null,
  operator: Operator | null,
): RequiredField[] {
  const out: RequiredField[] = [];
  const blank = (s: string | null) => s == null || s.trim() === "";
  if (blank(entry.cumulativeActual)) out.push({ field: "cumulativeActual", message: "请填写截至本期完成值" });
  if (isQuantitative(operator) && blank(entry.projected)) {
    out.push({ field: "projected", message: "请填写全年预计完成值" });
  }
  if (!entry.likelihood) out.push({ field: "likelihood", message: "请选择完成目标可能性" });
  if (light === "yellow" || light === "red") {
    const lbl = light === "red" ? "红灯" : "黄灯";
    if (entry.deviationReasons.length === 0) {
      out.push({ field: "deviationReasons", message: `${lbl}指标须选择偏差原因` });
    }
    if (blank(entry.deviationText)) out.push({ field: "deviationText", message: `${lbl}指标须说明偏差原因` });
    if (blank(entry.correctiveMeasures)) out.push({ field: "correctiveMeasures", message: `${lbl}指标须填写纠偏措施` });
  } else if (entry.deviationReasons.includes("其他") && blank(entry.deviationText)) {
    out.push({ field: "deviationText", message: "偏差原因选择「其他」时须说明" });
  }
  return out;
}

/** Budget-level requirement: a yellow or red budget light needs a reason and measures. */
export function missingBudgetFields(
  light: Light | null,
  input: { reason: string | null; measures: string | null },
): Array<{ field: "reason" | "measures"; message: string }> {
  if (light === "green" || light === null) return [];
  const out: Array<{ field: "reason" | "measures"; message: string }> = [];
  const lbl = LIGHT_LABELS[light];
  if (!input.reason || !input.reason.trim()) out.push({ field: "reason", message: `预算执行${lbl}，须说明偏差原因` });
  if (!input.measures || !input.measures.trim()) out.push({ field: "measures", message: `预算执行${lbl}，须填写纠偏措施` });
  return out;
}

// ---------------------------------------------------------------------------------------
// A whole monitoring entry (监控填报) assessed at once: the web entry page (server and
// browser) and `jixiao monitor` both call this, so a light never differs between them.

export interface EntryIndicator {
  position: number;
  name: string | null;
  operator: Operator | null;
  target: string | null;
  unit: string | null;
}

export interface EntryBudget {
  /** 全年预算数 and 截至本期执行数, decimal text in 万元 (as typed). */
  annual: string | null;
  executed: string | null;
  reason: string | null;
  measures: string | null;
}

export interface RowAssessment {
  position: number;
  light: Light | null;
  message: string;
  missing: RequiredField[];
  /** Data-quality notes for the reviewer (never block submission). */
  warnings: Array<{ code: string; message: string }>;
}

export interface EntryAssessment {
  period: PeriodCode | number;
  /** 序时进度 in percent (2 decimals). */
  timeProgress: number;
  budget: BudgetLight & { missing: Array<{ field: "annual" | "executed" | "reason" | "measures"; message: string }> };
  rows: RowAssessment[];
  counts: { green: number; yellow: number; red: number; none: number };
  /** Every missing required field, as messages that say where ("第 2 个指标「…」：…"). */
  missing: string[];
  /** True when nothing required is missing: the entry may be submitted. */
  complete: boolean;
}

const isBlank = (s: string | null | undefined) => s == null || s.trim() === "";

function rowLabel(ind: EntryIndicator): string {
  const name = ind.name && ind.name.trim() ? ind.name.trim() : "（未命名）";
  return `第 ${ind.position + 1} 个指标「${name}」`;
}

/**
 * Assesses an entry: the budget light (and its required reason and measures), each
 * indicator's light with what is missing, and the counts. Unreadable numbers are reported
 * as missing with a message, never guessed.
 */
export function assessMonitoringEntry(
  input: { period: PeriodCode | number; budget: EntryBudget; rows: Array<{ indicator: EntryIndicator; entry: MonitoringEntry }> },
  ruleSet: MonitoringRules,
): EntryAssessment {
  const tp = Number(timeProgress(input.period).mul(Dec.HUNDRED).toFixed(2));
  const budgetMissing: EntryAssessment["budget"]["missing"] = [];
  const annual = isBlank(input.budget.annual) ? null : Dec.parse(input.budget.annual!.trim());
  const executed = isBlank(input.budget.executed) ? null : Dec.parse(input.budget.executed!.trim());
  if (isBlank(input.budget.annual)) budgetMissing.push({ field: "annual", message: "请填写全年预算数" });
  else if (!annual) budgetMissing.push({ field: "annual", message: `全年预算数「${input.budget.annual}」不是数字` });
  if (isBlank(input.budget.executed)) budgetMissing.push({ field: "executed", message: "请填写截至本期执行数" });
  else if (!executed) budgetMissing.push({ field: "executed", message: `截至本期执行数「${input.budget.executed}」不是数字` });
  else if (executed.sign() < 0) budgetMissing.push({ field: "executed", message: "截至本期执行数不能为负数" });

  let budget: BudgetLight;
  if (annual && executed && executed.sign() >= 0) {
    budget = budgetLight({ annual: annual.toString(), executed: executed.toString(), period: input.period }, ruleSet);
    if (budget.light === null) budgetMissing.push({ field: "annual", message: budget.message });
  } else {
    budget = { executionRate: null, timeProgress: tp, gap: null, light: null, message: "填写全年预算数和截至本期执行数后计算执行率" };
  }
  budgetMissing.push(...missingBudgetFields(budget.light, input.budget));

  const counts = { green: 0, yellow: 0, red: 0, none: 0 };
  const missing: string[] = budgetMissing.map((m) => `预算执行：${m.message}`);
  const rows: RowAssessment[] = input.rows.map(({ indicator, entry }) => {
    const lit = indicatorLight(
      { operator: indicator.operator, target: indicator.target, projected: entry.projected, likelihood: entry.likelihood },
      ruleSet,
    );
    const rowMissing = missingMonitoringFields(entry, lit.light, indicator.operator);
    if (isQuantitative(indicator.operator)) {
      for (const field of ["cumulativeActual", "projected"] as const) {
        const v = entry[field];
        if (!isBlank(v) && numericTarget(v) === null) {
          rowMissing.push({ field, message: `${field === "projected" ? "全年预计完成值" : "截至本期完成值"}「${v}」不是数字` });
        }
      }
    }
    if (lit.light) counts[lit.light] += 1;
    else counts.none += 1;
    for (const m of rowMissing) missing.push(`${rowLabel(indicator)}：${m.message}`);
    const mismatch = progressMismatch(indicator, entry, input.period, ruleSet);
    return { position: indicator.position, light: lit.light, message: lit.message, missing: rowMissing, warnings: mismatch ? [mismatch] : [] };
  });
  return { period: input.period, timeProgress: tp, budget: { ...budget, missing: budgetMissing }, rows, counts, missing, complete: missing.length === 0 };
}

// ---------------------------------------------------------------------------------------
// Data quality: 「进度与预计不符」 (issue 10). A warning for the reviewer, never a block.

/** What monitoring reads of a rule set; `thresholds` (rate names) is optional, the built-in lists apply without it. */
export type MonitoringRules = Pick<RuleSet, "monitoring"> & Partial<Pick<RuleSet, "thresholds">>;

// Units of a share, a score, a level or a ratio per something: such values do not add up
// over the year, so 截至本期完成值 need not follow 序时进度.
const NON_CUMULATIVE_UNITS = new Set(["%", "％", "‰", "百分比", "百分点", "分", "星", "星级", "级", "等级", "档", "倍"]);
// Names of standards, averages, unit prices and time limits: not amounts that accumulate.
const NON_CUMULATIVE_NAME_WORDS = ["标准", "人均", "户均", "平均", "均价", "单价", "单位成本", "时限", "周期", "年限"];

/**
 * Is this a quantitative, cumulative indicator (an amount that grows over the year, like
 * 补助人数 ≥ 39 人 or 新建道路 ≥ 12 公里)? Our reading (docs/decisions/013): operator ≥ or >
 * (a ≤ target is a ceiling — costs, time limits — and = a fixed state); a unit that counts
 * or measures an amount (人, 个, 万元, 公里, …; not %, 分, 级, 倍, nor per-something units
 * such as 元/人 or 次/年; a missing unit says nothing, so no); and a name that is neither a
 * rate (the rule set's rate names, e.g. 知晓率, 满意度) nor a standard or average (标准, 人均…).
 */
export function isCumulativeIndicator(
  ind: Pick<EntryIndicator, "operator" | "unit" | "name">,
  ruleSet?: Partial<Pick<RuleSet, "thresholds">>,
): boolean {
  if (ind.operator !== "≥" && ind.operator !== ">") return false;
  const unit = ind.unit ? cleanCell(ind.unit) : "";
  if (!unit || NON_CUMULATIVE_UNITS.has(unit) || /[/／每]/.test(unit)) return false;
  const name = ind.name ? cleanCell(ind.name) : "";
  if (matchesKeywords(name, ruleSet?.thresholds?.rateNames ?? BUILTIN_NAME_KEYWORDS.rateNames)) return false;
  return !NON_CUMULATIVE_NAME_WORDS.some((w) => name.includes(w));
}

/**
 * 「进度与预计不符」: a cumulative indicator (above) whose 截至本期完成值 is below
 * fraction × target × 序时进度 (fraction = `monitoring.progressMismatchFraction`, 0.5 by
 * default; 0 turns it off) while 全年预计完成值 meets the target. Exactly at the bound is
 * not flagged. null when it does not apply or a value is missing or unreadable (those
 * are reported as missing elsewhere).
 */
export function progressMismatch(
  ind: EntryIndicator,
  entry: Pick<MonitoringEntry, "cumulativeActual" | "projected">,
  period: PeriodCode | number,
  ruleSet: MonitoringRules,
): { code: "progress_mismatch"; message: string } | null {
  const fraction = Dec.of(ruleSet.monitoring.progressMismatchFraction ?? 0.5);
  if (fraction.sign() <= 0 || !isCumulativeIndicator(ind, ruleSet)) return null;
  const target = numericTarget(ind.target);
  const actual = numericTarget(entry.cumulativeActual);
  const projected = numericTarget(entry.projected);
  if (!target || !actual || !projected || target.sign() <= 0) return null;
  const claimsFull = ind.operator === "≥" ? projected.gte(target) : projected.gt(target);
  if (!claimsFull) return null;
  const tp = timeProgress(period);
  const bound = target.mul(tp).mul(fraction);
  if (actual.gte(bound)) return null;
  const u = ind.unit ? cleanCell(ind.unit) : "";
  const n = (d: Dec) => `${fmt(d)} ${u}`;
  const pct = (d: Dec) => `${fmt(d.mul(Dec.HUNDRED).round(2))}%`;
  return {
    code: "progress_mismatch",
    message:
      `进度与预计不符：截至本期完成 ${n(actual)}，不到 目标 ${n(target)} × 序时进度 ${pct(tp)} × ${pct(fraction)} = ${n(bound.round(2))}，` +
      `全年预计完成值却为 ${n(projected)}（达到目标 ${ind.operator}${fmt(target)}）。请核实截至本期完成值和全年预计完成值`,
  };
}
