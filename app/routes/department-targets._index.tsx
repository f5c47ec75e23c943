import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/permissions.server";
import { StatusBadge } from "~/components/StatusBadge";
import { createDepartmentTarget, listDepartmentTargets } from "~/models/workflow.server";
import { formatWan } from "~/utils/format";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["department", "finance", "admin"]);
  const targets = listDepartmentTargets(user);
  const canCreate = user.role === "department" && !targets.some((t) => t.year === user.currentYear);
  return { targets, canCreate, year: user.currentYear };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["department"]);
  const result = createDepartmentTarget(user);
  if (!result.ok) return json({ message: result.reason }, { status: 400 });
  return redirect(`/department-targets/${result.id}`);
}

export default function DepartmentTargets() {
  const { targets, canCreate, year } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>部门整体绩效目标</h1>
          <p className="muted">部门（单位）整体绩效目标表：由主管部门填报，报财政局审核批复。</p>
        </div>
        {canCreate ? (
          <Form method="post">
            <button type="submit" className="btn btn-primary">
              填报 {year} 年度部门整体绩效目标表
            </button>
          </Form>
        ) : null}
      </div>
      {data?.message ? <div className="alert alert-error">{data.message}</div> : null}
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th>年度</th>
              <th>部门</th>
              <th>状态</th>
              <th className="num">部门支出预算数（万元）</th>
              <th className="num">指标数</th>
              <th className="num">问题</th>
            </tr>
          </thead>
          <tbody>
            {targets.length === 0 ? (
              <tr>
                <td colSpan={6} className="empty">
                  尚无部门整体绩效目标表
                </td>
              </tr>
            ) : (
              targets.map((t) => (
                <tr key={t.id}>
                  <td>
                    <Link to={`/department-targets/${t.id}`}>{t.year}</Link>
                  </td>
                  <td>
                    {t.departmentCode}-{t.departmentName}
                  </td>
                  <td>
                    <StatusBadge status={t.status} />
                  </td>
                  <td className="num">{formatWan(t.budget)}</td>
                  <td className="num">{t.indicatorCount ?? 0}</td>
                  <td className="num">
                    {t.errorCount ? <span className="badge badge-red">{t.errorCount} 错误</span> : null}{" "}
                    {t.warningCount ? <span className="badge badge-amber">{t.warningCount} 提示</span> : null}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "部门整体绩效目标 · jixiao" }];
