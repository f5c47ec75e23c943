import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { notFound, requireUser } from "~/auth/permissions.server";
import { IndicatorTable } from "~/components/IndicatorTable";
import { StatusBadge } from "~/components/StatusBadge";
import { getProject } from "~/models/projects.server";
import { listIndicators, listProjectVersions } from "~/models/tables.server";
import { formatHundredths, formatWan } from "~/utils/format";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = Number(params.projectId);
  const found = Number.isInteger(id) ? getProject(user, id) : null;
  if (!found) throw notFound();
  const versions = listProjectVersions(id);
  const current = versions.find((v) => v.isCurrent) ?? versions[0] ?? null;
  return {
    ...found,
    versions,
    current,
    indicators: current ? listIndicators(current.id) : [],
  };
}

export default function ProjectPage() {
  const { project, departmentCode, departmentName, unitName, current, indicators } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-header">
        <div>
          <p className="muted">
            <Link to="/projects">项目</Link> / {project.year} 年度
          </p>
          <h1>{project.name}</h1>
          <p className="muted">
            {project.code ?? "（无项目编码）"} · <StatusBadge status={current?.status} />
          </p>
        </div>
      </div>
      <div className="card">
        <dl className="props">
          <dt>主管部门</dt>
          <dd>
            {departmentCode}-{departmentName}
          </dd>
          <dt>预算单位</dt>
          <dd>{unitName ?? "—"}</dd>
          <dt>项目分类</dt>
          <dd>{project.category ?? "—"}</dd>
          <dt>财政归口科室</dt>
          <dd>{project.financeOfficeName ? `${project.financeOfficeCode ?? ""}-${project.financeOfficeName}` : "—"}</dd>
          <dt>当年预算（万元）</dt>
          <dd>
            {formatWan(project.budgetTotal)}
            {project.budgetLocal !== null || project.budgetSuperior !== null
              ? `（本级安排 ${formatWan(project.budgetLocal)}，上级补助 ${formatWan(project.budgetSuperior)}）`
              : null}
          </dd>
          <dt>预算执行率权重</dt>
          <dd>{formatHundredths(current?.budgetExecutionWeight)}</dd>
          <dt>项目概况</dt>
          <dd>{project.overview ?? "—"}</dd>
          <dt>当年绩效目标</dt>
          <dd>{project.annualGoal ?? "—"}</dd>
        </dl>
      </div>
      <h2>绩效指标</h2>
      <IndicatorTable rows={indicators} />
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.project.name} · 项目 · jixiao` : "项目 · jixiao" },
];
