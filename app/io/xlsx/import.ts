// Import of 绩效目标表 from .xlsx: the layout written by export.ts and hand-made
// workbooks in the same spirit (a user's own template).
//
// - The header block is found by its labels (项目名称, 项目编码, 业务主管部门, 当年预算…; the
//   words and their variants are the shared vocabulary's, app/domain/vocabulary.ts),
//   never by cell addresses: a label's value is the next non-empty cell to its right, or
//   the text after a colon in the same cell (`编制单位：206001-…`).
// - The indicator grid is found by its header row (三级指标 / 指标名称 / 指标 and at least one
//   of 指标权重, 计量单位, 指标性质, 指标值): columns in any order, any of them may be missing,
//   header words may contain spaces or line breaks.
// - A sheet may hold several tables one below the other (as in published documents).
// - Values go through the domain engine (values.ts: parseCells; taxonomy.ts): `≥15 家`,
//   `100%`, `1,300.00` in the 指标值 column are read when 指标性质 / 计量单位 are empty.
// - Problems are reported as warnings with the sheet, the row and a Chinese message; a row
//   that cannot be read fully is still imported (the unreadable cell empty, the source text
//   kept in `raw`), and content that is not imported is reported, never dropped silently.
//   A broken or non-xlsx file gives warnings, never an exception.
import ExcelJS from "exceljs";
import {
  EXCHANGE_FORMAT,
  type ExchangeTable,
  type Indicator,
  type Operator,
  type TableWarning,
  emptyProjectHeader,
} from "../../domain/schemas";
import { Dec, decimalFromNumber, parseDecimal } from "../../domain/decimal";
import { cleanCell, normalizeLevel1, normalizeLevel2, normalizeOperator } from "../../domain/taxonomy";
import { normalizeUnit, parseCells } from "../../domain/values";
import {
  type GridKey,
  type HeaderKey,
  gridKeyOf,
  headerKeyOf,
  isDecoration,
  isTitle,
  parseCodeName,
} from "./layout";
import { isWeakLabel, qualitativeTarget, splitProjectName } from "../../domain/vocabulary";
import { IGNORED_NODES, WorkbookLimitError, precheckWorkbook } from "./precheck";

export interface XlsxImportWarning {
  /** Worksheet name ("" for problems with the whole file). */
  sheet: string;
  /** 1-based row in the sheet, or null. */
  row: number | null;
  code: string;
  /** Chinese message for the user, naming the sheet, the row and the value. */
  message: string;
  /** error: something in the file could not be read; warning: read, but content skipped or doubtful; info: noted. */
  severity: "error" | "warning" | "info";
}

export interface XlsxImportResult {
  tables: ExchangeTable[];
  warnings: XlsxImportWarning[];
}

export interface XlsxImportOptions {
  /**
   * File name to record as `source.file`; when given, each table gets
   * `source: {file, line, sheet}` (line = first row of the table in its sheet) and each
   * indicator its `line` (its row in that sheet). Without it the tables carry no provenance, so that
   * export → import gives back exactly the exported JSON.
   */
  file?: string | null;
  /** Rows read per sheet at most (default 20000). */
  maxRows?: number;
  /** Columns read per row at most (default 200). */
  maxColumns?: number;
}

// ---------------------------------------------------------------------------------------
// Cells

type Val =
  | { t: "empty" }
  /** A number; `pct` when the cell is formatted as a percentage (0.9 shown as 90%). */
  | { t: "num"; n: number; pct?: boolean }
  | { t: "text"; s: string }
  | { t: "bool"; b: boolean };

interface CellInfo {
  r: number;
  c: number;
  v: Val;
  /** For a cell covered by a merge: the master's position. */
  master: { r: number; c: number } | null;
  /** For a master of a merge: the bottom-right corner. */
  end?: { r: number; c: number };
}

const EMPTY: Val = { t: "empty" };

/** Cleans a float that came out of a formula (0.1 + 0.2) to the 15 digits Excel shows. */
function cleanNumber(n: number): number {
  return Number(n.toPrecision(15));
}

