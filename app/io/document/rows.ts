// Splits a document into rows of cells, keeping 1-based line numbers. Understands
// tab-separated lines, Markdown pipe tables and HTML tables (`<tr><td>…`); any other
// line is a one-cell text row. Blank lines, Markdown separator rows (`|---|---|`) and
// rows whose cells are all empty are dropped. Pure TypeScript (no I/O).
import { DocumentInputError } from "./input";

export interface Row {
  /** 1-based line of the row in the document (for HTML tables: the line of `<tr>`). */
  line: number;
  /** Cells as written (trimmed; markup is kept: callers clean what they read). */
  cells: string[];
  kind: "text" | "tsv" | "md" | "html";
}

const MD_SEPARATOR = /^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$/;

/** Splits one Markdown table line (`| a | b |`) into cells; `\|` is a literal bar. */
function splitPipes(line: string): string[] {
  let s = line.trim();
  if (s.startsWith("|")) s = s.slice(1);
  if (s.endsWith("|") && !s.endsWith("\\|")) s = s.slice(0, -1);
  if (s.indexOf("\\") < 0) return s.split("|").map((c) => c.trim());
  const cells: string[] = [];
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\\" && s[i + 1] === "|") {
      cur += "|";
      i++;
    } else if (c === "|") {
      cells.push(cur.trim());
      cur = "";
    } else cur += c;
  }
  cells.push(cur.trim());
  return cells;
}

function pushLine(rows: Row[], raw: string, line: number): void {
  const text = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const trimmed = text.trim();
  if (trimmed === "") return;
  if (trimmed.startsWith("|") && trimmed.indexOf("|", 1) > 0) {
    if (MD_SEPARATOR.test(trimmed)) return;
    const cells = splitPipes(trimmed);
    if (cells.every((c) => c === "")) return;
    pushRow(rows, { line, cells, kind: "md" });
    return;
  }
  if (text.indexOf("\t") >= 0) {
    const cells = text.split("\t").map((c) => c.trim());
    if (cells.every((c) => c === "")) return;
    pushRow(rows, { line, cells, kind: "tsv" });
    return;
  }
  pushRow(rows, { line, cells: [trimmed], kind: "text" });
}

/** Rows of text[from, to) (lines ended by \r\n, \r or \n), pausing (yield) every 1,024 lines. */
function* pushLines(rows: Row[], text: string, from: number, to: number, firstLine: number): Generator<void> {
  let nextN = text.indexOf("\n", from);
  let nextR = text.indexOf("\r", from);
  let start = from;
  for (let line = firstLine; ; line++) {
    // Each search moves forward only: the positions found are reused until passed.
    if (nextN >= 0 && nextN < start) nextN = text.indexOf("\n", start);
    if (nextR >= 0 && nextR < start) nextR = text.indexOf("\r", start);
    let end = to;
    if (nextN >= 0 && nextN < end) end = nextN;
    if (nextR >= 0 && nextR < end) end = nextR;
    pushLine(rows, text.slice(start, end), line);
    if (end >= to) return;
    start = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 && end + 1 < to ? 2 : 1);
    if ((line & 1023) === 0) yield;
  }
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i >= 0 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

// HTML is scanned with indexOf, never with patterns like `<table\b[^>]*>`: on input without
// `>` such a pattern rescans the rest of the text from every `<table`, quadratic time
// (240 KB of "<table" took 15–25 s). Every scan below moves forward only
// (docs/decisions/016-hostile-input.md).

const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff || c === 0x3000 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x1680 || c === 0x202f || c === 0x205f;

/** True when `name` (lower case) is written at `at`, in any case, followed by a non-word character. */
function nameAt(s: string, at: number, name: string): boolean {
  if (at + name.length > s.length) return false;
  for (let k = 0; k < name.length; k++) if ((s.charCodeAt(at + k) | 0x20) !== name.charCodeAt(k)) return false;
  return !isWordChar(s.charCodeAt(at + name.length));
}

/** Index of the next `<name` (a start tag; `\b` after the name) in [from, to), or -1. */
function findOpen(s: string, names: readonly string[], from: number, to: number): number {
  for (let i = s.indexOf("<", from); i >= 0 && i < to; i = s.indexOf("<", i + 1)) {
    for (const n of names) if (nameAt(s, i + 1, n)) return i;
  }
  return -1;
}

