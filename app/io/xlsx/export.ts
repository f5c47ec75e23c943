// Export of 绩效目标表 (exchange format jixiao.table/v1) to .xlsx in the published layout:
//
//   2026年项目支出绩效目标表                        (title)
//   编制单位：206001-…                 单位：万元
//   项目名称 | …           | 项目编码 | …
//   业务主管部门 | …       | 项目分类 | …
//   财政归口科室 | …       | 预算执行率权重 | 10
//   当年预算（万元）| 25.65 | 本级安排（万元）| 25.65
//                  |       | 上级补助（万元）|
//   项目概述 | …  (立项依据, [当年实施进度计划, 管理措施, 三年中期规划绩效目标], 当年绩效目标)
//   绩效指标 | 一级指标 | 二级指标 | 三级指标 | 指标权重 | 计量单位 | 指标性质 | 指标值 | 是否核心指标
//            | 产出指标 | 数量指标 | 补助人数 | 20       | 人       | ≥        | 39     | 是
//
// A department-overall table (kind "department") has 部门（单位）名称 / 部门支出预算数 /
// [预算执行率权重] / [中期绩效目标] / 当年整体绩效目标 instead. The labels and column headers
// are the shared vocabulary's (app/domain/vocabulary.ts); import.ts reads this layout back
// (export → import gives the same exchange JSON), and hand-made variants of it.
import ExcelJS from "exceljs";
import type { ExchangeTable, Indicator } from "../../domain/schemas";
import { decimalFromNumber, parseDecimal, sum } from "../../domain/decimal";
import { EXPORT_GRID_COLUMNS as GRID_COLUMNS, EXPORT_LABELS as L, formatCodeName } from "../../domain/vocabulary";
import { FONT_NAME, INDEX_SHEET_NAME, sheetRef, uniqueSheetName } from "./layout";

export interface ExportOptions {
  /** Title of the index sheet (目录), e.g. "重庆市綦江区2026年项目支出绩效目标表". */
  title?: string;
  /** Add the index sheet (default: true when there is more than one table or a title is given). */
  index?: boolean;
}

const NCOLS = 9;
/** Column widths (in Excel character units) of A…I. */
const WIDTHS = [13, 12, 15, 24, 9.5, 14, 9.5, 12, 9.5];
export const BUDGET_FORMAT = "#,##0.00##";

const thin: Partial<ExcelJS.Border> = { style: "thin", color: { argb: "FF000000" } };
const BORDER: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };
export const FONT: Partial<ExcelJS.Font> = { name: FONT_NAME, size: 10 };

/** Characters that are not allowed in XML 1.0 text (they corrupt the file). */
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
/** Excel's limit for the text of one cell. */
const CELL_MAX = 32767;

export function text(v: string | null | undefined): string | null {
  if (v == null) return null;
  const s = String(v).replace(XML_INVALID, "");
  return s.length > CELL_MAX ? s.slice(0, CELL_MAX) : s;
}

/** Display width of a string in Excel character units (CJK ≈ 2). */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\uffff]/.test(ch) && !/[\uff61-\uff9f]/.test(ch) ? 2 : 1;
  return w;
}

/** Row height (points) so that `s` fits, wrapped, into a cell `width` characters wide. */
export function heightFor(s: string | null, width: number, min = 20): number {
  if (!s) return min;
  const usable = Math.max(4, width - 1);
  let lines = 0;
  for (const para of s.split(/\r?\n/)) lines += Math.max(1, Math.ceil(displayWidth(para) / usable));
  return Math.min(409, Math.max(min, lines * 13.5 + 6));
}

function widthOf(c1: number, c2: number): number {
  let w = 0;
  for (let c = c1; c <= c2; c++) w += WIDTHS[c - 1];
  return w;
}

/**
 * A target as a number when it is an exact decimal that survives the trip through a
 * double (so Excel shows a number and import gives back the same text), else text.
 */
