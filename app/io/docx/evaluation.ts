// The 项目支出绩效自评表 (部门整体支出绩效自评表) as published with the 部门决算公开: the
// official form of app/io/xlsx/evaluation-layout.ts without finance's review column, in
// the cells of layout.ts, so that the Word file (write.ts) and the print view
// (components/PublishedTable.tsx) show it alike. What is published is a PublicSheet: the
// sheet without ids, review state or who adjusted a score (the scores are final, finance's
// adjustments included). Pure TypeScript.
import { EVALUATION_LABELS as L, evaluationName, evaluationTitle, scoreText, type EvaluationSheetData, type EvaluationSheetRow } from "../xlsx/evaluation-layout";
import { formatWan, type LayoutCell, type LayoutRow, type TableLayout } from "./layout";

export type PublicSheetRow = Omit<EvaluationSheetRow, "adjustment" | "formula">;

export type PublicSheet = Omit<EvaluationSheetData, "roundId" | "ownerId" | "status" | "rows" | "complete"> & { rows: PublicSheetRow[] };

/** The published part of a sheet (see the top of this file). */
export function publicSheet(d: EvaluationSheetData): PublicSheet {
  const { roundId: _r, ownerId: _o, status: _s, complete: _c, rows, ...rest } = d;
  return { ...rest, rows: rows.map(({ adjustment: _a, formula: _f, ...row }) => row) };
}

/** 一级 … 偏差原因分析及改进措施: the official grid without the label column and the review column. */
export const EVALUATION_GRID = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"];
export const EVALUATION_WIDTHS = [11, 12, 20, 12, 12, 7, 8, 26] as const;

const label = (text: string, o: Partial<LayoutCell> = {}): LayoutCell => ({ text, label: true, ...o });
const value = (text: string | null | undefined, colSpan = 1, align: LayoutCell["align"] = "center"): LayoutCell => ({ text: text ?? "", colSpan, align });
const points = (n: number | null) => (n === null ? "" : String(n));

export function evaluationLayout(d: PublicSheet): TableLayout {
  const project = d.ownerKind === "project";
  const b = d.budget;
  const header: LayoutRow[] = [
    [label(project ? L.projectName : L.departmentName), value(evaluationName(d), 7, "left")],
    [label(L.department), value(d.departmentName, 3, "left"), label(L.unit), value(d.unitName, 3, "left")],
    [
      label(project ? L.budgetBlock : L.departmentBudgetBlock, { rowSpan: 2 }),
      label("年初预算数"),
      label("全年预算数"),
      label("全年执行数"),
      label("分值"),
      label("执行率"),
      label("得分"),
      label(L.formula),
    ],
    [
      value(formatWan(b.initial), 1, "right"),
      value(formatWan(b.annual), 1, "right"),
      value(formatWan(b.executed), 1, "right"),
      value(String(b.weight)),
      value(b.rate === null ? "" : `${b.rate.toFixed(2)}%`),
      value(b.score.toFixed(2)),
      value(b.formula, 1, "left"),
    ],
    [label(L.goal, { rowSpan: 2 }), label(L.expected, { colSpan: 3 }), label(L.actual, { colSpan: 4 })],
    [value(d.goal.expected, 3, "left"), value(d.goal.actual, 4, "left")],
  ];
  const grid: LayoutRow[] = d.rows.map((r) => [
    value(r.level1),
    value(r.level2),
    value(r.name, 1, "left"),
    value(r.targetText),
    value(r.actualText),
    value(points(r.weight)),
    value(scoreText(r)),
    value(r.explanation, 1, "left"),
  ]);
  const footer: LayoutRow[] = [
    [label(L.total, { colSpan: 5 }), value("100"), value(d.totalText), value(d.formula, 1, "left")],
    [label(L.grade, { colSpan: 5 }), value(d.grade, 2), value(d.gradeRule, 1, "left")],
  ];
  return {
    title: evaluationTitle(d),
    widths: EVALUATION_WIDTHS,
    unitLine: null,
    header,
    gridHeader: EVALUATION_GRID.map((h) => label(h)),
    grid,
    footer,
  };
}
