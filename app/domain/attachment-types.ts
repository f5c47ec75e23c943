// 佐证材料: which files may be attached to a self-evaluation, and the limits. The type is
// decided from the file's own bytes AND its extension, never from the browser's content type:
// both must name the same allowed type. Markup (HTML, SVG, XML) is refused whatever its name,
// because a browser may run the scripts it carries. See docs/decisions/017-attachments.md.
// Pure: the limits and the accept list are shown in the browser too.

/** One file at most this large (10 MB). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENT_MB = MAX_ATTACHMENT_BYTES / 1024 / 1024;
/** Files of one evaluation at most. */
export const MAX_ATTACHMENTS_PER_REPORT = 50;
/** All files of one evaluation together at most this large (100 MB). */
export const MAX_ATTACHMENT_TOTAL_BYTES = 100 * 1024 * 1024;
export const MAX_ATTACHMENT_TOTAL_MB = MAX_ATTACHMENT_TOTAL_BYTES / 1024 / 1024;
/** Files in one upload at most (the server also limits the request to 20 MB). */
export const MAX_FILES_PER_UPLOAD = 10;

export type AttachmentKind = "pdf" | "image" | "word" | "excel" | "powerpoint" | "text";

type TypeSpec = { kind: AttachmentKind; label: string; contentType: string };

const OOXML = "application/vnd.openxmlformats-officedocument";
/** Allowed extensions (lower case, no dot) → what the bytes must be. */
const TYPES: Record<string, TypeSpec> = {
  pdf: { kind: "pdf", label: "PDF", contentType: "application/pdf" },
  png: { kind: "image", label: "PNG 图片", contentType: "image/png" },
  jpg: { kind: "image", label: "JPEG 图片", contentType: "image/jpeg" },
  jpeg: { kind: "image", label: "JPEG 图片", contentType: "image/jpeg" },
  gif: { kind: "image", label: "GIF 图片", contentType: "image/gif" },
  webp: { kind: "image", label: "WebP 图片", contentType: "image/webp" },
  doc: { kind: "word", label: "Word 文档", contentType: "application/msword" },
  docx: { kind: "word", label: "Word 文档", contentType: `${OOXML}.wordprocessingml.document` },
  wps: { kind: "word", label: "WPS 文字文档", contentType: "application/octet-stream" },
  xls: { kind: "excel", label: "Excel 表格", contentType: "application/vnd.ms-excel" },
  xlsx: { kind: "excel", label: "Excel 表格", contentType: `${OOXML}.spreadsheetml.sheet` },
  et: { kind: "excel", label: "WPS 表格", contentType: "application/octet-stream" },
  ppt: { kind: "powerpoint", label: "PowerPoint 演示文稿", contentType: "application/vnd.ms-powerpoint" },
  pptx: { kind: "powerpoint", label: "PowerPoint 演示文稿", contentType: `${OOXML}.presentationml.presentation` },
  dps: { kind: "powerpoint", label: "WPS 演示文稿", contentType: "application/octet-stream" },
  txt: { kind: "text", label: "文本文件", contentType: "text/plain" },
  csv: { kind: "text", label: "CSV 文本", contentType: "text/csv" },
};

export const ATTACHMENT_EXTENSIONS = Object.keys(TYPES);
/** The file input's accept attribute (a hint only; the server decides). */
export const ATTACHMENT_ACCEPT = ATTACHMENT_EXTENSIONS.map((e) => `.${e}`).join(",");
export const ALLOWED_TYPES_TEXT = "PDF、图片（PNG、JPEG、GIF、WebP）、Word / Excel / PowerPoint / WPS 文档、纯文本（.txt、.csv）";

export type DetectedType = { ext: string; kind: AttachmentKind; label: string; contentType: string };
export type DetectFailure = { ok: false; code: "empty" | "too_large" | "forbidden_type" | "markup" | "mismatch"; message: string };
export type DetectResult = ({ ok: true } & DetectedType) | DetectFailure;

const quote = (name: string) => (name ? `文件「${name}」` : "上传的文件");

export function attachmentTooLargeMessage(name: string | null, size: number | null): string {
  const sizeText = size !== null ? `（${(size / 1024 / 1024).toFixed(1)} MB）` : "";
  return `${quote(name ?? "")}过大${sizeText}：每个佐证材料不能超过 ${MAX_ATTACHMENT_MB} MB，请压缩或拆分后再上传`;
}

/** The extension of a file name, lower case without the dot ("" when none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

const startsWith = (b: Uint8Array, sig: number[], at = 0) => b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

const isPdf = (b: Uint8Array) => startsWith(b, ascii("%PDF-"));
const isPng = (b: Uint8Array) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const isJpeg = (b: Uint8Array) => startsWith(b, [0xff, 0xd8, 0xff]);
const isGif = (b: Uint8Array) => startsWith(b, ascii("GIF87a")) || startsWith(b, ascii("GIF89a"));
const isWebp = (b: Uint8Array) => startsWith(b, ascii("RIFF")) && startsWith(b, ascii("WEBP"), 8);
const isZip = (b: Uint8Array) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]);
const isCfb = (b: Uint8Array) => startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/**
 * The entry names of a zip from its central directory, or null when there is none to read
 * (damaged, or Zip64, which a 10 MB Office file never needs). Bounded by the file's size.
 */