function targetCellValue(ind: Indicator): string | number | null {
  if (ind.operator === "定性") return text(ind.target);
  return decimalCellValue(ind.target);
}

/** Decimal text as a number when that is exact (see targetCellValue), else the text. */
export function decimalCellValue(t: string | null): string | number | null {
  if (t == null || t === "") return null;
  const canonical = parseDecimal(t);
  if (canonical !== null && canonical === t.trim()) {
    const n = Number(canonical);
    if (Number.isFinite(n) && decimalFromNumber(n) === canonical) return n;
  }
  return text(t);
}

function coreText(core: boolean | null): string | null {
  return core === true ? "是" : core === false ? "否" : null;
}

function styleRange(ws: ExcelJS.Worksheet, r1: number, c1: number, r2: number, c2: number, style: Partial<ExcelJS.Style>) {
  for (let r = r1; r <= r2; r++) {
    for (let c = c1; c <= c2; c++) {
      const cell = ws.getCell(r, c);
      if (style.border) cell.border = style.border;
      if (style.font) cell.font = style.font;
      if (style.alignment) cell.alignment = style.alignment;
      if (style.fill) cell.fill = style.fill;
      if (style.numFmt) cell.numFmt = style.numFmt;
    }
  }
}

type Value = string | number | null;

/** A link to another sheet of the workbook (Excel's HYPERLINK to `#'sheet'!A1`). */
export function sheetLink(cell: ExcelJS.Cell, sheet: string, label: string) {
  cell.value = { formula: `HYPERLINK("#${sheetRef(sheet).replace(/"/g, '""')}","${label.replace(/"/g, '""')}")`, result: label };
  cell.font = { ...FONT, color: { argb: "FF0563C1" }, underline: true };
}

/** The title row merged over A…lastCol and, right of it, a 返回目录 link to the index sheet. */
export function writeTitle(ws: ExcelJS.Worksheet, title: string, lastCol: number, backLink: string | null) {
  ws.mergeCells(1, 1, 1, lastCol);
  const cell = ws.getCell(1, 1);
  cell.value = title;
  cell.font = { name: FONT_NAME, size: 16, bold: true };
  cell.alignment = { horizontal: "center", vertical: "middle" };
  ws.getRow(1).height = 32;
  if (backLink) sheetLink(ws.getCell(1, lastCol + 2), backLink, "返回目录");
}

export class SheetWriter {
  row = 1;
  constructor(readonly ws: ExcelJS.Worksheet) {}

  /** Writes `value` into the merged range r1:c1–r2:c2 with a border around each cell. */
  put(r1: number, c1: number, r2: number, c2: number, value: Value, opts: { label?: boolean; numFmt?: string; align?: "left" | "center" | "right" } = {}) {
    if (r2 > r1 || c2 > c1) this.ws.mergeCells(r1, c1, r2, c2);
    const cell = this.ws.getCell(r1, c1);
    cell.value = value;
    const horizontal = opts.align ?? (opts.label ? "center" : typeof value === "number" ? "right" : "left");
    styleRange(this.ws, r1, c1, r2, c2, {
      border: BORDER,
      font: opts.label ? { ...FONT, bold: true } : FONT,
      alignment: { vertical: "middle", horizontal, wrapText: true },
    });
    if (opts.numFmt && typeof value === "number") cell.numFmt = opts.numFmt;
  }

  /** A label | value | label | value row (value ranges B:E and G:I). */
  pair(l1: string | null, v1: Value, l2: string | null, v2: Value, fmt1?: string, fmt2?: string) {
    const r = this.row++;
    this.put(r, 1, r, 1, l1, { label: true });
    this.put(r, 2, r, 5, v1, { numFmt: fmt1 });
    this.put(r, 6, r, 6, l2, { label: true });
    this.put(r, 7, r, 9, v2, { numFmt: fmt2 });
    const h = Math.max(
      heightFor(typeof v1 === "string" ? v1 : null, widthOf(2, 5)),
      heightFor(typeof v2 === "string" ? v2 : null, widthOf(7, 9)),
      heightFor(l1, widthOf(1, 1)),
      heightFor(l2, widthOf(6, 6)),
    );
    this.ws.getRow(r).height = h;
  }

