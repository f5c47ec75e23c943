import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole, requireUser } from "~/auth/permissions.server";
import { Field, SelectField } from "~/components/Field";
import { LightBadge, ReportStatusBadge } from "~/components/Lights";
import { PERIODS } from "~/domain/monitoring";
import { allowedPeriods, periodLabel, ROUND_PHASE_LABELS, shanghaiDate } from "~/domain/rounds";
import { listRoundEntries } from "~/models/monitoring-overview.server";
import { countReportTodo } from "~/models/reports.server";
import { pendingRectifications } from "~/models/rectifications.server";
import { listRounds, openRound } from "~/models/rounds.server";
import { ruleSetFor } from "~/models/rulesets.server";
import { parseYear } from "~/utils/query";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const year = parseYear(url.searchParams.get("year"), user.currentYear);
  const rounds = listRounds(user, "monitoring", year);
  const now = new Date();
  // Units and departments see, per open round, the entries that wait for them.
  const mine =
    user.role === "unit" || user.role === "department"
      ? rounds
          .filter((r) => r.phase === "open")
          .map((r) => ({
            round: { id: r.id, label: r.label, dueOn: shanghaiDate(r.dueAt) },
            entries: listRoundEntries(user, r, { status: user.role === "unit" ? null : "pending_department" }, now).rows.filter(
              (e) => user.role === "department" || e.status === null || e.status === "draft" || e.status === "returned",
            ),
          }))
      : [];
  const periods = user.role === "finance" ? allowedPeriods(ruleSetFor(user.regionId, year).monitoring.periods) : [];
  return json({
    role: user.role,
    year,
    rounds: rounds.map((r) => ({ id: r.id, label: r.label, phase: r.phase, opensOn: shanghaiDate(r.opensAt), dueOn: shanghaiDate(r.dueAt), due: r.due, counts: r.counts, overdue: r.phase === "open" && now > r.dueAt })),
    mine,
    todo: countReportTodo(user),
    rectifications: pendingRectifications(user),
    periods: periods.map((p) => ({ value: p, label: PERIODS[p].label })),
    today: shanghaiDate(now),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["finance"]);
  const form = await request.formData();
  const values = {
    year: String(form.get("year") ?? ""),
    period: String(form.get("period") ?? ""),
    opensOn: String(form.get("opensOn") ?? ""),
    dueOn: String(form.get("dueOn") ?? ""),
  };
  const result = openRound(user, { year: Number(values.year), kind: "monitoring", period: values.period, opensOn: values.opensOn, dueOn: values.dueOn });
  if (!result.ok) return json({ errors: result.errors, values }, { status: result.status });
  return redirect(`/monitoring/${result.id}`);
}

export default function MonitoringIndex() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const errors: Record<string, string> = actionData?.errors ?? {};
  const values = actionData?.values;
  return (
    <>
      <div className="page-header">
        <div>
          <h1>绩效运行监控</h1>
          <p className="muted">{data.year} 年度 · 预算执行和绩效目标实现程度“双监控”，红黄绿灯预警</p>
        </div>
        <Form method="get" className="form-inline">
          <Field label="年度" name="year" type="number" defaultValue={data.year} min={2000} max={2100} style={{ width: "6rem" }} />
          <button type="submit" className="btn">
            查看
          </button>
        </Form>
      </div>

      {data.todo.review > 0 || data.todo.returned > 0 || data.rectifications.length > 0 ? (
        <section className="card" aria-labelledby="todo-h">
          <h2 id="todo-h">待办</h2>
          <ul>
            {data.todo.review > 0 ? <li>待审核的监控填报 {data.todo.review} 份</li> : null}
            {data.todo.returned > 0 ? <li>被退回修改的填报 {data.todo.returned} 份</li> : null}
            {data.rectifications.map((r) => (
              <li key={r.id}>
                整改通知（{r.label}）：<Link to={r.href}>{r.ownerName}</Link> — {r.requirement}（期限 {r.dueDate}）
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {data.mine.map((m) => (
        <section className="card" key={m.round.id} aria-label={`${m.round.label}待处理`}>
          <h2>
            {m.round.label} · 截止 {m.round.dueOn}
          </h2>
          {m.entries.length === 0 ? (
            <p className="muted">没有待处理的填报。</p>
          ) : (
            <table className="data">
              <thead>
                <tr>
                  <th>项目</th>
                  <th>状态</th>
                  <th>预算执行</th>
                  <th>指标</th>
                  <th>期限</th>
                </tr>
              </thead>
              <tbody>
                {m.entries.map((e) => (
                  <tr key={`${e.kind}-${e.ownerId}`}>
                    <td>
                      <Link to={e.href}>{e.name}</Link>
                    </td>
                    <td>
                      <ReportStatusBadge status={e.status} />
                    </td>
                    <td>
                      <LightBadge light={e.budgetLight} />
                    </td>
                    <td>{e.reportId ? `红 ${e.red ?? 0} · 黄 ${e.yellow ?? 0} · 绿 ${e.green ?? 0}` : "—"}</td>
                    <td>{e.overdue ? <span className="badge badge-red">已逾期</span> : <DaysLeft dueOn={m.round.dueOn} today={data.today} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}

      <section className="card" aria-labelledby="rounds-h">
        <h2 id="rounds-h">监控任务</h2>
        {data.rounds.length === 0 ? (
          <p className="muted">{data.year} 年度还没有发起监控任务。</p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th>监控期间</th>
                <th>状态</th>
                <th>开始</th>
                <th>截止</th>
                <th className="num">应填报</th>
                <th className="num">已提交</th>
                <th className="num">已审核</th>
              </tr>
            </thead>
            <tbody>
              {data.rounds.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/monitoring/${r.id}`}>{r.label}</Link>
                  </td>
                  <td>
                    {ROUND_PHASE_LABELS[r.phase]}
                    {r.overdue ? <span className="badge badge-red"> 已过截止日期</span> : null}
                  </td>
                  <td>{r.opensOn}</td>
                  <td>{r.dueOn}</td>
                  <td className="num">{r.due}</td>
                  <td className="num">{(r.counts.pending_department ?? 0) + (r.counts.pending_finance ?? 0) + (r.counts.approved ?? 0)}</td>
                  <td className="num">{r.counts.approved ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {data.role === "finance" ? (
        <section className="card" aria-labelledby="open-h">
          <h2 id="open-h">发起监控任务</h2>
          <p className="muted">覆盖本年度绩效目标已批复的全部项目和部门整体绩效目标。可选期间由本地区规则集决定。</p>
          {errors.form ? <div className="alert alert-error">{errors.form}</div> : null}
          <Form method="post" className="form-inline">
            <Field label="年度" name="year" type="number" defaultValue={values?.year ?? data.year} error={errors.year} style={{ width: "6rem" }} />
            <SelectField label="监控期间" name="period" options={data.periods} placeholder="请选择" defaultValue={values?.period ?? ""} error={errors.period} />
            <Field label="开始日期" name="opensOn" type="date" defaultValue={values?.opensOn ?? data.today} error={errors.opensOn} />
            <Field label="截止日期" name="dueOn" type="date" defaultValue={values?.dueOn ?? ""} error={errors.dueOn} />
            <button type="submit" className="btn btn-primary" disabled={busy}>
              发起任务
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}

function DaysLeft({ dueOn, today }: { dueOn: string; today: string }) {
  const days = Math.round((Date.parse(dueOn) - Date.parse(today)) / 86400000);
  return <span className={days <= 3 ? "badge badge-amber" : "muted"}>剩 {days} 天</span>;
}

export const meta: MetaFunction = () => [{ title: "监控 · jixiao" }];
