import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigate } from "@remix-run/react";
import { notFound, requireUser } from "~/auth/permissions.server";
import { EChart } from "~/components/EChart";
import { SelectField } from "~/components/Field";
import { LightBadge, LightCounts } from "~/components/Lights";
import { Pager } from "~/components/Pager";
import { rateText, RoundEntriesTable } from "~/components/RoundEntries";
import { periodLabel, ROUND_PHASE_LABELS, roundPhase, shanghaiDate } from "~/domain/rounds";
import { executionScatter, listRoundEntries, redItems, roundOverview } from "~/models/monitoring-overview.server";
import { getRound, listReopenings } from "~/models/rounds.server";
import { roundAdminAction } from "~/http/rounds-route.server";
import { ReopenPanel } from "~/components/RoundAdmin";
import { listDepartments } from "~/models/org.server";
import { parsePage } from "~/utils/pages";
import { parseId } from "~/utils/query";

const STATUS_OPTIONS = [
  ["", "全部状态"],
  ["not_started", "未填报"],
  ["draft", "草稿"],
  ["returned", "退回修改"],
  ["pending_department", "待主管部门审核"],
  ["pending_finance", "待财政审核"],
  ["submitted", "已提交"],
  ["approved", "已审核"],
  ["overdue", "已逾期"],
] as const;
const LIGHT_OPTIONS = [
  ["", "全部预警"],
  ["any_red", "有红灯"],
  ["budget_red", "预算执行红灯"],
  ["budget_yellow", "预算执行黄灯"],
  ["budget_green", "预算执行绿灯"],
  ["indicator_red", "有红灯指标"],
  ["indicator_yellow", "有黄灯指标"],
  ["indicator_green", "有绿灯指标"],
] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const round = getRound(user, Number(params.roundId), "monitoring");
  if (!round) throw notFound();
  const url = new URL(request.url);
  const status = url.searchParams.get("status");
  const light = url.searchParams.get("light");
  const filter = {
    departmentId: parseId(url.searchParams.get("department")),
    status: STATUS_OPTIONS.some(([v]) => v === status) ? status : null,
    light: LIGHT_OPTIONS.some(([v]) => v === light) ? light : null,
    page: parsePage(url.searchParams.get("page")),
  };
  const now = new Date();
  const reviewer = user.role === "finance" || user.role === "department";
  return json({
    role: user.role,
    round: { id: round.id, year: round.year, period: round.period, label: periodLabel(round.kind, round.period), phase: roundPhase(round, now), opensOn: shanghaiDate(round.opensAt), dueOn: shanghaiDate(round.dueAt), overdue: now > round.dueAt },
    overview: roundOverview(user, round, now),
    entries: listRoundEntries(user, round, filter, now),
    filter,
    scatter: reviewer ? executionScatter(user, round) : null,
    red: reviewer ? redItems(user, round) : null,
    reopenings: user.role === "finance" ? listReopenings(round.id).map((r) => ({ ...r, open: !r.closedAt || r.closedAt > now })) : [],
    departments: user.role === "finance" ? listDepartments(user).map((d) => ({ id: d.id, name: d.name })) : [],
  });
}

export const action = ({ request, params }: ActionFunctionArgs) => roundAdminAction(request, params, "monitoring");

