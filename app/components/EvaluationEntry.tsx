// The 绩效自评 page body, shared by project and 部门整体 evaluations. A plain HTML form that
// works without JavaScript (every field carries its value in the server-rendered HTML; the
// server re-validates and re-renders with the input kept); with JavaScript, react-hook-form
// watches the fields and every row's score, its formula in words and the total are
// recomputed live by assessEvaluationEntry, the same function the server uses.
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { Attachments } from "./Attachments";
import { EntryAlerts, EntryHeader } from "./EntryChrome";
import { ReviewForm, ReviewHistory } from "./ReportReview";
import { assessEvaluationEntry, emptyEvaluationRow, TIERS, type EvaluationForm } from "../domain/evaluation-form";
import { submitLabel } from "../domain/report-workflow";
import { formatDateTime, formatHundredths, formatWan } from "../utils/format";
import type { evaluationAction, evaluationLoader } from "../http/evaluation-route.server";

type LoaderData = Awaited<ReturnType<Awaited<ReturnType<typeof evaluationLoader>>["json"]>>;
type ActionData = Awaited<ReturnType<Awaited<ReturnType<typeof evaluationAction>>["json"]>>;

const SAVED: Record<string, string> = {
  save: "草稿已保存。",
  submit: "已提交，等待审核。",
  approve: "已审核通过。",
  return: "已退回修改。",
  adjust: "分数已调整，理由已记录。",
};

function toForm(values: unknown, fallback: EvaluationForm, rowCount: number): EvaluationForm {
  if (!values || typeof values !== "object") return fallback;
  const v = values as Partial<EvaluationForm> & { rows?: Array<Partial<EvaluationForm["rows"][number]>> };
  const s = (x: unknown) => (typeof x === "string" ? x : "");
  return {
    budgetAnnual: s(v.budgetAnnual),
    budgetExecuted: s(v.budgetExecuted),
    summary: s(v.summary),
    rows: Array.from({ length: rowCount }, (_, i) => ({ ...emptyEvaluationRow(), ...(v.rows?.[i] ?? {}) })),
  };
}

