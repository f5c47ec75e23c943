// GET /public/:regionSlug/:publicationId/docx — the stored Word file of a publication of a
// region whose public page is on; anything else is a 404. No login.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "~/auth/permissions.server";
import { fileResponse } from "~/http/file-response.server";
import { getPublicPublicationFile, getPublicRegion } from "~/models/publication.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const region = getPublicRegion(params.regionSlug ?? "");
  const raw = params.publicationId ?? "";
  const file = region && /^\d{1,15}$/.test(raw) ? getPublicPublicationFile(region.id, Number(raw)) : null;
  if (!file) throw notFound();
  return fileResponse(file.data, { fileName: file.fileName, fallback: `publication-${file.id}.docx`, sha256: file.sha256, cache: "public" });
}
