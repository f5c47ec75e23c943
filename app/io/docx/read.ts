// Word in: a .docx → the text the document importer reads (app/io/document), so that a table
// drafted in Word in the published layout imports like the same table in a published
// document, with the same row-level warnings.
//
//   1. The zip is inflated here, in small steps with a running byte count (as
//      app/io/xlsx/precheck.ts does for workbooks, docs/decisions/016-hostile-input.md):
//      only the XML parts, at most MAX_DOCX_XML_BYTES in all; media, fonts and embedded
//      files are never inflated. A DOCTYPE (entity expansion) is refused.
//   2. mammoth reads a zip rebuilt from exactly those parts (so it sees what was checked)
//      and gives HTML; images become nothing.
//   3. That HTML becomes importer text: each paragraph one line, each table row one line of
//      `<tr><td>…` with the cells hidden under a vertically merged cell (rowspan) written
//      as empty cells, so merged 一级指标 cells are inherited as in a published document.
//      "第N行" in the importer's warnings is the Nth paragraph or table row of the file.
import { Unzip, UnzipInflate, zipSync, type Unzipped } from "fflate";
import { DocumentInputError, MAX_DOCUMENT_BYTES } from "../document/input";

/** Inflated XML of one .docx at most (our 200-table department file has 3.5 MB; mammoth needs ~120 bytes of heap per byte). */
export const MAX_DOCX_XML_BYTES = 12 * 1024 * 1024;
/** Entries of the zip at most. */
export const MAX_DOCX_ENTRIES = 10_000;
/** Merges wider or taller than this are clamped (a 绩效目标表 row has about ten cells). */
const MAX_SPAN = 1000;

const MB = 1024 * 1024;

function label(name: string | null | undefined): string {
  return name ? `文件「${name}」` : "文件";
}

function notDocx(name: string | null | undefined, detail: string): DocumentInputError {
  return new DocumentInputError("unreadable", `${label(name)}不是有效的 Word 文档（.docx），可能已损坏，无法读取（${detail}）`);
}

/** True when the bytes are a zip holding `word/document.xml` (a Word document). */
export function isDocxBytes(bytes: Uint8Array): boolean {
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b || bytes[2] !== 0x03 || bytes[3] !== 0x04) return false;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes("word/document.xml");
}

/** A .docx by name, or a zip that holds a Word document. */
export function looksLikeDocx(name: string, bytes: Uint8Array): boolean {
  return /\.docx$/i.test(name) || (!/\.xls[xm]$/i.test(name) && isDocxBytes(bytes));
}

const keep = (name: string) => /\.(?:xml|rels)$/i.test(name) && !/^(?:\/)?word\/(?:media|embeddings|fonts)\//i.test(name);

