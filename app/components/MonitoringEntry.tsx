// The 监控填报 page body, shared by project and 部门整体 entries. The form is a plain HTML form
// (works without JavaScript: the server re-validates and re-renders with the input kept);
// with JavaScript, react-hook-form watches the fields and the lights are recomputed live by
// assessMonitoringEntry — the same function the server uses.
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { LightBadge } from "./Lights";
import { EntryAlerts, EntryHeader } from "./EntryChrome";
import { ReviewForm, ReviewHistory } from "./ReportReview";
import { assessMonitoringEntry, DEVIATION_REASONS, LIKELIHOODS, type PeriodCode } from "../domain/monitoring";
import { emptyMonitoringRow, rowToEntry, type MonitoringForm } from "../domain/monitoring-form";
import { submitLabel } from "../domain/report-workflow";
import { RECT_STATUS_LABELS } from "../domain/rectification-labels";
import { formatWan } from "../utils/format";
import type { entryAction, entryLoader } from "../http/entry-route.server";

type LoaderData = Awaited<ReturnType<Awaited<ReturnType<typeof entryLoader>>["json"]>>;
type ActionData = Awaited<ReturnType<Awaited<ReturnType<typeof entryAction>>["json"]>>;

const SAVED_MESSAGES: Record<string, string> = {
  save: "草稿已保存。",
  submit: "已提交，等待审核。",
  approve: "已审核通过。",
  return: "已退回修改。",
  rectify: "整改通知已下发。",
  "rect-answer": "整改情况已答复。",
  "rect-close": "整改已确认完成。",
  "rect-return": "整改答复已退回。",
};

function toForm(values: unknown, fallback: MonitoringForm, rowCount: number): MonitoringForm {
  if (!values || typeof values !== "object") return fallback;
  const v = values as Partial<MonitoringForm> & { rows?: Array<Partial<MonitoringForm["rows"][number]>> };
  const s = (x: unknown) => (typeof x === "string" ? x : "");
  return {
    budgetAnnual: s(v.budgetAnnual),
    budgetExecuted: s(v.budgetExecuted),
    budgetReason: s(v.budgetReason),
    budgetMeasures: s(v.budgetMeasures),
    summary: s(v.summary),
    rows: Array.from({ length: rowCount }, (_, i) => ({ ...emptyMonitoringRow(), ...(v.rows?.[i] ?? {}) }) as MonitoringForm["rows"][number]),
  };
}

export function MonitoringEntryPage() {
  const data = useLoaderData<LoaderData>() as unknown as LoaderData;
  const actionData = useActionData<ActionData>() as ActionData | undefined;
  const [params] = useSearchParams();
  const saved = params.get("saved");
  const entryFailed = actionData && actionData.kind === "entry";
  const initial = entryFailed ? toForm(actionData.values, data.form, data.indicators.length) : data.form;
  return (
    <>
      <EntryHeader data={data} back={{ to: `/monitoring/${data.round.id}`, label: `监控 · ${data.round.year} 年度 ${data.round.label}` }}>
        {data.owner.kind === "project" ? (
          <>
            <a className="btn" href={`/monitoring/${data.round.id}/p/${data.owner.id}/xlsx`} download>
              导出 Excel
            </a>
            <Link className="btn" to={`/monitoring/${data.round.id}/p/${data.owner.id}/print`}>
              打印
            </Link>
          </>
        ) : null}
        {data.canEdit ? (
          <Link className="btn" to={`/monitoring/${data.round.id}/import`}>
            导入 Excel
          </Link>
        ) : null}
      </EntryHeader>
      <EntryAlerts savedMessage={saved ? (SAVED_MESSAGES[saved] ?? null) : null} failure={actionData} />
      <EntryForm key={entryFailed ? "failed" : `${data.report?.revision ?? 0}`} data={data} initial={initial} errors={entryFailed ? actionData.errors : {}} />
      {data.reviewActions.length > 0 ? (
        <ReviewForm
          revision={data.report?.revision ?? null}
          indicators={data.indicators}
          actions={data.reviewActions}
          failedComment={actionData?.kind === "review" ? (actionData.values as { comment?: string } | null)?.comment : undefined}
        />
      ) : null}
      <Rectifications data={data} actionData={actionData} />
      <ReviewHistory reviews={data.reviews} />
    </>
  );
}

