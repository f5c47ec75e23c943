// GET /projects/:projectId/xlsx — one project's current 绩效目标表 as .xlsx in the published
// layout. A resource route (no component). 404 when the project is not in the user's scope.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireUser } from "~/auth/permissions.server";
import { tableToWorkbook } from "~/io/xlsx";
import { getProjectExport } from "~/models/export.server";
import { xlsxResponse } from "~/utils/download";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = Number(params.projectId);
  const found = Number.isInteger(id) ? getProjectExport(user, id) : null;
  if (!found) throw notFound();
  const { table } = found;
  const body = await tableToWorkbook(table);
  const name = [table.year ? `${table.year}年` : "", "项目支出绩效目标表-", table.project?.name ?? `项目${id}`].join("");
  return xlsxResponse(body, `${name}.xlsx`, `jixiao-project-${id}.xlsx`);
}
