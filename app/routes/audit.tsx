import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/auth/permissions.server";
import { Pager } from "~/components/Pager";
import { listAuditEvents } from "~/models/audit.server";
import { listUsers } from "~/models/users.server";
import { formatDateTime, shanghaiDayStart } from "~/utils/format";
import { clampPage, pageParam } from "~/utils/pages";

export const ENTITY_LABELS: Record<string, string> = {
  project: "项目",
  table: "绩效目标表",
  indicator: "指标",
  review: "审核",
  rule_set: "规则集",
  user: "用户",
  department: "主管部门",
  unit: "预算单位",
  region: "地区设置",
  library_indicator: "指标库",
  department_target: "部门整体目标",
  import: "导入",
  login: "登录",
  round: "监控/自评任务",
  report: "监控填报/绩效自评",
  rectification: "整改",
  attachment: "佐证材料",
  publication: "绩效公开",
};

const dateOrNull = z.preprocess((v) => (v ? v : null), z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable()).catch(null);
const filterSchema = z.object({
  entity: z.string().max(40).optional().catch(undefined),
  actorId: z.preprocess((v) => (v ? v : undefined), z.coerce.number().int().positive().max(2 ** 31 - 1).optional()).catch(undefined),
  from: dateOrNull,
  to: dateOrNull,
  page: pageParam,
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["finance", "admin"]);
  const f = filterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  // Days are Shanghai days, as the times on the page (app/utils/format.ts).
  const day = (s: string | null, plus = 0) => (s ? new Date(shanghaiDayStart(s).getTime() + plus) : null);
  const filter = { entity: f.entity, actorId: f.actorId, from: day(f.from), to: day(f.to, 24 * 3600 * 1000) };
  let result = listAuditEvents(user, { ...filter, page: f.page });
  // Past the end: show the last page.
  const last = clampPage(result.page, result.total, result.pageSize);
  if (last < result.page) result = listAuditEvents(user, { ...filter, page: last });
  return { filter: f, result, users: listUsers(user).map((u) => ({ id: u.id, name: `${u.displayName}（${u.username}）` })) };
}

/** An event without a user: `jixiao publish` says so in its `after.via`; the others are the system's. */
export function actorOf(e: { actorName: string | null; after: string | null }): string {
  if (e.actorName) return e.actorName;
  try {
    return (JSON.parse(e.after ?? "null") as { via?: unknown } | null)?.via === "命令行" ? "命令行" : "系统";
  } catch {
    return "系统";
  }
}

function Json({ value }: { value: string | null }) {
  if (!value) return <span className="muted">—</span>;
  return <pre style={{ margin: 0, whiteSpace: "pre-wrap", maxWidth: 360, fontSize: ".85rem" }}>{JSON.stringify(JSON.parse(value), null, 1)}</pre>;
}

export default function AuditLog() {
  const { filter, result, users } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>审计日志</h1>
          <p className="muted">记录只增不改：任何人都不能修改或删除日志。共 {result.total} 条。</p>
        </div>
      </div>
      <div className="card">
        <Form method="get" className="form-inline">
          <div className="field">
            <label htmlFor="a-entity">对象</label>
            <select id="a-entity" name="entity" defaultValue={filter.entity ?? ""}>
              <option value="">全部</option>
              {Object.entries(ENTITY_LABELS).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="a-actor">操作人</label>
            <select id="a-actor" name="actorId" defaultValue={filter.actorId ?? ""}>
              <option value="">全部</option>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="a-from">起始日期</label>
            <input id="a-from" type="date" name="from" defaultValue={filter.from ?? ""} />
          </div>
          <div className="field">
            <label htmlFor="a-to">截止日期</label>
            <input id="a-to" type="date" name="to" defaultValue={filter.to ?? ""} />
          </div>
          <button type="submit" className="btn">
            筛选
          </button>
        </Form>
      </div>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th>时间</th>
              <th>操作人</th>
              <th>对象</th>
              <th>操作</th>
              <th>修改前</th>
              <th>修改后</th>
            </tr>
          </thead>
          <tbody>
            {result.rows.length === 0 ? (
              <tr>
                <td colSpan={6} className="empty">
                  没有符合条件的记录
                </td>
              </tr>
            ) : (
              result.rows.map((e) => (
                <tr key={e.id}>
                  <td>{formatDateTime(e.createdAt)}</td>
                  <td>{actorOf(e)}</td>
                  <td>
                    {ENTITY_LABELS[e.entity] ?? e.entity} #{e.entityId}
                  </td>
                  <td>{e.action}</td>
                  <td>
                    <Json value={e.before} />
                  </td>
                  <td>
                    <Json value={e.after} />
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <Pager page={result.page} pageSize={result.pageSize} total={result.total} />
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "审计日志 · jixiao" }];
