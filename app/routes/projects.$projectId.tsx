import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { notFound, requireUser } from "~/auth/permissions.server";
import { IndicatorTable } from "~/components/IndicatorTable";
import { MonitoringHistory } from "~/components/MonitoringHistory";
import { ReviewHistory, ReviewPanel, VersionDiff, VersionList } from "~/components/TableReview";
import { StatusBadge } from "~/components/StatusBadge";
import { TableEditor, type EditorValues } from "~/components/TableEditor";
import type { ExchangeTable } from "~/domain/schemas";
import { projectMonitoringHistory } from "~/models/monitoring-history.server";
import { getProject, projectLastYear } from "~/models/projects.server";
import { listProjectVersions } from "~/models/tables.server";
import { handleTableAction } from "~/http/table-actions.server";
import { loadTableView } from "~/models/table-view.server";
import { formatHundredths, formatWanNumber } from "~/utils/format";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = Number(params.projectId);
  const found = Number.isInteger(id) ? getProject(user, id) : null;
  if (!found) throw notFound();
  const versions = listProjectVersions(user, id);
  const wanted = Number(new URL(request.url).searchParams.get("version")) || null;
  const loaded = loadTableView(user, "project", found.project.year, versions, wanted, found.project);
  // 红灯预警 (结果应用): last year's approved self-evaluation when it was graded 差 (looked up
  // with the version's history when there is a version).
  const lastYear = loaded ? (loaded.lastYear ?? null) : projectLastYear(user, found.project);
  const view = loaded ? withoutLastYear(loaded) : null;
  if (view?.editorDefaults && view.headerEditable) view.editorDefaults = withHeader(view.editorDefaults, view.exchange);
  // 监控情况: each indicator across the year's monitoring rounds (issue 10 item 5).
  const monitoring = projectMonitoringHistory(user, found);
  return { ...found, versions, view, monitoring, lastYear };
}

function withoutLastYear<V extends { lastYear?: unknown }>({ lastYear: _, ...view }: V): Omit<V, "lastYear"> {
  return view;
}

