// The published-document importer: finds every 项目绩效目标表 and 部门（单位）整体绩效目标表
// in a text document (plain text, tab-separated, Markdown or HTML-ish, as published in
// 部门预算公开 documents) and returns exchange-format tables (jixiao.table/v1).
//
// How it reads a document:
//   1. rows.ts splits it into rows of cells with their line numbers;
//   2. a small state machine walks the rows: titles (…绩效目标表), header-field rows
//      (项目名称 | X | 主管部门 | Y), the indicator header (指标名称 | 指标权重 | …) and the
//      indicator rows that follow it, page-break debris in between;
//   3. columns.ts aligns each indicator row to its header by what the cells look like;
//      values go through the domain parser (app/domain/values.ts).
// Nothing is guessed: unknown fields are null and every row that cannot be read becomes
// a warning with its line number. Pure TypeScript, no I/O: runs in the browser too.
import {
  EXCHANGE_FORMAT,
  emptyProjectHeader,
  type CodeName,
  type ExchangeTable,
  type Indicator,
  type TableWarning,
} from "~/domain/schemas";
import { normalizeLevel1, normalizeLevel2, normalizeOperator } from "~/domain/taxonomy";
import { normalizeUnit, parseCells, parseDecimal } from "~/domain/values";
import { Dec } from "~/domain/decimal";
import { qualitativeTarget, splitCodeName as splitCodeNameText, splitLevelPrefix, splitProjectName } from "~/domain/vocabulary";
import { MAX_VALUE_CHARS, alignRow, placeableCount, coreValue, headerWordCount, readHeader, splitNameValue, weightValue, type Column, type Header } from "./columns";
import { DEPARTMENT_FIELDS, PROSE_FIELDS, fieldLabel, readFieldRow, yearValue, type FieldHit, type FieldKey } from "./fields";
import { splitRows, splitRowsAsync, type Row } from "./rows";
import { MAX_PROSE_CHARS, budgetFromProse, headingText, projectFromHeading, projectFromTitle, targetYear, type BudgetPart } from "./section";
import { cleanInline, cleanProse, isVerticalFragment, keyOf, stripMarkup } from "./text";

export interface DocumentWarning {
  /** 1-based line in the document; null for the document as a whole. */
  line: number | null;
  code: string;
  /** Chinese, for the user. */
  message: string;
}

export interface ParsedDocument {
  tables: ExchangeTable[];
  /** Every warning of the document (those of the tables included), in line order. */
  warnings: DocumentWarning[];
  /** Year of the document title (e.g. `2026 年单位预算情况说明`), null when none. */
  year: number | null;
}

export interface ParseOptions {
  /** File name recorded in `source.file` of each table. */
  file?: string | null;
}

type Kind = "project" | "department";

/** What precedes a table in its section: the numbered heading and the prose lines after it. */
interface Section {
  heading: { text: string; line: number } | null;
  prose: Array<{ text: string; line: number }>;
  chars: number;
}

const emptySection = (): Section => ({ heading: null, prose: [], chars: 0 });
type Mode = "fields" | "indicators" | "ended";

interface Builder {
  kind: Kind;
  line: number;
  title: string | null;
  fields: Map<FieldKey, { value: string; line: number }>;
  unit: CodeName | null;
  columns: Column[] | null;
  mode: Mode;
  indicators: Indicator[];
  warnings: TableWarning[];
  lastProse: FieldKey | null;
  pendingNumber: { key: FieldKey; rowsLeft: number; line: number; raw: string; skipped: Row[] } | null;
  prevLevel1: string | null;
  prevLevel2: string | null;
  /** Set once rows of something else follow the ended table. */
  strayDone?: boolean;
  /** The heading and prose before the table (names and budgets not in the table itself). */
  section: Section;
}

// ---------------------------------------------------------------------------------------
// Line classification

const TITLE_RE = /绩效目标表/;
/** Text lines longer than this are prose or junk, never a title, label or marker. */
const LONG_TEXT = 4000;
const END_MARKER_RE =
  /^(?:表\s*[0-9一二三四五六七八九十百零〇]+(?:[-—.．][0-9]+)?|附表.*|(?:金额)?单位[:：].*|其他说明.*|备注.*|说明[:：].*|注[:：].*|[(（][一二三]级项目[)）]|填表人.*|审核人.*|联系人.*|联系电话.*)$/;
const PAGE_JUNK_RE = /^(?:[-—–_\s]*(?:第\s*)?\d+\s*(?:页)?(?:\s*[/／]\s*(?:共\s*)?\d+\s*页?)?[-—–_\s]*|第\s*\d+\s*页\s*[,，]?\s*共\s*\d+\s*页|[-—–_=*·.\s]+|!\[[^\]]*\]\([^)]*\)|<!--.*-->|<img[^>]*>)$/i;
/** The title of another table (`部门支出总表`, `政府采购预算明细表`): ends an indicator block. */
const OTHER_TABLE_TITLE_RE = /^[^\t|，。；：:]{2,40}(?:表|清单)(?:[(（][^)）]*[)）])?$/;
const UNIT_LABEL_RE = /^编制(?:单位)?[:：]?$/;

/**
 * `531-重庆市…` → {code: "531", name: "重庆市…"}; a name without a code keeps code null.
 * The rule is the vocabulary's (app/domain/vocabulary.ts), applied to the cleaned cell.
 */
