// Turning the bytes of an uploaded or given file into document text, with the checks that
// protect the importer: a size limit, empty files, binary files (PDF, .docx/.xlsx, images)
// and encodings (UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK). Errors carry a
// code and a Chinese message for the user. Pure TypeScript (TextDecoder is standard in
// Node and browsers): the web upload can use it as well as the CLI.

/** Documents must be smaller than this (50 MB). */
export const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;

export type DocumentInputErrorCode = "too_large" | "too_complex" | "empty" | "binary" | "encoding" | "not_found" | "unreadable";

export class DocumentInputError extends Error {
  readonly code: DocumentInputErrorCode;
  constructor(code: DocumentInputErrorCode, message: string) {
    super(message);
    this.name = "DocumentInputError";
    this.code = code;
  }
}

function label(name: string | null | undefined): string {
  return name ? `文件「${name}」` : "文件";
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

/** Throws `too_large` when a file of `size` bytes may not be imported. */
export function checkDocumentSize(size: number, name?: string | null): void {
  if (size >= MAX_DOCUMENT_BYTES) {
    throw new DocumentInputError(
      "too_large",
      `${label(name)}过大（${mb(size)} MB）：导入的文档须小于 ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB，请拆分后再导入`,
    );
  }
}

const MAGIC: Array<{ bytes: number[]; what: string }> = [
  { bytes: [0x25, 0x50, 0x44, 0x46], what: "PDF 文件，请先转换为文本（.txt/.md/.html）再导入" },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: "压缩包或 Office 文件（.xlsx/.docx/.zip）；Excel 表格请按 .xlsx 导入，Word 文档请按 .docx 导入" },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: "旧版 Office 文件（.doc/.xls），请另存为 .docx、.xlsx 或文本再导入" },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: "PNG 图片" },
  { bytes: [0xff, 0xd8, 0xff], what: "JPEG 图片" },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: "GIF 图片" },
  { bytes: [0x1f, 0x8b], what: "gzip 压缩文件" },
  { bytes: [0x52, 0x61, 0x72, 0x21], what: "RAR 压缩文件" },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], what: "7z 压缩文件" },
];

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

function binary(name: string | null | undefined, what: string): DocumentInputError {
  return new DocumentInputError("binary", `${label(name)}不是文本文档：${what}`);
}

function tryDecode(encoding: string, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Share of control characters (other than tab, line breaks, form feed) in a sample. */
function controlShare(text: string): number {
  const n = Math.min(text.length, 65536);
  if (n === 0) return 0;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) bad++;
  }
  return bad / n;
}

/** Length of the UTF-8 sequence at `i` (2–4), or 0 when the bytes there are not one. */
function utf8Sequence(b: Uint8Array, i: number, end: number): number {
  const c = b[i];
  const n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (n === 0 || i + n > end) return 0;
  for (let k = 1; k < n; k++) if ((b[i + k] & 0xc0) !== 0x80) return 0;
  return n;
}

/**
 * For a file that is not UTF-8 as a whole: the first line that is UTF-8 (with at least three
 * multi-byte characters, which GBK text is almost never by chance) and the first line that
 * is not, when both exist: such a file would be read as GBK with garbled names.
 */
function mixedUtf8Line(bytes: Uint8Array): { utf8: number; other: number } | null {
  let utf8 = 0;
  let other = 0;
  let line = 1;
  for (let start = 0; start < bytes.length && !(utf8 && other); line++) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    let multi = 0;
    let valid = true;
    for (let i = start; i < end; i++) {
      if (bytes[i] < 0x80) continue;
      const n = utf8Sequence(bytes, i, end);
      if (n === 0) {
        valid = false;
        break;
      }
      multi++;
      i += n - 1;
    }
    if (!valid) other ||= line;
    else if (multi >= 3) utf8 ||= line;
    start = end + 1;
  }
  return utf8 && other ? { utf8, other } : null;
}

/**
 * Decodes the bytes of a document. Throws a `DocumentInputError` for an empty, oversized
 * or binary file. Returns the text without a byte-order mark.
 */
export function decodeDocument(bytes: Uint8Array, name?: string | null): string {
  checkDocumentSize(bytes.byteLength, name);
  if (bytes.byteLength === 0) throw new DocumentInputError("empty", `${label(name)}是空文件，没有可导入的内容`);
  for (const m of MAGIC) if (startsWith(bytes, m.bytes)) throw binary(name, `看起来是${m.what}`);

  let text: string | null = null;
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) text = tryDecode("utf-8", bytes.subarray(3));
  else if (startsWith(bytes, [0xff, 0xfe])) text = tryDecode("utf-16le", bytes.subarray(2));
  else if (startsWith(bytes, [0xfe, 0xff])) text = tryDecode("utf-16be", bytes.subarray(2));
  else {
    // NUL bytes never occur in UTF-8 or GB18030 text.
    const sample = bytes.subarray(0, 65536);
    if (sample.indexOf(0) >= 0) throw binary(name, "含有 NUL 字节，看起来是二进制文件");
    text = tryDecode("utf-8", bytes);
    if (text === null) {
      const mixed = mixedUtf8Line(bytes);
      if (mixed) {
        throw new DocumentInputError(
          "encoding",
          `${label(name)}混合了 UTF-8 和 GBK 两种编码（第 ${mixed.utf8} 行是 UTF-8，第 ${mixed.other} 行不是），无法可靠读取：请将整个文件另存为 UTF-8 编码后再导入`,
        );
      }
      text = tryDecode("gb18030", bytes);
    }
  }
  if (text === null) throw binary(name, "无法按 UTF-8 或 GB18030 编码读取，看起来是二进制文件");
  if (controlShare(text) > 0.01) throw binary(name, "含有大量控制字符，看起来是二进制文件");
  if (text.trim() === "") throw new DocumentInputError("empty", `${label(name)}只有空白，没有可导入的内容`);
  return text;
}
