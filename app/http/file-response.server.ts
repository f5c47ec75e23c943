// Downloads of stored files (publications: Word, zip) as HTTP responses.
import { DOCX_CONTENT_TYPE } from "../models/publication.server";
import { contentDisposition } from "../utils/download";

/** A Word (or zip) download; public files may be cached briefly, private ones never. */
export function fileResponse(
  data: Uint8Array,
  opts: { fileName: string; fallback: string; contentType?: string; sha256?: string; cache?: "private" | "public" },
): Response {
  const headers: Record<string, string> = {
    "Content-Type": opts.contentType ?? DOCX_CONTENT_TYPE,
    "Content-Disposition": contentDisposition(opts.fileName, opts.fallback),
    "Content-Length": String(data.byteLength),
    "Cache-Control": opts.cache === "public" ? "public, max-age=300" : "private, no-store",
    "X-Content-Type-Options": "nosniff",
  };
  if (opts.sha256) headers.ETag = `"${opts.sha256}"`;
  return new Response(new Uint8Array(data.buffer, data.byteOffset, data.byteLength) as Uint8Array<ArrayBuffer>, { status: 200, headers });
}
