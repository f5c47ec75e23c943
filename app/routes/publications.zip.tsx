// GET /publications/zip?year= — the latest publication of each department of the year in the
// user's scope (finance: the region, one Word file per department), as one zip.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { notFound, requireRole } from "~/auth/permissions.server";
import { fileResponse } from "~/http/file-response.server";
import { publicationsZip } from "~/models/publication.server";

const yearSchema = z.coerce.number().int().min(1990).max(2100);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["finance", "department", "admin"]);
  const year = yearSchema.safeParse(new URL(request.url).searchParams.get("year") ?? user.currentYear);
  if (!year.success) throw new Response("参数有误：年度无效", { status: 400 });
  const zip = publicationsZip(user, year.data);
  if (!zip) throw notFound();
  return fileResponse(zip.data, { fileName: zip.name, fallback: `publications-${year.data}.zip`, contentType: "application/zip" });
}