export function EvaluationEntryPage() {
  const data = useLoaderData<LoaderData>() as unknown as LoaderData;
  const actionData = useActionData<ActionData>() as ActionData | undefined;
  const [params] = useSearchParams();
  const saved = params.get("saved");
  const entryFailed = actionData?.kind === "entry";
  const initial = entryFailed ? toForm(actionData.values, data.form, data.indicators.length) : data.form;
  const self = `/evaluations/${data.round.id}/${data.ownerKind === "project" ? "p" : "d"}/${data.owner.id}`;
  return (
    <>
      <EntryHeader data={data} back={{ to: `/evaluations/${data.round.id}`, label: `自评 · ${data.round.year} 年度` }}>
        <a className="btn" href={`${self}/xlsx`} download>
          导出 Excel
        </a>
        <a className="btn" href={`${self}/print`}>
          打印
        </a>
        <a className="btn" href={`${self}/json`} download title="交换格式 JSON，可用 jixiao score 复核得分">
          导出 JSON
        </a>
      </EntryHeader>
      <EntryAlerts savedMessage={saved ? (SAVED[saved] ?? null) : null} failure={actionData} />
      <EvaluationForm key={entryFailed ? "failed" : `${data.report?.revision ?? 0}`} data={data} initial={initial} errors={entryFailed ? actionData.errors : {}} />
      <Attachments data={data} />
      {data.canAdjust ? <AdjustForm data={data} actionData={actionData} /> : null}
      {data.adjustments.length > 0 ? (
        <section className="card" aria-labelledby="adj-h" data-testid="adjustments">
          <h2 id="adj-h">财政复核调整</h2>
          <ul>
            {data.adjustments.map((a) => (
              <li key={a.id}>
                第 {a.position + 1} 个指标「{data.indicators.find((i) => i.position === a.position)?.name}」：{formatHundredths(a.before)} → {formatHundredths(a.after)} 分 · 理由：{a.reason} ·{" "}
                {a.actorName ?? "—"} · {formatDateTime(a.createdAt)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {data.reviewActions.length > 0 ? (
        <ReviewForm
          revision={data.report?.revision ?? null}
          indicators={data.indicators}
          actions={data.reviewActions}
          failedComment={actionData?.kind === "review" ? (actionData.values as { comment?: string } | null)?.comment : undefined}
        />
      ) : null}
      <ReviewHistory reviews={data.reviews} />
    </>
  );
}

function EvaluationForm({ data, initial, errors }: { data: LoaderData; initial: EvaluationForm; errors: Record<string, string> }) {
  const { register, watch } = useForm<EvaluationForm>({ defaultValues: initial });
  const values = watch();
  const busy = useNavigation().state !== "idle";
  const ro = !data.canEdit;
  const { a, own } = useMemo(
    () => {
      const input = {
        indicators: data.evaluationIndicators,
        budgetExecutionWeight: data.budgetExecutionWeight,
        budgetInitial: data.budgetInitial,
        kind: data.ownerKind,
        form: { ...values, rows: data.indicators.map((_, i) => ({ ...emptyEvaluationRow(), ...(values.rows?.[i] ?? {}) })) },
      };
      const a = assessEvaluationEntry({ ...input, overrides: data.overrides }, data.ruleSet);
      // What the filler must still provide is judged on its own scores, as the server does on
      // submission: a row finance marked down carries finance's reason, not a missing
      // explanation (docs/evaluation.md, 财政复核).
      return { a, own: data.overrides.length > 0 ? assessEvaluationEntry({ ...input, overrides: [] }, data.ruleSet) : a };
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [JSON.stringify(values), data],
  );
  const err = (k: string) => errors[k];
  const approved = data.status === "approved" && data.report?.score != null && data.report.grade ? { score: data.report.score, grade: data.report.grade } : null;
  const lastReturn = data.status === "returned" ? data.reviews.find((r) => r.action === "return") : undefined;
  const rowComments = new Map<number, string>(lastReturn?.rowComments ? (JSON.parse(lastReturn.rowComments) as Array<{ position: number; comment: string }>).map((c) => [c.position, c.comment]) : []);
  return (
    <Form method="post" aria-label="绩效自评" noValidate>
      <input type="hidden" name="revision" value={data.report?.revision ?? ""} />
      <section className="card" aria-labelledby="total-h">
        {/* An approved evaluation's total and grade are final: they are the stored ones, even if
            the region's rule set has changed since (docs/evaluation.md). */}
        {approved ? (
          <h2 id="total-h">
            最终得分 <span data-testid="total">{(approved.score / 100).toFixed(2)}</span> 分 · 等级 <span data-testid="grade">{approved.grade}</span>
          </h2>
        ) : (
          <h2 id="total-h">
            自评得分 <span data-testid="total">{a.score.totalText}</span> 分 · 等级 <span data-testid="grade">{a.score.grade}</span>
          </h2>
        )}
        <p className="muted">{a.score.formula}</p>
        {approved && (approved.score / 100).toFixed(2) !== a.score.totalText ? (
          <p className="finding-warning">审核通过后本地区规则集有变更：按现行规则计算为 {a.score.totalText} 分（{a.score.grade}），以审核通过时的得分为准。</p>
        ) : null}
        {!own.complete ? <p className="finding-warning">还有 {own.missing.length} 项必填内容，完成后才能{submitLabel("evaluation")}。</p> : null}
      </section>
      <section className="card" aria-labelledby="budget-h">
        <h2 id="budget-h">预算执行</h2>
        <div className="form-grid">
          <div className="field">
            <span className="label">年初预算数（万元）</span>
            <span>{formatWan(data.owner.budget)}</span>
          </div>
          <div className="field">
            <label htmlFor="budgetAnnual">全年预算数（万元）</label>
            <input id="budgetAnnual" inputMode="decimal" readOnly={ro} defaultValue={initial.budgetAnnual} aria-invalid={err("budgetAnnual") ? true : undefined} aria-describedby={err("budgetAnnual") ? "budgetAnnual-err" : undefined} {...register("budgetAnnual")} />
            {err("budgetAnnual") ? (
              <span id="budgetAnnual-err" className="field-error" role="alert">
                {err("budgetAnnual")}
              </span>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor="budgetExecuted">全年执行数（万元）</label>
            <input id="budgetExecuted" inputMode="decimal" readOnly={ro} defaultValue={initial.budgetExecuted} aria-invalid={err("budgetExecuted") ? true : undefined} aria-describedby={err("budgetExecuted") ? "budgetExecuted-err" : undefined} {...register("budgetExecuted")} />
            {err("budgetExecuted") ? (
              <span id="budgetExecuted-err" className="field-error" role="alert">
                {err("budgetExecuted")}
              </span>
            ) : null}
          </div>
          <div className="field">
            <span className="label">执行率 / 分值 / 得分</span>
            <span data-testid="budget-score">
              {a.score.budget.rate === null ? "—" : `${a.score.budget.rate}%`} / {a.score.budget.weight} / {a.score.budget.score.toFixed(2)}
            </span>
            <span className="hint">{a.score.budget.formula}</span>
          </div>
        </div>
        <div className="field">
          <label htmlFor="summary">总体目标完成情况</label>
          <textarea id="summary" rows={3} readOnly={ro} defaultValue={initial.summary} {...register("summary")} />
        </div>
        {own.budgetMissing.length > 0 ? (
          <ul className="finding-warning row-missing">
            {own.budgetMissing.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        ) : null}
      </section>

      <section className="card" aria-labelledby="ind-h">
        <h2 id="ind-h">绩效指标完成情况</h2>
        <div className="table-wrap">
          <table className="data evaluation-grid">
            <thead>
              <tr>
                <th scope="col">指标</th>
                <th scope="col">年度指标值</th>
                <th scope="col" className="num">分值</th>
                <th scope="col">全年实际完成值</th>
                <th scope="col" className="num">得分</th>
              </tr>
            </thead>
            {data.evaluationIndicators.map((ind, i) => {
              const s = a.score.indicators[i];
              const miss = own.rowMissing[i] ?? [];
              const id = (f: string) => `r${i}-${f}`;
              const row = initial.rows[i] ?? emptyEvaluationRow();
              const na = values.rows?.[i]?.na === "1";
              const label = ind.name ?? "（未命名）";
              return (
                <tbody key={ind.position} data-testid={`row-${i}`}>
                  <tr>
                    <th scope="row">
                      <div className="muted">
                        {ind.level1} / {ind.level2}
                      </div>
                      {label}
                    </th>
                    <td>{ind.operator === "定性" ? `定性：${ind.target ?? ""}` : `${ind.operator ?? ""}${ind.target ?? ""}${ind.unit ?? ""}`}</td>
                    <td className="num">{ind.weight ?? "—"}</td>
                    <td>
                      {ind.operator === "定性" ? (
                        <>
                          <label className="sr-only" htmlFor={id("actual")}>
                            {label} 完成程度
                          </label>
                          <select id={id("actual")} disabled={ro || na} defaultValue={row.actual} {...register(`rows.${i}.actual`)}>
                            <option value="">请选择完成程度</option>
                            {TIERS.map((t) => (
                              <option key={t.value} value={t.value}>
                                {t.label}（{t.range[0]}–{t.range[1]}%）
                              </option>
                            ))}
                          </select>{" "}
                          <label htmlFor={id("percent")}>得分比例 %</label>
                          <input id={id("percent")} size={4} readOnly={ro} defaultValue={row.percent} {...register(`rows.${i}.percent`)} />
                        </>
                      ) : (
                        <>
                          <label className="sr-only" htmlFor={id("actual")}>
                            {label} 全年实际完成值
                          </label>
                          <input id={id("actual")} size={8} readOnly={ro || na} defaultValue={row.actual} {...register(`rows.${i}.actual`)} />
                        </>
                      )}
                      <label className="check">
                        <input type="checkbox" value="1" disabled={ro} defaultChecked={row.na === "1"} {...register(`rows.${i}.na`)} /> 不适用
                      </label>
                    </td>
                    <td className="num" data-testid={`score-${i}`}>
                      {s?.score === null || s?.score === undefined ? "—" : s.score.toFixed(2)}
                    </td>
                  </tr>
                  <tr className={miss.length > 0 ? "row-findings row-needs" : "row-findings"}>
                    <td colSpan={5}>
                      <p className="hint" data-testid={`formula-${i}`}>
                        {s?.formula}
                      </p>
                      {na ? (
                        <div className="field">
                          <label htmlFor={id("naReason")}>不适用理由</label>
                          <input id={id("naReason")} readOnly={ro} defaultValue={row.naReason} {...register(`rows.${i}.naReason`)} />
                        </div>
                      ) : (
                        <div className="field">
                          <label htmlFor={id("explanation")}>偏差原因分析及改进措施{own.score.indicators[i]?.explanationRequired ? "（必填）" : ""}</label>
                          <textarea id={id("explanation")} rows={2} readOnly={ro} defaultValue={row.explanation} {...register(`rows.${i}.explanation`)} />
                        </div>
                      )}
                      {miss.length > 0 ? (
                        <ul className="finding-warning row-missing">
                          {miss.map((m) => (
                            <li key={m}>{m}</li>
                          ))}
                        </ul>
                      ) : null}
                      {rowComments.get(ind.position) ? <p className="comment">审核意见：{rowComments.get(ind.position)}</p> : null}
                    </td>
                  </tr>
                </tbody>
              );
            })}
          </table>
        </div>
      </section>
      {data.canEdit ? (
        <div className="editor-actions">
          <button type="submit" name="intent" value="save" className="btn" disabled={busy}>
            保存草稿
          </button>{" "}
          <button type="submit" name="intent" value="submit" className="btn btn-primary" disabled={busy}>
            {submitLabel("evaluation")}
          </button>
        </div>
      ) : null}
    </Form>
  );
}

function AdjustForm({ data, actionData }: { data: LoaderData; actionData: ActionData | undefined }) {
  const failed = actionData?.kind === "adjust" ? actionData : null;
  const v = (failed?.values ?? {}) as { position?: string; score?: string; reason?: string };
  return (
    <section className="card" id="adjust" aria-labelledby="adjust-h">
      <h2 id="adjust-h">财政复核：调整分数</h2>
      <p className="muted">调整须说明理由（如“指标值设定明显偏低”），调整记录和理由在自评表和审计日志中可见。</p>
      <Form method="post" className="form-inline">
        <input type="hidden" name="intent" value="adjust" />
        <input type="hidden" name="revision" value={data.report?.revision ?? ""} />
        <div className="field">
          <label htmlFor="adj-position">指标</label>
          <select id="adj-position" name="position" defaultValue={v.position ?? ""} aria-describedby={failed?.errors.position ? "adj-position-err" : undefined}>
            <option value="">请选择</option>
            {data.evaluationIndicators.map((ind) => (
              <option key={ind.position} value={ind.position}>
                第 {ind.position + 1} 个「{ind.name}」（分值 {ind.weight ?? "—"}）
              </option>
            ))}
          </select>
          {failed?.errors.position ? (
            <span id="adj-position-err" className="field-error" role="alert">
              {failed.errors.position}
            </span>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="adj-score">调整后得分</label>
          <input id="adj-score" name="score" size={6} defaultValue={v.score ?? ""} aria-describedby={failed?.errors.score ? "adj-score-err" : undefined} />
          {failed?.errors.score ? (
            <span id="adj-score-err" className="field-error" role="alert">
              {failed.errors.score}
            </span>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="adj-reason">理由</label>
          <input id="adj-reason" name="reason" defaultValue={v.reason ?? ""} aria-describedby={failed?.errors.reason ? "adj-reason-err" : undefined} />
          {failed?.errors.reason ? (
            <span id="adj-reason-err" className="field-error" role="alert">
              {failed.errors.reason}
            </span>
          ) : null}
        </div>
        <button type="submit" className="btn">
          调整分数
        </button>
      </Form>
    </section>
  );
}
