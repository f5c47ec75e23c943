// Import of 监控填报 from the .xlsx written by monitoring-export.ts and filled in by a unit (or
// collected by a department: sheets copied from several workbooks into one are fine, each
// sheet carries its own identifiers).
//
// Two steps, both pure (no database):
// 1. readMonitoringWorkbook: every sheet → its hidden identifiers (round, owner, table
//    version, each row's indicator), the budget block and the indicator rows as text, with
//    what cannot be read reported per row (unknown 可能性, a tick that is not √, …).
// 2. sheetToForm: one sheet against the entry it names (its indicators and current form) →
//    the form saveEntry takes, with row-level errors (a number that is not one, a missing or
//    foreign indicator row, …). checkFormValues re-checks a form on confirmation.
// Scope, round, lock and idempotency are the model's job (models/monitoring-xlsx.server.ts).
// Messages are Chinese and name the sheet and the row.
import ExcelJS from "exceljs";
import { Dec, decimalFromNumber } from "../../domain/decimal";
import { DEVIATION_REASONS, LIKELIHOODS, type DeviationReason, type Likelihood } from "../../domain/monitoring";
import { emptyMonitoringRow, type MonitoringForm, type MonitoringRowForm } from "../../domain/monitoring-form";
import type { Operator } from "../../domain/schemas";
import { cleanCell, isQuantitative } from "../../domain/taxonomy";
import {
  BUDGET_CELLS,
  ID_COLUMN,
  ID_PATTERNS,
  LAST_COLUMN,
  MAX_MONITORING_SHEETS,
  MONITORING_COLUMNS,
  MONITORING_INDEX_MARKER,
  MONITORING_MARKER,
  REASON_GROUP_HEADER,
  ROW_TAGS,
  TICKED,
  UNTICKED,
  type MonitoringColumnKey,
} from "./monitoring-layout";
import { IGNORED_NODES, WorkbookLimitError, precheckWorkbook } from "./precheck";

export interface ImportIssue {
  /** Worksheet name ("" for the whole file). */
  sheet: string;
  row: number | null;
  severity: "error" | "warning";
  /** Chinese, starting with 工作表「…」第 N 行. */
  message: string;
}

export interface SheetIds {
  roundId: number;
  ownerKind: "project" | "department";
  ownerId: number;
  tableId: number;
}

export interface ParsedRow {
  row: number;
  indicatorId: number;
  /** 三级指标 as written in the sheet (compared with the system's, never imported). */
  name: string | null;
  actual: string;
  projected: string;
  likelihood: Likelihood | "";
  reasons: DeviationReason[];
  reasonText: string;
  measures: string;
}

export interface ParsedSheet {
  sheet: string;
  ids: SheetIds | null;
  budget: { row: number; annual: string; executed: string; reason: string; measures: string } | null;
  rows: ParsedRow[];
  issues: ImportIssue[];
}

export interface ParsedWorkbook {
  sheets: ParsedSheet[];
  /** Problems with the whole file (not a workbook, too many sheets). */
  issues: ImportIssue[];
}

/** Sheets per workbook (as many as an export holds, with its 目录), rows per sheet and columns read at most. */
export const IMPORT_LIMITS = { sheets: MAX_MONITORING_SHEETS + 1, rows: 2000, columns: 40 };
const MAX_TEXT = 2000;

function issue(sheet: string, row: number | null, severity: ImportIssue["severity"], message: string): ImportIssue {
  const where = sheet ? `工作表「${sheet}」${row != null ? `第 ${row} 行` : ""}：` : "";
  return { sheet, row, severity, message: where + message };
}

const quote = (s: string) => `「${s.length > 30 ? `${s.slice(0, 30)}…` : s}」`;

// ---------------------------------------------------------------------------------------
// Cells: a number becomes exact decimal text (percent-formatted ones with a %), anything
// else its shown text (rich text, a formula's cached result, a hyperlink's text).

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.type === ExcelJS.ValueType.Formula ? cell.result : cell.value;
  if (typeof v === "number" && Number.isFinite(v)) {
    const d = decimalFromNumber(Number(v.toPrecision(15)));
    const pct = (cell.numFmt ?? "").replace(/"[^"]*"/g, "").includes("%");
    return pct ? `${Dec.of(d).mul(Dec.HUNDRED).toString()}%` : d;
  }
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "" : v.toISOString().slice(0, 10);
  if (v === null || v === undefined || (typeof v === "object" && "error" in v)) return "";
  return cell.text.trim();
}