  /** A label | long text row (value range B:I). */
  long(label: string, value: Value, fmt?: string) {
    const r = this.row++;
    this.put(r, 1, r, 1, label, { label: true });
    this.put(r, 2, r, NCOLS, value, { numFmt: fmt, align: typeof value === "number" ? "left" : undefined });
    this.ws.getRow(r).height = Math.max(heightFor(typeof value === "string" ? value : null, widthOf(2, NCOLS)), heightFor(label, widthOf(1, 1)));
  }
}

function titleOf(table: ExchangeTable): string {
  const year = table.year != null ? `${table.year}年` : "";
  return table.kind === "department" ? `${year}部门（单位）整体绩效目标表` : `${year}项目支出绩效目标表`;
}

/** Writes one table into `ws` in the published layout. */
function writeTableSheet(ws: ExcelJS.Worksheet, table: ExchangeTable, backLink: string | null) {
  WIDTHS.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  ws.properties.defaultRowHeight = 20;
  const w = new SheetWriter(ws);

  // Title, 编制单位, 单位：万元
  writeTitle(ws, titleOf(table), NCOLS, backLink);
  ws.mergeCells(2, 1, 2, 6);
  const unitCell = ws.getCell(2, 1);
  unitCell.value = `编制单位：${text(formatCodeName(table.unit ?? null)) ?? ""}`;
  unitCell.font = FONT;
  unitCell.alignment = { vertical: "middle", horizontal: "left", wrapText: true };
  ws.mergeCells(2, 7, 2, NCOLS);
  const money = ws.getCell(2, 7);
  money.value = "单位：万元";
  money.font = FONT;
  money.alignment = { vertical: "middle", horizontal: "right" };
  ws.getRow(2).height = heightFor(String(unitCell.value), widthOf(1, 6));
  w.row = 3;

  const dept = text(formatCodeName(table.department)) || null;
  if (table.kind === "department") {
    const o = table.overall ?? null;
    w.pair(L.departmentName, dept, L.departmentBudget, o?.budget ?? null, undefined, BUDGET_FORMAT);
    if (table.budgetExecutionWeight != null) w.long(L.budgetExecutionWeight, table.budgetExecutionWeight);
    if (o?.midTermGoal != null) w.long(L.departmentMidTermGoal, text(o.midTermGoal));
    w.long(L.overallGoal, text(o?.annualGoal ?? null));
  } else {
    const p = table.project;
    w.pair(L.projectName, text(p?.name ?? null), L.projectCode, text(p?.code ?? null));
    w.pair(L.department, dept, L.category, text(p?.category ?? null));
    w.pair(L.financeOffice, text(formatCodeName(p?.financeOffice ?? null)) || null, L.budgetExecutionWeight, table.budgetExecutionWeight);
    // 当年预算 spans two rows, like the published form.
    const r = w.row;
    w.put(r, 1, r + 1, 1, L.budgetTotal, { label: true });
    w.put(r, 2, r + 1, 5, p?.budget.total ?? null, { numFmt: BUDGET_FORMAT });
    w.put(r, 6, r, 6, L.budgetLocal, { label: true });
    w.put(r, 7, r, 9, p?.budget.local ?? null, { numFmt: BUDGET_FORMAT });
    w.put(r + 1, 6, r + 1, 6, L.budgetSuperior, { label: true });
    w.put(r + 1, 7, r + 1, 9, p?.budget.superior ?? null, { numFmt: BUDGET_FORMAT });
    ws.getRow(r).height = heightFor(L.budgetLocal, widthOf(6, 6));
    ws.getRow(r + 1).height = heightFor(L.budgetSuperior, widthOf(6, 6));
    w.row += 2;
    w.long(L.overview, text(p?.overview ?? null));
    w.long(L.basis, text(p?.basis ?? null));
    if (p?.schedule != null) w.long(L.schedule, text(p.schedule));
    if (p?.measures != null) w.long(L.measures, text(p.measures));
    if (p?.midTermGoal != null) w.long(L.midTermGoal, text(p.midTermGoal));
    w.long(L.annualGoal, text(p?.annualGoal ?? null));
  }

  // The indicator grid.
  const gridHeader = w.row++;
  GRID_COLUMNS.forEach((col, i) => w.put(gridHeader, i + 1, gridHeader, i + 1, col.header, { label: true }));
  ws.getRow(gridHeader).height = 30;
  for (const ind of table.indicators) {
    const r = w.row++;
    const values: Value[] = [
      null,
      text(ind.level1),
      text(ind.level2),
      text(ind.name),
      ind.weight,
      text(ind.unit),
      ind.operator,
      targetCellValue(ind),
      coreText(ind.core),
    ];
    values.forEach((v, i) => {
      if (i === 0) return;
      const key = GRID_COLUMNS[i].key;
      const align = key === "name" || (key === "target" && ind.operator === "定性" && typeof v === "string" && v.length > 6) ? "left" : "center";
      w.put(r, i + 1, r, i + 1, v, { align });
    });
    ws.getRow(r).height = Math.max(
      heightFor(ind.name, WIDTHS[3]),
      heightFor(ind.level2, WIDTHS[2]),
      heightFor(ind.level1, WIDTHS[1]),
      heightFor(typeof values[7] === "string" ? values[7] : null, WIDTHS[7]),
    );
  }
  // Column A carries the 绩效指标 label for the whole grid, as in the published form.
  if (w.row - 1 > gridHeader) {
    w.put(gridHeader, 1, w.row - 1, 1, "绩效指标", { label: true });
  }

  const last = w.row - 1;
  ws.pageSetup = {
    paperSize: 9, // A4
    orientation: "portrait",
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    printArea: `A1:I${last}`,
    printTitlesRow: `${gridHeader}:${gridHeader}`,
  };
  ws.headerFooter = { oddFooter: "第 &P 页，共 &N 页" };
}

