import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { orgFields, saveOrgForm } from "~/utils/org-forms.server";
import { requireRole } from "~/auth/permissions.server";
import { Field } from "~/components/Field";
import { listDepartments, saveDepartment } from "~/models/org.server";

const departmentSchema = z.object({
  ...orgFields,
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["admin"]);
  return { departments: listDepartments(user) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["admin"]);
  return saveOrgForm(request, departmentSchema, (data) => saveDepartment(user, data), "/admin/departments");
}

export default function Departments() {
  const { departments } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const editing = departments.find((d) => String(d.id) === params.get("edit"));
  const values = data?.values ?? (editing ? { id: String(editing.id), code: editing.code, name: editing.name } : {});
  const errors = data?.errors ?? {};
  return (
    <div className="grid" style={{ gridTemplateColumns: "2fr 1fr", alignItems: "start" }}>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th>编码</th>
              <th>主管部门名称</th>
              <th className="num">单位数</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {departments.length === 0 ? (
              <tr>
                <td colSpan={4} className="empty">
                  尚无主管部门
                </td>
              </tr>
            ) : (
              departments.map((d) => (
                <tr key={d.id}>
                  <td>{d.code}</td>
                  <td>{d.name}</td>
                  <td className="num">{d.unitCount}</td>
                  <td>
                    <Link to={`?edit=${d.id}`}>编辑</Link>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <div className="card">
        <h2>{values.id ? "编辑主管部门" : "新增主管部门"}</h2>
        <Form method="post" key={values.id ?? "new"} noValidate>
          {values.id ? <input type="hidden" name="id" value={values.id} /> : null}
          <Field label="编码" name="code" defaultValue={values.code ?? ""} error={errors.code?.[0]} />
          <Field label="名称" name="name" defaultValue={values.name ?? ""} error={errors.name?.[0]} />
          <div className="actions">
            <button type="submit" className="btn btn-primary">
              保存
            </button>
            {values.id ? <Link to="/admin/departments">取消</Link> : null}
          </div>
        </Form>
      </div>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: "主管部门 · 系统管理 · jixiao" }];
