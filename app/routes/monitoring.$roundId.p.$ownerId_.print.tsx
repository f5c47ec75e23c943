// GET /monitoring/:roundId/p/:projectId/print — one project's 项目支出绩效运行监控表 in the
// official layout (as the .xlsx export), for the browser's 打印 → PDF on A4 landscape. Server
// rendered, readable without JavaScript. The `_` in the file name keeps the page out of the entry
// page's layout. 404 outside the user's scope, as the entry page.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { notFound, requireUser } from "~/auth/permissions.server";
import { ReportStatusBadge } from "~/components/Lights";
import { MonitoringPrint } from "~/components/MonitoringPrint";
import { monitoringTitle } from "~/io/xlsx/monitoring-layout";
import { entrySheet } from "~/models/monitoring-xlsx.server";
import { getRound } from "~/models/rounds.server";
import monitoringPrintStyles from "~/styles/monitoring-print.css";
import printStyles from "~/styles/print-table.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: printStyles },
  { rel: "stylesheet", href: monitoringPrintStyles },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const round = getRound(user, Number(params.roundId), "monitoring");
  const sheet = round ? entrySheet(user, round, { kind: "project", id: Number(params.ownerId) }) : null;
  if (!round || !sheet) throw notFound();
  return { sheet };
}

export default function MonitoringPrintPage() {
  const { sheet } = useLoaderData<typeof loader>();
  const entry = `/monitoring/${sheet.roundId}/p/${sheet.ownerId}`;
  return (
    <>
      <div className="print-toolbar landscape no-print">
        <div>
          <p className="muted" style={{ margin: 0 }}>
            <Link to={`/monitoring/${sheet.roundId}`}>
              监控 · {sheet.year} 年度 {sheet.periodLabel}
            </Link>{" "}
            / <Link to={entry}>{sheet.name}</Link> / 打印
          </p>
          <p className="muted" style={{ margin: 0 }}>
            <ReportStatusBadge status={sheet.status} /> · 使用浏览器的“打印”可另存为 PDF（A4 横向）
          </p>
        </div>
        <div className="actions">
          <a className="btn" href={`${entry}/xlsx`} download>
            导出 Excel
          </a>
          <button type="button" className="btn btn-primary" onClick={() => window.print()}>
            打印
          </button>
        </div>
      </div>
      <div className="print-sheet landscape">
        <MonitoringPrint data={sheet} />
      </div>
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.sheet.name} · ${monitoringTitle(data.sheet)} · 打印 · jixiao` : "打印 · jixiao" },
];
