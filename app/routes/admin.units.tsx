import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { orgFields, saveOrgForm } from "~/utils/org-forms.server";
import { requireRole } from "~/auth/permissions.server";
import { Field, SelectField } from "~/components/Field";
import { listDepartments, listUnits, saveUnit, unitMoveImpact } from "~/models/org.server";

const unitSchema = z.object({
  ...orgFields,
  departmentId: z.coerce.number({ invalid_type_error: "请选择主管部门" }).int().positive("请选择主管部门"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["admin"]);
  const edit = Number(new URL(request.url).searchParams.get("edit"));
  const moveImpact = Number.isInteger(edit) && edit > 0 ? unitMoveImpact(user, edit) : null;
  return { units: listUnits(user), departments: listDepartments(user), moveImpact };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["admin"]);
  return saveOrgForm(request, unitSchema, (data) => saveUnit(user, data), "/admin/units");
}

export default function Units() {
  const { units, departments, moveImpact } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const editing = units.find((u) => String(u.id) === params.get("edit"));
  const values: Record<string, string> =
    data?.values ??
    (editing ? { id: String(editing.id), code: editing.code, name: editing.name, departmentId: String(editing.departmentId) } : {});
  const errors = data?.errors ?? {};
  return (
    <div className="grid" style={{ gridTemplateColumns: "2fr 1fr", alignItems: "start" }}>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th>编码</th>
              <th>单位名称</th>
              <th>主管部门</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {units.length === 0 ? (
              <tr>
                <td colSpan={4} className="empty">
                  尚无预算单位
                </td>
              </tr>
            ) : (
              units.map((u) => (
                <tr key={u.id}>
                  <td>{u.code}</td>
                  <td>{u.name}</td>
                  <td>{u.departmentName}</td>
                  <td>
                    <Link to={`?edit=${u.id}`}>编辑</Link>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <div className="card">
        <h2>{values.id ? "编辑预算单位" : "新增预算单位"}</h2>
        <Form method="post" key={values.id ?? "new"} noValidate>
          {values.id ? <input type="hidden" name="id" value={values.id} /> : null}
          <SelectField
            label="主管部门"
            name="departmentId"
            placeholder="请选择"
            defaultValue={values.departmentId ?? ""}
            options={departments.map((d) => ({ value: d.id, label: `${d.code}-${d.name}` }))}
            error={errors.departmentId?.[0]}
          />
          {values.id && moveImpact ? (
            <p className="hint muted" data-testid="move-impact">
              改为其他主管部门时，该单位的 {moveImpact.users} 个用户和 {moveImpact.openProjects} 个尚未批复的项目随之转到新部门；已批复或不予安排的{" "}
              {moveImpact.finalProjects} 个项目（含其调整）留在原部门。审核记录和各版本不变。
            </p>
          ) : null}
          <Field label="编码" name="code" defaultValue={values.code ?? ""} error={errors.code?.[0]} />
          <Field label="名称" name="name" defaultValue={values.name ?? ""} error={errors.name?.[0]} />
          <div className="actions">
            <button type="submit" className="btn btn-primary">
              保存
            </button>
            {values.id ? <Link to="/admin/units">取消</Link> : null}
          </div>
        </Form>
      </div>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: "预算单位 · 系统管理 · jixiao" }];
