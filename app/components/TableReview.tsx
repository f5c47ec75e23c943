// Review UI around a target table: the reviewer's panel (审核意见, rating, per-indicator
// comments), 申请调整, the review history, the list of versions and a version diff.
import { Form, Link, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { DIFF_FIELD_LABELS, HEADER_DIFF_LABELS, isEmptyDiff, type TableDiff } from "~/domain/diff";
import type { Indicator } from "~/domain/schemas";
import { ACTION_LABELS, RATINGS, STATE_LABELS, type TableState, type WorkflowAction } from "~/domain/workflow";
import { formatDateTime, formatWanNumber } from "~/utils/format";
import { StatusBadge } from "./StatusBadge";

type Role = "unit" | "department" | "finance" | "admin";

export function ReviewPanel({
  tableId,
  status,
  actions,
  role,
  indicators,
  errors,
  values,
}: {
  tableId: number;
  status: TableState;
  actions: WorkflowAction[];
  role: Role;
  indicators: Indicator[];
  errors: Record<string, string>;
  values: Record<string, string> | null;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const [showRowComments, setShowRowComments] = useState(Boolean(values && Object.keys(values).some((k) => k.startsWith("indicatorComment."))));
  if (actions.includes("request_adjustment")) {
    return (
      <section className="card" aria-label="申请调整">
        <h2>申请调整</h2>
        <p className="muted">绩效目标确定后一般不予调整。确需调整的，填写理由后将生成新版本，经审核批复后替代当前版本；当前已批复版本在此之前继续有效。</p>
        <Form method="post" noValidate>
          <input type="hidden" name="tableId" value={tableId} />
          <div className="field">
            <label htmlFor="adj-comment">调整理由</label>
            <textarea id="adj-comment" name="comment" defaultValue={values?.comment ?? ""} required />
          </div>
          <button type="submit" name="intent" value="request_adjustment" className="btn" disabled={busy}>
            申请调整
          </button>
        </Form>
      </section>
    );
  }
  const isFinance = role === "finance" && status === "pending_finance";
  return (
    <section className="card review-panel" aria-label="审核">
      <h2>{STATE_LABELS[status]}</h2>
      <Form method="post" noValidate>
        <input type="hidden" name="tableId" value={tableId} />
        {isFinance ? (
          <fieldset className="field">
            <legend className="label">审核评级</legend>
            <div className="actions">
              {RATINGS.map((r) => (
                <label key={r} className="rating">
                  <input type="radio" name="rating" value={r} defaultChecked={values?.rating === r} /> {r}
                </label>
              ))}
            </div>
            <span className="hint muted">优、良可审核通过；中须退回修改；差为不予安排。</span>
          </fieldset>
        ) : null}
        <div className="field">
          <label htmlFor="review-comment">审核意见</label>
          <textarea id="review-comment" name="comment" defaultValue={values?.comment ?? ""} aria-invalid={errors.comment ? true : undefined} />
        </div>
        <button type="button" className="btn-link" onClick={() => setShowRowComments((s) => !s)}>
          {showRowComments ? "收起逐条意见" : "逐条填写指标意见（可选）"}
        </button>
        {showRowComments ? (
          <ol className="row-comments">
            {indicators.map((ind, i) => (
              <li key={i} className="field">
                <label htmlFor={`ic-${i}`}>{ind.name ?? `第 ${i + 1} 行`}</label>
                <input id={`ic-${i}`} name={`indicatorComment.${i}`} defaultValue={values?.[`indicatorComment.${i}`] ?? ""} />
              </li>
            ))}
          </ol>
        ) : null}
        <div className="actions" style={{ marginTop: ".8rem" }}>
          {actions.includes("approve") ? (
            <button type="submit" name="intent" value="approve" className="btn btn-primary" disabled={busy}>
              审核通过
            </button>
          ) : null}
          {actions.includes("return") ? (
            <button type="submit" name="intent" value="return" className="btn" disabled={busy}>
              退回修改
            </button>
          ) : null}
          {actions.includes("reject") ? (
            <button type="submit" name="intent" value="reject" className="btn btn-danger" disabled={busy}>
              不予安排
            </button>
          ) : null}
        </div>
      </Form>
    </section>
  );
}

type ReviewRow = {
  id: number;
  tableId: number;
  fromStatus: TableState;
  toStatus: TableState;
  action: string;
  rating: string | null;
  comment: string | null;
  indicatorComments: string | null;
  createdAt: string | Date;
  actorName: string | null;
};

export function ReviewHistory({ reviews, versions }: { reviews: ReviewRow[]; versions: { id: number; version: number }[] }) {
  const versionOf = new Map(versions.map((v) => [v.id, v.version]));
  return (
    <section className="card" aria-label="审核记录">
      <h2>审核记录</h2>
      {reviews.length === 0 ? (
        <p className="muted">暂无记录</p>
      ) : (
        <ol className="timeline">
          {reviews.map((r) => {
            const rowComments: { position: number; comment: string }[] = r.indicatorComments ? JSON.parse(r.indicatorComments) : [];
            return (
              <li key={r.id} data-testid="review-entry">
                <div>
                  <strong>{ACTION_LABELS[r.action as WorkflowAction] ?? (r.action === "import" ? (r.toStatus === "approved" ? "导入为已批复" : "导入") : r.action)}</strong>{" "}
                  <span className="muted">
                    第 {versionOf.get(r.tableId)} 版 · {r.actorName ?? "系统"} · {formatDateTime(r.createdAt)}
                  </span>{" "}
                  <StatusBadge status={r.toStatus} />
                  {r.rating ? <span className="badge badge-blue">评级 {r.rating}</span> : null}
                </div>
                {r.comment ? <p className="comment">审核意见：{r.comment}</p> : null}
                {rowComments.length ? (
                  <ul>
                    {rowComments.map((c) => (
                      <li key={c.position}>
                        第 {c.position + 1} 行：{c.comment}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

export function VersionList({
  versions,
  current,
  basePath,
}: {
  versions: { id: number; version: number; status: TableState; isCurrent: boolean; updatedAt: string | Date }[];
  current: number | null;
  basePath: string;
}) {
  if (versions.length < 2) return null;
  return (
    <section className="card" aria-label="版本">
      <h2>版本</h2>
      <table className="data">
        <thead>
          <tr>
            <th>版本</th>
            <th>状态</th>
            <th>更新时间</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.id}>
              <td>
                第 {v.version} 版{v.isCurrent ? <span className="badge badge-green">现行</span> : null}
              </td>
              <td>
                <StatusBadge status={v.status} />
              </td>
              <td>{formatDateTime(v.updatedAt)}</td>
              <td>{v.version === current ? <span className="muted">正在查看</span> : <Link to={`${basePath}?version=${v.version}`}>查看</Link>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const show = (v: unknown) => (v === null || v === undefined || v === "" ? "（空）" : v === true ? "是" : v === false ? "否" : String(v));

function ChangeHead({ first }: { first?: string }) {
  return (
    <thead>
      <tr>
        {first ? <th>{first}</th> : null}
        <th>字段</th>
        <th>修改前</th>
        <th>修改后</th>
      </tr>
    </thead>
  );
}

export function VersionDiff({ diff, version }: { diff: TableDiff; version: number }) {
  const empty = isEmptyDiff(diff);
  const money = (f: string, v: string | number | null) => (v !== null && f.startsWith("budget") ? formatWanNumber(Number(v)) : show(v));
  return (
    <section className="card" aria-label="版本差异" data-testid="version-diff">
      <h2>
        第 {version} 版与第 {version - 1} 版的差异
      </h2>
      {empty ? <p className="muted">项目信息和指标都没有变化</p> : null}
      {diff.header.length ? (
        <>
          <h3>修改项目信息</h3>
          <table className="data" data-testid="header-diff">
            <ChangeHead />
            <tbody>
              {diff.header.map((c) => (
                <tr key={c.field}>
                  <td>{HEADER_DIFF_LABELS[c.field]}</td>
                  <td className="diff-before">{money(c.field, c.before)}</td>
                  <td className="diff-after">{money(c.field, c.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {diff.budgetExecutionWeight ? (
        <p>
          预算执行率权重：{show(diff.budgetExecutionWeight.before)} → {show(diff.budgetExecutionWeight.after)}
        </p>
      ) : null}
      {diff.added.length ? (
        <>
          <h3>新增指标</h3>
          <ul className="diff-added">
            {diff.added.map((i, k) => (
              <li key={k}>
                ＋ {i.name ?? "（未命名）"}（{[i.level1, i.level2].filter(Boolean).join(" / ")}，权重 {show(i.weight)}，{show(i.operator)} {show(i.target)}
                {i.unit ?? ""}）
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {diff.removed.length ? (
        <>
          <h3>删除指标</h3>
          <ul className="diff-removed">
            {diff.removed.map((i, k) => (
              <li key={k}>－ {i.name ?? "（未命名）"}</li>
            ))}
          </ul>
        </>
      ) : null}
      {diff.changed.length ? (
        <>
          <h3>修改指标</h3>
          <table className="data">
            <ChangeHead first="指标" />
            <tbody>
              {diff.changed.flatMap((c) =>
                c.changes.map((f, k) => (
                  <tr key={`${c.name}-${f.field}`}>
                    <td>{k === 0 ? c.name : ""}</td>
                    <td>{DIFF_FIELD_LABELS[f.field]}</td>
                    <td className="diff-before">{show(f.before)}</td>
                    <td className="diff-after">{show(f.after)}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

