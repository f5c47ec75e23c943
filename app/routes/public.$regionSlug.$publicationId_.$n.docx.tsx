// GET /public/:regionSlug/:publicationId/:n/docx — one published table as its own Word file,
// made from the recorded snapshot (the same layout as the publication's file). No login.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "~/auth/permissions.server";
import { fileResponse } from "~/http/file-response.server";
import { publicTableOf, singleTableDocx } from "~/models/publication.server";
import { safeFileName } from "~/utils/download";

export async function loader({ params }: LoaderFunctionArgs) {
  const found = publicTableOf(params);
  if (!found) throw notFound();
  const { publication, n, table } = found;
  const bytes = await singleTableDocx(publication.id, n, table);
  return fileResponse(bytes, {
    fileName: safeFileName(`${publication.year}年${table.name}.docx`),
    fallback: `publication-${publication.id}-${n}.docx`,
    cache: "public",
  });
}