export function splitCodeName(text: string | null | undefined): CodeName | null {
  return splitCodeNameText(cleanInline(text ?? ""));
}

function isLabelText(t: string): boolean {
  const c = t.replace(/\s+/g, "");
  return /^(?:年度)?绩效指标[:：]?$/.test(c) || (isVerticalFragment(t) && /^[部门单位整体绩效情况目标指标年度项目支出]+$/.test(c));
}

/** Year of the document title: the first `YYYY 年` among the opening lines that name a budget document. */
export function documentYear(rows: Row[]): number | null {
  const limit = Math.min(rows.length, 40);
  for (let i = 0; i < limit; i++) {
    const joined = rows[i].cells.join(" ");
    if (joined.length > 1000) continue; // a title is short; cleaning a long line costs time for nothing
    const t = cleanInline(joined);
    const m = /((?:19|20)\d{2})\s*年(?:度)?/.exec(t);
    if (m && /预算|决算|情况说明|公开|绩效|目标/.test(t) && t.length <= 120) return Number(m[1]);
  }
  return null;
}

function titleYear(title: string | null): number | null {
  if (!title) return null;
  const m = /((?:19|20)\d{2})\s*年/.exec(title);
  return m ? Number(m[1]) : null;
}

/** Department named by a 整体绩效目标表 title: `万盛经开区经济信息局 2022 年整体绩效目标表`. */
function departmentFromTitle(title: string | null): CodeName | null {
  if (!title) return null;
  const t = cleanInline(title)
    .replace(/^#+\s*/, "")
    .replace(/(?:19|20)\d{2}\s*年(?:度)?/g, "")
    .replace(/(?:部门|单位)?\s*[(（]?\s*(?:部门|单位)?\s*[)）]?\s*整体\s*绩效目标表.*$/, "")
    .replace(/^表\s*[0-9一二三四五六七八九十]+\s*/, "")
    .trim();
  if ((t.match(/[\u4e00-\u9fff]/g) ?? []).length < 4) return null;
  return splitCodeName(t);
}

// ---------------------------------------------------------------------------------------
// The parser

class DocumentParser {
  private readonly rows: Row[];
  private readonly file: string | null;
  private readonly year: number | null;
  private cur: Builder | null = null;
  private readonly done: Builder[] = [];
  private readonly orphanWarnings: DocumentWarning[] = [];
  private pendingTitle: { kind: Kind; text: string; line: number } | null = null;
  private pendingUnit: CodeName | null = null;
  private unitLabelRows = 0;
  private section: Section = emptySection();

  constructor(rows: Row[], opts: ParseOptions) {
    this.rows = rows;
    this.file = opts.file ?? null;
    this.year = documentYear(this.rows);
  }

  run(): ParsedDocument {
    for (let i = 0; i < this.rows.length; i++) i = this.step(i);
    return this.finish();
  }

  /** As run(), giving the event loop a turn every `sliceMs` of work (a server stays responsive). */
  async runAsync(sliceMs: number): Promise<ParsedDocument> {
    let until = Date.now() + sliceMs;
    for (let i = 0, n = 1; i < this.rows.length; i++, n++) {
      i = this.step(i);
      if ((n & 127) === 0 && Date.now() > until) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        until = Date.now() + sliceMs;
      }
    }
    return this.finish();
  }

  private finish(): ParsedDocument {
    if (this.cur) this.finishCurrent();
    return this.result();
  }

  /** Reads row i (and the rows it consumes); returns the index of the last row read. */
  private step(i: number): number {
    const row = this.rows[i];
    if (this.unitLabelRows > 0) this.unitLabelRows--;

    const header = this.tryHeader(i);
    if (header) {
      this.onHeader(header.header, row);
      return i + header.consumed - 1;
    }
    const hits = readFieldRow(row.cells);
    // A weak label (部门, 预算执行率…) is a field only inside a header block (ADR 023).
    const inHeader = this.cur?.mode === "fields" || this.pendingTitle !== null;
    if (hits && (hits.some((h) => h.valid) || this.cur?.mode === "fields") && (!hits[0].weak || inHeader)) {
      this.onFields(hits, row);
      return i;
    }
    let nonEmpty = 0;
    let only = "";
    for (const c of row.cells) {
      if (c.trim() !== "") {
        nonEmpty++;
        only = c;
      }
    }
    if (nonEmpty === 1) return this.onText(only, row, i);
    const cur = this.cur;
    if (cur && cur.mode === "indicators") {
      return this.onData(row.cells, row, i);
    } else if (cur && cur.mode === "fields") {
      this.onFieldsModeRow(row);
    } else if (cur && cur.mode === "ended" && cur.columns) {
      this.onStrayRow(cur, cur.columns, row);
    }
    return i;
  }

  // --- tables ------------------------------------------------------------------------

  private startTable(kind: Kind, line: number): Builder {
    if (this.cur) this.finishCurrent();
    const b: Builder = {
      kind,
      line,
      title: null,
      fields: new Map(),
      unit: null,
      columns: null,
      mode: "fields",
      indicators: [],
      warnings: [],
      lastProse: null,
      pendingNumber: null,
      prevLevel1: null,
      prevLevel2: null,
      section: this.section,
    };
    this.section = emptySection();
    if (this.pendingTitle) {
      b.title = this.pendingTitle.text;
      this.pendingTitle = null;
    }
    if (this.pendingUnit) {
      b.unit = this.pendingUnit;
      this.pendingUnit = null;
    }
    this.cur = b;
    return b;
  }

  private finishCurrent(): void {
    const b = this.cur;
    if (!b) return;
    this.cur = null;
    if (b.pendingNumber) this.expirePendingNumber(b);
    this.done.push(b);
  }

  private warn(b: Builder | null, line: number | null, code: string, message: string): void {
    if (b) b.warnings.push({ line, code, message });
    else this.orphanWarnings.push({ line, code, message });
  }

  /** Marks the end of the current table's indicator block (title, 表N, 其他说明…). */
  private endCurrent(): void {
    if (this.cur) this.cur.mode = "ended";
  }

  // --- indicator header ----------------------------------------------------------------

  /** An indicator header at row i, possibly broken over 2–3 adjacent lines. */
  private tryHeader(i: number): { header: Header; consumed: number } | null {
    const rows = this.rows;
    const a = spacedCells(rows[i]);
    let best: { header: Header; consumed: number } | null = null;
    const h1 = readHeader(a);
    if (h1) best = { header: h1, consumed: 1 };
    if (headerWordCount(a) < 2) return best;
    const candidates: Array<{ cells: string[]; consumed: number }> = [];
    const b = rows[i + 1];
    if (b && b.line - rows[i].line <= 2) {
      for (const m of mergeCells(a, b.cells)) candidates.push({ cells: m, consumed: 2 });
      const c = rows[i + 2];
      if (c && c.line - b.line <= 2) {
        for (const m of mergeCells(a, b.cells)) for (const m2 of mergeCells(m, c.cells)) candidates.push({ cells: m2, consumed: 3 });
      }
    }
    for (const cand of candidates) {
      const h = readHeader(cand.cells);
      if (h && (!best || h.quality > best.header.quality)) best = { header: h, consumed: cand.consumed };
    }
    return best;
  }

  private onHeader(header: Header, row: Row): void {
    let cur = this.cur;
    if (!cur || cur.mode === "ended" || this.pendingTitle) {
      cur = this.startTable(this.pendingTitle?.kind ?? "project", row.line);
    }
    cur.columns = header.columns;
    cur.mode = "indicators";
    cur.lastProse = null;
    if (cur.pendingNumber) this.expirePendingNumber(cur);
  }

  // --- header fields -------------------------------------------------------------------

  private onFields(hits: FieldHit[], row: Row): void {
    const rest: FieldHit[] = [];
    for (const h of hits) {
      if (h.key === "unit") {
        const u = splitCodeName(h.value);
        if (!u) continue;
        if (this.cur && this.cur.mode === "fields" && !this.cur.unit && this.cur.fields.size) this.cur.unit = u;
        else this.pendingUnit = u;
      } else rest.push(h);
    }
    if (!rest.length) return;

    const isDept = rest.some((h) => DEPARTMENT_FIELDS.has(h.key));
    const nameHit = rest.find((h) => h.key === "projectName" && h.value.trim());
    const cur = this.cur;
    let fresh = false;
    if (!cur || this.pendingTitle) fresh = true;
    else if (isDept && cur.kind !== "department") fresh = true;
    else if (nameHit && cur.kind === "department") fresh = true;
    else if (cur.mode !== "fields") {
      // After the indicators: a new table, unless the same project's header is repeated.
      const sameName = nameHit && cur.fields.get("projectName") && cleanInline(cur.fields.get("projectName")!.value) === cleanInline(nameHit.value);
      fresh = !sameName;
    } else {
      for (const h of rest) {
        const prev = cur.fields.get(h.key);
        if (h.valid && h.value.trim() && prev && cleanInline(prev.value) !== cleanInline(h.value)) {
          fresh = true;
          break;
        }
      }
    }
    let b: Builder;
    if (fresh) b = this.startTable(isDept ? "department" : nameHit ? "project" : (this.pendingTitle?.kind ?? "project"), row.line);
    else {
      b = cur!;
      b.mode = "fields";
    }

    for (const h of rest) {
      if (!h.valid) {
        if (h.key === "departmentBudget" || h.key === "budgetTotal") {
          // `预算支出总额 | 基本支出 | 项目支出` then a row of amounts: the first amount is the total.
          b.pendingNumber = { key: h.key, rowsLeft: 3, line: row.line, raw: h.value, skipped: [] };
        } else {
          this.warn(b, row.line, "field_unreadable", `第${row.line}行：无法识别「${fieldLabel(h.key)}」的内容「${cleanInline(h.value).slice(0, 40)}」，已留空`);
        }
        continue;
      }
      if (!h.value.trim()) {
        if (PROSE_FIELDS.has(h.key)) b.lastProse = null;
        continue;
      }
      if (!b.fields.has(h.key)) b.fields.set(h.key, { value: h.value, line: row.line });
      b.lastProse = PROSE_FIELDS.has(h.key) ? h.key : null;
    }
  }

  /** A multi-cell row in a header block that names no field. */
  private onFieldsModeRow(row: Row, b: Builder = this.cur!): void {
    if (b.pendingNumber) {
      for (const c of row.cells) {
        const v = parseDecimal(cleanInline(c));
        if (v !== null && cleanInline(c) !== "") {
          if (!b.fields.has(b.pendingNumber.key)) b.fields.set(b.pendingNumber.key, { value: c, line: row.line });
          b.pendingNumber = null;
          return;
        }
      }
      b.pendingNumber.skipped.push(row);
      if (--b.pendingNumber.rowsLeft <= 0) this.expirePendingNumber(b);
      return;
    }
    const first = row.cells.find((c) => c.trim() !== "") ?? "";
    const label = cleanInline(first);
    if (label.length <= 12 && !/\d/.test(label)) {
      this.warn(b, row.line, "field_unknown", `第${row.line}行：未识别的表头字段「${label}」，已忽略`);
    } else {
      this.warn(b, row.line, "row_unreadable", `第${row.line}行：无法识别的表头行「${cleanInline(row.cells.join(" ")).slice(0, 40)}」，已忽略`);
    }
  }

  private expirePendingNumber(b: Builder): void {
    const p = b.pendingNumber!;
    b.pendingNumber = null;
    // The rows read while looking for the amount were not its column headings after all.
    for (const r of p.skipped) this.onFieldsModeRow(r, b);
    const raw = p.raw.split("\n").map((x) => cleanInline(x)).filter(Boolean).join(" ").slice(0, 40);
    this.warn(b, p.line, "field_unreadable", raw ? `第${p.line}行：无法识别「${fieldLabel(p.key)}」的金额「${raw}」，已留空` : `第${p.line}行：没有找到「${fieldLabel(p.key)}」的金额，已留空`);
  }

  // --- text lines ----------------------------------------------------------------------

  private onText(cell: string, row: Row, i: number): number {
    if (cell.length > LONG_TEXT) return this.onLongText(cell, row, i);
    const t = cleanInline(cell);
    const cur = this.cur;
    if (isLabelText(cell.trim()) || isLabelText(t)) return i;
    if (TITLE_RE.test(t) && t.length <= 80 && !/[。；]$/.test(t)) {
      // `…绩效目标表（续）` repeats the title on the next page: the table goes on.
      if (/[(（]\s*续\s*[)）]\s*$|续表$/.test(t) && cur && cur.mode === "indicators") return i;
      this.endCurrent();
      this.pendingTitle = { kind: /整体/.test(t) ? "department" : "project", text: t, line: row.line };
      return i;
    }
    if (UNIT_LABEL_RE.test(keyOf(cell))) {
      this.endCurrent();
      this.unitLabelRows = 6;
      return i;
    }
    if (this.unitLabelRows > 0 && t.length <= 60) {
      const u = splitCodeNameText(t);
      if (u?.code && u.name) {
        this.pendingUnit = u;
        this.unitLabelRows = 0;
        return i;
      }
    }
    if (END_MARKER_RE.test(t.replace(/\s+/g, "")) || END_MARKER_RE.test(t) || OTHER_TABLE_TITLE_RE.test(t)) {
      if (cur && cur.mode === "indicators") cur.mode = "ended";
      return i;
    }
    if (PAGE_JUNK_RE.test(t)) return i;
    if (!cur || cur.mode !== "fields") {
      // Outside a header block: a numbered heading starts the section of the next table
      // (its project's name, docs/decisions/023-one-vocabulary.md); other lines are its prose.
      const heading = headingText(t);
      if (heading !== null && !(cur?.mode === "indicators" && this.levelLabel(cur, heading))) {
        if (cur && cur.mode === "indicators") cur.mode = "ended";
        this.section = { heading: { text: heading, line: row.line }, prose: [], chars: 0 };
        return i;
      }
      if (!cur || cur.mode === "ended") {
        this.addProse(t, row.line);
        return i;
      }
    }
    if (!cur) return i;

    if (cur.mode === "indicators") {
      if (t.length <= 12 && this.levelLabel(cur, t)) return i;
      // A plain-text row whose columns are separated by runs of spaces.
      const parts = spacedCells(row);
      if (parts.length >= 2 && cur.columns) return this.onData(parts, row, i);
      // A row whose cell separators were lost: split by the 一级/二级 names it begins with.
      const glued = cur.columns && t.length <= 120 ? gluedRowCells(cur.columns, cell) : null;
      if (glued) return this.onData(glued, row, i, t);
      if (t.length > 40) {
        cur.mode = "ended";
        this.addProse(t, row.line);
        return i;
      }
      this.warn(cur, row.line, "line_ignored", `第${row.line}行：绩效指标中无法识别的行「${t.slice(0, 40)}」，已忽略`);
      return i;
    }
    if (cur.mode === "fields") {
      if (cur.lastProse) {
        const f = cur.fields.get(cur.lastProse);
        if (f) f.value += "\n" + cell.trim();
        return i;
      }
      if (cur.pendingNumber) {
        this.onFieldsModeRow(row);
        return i;
      }
      this.warn(cur, row.line, "line_ignored", `第${row.line}行：表头中无法识别的内容「${t.slice(0, 40)}」，已忽略`);
    }
    return i;
  }

  /**
   * A line too long to be a title, a label or a marker (those are short): only prose goes on
   * with it. Read as onText reads such a line, without trying every pattern on it.
   */
  private onLongText(cell: string, row: Row, i: number): number {
    const cur = this.cur;
    if (!cur) {
      this.addProse(cell, row.line);
      return i;
    }
    if (cur.mode === "indicators") cur.mode = "ended";
    if (cur.mode === "ended") this.addProse(cell, row.line);
    else if (cur.mode === "fields") {
      const f = cur.lastProse ? cur.fields.get(cur.lastProse) : undefined;
      if (f) f.value += "\n" + cell.trim();
      else if (cur.pendingNumber) this.onFieldsModeRow(row);
      else this.warn(cur, row.line, "line_ignored", `第${row.line}行：表头中无法识别的内容「${cleanInline(cell.slice(0, 200)).slice(0, 40)}」，已忽略`);
    }
    return i;
  }

  // --- indicator rows ------------------------------------------------------------------

  /** A row after the end of a table that reads as a complete indicator: reported, not guessed into a table. */
  private onStrayRow(b: Builder, columns: Column[], row: Row): void {
    // Only right after the table: once another table's rows begin, they are not ours.
    if (b.strayDone) return;
    const al = alignRow(columns, row.cells);
    const r = al.dropped.length ? null : this.readIndicator(b, columns, al.values, row.line);
    if (!r || !r.complete || /^(?:合计|小计|总计)$/.test(r.indicator.name ?? "")) {
      b.strayDone = true;
      return;
    }
    this.warn(
      this.pendingTitle ? null : b,
      row.line,
      "row_outside_table",
      `第${row.line}行像是一行绩效指标（「${r.indicator.name}」），但不在任何绩效目标表中（前面没有表头），已忽略`,
    );
  }

  /** An indicator row; `glued` is the line when its cells were recovered from lost separators. */
  private onData(cells: string[], row: Row, i: number, glued?: string): number {
    const b = this.cur!;
    const columns = b.columns!;
    if (glued === undefined) {
      const split = splitGluedFirstCell(columns, cells);
      if (split) {
        glued = cleanInline(cells.find((c) => c.trim() !== "") ?? "");
        cells = split;
      }
    }
    let al = alignRow(columns, cells);
    let read = this.readIndicator(b, columns, al.values, row.line);
    let consumed = 0;
    if (!read.complete) {
      // A row broken over two lines (a cell with a line break): join it with the next one.
      const next = this.rows[i + 1];
      // Joined, the two rows fill every column without a dropped cell, or they are not one row:
      // more cells than columns (the joined cell counts once) can never be.
      const fits = () => placeableCount(cells) + placeableCount(next.cells) - 1 <= columns.length;
      if (next && next.line - row.line <= 2 && fits() && !readHeader(next.cells) && !readFieldRow(next.cells)) {
        for (const merged of mergeCells(cells, next.cells)) {
          const al2 = alignRow(columns, merged);
          const r2 = this.readIndicator(b, columns, al2.values, row.line);
          if (r2.complete && al2.dropped.length === 0) {
            al = al2;
            read = r2;
            consumed = 1;
            this.warn(b, row.line, "row_joined", `第${row.line}–${next.line}行：一行指标被换行拆开，已合并为一行`);
            break;
          }
        }
      }
    }
    if (!read.indicator.name && !read.hasData) {
      this.warn(b, row.line, "row_unreadable", `第${row.line}行：无法识别的指标行「${cleanInline(cells.join(" ")).slice(0, 60)}」，已忽略`);
      return i + consumed;
    }
    // Commit: warnings of the final reading, then the indicator.
    if (glued !== undefined) {
      this.warn(b, row.line, "row_split", `第${row.line}行：单元格分隔符丢失，已按一级/二级指标名称拆分「${glued.slice(0, 60)}」（推断，请核对）`);
    }
    for (const w of read.warnings) this.warn(b, w.line, w.code, w.message);
    if (al.dropped.length) {
      const shown = al.dropped.slice(0, 5).map((d) => cleanInline(d.slice(0, 200)).slice(0, 40));
      const more = al.dropped.length > 5 ? `等 ${al.dropped.length} 个单元格` : "";
      this.warn(b, row.line, "cell_unplaced", `第${row.line}行：「${shown.join("」「")}」${more}无法对应到任何列，已忽略`);
    }
    if (!read.indicator.name) {
      this.warn(b, row.line, "indicator_name_missing", `第${row.line}行：指标没有名称`);
    }
    b.indicators.push(read.indicator);
    if (read.indicator.level1) b.prevLevel1 = read.indicator.level1;
    if (read.indicator.level2) b.prevLevel2 = read.indicator.level2;
    return i + consumed;
  }

  /** Reads one aligned row; does not touch the builder except to read inherited levels. */
  private readIndicator(
    b: Builder,
    columns: Column[],
    values: string[],
    line: number,
  ): { indicator: Indicator; complete: boolean; hasData: boolean; warnings: TableWarning[] } {
    const warnings: TableWarning[] = [];
    const col = (t: Column["type"]): string | undefined => {
      const k = columns.findIndex((c) => c.type === t);
      return k < 0 ? undefined : values[k];
    };
    const raw: NonNullable<Indicator["raw"]> = {};
    if (values.some((v, k) => v.length > MAX_VALUE_CHARS && columns[k].type !== "name" && columns[k].type !== "unknown")) {
      // A value, level or unit of thousands of characters is none: not handed to the parsers.
      const name = cleanInline((col("name") ?? "").slice(0, 200)).slice(0, 40);
      values = values.map((v, k) => {
        if (v.length <= MAX_VALUE_CHARS || columns[k].type === "name" || columns[k].type === "unknown") return v;
        warnings.push({ line, code: "value_too_long", message: `第${line}行：指标「${name}」的「${columns[k].text || columns[k].type}」过长（${v.length} 个字符），无法识别，已留空` });
        return "";
      });
    }

    let level1: string | null = null;
    let level2: string | null = null;
    const l1Cell = col("level1");
    const l2Cell = col("level2");
    let inherited = false;
    if (l1Cell !== undefined) {
      const c = cleanInline(l1Cell);
      if (c) {
        const n = normalizeLevel1(c);
        level1 = n.value;
        if (n.value !== c) raw.level1 = c;
      } else if (b.prevLevel1) {
        level1 = b.prevLevel1;
        inherited = true;
      }
    }
    if (l2Cell !== undefined) {
      const c = cleanInline(l2Cell);
      if (c) {
        const n = normalizeLevel2(c);
        level2 = n.value;
        if (n.value !== c) raw.level2 = c;
      } else if (b.prevLevel2 && (inherited || (level1 !== null && level1 === b.prevLevel1))) {
        level2 = b.prevLevel2;
      }
    }

    const name = cleanInline(col("name") ?? "") || null;

    let weight: number | null = null;
    const wCell = col("weight");
    const wText = cleanInline(wCell ?? "");
    if (wText) {
      const w = weightValue(wText);
      if (w === null) {
        raw.weight = wText;
        warnings.push({ line, code: "weight_unreadable", message: `第${line}行：指标「${name ?? ""}」的权重「${wText}」不是数字` });
      } else {
        weight = Number(w);
        if (String(weight) !== wText) raw.weight = wText;
      }
    }

    const opCell = col("operator");
    const tCell = col("target");
    const uCell = col("unit");
    let opText = cleanInline(opCell ?? "");
    let tText = cleanInline(tCell ?? "");
    const uText = cleanInline(uCell ?? "");
    // `定性：建成 3 个示范村` in the value cell: the operator and the level, digits kept.
    const level = opText === "" || opText === "定性" ? qualitativeTarget(tText) : null;
    if (level !== null) {
      raw.target = tText;
      opText = "定性";
      tText = level;
    }
    let operator: Indicator["operator"] = null;
    let target: string | null = null;
    let unit: string | null = null;
    if (opCell !== undefined || tCell !== undefined) {
      const v = parseCells(opText, tText, uText);
      if (v.ok) {
        operator = v.operator;
        target = v.qualitative ? v.text : v.value;
        unit = v.unit;
        if (opText && opText !== operator) raw.operator = opText;
        if (tText && tText !== target && raw.target === undefined) raw.target = tText;
      } else {
        operator = normalizeOperator(opText);
        unit = normalizeUnit(uText);
        if (opText && opText !== operator) raw.operator = opText;
        if (tText && raw.target === undefined) raw.target = tText;
        warnings.push({ line, code: "value_unreadable", message: `第${line}行：指标「${name ?? ""}」的指标值无法识别：${v.error}` });
      }
    } else if (uCell !== undefined) {
      unit = normalizeUnit(uText);
    }

    let core: boolean | null = null;
    const cCell = col("core");
    if (cCell !== undefined) {
      const c = coreValue(cCell);
      if (c === undefined) {
        warnings.push({ line, code: "core_unreadable", message: `第${line}行：指标「${name ?? ""}」的“是否核心指标”「${cleanInline(cCell)}」无法识别（应为 是/否）` });
      } else core = c;
    }

    const indicator: Indicator = { level1, level2, name, weight, unit, operator, target, core };
    if (Object.keys(raw).length) indicator.raw = raw;
    indicator.line = line;

    const hasData = !!(wText || opText || tText);
    // Complete: every column the header has is filled (a unit only for quantitative values;
    // levels may be inherited from merged cells). Incomplete rows may be broken over lines.
    const complete =
      !!name &&
      warnings.length === 0 &&
      (wCell === undefined || !!wText) &&
      (tCell === undefined || !!tText) &&
      (opCell === undefined || !!opText) &&
      (cCell === undefined || core !== null) &&
      (uCell === undefined || !!uText || operator === "定性");
    return { indicator, complete, hasData, warnings };
  }

  // --- result --------------------------------------------------------------------------

  private result(): ParsedDocument {
    const tables: ExchangeTable[] = [];
    const warnings: DocumentWarning[] = [...this.orphanWarnings];
    for (const b of this.done) {
      if (!b.columns && !b.title && b.fields.size < 3 && b.indicators.length === 0) {
        warnings.push({
          line: b.line,
          code: "table_incomplete",
          message: `第${b.line}行：只有零散的表头字段（${[...b.fields.keys()].map(fieldLabel).join("、")}），没有绩效指标，未作为绩效目标表导入`,
        });
        continue;
      }
      const t = this.build(b);
      tables.push(t);
      warnings.push(...(t.warnings ?? []));
    }
    if (!tables.length) {
      warnings.push({ line: null, code: "no_tables", message: "文档中没有找到项目绩效目标表或部门（单位）整体绩效目标表" });
    }
    warnings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return { tables, warnings, year: this.year };
  }

  private build(b: Builder): ExchangeTable {
    const f = (k: FieldKey): string | null => b.fields.get(k)?.value ?? null;
    const num = (k: FieldKey): number | null => {
      const v = f(k);
      if (v == null) return null;
      const d = parseDecimal(cleanInline(v));
      return d === null ? null : Number(d);
    };
    const prose = (k: FieldKey): string | null => cleanProse(f(k));
    const warnings = [...b.warnings];
    const year = this.tableYear(b, warnings);
    const base = {
      format: EXCHANGE_FORMAT,
      kind: b.kind,
      year,
    } as const;
    if (b.kind === "department") {
      const department = splitCodeName(f("departmentName")) ?? departmentFromTitle(b.title);
      return {
        ...base,
        department,
        unit: b.unit,
        project: null,
        overall: {
          budget: num("departmentBudget"),
          midTermGoal: prose("overallMidTermGoal") ?? prose("midTermGoal"),
          annualGoal: prose("overallGoal") ?? prose("annualGoal"),
        },
        budgetExecutionWeight: num("budgetExecutionWeight"),
        indicators: b.indicators,
        source: { file: this.file, line: b.line },
        warnings: byLine(warnings),
      };
    }
    const project = emptyProjectHeader();
    const split = splitProjectName(cleanInline(f("projectName") ?? ""), cleanInline(f("projectCode") ?? ""));
    if (split.conflict) {
      warnings.push({ line: b.fields.get("projectName")!.line, code: "code_conflict", message: `项目名称前的编码「${split.conflict}」与项目编码「${split.code}」不一致，采用项目编码` });
    }
    const name = split.name ?? this.inferredName(b, warnings);
    project.name = name;
    project.code = split.code;
    project.category = cleanInline(f("category") ?? "") || null;
    project.financeOffice = splitCodeName(f("financeOffice"));
    project.budget = { total: num("budgetTotal"), local: num("budgetLocal"), superior: num("budgetSuperior") };
    if (!b.fields.has("budgetTotal") && !b.fields.has("budgetLocal") && !b.fields.has("budgetSuperior")) {
      project.budget = this.proseBudget(b, warnings);
    }
    project.overview = prose("overview");
    project.basis = prose("basis");
    project.schedule = prose("schedule");
    project.measures = prose("measures");
    project.midTermGoal = prose("midTermGoal");
    project.annualGoal = prose("annualGoal");
    const sorted = byLine(warnings);
    if (!name) {
      sorted.unshift({
        line: b.line,
        code: "name_missing",
        message: `第${b.line}行起的项目绩效目标表没有项目名称（表头可能在分页处丢失），已作为单独的表导入，未并入上一个项目`,
      });
    }
    return {
      ...base,
      department: splitCodeName(f("department")),
      unit: b.unit,
      project,
      overall: null,
      budgetExecutionWeight: num("budgetExecutionWeight"),
      indicators: b.indicators,
      source: { file: this.file, line: b.line },
      warnings: sorted,
    };
  }

  // --- values the table does not state (docs/decisions/023-one-vocabulary.md) ------------

  /**
   * The table's year: a 年度 field, then the year its title gives as its own (`（2023 年度
   * 目标）`, marked when it is not the document's), then the document's, then any year in the title.
   */
  private tableYear(b: Builder, warnings: TableWarning[]): number | null {
    const field = b.fields.get("year");
    const own = field ? yearValue(field.value) : null;
    if (own !== null) return own;
    const target = targetYear(b.title);
    if (target !== null) {
      if (target !== this.year) {
        const doc = this.year !== null ? `（文档标题的年度为 ${this.year}）` : "";
        warnings.push({ line: b.line, code: "year_from_title", message: `年度 ${target} 取自表题「${b.title}」${doc}（推断，请核对）` });
      }
      return target;
    }
    return this.year ?? titleYear(b.title);
  }

  /** A project name from the table's title, else from the numbered heading of its section. */
  private inferredName(b: Builder, warnings: TableWarning[]): string | null {
    const fromTitle = projectFromTitle(b.title);
    if (fromTitle) {
      warnings.push({ line: b.line, code: "name_from_title", message: `项目名称「${fromTitle}」取自表题「${b.title}」（推断，请核对）` });
      return fromTitle;
    }
    const h = b.section.heading;
    const fromHeading = h ? projectFromHeading(h.text) : null;
    if (h && fromHeading) {
      warnings.push({ line: h.line, code: "name_from_heading", message: `第${h.line}行：项目名称「${fromHeading}」取自表前的标题「${h.text}」（推断，请核对）` });
      return fromHeading;
    }
    return null;
  }

  /**
   * The budget stated in the prose of the table's section (`2023 年该项目预算 320 万元，其中上级
   * 补助 120 万元`), in 万元; a missing part is the difference of the other two. Only for a
   * table with a section of its own (a heading or a title before it).
   */
  private proseBudget(b: Builder, warnings: TableWarning[]): { total: number | null; local: number | null; superior: number | null } {
    const none = { total: null, local: null, superior: null };
    if (!b.section.heading && !b.title) return none;
    const found = budgetFromProse(b.section.prose);
    const parts: BudgetPart[] = ["budgetTotal", "budgetLocal", "budgetSuperior"];
    if (!parts.some((p) => found[p])) return none;
    const values: Record<BudgetPart, Dec | null> = {
      budgetTotal: found.budgetTotal ? Dec.of(found.budgetTotal.value) : null,
      budgetLocal: found.budgetLocal ? Dec.of(found.budgetLocal.value) : null,
      budgetSuperior: found.budgetSuperior ? Dec.of(found.budgetSuperior.value) : null,
    };
    for (const p of parts) {
      const a = found[p];
      if (a) warnings.push({ line: a.line, code: "budget_from_prose", message: `第${a.line}行：${fieldLabel(p)} ${a.value} 万元取自正文「${a.quote}」（推断，请核对）` });
    }
    const derive = (p: BudgetPart, value: Dec, how: string) => {
      if (value.sign() <= 0) return;
      values[p] = value;
      warnings.push({ line: b.line, code: "budget_derived", message: `${fieldLabel(p)} ${value.toString()} 万元由${how}算出（推断，请核对）` });
    };
    const { budgetTotal: t, budgetLocal: l, budgetSuperior: u } = values;
    if (t && u && !l) derive("budgetLocal", t.sub(u), "当年预算减上级补助");
    else if (t && l && !u) derive("budgetSuperior", t.sub(l), "当年预算减本级安排");
    else if (!t && l && u) derive("budgetTotal", l.add(u), "本级安排加上级补助");
    const n = (d: Dec | null) => (d === null ? null : d.toNumber());
    return { total: n(values.budgetTotal), local: n(values.budgetLocal), superior: n(values.budgetSuperior) };
  }

  private addProse(text: string, line: number): void {
    const s = this.section;
    if (s.chars >= MAX_PROSE_CHARS) return;
    const t = text.length > MAX_PROSE_CHARS - s.chars ? text.slice(0, MAX_PROSE_CHARS - s.chars) : text;
    s.prose.push({ text: t, line });
    s.chars += t.length;
  }

  /** A 一级 group label on its own line (a merged cell): the rows below inherit it. */
  private levelLabel(b: Builder, text: string): boolean {
    const lvl = normalizeLevel1(text);
    if (!lvl.known || text.length > 12) return false;
    b.prevLevel1 = lvl.value;
    b.prevLevel2 = null;
    return true;
  }
}