export function zipEntryNames(b: Uint8Array): string[] | null {
  if (b.length < 22) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let eocd = -1;
  // The end record is the last 22 bytes plus a comment of at most 65535 bytes.
  for (let i = b.length - 22, min = Math.max(0, b.length - 22 - 0xffff); i >= min; i--) {
    if (dv.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = dv.getUint16(eocd + 10, true);
  let p = dv.getUint32(eocd + 16, true);
  if (count === 0xffff || p === 0xffffffff) return null;
  const names: string[] = [];
  const decoder = new TextDecoder("utf-8");
  for (let k = 0; k < count; k++) {
    if (p + 46 > b.length || dv.getUint32(p, true) !== 0x02014b50) return null;
    const n = dv.getUint16(p + 28, true);
    const extra = dv.getUint16(p + 30, true);
    const comment = dv.getUint16(p + 32, true);
    if (p + 46 + n > b.length) return null;
    names.push(decoder.decode(b.subarray(p + 46, p + 46 + n)));
    p += 46 + n + extra + comment;
  }
  return names;
}

/** Office Open XML: a zip with [Content_Types].xml and the part folder of its kind. */
function isOoxml(b: Uint8Array, folder: string): boolean {
  if (!isZip(b)) return false;
  const names = zipEntryNames(b);
  return names !== null && names.includes("[Content_Types].xml") && names.some((n) => n.startsWith(folder));
}

/**
 * A compound file (legacy Office, WPS) holding a stream of one of these names. Directory
 * entries are 128 bytes and start at multiples of 128 (512-byte header, sectors of 512 or
 * 4096 bytes), with the UTF-16LE name, its length in bytes at +64 and the type (2 = stream)
 * at +66; so only those offsets are looked at.
 */
function cfbHasStream(b: Uint8Array, streams: string[]): boolean {
  if (!isCfb(b)) return false;
  const wanted = streams.map((s) => Array.from(s + "\u0000", (c) => [c.charCodeAt(0), 0]).flat());
  for (let at = 512; at + 128 <= b.length; at += 128) {
    if (b[at + 66] !== 2) continue;
    const len = b[at + 64] | (b[at + 65] << 8);
    if (wanted.some((w) => w.length === len && startsWith(b, w, at))) return true;
  }
  return false;
}

/** Text that starts like markup a browser would render (HTML, SVG, XML). */
function looksLikeMarkup(b: Uint8Array): boolean {
  let head = new TextDecoder("utf-8").decode(b.subarray(0, 1024));
  head = head.replace(/^\uFEFF/, "").replace(/^[\s\u0000]+/, "").toLowerCase();
  return /^<(!doctype|html|head|body|svg|\?xml|script|iframe|!--|meta|a\s|div|img|object|embed)/.test(head);
}

/** A text file: no NUL or other control bytes; its charset when it decodes cleanly. */
function textCharset(b: Uint8Array): string | null {
  for (let i = 0; i < b.length; i++) {
    const x = b[i];
    if (x < 0x20 && x !== 0x09 && x !== 0x0a && x !== 0x0d && x !== 0x0c) return null;
  }
  for (const charset of ["utf-8", "gb18030"]) {
    try {
      new TextDecoder(charset, { fatal: true }).decode(b);
      return charset;
    } catch {
      /* try the next one */
    }
  }
  return null;
}

function matches(ext: string, b: Uint8Array): boolean {
  switch (ext) {
    case "pdf":
      return isPdf(b);
    case "png":
      return isPng(b);
    case "jpg":
    case "jpeg":
      return isJpeg(b);
    case "gif":
      return isGif(b);
    case "webp":
      return isWebp(b);
    case "docx":
      return isOoxml(b, "word/");
    case "xlsx":
      return isOoxml(b, "xl/");
    case "pptx":
      return isOoxml(b, "ppt/");
    case "doc":
    case "wps":
      return cfbHasStream(b, ["WordDocument"]);
    case "xls":
    case "et":
      return cfbHasStream(b, ["Workbook", "Book"]);
    case "ppt":
    case "dps":
      return cfbHasStream(b, ["PowerPoint Document"]);
    default:
      return false;
  }
}

/** Decides the stored content type of an uploaded file, or why it is refused (Chinese). */
export function detectAttachmentType(name: string, bytes: Uint8Array): DetectResult {
  const ext = extensionOf(name);
  const spec = Object.prototype.hasOwnProperty.call(TYPES, ext) ? TYPES[ext] : undefined;
  if (bytes.byteLength === 0) return { ok: false, code: "empty", message: `${quote(name)}是空文件，不能上传` };
  if (bytes.byteLength > MAX_ATTACHMENT_BYTES) return { ok: false, code: "too_large", message: attachmentTooLargeMessage(name, bytes.byteLength) };
  if (/^(svg|svgz|html?|xhtml|xht|xml|mht|mhtml|js|mjs)$/.test(ext) || (!isPdf(bytes) && looksLikeMarkup(bytes))) {
    return { ok: false, code: "markup", message: `${quote(name)}是网页或 SVG 等标记文件，可能含有脚本，不能作为佐证材料上传；请另存为 PDF 或 PNG 图片后再上传` };
  }
  if (!spec) {
    return { ok: false, code: "forbidden_type", message: `${quote(name)}的类型不允许上传：佐证材料只能是 ${ALLOWED_TYPES_TEXT}` };
  }
  if (spec.kind === "text") {
    const charset = textCharset(bytes);
    if (!charset) return { ok: false, code: "mismatch", message: `${quote(name)}不是可读的文本文件（含二进制内容），与扩展名不符，不能上传` };
    return { ok: true, ext, kind: spec.kind, label: spec.label, contentType: `${spec.contentType}; charset=${charset}` };
  }
  if (!matches(ext, bytes)) {
    return { ok: false, code: "mismatch", message: `${quote(name)}的内容不是${spec.label}，与扩展名 .${ext} 不符（或文件已损坏），不能上传` };
  }
  return { ok: true, ext, kind: spec.kind, label: spec.label, contentType: spec.contentType };
}
