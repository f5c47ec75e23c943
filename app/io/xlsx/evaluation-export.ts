// Export of 绩效自评 to .xlsx as the 项目支出绩效自评表 in the official layout
// (evaluation-layout.ts, docs/domain.md §6): header, budget block, 年度总体目标, one row per
// indicator, 总分 and 自评等级. Scores are the final ones the entry page shows (finance's
// adjustments included); an adjusted row names the change and its reason in column J and in
// a note on its 得分 cell. Several evaluations are one workbook: an index sheet (目录) that
// links to each sheet and, for finance, a summary sheet (汇总表) first. Reuses the cell writer
// and workbook helpers of the target-table export (export.ts).
import type ExcelJS from "exceljs";
import { REPORT_STATE_LABELS } from "../../domain/report-workflow";
import { BUDGET_FORMAT, FONT, SheetWriter, heightFor, sheetsToWorkbook, text, writeTitle } from "./export";
import {
  BUDGET_COLUMNS,
  EVALUATION_COLUMNS,
  EVALUATION_LABELS as L,
  LAST_COLUMN,
  adjustmentText,
  col,
  evaluationName,
  evaluationTitle,
  type EvaluationSheetData,
} from "./evaluation-layout";
import { writeListSheet, type ListColumn } from "./list-sheet";
import { printOnA4 } from "./page-setup";

/** Evaluations per workbook at most: beyond it the export is refused (the round page filters by department). */
export const MAX_EVALUATION_SHEETS = 2000;
export const SUMMARY_SHEET_NAME = "汇总表";

const PERCENT_FORMAT = "0.00%";
const SCORE_FORMAT = "0.00";
const ADJUSTED_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFF2CC" } };

const widthOf = (c1: number, c2: number) => EVALUATION_COLUMNS.slice(c1 - 1, c2).reduce((w, c) => w + c.width, 0);

function statusText(d: EvaluationSheetData): string {
  return d.status ? REPORT_STATE_LABELS[d.status] : "未填报";
}

