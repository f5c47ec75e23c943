// GET /monitoring/:roundId/p/:projectId/xlsx — one project's 项目支出绩效运行监控表 as .xlsx: the
// saved entry, or the blank form prefilled as on the entry page, for the unit to fill in Excel
// and import (/monitoring/:roundId/import). A resource route; 404 outside the user's scope.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireUser } from "~/auth/permissions.server";
import { monitoringToWorkbook } from "~/io/xlsx/monitoring-export";
import { monitoringPeriodText, monitoringTitle } from "~/io/xlsx/monitoring-layout";
import { entrySheet } from "~/models/monitoring-xlsx.server";
import { getRound } from "~/models/rounds.server";
import { xlsxResponse } from "~/utils/download";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const round = getRound(user, Number(params.roundId), "monitoring");
  const sheet = round ? entrySheet(user, round, { kind: "project", id: Number(params.ownerId) }) : null;
  if (!round || !sheet) throw notFound();
  const body = await monitoringToWorkbook([sheet]);
  return xlsxResponse(body, `${monitoringTitle(sheet)}-${monitoringPeriodText(sheet)}-${sheet.name}.xlsx`, `jixiao-monitoring-${round.id}-p${sheet.ownerId}.xlsx`);
}