function readValue(v: ExcelJS.CellValue, depth = 0): Val {
  if (v == null) return EMPTY;
  if (typeof v === "number") return Number.isFinite(v) ? { t: "num", n: cleanNumber(v) } : { t: "text", s: String(v) };
  if (typeof v === "string") return v.trim() ? { t: "text", s: v } : EMPTY;
  if (typeof v === "boolean") return { t: "bool", b: v };
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? EMPTY : { t: "text", s: v.toISOString().slice(0, 10) };
  if (typeof v === "object" && depth < 3) {
    const o = v as unknown as Record<string, unknown>;
    if (Array.isArray(o.richText)) {
      const s = (o.richText as Array<{ text?: unknown }>).map((x) => (x && typeof x.text === "string" ? x.text : "")).join("");
      return s.trim() ? { t: "text", s } : EMPTY;
    }
    if ("formula" in o || "sharedFormula" in o) {
      // A formula is read by its cached result; without one (a file written by a program
      // that does not calculate) the formula text is kept, so that it is reported, not lost.
      if (o.result === undefined || o.result === null) {
        const f = typeof o.formula === "string" ? o.formula : typeof o.sharedFormula === "string" ? o.sharedFormula : "";
        return { t: "text", s: `=${f}` };
      }
      return readValue(o.result as ExcelJS.CellValue, depth + 1);
    }
    if ("hyperlink" in o || "text" in o) return readValue(o.text as ExcelJS.CellValue, depth + 1);
    if ("error" in o) return { t: "text", s: String(o.error) };
  }
  return EMPTY;
}

/** True for number formats that show a percentage (`0%`, `0.00%`), ignoring quoted text. */
function isPercentFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  return fmt.replace(/"[^"]*"/g, "").replace(/\\./g, "").includes("%");
}

/** The number as shown: 0.9 formatted as a percentage is "90%". */
function shownNumber(v: { n: number; pct?: boolean }): string {
  const d = decimalFromNumber(v.n);
  return v.pct ? `${Dec.of(d).mul(Dec.of(100)).toString()}%` : d;
}

function valText(v: Val): string | null {
  switch (v.t) {
    case "empty":
      return null;
    case "num":
      return shownNumber(v);
    case "bool":
      return v.b ? "是" : "否";
    case "text": {
      const s = v.s.trim();
      return s ? s : null;
    }
  }
}

const AMOUNT_SUFFIXES = ["万元", "元", "分", "%", "％"];
const WEIGHT_SUFFIXES = ["分", "%", "％"];

/**
 * The text without one of the suffixes and the spaces before it (`25.65 万元` → `25.65`).
 * Not `/\s*(?:万元|…)$/`: that pattern rescans every run of spaces from each of its
 * characters, quadratic on a long run (docs/decisions/016-hostile-input.md).
 */
function withoutSuffix(text: string, suffixes: readonly string[]): string {
  for (const s of suffixes) if (text.endsWith(s)) return text.slice(0, text.length - s.length).trimEnd();
  return text;
}

/** Short quotation of a cell value for messages. */
function quote(s: string | null, max = 40): string {
  if (s == null) return "「」";
  const one = s.replace(/\s+/g, " ").trim();
  return `「${one.length > max ? one.slice(0, max) + "…" : one}」`;
}

class SheetModel {
  readonly name: string;
  readonly rows = new Map<number, Map<number, CellInfo>>();
  lastRow = 0;
  truncatedRows = false;
  truncatedColumns = false;

  constructor(ws: ExcelJS.Worksheet, maxRows: number, maxColumns: number) {
    this.name = ws.name;
    ws.eachRow({ includeEmpty: false }, (row, r) => {
      if (r > maxRows) {
        this.truncatedRows = true;
        return;
      }
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        if (c > maxColumns) {
          this.truncatedColumns = true;
          return;
        }
        let master: CellInfo["master"] = null;
        let v: Val;
        if (cell.isMerged && cell.master && cell.master.address !== cell.address) {
          master = { r: Number(cell.master.row), c: Number(cell.master.col) };
          v = EMPTY;
        } else {
          v = readValue(cell.value);
          if (v.t === "num" && isPercentFormat(cell.numFmt)) v = { ...v, pct: true };
        }
        this.set({ r, c, v, master });
      });
    });
    // Record the extent of each merge on its master.
    for (const row of this.rows.values()) {
      for (const info of row.values()) {
        if (!info.master) continue;
        let m = this.get(info.master.r, info.master.c);
        if (!m) {
          m = { r: info.master.r, c: info.master.c, v: EMPTY, master: null };
          this.set(m);
        }
        const end = m.end ?? { r: m.r, c: m.c };
        m.end = { r: Math.max(end.r, info.r), c: Math.max(end.c, info.c) };
      }
    }
  }

  private set(info: CellInfo) {
    let row = this.rows.get(info.r);
    if (!row) this.rows.set(info.r, (row = new Map()));
    row.set(info.c, info);
    if (info.r > this.lastRow) this.lastRow = info.r;
  }

  get(r: number, c: number): CellInfo | undefined {
    return this.rows.get(r)?.get(c);
  }

  /** Non-empty cells that hold their own value (not covered by a merge), left to right. */
  own(r: number): CellInfo[] {
    const row = this.rows.get(r);
    if (!row) return [];
    return [...row.values()].filter((x) => !x.master && x.v.t !== "empty").sort((a, b) => a.c - b.c);
  }

  isEmpty(): boolean {
    for (let r = 1; r <= this.lastRow; r++) if (this.own(r).length) return false;
    return true;
  }
}

