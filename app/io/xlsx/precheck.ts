// Checks an .xlsx before exceljs reads it (issue 9). exceljs inflates every part of the zip
// whole, expands a merged range, a defined name or a data validation cell by cell, and checks
// each merge against all earlier ones: a 6 KB file with one merge A1:Z20000 grew the heap by
// 150 MB, a whole-sheet range exhausted memory, a zip bomb was inflated to the end.
//
// Here the zip is read as JSZip (inside exceljs) will read it: the central directory, then
// each entry's data, inflated in small steps with a running byte count that stops at the
// limit, and scanned as it comes out (indexOf-based, one forward pass, no patterns that can
// backtrack). A file past a limit is refused with a Chinese message naming the sheet and the
// range. What the import never uses (data validations, conditional formats, column
// definitions, hyperlinks…) exceljs is told not to read (IGNORED_NODES): they are not checked.
// See docs/decisions/016-hostile-input.md.
import { Inflate } from "fflate";

/** All parts together, inflated, at most (a 1,000-table workbook is about 30 MB). */
export const MAX_UNZIPPED_BYTES = 50 * 1024 * 1024;
export const MAX_ZIP_ENTRIES = 10_000;
/** The part of a sheet the importer reads (import.ts: maxRows, maxColumns). */
export const MAX_SHEET_ROWS = 20_000;
export const MAX_SHEET_COLS = 200;
/** Cells of one merged range, of all merged ranges of a sheet, and merges per sheet and in all. */
export const MAX_MERGE_CELLS = 10_000;
export const MAX_MERGED_CELLS_PER_SHEET = 50_000;
export const MAX_MERGES_PER_SHEET = 2_000;
export const MAX_MERGES = 20_000;
/** Cells (`<c>`) and rows (`<row>`) in all sheets: exceljs keeps about 400 bytes per cell. */
export const MAX_CELLS = 250_000;
export const MAX_ROWS = 100_000;
export const MAX_SHARED_STRINGS = 250_000;
export const MAX_STYLE_ELEMENTS = 200_000;
/** XML elements in all parts (bounds exceljs's parsing time). */
export const MAX_ELEMENTS = 3_000_000;
/** Cells named by defined names (exceljs expands each name's ranges cell by cell). */
export const MAX_NAMED_CELLS = 100_000;
/** A single tag (or a defined name's text) at most. */
const MAX_TAG_CHARS = 1024 * 1024;

/** Parts of a worksheet exceljs is told to skip: the importer reads none of them. */
export const IGNORED_NODES = ["dataValidations", "conditionalFormatting", "extLst", "cols", "hyperlinks", "tableParts", "drawing", "picture"];

/** `unzipped_too_large`, not `too_large`: the upload itself is small (the web answers 400, not 413). */
export type WorkbookLimitCode = "unzipped_too_large" | "too_many_entries" | "sheet_too_large" | "not_xlsx";

/** The workbook may not be read: `message` is Chinese, for the user. */
export class WorkbookLimitError extends Error {
  readonly code: WorkbookLimitCode;
  /** Bytes inflated when the check stopped. */
  inflated = 0;
  constructor(code: WorkbookLimitCode, message: string) {
    super(message);
    this.name = "WorkbookLimitError";
    this.code = code;
  }
}

const MB = 1024 * 1024;
const fmt = (n: number) => n.toLocaleString("en").replace(/,/g, "");

function broken(detail: string): WorkbookLimitError {
  return new WorkbookLimitError("not_xlsx", `文件不是有效的 Excel 工作簿（.xlsx），可能已损坏，无法读取（${detail}）`);
}

// ---------------------------------------------------------------------------------------
// Zip structure (as JSZip reads it: the central directory, each entry's data at the offset
// it gives, after the local header)

interface Entry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const u16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const u32 = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
const u64 = (b: Uint8Array, at: number) => u32(b, at) + u32(b, at + 4) * 0x1_0000_0000;