/** Writes one evaluation into `ws`. */
function writeEvaluationSheet(ws: ExcelJS.Worksheet, d: EvaluationSheetData, backLink: string | null) {
  EVALUATION_COLUMNS.forEach((c, i) => (ws.getColumn(i + 1).width = c.width));
  ws.properties.defaultRowHeight = 20;
  const w = new SheetWriter(ws);
  const project = d.ownerKind === "project";

  writeTitle(ws, evaluationTitle(d), LAST_COLUMN, backLink);
  ws.mergeCells(2, 1, 2, 7);
  const sub = ws.getCell(2, 1);
  sub.value = `状态：${statusText(d)} · 绩效目标表第 ${d.tableVersion} 版${d.complete ? "" : " · 填报不完整，得分为暂计"}`;
  sub.font = FONT;
  ws.mergeCells(2, 8, 2, LAST_COLUMN);
  const money = ws.getCell(2, 8);
  money.value = L.moneyUnit;
  money.font = FONT;
  money.alignment = { horizontal: "right", vertical: "middle" };

  // 项目名称 / 主管部门 | 实施单位
  w.put(3, 1, 3, 1, project ? L.projectName : L.departmentName, { label: true });
  w.put(3, 2, 3, LAST_COLUMN, text(evaluationName(d)));
  ws.getRow(3).height = Math.max(heightFor(evaluationName(d), widthOf(2, LAST_COLUMN)), heightFor(L.departmentName, widthOf(1, 1)));
  w.put(4, 1, 4, 1, L.department, { label: true });
  w.put(4, 2, 4, 5, text(d.departmentName));
  w.put(4, 6, 4, 6, L.unit, { label: true });
  w.put(4, 7, 4, LAST_COLUMN, text(d.unitName ?? d.departmentName));
  ws.getRow(4).height = Math.max(heightFor(d.departmentName, widthOf(2, 5)), heightFor(d.unitName, widthOf(7, LAST_COLUMN)));

  // The budget block.
  w.put(5, 1, 6, 1, project ? L.budgetBlock : L.departmentBudgetBlock, { label: true });
  const b = d.budget;
  const values: Record<(typeof BUDGET_COLUMNS)[number]["key"], string | number | null> = {
    initial: b.initial,
    annual: b.annual,
    executed: b.executed,
    weight: b.weight,
    rate: b.rate === null ? null : b.rate / 100,
    score: b.score,
    formula: text(b.formula),
  };
  for (const c of BUDGET_COLUMNS) {
    w.put(5, c.from, 5, c.to, c.header, { label: true });
    const fmt = c.key === "rate" ? PERCENT_FORMAT : c.key === "score" ? SCORE_FORMAT : c.key === "weight" || c.key === "formula" ? undefined : BUDGET_FORMAT;
    w.put(6, c.from, 6, c.to, values[c.key], { numFmt: fmt, align: c.key === "formula" ? "left" : undefined });
  }
  ws.getRow(5).height = 24;
  ws.getRow(6).height = heightFor(b.formula, widthOf(9, 10), 24);

  // 年度总体目标: 预期目标 | 实际完成情况
  w.put(7, 1, 8, 1, L.goal, { label: true });
  w.put(7, 2, 7, 5, L.expected, { label: true });
  w.put(7, 6, 7, LAST_COLUMN, L.actual, { label: true });
  w.put(8, 2, 8, 5, text(d.goal.expected));
  w.put(8, 6, 8, LAST_COLUMN, text(d.goal.actual));
  ws.getRow(8).height = Math.max(heightFor(d.goal.expected, widthOf(2, 5), 40), heightFor(d.goal.actual, widthOf(6, LAST_COLUMN), 40));

  // The indicator grid; column A is one merged cell labelled 绩效指标, as in the form.
  const header = 9;
  EVALUATION_COLUMNS.forEach((c, i) => {
    if (i > 0) w.put(header, i + 1, header, i + 1, c.header, { label: true });
  });
  ws.getRow(header).height = 30;
  let r = header + 1;
  for (const row of d.rows) {
    const cells: Record<string, string | number | null> = {
      level1: text(row.level1),
      level2: text(row.level2),
      name: text(row.name),
      target: text(row.targetText) || null,
      actual: text(row.actualText) || null,
      weight: row.weight,
      score: row.applicable ? row.score : "不适用",
      explanation: text(row.explanation),
      adjustment: row.adjustment ? text(adjustmentText(row.adjustment)) : null,
    };
    EVALUATION_COLUMNS.forEach((c, i) => {
      if (i === 0) return;
      const left = c.key === "name" || c.key === "explanation" || c.key === "adjustment";
      w.put(r, i + 1, r, i + 1, cells[c.key], { align: left ? "left" : "center", numFmt: c.key === "score" ? SCORE_FORMAT : undefined });
    });
    if (row.adjustment) {
      const cell = ws.getCell(r, col("score"));
      cell.fill = ADJUSTED_FILL;
      cell.note = adjustmentText(row.adjustment);
      ws.getCell(r, col("adjustment")).fill = ADJUSTED_FILL;
    }
    ws.getRow(r).height = Math.max(
      heightFor(row.name, widthOf(col("name"), col("name"))),
      heightFor(row.level2, widthOf(col("level2"), col("level2"))),
      heightFor(row.actualText, widthOf(col("actual"), col("actual"))),
      heightFor(row.explanation, widthOf(col("explanation"), col("explanation"))),
      heightFor(row.adjustment ? adjustmentText(row.adjustment) : null, widthOf(col("adjustment"), col("adjustment"))),
    );
    r++;
  }
  if (d.rows.length === 0) {
    w.put(r, 2, r, LAST_COLUMN, "（无绩效指标）", { align: "center" });
    r++;
  }
  w.put(header, 1, r - 1, 1, L.grid, { label: true });

  // 总分 and 自评等级.
  const total = r;
  w.put(total, 1, total, col("actual"), L.total, { label: true });
  w.put(total, col("weight"), total, col("weight"), 100);
  w.put(total, col("score"), total, col("score"), d.total, { numFmt: SCORE_FORMAT });
  w.put(total, col("explanation"), total, LAST_COLUMN, text(d.formula));
  ws.getRow(total).height = heightFor(d.formula, widthOf(col("explanation"), LAST_COLUMN), 24);
  const grade = total + 1;
  w.put(grade, 1, grade, col("actual"), L.grade, { label: true });
  w.put(grade, col("weight"), grade, col("score"), d.grade, { label: true });
  w.put(grade, col("explanation"), grade, LAST_COLUMN, d.gradeRule);
  ws.getRow(grade).height = 24;

  ws.views = [{ state: "frozen", ySplit: header }];
  printOnA4(ws, { orientation: "landscape", printArea: `A1:J${grade}`, titleRows: `${header}:${header}` });
}

const INDEX_COLUMNS: ListColumn[] = [
  { header: "序号", width: 6, align: "center" },
  { header: "工作表", width: 26, align: "left" },
  { header: "类型", width: 9, align: "center" },
  { header: "项目名称", width: 32, align: "left" },
  { header: "主管部门", width: 26, align: "left" },
  { header: "实施单位", width: 26, align: "left" },
  { header: "状态", width: 14, align: "center" },
  { header: "总分", width: 9, numFmt: SCORE_FORMAT },
  { header: "自评等级", width: 9, align: "center" },
  { header: "财政复核调整", width: 12, align: "center" },
];

type Item = { summary: true } | { summary: false; data: EvaluationSheetData };
type Written = { sheet: string; data: EvaluationSheetData };

const ownerLabel = (d: EvaluationSheetData) => (d.ownerKind === "department" ? `${d.departmentName} 部门整体` : d.name);

