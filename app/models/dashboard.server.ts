// 工作台: 待办 counts per role, recent review activity and finance's per-department summary.
// Everything goes through projectScope / departmentTargetScope, so a unit sees its own work only.
import { and, desc, eq, sql } from "drizzle-orm";
import { db } from "../../db/client.server";
import { departments, departmentTargets, projectCounts, projects, reviews, targetTables, users, type TableStatus } from "../../db/schema";
import type { CurrentUser } from "../auth/types";
import { cachedRead, scopeKey } from "./read-cache.server";
import { departmentTargetScope, projectCountScope, projectScope } from "./scope.server";

const ACTION_TEXT: Record<string, string> = {
  submit: "提交审核",
  approve: "审核通过",
  return: "退回修改",
  reject: "不予安排",
  request_adjustment: "申请调整",
  import: "导入",
};

type TodoPart = { label: string; count: number; to: string };
/** A 待办 figure; `parts` splits it by kind of table when it counts 部门整体 tables too. */
type Todo = { label: string; count: number; to: string; parts?: TodoPart[] };
type DepartmentSummary = {
  departmentId: number;
  name: string;
  projects: number;
  byStatus: Partial<Record<TableStatus, number>>;
  errors: number;
  warnings: number;
};

// One collator: localeCompare with a locale builds one per call.
const byChineseName = new Intl.Collator("zh-CN");

/**
 * The 工作台's figures for the user's scope and current year: added up from the summary rows
 * (docs/decisions/028), and kept until the next write as they depend on the data alone
 * (read-cache.server.ts).
 */
export function getDashboard(user: CurrentUser) {
  return cachedRead(`dashboard|${scopeKey(user)}|${user.currentYear}`, () => readDashboard(user));
}

function readDashboard(user: CurrentUser) {
  const year = user.currentYear;
  // Counts per status over every version in scope: the version in force, plus an adjustment
  // under way (its own status), both added up from project_counts (docs/decisions/028).
  const countRows = db
    .select({
      departmentId: projectCounts.departmentId,
      status: projectCounts.status,
      adjustmentStatus: projectCounts.adjustmentStatus,
      n: sql<number>`sum(${projectCounts.n})`,
      errors: sql<number>`sum(${projectCounts.errors})`,
      warnings: sql<number>`sum(${projectCounts.warnings})`,
    })
    .from(projectCounts)
    .where(and(projectCountScope(user), eq(projectCounts.year, year)))
    .groupBy(projectCounts.departmentId, projectCounts.status, projectCounts.adjustmentStatus)
    .all();
  const versionCounts = new Map<string, number>();
  for (const r of countRows) {
    versionCounts.set(r.status, (versionCounts.get(r.status) ?? 0) + r.n);
    if (r.adjustmentStatus) versionCounts.set(r.adjustmentStatus, (versionCounts.get(r.adjustmentStatus) ?? 0) + r.n);
  }
  const statusRows = [...versionCounts].map(([status, n]) => ({ status, n }));
  const count = (s: TableStatus) => statusRows.find((r) => r.status === s)?.n ?? 0;
  const link = (s: TableStatus) => `/projects?year=${year}&status=${s}`;
  // 部门整体 tables waiting for finance (a unit has none in scope).
  const departmentPending =
    user.role === "unit"
      ? 0
      : db
          .select({ n: sql<number>`count(*)` })
          .from(targetTables)
          .innerJoin(departmentTargets, eq(departmentTargets.id, targetTables.departmentTargetId))
          .where(and(departmentTargetScope(user), eq(departmentTargets.year, year), eq(targetTables.status, "pending_finance")))
          .get()!.n;
  const pendingFinance: Todo = {
    label: "待财政审核",
    count: count("pending_finance") + departmentPending,
    to: link("pending_finance"),
    parts: [
      { label: "项目", count: count("pending_finance"), to: link("pending_finance") },
      { label: "部门整体", count: departmentPending, to: "/department-targets" },
    ],
  };

  const todos: Todo[] = [];
  if (user.role === "unit") {
    todos.push(
      { label: "草稿待提交", count: count("draft"), to: link("draft") },
      { label: "退回给我修改", count: count("returned"), to: link("returned") },
      { label: "审核中", count: count("pending_department") + count("pending_finance"), to: link("pending_department") },
      { label: "已批复", count: count("approved"), to: link("approved") },
    );
  } else if (user.role === "department") {
    todos.push(
      { label: "待我审核", count: count("pending_department"), to: link("pending_department") },
      { label: "已退回单位修改", count: count("returned"), to: link("returned") },
      pendingFinance,
      { label: "已批复", count: count("approved"), to: link("approved") },
    );
  } else {
    todos.push(
      pendingFinance,
      { label: "待主管部门审核", count: count("pending_department"), to: link("pending_department") },
      { label: "退回修改中", count: count("returned"), to: link("returned") },
      { label: "已批复", count: count("approved"), to: link("approved") },
    );
  }

  const recent = db
    .select({
      id: reviews.id,
      action: reviews.action,
      createdAt: reviews.createdAt,
      actorName: users.displayName,
      projectName: projects.name,
      projectId: projects.id,
    })
    .from(reviews)
    .innerJoin(targetTables, eq(targetTables.id, reviews.tableId))
    .innerJoin(projects, eq(projects.id, targetTables.projectId))
    .leftJoin(users, eq(users.id, reviews.actorId))
    .where(and(eq(reviews.regionId, user.regionId), projectScope(user)))
    .orderBy(desc(reviews.createdAt), desc(reviews.id))
    .limit(10)
    .all()
    .map((r) => ({ ...r, text: `${ACTION_TEXT[r.action] ?? r.action}「${r.projectName}」` }));

  const statuses: TableStatus[] = ["draft", "returned", "pending_department", "pending_finance", "approved", "rejected"];
  let byDepartment: DepartmentSummary[] | null = null;
  if (user.role === "finance" || user.role === "admin") {
    // Projects per department by the status of their version in force ("none" without a table).
    const names = new Map(db.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.regionId, user.regionId)).all().map((d) => [d.id, d.name]));
    const rows = countRows.map((r) => ({ ...r, name: names.get(r.departmentId) ?? "", status: r.status === "none" ? null : (r.status as TableStatus) }));
    const map = new Map<number, DepartmentSummary>();
    for (const r of rows) {
      const d: DepartmentSummary = map.get(r.departmentId) ?? {
        departmentId: r.departmentId,
        name: r.name,
        projects: 0,
        byStatus: {},
        errors: 0,
        warnings: 0,
      };
      d.projects += r.n;
      if (r.status) d.byStatus[r.status] = (d.byStatus[r.status] ?? 0) + r.n;
      d.errors += r.errors;
      d.warnings += r.warnings;
      map.set(r.departmentId, d);
    }
    byDepartment = [...map.values()].sort((a, b) => byChineseName.compare(a.name, b.name));
  }
  return { year, todos, recent, byDepartment, statuses };
}