function findEndRecord(b: Uint8Array): number {
  const min = Math.max(0, b.length - 22 - 0xffff);
  for (let i = b.length - 22; i >= min; i--) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 0x05 && b[i + 3] === 0x06) return i;
  }
  return -1;
}

function readEntries(b: Uint8Array): { entries: Entry[]; shift: number } {
  const end = findEndRecord(b);
  if (end < 0) throw broken("找不到 zip 目录");
  let count = u16(b, end + 10);
  let cdSize = u32(b, end + 12);
  let cdOffset = u32(b, end + 16);
  let zip64Bytes = 0;
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = end - 20;
    if (loc < 0 || u32(b, loc) !== 0x07064b50) throw broken("zip64 目录缺失");
    const at = u64(b, loc + 8);
    if (at + 56 > b.length || u32(b, at) !== 0x06064b50) throw broken("zip64 目录损坏");
    count = u64(b, at + 32);
    cdSize = u64(b, at + 40);
    cdOffset = u64(b, at + 48);
    zip64Bytes = end - at;
  }
  if (count > MAX_ZIP_ENTRIES) throw tooManyEntries(count);
  // Bytes before the zip (as JSZip allows): every offset is shifted by them.
  const shift = end - zip64Bytes - (cdOffset + cdSize);
  if (shift < 0) throw broken("zip 目录的位置不对");
  const entries: Entry[] = [];
  const decoder = new TextDecoder("utf-8");
  let p = cdOffset + shift;
  while (p + 46 <= b.length && u32(b, p) === 0x02014b50) {
    if (entries.length >= MAX_ZIP_ENTRIES) throw tooManyEntries(entries.length + 1);
    const nameLen = u16(b, p + 28);
    const extraLen = u16(b, p + 30);
    const commentLen = u16(b, p + 32);
    const e: Entry = {
      flags: u16(b, p + 8),
      method: u16(b, p + 10),
      compressedSize: u32(b, p + 20),
      size: u32(b, p + 24),
      localOffset: u32(b, p + 42),
      name: decoder.decode(b.subarray(p + 46, p + 46 + nameLen)),
    };
    // zip64 extra field: the 64-bit values of the fields that hold 0xffffffff, in this order.
    for (let x = p + 46 + nameLen, xe = x + extraLen; x + 4 <= xe; ) {
      const id = u16(b, x);
      const len = u16(b, x + 2);
      if (id === 0x0001) {
        let q = x + 4;
        if (e.size === 0xffffffff) (e.size = u64(b, q)), (q += 8);
        if (e.compressedSize === 0xffffffff) (e.compressedSize = u64(b, q)), (q += 8);
        if (e.localOffset === 0xffffffff) e.localOffset = u64(b, q);
      }
      x += 4 + len;
    }
    entries.push(e);
    p += 46 + nameLen + extraLen + commentLen;
  }
  if (entries.length === 0 && count > 0) throw broken("zip 目录损坏");
  return { entries, shift };
}

function tooManyEntries(n: number): WorkbookLimitError {
  return new WorkbookLimitError(
    "too_many_entries",
    `工作簿内部的文件过多（${fmt(n)} 个，最多 ${fmt(MAX_ZIP_ENTRIES)} 个），不像是正常的 Excel 工作簿，无法读取`,
  );
}

function tooLarge(): WorkbookLimitError {
  return new WorkbookLimitError(
    "unzipped_too_large",
    `工作簿解压后过大（超过 ${MAX_UNZIPPED_BYTES / MB} MB），无法读取：请删除无关的工作表、图片或多余的行列后再导入，或拆分为几个工作簿`,
  );
}

/** The stored data of an entry (after its local header). */
function entryData(b: Uint8Array, e: Entry, shift: number): Uint8Array {
  const at = e.localOffset + shift;
  if (at + 30 > b.length || u32(b, at) !== 0x04034b50) throw broken(`「${e.name}」的位置不对`);
  const start = at + 30 + u16(b, at + 26) + u16(b, at + 28);
  if (start + e.compressedSize > b.length) throw broken(`「${e.name}」不完整`);
  return b.subarray(start, start + e.compressedSize);
}

