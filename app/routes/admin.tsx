import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { requireRole } from "~/auth/permissions.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["admin"]);
  return null;
}

export default function AdminLayout() {
  return (
    <>
      <div className="page-header">
        <h1>系统管理</h1>
        <nav className="actions" aria-label="系统管理">
          <NavLink to="/admin/departments" className="btn btn-small">主管部门</NavLink>
          <NavLink to="/admin/units" className="btn btn-small">预算单位</NavLink>
          <NavLink to="/admin/users" className="btn btn-small">用户</NavLink>
          <NavLink to="/admin/region" className="btn btn-small">地区设置</NavLink>
        </nav>
      </div>
      <Outlet />
    </>
  );
}
