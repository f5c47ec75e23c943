// `jixiao monitor`: a table's monitoring entry (exchange JSON: `monitoring` on the table,
// `monitor` on each indicator) assessed by the same domain function as the web entry page
// (assessMonitoringEntry), in the stable shape of docs/cli.md (jixiao.monitor/v1).
import { Dec } from "../domain/decimal";
import { assessMonitoringEntry, LIGHT_LABELS, PERIODS, type Light, type MonitoringEntry, type PeriodCode } from "../domain/monitoring";
import { indicatorLabel, type RuleSet, type Severity } from "../domain/rules";
import type { ExchangeTable, UnknownKey } from "../domain/schemas";

export const MONITOR_FORMAT = "jixiao.monitor/v1";

/** The input keys (exchange JSON) of the domain's fields, so `missing` names what to fill in the file. */
const ROW_FIELDS: Record<keyof MonitoringEntry, string> = {
  cumulativeActual: "actual",
  projected: "projected",
  likelihood: "likelihood",
  deviationReasons: "reasons",
  deviationText: "reasonText",
  correctiveMeasures: "measures",
};
const BUDGET_FIELDS = { annual: "budgetAnnual", executed: "budgetExecuted", reason: "reason", measures: "measures" } as const;

/** Chinese names of the input keys, for the human report. */
export const FIELD_LABELS: Record<string, string> = {
  actual: "截至本期完成值",
  projected: "全年预计完成值",
  likelihood: "完成目标可能性",
  reasons: "偏差原因",
  reasonText: "偏差原因说明",
  measures: "纠偏措施",
  budgetAnnual: "全年预算数",
  budgetExecuted: "截至本期执行数",
  reason: "偏差原因",
};

export interface MonitorIssue {
  severity: Severity;
  code: string;
  message: string;
  where: { table: number | null; indicator: number | null; field: string | null; line: number | null };
}

export interface MonitorTableReport {
  table: number;
  project: { code: string | null; name: string | null };
  period: PeriodCode | number | null;
  /** 序时进度 in percent (2 decimals); null without a period. */
  timeProgress: number | null;
  budget: {
    annual: number | null;
    executed: number | null;
    rate: number | null;
    gap: number | null;
    light: Light | null;
    message: string;
    missing: string[];
  };
  indicators: Array<{ index: number; name: string | null; light: Light | null; message: string; missing: string[] }>;
  counts: { green: number; yellow: number; red: number; none: number };
  complete: boolean;
  issues: MonitorIssue[];
}

const numberOf = (text: string | null): number | null => {
  const d = text == null ? null : Dec.parse(text);
  return d ? d.toNumber() : null;
};

/** 第二季度（1–6月）, or 1–8月 for a month. */
export function periodLabel(period: PeriodCode | number): string {
  return typeof period === "number" ? `1–${period}月` : PERIODS[period].label;
}

/**
 * Assesses the monitoring entry of table `index`. Without `monitoring.budgetAnnual` the
 * table's own budget (当年预算 / 部门支出预算数) is used, as the web entry prefills it.
 */
export function monitorTable(t: ExchangeTable, index: number, ruleSet: RuleSet, unknownKeys: UnknownKey[] = []): MonitorTableReport {
  const m = t.monitoring;
  const issues: MonitorIssue[] = [];
  const add = (severity: Severity, code: string, message: string, indicator: number | null, field: string | null) =>
    issues.push({ severity, code, message, where: { table: index, indicator, field, line: indicator != null ? (t.indicators[indicator]?.line ?? null) : null } });

  const period = m?.period ?? null;
  if (period == null) {
    add("error", "period_missing", "未填写监控期间（monitoring.period：Q1–Q4、H1、M7 或月份 1–12）", null, "monitoring.period");
  } else if (typeof period === "string" && !ruleSet.monitoring.periods.includes(period)) {
    add(
      "warning",
      "period_not_allowed",
      `规则集「${ruleSet.name}」未设监控期间「${period}」（可选：${ruleSet.monitoring.periods.join("、")}）`,
      null,
      "monitoring.period",
    );
  }

  let annual = m?.budgetAnnual ?? null;
  if (annual == null) {
    const own = t.kind === "department" ? (t.overall?.budget ?? null) : (t.project?.budget.total ?? null);
    if (own != null) {
      annual = String(own);
      add("info", "budget_from_table", `全年预算数未填，按表中预算 ${annual} 万元计`, null, "monitoring.budgetAnnual");
    }
  }

  // A placeholder period when none is given: the indicator lights do not depend on it;
  // everything that does (序时进度, budget light, progress warnings) is dropped below.
  const a = assessMonitoringEntry(
    {
      period: period ?? 12,
      budget: { annual, executed: m?.budgetExecuted ?? null, reason: m?.reason ?? null, measures: m?.measures ?? null },
      rows: t.indicators.map((ind, i) => ({
        indicator: { position: i, name: ind.name, operator: ind.operator, target: ind.target, unit: ind.unit },
        entry: {
          cumulativeActual: ind.monitor?.actual ?? null,
          projected: ind.monitor?.projected ?? null,
          likelihood: ind.monitor?.likelihood ?? null,
          deviationReasons: ind.monitor?.reasons ?? [],
          deviationText: ind.monitor?.reasonText ?? null,
          correctiveMeasures: ind.monitor?.measures ?? null,
        },
      })),
    },
    ruleSet,
  );

  const budgetMissing = period == null ? a.budget.missing.filter((x) => x.field === "annual" || x.field === "executed") : a.budget.missing;
  for (const x of budgetMissing) add("error", "missing", `预算执行：${x.message}`, null, `monitoring.${BUDGET_FIELDS[x.field]}`);

  const indicators = a.rows.map((row, i) => {
    const label = indicatorLabel(i, t.indicators[i]);
    for (const x of row.missing) add("error", "missing", `${label}：${x.message}`, i, `indicators.${i}.monitor.${ROW_FIELDS[x.field]}`);
    if (period != null) for (const w of row.warnings) add("warning", w.code, `${label}：${w.message}`, i, `indicators.${i}.monitor.actual`);
    return {
      index: i,
      name: t.indicators[i].name,
      light: row.light,
      message: row.message,
      missing: [...new Set(row.missing.map((x) => ROW_FIELDS[x.field]))],
    };
  });
  for (const k of unknownKeys) if (k.table === index) add("warning", "unknown_key", k.message, k.indicator, k.path);

  return {
    table: index,
    project: { code: t.project?.code ?? null, name: t.project?.name ?? null },
    period,
    timeProgress: period == null ? null : a.timeProgress,
    budget: {
      annual: numberOf(annual),
      executed: numberOf(m?.budgetExecuted ?? null),
      rate: a.budget.executionRate,
      gap: period == null ? null : a.budget.gap,
      light: period == null ? null : a.budget.light,
      message: period == null ? "未填写监控期间，无法计算序时进度和预算执行灯" : a.budget.message,
      missing: [...new Set(budgetMissing.map((x) => BUDGET_FIELDS[x.field]))],
    },
    indicators,
    counts: a.counts,
    complete: !issues.some((x) => x.severity === "error"),
    issues,
  };
}

/** 绿灯 / 黄灯 / 红灯 / 无灯 */
export function lightLabel(light: Light | null): string {
  return light ? LIGHT_LABELS[light] : "无灯";
}
