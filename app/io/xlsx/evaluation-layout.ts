// The layout of the 项目支出绩效自评表 (docs/domain.md §6), shared by the .xlsx export
// (evaluation-export.ts) and the printed form (components/EvaluationPrint.tsx):
//
//   2026年度项目支出绩效自评表                                          (title)
//   状态：已审核 · 绩效目标表第 1 版                                    单位：万元
//   项目名称     | …
//   主管部门     | …                     | 实施单位 | …
//   项目资金     | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 | 计分说明
//   （万元）     | 25.65      | 25.65      | 23.085     | 10   | 90.00% | 9.00 | 执行率 = …
//   年度总体目标 | 预期目标                            | 实际完成情况
//                | (the table's 当年绩效目标)          | (the evaluation's 总体目标完成情况)
//   绩效指标     | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |
//                |   偏差原因分析及改进措施 | 财政复核调整
//                | … one row per indicator …
//   总分                                          | 100 | 87.50 | 总分 = …
//   自评等级                                      | 良          | 优 ≥ 90 …
//
// Columns A–I are the official form; J (财政复核调整) carries finance's deductions with
// their reasons. No I/O, no exceljs: plain TypeScript, usable in the browser.
import type { ReportState } from "../../domain/report-workflow";
import type { Grade } from "../../domain/scoring";

/** One row of the indicator grid, as shown (texts ready, scores in points). */
export interface EvaluationSheetRow {
  level1: string | null;
  level2: string | null;
  name: string | null;
  /** 年度指标值: operator, target and unit ("≥40人"), or the 定性 level. */
  targetText: string;
  /** 实际完成值: the actual and unit ("36人"), the tier (定性), or 不适用 with its reason. */
  actualText: string;
  /** 分值 (points), null when the table gives none. */
  weight: number | null;
  /** 得分 (points, 2 decimals); null when not applicable. */
  score: number | null;
  applicable: boolean;
  /** 偏差原因分析及改进措施 */
  explanation: string | null;
  /** How the score was obtained, in words (the entry page's formula). */
  formula: string;
  /** Finance's adjustment in force on this row, or null. */
  adjustment: { before: number; after: number; reason: string; actor: string | null; at: string } | null;
}

/** One evaluation (绩效自评) as the export and the print view show it. */
export interface EvaluationSheetData {
  roundId: number;
  year: number;
  ownerKind: "project" | "department";
  ownerId: number;
  name: string;
  code: string | null;
  departmentName: string;
  /** 实施单位; for 部门整体 the department itself. */
  unitName: string | null;
  /** null: not started yet. */
  status: ReportState | null;
  tableVersion: number;
  budget: {
    /** 万元 */
    initial: number | null;
    annual: number | null;
    executed: number | null;
    /** 分值: the budget-execution weight. */
    weight: number;
    /** 执行率 in percent, 2 decimals. */
    rate: number | null;
    score: number;
    formula: string;
  };
  /** 年度总体目标: 预期目标 (the table's) and 实际完成情况 (the evaluation's summary). */
  goal: { expected: string | null; actual: string | null };
  rows: EvaluationSheetRow[];
  total: number;
  totalText: string;
  grade: Grade;
  formula: string;
  /** The grade thresholds of the rule set, in words ("优 ≥ 90，良 ≥ 80，中 ≥ 60，差 < 60"). */
  gradeRule: string;
  /** False while something required is missing: the total is provisional. */
  complete: boolean;
}

export const EVALUATION_LABELS = {
  projectName: "项目名称",
  departmentName: "部门（单位）名称",
  department: "主管部门",
  unit: "实施单位",
  budgetBlock: "项目资金（万元）",
  departmentBudgetBlock: "部门资金（万元）",
  formula: "计分说明",
  goal: "年度总体目标",
  expected: "预期目标",
  actual: "实际完成情况",
  grid: "绩效指标",
  total: "总分",
  grade: "自评等级",
  moneyUnit: "单位：万元",
} as const;

/** The budget block's cells: header over value, in columns from–to (1-based). */
export const BUDGET_COLUMNS = [
  { key: "initial", header: "年初预算数", from: 2, to: 3 },
  { key: "annual", header: "全年预算数", from: 4, to: 4 },
  { key: "executed", header: "全年执行数", from: 5, to: 5 },
  { key: "weight", header: "分值", from: 6, to: 6 },
  { key: "rate", header: "执行率", from: 7, to: 7 },
  { key: "score", header: "得分", from: 8, to: 8 },
  { key: "formula", header: EVALUATION_LABELS.formula, from: 9, to: 10 },
] as const;

export type GridColumnKey = "label" | "level1" | "level2" | "name" | "target" | "actual" | "weight" | "score" | "explanation" | "adjustment";

/** The indicator grid's columns (A–J) with their widths in Excel character units. */
export const EVALUATION_COLUMNS: Array<{ key: GridColumnKey; header: string; width: number }> = [
  { key: "label", header: EVALUATION_LABELS.grid, width: 12 },
  { key: "level1", header: "一级指标", width: 10 },
  { key: "level2", header: "二级指标", width: 12 },
  { key: "name", header: "三级指标", width: 22 },
  { key: "target", header: "年度指标值", width: 13 },
  { key: "actual", header: "实际完成值", width: 13 },
  { key: "weight", header: "分值", width: 8 },
  { key: "score", header: "得分", width: 9 },
  { key: "explanation", header: "偏差原因分析及改进措施", width: 30 },
  { key: "adjustment", header: "财政复核调整", width: 26 },
];

export const LAST_COLUMN = EVALUATION_COLUMNS.length; // J
/** 1-based column of a grid key. */
export const col = (key: GridColumnKey) => EVALUATION_COLUMNS.findIndex((c) => c.key === key) + 1;

export function evaluationTitle(d: Pick<EvaluationSheetData, "year" | "ownerKind">): string {
  return d.ownerKind === "department" ? `${d.year}年度部门整体支出绩效自评表` : `${d.year}年度项目支出绩效自评表`;
}

/** "CODE-项目名称" as the monitoring export writes it; 部门整体: the department's name. */
export function evaluationName(d: Pick<EvaluationSheetData, "code" | "name" | "ownerKind" | "departmentName">): string {
  if (d.ownerKind === "department") return d.departmentName;
  return d.code ? `${d.code}-${d.name}` : d.name;
}

/** "财政复核：20.00 → 15.00 分；理由：…（张三 2026-03-01 10:00）" */
export function adjustmentText(a: NonNullable<EvaluationSheetRow["adjustment"]>): string {
  const who = [a.actor, a.at].filter(Boolean).join(" ");
  return `财政复核：${a.before.toFixed(2)} → ${a.after.toFixed(2)} 分；理由：${a.reason}${who ? `（${who}）` : ""}`;
}

/** 得分 as shown: 2 decimals, or 不适用. */
export function scoreText(r: Pick<EvaluationSheetRow, "score" | "applicable">): string {
  if (!r.applicable) return "不适用";
  return r.score === null ? "" : r.score.toFixed(2);
}
