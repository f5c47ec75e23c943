import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/permissions.server";
import { ROLE_LABELS } from "~/auth/types";
import { getDashboard } from "~/models/dashboard.server";
import { monitoringTodo } from "~/models/monitoring-todo.server";
import { MonitoringTodo } from "~/components/MonitoringTodo";
import { STATUS_LABELS } from "~/components/StatusBadge";
import { formatDateTime } from "~/utils/format";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const now = new Date();
  return { user, dashboard: getDashboard(user), monitoring: monitoringTodo(user, user.currentYear, now), evaluation: monitoringTodo(user, user.currentYear, now, "evaluation") };
}

export default function Dashboard() {
  const { user, dashboard, monitoring, evaluation } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>工作台</h1>
          <p className="muted">
            {user.regionName} · {dashboard.year} 年度 · {ROLE_LABELS[user.role]}
          </p>
        </div>
      </div>
      <h2>待办</h2>
      <div className="grid" data-testid="todo">
        {dashboard.todos.map((t) => (
          <div className="stat" key={t.label}>
            <Link to={t.to}>
              <div className="num">{t.count}</div>
              <div className="label">{t.label}</div>
            </Link>
            {t.parts && t.parts.some((p) => p.to !== t.to && p.count > 0) ? (
              <div className="muted" data-testid="todo-parts">
                其中{" "}
                {t.parts.map((p, i) => (
                  <span key={p.label}>
                    {i > 0 ? " · " : null}
                    <Link to={p.to}>
                      {p.label} {p.count}
                    </Link>
                  </span>
                ))}
              </div>
            ) : null}
          </div>
        ))}
      </div>
      <MonitoringTodo todo={monitoring} />
      <MonitoringTodo todo={evaluation} title="自评待办" />
      {dashboard.byDepartment ? (
        <>
          <h2>各主管部门情况</h2>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th>主管部门</th>
                  <th className="num">项目</th>
                  {dashboard.statuses.map((s) => (
                    <th className="num" key={s}>
                      {STATUS_LABELS[s]}
                    </th>
                  ))}
                  <th className="num">错误</th>
                  <th className="num">提示</th>
                </tr>
              </thead>
              <tbody>
                {dashboard.byDepartment.length === 0 ? (
                  <tr>
                    <td colSpan={4 + dashboard.statuses.length} className="empty">
                      本年度暂无项目
                    </td>
                  </tr>
                ) : (
                  dashboard.byDepartment.map((d) => (
                    <tr key={d.departmentId}>
                      <td>
                        <Link to={`/projects?year=${dashboard.year}&departmentId=${d.departmentId}`}>{d.name}</Link>
                      </td>
                      <td className="num">{d.projects}</td>
                      {dashboard.statuses.map((s) => (
                        <td className="num" key={s}>
                          {d.byStatus[s] ?? 0}
                        </td>
                      ))}
                      <td className="num">{d.errors}</td>
                      <td className="num">{d.warnings}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      <h2>最近动态</h2>
      <div className="card">
        {dashboard.recent.length === 0 ? (
          <p className="muted">暂无动态</p>
        ) : (
          <ul>
            {dashboard.recent.map((r) => (
              <li key={r.id}>
                <span className="muted">{formatDateTime(r.createdAt)}</span> {r.actorName ?? "系统"} {r.text}
              </li>
            ))}
          </ul>
        )}
      </div>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "工作台 · jixiao" }];