// ---------------------------------------------------------------------------------------
// Warnings

class Report {
  readonly all: XlsxImportWarning[] = [];
  constructor(private sheet: string) {}
  add(severity: XlsxImportWarning["severity"], code: string, row: number | null, message: string) {
    const where = row != null ? `工作表「${this.sheet}」第${row}行：` : this.sheet ? `工作表「${this.sheet}」：` : "";
    this.all.push({ sheet: this.sheet, row, code, severity, message: where + message });
  }
}

// ---------------------------------------------------------------------------------------
// Indicator grid

interface GridColumn {
  key: GridKey;
  /** Columns covered by the header cell (a merged header covers several). */
  from: number;
  to: number;
  header: string;
}

interface GridHeader {
  row: number;
  columns: GridColumn[];
  /** Columns of the row label (绩效指标) and of 序号/备注-like headers: content there is not data. */
  quiet: Set<number>;
  /** Columns whose header repeats an earlier column's kind (not read). */
  duplicates: Set<number>;
}

const VALUE_KEYS: GridKey[] = ["weight", "unit", "operator", "target"];

function detectGridHeader(sheet: SheetModel, r: number): GridHeader | null {
  const cells = sheet.own(r);
  if (cells.length < 2) return null;
  const found: Array<{ key: GridKey | "fallbackName" | "ignore"; cell: CellInfo; text: string }> = [];
  for (const cell of cells) {
    const text = valText(cell.v);
    if (!text) continue;
    const key = gridKeyOf(text);
    if (key) found.push({ key, cell, text });
  }
  const keys = new Set(found.map((f) => f.key));
  const hasName = keys.has("name") || keys.has("fallbackName");
  if (!hasName || !VALUE_KEYS.some((k) => keys.has(k))) return null;
  const columns: GridColumn[] = [];
  const quiet = new Set<number>();
  const duplicates = new Set<number>();
  const nameKey = keys.has("name") ? "name" : "fallbackName";
  for (const f of found) {
    const from = f.cell.c;
    const to = f.cell.end?.c ?? f.cell.c;
    if (f.key === "ignore" || (f.key === "fallbackName" && nameKey !== "fallbackName")) {
      for (let c = from; c <= to; c++) quiet.add(c);
      continue;
    }
    const key: GridKey = f.key === "fallbackName" ? "name" : f.key;
    if (columns.some((x) => x.key === key)) {
      // A second column of the same kind: its content is reported as not read.
      for (let c = from; c <= to; c++) duplicates.add(c);
      continue;
    }
    columns.push({ key, from, to, header: f.text.replace(/\s+/g, "") });
  }
  return { row: r, columns, quiet, duplicates };
}


/**
 * The first cell's text of a row when the row starts a new header block (a title, a header
 * label such as 项目名称 / 编制单位, 单位：万元, 其他说明), else null: then it is a grid row.
 */
function boundaryText(sheet: SheetModel, r: number): string | null {
  const first = sheet.own(r)[0];
  if (!first || first.v.t !== "text") return null;
  const text = valText(first.v);
  if (!text) return null;
  if (isTitle(text)) return text;
  const c = cleanCell(text);
  if (/^(?:金额)?单位[:：]/.test(c) || /^表(?:\d+|[一二三四五六七八九十百]+)$/.test(c)) return text;
  const label = text.split(/[:：]/)[0];
  // Weak labels (预算执行率, 部门…) are also plausible indicator names: they do not end a grid.
  if (headerKeyOf(label) && !isWeakLabel(label)) return text;
  return null;
}

const TOTAL_ROW = /^(?:合计|总计|小计|权重合计|合计权重)$/;

interface RowRead {
  val: Val;
  text: string | null;
  /** Row of the merged cell the value was inherited from (vertical merge), if any. */
  inheritedFrom: number | null;
  /** The cell of another column merged over this column in this row, if any. */
  coveredBy?: CellInfo;
}

// ---------------------------------------------------------------------------------------
// Header block

interface HeaderField {
  key: HeaderKey;
  row: number;
  label: string;
  val: Val;
}

