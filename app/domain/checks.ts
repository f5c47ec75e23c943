// The checker (合规性审核), docs/domain.md §4: a registry of checks, one small function
// each, written in one place with its code, default severity, its label on the rule-set page
// and its message. `checkTable` gathers the facts of a table in one pass over its rows, then
// runs the registry in order; consecutive per-row checks run row by row, so findings come
// out per indicator, in the order of the registry (docs/decisions/027-checker-registry.md).
// Weights are summed as exact decimals (decimal.ts): 2.5 + 7.5 + … never drifts.
// Pure TypeScript: no I/O. rules.ts re-exports all of it.
import { Dec, fmt } from "./decimal";
import type { KindRules, NameKeywords, RuleSet } from "./rules";
import type { ExchangeTable, Indicator, Operator } from "./schemas";
import { cleanCell, isCostIndicator, isQuantitative, level2Allowed, normalizeLevel1, normalizeLevel2 } from "./taxonomy";
import { isQualitativeScale, parseValue } from "./values";

// ---------------------------------------------------------------------------------------
// Findings

export const SEVERITIES = ["error", "warning", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Where a finding is: table index in the file, indicator index (0-based), field, source line. */
export interface Where {
  table: number | null;
  indicator: number | null;
  field: string | null;
  line: number | null;
}

export interface Finding {
  severity: Severity;
  code: CheckCode;
  /** 中文, names the indicator and the numbers involved. */
  message: string;
  where: Where;
}

// ---------------------------------------------------------------------------------------
// Helpers shared with scoring.ts / monitoring.ts

/** Does a (cleaned) indicator name match a keyword list? Linear in the name's length. */
export function matchesKeywords(name: string, list: NameKeywords): boolean {
  return list.match === "endsWith" ? list.keywords.some((k) => name.endsWith(k)) : list.keywords.some((k) => name.includes(k));
}

/** Effective severity of a check under a rule set, or "off". */
export function severityOf(ruleSet: RuleSet, code: CheckCode): Severity | "off" {
  return ruleSet.severities[code] ?? DEFAULT_SEVERITIES[code];
}

/** The rules for a table's kind. */
export function kindRules(ruleSet: RuleSet, table: Pick<ExchangeTable, "kind">): KindRules {
  return table.kind === "department" ? ruleSet.department : ruleSet.project;
}

/** An indicator weight as an exact decimal, or null when it is missing or not a finite number. */
export function weightOf(ind: Pick<Indicator, "weight">): Dec | null {
  if (ind.weight == null || typeof ind.weight !== "number" || !Number.isFinite(ind.weight)) return null;
  return Dec.of(ind.weight);
}

/**
 * A numeric target as an exact decimal: the canonical decimal of the exchange format, or
 * an inline value such as "90%" / "≥90" written by hand. null when not a number.
 */
export function numericTarget(target: string | null | undefined): Dec | null {
  if (target == null) return null;
  const d = Dec.parse(target);
  if (d !== null) return d;
  const p = parseValue(target);
  return p.ok && p.value !== null ? Dec.of(p.value) : null;
}

/** Display label of an indicator in messages: 第 3 个指标「补助人数」. */
export function indicatorLabel(index: number, ind: Pick<Indicator, "name">): string {
  const name = ind.name && ind.name.trim() ? ind.name.trim() : "（未命名）";
  return `第 ${index + 1} 个指标「${name}」`;
}

/**
 * Is this a 满意度 indicator? By its 一级 when given; when the table has no 一级 column,
 * by a name ending in 满意度/满意率 (001 and 000 project tables).
 */
export function isSatisfactionIndicator(ind: Pick<Indicator, "level1" | "name">): boolean {
  if (ind.level1 && cleanCell(ind.level1)) return normalizeLevel1(ind.level1).value === "满意度指标";
  return !!ind.name && /满意(度|率)$/.test(cleanCell(ind.name));
}

const NO_UNIT = new Set(["其他", "无", "空", "-", "—", "/", "定性", "等级", "级", "档"]);
function hasUnit(unit: string | null | undefined): boolean {
  if (unit == null) return false;
  const u = cleanCell(unit);
  return u !== "" && !NO_UNIT.has(u);
}

interface Compiled {
  allowed: Set<Operator>;
  percentMax: Dec;
  completionRateMin: Dec;
  satisfactionMax: Dec;
  /** 一级 → index of its group in level1Split. */
  groupOf: Map<string, number>;
}
const COMPILED = new WeakMap<RuleSet, Compiled>();
function compiled(rs: RuleSet): Compiled {
  let c = COMPILED.get(rs);
  if (!c) {
    c = {
      allowed: new Set<Operator>(rs.allowedOperators),
      percentMax: Dec.of(rs.thresholds.percentMax),
      completionRateMin: Dec.of(rs.thresholds.completionRateMin),
      satisfactionMax: Dec.of(rs.satisfaction.maxWeight),
      groupOf: new Map((rs.level1Split?.groups ?? []).flatMap((g, k) => g.level1.map((l) => [l, k] as [string, number]))),
    };
    COMPILED.set(rs, c);
  }
  return c;
}

function pct(x: Dec): string {
  return `${fmt(x.mul(Dec.HUNDRED).round(2))}%`;
}

// ---------------------------------------------------------------------------------------
// Facts: what the checks read, gathered in one pass over the rows

/** One row as the checks see it. */
interface Row {
  ind: Indicator;
  /** Cleaned name ("" when missing). */
  name: string;
  /** Index of the earlier row of the same name, or null. */
  sameNameAs: number | null;
  weight: Dec | null;
  level1: ReturnType<typeof normalizeLevel1> | null;
  satisfaction: boolean;
  /** Trimmed target text ("" when missing). */
  targetText: string;
  /** The numeric target of a 定量 row, or null. */
  target: Dec | null;
}

/** A table as the checks see it. */
interface Facts {
  table: ExchangeTable;
  ruleSet: RuleSet;
  rules: KindRules;
  rx: Compiled;
  history: ExchangeTable[] | undefined;
  rows: Row[];
  /** 第 3 个指标「补助人数」, built only when a message needs it. */
  label(i: number): string;
  level1Present: Set<string>;
  /** Σ of the weights that are numbers, and how many there are. */
  weightSum: Dec;
  weightCount: number;
  satWeight: Dec;
  satCount: number;
  coreWeight: Dec;
  coreRows: number[];
  /** Some row states 是/否 for 核心指标. */
  coreMarked: boolean;
  /** Weight of each level1Split group. */
  groupTotals: Dec[];
  /** Every row has a 一级 and a weight, so the split can be compared. */
  splitComparable: boolean;
}

function gatherFacts(table: ExchangeTable, ruleSet: RuleSet, history: ExchangeTable[] | undefined): Facts {
  const rules = kindRules(ruleSet, table);
  const rx = compiled(ruleSet);
  const inds = table.indicators ?? [];
  const labels: (string | undefined)[] = [];
  const f: Facts = {
    table,
    ruleSet,
    rules,
    rx,
    history,
    rows: [],
    label: (i) => (labels[i] ??= indicatorLabel(i, inds[i])),
    level1Present: new Set(),
    weightSum: Dec.ZERO,
    weightCount: 0,
    satWeight: Dec.ZERO,
    satCount: 0,
    coreWeight: Dec.ZERO,
    coreRows: [],
    coreMarked: false,
    groupTotals: (ruleSet.level1Split?.groups ?? []).map(() => Dec.ZERO),
    splitComparable: true,
  };
  const names = new Map<string, number>();
  inds.forEach((ind, i) => {
    const name = ind.name ? cleanCell(ind.name) : "";
    const sameNameAs = name ? (names.get(name) ?? null) : null;
    if (name && sameNameAs === null) names.set(name, i);
    const w = weightOf(ind);
    const l1 = ind.level1 && cleanCell(ind.level1) ? normalizeLevel1(ind.level1, rules.taxonomy) : null;
    if (l1?.value) f.level1Present.add(l1.value);
    const isSat = l1 ? l1.value === "满意度指标" : isSatisfactionIndicator(ind);
    if (ind.core != null) f.coreMarked = true;
    if (ind.core === true) f.coreRows.push(i);
    if (w !== null) {
      f.weightSum = f.weightSum.add(w);
      f.weightCount++;
      if (isSat) {
        f.satWeight = f.satWeight.add(w);
        f.satCount++;
      }
      if (ind.core === true) f.coreWeight = f.coreWeight.add(w);
    }
    if (l1 === null || w === null) f.splitComparable = false;
    else {
      const g = rx.groupOf.get(l1.value!);
      if (g !== undefined) f.groupTotals[g] = f.groupTotals[g].add(w);
    }
    const targetText = ind.target == null ? "" : ind.target.trim();
    const target = isQuantitative(ind.operator) && targetText ? numericTarget(targetText) : null;
    f.rows.push({ ind, name, sameNameAs, weight: w, level1: l1, satisfaction: isSat, targetText, target });
  });
  return f;
}

// ---------------------------------------------------------------------------------------
// The registry

/**
 * Reports a finding of the running check. `soften`: the rule set's "error" becomes a
 * warning for this finding (budget_split with one part missing).
 */
type Emit = (message: string, where?: Partial<Where>, soften?: boolean) => void;

/**
 * A check. `table` checks run once; `indicator` checks run for every row and `core` checks
 * for every core row, `i` being the row. Consecutive checks of one row scope run row by row.
 */
interface CheckDef<C extends string> {
  code: C;
  severity: Severity;
  /** What it checks, on the rule-set page. */
  label: string;
  scope: "table" | "indicator" | "core";
  run(f: Facts, emit: Emit, i: number): void;
}
const check = <C extends string>(def: CheckDef<C>) => def;

/** A row's place: its index, the field and its source line. */
const at = (f: Facts, i: number, field: string): Partial<Where> => ({ indicator: i, field, line: f.rows[i].ind.line ?? null });

/** The checks, in the order their findings are listed. */
const CHECKS = [
  check({
    code: "budget_split",
    severity: "error",
    label: "本级安排 + 上级补助 ≠ 当年预算",
    scope: "table",
    run(f, emit) {
      const budget = f.table.project?.budget;
      if (!budget || budget.total == null || (budget.local == null && budget.superior == null)) return;
      const total = Dec.of(budget.total);
      const local = budget.local != null ? Dec.of(budget.local) : Dec.ZERO;
      const superior = budget.superior != null ? Dec.of(budget.superior) : Dec.ZERO;
      const parts = local.add(superior);
      if (parts.eq(total)) return;
      const missing = budget.local == null ? "本级安排" : budget.superior == null ? "上级补助" : null;
      // Only one part given: the other may simply be another source of funds → warn.
      emit(
        `本级安排 ${fmt(local)} + 上级补助 ${fmt(superior)} = ${fmt(parts)} 万元，与当年预算 ${fmt(total)} 万元不符` +
          (missing ? `（${missing}未填，按 0 计）` : ""),
        { field: "project.budget" },
        missing !== null,
      );
    },
  }),
  check({
    code: "no_indicators",
    severity: "error",
    label: "没有绩效指标 / 少于最少指标数",
    scope: "table",
    run(f, emit) {
      const n = f.rows.length;
      if (n === 0) emit("表中没有绩效指标", { field: "indicators" });
      else if (n < f.rules.minIndicators) emit(`只有 ${n} 个绩效指标，至少应有 ${f.rules.minIndicators} 个`, { field: "indicators" });
    },
  }),
  check({
    code: "too_few_indicators",
    severity: "warning",
    label: "指标数少于建议数",
    scope: "table",
    run(f, emit) {
      const n = f.rows.length;
      // Below the minimum is no_indicators' finding, not this one.
      if (n > 0 && n >= f.rules.minIndicators && n < f.rules.recommendedMinIndicators) {
        emit(`只有 ${n} 个绩效指标，建议至少 ${f.rules.recommendedMinIndicators} 个`, { field: "indicators" });
      }
    },
  }),
  check({
    code: "name_missing",
    severity: "error",
    label: "未填写指标名称",
    scope: "indicator",
    run(f, emit, i) {
      if (!f.rows[i].name) emit(`第 ${i + 1} 个指标未填写指标名称（三级指标）`, at(f, i, "name"));
    },
  }),
  check({
    code: "name_duplicate",
    severity: "error",
    label: "指标重名",
    scope: "indicator",
    run(f, emit, i) {
      const first = f.rows[i].sameNameAs;
      if (first !== null) emit(`${f.label(i)}与第 ${first + 1} 个指标重名`, at(f, i, "name"));
    },
  }),
  check({
    code: "weight_invalid",
    severity: "error",
    label: "权重未填或不是正数",
    scope: "indicator",
    run(f, emit, i) {
      const w = f.rows[i].weight;
      if (w === null) emit(`${f.label(i)}未填写指标权重`, at(f, i, "weight"));
      else if (w.sign() <= 0) emit(`${f.label(i)}的权重 ${fmt(w)} 应为正数`, at(f, i, "weight"));
    },
  }),
  check({
    code: "level1_unknown",
    severity: "warning",
    label: "一级指标不在分类中",
    scope: "indicator",
    run(f, emit, i) {
      const { ind, level1 } = f.rows[i];
      if (level1 && !level1.known) {
        emit(`${f.label(i)}的一级指标「${ind.level1}」不在规则集「${f.ruleSet.name}」的分类中`, at(f, i, "level1"));
      }
    },
  }),
  check({
    code: "level2_mismatch",
    severity: "warning",
    label: "二级指标不属于其一级指标",
    scope: "indicator",
    run(f, emit, i) {
      const { ind, level1 } = f.rows[i];
      if (!level1 || !level1.known || !ind.level2 || !cleanCell(ind.level2)) return;
      const taxonomy = f.rules.taxonomy;
      const l2 = normalizeLevel2(ind.level2, taxonomy);
      if (level2Allowed(taxonomy, level1.value!, l2.value!)) return;
      emit(
        `${f.label(i)}：二级指标「${ind.level2}」不属于一级指标「${level1.value}」（应为 ${taxonomy[level1.value!].join("、")}）`,
        at(f, i, "level2"),
      );
    },
  }),
  check({
    code: "operator_invalid",
    severity: "error",
    label: "指标性质不在允许范围内",
    scope: "indicator",
    run(f, emit, i) {
      const { ind } = f.rows[i];
      const op = ind.operator;
      if (op == null) {
        const rawOp = ind.raw?.operator;
        emit(rawOp ? `${f.label(i)}的指标性质「${rawOp}」无法识别` : `${f.label(i)}未填写指标性质`, at(f, i, "operator"));
      } else if (!f.rx.allowed.has(op)) {
        emit(
          `${f.label(i)}的指标性质「${op}」不在规则集「${f.ruleSet.name}」允许的范围内（${f.ruleSet.allowedOperators.join(" ")}）`,
          at(f, i, "operator"),
        );
      }
    },
  }),
  check({
    code: "target_not_numeric",
    severity: "error",
    label: "定量指标的指标值不是数值",
    scope: "indicator",
    run(f, emit, i) {
      const { ind, targetText, target } = f.rows[i];
      if (!isQuantitative(ind.operator)) return;
      if (!targetText) emit(`${f.label(i)}的指标性质为「${ind.operator}」，但未填写指标值`, at(f, i, "target"));
      else if (target === null) {
        emit(`${f.label(i)}的指标性质为「${ind.operator}」，指标值「${targetText}」不是数值`, at(f, i, "target"));
      }
    },
  }),
  check({
    code: "unit_missing",
    severity: "error",
    label: "定量指标未填写计量单位",
    scope: "indicator",
    run(f, emit, i) {
      const { ind } = f.rows[i];
      if (!isQuantitative(ind.operator) || hasUnit(ind.unit)) return;
      emit(
        ind.unit && cleanCell(ind.unit)
          ? `${f.label(i)}是定量指标，计量单位「${ind.unit}」不是计量单位`
          : `${f.label(i)}是定量指标，未填写计量单位`,
        at(f, i, "unit"),
      );
    },
  }),
  check({
    code: "target_missing",
    severity: "error",
    label: "定性指标未填写指标值",
    scope: "indicator",
    run(f, emit, i) {
      const { ind, targetText } = f.rows[i];
      if (ind.operator === "定性" && !targetText) {
        emit(`${f.label(i)}是定性指标，未填写指标值（应选定一个等级，如 达标、优）`, at(f, i, "target"));
      }
    },
  }),
  check({
    code: "qualitative_scale",
    severity: "warning",
    label: "定性指标值列出了一组等级",
    scope: "indicator",
    run(f, emit, i) {
      const { ind, targetText } = f.rows[i];
      if (ind.operator === "定性" && targetText && isQualitativeScale(targetText)) {
        emit(`${f.label(i)}的指标值「${targetText}」列出了一组等级，应只填写预期达到的一个等级`, at(f, i, "target"));
      }
    },
  }),
  check({
    code: "qualitative_unit",
    severity: "warning",
    label: "定性指标填写了计量单位",
    scope: "indicator",
    run(f, emit, i) {
      const { ind } = f.rows[i];
      if (ind.operator === "定性" && hasUnit(ind.unit)) emit(`${f.label(i)}是定性指标，却填写了计量单位「${ind.unit}」`, at(f, i, "unit"));
    },
  }),
  check({
    code: "percent_over_100",
    severity: "warning",
    label: "比率类指标值超过上限",
    scope: "indicator",
    run(f, emit, i) {
      const { name, target } = f.rows[i];
      const th = f.ruleSet.thresholds;
      if (target === null || !isPercent(f.rows[i]) || !name) return;
      if (matchesKeywords(name, th.rateNames) && !matchesKeywords(name, th.rateExcludeNames) && target.gt(f.rx.percentMax)) {
        emit(`${f.label(i)}是比率，指标值 ${fmt(target)}% 超过 ${th.percentMax}%`, at(f, i, "target"));
      }
    },
  }),
  check({
    code: "rate_target_low",
    severity: "warning",
    label: "完成类比率的目标偏低",
    scope: "indicator",
    run(f, emit, i) {
      const { ind, name, target } = f.rows[i];
      const op = ind.operator;
      const th = f.ruleSet.thresholds;
      if (target === null || !isPercent(f.rows[i]) || !name) return;
      if (matchesKeywords(name, th.completionRateNames) && (op === "≥" || op === ">" || op === "=") && target.lt(f.rx.completionRateMin)) {
        emit(
          `${f.label(i)}的指标值 ${op}${fmt(target)}% 低于 ${th.completionRateMin}%，完成类比率的目标明显偏低`,
          at(f, i, "target"),
        );
      }
    },
  }),
  check({
    code: "cost_operator",
    severity: "warning",
    label: "成本指标的指标性质为 ≥",
    scope: "indicator",
    run(f, emit, i) {
      const { ind } = f.rows[i];
      const op = ind.operator;
      if ((op === "≥" || op === ">") && isCostIndicator(ind.level1, ind.level2)) {
        emit(`${f.label(i)}是成本指标，指标性质却为「${op}」（成本指标一般应为 ≤）`, at(f, i, "operator"));
      }
    },
  }),
  check({
    code: "weight_total",
    severity: "error",
    label: "指标权重合计与预算执行率权重",
    scope: "table",
    run(f, emit) {
      if (f.rows.length === 0) return;
      const be = f.rules.budgetExecutionWeight;
      const stated = f.table.budgetExecutionWeight;
      if (stated != null && !Dec.of(stated).eq(Dec.of(be))) {
        emit(`表中预算执行率权重为 ${fmt(stated)}，规则集「${f.ruleSet.name}」规定为 ${fmt(be)}`, { field: "budgetExecutionWeight" });
      }
      const expected = Dec.HUNDRED.sub(Dec.of(be));
      if (f.weightCount > 0 && !f.weightSum.eq(expected)) {
        const missing = f.rows.length - f.weightCount;
        emit(
          `指标权重合计 ${fmt(f.weightSum)}，应为 ${fmt(expected)}` +
            (be > 0 ? `（100 − 预算执行率权重 ${fmt(be)}）` : "") +
            (missing > 0 ? `；另有 ${missing} 个指标未填权重` : ""),
          { field: "weight" },
        );
      }
    },
  }),
  check({
    code: "level1_required",
    severity: "error",
    label: "缺少必备一级指标",
    scope: "table",
    run(f, emit) {
      const required = f.rules.requiredLevel1;
      if (f.rows.length === 0 || required.length === 0) return;
      if (f.level1Present.size === 0) {
        emit(`表中未填写一级指标，无法确认包含必备的一级指标：${required.join("、")}`, { field: "level1" });
        return;
      }
      for (const req of required) if (!f.level1Present.has(req)) emit(`缺少一级指标「${req}」`, { field: "level1" });
    },
  }),
  check({
    code: "satisfaction_weight",
    severity: "warning",
    label: "满意度指标权重过高",
    scope: "table",
    run(f, emit) {
      if (f.satCount > 0 && f.satWeight.gt(f.rx.satisfactionMax)) {
        emit(`满意度指标权重合计 ${fmt(f.satWeight)}，超过 ${fmt(f.ruleSet.satisfaction.maxWeight)}`, { field: "weight" });
      }
    },
  }),
  check({
    code: "core_min",
    severity: "error",
    label: "核心指标个数不足",
    scope: "table",
    run(f, emit) {
      const min = f.rules.core.minCount;
      if (f.rows.length === 0 || f.coreRows.length >= min) return;
      emit(
        f.coreMarked
          ? `核心指标 ${f.coreRows.length} 个，至少应有 ${min} 个`
          : `未标注核心指标（是否核心指标），至少应有 ${min} 个核心指标`,
        { field: "core" },
      );
    },
  }),
  check({
    code: "core_weight_share",
    severity: "error",
    label: "核心指标权重占比不足",
    scope: "table",
    run(f, emit) {
      const min = f.rules.core.minWeightShare;
      if (f.coreRows.length === 0 || min == null || min <= 0) return;
      const all = f.weightSum;
      const share = Dec.of(min);
      if (all.sign() > 0 && f.coreWeight.div(all).lt(share)) {
        emit(
          `核心指标权重合计 ${fmt(f.coreWeight)}，占指标权重 ${fmt(all)} 的 ${pct(f.coreWeight.div(all))}，应不低于 ${pct(share)}`,
          { field: "core" },
        );
      }
    },
  }),
  check({
    code: "core_qualitative",
    severity: "error",
    label: "核心指标为定性指标",
    scope: "core",
    run(f, emit, i) {
      if (f.rows[i].ind.operator === "定性" && !f.rules.core.allowQualitative) {
        emit(`${f.label(i)}是定性指标，不能作为核心指标`, at(f, i, "core"));
      }
    },
  }),
  check({
    code: "core_satisfaction",
    severity: "warning",
    label: "满意度指标标为核心指标",
    scope: "core",
    run(f, emit, i) {
      if (f.rows[i].satisfaction) emit(`${f.label(i)}是满意度指标，不宜作为核心指标`, at(f, i, "core"));
    },
  }),
  check({
    code: "core_all",
    severity: "warning",
    label: "全部指标都标为核心指标",
    scope: "table",
    run(f, emit) {
      const n = f.rows.length;
      if (n >= 2 && f.coreRows.length === n) emit(`全部 ${n} 个指标都标为核心指标，核心指标失去意义`, { field: "core" });
    },
  }),
  check({
    code: "level1_split",
    severity: "info",
    label: "一级指标权重偏离建议分配",
    scope: "table",
    run(f, emit) {
      const split = f.ruleSet.level1Split;
      if (!split || f.table.kind !== "project" || f.rows.length === 0 || !f.splitComparable) return;
      const parts: string[] = [];
      split.groups.forEach((g, k) => {
        const t = f.groupTotals[k];
        if (t.sub(Dec.of(g.weight)).abs().gt(Dec.of(split.tolerance))) parts.push(`${g.level1.join("+")} ${fmt(t)}（建议 ${fmt(g.weight)}）`);
      });
      if (parts.length > 0) emit(`一级指标权重与建议分配相差较大：${parts.join("；")}`, { field: "weight" });
    },
  }),
  check({
    code: "below_last_actual",
    severity: "warning",
    label: "指标值低于上年实际完成值",
    scope: "table",
    run(f, emit) {
      if (f.history && f.history.length > 0) checkHistory(f, f.history, emit);
    },
  }),
] as const;

export type CheckCode = (typeof CHECKS)[number]["code"];
type AnyCheck = (typeof CHECKS)[number];

/**
 * The codes in the order of the rule-set page's severity table, of DEFAULT_SEVERITIES and
 * of the rule-set schema: grouped by subject, unlike the registry's order of findings.
 */
const LISTED = [
  "weight_total",
  "weight_invalid",
  "no_indicators",
  "too_few_indicators",
  "level1_required",
  "level1_unknown",
  "level2_mismatch",
  "name_missing",
  "name_duplicate",
  "operator_invalid",
  "target_missing",
  "target_not_numeric",
  "unit_missing",
  "core_min",
  "core_weight_share",
  "core_qualitative",
  "core_satisfaction",
  "core_all",
  "satisfaction_weight",
  "level1_split",
  "percent_over_100",
  "rate_target_low",
  "qualitative_scale",
  "qualitative_unit",
  "cost_operator",
  "budget_split",
  "below_last_actual",
] as const;
// Fails to compile until a new check of the registry is listed.
const listsEveryCheck: [Exclude<CheckCode, (typeof LISTED)[number]>] extends [never] ? true : never = true;
void listsEveryCheck;
export const CHECK_CODES: CheckCode[] = [...LISTED];

const BY_CODE = new Map<CheckCode, AnyCheck>(CHECKS.map((c) => [c.code, c]));

/** Every check code with its default severity (docs/domain.md §4 marks the ones that are ours). */
export const DEFAULT_SEVERITIES = Object.fromEntries(CHECK_CODES.map((c) => [c, BY_CODE.get(c)!.severity])) as Record<CheckCode, Severity>;

/** What each check checks, as the rule-set page names it. */
export const CHECK_LABELS = Object.fromEntries(CHECK_CODES.map((c) => [c, BY_CODE.get(c)!.label])) as Record<CheckCode, string>;

function isPercent(row: Row): boolean {
  return !!row.ind.unit && cleanCell(row.ind.unit) === "%";
}

// ---------------------------------------------------------------------------------------
// The checker

/** The registry as steps: a table check, or consecutive row checks run row by row. */
const STEPS: { scope: AnyCheck["scope"]; checks: AnyCheck[] }[] = [];
for (const c of CHECKS) {
  const last = STEPS[STEPS.length - 1];
  if (c.scope !== "table" && last?.scope === c.scope) last.checks.push(c);
  else STEPS.push({ scope: c.scope, checks: [c] });
}

/**
 * Checks one exchange table against a rule set and returns every finding of docs/domain.md §4
 * (`where.table` is null; `checkTables` fills it). `history` is last year's evaluated
 * tables (with `actual` values) for `below_last_actual`. Never throws on bad data: every
 * problem becomes a finding.
 */
export function checkTable(table: ExchangeTable, ruleSet: RuleSet, history?: ExchangeTable[]): Finding[] {
  const findings: Finding[] = [];
  const f = gatherFacts(table, ruleSet, history);
  const run = (c: AnyCheck, i: number) => {
    const sev = severityOf(ruleSet, c.code);
    if (sev === "off") return;
    c.run(
      f,
      (message, where = {}, soften = false) =>
        findings.push({
          severity: soften && sev === "error" ? "warning" : sev,
          code: c.code,
          message,
          where: { table: null, indicator: where.indicator ?? null, field: where.field ?? null, line: where.line ?? null },
        }),
      i,
    );
  };
  for (const step of STEPS) {
    if (step.scope === "table") run(step.checks[0], -1);
    else {
      const rows = step.scope === "core" ? f.coreRows : f.rows.map((_, i) => i);
      for (const i of rows) for (const c of step.checks) run(c, i);
    }
  }
  return findings;
}

/**
 * The same project in two years: by code when both tables state one, else by name. The
 * server matches within the unit before it passes history in (app/models/results.server.ts).
 */
function sameProject(a: ExchangeTable, b: ExchangeTable): boolean {
  const ca = a.project?.code?.trim();
  const cb = b.project?.code?.trim();
  if (ca && cb) return ca === cb;
  const na = a.project?.name ? cleanCell(a.project.name) : "";
  return na !== "" && na === (b.project?.name ? cleanCell(b.project.name) : "");
}

/** Last year's row of the indicator: same name, and the same 二级 when the name is there twice. */
function priorIndicator(ind: Indicator, name: string, prior: ExchangeTable): Indicator | undefined {
  const same = prior.indicators.filter((x) => x.name && cleanCell(x.name) === name);
  if (same.length <= 1) return same[0];
  const level2 = normalizeLevel2(ind.level2).value;
  const narrowed = same.filter((x) => normalizeLevel2(x.level2).value === level2);
  // Still ambiguous: no comparison rather than a guess.
  return narrowed.length === 1 ? narrowed[0] : undefined;
}

function checkHistory(f: Facts, history: ExchangeTable[], emit: Emit): void {
  const table = f.table;
  // Most recent earlier year first.
  const prior = history
    .filter((h) => sameProject(table, h) && (table.year == null || h.year == null || h.year < table.year))
    .sort((a, b) => (b.year ?? 0) - (a.year ?? 0));
  if (prior.length === 0) return;
  table.indicators.forEach((ind, i) => {
    if (ind.operator !== "≥" && ind.operator !== ">") return;
    const target = numericTarget(ind.target);
    const name = ind.name ? cleanCell(ind.name) : "";
    if (!target || !name) return;
    for (const h of prior) {
      const old = priorIndicator(ind, name, h);
      if (!old || old.actual == null || old.applicable === false) continue;
      const actual = numericTarget(old.actual);
      if (!actual) continue;
      if (target.lt(actual)) {
        emit(
          `${indicatorLabel(i, ind)}的指标值 ${fmt(target)} 低于${h.year ? ` ${h.year} 年` : "上年"}实际完成值 ${fmt(actual)}`,
          at(f, i, "target"),
        );
      }
      break;
    }
  });
}

/** Checks several tables; `where.table` is the index of each table in `tables`. */
export function checkTables(tables: ExchangeTable[], ruleSet: RuleSet, history?: ExchangeTable[]): Finding[][] {
  return tables.map((t, ti) => checkTable(t, ruleSet, history).map((f) => ({ ...f, where: { ...f.where, table: ti } })));
}

/** Counts of findings by severity. */
export function countBySeverity(findings: ReadonlyArray<{ severity: Severity }>): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}
