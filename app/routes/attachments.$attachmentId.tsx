// GET /attachments/:attachmentId — one 佐证材料, for anyone who may see its report's owner
// (another region's or unit's file is a 404). Always a download, never rendered by the
// browser: Content-Disposition attachment, the content type decided at upload, nosniff, and
// a sandbox CSP in case it is opened anyway. docs/decisions/017-attachments.md.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireUser } from "~/auth/permissions.server";
import { extensionOf } from "~/domain/attachment-types";
import { getAttachmentForDownload } from "~/models/attachments.server";
import { contentDisposition } from "~/utils/download";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const raw = params.attachmentId ?? "";
  const file = /^\d{1,15}$/.test(raw) ? getAttachmentForDownload(user, Number(raw)) : null;
  if (!file) throw notFound();
  const ext = extensionOf(file.name);
  return new Response(new Uint8Array(file.data.buffer, file.data.byteOffset, file.data.byteLength) as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": contentDisposition(file.name, `attachment-${file.id}${ext ? `.${ext}` : ""}`),
      "Content-Length": String(file.data.byteLength),
      "Content-Security-Policy": "sandbox; default-src 'none'",
      "X-Content-Type-Options": "nosniff",
      "Cross-Origin-Resource-Policy": "same-origin",
      "Cache-Control": "private, no-store",
      ETag: `"${file.sha256}"`,
    },
  });
}
