// Export of 监控填报 to .xlsx as the 项目支出绩效运行监控表 (layout: monitoring-layout.ts):
//
//   2026年项目支出绩效运行监控表                                     (title)
//   监控期间：2026年第二季度（1–6月） · 状态：草稿                  单位：万元
//   项目名称 | …                    | 主管部门 | …
//   实施单位 | …                    | 监控期间 | …
//   预算执行情况 | 年初预算数 | 全年预算数 | 截至本期执行数 | 执行率 | 序时进度 | 预警
//   (万元)       | 25.65      | 25.65      | 12.9           | 50.29% | 50.00%   | 绿灯
//   预算执行偏差原因 | …
//   预算执行纠偏措施 | …
//   一级指标 | 二级指标 | 三级指标 | 指标性质 | 年度指标值 | 计量单位 | 截至本期完成值 |
//     全年预计完成值 | 完成目标可能性 | 偏差原因（经费保障 制度保障 人员保障 硬件条件保障 其他 原因说明）|
//     纠偏措施 | 预警
//   … one row per indicator …
//   填表说明：…
//
// A hidden column R carries the identifiers (round, owner, table version, each row's
// indicator) that monitoring-import.ts matches the filled-in workbook back by. Input cells
// are shaded and have drop-down lists. A round is one workbook: an index sheet (目录), then a
// sheet per entry. Reuses the cell writer of the target-table export (export.ts).
import type ExcelJS from "exceljs";
import { LIGHT_LABELS, type Light } from "../../domain/monitoring";
import { Dec } from "../../domain/decimal";
import { REPORT_STATE_LABELS } from "../../domain/report-workflow";
import { BUDGET_FORMAT, FONT, SheetWriter, decimalCellValue, heightFor, sheetLink, sheetsToWorkbook, text, writeTitle } from "./export";
import {
  BUDGET_BLOCK_LABEL,
  BUDGET_CELLS,
  BUDGET_MEASURES_LABEL,
  BUDGET_REASON_LABEL,
  FILL_NOTE,
  ID_COLUMN,
  LAST_COLUMN,
  MAX_MONITORING_SHEETS,
  MONITORING_COLUMNS,
  MONITORING_INDEX_MARKER,
  MONITORING_MARKER,
  REASON_GROUP_HEADER,
  ROW_TAGS,
  TICK,
  idTags,
  monitoringPeriodText,
  monitoringTitle,
  type MonitoringSheetData,
} from "./monitoring-layout";
import { MAX_CELLS } from "./precheck";


export { MAX_MONITORING_SHEETS };

/** Cells a sheet is written with (A…S, title to note) at most, as the import's pre-check counts them. */
export const cellsOf = (d: MonitoringSheetData) => (d.indicators.length + 14) * (ID_COLUMN + 1);

const INPUT_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFF2CC" } };
const LIGHT_FILLS: Record<Light, string> = { green: "FFC6EFCE", yellow: "FFFFEB9C", red: "FFFFC7CE" };
const PERCENT_FORMAT = "0.00%";

const widthOf = (c1: number, c2: number) => MONITORING_COLUMNS.slice(c1 - 1, c2).reduce((w, c) => w + c.width, 0);

function wan(yuan: number | null): number | null {
  return yuan === null ? null : Number(Dec.of(yuan).div(Dec.of(10000)).toString());
}

/** A form value: a number when it is exact decimal text, else the text; empty → null. */
function formValue(s: string): string | number | null {
  return s.trim() === "" ? null : decimalCellValue(text(s));
}

function lightCell(cell: ExcelJS.Cell, light: Light | null) {
  cell.value = light ? LIGHT_LABELS[light] : null;
  if (light) cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: LIGHT_FILLS[light] } };
}

function tag(ws: ExcelJS.Worksheet, row: number, value: string) {
  ws.getCell(row, ID_COLUMN).value = value;
}

function shade(ws: ExcelJS.Worksheet, r: number, c1: number, c2: number) {
  for (let c = c1; c <= c2; c++) ws.getCell(r, c).fill = INPUT_FILL;
}

