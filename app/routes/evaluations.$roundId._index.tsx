import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigate } from "@remix-run/react";
import { notFound, requireUser } from "~/auth/permissions.server";
import { EChart } from "~/components/EChart";
import { SelectField } from "~/components/Field";
import { Pager } from "~/components/Pager";
import { rateText, RoundEntriesTable } from "~/components/RoundEntries";
import { ReopenPanel } from "~/components/RoundAdmin";
import { ROUND_PHASE_LABELS, roundPhase, shanghaiDate } from "~/domain/rounds";
import { GRADES } from "~/domain/scoring";
import { categoriesOf, gradeOverview, largestDeductions, scoreAgainstBudget } from "~/models/evaluation-overview.server";
import { listRoundEntries, roundOverview } from "~/models/monitoring-overview.server";
import { listDepartments } from "~/models/org.server";
import { getRound, listReopenings } from "~/models/rounds.server";
import { roundAdminAction } from "~/http/rounds-route.server";
import { parsePage } from "~/utils/pages";
import { parseId } from "~/utils/query";

const STATUS_OPTIONS = [
  ["", "全部状态"],
  ["not_started", "未填报"],
  ["draft", "草稿"],
  ["returned", "退回修改"],
  ["pending_department", "待主管部门审核"],
  ["pending_finance", "待财政审核"],
  ["approved", "已审核"],
  ["overdue", "已逾期"],
] as const;
const GRADE_COLORS: Record<string, string> = { 优: "#1b7a3e", 良: "#2a62c0", 中: "#a15c07", 差: "#b42318" };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const round = getRound(user, Number(params.roundId), "evaluation");
  if (!round) throw notFound();
  const url = new URL(request.url);
  const status = url.searchParams.get("status");
  const grade = url.searchParams.get("grade");
  const categories = categoriesOf(user, round.year);
  const category = url.searchParams.get("category");
  const filter = {
    departmentId: parseId(url.searchParams.get("department")),
    status: STATUS_OPTIONS.some(([v]) => v === status) ? status : null,
    grade: (GRADES as readonly string[]).includes(grade ?? "") ? grade : null,
    category: category && categories.includes(category) ? category : null,
    page: parsePage(url.searchParams.get("page")),
  };
  const now = new Date();
  const reviewer = user.role === "finance" || user.role === "department";
  const scoped = { departmentId: filter.departmentId, category: filter.category };
  return json({
    role: user.role,
    round: { id: round.id, year: round.year, phase: roundPhase(round, now), opensOn: shanghaiDate(round.opensAt), dueOn: shanghaiDate(round.dueAt), overdue: now > round.dueAt },
    coverage: roundOverview(user, round, now),
    grades: gradeOverview(user, round, scoped),
    deductions: reviewer ? largestDeductions(user, round, scoped) : null,
    scatter: reviewer ? scoreAgainstBudget(user, round, scoped) : [],
    entries: listRoundEntries(user, round, filter, now),
    filter,
    categories,
    departments: reviewer ? listDepartments(user).map((d) => ({ id: d.id, name: d.name })) : [],
    reopenings: user.role === "finance" ? listReopenings(round.id).map((r) => ({ ...r, open: !r.closedAt || r.closedAt > now })) : [],
  });
}

export const action = ({ request, params }: ActionFunctionArgs) => roundAdminAction(request, params, "evaluation");