/** The XML parts of the zip, inflated with a running count; throws DocumentInputError. */
export function unzipDocx(bytes: Uint8Array, name?: string | null): Unzipped {
  if (bytes.byteLength >= MAX_DOCUMENT_BYTES) {
    throw new DocumentInputError("too_large", `${label(name)}过大（${(bytes.byteLength / MB).toFixed(1)} MB）：导入的文档须小于 ${MAX_DOCUMENT_BYTES / MB} MB，请拆分后再导入`);
  }
  const files: Unzipped = {};
  let entries = 0;
  let inflated = 0;
  let failed: DocumentInputError | null = null;
  const unzip = new Unzip((file) => {
    if (failed) return;
    if (++entries > MAX_DOCX_ENTRIES) {
      failed = new DocumentInputError("too_complex", `${label(name)}内部的文件过多（超过 ${MAX_DOCX_ENTRIES} 个），不像是正常的 Word 文档，无法读取`);
      return;
    }
    if (!keep(file.name) || file.name.endsWith("/")) return;
    if (file.compression !== 0 && file.compression !== 8) {
      failed = notDocx(name, `「${file.name}」使用了不支持的压缩方式`);
      return;
    }
    const chunks: Uint8Array[] = [];
    file.ondata = (err, chunk, final) => {
      if (failed) return;
      if (err) {
        failed = notDocx(name, `「${file.name}」解压失败`);
        return;
      }
      inflated += chunk.length;
      if (inflated > MAX_DOCX_XML_BYTES) {
        failed = new DocumentInputError(
          "too_complex",
          `${label(name)}解压后过大（超过 ${MAX_DOCX_XML_BYTES / MB} MB），无法读取：请删除无关的内容，或拆分为几个文档后再导入`,
        );
        file.terminate();
        return;
      }
      chunks.push(chunk);
      if (final) files[file.name.replace(/^\//, "")] = concat(chunks);
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  // 2 KB of deflated input gives at most about 2 MB: the count stops a bomb near the limit.
  const STEP = 2 * 1024;
  try {
    for (let i = 0; i < bytes.length && !failed; i += STEP) unzip.push(bytes.subarray(i, i + STEP), i + STEP >= bytes.length);
  } catch (e) {
    if (!failed) throw notDocx(name, (e as Error).message);
  }
  if (failed) throw failed;
  if (!files["word/document.xml"]) throw notDocx(name, "没有正文 word/document.xml");
  const decoder = new TextDecoder("latin1");
  for (const [part, data] of Object.entries(files)) {
    // Word never writes a DOCTYPE; one could declare entities that expand without bound.
    const head = decoder.decode(data.subarray(0, 4096));
    if (head.includes("<!DOCTYPE") || head.includes("<!ENTITY")) throw notDocx(name, `「${part}」含有 DOCTYPE 声明`);
  }
  return files;
}

function concat(chunks: Uint8Array[]): Uint8Array<ArrayBuffer> {
  if (chunks.length === 1 && chunks[0].buffer instanceof ArrayBuffer) return chunks[0] as Uint8Array<ArrayBuffer>;
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

// mammoth runs in a worker thread: it holds the whole document in memory (about 120 bytes
// of heap per byte of XML) and cannot yield, so a large file neither blocks the server's
// other requests nor grows its heap; the worker has a heap limit and a time limit.
const WORKER_SCRIPT = `
const { parentPort, workerData } = require("node:worker_threads");
const mammoth = require(workerData.mammoth);
mammoth
  .convertToHtml(
    { buffer: Buffer.from(workerData.zip) },
    { convertImage: mammoth.images.imgElement(async () => ({ src: "" })), ignoreEmptyParagraphs: true },
  )
  .then((r) => parentPort.postMessage({ html: r.value }), (e) => parentPort.postMessage({ error: String((e && e.message) || e) }));
`;

/** The worker's heap (MB) and time (ms) at most. */
const WORKER_HEAP_MB = 2048;
const WORKER_TIMEOUT_MS = 120_000;

/** HTML of a .docx (mammoth), from the checked parts only. */
export async function docxToHtml(bytes: Uint8Array, name?: string | null): Promise<string> {
  const parts = unzipDocx(bytes, name);
  const zip = zipSync(parts, { level: 0 });
  const { Worker } = await import("node:worker_threads");
  const { createRequire } = await import("node:module");
  const mammoth = createRequire(import.meta.url).resolve("mammoth");
  return new Promise<string>((resolve, reject) => {
    const worker = new Worker(WORKER_SCRIPT, { eval: true, workerData: { zip, mammoth }, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const tooComplex = () =>
      new DocumentInputError("too_complex", `${label(name)}过于复杂，无法在限定的时间和内存内读取：请删除无关的内容，或拆分为几个文档后再导入`);
    const timer = setTimeout(() => settle(() => reject(tooComplex())), WORKER_TIMEOUT_MS);
    worker.on("message", (m: { html?: string; error?: string }) =>
      settle(() => (m.html != null ? resolve(m.html) : reject(notDocx(name, (m.error ?? "").slice(0, 200))))),
    );
    worker.on("error", (e: Error & { code?: string }) =>
      settle(() => reject(e.code === "ERR_WORKER_OUT_OF_MEMORY" ? tooComplex() : notDocx(name, e.message.slice(0, 200)))),
    );
    worker.on("exit", () => settle(() => reject(notDocx(name, "读取中断"))));
  });
}

/** The importer's text of a .docx (see the top of this file). Throws DocumentInputError. */
export async function docxToText(bytes: Uint8Array, name?: string | null): Promise<string> {
  const text = htmlToImporterText(await docxToHtml(bytes, name));
  if (text.trim() === "") throw new DocumentInputError("empty", `${label(name)}没有文字内容，没有可导入的内容`);
  return text;
}

// ---------------------------------------------------------------------------------------
// mammoth's HTML → importer text. mammoth writes well-formed HTML from a small set of tags
// (p, h1–h6, ul/ol/li, table/thead/tbody/tr/th/td, strong, em, a, br, img, sup, sub, s):
// tags are read with indexOf, in one forward pass.

interface Cell {
  html: string;
  colSpan: number;
  rowSpan: number;
}

interface TableState {
  rows: Cell[][];
  row: Cell[] | null;
  cell: Cell | null;
  /** Paragraphs of the open cell. */
  paras: string[];
}

function intAttr(attrs: string, name: string): number {
  const m = new RegExp(`\\b${name}="(\\d{1,6})"`).exec(attrs);
  return m ? Math.max(1, Math.min(MAX_SPAN, Number(m[1]))) : 1;
}

/** One line of text: no tabs or line breaks (they would split it), no leading `|` (Markdown). */
function lineText(s: string): string {
  return s.replace(/[\t\r\n]+/g, " ").replace(/^\s*\|/, "｜").trim();
}

/** Rows of a table as importer lines; cells under a vertical merge become empty cells. */
function tableLines(rows: Cell[][]): string[] {
  const lines = ["<table>"];
  // Per column: rows still covered by a merge from above, and that merge's width.
  const carry = new Map<number, { left: number; span: number }>();
  for (const row of rows) {
    let col = 0;
    let html = "<tr>";
    const take = () => {
      for (let c = carry.get(col); c && c.left > 0; c = carry.get(col)) {
        html += c.span > 1 ? `<td colspan="${c.span}"></td>` : "<td></td>";
        c.left--;
        col += c.span;
      }
    };
    for (const cell of row) {
      take();
      html += `${cell.colSpan > 1 ? `<td colspan="${cell.colSpan}">` : "<td>"}${cell.html}</td>`;
      if (cell.rowSpan > 1) carry.set(col, { left: cell.rowSpan - 1, span: cell.colSpan });
      col += cell.colSpan;
    }
    take();
    for (const [k, c] of carry) if (c.left <= 0) carry.delete(k);
    lines.push(html + "</tr>");
  }
  lines.push("</table>");
  return lines;
}

/** mammoth's HTML as the document importer's text (exported for tests). */
export function htmlToImporterText(html: string): string {
  const out: string[] = [];
  let table: TableState | null = null;
  /** Depth of tables inside a cell: their cells are read as paragraphs of that cell. */
  let nested = 0;
  let text = "";
  const flush = () => {
    const t = lineText(text);
    text = "";
    if (!t) return;
    if (table?.cell) table.paras.push(t);
    else if (!table) out.push(t);
  };
  let pos = 0;
  while (pos < html.length) {
    const lt = html.indexOf("<", pos);
    if (lt < 0) {
      text += html.slice(pos);
      break;
    }
    text += html.slice(pos, lt);
    const gt = html.indexOf(">", lt);
    if (gt < 0) break;
    const raw = html.slice(lt + 1, gt);
    pos = gt + 1;
    const closing = raw.startsWith("/");
    const body = closing ? raw.slice(1) : raw;
    let k = 0;
    while (k < body.length && /[a-zA-Z0-9]/.test(body[k])) k++;
    const tag = body.slice(0, k).toLowerCase();
    switch (tag) {
      case "p":
      case "h1":
      case "h2":
      case "h3":
      case "h4":
      case "h5":
      case "h6":
      case "li":
        flush();
        break;
      case "br":
        text += " ";
        break;
      case "table":
        flush();
        if (!closing) {
          if (table) nested++;
          else table = { rows: [], row: null, cell: null, paras: [] };
        } else if (nested > 0) nested--;
        else if (table) {
          out.push(...tableLines(table.rows));
          table = null;
        }
        break;
      case "tr":
        if (!table || nested > 0) break;
        if (!closing) table.row = [];
        else if (table.row) {
          table.rows.push(table.row);
          table.row = null;
        }
        break;
      case "td":
      case "th":
        flush();
        if (!table || nested > 0) break;
        if (!closing) {
          table.cell = { html: "", colSpan: intAttr(raw, "colspan"), rowSpan: intAttr(raw, "rowspan") };
          table.paras = [];
        } else if (table.cell) {
          table.cell.html = table.paras.join("<br>");
          (table.row ??= []).push(table.cell);
          table.cell = null;
          table.paras = [];
        }
        break;
      default:
        // Inline markup (strong, em, a, sup, sub, s, img, thead, tbody…): its text only.
        break;
    }
  }
  flush();
  if (table) out.push(...tableLines(table.rows));
  return out.join("\n") + "\n";
}
