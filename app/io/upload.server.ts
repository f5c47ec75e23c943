// Reading an uploaded file for the web import: a published document (text, Markdown,
// HTML-ish) or an .xlsx workbook → the tables found, the warnings that belong to no table,
// and the document's year. Every refusal is an UploadError with a Chinese message; the
// checks of app/io/document/input.ts (empty, binary, encodings) apply, with the web's
// smaller size limit.
import type { ExchangeTable } from "../domain/schemas";
import { parseDocumentAsync, type DocumentWarning } from "./document";
import { DocumentInputError, decodeDocument } from "./document/input";
import { docxToText, looksLikeDocx } from "./docx/read";

/** Uploads through the web must be at most this large (20 MB). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
export const MAX_UPLOAD_MB = MAX_UPLOAD_BYTES / 1024 / 1024;

/** Tables per upload at most (a published document holds a few dozen). */
export const MAX_UPLOAD_TABLES = 1000;

export class UploadError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "UploadError";
    this.code = code;
  }
}

export interface ParsedUpload {
  file: string;
  kind: "document" | "xlsx";
  /** Year of the document (its title, or the tables' years), null when none is stated. */
  year: number | null;
  tables: ExchangeTable[];
  /** Warnings that belong to no table (those of a table are in `table.warnings`). */
  warnings: DocumentWarning[];
}

function label(name: string): string {
  return name ? `文件「${name}」` : "上传的文件";
}

export function tooLargeMessage(name?: string | null, size?: number | null): string {
  const what = name ? label(name) : "上传的文件";
  const sizeText = size != null ? `（${(size / 1024 / 1024).toFixed(1)} MB）` : "";
  return `${what}过大${sizeText}：网页导入的文件不能超过 ${MAX_UPLOAD_MB} MB，请拆分后再导入`;
}

const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

function looksLikeXlsx(name: string, bytes: Uint8Array): boolean {
  if (/\.xls[xm]$/i.test(name)) return true;
  // A zip without a telling name may be a workbook; other Office files go to the document
  // reader, which names them.
  return isZip(bytes) && !/\.(docx|pptx|odt|ods|odp|zip|jar|epub)$/i.test(name);
}

async function readXlsx(name: string, bytes: Uint8Array): Promise<ParsedUpload> {
  const { workbookToTables } = await import("./xlsx");
  const r = await workbookToTables(bytes, { file: name });
  const fatal = r.warnings.find((w) => w.severity === "error" && w.sheet === "");
  if (fatal && r.tables.length === 0) throw new UploadError(fatal.code, `${label(name)}：${fatal.message}`);
  const ofTables = new Set(r.tables.flatMap((t) => (t.warnings ?? []).map((w) => `${w.line}\u0000${w.code}\u0000${w.message}`)));
  const warnings = r.warnings
    .filter((w) => !ofTables.has(`${w.row}\u0000${w.code}\u0000${w.message}`))
    .map((w): DocumentWarning => ({ line: w.row, code: w.code, message: w.sheet && !w.message.includes(w.sheet) ? `工作表「${w.sheet}」：${w.message}` : w.message }));
  const years = r.tables.map((t) => t.year).filter((y): y is number => y != null);
  return { file: name, kind: "xlsx", year: years.length ? Math.max(...years) : null, tables: r.tables, warnings };
}

async function readText(name: string, bytes: Uint8Array): Promise<ParsedUpload> {
  let parsed: Awaited<ReturnType<typeof parseDocumentAsync>>;
  try {
    // A Word document is read into the same text (tables as HTML rows): app/io/docx/read.ts.
    const text = looksLikeDocx(name, bytes) ? await docxToText(bytes, name || null) : decodeDocument(bytes, name || null);
    // Bounded work (rows, cells, line length: document/rows.ts) that yields to other requests.
    parsed = await parseDocumentAsync(text, { file: name || null });
  } catch (e) {
    if (e instanceof DocumentInputError) throw new UploadError(e.code, e.code === "too_complex" ? `${label(name)}：${e.message}` : e.message);
    throw e;
  }
  const ofTables = new Set<object>(parsed.tables.flatMap((t) => t.warnings ?? []));
  return {
    file: name,
    kind: "document",
    year: parsed.year ?? null,
    tables: parsed.tables,
    warnings: parsed.warnings.filter((w) => !ofTables.has(w) && w.code !== "no_tables"),
  };
}

/**
 * Reads an uploaded file. Throws UploadError when it is too large, empty, binary, not a
 * readable workbook, or holds no 绩效目标表.
 */
export async function readUpload(name: string, bytes: Uint8Array): Promise<ParsedUpload> {
  if (bytes.byteLength > MAX_UPLOAD_BYTES) throw new UploadError("too_large", tooLargeMessage(name, bytes.byteLength));
  if (bytes.byteLength === 0) throw new UploadError("empty", `${label(name)}是空文件，没有可导入的内容`);
  const result = looksLikeXlsx(name, bytes) && !looksLikeDocx(name, bytes) ? await readXlsx(name, bytes) : await readText(name, bytes);
  if (result.tables.length === 0) {
    throw new UploadError(
      "no_tables",
      result.kind === "xlsx"
        ? `${label(name)}中没有找到绩效目标表：请确认工作表是“项目支出绩效目标表”或“部门（单位）整体绩效目标表”的格式`
        : `${label(name)}中没有找到项目绩效目标表或部门（单位）整体绩效目标表：请确认上传的是含绩效目标表的预算公开文档`,
    );
  }
  if (result.tables.length > MAX_UPLOAD_TABLES) {
    throw new UploadError("too_many", `${label(name)}含 ${result.tables.length} 张表，一次最多导入 ${MAX_UPLOAD_TABLES} 张，请拆分后再导入`);
  }
  return result;
}
