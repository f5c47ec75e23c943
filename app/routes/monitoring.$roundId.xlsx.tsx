// GET /monitoring/:roundId/xlsx[?department=ID] — a round as one workbook: an index sheet (目录)
// and one 绩效运行监控表 per entry in the user's scope (a unit: its projects; a department: its
// own; finance: the region, or one department). A department outside the scope is a 404;
// more than MAX_MONITORING_SHEETS entries are refused with a 400 and a Chinese message
// (the export is built in memory; filtering by department keeps it bounded).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireUser } from "~/auth/permissions.server";
import { monitoringToWorkbook, TooManySheetsError } from "~/io/xlsx/monitoring-export";
import { roundSheets } from "~/models/monitoring-xlsx.server";
import { getRound } from "~/models/rounds.server";
import { periodLabel } from "~/domain/rounds";
import { xlsxResponse } from "~/utils/download";
import { parseId } from "~/utils/query";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const round = getRound(user, Number(params.roundId), "monitoring");
  if (!round) throw notFound();
  const raw = new URL(request.url).searchParams.get("department");
  const departmentId = raw ? parseId(raw) : null;
  if (raw && departmentId === null) throw notFound();
  let found;
  try {
    found = roundSheets(user, round, departmentId);
  } catch (e) {
    if (e instanceof TooManySheetsError) {
      return new Response(e.message, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    }
    throw e;
  }
  if (!found) throw notFound();
  const scope = found.department?.name ?? user.regionName;
  const title = `${scope}${round.year}年${periodLabel(round.kind, round.period)}绩效运行监控表`;
  const body = await monitoringToWorkbook(found.sheets, { title, index: true });
  const fallback = `jixiao-monitoring-${round.id}${found.department ? `-department-${found.department.id}` : ""}.xlsx`;
  return xlsxResponse(body, `${title}.xlsx`, fallback);
}