/** Warnings in line order (stable: those of one line keep their order). */
function byLine(warnings: TableWarning[]): TableWarning[] {
  return [...warnings].sort((x, y) => (x.line ?? 0) - (y.line ?? 0));
}

/**
 * The cells of a one-cell line whose separators were lost (`效益指标社会效益指标群众知晓率 95%`):
 * the 一级/二级 names it begins with, the indicator's name and its value cells; null unless
 * it begins with a level name the header has a column for.
 */
function gluedRowCells(columns: Column[], cell: string): string[] | null {
  // Spaces kept (not joined as cleanInline joins Chinese characters): they separate the value.
  const sp = splitLevelPrefix(stripMarkup(cell).replace(/\s+/g, " "));
  if (!sp || !levelsFit(columns, sp)) return null;
  const nv = splitNameValue(sp.rest);
  if (!nv) return null;
  return [...levelCells(sp), nv.name, ...nv.values];
}

/**
 * A row whose first cell holds both levels and the name (`产出指标数量指标养护里程 | ≥ | 150`):
 * the cells with that one split, or null.
 */
function splitGluedFirstCell(columns: Column[], cells: string[]): string[] | null {
  const at = cells.findIndex((c) => c.trim() !== "");
  // Two level names glued take 8 characters at least (产出指标数量指标).
  if (at < 0 || cells[at].length < 8 || cells[at].length > 120) return null;
  const sp = splitLevelPrefix(cleanInline(cells[at]));
  if (!sp || !sp.level1 || !sp.level2 || !levelsFit(columns, sp)) return null;
  return [...cells.slice(0, at), ...levelCells(sp), ...(sp.rest ? [sp.rest] : []), ...cells.slice(at + 1)];
}