/** Name wanted for a table's sheet (before uniqueness and length rules). */
function wantedSheetName(table: ExchangeTable, seq: number, numbered: boolean): string {
  let base: string;
  if (table.kind === "department") {
    base = `整体-${table.department?.name ?? table.department?.code ?? "部门"}`;
  } else {
    base = table.project?.name ?? table.project?.code ?? "项目";
  }
  return numbered ? `${seq} ${base}` : base;
}

function newWorkbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = "jixiao";
  wb.lastModifiedBy = "jixiao";
  wb.created = new Date();
  wb.modified = wb.created;
  return wb;
}

async function toBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  const out = (await wb.xlsx.writeBuffer()) as unknown as Buffer | ArrayBuffer;
  return Buffer.isBuffer(out) ? out : Buffer.from(out as ArrayBuffer);
}

function writeIndexSheet(ws: ExcelJS.Worksheet, title: string, entries: Array<{ sheet: string; table: ExchangeTable }>) {
  const cols = [
    { header: "序号", width: 6 },
    { header: "工作表", width: 24 },
    { header: "类型", width: 10 },
    { header: "年度", width: 7 },
    { header: "项目编码", width: 24 },
    { header: "项目/部门名称", width: 30 },
    { header: "主管部门", width: 30 },
    { header: "预算（万元）", width: 14 },
    { header: "指标数", width: 8 },
    { header: "指标权重合计", width: 12 },
  ];
  cols.forEach((c, i) => (ws.getColumn(i + 1).width = c.width));
  writeTitle(ws, title, cols.length, null);
  ws.mergeCells(2, 1, 2, cols.length);
  const sub = ws.getCell(2, 1);
  sub.value = `共 ${entries.length} 张表。点击工作表名称可跳转。`;
  sub.font = FONT;
  const w = new SheetWriter(ws);
  cols.forEach((c, i) => w.put(3, i + 1, 3, i + 1, c.header, { label: true }));
  ws.getRow(3).height = 24;
  entries.forEach(({ sheet, table }, i) => {
    const r = 4 + i;
    const isDept = table.kind === "department";
    const weights = table.indicators.map((x) => x.weight).filter((x): x is number => x != null);
    const values: Value[] = [
      i + 1,
      null,
      isDept ? "部门整体" : "项目",
      table.year,
      isDept ? null : table.project?.code ?? null,
      isDept ? table.department?.name ?? null : table.project?.name ?? null,
      formatCodeName(table.department) || null,
      isDept ? table.overall?.budget ?? null : table.project?.budget.total ?? null,
      table.indicators.length,
      weights.length ? Number(sum(weights).toString()) : null,
    ];
    values.forEach((v, c) => w.put(r, c + 1, r, c + 1, typeof v === "string" ? text(v) : v, { numFmt: c === 7 ? BUDGET_FORMAT : undefined, align: c === 0 || c === 2 || c === 3 || c === 8 ? "center" : undefined }));
    sheetLink(ws.getCell(r, 2), sheet, sheet);
  });
  ws.views = [{ state: "frozen", ySplit: 3 }];
  ws.pageSetup = {
    paperSize: 9,
    orientation: "landscape",
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    printTitlesRow: "3:3",
  };
}