function scanHeader(sheet: SheetModel, from: number, to: number, report: Report) {
  const fields = new Map<HeaderKey, HeaderField>();
  let title: { text: string; row: number } | null = null;
  for (let r = from; r <= to; r++) {
    const cells = sheet.own(r);
    const used = new Set<number>();
    const unknown: string[] = [];
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i];
      if (used.has(cell.c)) continue;
      const text = valText(cell.v);
      if (!text) continue;
      let key: HeaderKey | null = null;
      let val: Val = EMPTY;
      let label = text;
      const colon = /^([^:：]{1,30})[:：]([\s\S]*)$/.exec(text);
      if (colon && headerKeyOf(colon[1])) {
        key = headerKeyOf(colon[1]);
        label = colon[1];
        if (colon[2].trim()) val = { t: "text", s: colon[2].trim() };
      } else {
        key = cell.v.t === "text" ? headerKeyOf(text) : null;
      }
      if (!key) {
        if (isTitle(text)) {
          if (!title) title = { text, row: r };
          continue;
        }
        if (isDecoration(text)) continue;
        unknown.push(text);
        continue;
      }
      used.add(cell.c);
      if (val.t === "empty") {
        // The value is the next non-empty cell to the right, unless that is another label.
        const next = cells.slice(i + 1).find((x) => !used.has(x.c));
        if (next) {
          const nt = valText(next.v) ?? "";
          const nextIsLabel =
            (next.v.t === "text" && headerKeyOf(nt) !== null) ||
            headerKeyOf(nt.split(/[:：]/)[0]) !== null ||
            isDecoration(nt) ||
            isTitle(nt);
          if (!nextIsLabel) {
            val = next.v;
            used.add(next.c);
          }
        }
      }
      if (key === "departmentFunds") continue; // a section label (总体资金情况): no value of its own
      if (key === "footer") {
        const t = valText(val);
        if (t) report.add("info", "content_ignored", r, `「${label.trim()}」的内容${quote(t)}不属于绩效目标表，未导入`);
        continue;
      }
      if (fields.has(key)) {
        const first = fields.get(key)!;
        if (first.val.t === "empty") {
          // `当年绩效目标 | 绩效目标：…`: the label had no value of its own, this one has.
          if (val.t !== "empty") fields.set(key, { ...first, val });
        } else if (val.t !== "empty") {
          report.add(
            "warning",
            "header_duplicate",
            r,
            `表头「${label.trim()}」重复出现（第${first.row}行已有），此处的值${quote(valText(val))}未导入`,
          );
        }
        continue;
      }
      fields.set(key, { key, row: r, label: label.trim(), val });
    }
    if (unknown.length) {
      report.add("warning", "content_ignored", r, `未识别的内容${unknown.map((u) => quote(u)).join("")}未导入（不是已知的表头项）`);
    }
  }
  return { fields, title };
}

// ---------------------------------------------------------------------------------------
// One table

interface Segment {
  start: number;
  header: GridHeader;
  end: number;
}

function readTable(
  sheet: SheetModel,
  seg: Segment,
  report: Report,
  opts: XlsxImportOptions,
): ExchangeTable {
  const { fields, title } = scanHeader(sheet, seg.start, seg.header.row - 1, report);

  const text = (k: HeaderKey): string | null => {
    const f = fields.get(k);
    return f ? valText(f.val) : null;
  };
  const number = (k: HeaderKey): number | null => {
    const f = fields.get(k);
    if (!f || f.val.t === "empty") return null;
    if (f.val.t === "num") return f.val.n;
    const t = valText(f.val) ?? "";
    const d = parseDecimal(withoutSuffix(t, AMOUNT_SUFFIXES));
    if (d !== null) return Number(d);
    report.add("error", "number_invalid", f.row, `「${f.label}」的值${quote(t)}不是数字，已按空值导入`);
    return null;
  };

  // Kind and year.
  const titleText = title?.text ?? "";
  const deptKeys: HeaderKey[] = ["departmentName", "departmentBudget", "overallGoal"];
  const isDepartment = !fields.has("projectName") && (/整体/.test(titleText) || deptKeys.some((k) => fields.has(k)));
  let year: number | null = null;
  const ym = /((?:19|20)\d{2})\s*年/.exec(titleText);
  if (ym) year = Number(ym[1]);
  else if (fields.has("year")) {
    const yt = text("year") ?? "";
    const m = /^\s*((?:19|20)\d{2})\s*年?(?:度)?\s*$/.exec(yt);
    if (m) year = Number(m[1]);
    else report.add("error", "year_invalid", fields.get("year")!.row, `年度${quote(yt)}不是四位年份，已按空值导入`);
  }

  const unitText = text("unit");
  const table: ExchangeTable = {
    format: EXCHANGE_FORMAT,
    kind: isDepartment ? "department" : "project",
    year,
    department: null,
    unit: parseCodeName(unitText),
    project: null,
    overall: null,
    budgetExecutionWeight: number("budgetExecutionWeight"),
    indicators: [],
  };

  const notFor = (keys: HeaderKey[], what: string) => {
    for (const k of keys) {
      const f = fields.get(k);
      if (f && f.val.t !== "empty") {
        report.add("warning", "header_not_applicable", f.row, `「${f.label}」不属于${what}，其值${quote(valText(f.val))}未导入`);
      }
    }
  };

  if (isDepartment) {
    table.department = parseCodeName(text("departmentName") ?? text("department"));
    table.overall = {
      budget: number("departmentBudget") ?? (fields.has("departmentBudget") ? null : number("budgetTotal")),
      midTermGoal: text("overallMidTermGoal") ?? text("midTermGoal"),
      annualGoal: text("overallGoal") ?? text("annualGoal"),
    };
    if (!fields.has("departmentName") && !fields.has("department")) {
      report.add("warning", "header_missing", seg.header.row, "部门整体绩效目标表中没有找到「部门（单位）名称」");
    }
    const projectOnly: HeaderKey[] = ["projectName", "projectCode", "category", "financeOffice", "budgetLocal", "budgetSuperior", "overview", "basis", "schedule", "measures"];
    if (fields.has("departmentName") && fields.has("department")) projectOnly.push("department");
    if (fields.has("departmentBudget")) projectOnly.push("budgetTotal");
    if (fields.has("overallGoal")) projectOnly.push("annualGoal");
    notFor(projectOnly, "部门整体绩效目标表");
  } else {
    const p = emptyProjectHeader();
    const split = splitProjectName(text("projectName"), text("projectCode"));
    if (split.conflict) {
      report.add("warning", "code_conflict", fields.get("projectName")!.row, `项目名称前的编码「${split.conflict}」与项目编码「${split.code}」不一致，采用项目编码`);
    }
    p.code = split.code;
    p.name = split.name;
    p.category = text("category");
    p.financeOffice = parseCodeName(text("financeOffice"));
    p.budget = { total: number("budgetTotal"), local: number("budgetLocal"), superior: number("budgetSuperior") };
    p.overview = text("overview");
    p.basis = text("basis");
    p.schedule = text("schedule");
    p.measures = text("measures");
    p.midTermGoal = text("midTermGoal");
    p.annualGoal = text("annualGoal");
    table.project = p;
    table.department = parseCodeName(text("department"));
    if (!fields.has("projectName")) {
      report.add("warning", "header_missing", seg.header.row, "项目绩效目标表中没有找到「项目名称」");
    }
    notFor(["departmentName", "departmentBudget", "overallGoal", "overallMidTermGoal"], "项目绩效目标表");
  }

  table.indicators = readGrid(sheet, seg, report, opts);
  if (opts.file != null) table.source = { file: opts.file, line: title?.row ?? seg.start, sheet: sheet.name };
  return table;
}