function levelsFit(columns: Column[], sp: { level1: string | null; level2: string | null }): boolean {
  const has = (t: Column["type"]) => columns.some((c) => c.type === t);
  return (!sp.level1 || has("level1")) && (!sp.level2 || has("level2"));
}

function levelCells(sp: { level1: string | null; level2: string | null }): string[] {
  const out: string[] = [];
  if (sp.level1) out.push(sp.level1);
  if (sp.level2) out.push(sp.level2);
  return out;
}

/** Cells of a row; a plain-text line with columns separated by runs of spaces is split. */
function spacedCells(row: Row): string[] {
  if (row.kind !== "text" || !/\S(?: {2,}|\u3000+)\S/.test(row.cells[0])) return row.cells;
  return row.cells[0].trim().split(/ {2,}|\u3000+/);
}

/** Two ways to join a row broken over two lines: cells appended, or the broken cell rejoined. */
function mergeCells(a: string[], b: string[]): string[][] {
  const out: string[][] = [[...a, ...b]];
  if (a.length && b.length) {
    out.push([...a.slice(0, -1), a[a.length - 1] + b[0], ...b.slice(1)]);
  }
  return out;
}

/**
 * Finds every 项目绩效目标表 and 部门（单位）整体绩效目标表 in a document and returns them as
 * exchange tables, with the warnings of everything that could not be read.
 */
export function parseDocument(text: string, opts: ParseOptions = {}): ParsedDocument {
  return new DocumentParser(splitRows(text), opts).run();
}

/**
 * parseDocument for a server: the same result, but the event loop gets a turn after every
 * `sliceMs` milliseconds of reading, so that other requests are answered meanwhile.
 */
export async function parseDocumentAsync(text: string, opts: ParseOptions & { sliceMs?: number } = {}): Promise<ParsedDocument> {
  const slice = opts.sliceMs ?? 20;
  return new DocumentParser(await splitRowsAsync(text, slice), opts).runAsync(slice);
}