/**
 * Exports one table as a workbook with a single sheet in the published layout.
 */
export async function tableToWorkbook(table: ExchangeTable): Promise<Buffer> {
  return tablesToWorkbook([table], { index: false });
}

/**
 * Exports several tables (a department's or a region-year's) as one workbook: one sheet per
 * table and, first, an index sheet (目录) that lists them with links. Sheet names are valid
 * (≤ 31 characters, none of []:*?/\) and unique.
 */
export async function tablesToWorkbook(tables: ExchangeTable[], opts: ExportOptions = {}): Promise<Buffer> {
  return sheetsToWorkbook(tables, {
    index: opts.index ?? (tables.length > 1 || opts.title != null),
    name: (table, seq, numbered) => wantedSheetName(table, seq, numbered),
    write: writeTableSheet,
    writeIndex: (ws, entries) => writeIndexSheet(ws, opts.title ?? "绩效目标表目录", entries.map((e) => ({ sheet: e.sheet, table: e.item }))),
  });
}

/**
 * A workbook with one sheet per item and, first when `index`, an index sheet (目录) whose
 * sheets link back to it. Sheet names are valid (≤ 31 characters, none of []:*?/\) and unique.
 */
export async function sheetsToWorkbook<T>(
  items: T[],
  o: {
    index: boolean;
    name: (item: T, seq: number, numbered: boolean) => string;
    write: (ws: ExcelJS.Worksheet, item: T, backLink: string | null) => void;
    writeIndex: (ws: ExcelJS.Worksheet, entries: Array<{ sheet: string; item: T }>) => void;
  },
): Promise<Buffer> {
  const wb = newWorkbook();
  const taken = new Set<string>();
  let index: ExcelJS.Worksheet | null = null;
  if (o.index) {
    taken.add(INDEX_SHEET_NAME.toLowerCase());
    index = wb.addWorksheet(INDEX_SHEET_NAME, { properties: { tabColor: { argb: "FF4472C4" } } });
  }
  const entries: Array<{ sheet: string; item: T }> = [];
  items.forEach((item, i) => {
    const sheet = uniqueSheetName(o.name(item, i + 1, o.index), taken);
    o.write(wb.addWorksheet(sheet), item, o.index ? INDEX_SHEET_NAME : null);
    entries.push({ sheet, item });
  });
  if (wb.worksheets.length === 0) {
    // An empty workbook is not valid xlsx for Excel: keep one (empty) sheet.
    wb.addWorksheet("Sheet1");
  }
  if (index) o.writeIndex(index, entries);
  return toBuffer(wb);
}
