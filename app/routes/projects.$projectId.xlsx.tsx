// GET /projects/:projectId/xlsx[?version=N] — one project's 绩效目标表 (the version in force, or
// version N) as .xlsx in the published layout. A resource route (no component). 404 when the
// project is not in the user's scope or has no such version.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireUser } from "~/auth/permissions.server";
import { tableToWorkbook } from "~/io/xlsx";
import { getProjectExport } from "~/models/export.server";
import { versionParam, xlsxResponse } from "~/utils/download";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = Number(params.projectId);
  const version = versionParam(request);
  const found = Number.isInteger(id) && version !== undefined ? getProjectExport(user, id, version) : null;
  if (!found) throw notFound();
  const { table } = found;
  const body = await tableToWorkbook(table);
  const name = [
    table.year ? `${table.year}年` : "",
    "项目支出绩效目标表-",
    table.project?.name ?? `项目${id}`,
    found.version && found.version > 1 ? `（第${found.version}版）` : "",
  ].join("");
  return xlsxResponse(body, `${name}.xlsx`, `jixiao-project-${id}.xlsx`);
}