/** Writes one entry into `ws`. */
function writeEntrySheet(ws: ExcelJS.Worksheet, d: MonitoringSheetData, backLink: string | null) {
  MONITORING_COLUMNS.forEach((c, i) => (ws.getColumn(i + 1).width = c.width));
  ws.getColumn(ID_COLUMN).hidden = true;
  ws.properties.defaultRowHeight = 20;
  const w = new SheetWriter(ws);
  const a = d.assessment;

  // Title (the 返回目录 link right of the hidden column) and the line under it.
  writeTitle(ws, monitoringTitle(d), LAST_COLUMN, backLink);
  ws.mergeCells(2, 1, 2, 12);
  const sub = ws.getCell(2, 1);
  sub.value = `监控期间：${monitoringPeriodText(d)} · 状态：${d.status ? REPORT_STATE_LABELS[d.status] : "未填报"}`;
  sub.font = FONT;
  ws.mergeCells(2, 13, 2, LAST_COLUMN);
  const money = ws.getCell(2, 13);
  money.value = "单位：万元";
  money.font = FONT;
  money.alignment = { horizontal: "right", vertical: "middle" };
  tag(ws, 1, MONITORING_MARKER);
  tag(ws, 2, idTags.round(d.roundId));
  tag(ws, 3, idTags.owner(d.ownerKind, d.ownerId));
  tag(ws, 4, idTags.table(d.tableId));

  // 项目名称 | 主管部门 / 实施单位 | 监控期间
  const pair = (r: number, l1: string, v1: string | null, l2: string, v2: string | null) => {
    w.put(r, 1, r, 1, l1, { label: true });
    w.put(r, 2, r, 8, text(v1));
    w.put(r, 9, r, 9, l2, { label: true });
    w.put(r, 10, r, LAST_COLUMN, text(v2));
    ws.getRow(r).height = Math.max(heightFor(v1, widthOf(2, 8)), heightFor(v2, widthOf(10, LAST_COLUMN)));
  };
  const name = d.code ? `${d.code}-${d.name}` : d.name;
  pair(3, "项目名称", name, "主管部门", d.departmentName);
  pair(4, "实施单位", d.unitName ?? d.departmentName, "监控期间", monitoringPeriodText(d));

  // The budget block.
  const br = 6;
  w.put(5, 1, br, 1, BUDGET_BLOCK_LABEL, { label: true });
  const budgetValues: Record<(typeof BUDGET_CELLS)[number]["key"], string | number | null> = {
    initial: wan(d.budgetInitial),
    annual: formValue(d.form.budgetAnnual),
    executed: formValue(d.form.budgetExecuted),
    rate: a.budget.executionRate === null ? null : a.budget.executionRate / 100,
    timeProgress: a.timeProgress / 100,
    light: null,
  };
  for (const b of BUDGET_CELLS) {
    w.put(5, b.from, 5, b.to, b.header, { label: true });
    const v = budgetValues[b.key];
    const pct = b.key === "rate" || b.key === "timeProgress";
    w.put(br, b.from, br, b.to, v, { numFmt: pct ? PERCENT_FORMAT : BUDGET_FORMAT, align: b.key === "light" ? "center" : undefined });
    if (b.key === "light") lightCell(ws.getCell(br, b.from), a.budget.light);
    if ("input" in b && d.editable) shade(ws, br, b.from, b.to);
  }
  ws.getRow(5).height = 28;
  tag(ws, br, ROW_TAGS.budget);
  const long = (r: number, label: string, value: string, rowTag: string) => {
    w.put(r, 1, r, 1, label, { label: true });
    w.put(r, 2, r, LAST_COLUMN, text(value) || null);
    if (d.editable) shade(ws, r, 2, LAST_COLUMN);
    ws.getRow(r).height = Math.max(heightFor(value, widthOf(2, LAST_COLUMN), 30), heightFor(label, widthOf(1, 1)));
    tag(ws, r, rowTag);
  };
  long(7, BUDGET_REASON_LABEL, d.form.budgetReason, ROW_TAGS.budgetReason);
  long(8, BUDGET_MEASURES_LABEL, d.form.budgetMeasures, ROW_TAGS.budgetMeasures);

  // The indicator grid: two header rows (偏差原因 spans its six columns).
  const h1 = 9;
  const h2 = 10;
  const firstReason = MONITORING_COLUMNS.findIndex((c) => c.reason) + 1;
  const lastReason = MONITORING_COLUMNS.length - [...MONITORING_COLUMNS].reverse().findIndex((c) => c.reason);
  w.put(h1, firstReason, h1, lastReason, REASON_GROUP_HEADER, { label: true });
  MONITORING_COLUMNS.forEach((c, i) => {
    if (c.reason) w.put(h2, i + 1, h2, i + 1, c.header, { label: true });
    else w.put(h1, i + 1, h2, i + 1, c.header, { label: true });
  });
  ws.getRow(h1).height = 20;
  ws.getRow(h2).height = 30;
  tag(ws, h1, ROW_TAGS.grid);

  let r = h2 + 1;
  d.indicators.forEach((ind, i) => {
    const f = d.form.rows[i];
    const row = a.rows[i];
    const values: Record<string, string | number | null> = {
      level1: text(ind.level1),
      level2: text(ind.level2),
      name: text(ind.name),
      operator: ind.operator,
      target: ind.operator === "定性" ? text(ind.target) : decimalCellValue(ind.target),
      unit: text(ind.unit),
      actual: formValue(f.actual),
      projected: formValue(f.projected),
      likelihood: f.likelihood || null,
      reasonText: text(f.reasonText) || null,
      measures: text(f.measures) || null,
      light: null,
    };
    MONITORING_COLUMNS.forEach((c, k) => {
      const v = c.reason && c.key !== "reasonText" ? (f.reasons.includes(c.key as never) ? TICK : null) : values[c.key];
      const left = c.key === "name" || c.key === "reasonText" || c.key === "measures";
      w.put(r, k + 1, r, k + 1, v, { align: left ? "left" : "center" });
      if (c.input && d.editable) ws.getCell(r, k + 1).fill = INPUT_FILL;
    });
    lightCell(ws.getCell(r, LAST_COLUMN), row?.light ?? null);
    const col = (key: string) => MONITORING_COLUMNS.findIndex((c) => c.key === key) + 1;
    if (d.editable) {
      ws.getCell(r, col("likelihood")).dataValidation = {
        type: "list",
        allowBlank: true,
        formulae: ['"确定能,有可能,完全不可能"'],
        showErrorMessage: true,
        errorTitle: "完成目标可能性",
        error: "请选择：确定能、有可能、完全不可能",
      };
      for (let c = firstReason; c < lastReason; c++) {
        ws.getCell(r, c).dataValidation = { type: "list", allowBlank: true, formulae: [`"${TICK}"`] };
      }
    }
    ws.getRow(r).height = Math.max(
      heightFor(ind.name, widthOf(3, 3)),
      heightFor(ind.level2, widthOf(2, 2)),
      heightFor(f.reasonText, widthOf(col("reasonText"), col("reasonText"))),
      heightFor(f.measures, widthOf(col("measures"), col("measures"))),
    );
    tag(ws, r, idTags.indicator(ind.id));
    r++;
  });
  if (d.indicators.length === 0) {
    w.put(r, 1, r, LAST_COLUMN, "（无绩效指标）", { align: "center" });
    r++;
  }
  ws.mergeCells(r + 1, 1, r + 1, LAST_COLUMN);
  const note = ws.getCell(r + 1, 1);
  note.value = FILL_NOTE;
  note.font = { ...FONT, size: 9 };
  note.alignment = { wrapText: true, vertical: "top" };
  ws.getRow(r + 1).height = heightFor(FILL_NOTE, widthOf(1, LAST_COLUMN));

  ws.views = [{ state: "frozen", ySplit: h2, xSplit: 3 }];
  ws.pageSetup = {
    paperSize: 9, // A4
    orientation: "landscape",
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
    printArea: `A1:Q${r + 1}`,
    printTitlesRow: `${h1}:${h2}`,
  };
  ws.headerFooter = { oddFooter: "第 &P 页，共 &N 页" };
}