/** Index of the next `</name` in [from, to), or -1 (`\b` is not required, as before). */
function findClosePrefix(s: string, name: string, from: number, to: number): number {
  for (let i = s.indexOf("</", from); i >= 0 && i < to; i = s.indexOf("</", i + 1)) {
    let k = 0;
    while (k < name.length && (s.charCodeAt(i + 2 + k) | 0x20) === name.charCodeAt(k)) k++;
    if (k === name.length) return i;
  }
  return -1;
}

/** The next complete end tag `</name\s*>` in [from, len): its start and end, or null. */
function findEndTag(s: string, name: string, from: number): { start: number; end: number } | null {
  for (let i = findClosePrefix(s, name, from, s.length); i >= 0; i = findClosePrefix(s, name, i + 2, s.length)) {
    let j = i + 2 + name.length;
    while (j < s.length && isSpace(s.charCodeAt(j))) j++;
    if (s.charCodeAt(j) === 62) return { start: i, end: j + 1 };
  }
  return null;
}

/** Cell text of an HTML cell: up to its `</td>`/`</th>`, whitespace around line breaks collapsed. */
function cellText(raw: string): string {
  let s = raw;
  const close = findEndTagAny(s, ["td", "th"]);
  if (close >= 0) s = s.slice(0, close);
  if (s.indexOf("\n") >= 0) s = s.replace(/\s+/g, (w) => (w.indexOf("\n") >= 0 ? " " : w));
  return s.trim();
}

/** Start of the first complete `</td\s*>` or `</th\s*>`, or -1. */
function findEndTagAny(s: string, names: readonly string[]): number {
  let best = -1;
  for (const n of names) {
    const e = findEndTag(s, n, 0);
    if (e && (best < 0 || e.start < best)) best = e.start;
  }
  return best;
}

/** `colspan=N` in a tag's attributes (1 when absent), at most 50. */
function colspan(attrs: string): number {
  const a = attrs.toLowerCase();
  for (let i = a.indexOf("colspan"); i >= 0; i = a.indexOf("colspan", i + 7)) {
    let j = i + 7;
    while (j < a.length && isSpace(a.charCodeAt(j))) j++;
    if (a[j] !== "=") continue;
    j++;
    while (j < a.length && isSpace(a.charCodeAt(j))) j++;
    if (a[j] === '"' || a[j] === "'") j++;
    let k = j;
    while (k < a.length && a.charCodeAt(k) >= 48 && a.charCodeAt(k) <= 57) k++;
    if (k > j) return Math.min(Number(a.slice(j, k)), 50);
  }
  return 1;
}

/** True when a cell holds nothing but markup and `&nbsp;` (tags run from `<` to the next `>`). */
function blankCell(cell: string): boolean {
  const blank = (t: string) => t.split("&nbsp;").join("").trim() === "";
  let i = 0;
  while (i < cell.length) {
    const lt = cell.indexOf("<", i);
    if (!blank(cell.slice(i, lt < 0 ? cell.length : lt))) return false;
    if (lt < 0) return true;
    const gt = cell.indexOf(">", lt + 1);
    // No `>` after this `<`: the rest is text (and no later `<` starts a tag either).
    if (gt < 0) return blank(cell.slice(lt));
    i = gt + 1;
  }
  return true;
}

function pushRow(rows: Row[], row: Row): void {
  if (rows.length >= MAX_DOCUMENT_ROWS) {
    throw new DocumentInputError(
      "too_complex",
      `文档行数过多（超过 ${MAX_DOCUMENT_ROWS.toLocaleString("en")} 行），无法导入：请拆分后再导入`,
    );
  }
  for (const c of row.cells) {
    if (c.length > MAX_CELL_CHARS) {
      throw new DocumentInputError(
        "too_complex",
        `第 ${row.line} 行过长（一个单元格有 ${c.length.toLocaleString("en")} 个字符，最多 ${MAX_CELL_CHARS.toLocaleString("en")} 个），不像是绩效目标表，无法导入`,
      );
    }
  }
  if (row.cells.length > MAX_DOCUMENT_CELLS_PER_ROW) {
    throw new DocumentInputError(
      "too_complex",
      `第 ${row.line} 行的单元格过多（${row.cells.length} 个，最多 ${MAX_DOCUMENT_CELLS_PER_ROW} 个），不像是绩效目标表，无法导入`,
    );
  }
  rows.push(row);
}

