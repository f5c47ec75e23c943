// GET /publications/:publicationId/docx — the Word file of a publication, as it was generated
// when published (stored, never regenerated). Scoped as the publication page; else 404.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireRole } from "~/auth/permissions.server";
import { fileResponse } from "~/http/file-response.server";
import { getPublicationFile } from "~/models/publication.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["finance", "department", "admin"]);
  const raw = params.publicationId ?? "";
  const file = /^\d{1,15}$/.test(raw) ? getPublicationFile(user, Number(raw)) : null;
  if (!file) throw notFound();
  return fileResponse(file.data, { fileName: file.fileName, fallback: `publication-${file.id}.docx`, sha256: file.sha256 });
}
