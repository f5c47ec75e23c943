import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { notFound, requireRole } from "~/auth/permissions.server";
import { Field, SelectField } from "~/components/Field";
import { listDepartments, listUnits } from "~/models/org.server";
import { getUserForAdmin, resetPassword, setUserActive, updateUser } from "~/models/users.server";
import { passwordSchema, ROLE_OPTIONS, toFieldErrors, userFieldsSchema } from "~/utils/user-forms";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireRole(request, ["admin"]);
  const user = getUserForAdmin(admin, Number(params.userId));
  if (!user) throw notFound();
  return { user, departments: listDepartments(admin), units: listUnits(admin) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, ["admin"]);
  const id = Number(params.userId);
  if (!getUserForAdmin(admin, id)) throw notFound();
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  const { password: _never, ...values } = form;
  switch (form.intent) {
    case "update": {
      const parsed = userFieldsSchema.safeParse(form);
      if (!parsed.success) return json({ intent: "update", values, errors: toFieldErrors(parsed.error), message: null }, { status: 400 });
      const result = updateUser(admin, id, parsed.data);
      if (!result) throw notFound();
      if (!result.ok) return json({ intent: "update", values, errors: result.errors, message: null }, { status: 400 });
      return redirect(`/admin/users/${id}`);
    }
    case "activate":
    case "deactivate": {
      const result = setUserActive(admin, id, form.intent === "activate");
      if (!result) throw notFound();
      if (!result.ok) return json({ intent: form.intent, values, errors: {}, message: result.error }, { status: 400 });
      return redirect(`/admin/users/${id}`);
    }
    case "reset-password": {
      const parsed = passwordSchema.safeParse(form.password ?? "");
      if (!parsed.success) {
        return json({ intent: "reset-password", values, errors: { password: parsed.error.issues[0].message }, message: null }, { status: 400 });
      }
      await resetPassword(admin, id, parsed.data);
      return json({ intent: "reset-password", values: {}, errors: {}, message: "密码已重置，该用户需用新密码重新登录。" });
    }
    default:
      return json({ intent: null, values, errors: {}, message: "未知操作" }, { status: 400 });
  }
}

export default function UserPage() {
  const { user, departments, units } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errors: Record<string, string | undefined> = data?.errors ?? {};
  const values: Record<string, string> =
    data?.intent === "update"
      ? data.values
      : {
          displayName: user.displayName,
          role: user.role,
          departmentId: user.departmentId ? String(user.departmentId) : "",
          unitId: user.unitId ? String(user.unitId) : "",
        };
  return (
    <>
      <p>
        <Link to="/admin/users">← 全部用户</Link>
      </p>
      {data?.message ? <div className={`alert ${data.errors && Object.keys(data.errors).length === 0 && data.intent === "reset-password" ? "alert-success" : "alert-error"}`} role="status">{data.message}</div> : null}
      <div className="grid" style={{ alignItems: "start" }}>
        <div className="card">
          <h2>
            {user.username} {user.active ? <span className="badge badge-green">启用</span> : <span className="badge badge-gray">已停用</span>}
          </h2>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="update" />
            <Field label="姓名" name="displayName" defaultValue={values.displayName} error={errors.displayName} />
            <SelectField label="角色" name="role" defaultValue={values.role} options={ROLE_OPTIONS} error={errors.role} />
            <SelectField
              label="主管部门（主管部门审核人）"
              name="departmentId"
              placeholder="—"
              defaultValue={values.departmentId}
              options={departments.map((d) => ({ value: d.id, label: `${d.code}-${d.name}` }))}
              error={errors.departmentId}
            />
            <SelectField
              label="所属单位（项目单位填报人）"
              name="unitId"
              placeholder="—"
              defaultValue={values.unitId}
              options={units.map((u) => ({ value: u.id, label: `${u.code}-${u.name}` }))}
              error={errors.unitId}
            />
            <button type="submit" className="btn btn-primary">
              保存
            </button>
          </Form>
        </div>
        <div className="card">
          <h2>重置密码</h2>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="reset-password" />
            <Field label="新密码" name="password" type="password" autoComplete="new-password" hint="至少 8 位" error={errors.password} />
            <button type="submit" className="btn">
              重置密码
            </button>
          </Form>
          <h2>账号状态</h2>
          <Form method="post">
            <input type="hidden" name="intent" value={user.active ? "deactivate" : "activate"} />
            <button type="submit" className={user.active ? "btn btn-danger" : "btn"}>
              {user.active ? "停用账号" : "重新启用"}
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "用户 · 系统管理 · jixiao" }];