function readGrid(sheet: SheetModel, seg: Segment, report: Report, opts: XlsxImportOptions): Indicator[] {
  const { header } = seg;
  const col = new Map<GridKey, GridColumn>(header.columns.map((c) => [c.key, c]));
  const headerOfColumn = (c: number): string | null => {
    for (const gc of header.columns) if (c >= gc.from && c <= gc.to) return gc.header;
    return null;
  };
  /** The header text written above column c (its own cell or the merged cell covering it). */
  const headerTextAt = (c: number): string | null => {
    const cell = sheet.get(header.row, c);
    if (!cell) return null;
    const m = cell.master ? sheet.get(cell.master.r, cell.master.c) : cell;
    return m ? valText(m.v)?.replace(/\s+/g, "") ?? null : null;
  };
  const skipped = new Map<number, number[]>(); // column → rows whose content there was not read
  const indicators: Indicator[] = [];
  if (!col.has("target")) {
    report.add("warning", "no_target_column", header.row, "指标表头中没有「指标值」列，各指标的指标值为空");
  }

  for (let r = header.row + 1; r <= seg.end; r++) {
    const own = sheet.own(r);
    if (!own.length) continue;
    const used = new Set<number>();

    const total = own.find((x) => x.v.t === "text" && TOTAL_ROW.test(x.v.s.replace(/\s+/g, "")));
    if (total) {
      report.add("info", "total_row", r, `合计行${own.map((x) => quote(valText(x.v), 12)).join("")}不是指标，未导入`);
      continue;
    }

    const read = (key: GridKey): RowRead => {
      const gc = col.get(key);
      const none: RowRead = { val: EMPTY, text: null, inheritedFrom: null };
      if (!gc) return none;
      for (let c = gc.from; c <= gc.to; c++) {
        const cell = sheet.get(r, c);
        if (!cell) continue;
        if (!cell.master) {
          if (cell.v.t === "empty") continue;
          used.add(c);
          return { val: cell.v, text: valText(cell.v), inheritedFrom: null };
        }
        const m = sheet.get(cell.master.r, cell.master.c);
        if (!m) continue;
        if (cell.master.r === r) {
          // Covered by a cell merged from the left, out of another column.
          if (m.c < gc.from && m.v.t !== "empty") return { ...none, coveredBy: m };
          continue;
        }
        if (cell.master.r > header.row && m.v.t !== "empty") {
          // Merged down from an earlier indicator row: the value applies to this row too.
          return { val: m.v, text: valText(m.v), inheritedFrom: m.r };
        }
      }
      return none;
    };

    const l1 = read("level1");
    const l2 = read("level2");
    const nm = read("name");
    const wt = read("weight");
    const un = read("unit");
    const op = read("operator");
    const tg = read("target");
    const co = read("core");

    // Content in columns that were not read.
    const reads: Array<[GridKey, RowRead]> = [
      ["level1", l1],
      ["level2", l2],
      ["name", nm],
      ["weight", wt],
      ["unit", un],
      ["operator", op],
      ["target", tg],
      ["core", co],
    ];
    const anyData = reads.some(([, x]) => x.text != null && x.inheritedFrom == null);
    if (!anyData) {
      const texts = own.map((x) => valText(x.v) ?? "").filter((t) => t && !isDecoration(t));
      if (texts.length) {
        report.add("warning", "row_ignored", r, `这一行不在指标列中，内容${texts.map((t) => quote(t, 20)).join("")}未导入`);
      }
      continue;
    }
    for (const [key, x] of reads) {
      if (!x.coveredBy) continue;
      const gc = col.get(key)!;
      const owner = headerOfColumn(x.coveredBy.c) ?? headerTextAt(x.coveredBy.c) ?? `第${x.coveredBy.c}列`;
      used.add(x.coveredBy.c);
      report.add(
        "error",
        "cell_merged",
        r,
        `「${owner}」的单元格${quote(valText(x.coveredBy.v), 20)}合并覆盖了「${gc.header}」列，${gc.header}未能读取（请取消合并）`,
      );
    }
    const unread = own.filter((x) => !used.has(x.c) && !header.quiet.has(x.c) && !isDecoration(valText(x.v) ?? ""));
    for (const x of unread) {
      const list = skipped.get(x.c) ?? [];
      list.push(r);
      skipped.set(x.c, list);
    }

    const ind: Indicator = {
      level1: null,
      level2: null,
      name: nm.text,
      weight: null,
      unit: null,
      operator: null,
      target: null,
      core: null,
    };
    const raw: NonNullable<Indicator["raw"]> = {};
    const label = nm.text ? `指标${quote(nm.text, 20)}` : "指标（无名称）";

    if (l1.text) {
      const n = normalizeLevel1(l1.text);
      ind.level1 = n.value;
      if (n.value !== l1.text) raw.level1 = l1.text;
    }
    if (l2.text) {
      const n = normalizeLevel2(l2.text);
      ind.level2 = n.value;
      if (n.value !== l2.text) raw.level2 = l2.text;
    }

    // 指标权重
    if (wt.inheritedFrom != null) {
      report.add("error", "weight_merged", r, `${label}的指标权重与第${wt.inheritedFrom}行合并在一个单元格中，权重只计入第${wt.inheritedFrom}行，本行权重为空`);
    } else if (wt.val.t === "num" && !wt.val.pct) {
      ind.weight = wt.val.n;
    } else if (wt.text != null) {
      // `2.5分`, and `20%` (typed as text, or a number formatted as a percentage) mean 20 points.
      const d = wt.val.t === "text" || wt.val.t === "num" ? parseDecimal(withoutSuffix(wt.text, WEIGHT_SUFFIXES)) : null;
      if (d !== null) {
        ind.weight = Number(d);
        if (d !== wt.text) raw.weight = wt.text;
      } else {
        raw.weight = wt.text;
        report.add("error", "weight_invalid", r, `${label}的指标权重${quote(wt.text)}不是数字；该指标已导入，权重为空`);
      }
    }

    // 指标性质 / 指标值 / 计量单位
    let opText = op.text;
    const unitText = un.text;
    let targetText = tg.text;
    // `定性：建成 3 个示范村` in the value cell: the operator and the level, digits kept.
    const level = opText == null || normalizeOperator(opText) === "定性" ? qualitativeTarget(targetText) : null;
    if (level !== null) {
      raw.target = targetText!;
      opText = opText ?? "定性";
      targetText = level;
    }
    if (targetText == null) {
      ind.unit = normalizeUnit(unitText);
      if (opText != null) {
        ind.operator = normalizeOperator(opText);
        if (ind.operator === null) {
          raw.operator = opText;
          report.add("error", "operator_invalid", r, `${label}的指标性质${quote(opText)}无法识别（应为 ≥ ≤ = > < 或 定性）`);
        } else if (ind.operator !== opText) raw.operator = opText;
      }
    } else {
      const parsed = parseCells(opText, targetText, unitText);
      if (parsed.ok) {
        ind.operator = parsed.operator;
        ind.target = parsed.qualitative ? parsed.text : parsed.value;
        ind.unit = parsed.unit;
        if (opText != null && opText !== parsed.operator) raw.operator = opText;
        if (!(tg.val.t === "num" && !tg.val.pct) && targetText !== ind.target && raw.target === undefined) raw.target = targetText;
      } else {
        const opNorm: Operator | null = opText != null ? normalizeOperator(opText) : null;
        ind.operator = opNorm;
        ind.target = targetText;
        ind.unit = normalizeUnit(unitText);
        raw.target ??= targetText;
        if (opText != null && opText !== opNorm) raw.operator = opText;
        report.add("error", "value_invalid", r, `${label}：${parsed.error}；已按原文导入指标值${quote(targetText)}`);
      }
    }

    // 是否核心指标
    if (co.val.t === "bool") ind.core = co.val.b;
    else if (co.text != null) {
      const c = co.text.replace(/\s+/g, "");
      if (/^(?:是|√|✓|✔|Y|YES|TRUE|核心|核心指标|1)$/i.test(c)) ind.core = true;
      else if (/^(?:否|×|✗|✘|N|NO|FALSE|非核心|非核心指标|0)$/i.test(c)) ind.core = false;
      else report.add("error", "core_invalid", r, `${label}的「是否核心指标」${quote(co.text)}无法识别（应为 是 或 否），已按空值导入`);
    }

    if (!ind.name) {
      report.add("warning", "name_missing", r, "这一行有指标数据但没有指标名称；已作为无名称指标导入");
    }
    if (Object.keys(raw).length) ind.raw = raw;
    if (opts.file != null) ind.line = r;
    indicators.push(ind);
  }

  for (const [c, rows] of skipped) {
    const owner = headerOfColumn(c);
    const h = headerTextAt(c);
    const where = owner
      ? `表头「${owner}」合并范围内的第${c}列`
      : h
        ? `「${h}」列（第${c}列${header.duplicates.has(c) ? "，与前面的同名列重复" : "，不是可识别的指标列"}）`
        : `第${c}列（没有表头）`;
    report.add(
      "warning",
      "column_ignored",
      rows[0],
      `${where}的内容未导入（第${rows.slice(0, 10).join("、")}${rows.length > 10 ? "…" : ""}行）`,
    );
  }
  return indicators;
}