export default function EvaluationRoundPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigate = useNavigate();
  const errors: Record<string, string> = actionData?.errors ?? {};
  const { coverage, grades, entries } = data;
  const drill = (q: Record<string, string | number | null | undefined>) => {
    const p = new URLSearchParams();
    const merged = { department: data.filter.departmentId, category: data.filter.category, ...q };
    for (const [k, v] of Object.entries(merged)) if (v !== null && v !== undefined && v !== "") p.set(k, String(v));
    return `/evaluations/${data.round.id}?${p.toString()}#entries`;
  };
  const depts = grades.departments;
  const gradeOption = {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: depts.map((d) => d.departmentName), inverse: true },
    series: GRADES.map((g) => ({ name: g, type: "bar", stack: "grades", itemStyle: { color: GRADE_COLORS[g] }, data: depts.map((d) => d.grades[g]) })),
  };
  const scatterOption = {
    tooltip: { trigger: "item", formatter: "{b}：预算 {c}" },
    grid: { left: 8, right: 24, bottom: 8, top: 24, containLabel: true },
    xAxis: { type: "value", name: "全年预算（万元）", scale: true },
    yAxis: { type: "value", name: "得分", min: 0, max: 100 },
    series: [{ type: "scatter", data: data.scatter.map((p) => ({ name: p.name, value: [p.budgetWan, p.score], itemStyle: { color: GRADE_COLORS[p.grade ?? ""] ?? "#6b7483" } })) }],
  };
  return (
    <>
      <div className="page-header">
        <div>
          <p className="muted">
            <Link to={`/evaluations?year=${data.round.year}`}>自评</Link> / {data.round.year} 年度
          </p>
          <h1>{data.round.year} 年度绩效自评</h1>
          <p className="muted">
            {ROUND_PHASE_LABELS[data.round.phase]} · {data.round.opensOn} 至 {data.round.dueOn}
            {data.round.overdue && data.round.phase === "open" ? " · 已过截止日期" : ""}
          </p>
        </div>
        <div className="actions">
          <a className="btn" href={`/evaluations/${data.round.id}/xlsx${data.filter.departmentId ? `?department=${data.filter.departmentId}` : ""}`} download>
            导出 Excel
          </a>
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

      {/* Keyed by the filter: its selects are uncontrolled, and a drill-down from a chart or a count changes the filter without remounting the page. */}
      <Form method="get" className="form-inline card" aria-label="筛选" key={`${data.filter.departmentId}-${data.filter.category}-${data.filter.grade}-${data.filter.status}`}>
        {data.departments.length > 0 ? (
          <SelectField id="f-dept" label="主管部门" name="department" defaultValue={data.filter.departmentId ?? ""} options={data.departments.map((d) => ({ value: d.id, label: d.name }))} placeholder="全部主管部门" />
        ) : null}
        <SelectField id="f-cat" label="项目类型" name="category" defaultValue={data.filter.category ?? ""} options={data.categories.map((c) => ({ value: c, label: c }))} placeholder="全部类型" />
        <SelectField id="f-grade" label="等级" name="grade" defaultValue={data.filter.grade ?? ""} options={GRADES.map((g) => ({ value: g, label: g }))} placeholder="全部等级" />
        <SelectField id="f-status" label="状态" name="status" defaultValue={data.filter.status ?? ""} options={STATUS_OPTIONS.map(([value, label]) => ({ value, label }))} />
        <button type="submit" className="btn">
          筛选
        </button>
      </Form>

      <div className="grid stats" aria-label="自评进度">
        <Link className="stat" to={drill({})}>
          <span className="num">{coverage.total.due}</span>
          <span className="label">应自评</span>
        </Link>
        <Link className="stat" to={drill({ status: "pending_finance" })}>
          <span className="num">{coverage.total.submitted}</span>
          <span className="label">已提交</span>
        </Link>
        <Link className="stat" to={drill({ status: "approved" })}>
          <span className="num">{coverage.total.approved}</span>
          <span className="label">已审核</span>
        </Link>
        <Link className="stat" to={drill({ status: "overdue" })}>
          <span className="num">{coverage.total.overdue}</span>
          <span className="label">已逾期</span>
        </Link>
        <div className="stat">
          <span className="num">{grades.region.average ?? "—"}</span>
          <span className="label">平均分（已审核 {grades.region.count} 个）</span>
        </div>
      </div>

      <section className="card" aria-labelledby="grades-h">
        <h2 id="grades-h">等级分布</h2>
        <p>
          {GRADES.map((g) => (
            <Link key={g} to={drill({ grade: g })} className="grade-link">
              {g} {grades.region.grades[g]}
            </Link>
          ))}
        </p>
        {depts.length > 0 ? (
          <EChart
            option={gradeOption}
            height={Math.max(160, 40 + depts.length * 34)}
            testId="grades-chart"
            onItemClick={(e) => {
              const d = depts[e.dataIndex];
              if (d && e.seriesName) navigate(drill({ department: d.departmentId, grade: e.seriesName }));
            }}
          />
        ) : null}
        <div className="table-wrap">
          <table className="data" data-testid="grades-table">
            <caption className="sr-only">各主管部门自评等级分布和平均分</caption>
            <thead>
              <tr>
                <th scope="col">主管部门</th>
                {GRADES.map((g) => (
                  <th scope="col" className="num" key={g}>
                    {g}
                  </th>
                ))}
                <th scope="col" className="num">
                  平均分
                </th>
                <th scope="col" className="num">
                  应自评 / 已提交 / 已审核
                </th>
              </tr>
            </thead>
            <tbody>
              {coverage.departments.length === 0 ? (
                <tr>
                  <td colSpan={7} className="empty">
                    本年度没有已批复的绩效目标，无需自评。
                  </td>
                </tr>
              ) : (
                coverage.departments.map((c) => {
                  const g = depts.find((d) => d.departmentId === c.departmentId);
                  return (
                    <tr key={c.departmentId}>
                      <th scope="row">
                        <Link to={drill({ department: c.departmentId })}>{c.departmentName}</Link>
                      </th>
                      {GRADES.map((x) => (
                        <td className="num" key={x}>
                          {g && g.grades[x] > 0 ? <Link to={drill({ department: c.departmentId, grade: x })}>{g.grades[x]}</Link> : 0}
                        </td>
                      ))}
                      <td className="num">{g?.average ?? "—"}</td>
                      <td className="num">
                        {c.due} / {c.submitted} / {c.approved}
                      </td>
                    </tr>
                  );
                })
              )}
            </tbody>
          </table>
        </div>
      </section>

      {data.scatter.length > 0 ? (
        <section className="card" aria-labelledby="scatter-h">
          <h2 id="scatter-h">得分与预算</h2>
          <EChart
            option={scatterOption}
            testId="score-budget-chart"
            onItemClick={(e) => {
              const p = data.scatter[e.dataIndex];
              if (p) navigate(p.href);
            }}
          />
          <details>
            <summary>以列表查看（{data.scatter.length} 个项目）</summary>
            <ul>
              {data.scatter.map((p) => (
                <li key={p.href}>
                  <Link to={p.href}>{p.name}</Link>：全年预算 {p.budgetWan} 万元，得分 {p.score}（{p.grade}）
                </li>
              ))}
            </ul>
          </details>
        </section>
      ) : null}

      {data.deductions && (data.deductions.rows.length > 0 || data.deductions.adjustments.length > 0) ? (
        <section className="card" aria-labelledby="ded-h">
          <h2 id="ded-h">扣分最多的指标</h2>
          <ul data-testid="deductions">
            {data.deductions.rows.map((r) => (
              <li key={`${r.ownerId}-${r.position}`}>
                <Link to={r.href}>{r.name}</Link>（{r.departmentName}）「{r.indicatorName}」：{(r.score ?? 0) / 100} / {(r.weight ?? 0) / 100} 分，扣 {r.lost / 100} 分 — {r.explanation ?? "未说明原因"}
              </li>
            ))}
          </ul>
          {data.deductions.adjustments.length > 0 ? (
            <>
              <h3>财政复核调整</h3>
              <ul data-testid="finance-adjustments">
                {data.deductions.adjustments.map((a, i) => (
                  <li key={i}>
                    <Link to={a.href}>{a.name}</Link> 第 {a.position + 1} 个指标：{a.before / 100} → {a.after / 100} 分，理由：{a.reason}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}

      <section className="card" id="entries" aria-labelledby="entries-h">
        <h2 id="entries-h">自评清单</h2>
        <p className="muted" aria-live="polite">
          共 {entries.total} 项
        </p>
        <RoundEntriesTable
          rows={entries.rows}
          empty="没有符合条件的自评。"
          columns={[
            { head: "执行率", num: true, cell: (e) => rateText(e.executionRate) },
            { head: "得分", num: true, cell: (e) => (e.score === null ? "—" : (e.score / 100).toFixed(2)) },
            { head: "等级", cell: (e) => (e.grade ? <span className={`badge grade-${e.grade === "差" ? "poor" : "ok"}`}>{e.grade}</span> : "—") },
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

export const meta: MetaFunction = () => [{ title: "自评任务 · jixiao" }];
