// File downloads from resource routes: a Content-Disposition with a UTF-8 file name
// (RFC 6266 / RFC 5987 `filename*=`) and an ASCII fallback for old clients.

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** A file name without path separators, characters Windows refuses, or control characters. */
export function safeFileName(name: string, maxLength = 120): string {
  const cleaned = name
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .replace(/[\\/:*?"<>|]/g, "_")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\.+/, "");
  if (cleaned.length <= maxLength) return cleaned;
  const dot = cleaned.lastIndexOf(".");
  const ext = dot > 0 && cleaned.length - dot <= 8 ? cleaned.slice(dot) : "";
  return cleaned.slice(0, maxLength - ext.length) + ext;
}

/** RFC 5987 ext-value: UTF-8, percent-encoded (also ' ( ) * which encodeURIComponent keeps). */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `attachment; filename="fallback.xlsx"; filename*=UTF-8''%E2%80%A6` */
export function contentDisposition(fileName: string, asciiFallback: string): string {
  const name = safeFileName(fileName) || asciiFallback;
  const fallback = asciiFallback.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}

/** A private, uncached .xlsx download. */
export function xlsxResponse(body: Uint8Array, fileName: string, asciiFallback: string): Response {
  // A Buffer from exceljs is a Uint8Array over an ArrayBuffer; the DOM typing wants that spelled out.
  return new Response(body as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: {
      "Content-Type": XLSX_CONTENT_TYPE,
      "Content-Disposition": contentDisposition(fileName, asciiFallback),
      "Content-Length": String(body.byteLength),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** `?version=N` of an export or print URL: null when absent, undefined when invalid (the route's 404). */
export function versionParam(request: Request): number | null | undefined {
  const raw = new URL(request.url).searchParams.get("version");
  if (raw === null || raw === "") return null;
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}