// ---------------------------------------------------------------------------------------
// Cell references, read as exceljs reads them (utils/col-cache.js: decodeAddress, decodeEx)

/** Column and row of an address (`$A$1`, `XFD1048576`); undefined parts when absent. */
function decodeAddress(a: string): { col: number | undefined; row: number | undefined } {
  let col = 0;
  let row = 0;
  let hasCol = false;
  let hasRow = false;
  for (let i = 0; i < a.length; i++) {
    const c = a.charCodeAt(i);
    if (!hasRow && c >= 65 && c <= 90) {
      hasCol = true;
      col = col * 26 + c - 64;
    } else if (c >= 48 && c <= 57) {
      hasRow = true;
      row = row * 10 + c - 48;
    } else if (hasRow && hasCol && c !== 36) break;
  }
  return { col: hasCol ? col : undefined, row: hasRow ? row : undefined };
}

interface Area {
  rows: number;
  cols: number;
  bottom: number;
  right: number;
}

/** The rectangle a reference spans (`[Sheet!]A1:B2`), or null for a single cell or nothing. */
function areaOf(ref: string): Area | null {
  let r = ref;
  if (r.startsWith("'")) {
    // 'Sheet name'!A1:B2 ('' is a quote inside the name)
    let i = 1;
    while (i < r.length && !(r[i] === "'" && r[i + 1] !== "'")) i += r[i] === "'" ? 2 : 1;
    if (r[i + 1] === "!") r = r.slice(i + 2);
  } else {
    const bang = r.indexOf("!");
    if (bang >= 0) r = r.slice(bang + 1);
  }
  const parts = r.split(":");
  if (parts.length < 2) return null;
  const a = decodeAddress(parts[0]);
  const b = decodeAddress(parts[1]);
  if (a.col === undefined || a.row === undefined || b.col === undefined || b.row === undefined) return null;
  // exceljs refuses columns past XFD itself, before expanding anything.
  if (a.col > 16384 || b.col > 16384) return null;
  return {
    rows: Math.abs(b.row - a.row) + 1,
    cols: Math.abs(b.col - a.col) + 1,
    bottom: Math.max(a.row, b.row),
    right: Math.max(a.col, b.col),
  };
}

// ---------------------------------------------------------------------------------------
// XML scanning: tags found with indexOf, attributes read with their quotes (a `>` inside a
// quoted value does not end the tag), character references decoded as the XML parser will.

const XML_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeXml(s: string): string {
  if (s.indexOf("&") < 0) return s;
  let out = "";
  let i = 0;
  for (let a = s.indexOf("&"); a >= 0; a = s.indexOf("&", i)) {
    const semi = s.indexOf(";", a + 1);
    if (semi < 0 || semi - a > 12) break;
    const body = s.slice(a + 1, semi);
    let ch: string | undefined;
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      ch = Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : undefined;
    } else ch = XML_ENTITIES[body];
    if (ch === undefined) {
      out += s.slice(i, a + 1);
      i = a + 1;
      continue;
    }
    out += s.slice(i, a) + ch;
    i = semi + 1;
  }
  return out + s.slice(i);
}

const isXmlSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** Local name of a qualified name (`x14:sqref` → `sqref`). */
const local = (q: string) => {
  const colon = q.indexOf(":");
  return colon < 0 ? q : q.slice(colon + 1);
};

interface Tag {
  name: string;
  attrs: Map<string, string>;
  selfClosing: boolean;
}

/** Receives the elements of one part (the text between tags only when it has `text`). */
interface Handler {
  start(tag: Tag): void;
  end(name: string): void;
  text?(raw: string): void;
}

