import { Link } from "@remix-run/react";
import { useId } from "react";
import { ReportStatusBadge } from "./Lights";

type Todo = {
  toFill: Array<{ roundId: number; roundLabel: string; dueOn: string; daysLeft: number; overdue: boolean; name: string; href: string; status: string | null }>;
  review: number;
  returned: number;
  rectifications: Array<{ id: number; label: string; href: string; ownerName: string; requirement: string; dueDate: string }>;
};

/** 监控待办: entries to fill (days left, overdue marked), reviews waiting, open 整改. */
export function MonitoringTodo({ todo, title = "监控待办" }: { todo: Todo; title?: string }) {
  const headingId = useId();
  if (todo.toFill.length === 0 && todo.review === 0 && todo.rectifications.length === 0) return null;
  return (
    <section className="card" aria-labelledby={headingId} data-testid="monitoring-todo">
      <h2 id={headingId}>{title}</h2>
      {todo.review > 0 ? (
        <p>
          待我审核的填报 <strong>{todo.review}</strong> 份
        </p>
      ) : null}
      {todo.toFill.length > 0 ? (
        <table className="data">
          <caption className="sr-only">待填报</caption>
          <thead>
            <tr>
              <th scope="col">项目</th>
              <th scope="col">监控期间</th>
              <th scope="col">状态</th>
              <th scope="col">期限</th>
            </tr>
          </thead>
          <tbody>
            {todo.toFill.map((e) => (
              <tr key={e.href}>
                <td>
                  <Link to={e.href}>{e.name}</Link>
                </td>
                <td>{e.roundLabel}</td>
                <td>
                  <ReportStatusBadge status={e.status} />
                </td>
                <td>
                  {e.overdue ? (
                    <span className="badge badge-red">已逾期（截止 {e.dueOn}）</span>
                  ) : (
                    <span className={e.daysLeft <= 3 ? "badge badge-amber" : undefined}>
                      截止 {e.dueOn}，剩 {e.daysLeft} 天
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {todo.rectifications.length > 0 ? (
        <>
          <h3>整改</h3>
          <ul>
            {todo.rectifications.map((r) => (
              <li key={r.id}>
                {r.label}：<Link to={r.href}>{r.ownerName}</Link> — {r.requirement}（期限 {r.dueDate}）
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