// ---------------------------------------------------------------------------------------
// Sheets and workbook

function isIndexSheet(sheet: SheetModel): boolean {
  for (let r = 1; r <= Math.min(sheet.lastRow, 10); r++) {
    const texts = sheet.own(r).map((x) => valText(x.v)?.replace(/\s+/g, ""));
    if (texts.includes("序号") && texts.includes("工作表")) return true;
  }
  return false;
}

function readSheet(ws: ExcelJS.Worksheet, opts: XlsxImportOptions, out: XlsxImportResult) {
  const name = ws.name;
  const report = new Report(name);
  const sheet = new SheetModel(ws, opts.maxRows ?? 20000, opts.maxColumns ?? 200);
  if (sheet.truncatedRows) report.add("error", "sheet_truncated", null, `只读取了前 ${opts.maxRows ?? 20000} 行，其余行未导入`);
  if (sheet.truncatedColumns) report.add("error", "sheet_truncated", null, `只读取了前 ${opts.maxColumns ?? 200} 列，其余列未导入`);

  const headers: GridHeader[] = [];
  for (let r = 1; r <= sheet.lastRow; r++) {
    const h = detectGridHeader(sheet, r);
    if (h) headers.push(h);
  }

  if (!headers.length) {
    if (sheet.isEmpty() || isIndexSheet(sheet)) {
      out.warnings.push(...report.all);
      return;
    }
    report.add(
      "error",
      "no_grid",
      null,
      "没有找到绩效指标表头（需要一行同时含「三级指标」或「指标名称」和「指标权重」「指标值」「指标性质」「计量单位」中的至少一项），此工作表未导入",
    );
    out.warnings.push(...report.all);
    return;
  }

  // Segments: header block above each grid header, grid rows until the next block starts.
  const segments: Segment[] = [];
  let start = 1;
  headers.forEach((h, k) => {
    const limit = k + 1 < headers.length ? headers[k + 1].row - 1 : sheet.lastRow;
    let end = limit;
    for (let r = h.row + 1; r <= limit; r++) {
      if (boundaryText(sheet, r) !== null) {
        end = r - 1;
        break;
      }
    }
    segments.push({ start, header: h, end });
    start = end + 1;
  });

  segments.forEach((seg, k) => {
    const before = report.all.length;
    try {
      const table = readTable(sheet, seg, report, opts);
      const mine = report.all.slice(before);
      if (mine.length) {
        table.warnings = mine.map((w): TableWarning => ({ code: w.code, message: w.message, line: w.row }));
      }
      out.tables.push(table);
    } catch (e) {
      report.add("error", "table_failed", seg.header.row, `读取第${k + 1}张表时出错，此表未导入（${e instanceof Error ? e.message : String(e)}）`);
    }
  });
  // Rows after the last grid that start a header block but have no grid of their own.
  const tail = segments[segments.length - 1];
  if (tail.end < sheet.lastRow) {
    const rest: number[] = [];
    for (let r = tail.end + 1; r <= sheet.lastRow; r++) {
      const own = sheet.own(r).filter((x) => {
        const t = valText(x.v) ?? "";
        return !isDecoration(t) && !/^(?:其他说明|备注|说明)[:：]?$/.test(t.replace(/\s+/g, ""));
      });
      if (own.length) rest.push(r);
    }
    if (rest.length) {
      report.add(
        "warning",
        "content_ignored",
        rest[0],
        `最后一张表之后的内容未导入（第${rest.slice(0, 10).join("、")}${rest.length > 10 ? "…" : ""}行，没有绩效指标表头）`,
      );
    }
  }
  out.warnings.push(...report.all);
}