const norm = (s: string) => cleanCell(s).replace(/\s+/g, "");

// ---------------------------------------------------------------------------------------
// Step 1: the workbook

function readIds(ws: ExcelJS.Worksheet): SheetIds | null {
  const at = (r: number) => cellText(ws.getCell(r, ID_COLUMN));
  const round = ID_PATTERNS.round.exec(at(2));
  const owner = ID_PATTERNS.owner.exec(at(3));
  const table = ID_PATTERNS.table.exec(at(4));
  if (!round || !owner || !table) return null;
  return { roundId: Number(round[1]), ownerKind: owner[1] as SheetIds["ownerKind"], ownerId: Number(owner[2]), tableId: Number(table[1]) };
}

/** The value of a label row (预算执行偏差原因 | …): the first non-empty cell of B…Q. */
function rowValue(ws: ExcelJS.Worksheet, r: number): string {
  for (let c = 2; c <= LAST_COLUMN; c++) {
    const cell = ws.getCell(r, c);
    if (cell.isMerged && cell.master.address !== cell.address) continue;
    const t = cellText(cell);
    if (t) return t;
  }
  return "";
}

function readSheet(ws: ExcelJS.Worksheet): ParsedSheet | null {
  const name = ws.name;
  const out: ParsedSheet = { sheet: name, ids: null, budget: null, rows: [], issues: [] };
  const marker = cellText(ws.getCell(1, ID_COLUMN));
  if (marker !== MONITORING_MARKER) {
    // Empty sheets and the index sheet (目录) are skipped; anything else is reported.
    if (ws.actualRowCount === 0 || isIndex(ws)) return null;
    out.issues.push(issue(name, null, "error", "不是从本系统导出的绩效运行监控表（缺少隐藏的系统标识），未导入。请先导出监控表，在导出的表格中填写"));
    return out;
  }
  out.ids = readIds(ws);
  if (!out.ids) {
    out.issues.push(issue(name, null, "error", "隐藏的系统标识（监控任务、项目、目标表版本）不完整或被修改，未导入。请重新导出后填写"));
    return out;
  }
  const lastRow = Math.min(ws.rowCount, IMPORT_LIMITS.rows);
  if (ws.rowCount > IMPORT_LIMITS.rows) out.issues.push(issue(name, null, "error", `行数超过 ${IMPORT_LIMITS.rows} 行，未导入`));
  const maxCol = Math.min(ws.columnCount, IMPORT_LIMITS.columns);

  // Rows by their tags.
  let budgetRow: number | null = null;
  let reasonRow: number | null = null;
  let measuresRow: number | null = null;
  let gridRow: number | null = null;
  const indicatorRows: Array<{ row: number; id: number }> = [];
  for (let r = 1; r <= lastRow; r++) {
    const t = cellText(ws.getCell(r, ID_COLUMN));
    if (!t) continue;
    if (t === ROW_TAGS.budget) budgetRow ??= r;
    else if (t === ROW_TAGS.budgetReason) reasonRow ??= r;
    else if (t === ROW_TAGS.budgetMeasures) measuresRow ??= r;
    else if (t === ROW_TAGS.grid) gridRow ??= r;
    else {
      const m = ID_PATTERNS.indicator.exec(t);
      if (m) indicatorRows.push({ row: r, id: Number(m[1]) });
    }
  }

  // The budget block: values under their labels (全年预算数, 截至本期执行数).
  if (budgetRow === null || budgetRow < 2) {
    out.issues.push(issue(name, null, "error", "没有找到预算执行情况（全年预算数、截至本期执行数）所在的行，未导入"));
  } else {
    const under = (header: string) => {
      for (let c = 1; c <= maxCol; c++) if (norm(cellText(ws.getCell(budgetRow! - 1, c))) === header) return cellText(ws.getCell(budgetRow!, c));
      return null;
    };
    const annual = under(BUDGET_CELLS[1].header);
    const executed = under(BUDGET_CELLS[2].header);
    if (annual === null || executed === null) {
      out.issues.push(issue(name, budgetRow, "error", "预算执行情况的表头（全年预算数、截至本期执行数）被修改，无法读取，未导入"));
    } else {
      out.budget = {
        row: budgetRow,
        annual,
        executed,
        reason: reasonRow ? rowValue(ws, reasonRow) : "",
        measures: measuresRow ? rowValue(ws, measuresRow) : "",
      };
    }
  }

  // The grid's columns by their headers (two header rows: 偏差原因 spans six).
  const columns = new Map<MonitoringColumnKey, number>();
  if (gridRow !== null) {
    for (let c = 1; c <= maxCol; c++) {
      const top = norm(cellText(ws.getCell(gridRow, c)));
      const below = norm(cellText(ws.getCell(gridRow + 1, c)));
      for (const col of MONITORING_COLUMNS) {
        if (columns.has(col.key)) continue;
        // 偏差原因 is merged over its six columns: each of them shows it, or nothing when a copy lost the merge.
        const hit = col.reason ? below === col.header && (top === REASON_GROUP_HEADER || top === "") : top === col.header;
        if (hit) columns.set(col.key, c);
      }
    }
  }
  const needed = MONITORING_COLUMNS.filter((c) => c.input && !columns.has(c.key)).map((c) => c.header);
  if (gridRow === null || needed.length > 0) {
    out.issues.push(issue(name, gridRow, "error", `指标表头${needed.length ? `缺少「${needed.join("」「")}」列` : "没有找到"}（表头被修改），未导入`));
    return out;
  }

  for (const { row, id } of indicatorRows) {
    const get = (key: MonitoringColumnKey) => cellText(ws.getCell(row, columns.get(key)!));
    const rowIssue = (m: string) => out.issues.push(issue(name, row, "error", m));
    const label = get("name") ? `指标「${get("name")}」` : "指标";
    const parsed: ParsedRow = {
      row,
      indicatorId: id,
      name: get("name") || null,
      actual: get("actual"),
      projected: get("projected"),
      likelihood: "",
      reasons: [],
      reasonText: get("reasonText"),
      measures: get("measures"),
    };
    const lk = norm(get("likelihood"));
    if (lk) {
      if ((LIKELIHOODS as readonly string[]).includes(lk)) parsed.likelihood = lk as Likelihood;
      else rowIssue(`${label}的完成目标可能性${quote(get("likelihood"))}无法识别，应为「确定能」「有可能」或「完全不可能」`);
    }
    for (const reason of DEVIATION_REASONS) {
      const t = norm(get(reason));
      if (!t || UNTICKED.test(t)) continue;
      if (TICKED.test(t)) parsed.reasons.push(reason);
      else rowIssue(`${label}的偏差原因「${reason}」栏${quote(get(reason))}无法识别：选中请填“√”，不选请留空`);
    }
    out.rows.push(parsed);
  }
  return out;
}

