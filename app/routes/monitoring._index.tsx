import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole, requireUser } from "~/auth/permissions.server";
import { Field, SelectField } from "~/components/Field";
import { MonitoringTodo } from "~/components/MonitoringTodo";
import { PERIODS } from "~/domain/monitoring";
import { allowedPeriods, periodLabel, ROUND_PHASE_LABELS, shanghaiDate } from "~/domain/rounds";
import { monitoringTodo } from "~/models/monitoring-todo.server";
import { listRounds, openRound } from "~/models/rounds.server";
import { ruleSetFor } from "~/models/rulesets.server";
import { parseYear } from "~/utils/query";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const year = parseYear(url.searchParams.get("year"), user.currentYear);
  const rounds = listRounds(user, "monitoring", year);
  const now = new Date();
  const periods = user.role === "finance" ? allowedPeriods(ruleSetFor(user.regionId, year).monitoring.periods) : [];
  return json({
    role: user.role,
    year,
    rounds: rounds.map((r) => ({ id: r.id, label: r.label, phase: r.phase, opensOn: shanghaiDate(r.opensAt), dueOn: shanghaiDate(r.dueAt), due: r.due, counts: r.counts, overdue: r.phase === "open" && now > r.dueAt })),
    todo: monitoringTodo(user, year, now),
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

      <MonitoringTodo todo={data.todo} />

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

export const meta: MetaFunction = () => [{ title: "监控 · jixiao" }];
