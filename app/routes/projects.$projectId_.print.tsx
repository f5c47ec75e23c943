// GET /projects/:projectId/print[?version=N] — the project's 绩效目标表 (the version in force, or
// version N) in the official layout, for the browser's 打印 → PDF (A4). The file name's `_` keeps this page out of the project
// page's layout (that page has no <Outlet />): it renders on its own, without app chrome in print.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { notFound, requireUser } from "~/auth/permissions.server";
import { PrintTable, printTitle } from "~/components/PrintTable";
import { StatusBadge } from "~/components/StatusBadge";
import { getProjectExport } from "~/models/export.server";
import printStyles from "~/styles/print-table.css";
import { versionParam } from "~/utils/download";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: printStyles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = Number(params.projectId);
  const version = versionParam(request);
  const found = Number.isInteger(id) && version !== undefined ? getProjectExport(user, id, version) : null;
  if (!found) throw notFound();
  return { projectId: id, status: found.status, version: found.version, pinned: version !== null, table: found.table };
}

export default function ProjectPrint() {
  const { projectId, status, version, pinned, table } = useLoaderData<typeof loader>();
  const query = pinned && version ? `?version=${version}` : "";
  return (
    <>
      <div className="print-toolbar no-print">
        <div>
          <p className="muted" style={{ margin: 0 }}>
            <Link to="/projects">项目</Link> / <Link to={`/projects/${projectId}${query}`}>{table.project?.name ?? "项目"}</Link> / 打印
          </p>
          <p className="muted" style={{ margin: 0 }}>
            <StatusBadge status={status} />
            {version ? ` 第 ${version} 版` : null} · 使用浏览器的“打印”可另存为 PDF（A4 纵向）
          </p>
        </div>
        <div className="actions">
          <a className="btn" href={`/projects/${projectId}/xlsx${query}`} download>
            导出 Excel
          </a>
          <button type="button" className="btn btn-primary" onClick={() => window.print()}>
            打印
          </button>
        </div>
      </div>
      <div className="print-sheet">
        <PrintTable table={table} />
      </div>
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.table.project?.name ?? "项目"} · ${printTitle(data.table)} · 打印 · jixiao` : "打印 · jixiao" },
];