/** The index sheet of a round export: its hidden marker in row 1. */
function isIndex(ws: ExcelJS.Worksheet): boolean {
  for (let c = 1; c <= Math.min(ws.columnCount, IMPORT_LIMITS.columns); c++) {
    if (cellText(ws.getCell(1, c)) === MONITORING_INDEX_MARKER) return true;
  }
  return false;
}

const fileIssue = (message: string): ParsedWorkbook => ({ sheets: [], issues: [issue("", null, "error", message)] });

/**
 * Reads every sheet of a filled-in monitoring workbook. Never throws for bad input: a file
 * that is not a readable .xlsx gives one file-level error.
 */
export async function readMonitoringWorkbook(bytes: Uint8Array): Promise<ParsedWorkbook> {
  if (bytes.length === 0) return fileIssue("文件是空的");
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b)) {
    return fileIssue("文件不是 Excel 工作簿（.xlsx）：请上传从本系统导出、用 Excel 或 WPS 填写并保存为 .xlsx 的监控表");
  }
  // Sizes, ranges and counts are checked on the zip before exceljs builds any cell (precheck.ts).
  try {
    precheckWorkbook(bytes);
  } catch (e) {
    if (e instanceof WorkbookLimitError) return fileIssue(e.message);
    throw e;
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer, { ignoreNodes: IGNORED_NODES });
  } catch (e) {
    return fileIssue(`文件不是有效的 Excel 工作簿（.xlsx），可能已损坏，无法读取（${e instanceof Error ? e.message : String(e)}）`);
  }
  if (wb.worksheets.length > IMPORT_LIMITS.sheets) {
    return fileIssue(`工作簿有 ${wb.worksheets.length} 张工作表，一次最多导入 ${IMPORT_LIMITS.sheets} 张，请拆分后再导入`);
  }
  const out: ParsedWorkbook = { sheets: [], issues: [] };
  for (const ws of wb.worksheets) {
    try {
      const s = readSheet(ws);
      if (s) out.sheets.push(s);
    } catch (e) {
      out.sheets.push({ sheet: ws.name, ids: null, budget: null, rows: [], issues: [issue(ws.name, null, "error", `读取出错，未导入（${e instanceof Error ? e.message : String(e)}）`)] });
    }
  }
  if (out.sheets.length === 0) out.issues.push(issue("", null, "error", "工作簿中没有绩效运行监控表：请上传从本系统导出的监控表"));
  return out;
}

