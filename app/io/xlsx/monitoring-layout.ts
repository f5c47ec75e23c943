// The layout of the 项目支出绩效运行监控表 (docs/domain.md §5), shared by the .xlsx export and
// import (monitoring-export.ts, monitoring-import.ts) and the printed form
// (components/MonitoringPrint.tsx): header 项目名称 / 主管部门 / 实施单位 / 监控期间, the budget
// block, then one row per indicator with the monitoring columns. See docs/monitoring.md.
//
// No I/O: plain TypeScript, usable in the browser.
import type { EntryAssessment } from "../../domain/monitoring";
import { DEVIATION_REASONS, type DeviationReason } from "../../domain/monitoring";
import type { MonitoringForm } from "../../domain/monitoring-form";
import type { ReportState } from "../../domain/report-workflow";
import type { Operator } from "../../domain/schemas";

/** One entry (监控填报) as the export and the print view show it. */
export interface MonitoringSheetData {
  roundId: number;
  year: number;
  /** 第二季度（1–6月） */
  periodLabel: string;
  ownerKind: "project" | "department";
  ownerId: number;
  /** The target-table version the entry is pinned to (the import checks it). */
  tableId: number;
  name: string;
  code: string | null;
  departmentName: string;
  unitName: string | null;
  /** null: not started yet (the form is the prefilled blank one). */
  status: ReportState | null;
  /** The signed-in user may fill it now: input cells are shaded. */
  editable: boolean;
  /** 年初预算数 (元): the approved table's 当年预算. */
  budgetInitial: number | null;
  form: MonitoringForm;
  indicators: Array<{
    id: number;
    position: number;
    level1: string | null;
    level2: string | null;
    name: string | null;
    operator: Operator | null;
    target: string | null;
    unit: string | null;
  }>;
  /** The lights of `form` (assessMonitoringEntry). */
  assessment: EntryAssessment;
}

/**
 * Entries per workbook at most, for the export and the import: beyond it the export is refused with a message to export per
 * department. Bounded so that the workbook can be imported back (precheck.ts allows 20,000
 * merges in all; a sheet has 35) and built in memory in bounded time and space (500 sheets of
 * 10 indicators: 9–14 s and 174 MB more peak memory on a shared 2-core machine at load 12;
 * reading them back 9 s).
 */
export const MAX_MONITORING_SHEETS = 500;

export function monitoringTitle(d: Pick<MonitoringSheetData, "year" | "ownerKind">): string {
  return `${d.year}年${d.ownerKind === "department" ? "部门整体支出" : "项目支出"}绩效运行监控表`;
}

export function monitoringPeriodText(d: Pick<MonitoringSheetData, "year" | "periodLabel">): string {
  return `${d.year}年${d.periodLabel}`;
}

// ---------------------------------------------------------------------------------------
// Columns (1-based): A…Q are the form, R holds the hidden identifiers.

export type MonitoringColumnKey =
  | "level1"
  | "level2"
  | "name"
  | "operator"
  | "target"
  | "unit"
  | "actual"
  | "projected"
  | "likelihood"
  | DeviationReason
  | "reasonText"
  | "measures"
  | "light";

export interface MonitoringColumn {
  key: MonitoringColumnKey;
  header: string;
  /** Width in Excel character units. */
  width: number;
  /** Filled in by the unit. */
  input?: boolean;
  /** Under the merged 偏差原因 header. */
  reason?: boolean;
}

export const REASON_GROUP_HEADER = "偏差原因";

export const MONITORING_COLUMNS: MonitoringColumn[] = [
  { key: "level1", header: "一级指标", width: 9 },
  { key: "level2", header: "二级指标", width: 11 },
  { key: "name", header: "三级指标", width: 20 },
  { key: "operator", header: "指标性质", width: 6 },
  { key: "target", header: "年度指标值", width: 9 },
  { key: "unit", header: "计量单位", width: 7 },
  { key: "actual", header: "截至本期完成值", width: 10, input: true },
  { key: "projected", header: "全年预计完成值", width: 10, input: true },
  { key: "likelihood", header: "完成目标可能性", width: 10, input: true },
  ...DEVIATION_REASONS.map((r): MonitoringColumn => ({ key: r, header: r, width: r.length > 4 ? 7 : 5.5, input: true, reason: true })),
  { key: "reasonText", header: "原因说明", width: 18, input: true, reason: true },
  { key: "measures", header: "纠偏措施", width: 18, input: true },
  { key: "light", header: "预警", width: 6 },
];

export const LAST_COLUMN = MONITORING_COLUMNS.length; // Q
/** The hidden column with the identifiers the import matches the workbook back by. */
export const ID_COLUMN = LAST_COLUMN + 1; // R

/** The budget block: a label row, then the values row; [from, to] columns of each merged cell. */
export const BUDGET_CELLS = [
  { key: "initial", header: "年初预算数", from: 2, to: 3 },
  { key: "annual", header: "全年预算数", from: 4, to: 5, input: true },
  { key: "executed", header: "截至本期执行数", from: 6, to: 7, input: true },
  { key: "rate", header: "执行率", from: 8, to: 9 },
  { key: "timeProgress", header: "序时进度", from: 10, to: 12 },
  { key: "light", header: "预警", from: 13, to: LAST_COLUMN },
] as const;

export const BUDGET_BLOCK_LABEL = "预算执行情况（万元）";
export const BUDGET_REASON_LABEL = "预算执行偏差原因";
export const BUDGET_MEASURES_LABEL = "预算执行纠偏措施";

export const FILL_NOTE =
  "填表说明：底色为浅黄的单元格可填写。完成目标可能性填“确定能”“有可能”或“完全不可能”；偏差原因在对应栏填“√”，选“其他”或亮黄灯、红灯时须写原因说明；" +
  "执行率、序时进度和预警由系统计算，导入后更新。请勿删除行、修改隐藏列或工作表结构。";

// ---------------------------------------------------------------------------------------
// Hidden identifiers (column R). A sheet is recognised by MARKER in R1; every row the
// import reads carries its own tag, so inserted or moved rows do not confuse it.

export const MONITORING_MARKER = "jixiao.monitoring/v1";
export const MONITORING_INDEX_MARKER = "jixiao.monitoring-index/v1";

export const ROW_TAGS = {
  budget: "budget",
  budgetReason: "budgetReason",
  budgetMeasures: "budgetMeasures",
  grid: "grid",
} as const;

export const idTags = {
  round: (id: number) => `round=${id}`,
  owner: (kind: "project" | "department", id: number) => `owner=${kind}:${id}`,
  table: (id: number) => `table=${id}`,
  indicator: (id: number) => `indicator=${id}`,
};

const ID = "(\\d{1,12})";
export const ID_PATTERNS = {
  round: new RegExp(`^round=${ID}$`),
  owner: new RegExp(`^owner=(project|department):${ID}$`),
  table: new RegExp(`^table=${ID}$`),
  indicator: new RegExp(`^indicator=${ID}$`),
};

// ---------------------------------------------------------------------------------------
// Ticks in the 偏差原因 columns

/** Cell texts that tick a cause (√ and the usual stand-ins). */
export const TICKED = /^(?:√|✓|✔|☑|v|是|y|yes|true|1)$/i;
/** Cell texts that leave it unticked (besides an empty cell). */
export const UNTICKED = /^(?:否|n|no|false|0|×|✗|☐|-|—)$/i;
export const TICK = "√";