/** No control characters but tabs and line breaks in the first 4 KB: a text file, not a zip or garbage. */
function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  }
  return true;
}

function bytesOf(input: ArrayBuffer | Uint8Array): Uint8Array {
  return input instanceof Uint8Array ? input : new Uint8Array(input);
}

const fileError = (code: string, message: string): XlsxImportResult => ({
  tables: [],
  warnings: [{ sheet: "", row: null, code, severity: "error", message }],
});

/**
 * Reads the 绩效目标表 in an .xlsx workbook: every sheet, every table in it (the index sheet
 * written by the exporter is skipped). Never throws for bad input: a file that is not an
 * .xlsx workbook gives no tables and one error.
 */
export async function workbookToTables(
  input: ArrayBuffer | Uint8Array,
  opts: XlsxImportOptions = {},
): Promise<XlsxImportResult> {
  const bytes = bytesOf(input);
  if (bytes.length === 0) return fileError("empty_file", "文件是空的，没有可导入的内容");
  const magic = Array.from(bytes.subarray(0, 8));
  if (magic.join(",") === "208,207,17,224,161,177,26,225") {
    return fileError(
      "xls_format",
      "这是旧版 Excel 97-2003（.xls）文件或加密的工作簿，无法读取：请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）并去掉打开密码后再导入",
    );
  }
  if (!(magic[0] === 0x50 && magic[1] === 0x4b)) {
    if (looksLikeText(bytes)) {
      return fileError(
        "not_xlsx",
        "文件不是 Excel 工作簿（.xlsx），而是文本（可能是 CSV 或另存时改了扩展名）：请在 Excel 或 WPS 中打开它，“另存为”Excel 工作簿（.xlsx）后再导入",
      );
    }
    return fileError("not_xlsx", "文件不是 Excel 工作簿（.xlsx），无法读取：请上传用 Excel 或 WPS 保存的 .xlsx 文件");
  }
  // Sizes, ranges and counts are checked on the zip's XML before exceljs builds any cell.
  try {
    precheckWorkbook(bytes);
  } catch (e) {
    if (e instanceof WorkbookLimitError) return fileError(e.code, e.message);
    throw e;
  }
  const wb = new ExcelJS.Workbook();
  try {
    // Node: a Buffer view of the bytes (no copy); elsewhere exceljs takes the Uint8Array.
    const buf =
      typeof Buffer === "undefined"
        ? bytes
        : Buffer.isBuffer(bytes)
          ? bytes
          : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    await wb.xlsx.load(buf as unknown as ExcelJS.Buffer, { ignoreNodes: IGNORED_NODES });
  } catch (e) {
    return fileError(
      "not_xlsx",
      `文件不是有效的 Excel 工作簿（.xlsx），可能已损坏或是其他格式的压缩文件，无法读取（${e instanceof Error ? e.message : String(e)}）`,
    );
  }
  const out: XlsxImportResult = { tables: [], warnings: [] };
  const sheets = wb.worksheets;
  for (const ws of sheets) {
    try {
      readSheet(ws, opts, out);
    } catch (e) {
      out.warnings.push({
        sheet: ws.name,
        row: null,
        code: "sheet_failed",
        severity: "error",
        message: `工作表「${ws.name}」读取出错，此工作表未导入（${e instanceof Error ? e.message : String(e)}）`,
      });
    }
  }
  if (!out.tables.length) {
    out.warnings.push({
      sheet: "",
      row: null,
      code: "no_tables",
      severity: "error",
      message: sheets.length
        ? "工作簿中没有找到绩效目标表（没有含「三级指标/指标名称」和「指标权重/指标值」等列的表头行）"
        : "工作簿中没有工作表",
    });
  }
  return out;
}