/**
 * A streaming scanner of one XML part: feed it text in chunks; it keeps the unfinished tag
 * (at most MAX_TAG_CHARS) for the next chunk. Attribute values are kept only for `wanted`.
 */
class XmlScanner {
  private carry = "";
  elements = 0;
  /** No unfinished tag is waiting for the next chunk. */
  get idle(): boolean {
    return this.carry === "";
  }
  constructor(
    private readonly handler: Handler,
    private readonly wanted: ReadonlySet<string>,
    private readonly part: string,
  ) {}

  push(chunk: string): void {
    const s = this.carry + chunk;
    this.carry = "";
    let pos = 0;
    while (pos < s.length) {
      const lt = s.indexOf("<", pos);
      if (lt < 0) {
        this.handler.text?.(s.slice(pos));
        return;
      }
      if (lt > pos && this.handler.text) this.handler.text(s.slice(pos, lt));
      const next = this.tagAt(s, lt);
      if (next < 0) {
        if (s.length - lt > MAX_TAG_CHARS) throw broken(`「${this.part}」中有过长的 XML 标签`);
        this.carry = s.slice(lt);
        return;
      }
      pos = next;
    }
  }

  /** Reads the markup at `lt`; returns the index after it, or -1 when it is not complete yet. */
  private tagAt(s: string, lt: number): number {
    const c1 = s[lt + 1];
    if (c1 === undefined) return -1;
    if (c1 === "!") {
      if (s.startsWith("<!--", lt)) {
        const e = s.indexOf("-->", lt + 4);
        return e < 0 ? -1 : e + 3;
      }
      if (s.startsWith("<![CDATA[", lt)) {
        const e = s.indexOf("]]>", lt + 9);
        if (e < 0) return -1;
        this.handler.text?.(s.slice(lt + 9, e).replace(/&/g, "&amp;"));
        return e + 3;
      }
      if (s.length - lt < 9) return -1;
      // A DOCTYPE could declare entities that expand references: no workbook has one.
      throw broken(`「${this.part}」含有 DOCTYPE 声明`);
    }
    if (c1 === "?") {
      const e = s.indexOf("?>", lt + 2);
      return e < 0 ? -1 : e + 2;
    }
    if (c1 === "/") {
      const e = s.indexOf(">", lt + 2);
      if (e < 0) return -1;
      this.handler.end(local(s.slice(lt + 2, e).trim()));
      return e + 1;
    }
    // A start tag: its name, then attributes (quoted values may hold `>`).
    let i = lt + 1;
    while (i < s.length && !isXmlSpace(s.charCodeAt(i)) && s[i] !== ">" && s[i] !== "/") i++;
    if (i >= s.length) return -1;
    const name = local(s.slice(lt + 1, i));
    const attrs = new Map<string, string>();
    for (;;) {
      while (i < s.length && isXmlSpace(s.charCodeAt(i))) i++;
      if (i >= s.length) return -1;
      if (s[i] === ">" || (s[i] === "/" && s[i + 1] === ">")) break;
      if (s[i] === "/") {
        if (i + 1 >= s.length) return -1;
        i++;
        continue;
      }
      const eq = s.indexOf("=", i);
      if (eq < 0) return -1;
      const key = s.slice(i, eq).trim();
      let q = eq + 1;
      while (q < s.length && isXmlSpace(s.charCodeAt(q))) q++;
      if (q >= s.length) return -1;
      const quote = s[q];
      if (quote !== '"' && quote !== "'") throw broken(`「${this.part}」中的 XML 属性没有引号`);
      const close = s.indexOf(quote, q + 1);
      if (close < 0) return -1;
      const k = local(key);
      if (this.wanted.has(k) || this.wanted.has(key)) attrs.set(this.wanted.has(key) ? key : k, decodeXml(s.slice(q + 1, close)));
      i = close + 1;
    }
    const selfClosing = s[i] === "/";
    this.elements++;
    this.handler.start({ name, attrs, selfClosing });
    if (selfClosing) this.handler.end(name);
    return selfClosing ? i + 2 : i + 1;
  }

