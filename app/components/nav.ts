import type { Role } from "../domain/workflow";

export type NavItem = { to: string; label: string };

/** The navigation a role sees. Pages outside it still check the role on the server. */
export function navItems(role: Role): NavItem[] {
  const items: NavItem[] = [
    { to: "/", label: "工作台" },
    { to: "/projects", label: "项目" },
    { to: "/monitoring", label: "监控" },
    { to: "/evaluations", label: "自评" },
    { to: "/library", label: "指标库" },
  ];
  if (role === "department" || role === "finance") items.splice(2, 0, { to: "/department-targets", label: "部门整体目标" });
  if (role === "department" || role === "finance" || role === "admin") items.push({ to: "/publications", label: "绩效公开" });
  if (role === "finance" || role === "admin") items.push({ to: "/audit", label: "审计日志" });
  if (role === "finance") items.push({ to: "/rules", label: "规则集" });
  if (role === "finance" || role === "admin") items.push({ to: "/import", label: "导入" });
  if (role === "admin") items.push({ to: "/admin", label: "系统管理" });
  return items;
}

/**
 * Whether `pathname` is in the section of the item linking to `to`, as NavLink decides it:
 * the path itself or below it, case-insensitively; the 工作台 (/) only for itself.
 */
export function isCurrentSection(to: string, pathname: string): boolean {
  const target = to.toLowerCase();
  const path = pathname.toLowerCase();
  if (path === target) return true;
  return target !== "/" && path.startsWith(target) && path.charAt(target.length) === "/";
}
