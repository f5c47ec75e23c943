// Review pieces shared by every report page (监控填报, 绩效自评): the 审核 form with optional
// per-row comments, and the history of submissions and reviews.
import { Form } from "@remix-run/react";
import { REPORT_STATE_LABELS, type ReportState } from "../domain/report-workflow";
import { formatDateTime } from "../utils/format";

type Review = {
  id: number;
  action: string;
  actorName: string | null;
  createdAt: string | Date;
  fromStatus: ReportState;
  toStatus: ReportState;
  comment: string | null;
  rowComments: string | null;
};

const ACTION_TEXT: Record<string, string> = { submit: "提交", approve: "审核通过", return: "退回修改" };

export function ReviewHistory({ reviews }: { reviews: Review[] }) {
  if (reviews.length === 0) return null;
  return (
    <section className="card" aria-labelledby="history-h">
      <h2 id="history-h">审核记录</h2>
      <ol className="timeline">
        {reviews.map((r) => (
          <li key={r.id}>
            <strong>{ACTION_TEXT[r.action] ?? r.action}</strong> · {r.actorName ?? "—"} · {formatDateTime(r.createdAt)} · {REPORT_STATE_LABELS[r.fromStatus]} →{" "}
            {REPORT_STATE_LABELS[r.toStatus]}
            {r.comment ? <p className="comment">审核意见：{r.comment}</p> : null}
            {r.rowComments ? (
              <ul className="row-comments">
                {(JSON.parse(r.rowComments) as Array<{ position: number; comment: string }>).map((c) => (
                  <li key={c.position}>
                    第 {c.position + 1} 个指标：{c.comment}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function ReviewForm({
  revision,
  indicators,
  actions,
  failedComment,
  children,
}: {
  revision: number | null;
  indicators: Array<{ id: number; position: number; name: string | null }>;
  actions: string[];
  failedComment?: string;
  children?: React.ReactNode;
}) {
  return (
    <section className="card review-panel" aria-labelledby="review-h">
      <h2 id="review-h">审核</h2>
      {children}
      <Form method="post">
        <input type="hidden" name="revision" value={revision ?? ""} />
        <div className="field">
          <label htmlFor="review-comment">审核意见</label>
          <textarea id="review-comment" name="comment" rows={3} defaultValue={failedComment ?? ""} />
        </div>
        <details>
          <summary>逐条指标意见（可选）</summary>
          {indicators.map((ind) => (
            <div className="field" key={ind.id}>
              <label htmlFor={`rc-${ind.position}`}>
                第 {ind.position + 1} 个指标「{ind.name}」
              </label>
              <input id={`rc-${ind.position}`} name={`rowComment.${ind.position}`} />
            </div>
          ))}
        </details>
        <div className="actions">
          {actions.includes("approve") ? (
            <button type="submit" name="intent" value="approve" className="btn btn-primary">
              审核通过
            </button>
          ) : null}
          {actions.includes("return") ? (
            <button type="submit" name="intent" value="return" className="btn btn-danger">
              退回修改
            </button>
          ) : null}
        </div>
      </Form>
    </section>
  );
}