  finish(): void {
    if (this.carry) this.handler.text?.(this.carry);
  }
}

// ---------------------------------------------------------------------------------------
// The check

/** exceljs's names of the parts it reads (xlsx/xlsx.js: load). */
const WORKSHEET = /xl\/worksheets\/sheet(\d+)[.]xml/;
const isWorksheet = (name: string) => WORKSHEET.test(name) && !name.includes("_rels/");
const isXml = (name: string) => /\.(?:xml|rels|vml)$/i.test(name);

interface SheetState {
  label: string;
  merges: number;
  mergedCells: number;
}

class Checker {
  inflated = 0;
  elements = 0;
  cells = 0;
  rows = 0;
  merges = 0;
  sharedStrings = 0;
  styleElements = 0;
  namedCells = 0;
  /** Worksheet part → sheet name (from the workbook and its relationships). */
  readonly sheetNames = new Map<string, string>();

  count(bytes: number): void {
    this.inflated += bytes;
    if (this.inflated > MAX_UNZIPPED_BYTES) {
      const e = tooLarge();
      e.inflated = this.inflated;
      throw e;
    }
  }

  sheetHandler(part: string): Handler {
    const name = this.sheetNames.get(part);
    const sheet: SheetState = { label: name ? `工作表「${name}」` : `工作表文件「${part}」`, merges: 0, mergedCells: 0 };
    return {
      start: (t) => {
        switch (t.name) {
          case "c":
            if (++this.cells > MAX_CELLS) throw this.tooMany("单元格", MAX_CELLS);
            break;
          case "row":
            if (++this.rows > MAX_ROWS) throw this.tooMany("行", MAX_ROWS);
            break;
          case "dimension":
            this.dimension(sheet, t.attrs.get("ref"));
            break;
          case "mergeCell":
            this.merge(sheet, t.attrs.get("ref"));
            break;
        }
      },
      end: () => {},
    };
  }

  private tooMany(what: string, max: number): WorkbookLimitError {
    return new WorkbookLimitError(
      "sheet_too_large",
      `工作簿中的${what}过多（超过 ${fmt(max)} 个），无法读取：请只保留绩效目标表所在的区域（删除多余的行、列和工作表）后再导入`,
    );
  }

  private dimension(sheet: SheetState, ref: string | undefined): void {
    const a = ref ? areaOf(ref) : null;
    if (!a || (a.bottom <= MAX_SHEET_ROWS && a.right <= MAX_SHEET_COLS)) return;
    throw new WorkbookLimitError(
      "sheet_too_large",
      `${sheet.label}的范围 ${ref} 过大（${a.rows} 行 × ${a.cols} 列）：导入的工作表最多 ${fmt(MAX_SHEET_ROWS)} 行、${MAX_SHEET_COLS} 列。请删除表格以外多余的行和列（或把绩效目标表复制到新的工作簿）后再导入`,
    );
  }

  private merge(sheet: SheetState, ref: string | undefined): void {
    sheet.merges++;
    if (++this.merges > MAX_MERGES || sheet.merges > MAX_MERGES_PER_SHEET) {
      throw new WorkbookLimitError(
        "sheet_too_large",
        `${sheet.label}的合并单元格过多（超过 ${fmt(sheet.merges > MAX_MERGES_PER_SHEET ? MAX_MERGES_PER_SHEET : MAX_MERGES)} 个），无法读取：请取消表格以外的合并单元格后再导入`,
      );
    }
    const a = ref ? areaOf(ref) : null;
    if (!a) return;
    sheet.mergedCells += a.rows * a.cols;
    if (a.bottom > MAX_SHEET_ROWS || a.right > MAX_SHEET_COLS || a.rows * a.cols > MAX_MERGE_CELLS || sheet.mergedCells > MAX_MERGED_CELLS_PER_SHEET) {
      throw new WorkbookLimitError(
        "sheet_too_large",
        `${sheet.label}的合并单元格范围 ${ref} 过大（${a.rows} 行 × ${a.cols} 列）：导入的工作表最多 ${fmt(MAX_SHEET_ROWS)} 行、${MAX_SHEET_COLS} 列，一个合并单元格最多 ${fmt(MAX_MERGE_CELLS)} 个单元格。请在 Excel 中取消这个合并单元格后再导入`,
      );
    }
  }