/** The editor's values with the version's project header (editable in every editable version, docs/decisions/026). */
function withHeader(form: EditorValues, exchange: ExchangeTable): EditorValues {
  const p = exchange.project!;
  const num = (n: number | null) => (n === null ? "" : String(n));
  return {
    ...form,
    header: {
      name: p.name ?? "",
      code: p.code ?? "",
      category: p.category ?? "",
      budgetTotal: num(p.budget.total),
      budgetLocal: num(p.budget.local),
      budgetSuperior: num(p.budget.superior),
      overview: p.overview ?? "",
      basis: p.basis ?? "",
      midTermGoal: p.midTermGoal ?? "",
      annualGoal: p.annualGoal ?? "",
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = Number(params.projectId);
  if (!Number.isInteger(id) || !getProject(user, id)) throw notFound();
  const result = await handleTableAction(user, request, (ctx) => ctx.kind === "project" && ctx.ownerId === id);
  if (result.redirectTo) return redirect(result.redirectTo);
  return json(result.data, { status: result.status });
}

export default function ProjectPage() {
  const { project, departmentCode, departmentName, unitName, versions, view, monitoring } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const editorValues = (actionData && "values" in actionData && actionData.values) || view?.editorDefaults;
  const errors = (actionData && "errors" in actionData && actionData.errors) || {};
  return (
    <>
      <div className="page-header">
        <div>
          <p className="muted">
            <Link to="/projects">项目</Link> / {project.year} 年度
          </p>
          <h1>{view?.exchange.project?.name ?? project.name}</h1>
          <p className="muted">
            {project.code ?? "（无项目编码）"} · <StatusBadge status={view?.table.status} />
            {view && view.table.version > 1 ? ` · 第 ${view.table.version} 版（调整）` : null}
            {view?.table.rating ? ` · 财政评级：${view.table.rating}` : null}
          </p>
        </div>
        <div className="actions no-print" data-testid="project-links">
          <a href={`/projects/${project.id}/xlsx${view ? `?version=${view.table.version}` : ""}`} className="btn" download>
            导出 Excel
          </a>
          <Link to={`/projects/${project.id}/print${view ? `?version=${view.table.version}` : ""}`} className="btn">
            打印
          </Link>
        </div>
      </div>

      <LastYearWarning />

      {actionData && "message" in actionData && actionData.message ? (
        <div className={`alert ${actionData.ok ? "alert-success" : "alert-error"}`} role="alert" data-testid="action-message">
          {actionData.message}
          {"reasons" in actionData && actionData.reasons?.length ? (
            <ul>
              {actionData.reasons.map((r: string, i: number) => (
                <li key={i}>{r}</li>
              ))}
            </ul>
          ) : null}
          {"conflict" in actionData && actionData.conflict ? (
            <p>
              <a href={`/projects/${project.id}${view ? `?version=${view.table.version}` : ""}`} target="_blank" rel="noreferrer">
                在新窗口查看他人保存的版本
              </a>
            </p>
          ) : null}
        </div>
      ) : null}

      {view?.canEdit && editorValues ? (
        <>
          {!view.headerEditable ? <ProjectHeader /> : null}
          <h2>绩效目标表</h2>
          <TableEditor
            // Not keyed on the revision: a refused 提交审核 saves the draft (new revision), and
            // remounting then would wipe what the user typed while the page reloaded its data.
            key={JSON.stringify(actionData ?? null) + view.table.id}
            tableId={view.table.id}
            defaultValues={editorValues as EditorValues}
            base={view.exchange}
            ruleSet={view.ruleSet!}
            headerEditable={view.headerEditable}
            codeEditable={view.codeEditable}
            serverErrors={errors as Record<string, string>}
            revision={view.table.revision}
            canSubmit
            history={view.history}
          />
        </>
      ) : (
        <>
          <ProjectHeader />
          <h2>绩效指标</h2>
          {view ? (
            <>
              <Findings findings={view.findings} />
              <IndicatorTable rows={view.exchange.indicators.map((i, n) => ({ ...i, position: n, weight: i.weight === null ? null : Math.round(i.weight * 100) }))} />
            </>
          ) : (
            <p className="muted">此项目尚无绩效目标表。</p>
          )}
        </>
      )}

      {view && view.actions.length ? (
        <ReviewPanel
          tableId={view.table.id}
          status={view.table.status}
          actions={view.actions}
          role={view.role}
          indicators={view.exchange.indicators}
          errors={errors as Record<string, string>}
          values={(actionData && "reviewValues" in actionData && actionData.reviewValues) || null}
        />
      ) : null}

      {monitoring && monitoring.rounds.length > 0 ? <MonitoringHistory history={monitoring} /> : null}

      {view?.diff ? <VersionDiff diff={view.diff} version={view.table.version} /> : null}
      <VersionList versions={versions} current={view?.table.version ?? null} basePath={`/projects/${project.id}`} />
      {view ? <ReviewHistory reviews={view.reviews} versions={versions} /> : null}
    </>
  );

  // The header of the version shown (docs/decisions/026); the project's list copy without a table.
  function ProjectHeader() {
    const h = view?.exchange.project;
    const budget = h ? h.budget : { total: project.budgetTotal === null ? null : project.budgetTotal / 10000, local: null, superior: null };
    return (
      <div className="card" data-testid="project-header">
        <dl className="props">
          <dt>主管部门</dt>
          <dd>
            {departmentCode}-{departmentName}
          </dd>
          <dt>预算单位</dt>
          <dd>{unitName ?? "—"}</dd>
          <dt>项目分类</dt>
          <dd>{(h ? h.category : project.category) ?? "—"}</dd>
          <dt>财政归口科室</dt>
          <dd>{h?.financeOffice?.name ? `${h.financeOffice.code ?? ""}-${h.financeOffice.name}` : "—"}</dd>
          <dt>当年预算（万元）</dt>
          <dd>
            {formatWanNumber(budget.total, "—")}
            {budget.local !== null || budget.superior !== null
              ? `（本级安排 ${formatWanNumber(budget.local, "—")}，上级补助 ${formatWanNumber(budget.superior, "—")}）`
              : null}
          </dd>
          <dt>预算执行率权重</dt>
          <dd>{formatHundredths(view?.table.budgetExecutionWeight)}</dd>
          <dt>项目概况</dt>
          <dd>{h?.overview ?? "—"}</dd>
          <dt>立项依据</dt>
          <dd>{h?.basis ?? "—"}</dd>
          <dt>三年中期规划绩效目标</dt>
          <dd>{h?.midTermGoal ?? "—"}</dd>
          <dt>当年绩效目标</dt>
          <dd>{h?.annualGoal ?? "—"}</dd>
        </dl>
      </div>
    );
  }
}

/** 红灯预警: last year's approved self-evaluation of this project was graded 差 (docs/decisions/018-results-matching.md). */
function LastYearWarning() {
  const { lastYear } = useLoaderData<typeof loader>();
  if (lastYear?.grade !== "差") return null;
  return (
    <div className="alert alert-error" data-testid="last-year-warning">
      <strong>红灯预警</strong>：<Link to={lastYear.href}>上年自评：差</Link>（{lastYear.year} 年度绩效自评
      {lastYear.score !== null ? ` ${formatHundredths(lastYear.score)} 分` : ""}），审核时请重点关注。
    </div>
  );
}

function Findings({ findings }: { findings: { severity: string; message: string; code: string }[] }) {
  if (!findings.length) return <div className="alert alert-success">检查通过：未发现问题。</div>;
  const errors = findings.filter((f) => f.severity === "error");
  const others = findings.filter((f) => f.severity !== "error");
  return (
    <div className={`alert ${errors.length ? "alert-error" : "alert-warning"}`} data-testid="findings">
      <strong>
        检查发现 {errors.length} 个错误、{others.length} 个提示
      </strong>
      <ul>
        {[...errors, ...others].map((f, i) => (
          <li key={i}>
            {f.severity === "error" ? "✕" : f.severity === "warning" ? "⚠" : "ℹ"} {f.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.project.name} · 项目 · jixiao` : "项目 · jixiao" },
];