function writeIndexSheet(ws: ExcelJS.Worksheet, title: string, evaluations: Written[], summarySheet: string | null) {
  writeListSheet(ws, {
    title,
    note: `共 ${evaluations.length} 份绩效自评表。点击工作表名称可跳转。`,
    noteLink: summarySheet ? { sheet: summarySheet, label: `查看${summarySheet}` } : null,
    columns: INDEX_COLUMNS,
    rows: evaluations.map(({ sheet, data: d }, i) => {
      const adjusted = d.rows.filter((x) => x.adjustment).length;
      const started = d.status !== null;
      return [
        i + 1,
        sheet,
        d.ownerKind === "department" ? "部门整体" : "项目",
        ownerLabel(d),
        d.departmentName,
        d.unitName ?? d.departmentName,
        statusText(d),
        started ? d.total : null,
        started ? d.grade : null,
        adjusted > 0 ? `${adjusted} 项` : null,
      ];
    }),
    links: (i) => [{ column: 2, sheet: evaluations[i].sheet, label: evaluations[i].sheet }],
  });
}

const SUMMARY_COLUMNS: ListColumn[] = [
  { header: "序号", width: 6, align: "center" },
  { header: "项目名称", width: 34, align: "left" },
  { header: "项目编码", width: 22, align: "center" },
  { header: "主管部门", width: 26, align: "left" },
  { header: "实施单位", width: 26, align: "left" },
  { header: "全年预算数（万元）", width: 14, numFmt: BUDGET_FORMAT },
  { header: "全年执行数（万元）", width: 14, numFmt: BUDGET_FORMAT },
  { header: "执行率", width: 10, numFmt: PERCENT_FORMAT },
  { header: "总分", width: 9, numFmt: SCORE_FORMAT },
  { header: "自评等级", width: 9, align: "center" },
  { header: "状态", width: 14, align: "center" },
];

/** The region-year (or department) summary: one line per evaluation, linked to its sheet. */
function writeSummarySheet(ws: ExcelJS.Worksheet, title: string, rows: Written[], backLink: string | null) {
  const approved = rows.filter((x) => x.data.status === "approved").length;
  writeListSheet(ws, {
    title,
    backLink,
    note: `共 ${rows.length} 份，已审核 ${approved} 份；未审核通过的自评，得分为暂计。金额单位：万元。`,
    columns: SUMMARY_COLUMNS,
    rows: rows.map(({ data: d }, i) => {
      const started = d.status !== null;
      return [
        i + 1,
        ownerLabel(d),
        d.code,
        d.departmentName,
        d.unitName ?? d.departmentName,
        started ? d.budget.annual : null,
        started ? d.budget.executed : null,
        started && d.budget.rate !== null ? d.budget.rate / 100 : null,
        started ? d.total : null,
        started ? d.grade : null,
        statusText(d),
      ];
    }),
    links: (i) => [{ column: 2, sheet: rows[i].sheet, label: ownerLabel(rows[i].data) }],
  });
  ws.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3 + rows.length, column: SUMMARY_COLUMNS.length } };
}

export class TooManyEvaluationsError extends Error {
  constructor(readonly count: number) {
    super(`共 ${count} 份绩效自评，超过一次导出的上限 ${MAX_EVALUATION_SHEETS} 份：请按主管部门分别导出`);
    this.name = "TooManyEvaluationsError";
  }
}

/**
 * Writes evaluations as one workbook: a single evaluation as one sheet; several (a
 * department's or the region's) as an index sheet (目录) and one sheet per evaluation, with
 * valid, unique names. `summary` adds the summary sheet (汇总表) after the index. More than
 * MAX_EVALUATION_SHEETS throws TooManyEvaluationsError.
 */
export async function evaluationsToWorkbook(
  list: EvaluationSheetData[],
  opts: { title?: string; summaryTitle?: string; index?: boolean; summary?: boolean } = {},
): Promise<Buffer> {
  if (list.length > MAX_EVALUATION_SHEETS) throw new TooManyEvaluationsError(list.length);
  // The summary is written with the index (once the evaluation sheets have their names).
  const index = opts.summary ? true : (opts.index ?? list.length > 1);
  const title = opts.title ?? "绩效自评表目录";
  const items: Item[] = [...(opts.summary ? [{ summary: true as const }] : []), ...list.map((data) => ({ summary: false as const, data }))];
  const offset = opts.summary ? 1 : 0;
  const written: Written[] = [];
  let summarySheet: { ws: ExcelJS.Worksheet; backLink: string | null } | null = null;
  return sheetsToWorkbook(items, {
    index,
    name: (item, seq, numbered) => {
      if (item.summary) return SUMMARY_SHEET_NAME;
      const name = item.data.ownerKind === "department" ? `整体-${item.data.departmentName}` : item.data.name;
      return numbered ? `${seq - offset} ${name}` : name;
    },
    write: (ws, item, backLink) => {
      if (item.summary) summarySheet = { ws, backLink };
      else {
        writeEvaluationSheet(ws, item.data, backLink);
        written.push({ sheet: ws.name, data: item.data });
      }
    },
    writeIndex: (ws) => {
      const s = summarySheet as { ws: ExcelJS.Worksheet; backLink: string | null } | null;
      writeIndexSheet(ws, title, written, s ? s.ws.name : null);
      if (s) writeSummarySheet(s.ws, opts.summaryTitle ?? "绩效自评结果汇总表", written, s.backLink);
    },
  });
}