  /** The workbook part: sheet names (to name them in messages) and defined names. */
  workbookHandler(sheets: Array<{ name: string; rId: string }>): Handler {
    let definedName: { name: string; text: string } | null = null;
    return {
      start: (t) => {
        if (t.name === "sheet") sheets.push({ name: t.attrs.get("name") ?? "", rId: t.attrs.get("r:id") ?? t.attrs.get("id") ?? "" });
        else if (t.name === "definedName" && !t.selfClosing) definedName = { name: t.attrs.get("name") ?? "", text: "" };
      },
      end: (name) => {
        if (name !== "definedName" || !definedName) return;
        this.definedName(definedName.name, decodeXml(definedName.text));
        definedName = null;
      },
      text: (raw) => {
        if (!definedName) return;
        if (definedName.text.length + raw.length > MAX_TAG_CHARS) throw broken("名称的定义过长");
        definedName.text += raw;
      },
    };
  }

  private definedName(name: string, text: string): void {
    // Print areas and titles are kept as text by exceljs; other names are expanded.
    if (name === "_xlnm.Print_Area" || name === "_xlnm.Print_Titles") return;
    for (const ref of text.split(",")) {
      const a = areaOf(ref.trim());
      if (!a) continue;
      this.namedCells += a.rows * a.cols;
      if (this.namedCells > MAX_NAMED_CELLS) {
        throw new WorkbookLimitError(
          "sheet_too_large",
          `工作簿中的名称「${name}」引用的范围 ${ref.trim()} 过大（${a.rows} 行 × ${a.cols} 列），无法读取：请在 Excel 的“公式 → 名称管理器”中删除或缩小这个名称后再导入`,
        );
      }
    }
  }

  relsHandler(rels: Map<string, string>): Handler {
    return {
      start: (t) => {
        if (t.name === "Relationship") rels.set(t.attrs.get("Id") ?? "", t.attrs.get("Target") ?? "");
      },
      end: () => {},
    };
  }

  countingHandler(kind: "strings" | "styles" | "other"): Handler {
    return {
      start: (t) => {
        if (kind === "strings" && t.name === "si" && ++this.sharedStrings > MAX_SHARED_STRINGS) throw this.tooMany("文字单元格", MAX_SHARED_STRINGS);
        if (kind === "styles" && ++this.styleElements > MAX_STYLE_ELEMENTS) throw this.tooMany("样式", MAX_STYLE_ELEMENTS);
      },
      end: () => {},
    };
  }
}

const SHEET_ATTRS = new Set(["ref"]);
const WORKBOOK_ATTRS = new Set(["name", "r:id", "id"]);
const RELS_ATTRS = new Set(["Id", "Target"]);
const NO_ATTRS = new Set<string>();

