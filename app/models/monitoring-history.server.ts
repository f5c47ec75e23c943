// 监控情况 on a project page (issue 10 item 5): each indicator's history across the
// monitoring rounds of the project's year — target, each round's 截至本期完成值 and
// 全年预计完成值 — in period order, plus the budget execution per round. Scoped twice:
// getProject (projectScope) decides whether the project is visible at all, and the query
// itself joins the project under projectScope, so a foreign report never comes back.
import { and, asc, eq, sql } from "drizzle-orm";
import { db } from "../../db/client.server";
import { indicators, projects, reportRows, reports, rounds } from "../../db/schema";
import type { CurrentUser } from "../auth/types";
import { PERIODS, type Light, type PeriodCode } from "../domain/monitoring";
import { REPORT_STATE_LABELS, type ReportState } from "../domain/report-workflow";
import { numericTarget } from "../domain/rules";
import { periodLabel } from "../domain/rounds";
import { getProject, type ProjectInScope } from "./projects.server";
import { preparedOnce, preparedPerShape } from "./prepared.server";
import { preparedProjectScope, scopeParams, scopeShape, type ScopeShape } from "./scope.server";

export type HistoryRound = {
  roundId: number;
  period: string;
  label: string;
  status: ReportState;
  statusLabel: string;
  /** 执行率 in percent (2 decimals), null when not computable. */
  executionRate: number | null;
  budgetLight: Light | null;
  href: string;
};

export type HistoryPoint = {
  target: string | null;
  actual: string | null;
  projected: string | null;
  light: Light | null;
  /** The same values as numbers for the chart; null when not numeric (定性, blank). */
  targetValue: number | null;
  actualValue: number | null;
  projectedValue: number | null;
};

export type HistoryIndicator = {
  key: string;
  name: string;
  unit: string | null;
  operator: string | null;
  /** The target of the newest round's table version. */
  target: string | null;
  /** One entry per round of `rounds` (same order); null when the round's report has no such indicator. */
  points: Array<HistoryPoint | null>;
};

export type MonitoringHistory = { rounds: HistoryRound[]; indicators: HistoryIndicator[] };

const num = (s: string | null): number | null => {
  const d = numericTarget(s);
  return d === null ? null : d.toNumber();
};

// Period order: by the last month a period covers (Q1 < H1 = Q2 < M7 < Q3 < Q4); equal
// cut-offs by opening date. PERIODS is the one list of periods (app/domain/monitoring.ts).
const endMonth = (p: string) => (p in PERIODS ? PERIODS[p as PeriodCode].endMonth : 13);

const monitoringReportsOf = preparedPerShape((shape: ScopeShape) =>
  db
    .select({
      roundId: rounds.id,
      period: rounds.period,
      opensAt: rounds.opensAt,
      reportId: reports.id,
      status: reports.status,
      executionRate: reports.executionRate,
      budgetLight: reports.budgetLight,
    })
    .from(reports)
    .innerJoin(rounds, eq(rounds.id, reports.roundId))
    .innerJoin(projects, eq(projects.id, reports.projectId))
    .where(
      and(
        eq(reports.projectId, sql.placeholder("projectId")),
        preparedProjectScope(shape),
        eq(rounds.regionId, sql.placeholder("scopeRegion")),
        eq(rounds.kind, "monitoring"),
        eq(rounds.year, sql.placeholder("year")),
      ),
    )
    .prepare(),
);

const reportRowsOfProject = preparedOnce(() =>
  db
    .select({
      reportId: reportRows.reportId,
      position: reportRows.position,
      name: indicators.name,
      unit: indicators.unit,
      operator: indicators.operator,
      target: indicators.target,
      actual: reportRows.actual,
      projected: reportRows.projected,
      light: reportRows.light,
    })
    .from(reportRows)
    .innerJoin(indicators, eq(indicators.id, reportRows.indicatorId))
    .innerJoin(reports, eq(reports.id, reportRows.reportId))
    .where(eq(reports.projectId, sql.placeholder("projectId")))
    .orderBy(asc(reportRows.reportId), asc(reportRows.position))
    .prepare(),
);

/**
 * The project's monitoring reports of its year, one per round in period order, with each
 * indicator's values; null when the project is outside the user's scope (→ 404).
 */
export function projectMonitoringHistory(user: CurrentUser, project: number | ProjectInScope): MonitoringHistory | null {
  // A page that has read the project in the user's scope already passes what getProject gave it.
  const found = typeof project === "number" ? getProject(user, project) : project;
  if (!found) return null;
  const projectId = found.project.id;
  const list = monitoringReportsOf(scopeShape(user))
    .all({ projectId, year: found.project.year, ...scopeParams(user) })
    .sort((a, b) => endMonth(a.period) - endMonth(b.period) || a.opensAt.getTime() - b.opensAt.getTime() || a.roundId - b.roundId);
  if (list.length === 0) return { rounds: [], indicators: [] };

  const roundList: HistoryRound[] = list.map((r) => ({
    roundId: r.roundId,
    period: r.period,
    label: periodLabel("monitoring", r.period),
    status: r.status as ReportState,
    statusLabel: REPORT_STATE_LABELS[r.status as ReportState] ?? r.status,
    executionRate: r.executionRate === null ? null : r.executionRate / 100,
    budgetLight: (r.budgetLight as Light | null) ?? null,
    href: `/monitoring/${r.roundId}/p/${projectId}`,
  }));

  // Rows of every report, with the indicator of the table version each report is pinned to.
  const rowsByReport = new Map<number, Array<{ position: number; name: string | null; unit: string | null; operator: string | null; target: string | null; actual: string | null; projected: string | null; light: string | null }>>();
  for (const r of list) rowsByReport.set(r.reportId, []);
  const rows = reportRowsOfProject().all({ projectId });
  for (const r of rows) rowsByReport.get(r.reportId)?.push(r);

  // An indicator is followed across table versions (an adjustment makes new indicator rows)
  // by its name and unit; a repeated name inside one table by its occurrence. The order is
  // the newest round's table, then indicators that only earlier versions had.
  const byKey = new Map<string, HistoryIndicator>();
  const keysOf = (reportId: number) => {
    const seen = new Map<string, number>();
    return (rowsByReport.get(reportId) ?? []).map((r) => {
      const base = `${(r.name ?? "").trim()}\u0000${(r.unit ?? "").trim()}`;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      return { key: `${base}\u0000${n}`, row: r };
    });
  };
  for (let i = list.length - 1; i >= 0; i--) {
    for (const { key, row } of keysOf(list[i].reportId)) {
      let ind = byKey.get(key);
      if (!ind) {
        ind = { key, name: row.name ?? "（未命名）", unit: row.unit, operator: row.operator, target: row.target, points: list.map(() => null) };
        byKey.set(key, ind);
      }
      ind.points[i] = {
        target: row.target,
        actual: row.actual,
        projected: row.projected,
        light: (row.light as Light | null) ?? null,
        targetValue: num(row.target),
        actualValue: num(row.actual),
        projectedValue: num(row.projected),
      };
    }
  }
  return { rounds: roundList, indicators: [...byKey.values()] };
}