const INDEX_COLUMNS = [
  { header: "序号", width: 6 },
  { header: "工作表", width: 26 },
  { header: "类型", width: 9 },
  { header: "项目名称", width: 32 },
  { header: "主管部门", width: 26 },
  { header: "实施单位", width: 26 },
  { header: "状态", width: 14 },
  { header: "预算执行预警", width: 12 },
  { header: "红灯指标", width: 9 },
  { header: "黄灯指标", width: 9 },
];

function writeIndexSheet(ws: ExcelJS.Worksheet, title: string, entries: Array<{ sheet: string; item: MonitoringSheetData }>) {
  INDEX_COLUMNS.forEach((c, i) => (ws.getColumn(i + 1).width = c.width));
  const w = new SheetWriter(ws);
  writeTitle(ws, title, INDEX_COLUMNS.length, null);
  ws.getCell(2, 1).value = `共 ${entries.length} 张监控表。点击工作表名称可跳转；填写后可在“监控 → 导入 Excel”导入。`;
  ws.getCell(2, 1).font = FONT;
  ws.getCell(1, INDEX_COLUMNS.length + 2).value = MONITORING_INDEX_MARKER;
  ws.getColumn(INDEX_COLUMNS.length + 2).hidden = true;
  INDEX_COLUMNS.forEach((c, i) => w.put(3, i + 1, 3, i + 1, c.header, { label: true }));
  entries.forEach(({ sheet, item: d }, i) => {
    const r = 4 + i;
    const values = [
      i + 1,
      sheet,
      d.ownerKind === "department" ? "部门整体" : "项目",
      d.name,
      d.departmentName,
      d.unitName,
      d.status ? REPORT_STATE_LABELS[d.status] : "未填报",
      d.assessment.budget.light ? LIGHT_LABELS[d.assessment.budget.light] : null,
      d.assessment.counts.red,
      d.assessment.counts.yellow,
    ];
    values.forEach((v, c) => w.put(r, c + 1, r, c + 1, typeof v === "string" ? text(v) : v, { align: c === 1 || c === 3 || c === 4 || c === 5 ? "left" : "center" }));
    sheetLink(ws.getCell(r, 2), sheet, sheet);
  });
  ws.views = [{ state: "frozen", ySplit: 3 }];
  ws.pageSetup = { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: "3:3" };
}