// ---------------------------------------------------------------------------------------
// Step 2: one sheet against its entry

export interface ExpectedIndicator {
  id: number;
  position: number;
  name: string | null;
  operator: Operator | null;
  unit: string | null;
}

/**
 * A measured value for a quantitative indicator: a number, optionally followed by the
 * indicator's unit (`39人`, `95%` when the unit is %). Returns the number's text as typed,
 * or null when it is not a number.
 */
export function measuredValue(textValue: string, unit: string | null): string | null {
  let t = textValue.trim();
  const u = unit ? cleanCell(unit) : "";
  if (u && t.endsWith(u) && t.length > u.length) t = t.slice(0, -u.length).trim();
  else if (t.endsWith("%") && (u === "%" || u === "％")) t = t.slice(0, -1).trim();
  return Dec.parse(t) ? t : null;
}

/** 万元 text with at most 4 decimals (whole 元), as saveEntry stores it; null when it is not. */
function wanValid(t: string, allowNegative: boolean): boolean {
  if (t.trim() === "") return true;
  const d = Dec.parse(t.trim());
  return d !== null && d.mul(Dec.of(10000)).isInteger() && (allowNegative || d.sign() >= 0);
}

const FIELD_LABELS: Record<"actual" | "projected" | "reasonText" | "measures", string> = {
  actual: "截至本期完成值",
  projected: "全年预计完成值",
  reasonText: "原因说明",
  measures: "纠偏措施",
};

/**
 * The errors of a form's values that the entry page would accept as a draft but an import
 * must not (docs/domain.md §5): a budget or a quantitative value that is not a number, texts
 * over the length limit. `where` gives each row's sheet position for the messages.
 */
export function checkFormValues(
  form: MonitoringForm,
  indicators: ExpectedIndicator[],
  where: { sheet: string; budgetRow: number | null; rowOf: (position: number) => number | null },
): ImportIssue[] {
  const out: ImportIssue[] = [];
  if (!wanValid(form.budgetAnnual, false)) {
    out.push(issue(where.sheet, where.budgetRow, "error", `全年预算数${quote(form.budgetAnnual)}应为数字（万元，最多 4 位小数）`));
  }
  if (!wanValid(form.budgetExecuted, false)) {
    out.push(issue(where.sheet, where.budgetRow, "error", `截至本期执行数${quote(form.budgetExecuted)}应为不小于 0 的数字（万元，最多 4 位小数）`));
  }
  for (const [field, label] of [["budgetReason", "预算执行偏差原因"], ["budgetMeasures", "预算执行纠偏措施"]] as const) {
    if (form[field].length > MAX_TEXT) out.push(issue(where.sheet, where.budgetRow, "error", `${label}超过 ${MAX_TEXT} 字`));
  }
  indicators.forEach((ind, i) => {
    const r = form.rows[i];
    if (!r) return;
    const label = `指标「${ind.name ?? "（未命名）"}」`;
    const row = where.rowOf(ind.position);
    for (const field of ["actual", "projected"] as const) {
      const v = r[field].trim();
      if (v && isQuantitative(ind.operator) && measuredValue(v, null) === null) {
        out.push(issue(where.sheet, row, "error", `${label}的${FIELD_LABELS[field]}${quote(v)}不是数字（定量指标请填数字${ind.unit ? `，单位为${ind.unit}` : ""}）`));
      }
    }
    for (const field of ["actual", "projected", "reasonText", "measures"] as const) {
      if (r[field].length > MAX_TEXT) out.push(issue(where.sheet, row, "error", `${label}的${FIELD_LABELS[field]}超过 ${MAX_TEXT} 字`));
    }
  });
  return out;
}