export default function RoundPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigate = useNavigate();
  const errors: Record<string, string> = actionData?.errors ?? {};
  const { overview, entries } = data;
  const drill = (q: Record<string, string | number>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) p.set(k, String(v));
    return `/monitoring/${data.round.id}?${p.toString()}#entries`;
  };
  const depts = overview.departments;
  const lightsOption = {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: depts.map((d) => d.departmentName), inverse: true },
    series: (["red", "yellow", "green"] as const).map((light) => ({
      name: { red: "红灯指标", yellow: "黄灯指标", green: "绿灯指标" }[light],
      type: "bar",
      stack: "lights",
      itemStyle: { color: { red: "#b42318", yellow: "#d98c0a", green: "#1b7a3e" }[light] },
      data: depts.map((d) => d.indicators[light]),
    })),
  };
  const scatterOption = data.scatter
    ? {
        tooltip: { formatter: "{b}：执行率 {c}%" },
        grid: { left: 8, right: 24, bottom: 8, top: 24, containLabel: true },
        xAxis: { type: "category", show: false, data: data.scatter.points.map((p) => p.name) },
        yAxis: { type: "value", name: "执行率 %", min: 0 },
        series: [
          {
            type: "scatter",
            data: data.scatter.points.map((p) => ({ name: p.name, value: p.rate, itemStyle: { color: p.light === "red" ? "#b42318" : p.light === "yellow" ? "#d98c0a" : "#1b7a3e" } })),
            markLine: { symbol: "none", label: { formatter: `序时进度 ${data.scatter.timeProgress}%` }, data: [{ yAxis: data.scatter.timeProgress }] },
          },
        ],
      }
    : null;
  return (
    <>
      <div className="page-header">
        <div>
          <p className="muted">
            <Link to={`/monitoring?year=${data.round.year}`}>监控</Link> / {data.round.year} 年度
          </p>
          <h1>{data.round.year} 年度 {data.round.label} 绩效运行监控</h1>
          <p className="muted">
            {ROUND_PHASE_LABELS[data.round.phase]} · {data.round.opensOn} 至 {data.round.dueOn}
            {data.round.overdue && data.round.phase === "open" ? " · 已过截止日期" : ""}
          </p>
        </div>
        <div className="actions">
          <a className="btn" href={`/monitoring/${data.round.id}/xlsx${data.filter.departmentId ? `?department=${data.filter.departmentId}` : ""}`} download>
            导出 Excel
          </a>
          <Link className="btn" to={`/monitoring/${data.round.id}/import`}>
            导入 Excel
          </Link>
          {data.role === "finance" && data.round.phase !== "closed" ? (
            <Form method="post">
              <input type="hidden" name="intent" value="close" />
              <button type="submit" className="btn btn-danger">
                关闭任务
              </button>
            </Form>
          ) : null}
        </div>
      </div>
      {errors.form ? (
        <div className="alert alert-error" role="alert">
          {errors.form}
        </div>
      ) : null}

      <div className="grid stats" aria-label="填报进度">
        <Link className="stat" to={drill({})}>
          <span className="num">{overview.total.due}</span>
          <span className="label">应填报</span>
        </Link>
        <Link className="stat" to={drill({ status: "submitted" })}>
          <span className="num">{overview.total.submitted}</span>
          <span className="label">已提交</span>
        </Link>
        <Link className="stat" to={drill({ status: "overdue" })}>
          <span className="num">{overview.total.overdue}</span>
          <span className="label">已逾期</span>
        </Link>
        <Link className="stat" to={drill({ status: "approved" })}>
          <span className="num">{overview.total.approved}</span>
          <span className="label">已审核</span>
        </Link>
        <Link className="stat" to={drill({ light: "any_red" })}>
          <span className="num">{overview.total.budget.red + overview.total.indicators.red}</span>
          <span className="label">红灯（预算 {overview.total.budget.red} · 指标 {overview.total.indicators.red}）</span>
        </Link>
      </div>

      <section className="card" aria-labelledby="dept-h">
        <h2 id="dept-h">各主管部门情况</h2>
        {depts.length > 0 ? (
          <EChart
            option={lightsOption}
            height={Math.max(160, 40 + depts.length * 34)}
            testId="lights-chart"
            onItemClick={(e) => {
              const d = depts[e.dataIndex];
              const light = e.seriesName === "红灯指标" ? "indicator_red" : e.seriesName === "黄灯指标" ? "indicator_yellow" : "indicator_green";
              if (d) navigate(drill({ department: d.departmentId, light }));
            }}
          />
        ) : null}
        <div className="table-wrap">
          <table className="data" data-testid="department-table">
            <caption className="sr-only">各主管部门填报进度和红黄绿灯数量</caption>
            <thead>
              <tr>
                <th scope="col">主管部门</th>
                <th scope="col" className="num">应填报</th>
                <th scope="col" className="num">已填报</th>
                <th scope="col" className="num">已提交</th>
                <th scope="col" className="num">已逾期</th>
                <th scope="col" className="num">已审核</th>
                <th scope="col">预算执行</th>
                <th scope="col">指标</th>
              </tr>
            </thead>
            <tbody>
              {depts.length === 0 ? (
                <tr>
                  <td colSpan={8} className="empty">
                    本年度没有已批复的绩效目标，无需填报。
                  </td>
                </tr>
              ) : (
                depts.map((d) => (
                  <tr key={d.departmentId}>
                    <th scope="row">
                      <Link to={drill({ department: d.departmentId })}>{d.departmentName}</Link>
                    </th>
                    <td className="num">{d.due}</td>
                    <td className="num">{d.started}</td>
                    <td className="num">{d.submitted}</td>
                    <td className="num">{d.overdue > 0 ? <Link to={drill({ department: d.departmentId, status: "overdue" })}>{d.overdue}</Link> : 0}</td>
                    <td className="num">{d.approved}</td>
                    <td>
                      <LightCounts {...d.budget} />
                    </td>
                    <td>
                      <Link to={drill({ department: d.departmentId, light: "indicator_red" })} aria-label={`${d.departmentName}：红灯指标 ${d.indicators.red} 个，查看`}>
                        <LightCounts {...d.indicators} />
                      </Link>
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </section>

      {data.scatter && data.scatter.points.length > 0 && scatterOption ? (
        <section className="card" aria-labelledby="scatter-h">
          <h2 id="scatter-h">预算执行率与序时进度</h2>
          <p className="muted">
            序时进度 {data.scatter.timeProgress}%；低于序时进度 10 个百分点以上为黄灯，20 个百分点以上为红灯（按本地区规则集）。
          </p>
          <EChart
            option={scatterOption}
            testId="scatter-chart"
            onItemClick={(e) => {
              const p = data.scatter!.points[e.dataIndex];
              if (p) navigate(p.href);
            }}
          />
          <details>
            <summary>以列表查看（{data.scatter.points.length} 个项目）</summary>
            <ul>
              {data.scatter.points.map((p) => (
                <li key={p.href}>
                  <Link to={p.href}>{p.name}</Link>：执行率 {p.rate}% <LightBadge light={p.light} />
                </li>
              ))}
            </ul>
          </details>
        </section>
      ) : null}

      {data.red && (data.red.budget.length > 0 || data.red.indicators.length > 0) ? (
        <section className="card" aria-labelledby="red-h">
          <h2 id="red-h">红灯事项</h2>
          <ul className="red-items" data-testid="red-items">
            {data.red.budget.map((b) => (
              <li key={`b${b.reportId}`}>
                <Link to={b.href}>{b.name}</Link>（{b.departmentName}）：预算执行率 {(b.rate ?? 0) / 100}% — 原因：{b.reason ?? "未说明"}；措施：{b.measures ?? "未填写"}
                {b.rectifying ? <span className="badge badge-amber"> 整改中</span> : null}
              </li>
            ))}
            {data.red.indicators.map((r) => (
              <li key={`i${r.reportId}-${r.position}`}>
                <Link to={r.href}>{r.name}</Link>（{r.departmentName}）：指标「{r.indicatorName}」目标 {r.operator}
                {r.target}，预计 {r.projected ?? "—"} — 原因：{[r.reasons.join("、"), r.reasonText].filter(Boolean).join("：") || "未说明"}；措施：{r.measures ?? "未填写"}
                {r.rectifying ? <span className="badge badge-amber"> 整改中</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="card" id="entries" aria-labelledby="entries-h">
        <h2 id="entries-h">填报清单</h2>
        {/* Keyed by the filter: a drill-down (chart, counts) navigates client-side, and the
            selects' defaultValue would otherwise keep showing the previous filter. */}
        <Form method="get" className="form-inline" key={`${data.filter.departmentId}-${data.filter.status}-${data.filter.light}`}>
          {data.departments.length > 0 ? (
            <SelectField id="f-dept" label="主管部门" name="department" defaultValue={data.filter.departmentId ?? ""} options={data.departments.map((d) => ({ value: d.id, label: d.name }))} placeholder="全部主管部门" />
          ) : null}
          <SelectField id="f-status" label="状态" name="status" defaultValue={data.filter.status ?? ""} options={STATUS_OPTIONS.map(([value, label]) => ({ value, label }))} />
          <SelectField id="f-light" label="预警" name="light" defaultValue={data.filter.light ?? ""} options={LIGHT_OPTIONS.map(([value, label]) => ({ value, label }))} />
          <button type="submit" className="btn">
            筛选
          </button>
        </Form>
        <p className="muted" aria-live="polite">
          共 {entries.total} 项
        </p>
        <RoundEntriesTable
          rows={entries.rows}
          empty="没有符合条件的填报。"
          columns={[
            { head: "预算执行", cell: (e) => <LightBadge light={e.budgetLight} /> },
            { head: "执行率", num: true, cell: (e) => rateText(e.executionRate) },
            { head: "指标", cell: (e) => (e.reportId ? <LightCounts green={e.green ?? 0} yellow={e.yellow ?? 0} red={e.red ?? 0} /> : "—") },
          ]}
        />
        <Pager page={entries.page} pageSize={entries.pageSize} total={entries.total} />
      </section>

      {data.role === "finance" && data.round.phase === "closed" ? (
        <ReopenPanel reopenings={data.reopenings} departments={data.departments} owners={entries.rows} errors={errors} values={actionData?.values ?? null} />
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "监控任务 · jixiao" }];