/** Inflates an entry in steps, counting every byte; `sink` receives the output. */
function inflateEntry(data: Uint8Array, e: Entry, checker: Checker, sink: (chunk: Uint8Array) => void): void {
  if (e.method === 0) {
    checker.count(data.length);
    for (let i = 0; i < data.length; i += 64 * 1024) sink(data.subarray(i, i + 64 * 1024));
    return;
  }
  if (e.method !== 8) throw broken(`「${e.name}」使用了不支持的压缩方式`);
  let failed: unknown = null;
  const inflater = new Inflate((chunk) => {
    if (failed) return;
    try {
      checker.count(chunk.length);
      sink(chunk);
    } catch (err) {
      failed = err;
    }
  });
  // 2 KB of input inflates to at most about 2 MB (deflate's ratio is at most 1032:1): the
  // count stops a bomb at most that far past the limit.
  const STEP = 2 * 1024;
  try {
    for (let i = 0; i < data.length && !failed; i += STEP) inflater.push(data.subarray(i, i + STEP), i + STEP >= data.length);
    if (data.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (err) {
    if (!failed) throw broken(`「${e.name}」解压失败：${(err as Error).message}`);
  }
  if (failed) throw failed;
}

/**
 * Checks the zip and the XML parts of an .xlsx against the limits above. Throws a
 * WorkbookLimitError (Chinese message) when the file is past one, or is not a readable zip.
 */
export function precheckWorkbook(bytes: Uint8Array): void {
  const { entries, shift } = readEntries(bytes);
  const checker = new Checker();
  let declared = 0;
  for (const e of entries) {
    if (e.flags & 1) throw broken("工作簿已加密，请去掉打开密码后再导入");
    declared += e.size;
  }
  // Sizes the entries declare already past the limit: refused without inflating anything.
  if (declared > MAX_UNZIPPED_BYTES) throw tooLarge();

  const nameOf = (e: Entry) => (e.name[0] === "/" ? e.name.slice(1) : e.name);
  const latin1 = new TextDecoder("latin1");
  const utf8 = new TextDecoder("utf-8");

  const scan = (e: Entry, handler: Handler | null, wanted: ReadonlySet<string>, decoder: TextDecoder) => {
    const data = entryData(bytes, e, shift);
    if (!handler) return inflateEntry(data, e, checker, () => {});
    const scanner = new XmlScanner(handler, wanted, nameOf(e));
    // UTF-8 may split a character between chunks: the streaming decoder keeps the rest. Text
    // without a tag (a bomb's zeros) is not decoded when nobody reads text.
    const skip = !handler.text && decoder === latin1;
    inflateEntry(data, e, checker, (chunk) => {
      if (skip && scanner.idle && chunk.indexOf(0x3c) < 0) return;
      scanner.push(decoder.decode(chunk, { stream: true }));
    });
    scanner.push(decoder.decode());
    scanner.finish();
    checker.elements += scanner.elements;
    if (checker.elements > MAX_ELEMENTS) throw broken(`XML 元素过多（超过 ${fmt(MAX_ELEMENTS)} 个）`);
  };

  // The workbook and its relationships first: sheet names for the messages, defined names.
  const sheets: Array<{ name: string; rId: string }> = [];
  const rels = new Map<string, string>();
  const workbook = entries.find((e) => nameOf(e) === "xl/workbook.xml");
  const workbookRels = entries.find((e) => nameOf(e) === "xl/_rels/workbook.xml.rels");
  if (workbook) scan(workbook, checker.workbookHandler(sheets), WORKBOOK_ATTRS, utf8);
  if (workbookRels) scan(workbookRels, checker.relsHandler(rels), RELS_ATTRS, utf8);
  for (const s of sheets) {
    const target = rels.get(s.rId);
    if (target) checker.sheetNames.set(`xl/${target.replace(/^(?:\s|\/xl\/)+/, "")}`, s.name);
  }

  for (const e of entries) {
    if (e === workbook || e === workbookRels || e.name.endsWith("/")) continue;
    const name = nameOf(e);
    if (isWorksheet(name)) scan(e, checker.sheetHandler(name), SHEET_ATTRS, latin1);
    else if (name === "xl/sharedStrings.xml") scan(e, checker.countingHandler("strings"), NO_ATTRS, latin1);
    else if (name === "xl/styles.xml") scan(e, checker.countingHandler("styles"), NO_ATTRS, latin1);
    else if (isXml(name)) scan(e, checker.countingHandler("other"), NO_ATTRS, latin1);
    else scan(e, null, NO_ATTRS, latin1);
  }
}