/**
 * The form a sheet stands for: its budget block and each indicator's row (matched by the
 * hidden indicator id); what the sheet does not hold (the 总体说明) stays as in `current`.
 * Rows of indicators that are not in the table, repeated rows and missing rows are errors.
 */
export function sheetToForm(
  parsed: ParsedSheet,
  expected: { indicators: ExpectedIndicator[]; current: MonitoringForm },
): { form: MonitoringForm; issues: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  const byId = new Map<number, ParsedRow>();
  const known = new Set(expected.indicators.map((i) => i.id));
  for (const r of parsed.rows) {
    if (!known.has(r.indicatorId)) {
      issues.push(issue(parsed.sheet, r.row, "error", `这一行的指标不属于该项目的绩效目标表（隐藏标识 ${r.indicatorId} 被修改或来自其他表格）`));
    } else if (byId.has(r.indicatorId)) {
      issues.push(issue(parsed.sheet, r.row, "error", `与第 ${byId.get(r.indicatorId)!.row} 行是同一个指标（行被复制），请删除重复的行`));
    } else byId.set(r.indicatorId, r);
  }
  const rows: MonitoringRowForm[] = expected.indicators.map((ind, i) => {
    const r = byId.get(ind.id);
    if (!r) {
      issues.push(issue(parsed.sheet, null, "error", `缺少第 ${i + 1} 个指标「${ind.name ?? "（未命名）"}」的行（可能被删除），请重新导出后填写`));
      return expected.current.rows[i] ?? emptyMonitoringRow();
    }
    if (r.name !== null && ind.name !== null && norm(r.name) !== norm(ind.name)) {
      issues.push(issue(parsed.sheet, r.row, "warning", `三级指标「${r.name}」与系统中的「${ind.name}」不同；指标以系统中已批复的绩效目标表为准，只导入监控填报内容`));
    }
    const measured = (v: string) => (isQuantitative(ind.operator) ? measuredValue(v, ind.unit) ?? v.trim() : v.trim());
    return {
      actual: measured(r.actual),
      projected: measured(r.projected),
      likelihood: r.likelihood,
      reasons: r.reasons,
      reasonText: r.reasonText.trim(),
      measures: r.measures.trim(),
    };
  });
  const b = parsed.budget;
  const form: MonitoringForm = {
    budgetAnnual: b ? b.annual.trim() : expected.current.budgetAnnual,
    budgetExecuted: b ? b.executed.trim() : expected.current.budgetExecuted,
    budgetReason: b ? b.reason.trim() : expected.current.budgetReason,
    budgetMeasures: b ? b.measures.trim() : expected.current.budgetMeasures,
    summary: expected.current.summary,
    rows,
  };
  const rowOf = new Map(expected.indicators.map((ind) => [ind.position, byId.get(ind.id)?.row ?? null]));
  issues.push(...checkFormValues(form, expected.indicators, { sheet: parsed.sheet, budgetRow: b?.row ?? null, rowOf: (p) => rowOf.get(p) ?? null }));
  return { form, issues };
}

/** Two forms hold the same entry as saveEntry would store it (texts trimmed, amounts in 元, reasons as a set). */
export function sameForm(a: MonitoringForm, b: MonitoringForm): boolean {
  const yuan = (t: string) => {
    const d = t.trim() === "" ? null : Dec.parse(t.trim());
    return d ? d.mul(Dec.of(10000)).toString() : t.trim();
  };
  const reasons = (r: string[]) => DEVIATION_REASONS.filter((x) => r.includes(x)).join("|");
  if (yuan(a.budgetAnnual) !== yuan(b.budgetAnnual) || yuan(a.budgetExecuted) !== yuan(b.budgetExecuted)) return false;
  if (a.budgetReason.trim() !== b.budgetReason.trim() || a.budgetMeasures.trim() !== b.budgetMeasures.trim() || a.summary.trim() !== b.summary.trim()) return false;
  if (a.rows.length !== b.rows.length) return false;
  return a.rows.every((r, i) => {
    const s = b.rows[i];
    return (
      r.actual.trim() === s.actual.trim() &&
      r.projected.trim() === s.projected.trim() &&
      r.likelihood === s.likelihood &&
      reasons(r.reasons) === reasons(s.reasons) &&
      r.reasonText.trim() === s.reasonText.trim() &&
      r.measures.trim() === s.measures.trim()
    );
  });
}