// Every field also gets its value as defaultValue: register() alone sets values only once
// hydrated, so without JavaScript the server-rendered form would come back empty.
function EntryForm({ data, initial, errors }: { data: LoaderData; initial: MonitoringForm; errors: Record<string, string> }) {
  const { register, watch } = useForm<MonitoringForm>({ defaultValues: initial });
  const values = watch();
  const busy = useNavigation().state !== "idle";
  const ro = !data.canEdit;
  const assessment = useMemo(
    () =>
      assessMonitoringEntry(
        {
          period: data.round.period as PeriodCode,
          budget: { annual: values.budgetAnnual, executed: values.budgetExecuted, reason: values.budgetReason, measures: values.budgetMeasures },
          rows: data.indicators.map((indicator, i) => ({ indicator, entry: rowToEntry(values.rows?.[i] ?? emptyMonitoringRow()) })),
        },
        { monitoring: data.ruleSet },
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [JSON.stringify(values), data.indicators, data.ruleSet, data.round.period],
  );
  const lastReturn = data.reviews.find((r) => r.action === "return");
  const rowComment = (pos: number) =>
    lastReturn?.rowComments && data.status === "returned"
      ? (JSON.parse(lastReturn.rowComments) as Array<{ position: number; comment: string }>).find((c) => c.position === pos)?.comment
      : undefined;
  const err = (k: string) => errors[k];
  const bMissing = new Map(assessment.budget.missing.map((m) => [m.field, m.message]));
  const needBudgetReason = assessment.budget.light === "yellow" || assessment.budget.light === "red";
  return (
    <Form method="post" className="monitoring-entry" aria-label="监控填报" noValidate>
      <input type="hidden" name="revision" value={data.report?.revision ?? ""} />
      <section className="card" aria-labelledby="budget-h">
        <h2 id="budget-h">预算执行</h2>
        <div className="form-grid">
          <div className="field">
            <span className="label">年初预算数（万元）</span>
            <span>{formatWan(data.owner.budget)}</span>
          </div>
          <div className="field">
            <label htmlFor="budgetAnnual">全年预算数（万元）</label>
            <input id="budgetAnnual" inputMode="decimal" readOnly={ro} aria-invalid={err("budgetAnnual") ? true : undefined} aria-describedby={err("budgetAnnual") ? "budgetAnnual-err" : undefined} {...register("budgetAnnual")} defaultValue={initial.budgetAnnual} />
            {err("budgetAnnual") ? (
              <span id="budgetAnnual-err" className="field-error" role="alert">
                {err("budgetAnnual")}
              </span>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor="budgetExecuted">截至本期执行数（万元）</label>
            <input id="budgetExecuted" inputMode="decimal" readOnly={ro} aria-invalid={err("budgetExecuted") ? true : undefined} aria-describedby={err("budgetExecuted") ? "budgetExecuted-err" : undefined} {...register("budgetExecuted")} defaultValue={initial.budgetExecuted} />
            {err("budgetExecuted") ? (
              <span id="budgetExecuted-err" className="field-error" role="alert">
                {err("budgetExecuted")}
              </span>
            ) : null}
            {data.previous ? <span className="hint">上期（{data.previous.label}）：{formatWan(data.previous.budgetExecuted)}</span> : null}
          </div>
          <div className="field">
            <span className="label">执行率 / 序时进度</span>
            <span data-testid="budget-rate">
              {assessment.budget.executionRate === null ? "—" : `${assessment.budget.executionRate}%`} / {assessment.timeProgress}%
            </span>
          </div>
          <div className="field">
            <span className="label">预警</span>
            <span data-testid="budget-light" aria-live="polite">
              <LightBadge light={assessment.budget.light} /> {assessment.budget.message}
            </span>
          </div>
        </div>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="budgetReason">偏差原因{needBudgetReason ? "（必填）" : ""}</label>
            <textarea id="budgetReason" rows={2} readOnly={ro} {...register("budgetReason")} defaultValue={initial.budgetReason} aria-describedby={needBudgetReason && bMissing.get("reason") ? "budgetReason-need" : undefined} />
            {needBudgetReason && bMissing.get("reason") ? <span id="budgetReason-need" className="hint finding-warning">{bMissing.get("reason")}</span> : null}
          </div>
          <div className="field">
            <label htmlFor="budgetMeasures">纠偏措施{needBudgetReason ? "（必填）" : ""}</label>
            <textarea id="budgetMeasures" rows={2} readOnly={ro} {...register("budgetMeasures")} defaultValue={initial.budgetMeasures} aria-describedby={needBudgetReason && bMissing.get("measures") ? "budgetMeasures-need" : undefined} />
            {needBudgetReason && bMissing.get("measures") ? <span id="budgetMeasures-need" className="hint finding-warning">{bMissing.get("measures")}</span> : null}
          </div>
        </div>
      </section>

      <section className="card" aria-labelledby="ind-h">
        <h2 id="ind-h">绩效指标完成情况</h2>
        <p className="muted">序时进度 {assessment.timeProgress}%。黄灯、红灯指标须选择偏差原因、说明原因并填写纠偏措施后才能提交。</p>
        <div className="table-wrap">
          <table className="data monitoring-grid">
            <thead>
              <tr>
                <th scope="col">指标</th>
                <th scope="col">年度指标值</th>
                {data.previous ? <th scope="col">上期（{data.previous.label}）</th> : null}
                <th scope="col">截至本期完成值</th>
                <th scope="col">全年预计完成值</th>
                <th scope="col">完成目标可能性</th>
                <th scope="col">预警</th>
              </tr>
            </thead>
            {data.indicators.map((ind, i) => {
              const a = assessment.rows[i];
              const needs = a?.light === "yellow" || a?.light === "red";
              const miss = new Map((a?.missing ?? []).map((m) => [m.field, m.message]));
              const prev = data.previous?.rows[ind.position];
              const comment = rowComment(ind.position);
              const label = `${ind.name ?? "（未命名）"}`;
              const id = (f: string) => `r${i}-${f}`;
              const init = initial.rows[i] ?? emptyMonitoringRow();
              return (
                <tbody key={ind.id} data-testid={`row-${i}`} data-light={a?.light ?? ""}>
                  <tr>
                    <th scope="row">
                      <div className="muted">
                        {ind.level1} / {ind.level2}
                      </div>
                      {label}
                    </th>
                    <td>
                      {ind.operator === "定性" ? `定性：${ind.target ?? ""}` : `${ind.operator ?? ""}${ind.target ?? ""}${ind.unit ?? ""}`}
                    </td>
                    {data.previous ? <td>{prev ? `${prev.actual ?? "—"}（预计 ${prev.projected ?? "—"}）` : "—"}</td> : null}
                    <td>
                      <label className="sr-only" htmlFor={id("actual")}>
                        {label} 截至本期完成值
                      </label>
                      <input id={id("actual")} readOnly={ro} size={8} {...register(`rows.${i}.actual`)} defaultValue={init.actual} />
                    </td>
                    <td>
                      <label className="sr-only" htmlFor={id("projected")}>
                        {label} 全年预计完成值
                      </label>
                      <input id={id("projected")} readOnly={ro} size={8} {...register(`rows.${i}.projected`)} defaultValue={init.projected} />
                    </td>
                    <td>
                      <label className="sr-only" htmlFor={id("likelihood")}>
                        {label} 完成目标可能性
                      </label>
                      <select id={id("likelihood")} disabled={ro} {...register(`rows.${i}.likelihood`)} defaultValue={init.likelihood}>
                        <option value="">请选择</option>
                        {LIKELIHOODS.map((l) => (
                          <option key={l} value={l}>
                            {l}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td aria-live="polite">
                      <LightBadge light={a?.light} />
                      <div className="hint">{a?.message}</div>
                    </td>
                  </tr>
                  <tr className={needs ? "row-findings row-needs" : "row-findings"}>
                    <td colSpan={data.previous ? 7 : 6}>
                      <fieldset className="reasons" disabled={ro}>
                        <legend>
                          偏差原因{needs ? "（必填）" : ""}
                        </legend>
                        {DEVIATION_REASONS.map((r) => (
                          <label key={r} className="check">
                            <input type="checkbox" value={r} {...register(`rows.${i}.reasons`)} defaultChecked={init.reasons.includes(r)} /> {r}
                          </label>
                        ))}
                      </fieldset>
                      <div className="form-grid">
                        <div className="field">
                          <label htmlFor={id("reasonText")}>原因说明</label>
                          <input id={id("reasonText")} readOnly={ro} {...register(`rows.${i}.reasonText`)} defaultValue={init.reasonText} />
                        </div>
                        <div className="field">
                          <label htmlFor={id("measures")}>纠偏措施</label>
                          <input id={id("measures")} readOnly={ro} {...register(`rows.${i}.measures`)} defaultValue={init.measures} />
                        </div>
                      </div>
                      {miss.size > 0 ? (
                        <ul className="finding-warning row-missing">
                          {[...miss.values()].map((m) => (
                            <li key={m}>{m}</li>
                          ))}
                        </ul>
                      ) : null}
                      {a?.warnings.map((w) => (
                        <p key={w.code} className="finding-warning">
                          {w.message}
                        </p>
                      ))}
                      {comment ? <p className="comment">审核意见：{comment}</p> : null}
                    </td>
                  </tr>
                </tbody>
              );
            })}
          </table>
        </div>
        <p data-testid="light-summary">
          指标预警：绿灯 {assessment.counts.green} · 黄灯 {assessment.counts.yellow} · 红灯 {assessment.counts.red} · 未亮灯 {assessment.counts.none}
          {assessment.complete ? "" : ` · 还有 ${assessment.missing.length} 项必填内容`}
        </p>
      </section>
      {data.canEdit ? (
        <div className="editor-actions">
          <button type="submit" name="intent" value="save" className="btn" disabled={busy}>
            保存草稿
          </button>{" "}
          <button type="submit" name="intent" value="submit" className="btn btn-primary" disabled={busy}>
            {submitLabel("monitoring")}
          </button>
        </div>
      ) : null}
    </Form>
  );
}

function Rectifications({ data, actionData }: { data: LoaderData; actionData: ActionData | undefined }) {
  const isRed = data.report && (data.report.budgetLight === "red" || data.report.red > 0);
  const canIssue = data.role === "finance" && isRed;
  const filler = (data.ownerKind === "project" && data.role === "unit") || (data.ownerKind === "department" && data.role === "department");
  if (!canIssue && data.rectifications.length === 0) return null;
  const failed = (kind: string) => (actionData?.kind === kind ? actionData : null);
  const rectFail = failed("rectify");
  return (
    <section className="card" id="rectifications" aria-labelledby="rect-h">
      <h2 id="rect-h">整改</h2>
      {data.rectifications.map((r) => (
        <article key={r.id} className="rect" data-testid="rectification">
          <p>
            <strong>整改通知</strong> · {RECT_STATUS_LABELS[r.status]} · 期限 {r.dueDate} · {r.issuerName ?? ""}
          </p>
          <p>整改要求：{r.requirement}</p>
          {r.answer ? <p>整改情况：{r.answer}</p> : null}
          {r.financeNote ? <p>财政意见：{r.financeNote}</p> : null}
          {filler && r.status === "open" ? (
            <Form method="post">
              <input type="hidden" name="intent" value="rect-answer" />
              <input type="hidden" name="rectId" value={r.id} />
              <input type="hidden" name="revision" value={r.revision} />
              <div className="field">
                <label htmlFor={`answer-${r.id}`}>已采取的整改措施</label>
                <textarea id={`answer-${r.id}`} name="answer" rows={3} defaultValue={(failed("rect-answer")?.values as { answer?: string } | null)?.answer ?? ""} />
              </div>
              <button type="submit" className="btn btn-primary">
                答复整改
              </button>
            </Form>
          ) : null}
          {data.role === "finance" && r.status === "answered" ? (
            <Form method="post">
              <input type="hidden" name="rectId" value={r.id} />
              <input type="hidden" name="revision" value={r.revision} />
              <div className="field">
                <label htmlFor={`note-${r.id}`}>财政意见</label>
                <input id={`note-${r.id}`} name="note" />
              </div>
              <button type="submit" name="intent" value="rect-close" className="btn btn-primary">
                整改完成
              </button>{" "}
              <button type="submit" name="intent" value="rect-return" className="btn btn-danger">
                退回整改
              </button>
            </Form>
          ) : null}
        </article>
      ))}
      {canIssue ? (
        <Form method="post" className="rect-issue">
          <h3>下发整改通知</h3>
          <input type="hidden" name="intent" value="rectify" />
          <div className="field">
            <label htmlFor="requirement">整改要求</label>
            <textarea id="requirement" name="requirement" rows={3} defaultValue={(rectFail?.values as { requirement?: string } | null)?.requirement ?? ""} aria-describedby={rectFail?.errors.requirement ? "requirement-err" : undefined} />
            {rectFail?.errors.requirement ? (
              <span id="requirement-err" className="field-error" role="alert">
                {rectFail.errors.requirement}
              </span>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor="rect-due">整改期限</label>
            <input id="rect-due" name="dueOn" type="date" defaultValue={(rectFail?.values as { dueOn?: string } | null)?.dueOn ?? ""} aria-describedby={rectFail?.errors.dueOn ? "rect-due-err" : undefined} />
            {rectFail?.errors.dueOn ? (
              <span id="rect-due-err" className="field-error" role="alert">
                {rectFail.errors.dueOn}
              </span>
            ) : null}
          </div>
          <button type="submit" className="btn btn-primary">
            下发整改通知
          </button>
        </Form>
      ) : null}
    </section>
  );
}
