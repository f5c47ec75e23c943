import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/permissions.server";
import { ROLE_LABELS } from "~/auth/types";
import { Field, SelectField } from "~/components/Field";
import { listDepartments, listUnits } from "~/models/org.server";
import { createUser, listUsers } from "~/models/users.server";
import { newUserSchema, ROLE_OPTIONS, toFieldErrors } from "~/utils/user-forms";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["admin"]);
  return { users: listUsers(user), departments: listDepartments(user), units: listUnits(user) };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, ["admin"]);
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  const { password: _never, ...values } = form; // never echo a password back
  const parsed = newUserSchema.safeParse(form);
  if (!parsed.success) return json({ values, errors: toFieldErrors(parsed.error) }, { status: 400 });
  const result = await createUser(admin, parsed.data);
  if (!result.ok) return json({ values, errors: result.errors }, { status: 400 });
  return redirect("/admin/users");
}

export default function Users() {
  const { users, departments, units } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const values: Record<string, string> = data?.values ?? {};
  const errors: Record<string, string | undefined> = data?.errors ?? {};
  return (
    <div className="grid" style={{ gridTemplateColumns: "2fr 1fr", alignItems: "start" }}>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th>用户名</th>
              <th>姓名</th>
              <th>角色</th>
              <th>范围</th>
              <th>状态</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.username}</td>
                <td>{u.displayName}</td>
                <td>{ROLE_LABELS[u.role]}</td>
                <td>{u.role === "unit" ? u.unitName : u.role === "department" ? u.departmentName : "全地区"}</td>
                <td>{u.active ? <span className="badge badge-green">启用</span> : <span className="badge badge-gray">已停用</span>}</td>
                <td>
                  <Link to={`/admin/users/${u.id}`}>管理</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="card">
        <h2>新增用户</h2>
        <Form method="post" noValidate>
          <Field label="用户名" name="username" autoComplete="off" defaultValue={values.username ?? ""} error={errors.username} />
          <Field label="姓名" name="displayName" defaultValue={values.displayName ?? ""} error={errors.displayName} />
          <SelectField label="角色" name="role" defaultValue={values.role ?? "unit"} options={ROLE_OPTIONS} error={errors.role} />
          <SelectField
            label="主管部门（主管部门审核人）"
            name="departmentId"
            placeholder="—"
            defaultValue={values.departmentId ?? ""}
            options={departments.map((d) => ({ value: d.id, label: `${d.code}-${d.name}` }))}
            error={errors.departmentId}
          />
          <SelectField
            label="所属单位（项目单位填报人）"
            name="unitId"
            placeholder="—"
            defaultValue={values.unitId ?? ""}
            options={units.map((u) => ({ value: u.id, label: `${u.code}-${u.name}` }))}
            error={errors.unitId}
          />
          <Field
            label="初始密码"
            name="password"
            type="password"
            autoComplete="new-password"
            hint="至少 8 位"
            error={errors.password}
          />
          <button type="submit" className="btn btn-primary">
            创建用户
          </button>
        </Form>
      </div>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: "用户 · 系统管理 · jixiao" }];