/** Rows of an HTML `<table>` block, text[offset, endOffset); `colspan` cells are padded with empty cells. */
function* htmlTableRows(rows: Row[], text: string, offset: number, endOffset: number, firstLine: number): Generator<void> {
  let line = firstLine;
  let last = offset;
  let at = findOpen(text, TR, offset, endOffset);
  // The first `</table` in the block (one not ending the table: `</tablex`), found again only once passed.
  let closeTable = findClosePrefix(text, "table", offset, endOffset);
  for (let n = 1; at >= 0; n++) {
    const gt = text.indexOf(">", at);
    // `<tr` without `>` in the block: no row starts here, nor at any later `<tr`.
    if (gt < 0 || gt >= endOffset) return;
    // The row runs to the next `<tr`, the next `</table` or the end of the block.
    const nextTr = findOpen(text, TR, gt + 1, endOffset);
    if (closeTable >= 0 && closeTable <= gt) closeTable = findClosePrefix(text, "table", gt + 1, endOffset);
    let rowEnd = nextTr >= 0 ? nextTr : endOffset;
    if (closeTable >= 0 && closeTable < rowEnd) rowEnd = closeTable;
    line += countNewlines(text, last, at);
    last = at;
    rowCells(rows, text, gt + 1, rowEnd, line);
    at = nextTr;
    if ((n & 255) === 0) yield;
  }
}

const TR = ["tr"];
const CELL = ["td", "th"];
const TABLE = ["table"];

function rowCells(rows: Row[], text: string, from: number, to: number, line: number): void {
  const cells: string[] = [];
  let at = findOpen(text, CELL, from, to);
  let closeTr = findClosePrefix(text, "tr", from, to); // found again only once passed
  while (at >= 0) {
    const gt = text.indexOf(">", at);
    if (gt < 0 || gt >= to) break;
    const next = findOpen(text, CELL, gt + 1, to);
    if (closeTr >= 0 && closeTr <= gt) closeTr = findClosePrefix(text, "tr", gt + 1, to);
    let end = to;
    if (next >= 0) end = next;
    if (closeTr >= 0 && closeTr < end) end = closeTr;
    cells.push(cellText(text.slice(gt + 1, end)));
    const n = colspan(text.slice(at + 3, gt));
    for (let k = 1; k < n; k++) cells.push("");
    if (cells.length > MAX_DOCUMENT_CELLS_PER_ROW) break;
    at = next;
  }
  if (cells.length && !cells.every(blankCell)) pushRow(rows, { line, cells, kind: "html" });
}

/** All rows of a document, in order. Throws `DocumentInputError` past the limits below. */
export function splitRows(text: string): Row[] {
  const rows: Row[] = [];
  for (const _ of splitSteps(text, rows));
  return rows;
}

/** splitRows giving the event loop a turn after every `sliceMs` of work (for a server). */
export async function splitRowsAsync(text: string, sliceMs: number): Promise<Row[]> {
  const rows: Row[] = [];
  let until = Date.now() + sliceMs;
  for (const _ of splitSteps(text, rows)) {
    if (Date.now() > until) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      until = Date.now() + sliceMs;
    }
  }
  return rows;
}

/** Fills `rows`, pausing (yield) now and then so that a caller may let other work run. */
function* splitSteps(text: string, rows: Row[]): Generator<void> {
  let pos = 0;
  let line = 1;
  let at = findOpen(text, TABLE, 0, text.length);
  while (at >= 0) {
    const gt = text.indexOf(">", at);
    if (gt < 0) break; // no later `<table` has a `>` either
    yield* pushLines(rows, text, pos, at, line);
    line += countNewlines(text, pos, at);
    const end = findEndTag(text, "table", gt + 1);
    const innerEnd = end ? end.start : text.length;
    const matchEnd = end ? end.end : text.length;
    yield* htmlTableRows(rows, text, gt + 1, innerEnd, line + countNewlines(text, at, gt + 1));
    line += countNewlines(text, at, matchEnd);
    pos = matchEnd;
    at = findOpen(text, TABLE, pos, text.length);
    yield;
  }
  yield* pushLines(rows, text, pos, text.length, line);
}

/** Rows per document at most (a 10 MB published document has about 120,000). */
export const MAX_DOCUMENT_ROWS = 500_000;
/** Characters per cell (or line of text) at most: the longest line of the published documents has 2,500. */
export const MAX_CELL_CHARS = 100_000;
/** Cells per row at most (a 绩效目标表 row has about ten). */
export const MAX_DOCUMENT_CELLS_PER_ROW = 1000;
