// The round list of /monitoring and /evaluations: 待办, the year's rounds with their progress,
// and (finance) the form that opens a round.
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, SelectField } from "./Field";
import { MonitoringTodo } from "./MonitoringTodo";
import { ROUND_PHASE_LABELS } from "../domain/rounds";
import type { roundsIndexAction, roundsIndexLoader } from "../http/rounds-route.server";

type LoaderData = Awaited<ReturnType<Awaited<ReturnType<typeof roundsIndexLoader>>["json"]>>;
type ActionData = Awaited<ReturnType<Awaited<ReturnType<typeof roundsIndexAction>>["json"]>>;

const TEXT = {
  monitoring: { title: "绩效运行监控", lead: "预算执行和绩效目标实现程度“双监控”，红黄绿灯预警", noun: "监控任务", todo: "监控待办", base: "/monitoring" },
  evaluation: { title: "绩效自评", lead: "年度绩效自评：预算执行率和各项指标按官方公式计分，主管部门审核、财政复核", noun: "自评任务", todo: "自评待办", base: "/evaluations" },
} as const;

export function RoundsIndexPage() {
  const data = useLoaderData<LoaderData>() as unknown as LoaderData;
  const actionData = useActionData<ActionData>() as ActionData | undefined;
  const busy = useNavigation().state !== "idle";
  const errors: Record<string, string> = actionData?.errors ?? {};
  const values = actionData?.values;
  const t = TEXT[data.kind];
  return (
    <>
      <div className="page-header">
        <div>
          <h1>{t.title}</h1>
          <p className="muted">
            {data.year} 年度 · {t.lead}
          </p>
        </div>
        <Form method="get" className="form-inline">
          <Field label="年度" name="year" type="number" defaultValue={data.year} min={2000} max={2100} style={{ width: "6rem" }} />
          <button type="submit" className="btn">
            查看
          </button>
        </Form>
      </div>

      <MonitoringTodo todo={data.todo} title={t.todo} />

      <section className="card" aria-labelledby="rounds-h">
        <h2 id="rounds-h">{t.noun}</h2>
        {data.rounds.length === 0 ? (
          <p className="muted">
            {data.year} 年度还没有发起{t.noun}。
          </p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{data.kind === "monitoring" ? "监控期间" : "任务"}</th>
                <th scope="col">状态</th>
                <th scope="col">开始</th>
                <th scope="col">截止</th>
                <th scope="col" className="num">
                  应填报
                </th>
                <th scope="col" className="num">
                  已提交
                </th>
                <th scope="col" className="num">
                  已审核
                </th>
              </tr>
            </thead>
            <tbody>
              {data.rounds.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`${t.base}/${r.id}`}>{r.label}</Link>
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
          <h2 id="open-h">发起{t.noun}</h2>
          <p className="muted">
            覆盖本年度绩效目标已批复的全部项目和部门整体绩效目标。{data.kind === "monitoring" ? "可选期间由本地区规则集决定。" : "每个年度发起一次。"}
          </p>
          {errors.form ? <div className="alert alert-error">{errors.form}</div> : null}
          <Form method="post" className="form-inline">
            <Field label="年度" name="year" type="number" defaultValue={values?.year ?? data.year} error={errors.year} style={{ width: "6rem" }} />
            {data.kind === "monitoring" ? (
              <SelectField label="监控期间" name="period" options={data.periods} placeholder="请选择" defaultValue={values?.period ?? ""} error={errors.period} />
            ) : null}
            <Field label="开始日期" name="opensOn" type="date" defaultValue={values?.opensOn ?? data.today} error={errors.opensOn} />
            <Field label="截止日期" name="dueOn" type="date" defaultValue={values?.dueOn ?? ""} error={errors.dueOn} />
            <button type="submit" className="btn btn-primary" disabled={busy}>
              发起任务
            </button>
          </Form>
          {data.kind === "evaluation" && errors.period ? (
            <p className="field-error" role="alert">
              {errors.period}
            </p>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