export class TooManySheetsError extends Error {
  constructor(readonly count: number, cells = false) {
    super(
      cells
        ? `共 ${count} 张监控表，指标行过多，导出后无法再导入：请按主管部门分别导出`
        : `共 ${count} 张监控表，超过一次导出的上限 ${MAX_MONITORING_SHEETS} 张：请按主管部门分别导出`,
    );
    this.name = "TooManySheetsError";
  }
}

/**
 * Writes entries as one workbook: a single entry as one sheet; several (a department's or
 * the region's round) as an index sheet (目录) and one sheet per entry, with valid, unique
 * names (≤ 31 characters). More than MAX_MONITORING_SHEETS, or more cells than the import's
 * pre-check reads, throws TooManySheetsError.
 */
export async function monitoringToWorkbook(entries: MonitoringSheetData[], opts: { title?: string; index?: boolean } = {}): Promise<Buffer> {
  if (entries.length > MAX_MONITORING_SHEETS) throw new TooManySheetsError(entries.length);
  if (entries.reduce((n, d) => n + cellsOf(d), 0) > MAX_CELLS) throw new TooManySheetsError(entries.length, true);
  return sheetsToWorkbook(entries, {
    index: opts.index ?? entries.length > 1,
    name: (d, seq, numbered) => (numbered ? `${seq} ${d.name}` : d.name),
    write: writeEntrySheet,
    writeIndex: (ws, written) => writeIndexSheet(ws, opts.title ?? "绩效运行监控表目录", written),
  });
}
