// Loading target tables as exchange JSON for export (.xlsx) and the print view, scoped by
// region and role through scope.server.ts. A whole scope is loaded in a constant number of
// queries (projects, department targets, one query for all their indicators): no N+1.
import { and, asc, eq, type SQL } from "drizzle-orm";
import { db } from "../../db/client.server";
import { departments, departmentTargets, projectHeaders, projects, targetTables, units, type TableStatus } from "../../db/schema";
import type { CurrentUser } from "../auth/types";
import type { ExchangeTable } from "../domain/schemas";
import { departmentTargetToExchange, projectToExchange } from "./exchange.server";
import { departmentScope, departmentTargetScope, projectScope, unitScope } from "./scope.server";
import { listIndicatorsOf } from "./tables.server";

export type ExportedTable = {
  kind: ExchangeTable["kind"];
  /** Project id or department-target id. */
  id: number;
  /** The version exported (the current one), null when the owner has no table yet. */
  tableId: number | null;
  status: TableStatus | null;
  version: number | null;
  table: ExchangeTable;
};

type IndicatorRow = ReturnType<typeof listIndicatorsOf>[number];

function groupIndicators(tableIds: number[]): Map<number, IndicatorRow[]> {
  const byTable = new Map<number, IndicatorRow[]>();
  for (const row of listIndicatorsOf(tableIds)) {
    const list = byTable.get(row.tableId);
    if (list) list.push(row);
    else byTable.set(row.tableId, [row]);
  }
  return byTable;
}

// The version in force of each owner (is_current), one row per owner.
const currentProjectTable = and(eq(targetTables.projectId, projects.id), eq(targetTables.isCurrent, true));
const currentDepartmentTable = and(eq(targetTables.departmentTargetId, departmentTargets.id), eq(targetTables.isCurrent, true));

function loadProjects(user: CurrentUser, where: SQL | undefined, tableJoin: SQL = currentProjectTable!) {
  return db
    .select({
      project: projects,
      header: projectHeaders,
      departmentCode: departments.code,
      departmentName: departments.name,
      unitCode: units.code,
      unitName: units.name,
      tableId: targetTables.id,
      status: targetTables.status,
      version: targetTables.version,
      budgetExecutionWeight: targetTables.budgetExecutionWeight,
    })
    .from(projects)
    .innerJoin(departments, eq(departments.id, projects.departmentId))
    .leftJoin(units, eq(units.id, projects.unitId))
    .leftJoin(targetTables, tableJoin)
    .leftJoin(projectHeaders, eq(projectHeaders.tableId, targetTables.id))
    .where(and(projectScope(user), where))
    .orderBy(asc(departments.code), asc(projects.code), asc(projects.name), asc(projects.id))
    .all();
}

function loadDepartmentTargets(user: CurrentUser, where: SQL | undefined) {
  return db
    .select({
      target: departmentTargets,
      departmentCode: departments.code,
      departmentName: departments.name,
      tableId: targetTables.id,
      status: targetTables.status,
      version: targetTables.version,
      budgetExecutionWeight: targetTables.budgetExecutionWeight,
    })
    .from(departmentTargets)
    .innerJoin(departments, eq(departments.id, departmentTargets.departmentId))
    .leftJoin(targetTables, currentDepartmentTable)
    .where(and(departmentTargetScope(user), where))
    .orderBy(asc(departments.code), asc(departmentTargets.id))
    .all();
}

function toExported(
  projectRows: ReturnType<typeof loadProjects>,
  targetRows: ReturnType<typeof loadDepartmentTargets>,
): ExportedTable[] {
  const tableIds = [...targetRows, ...projectRows].map((r) => r.tableId).filter((id): id is number => id != null);
  const indicators = groupIndicators(tableIds);
  const rowsOf = (tableId: number | null) => (tableId == null ? [] : (indicators.get(tableId) ?? []));
  return [
    ...targetRows.map(
      (r): ExportedTable => ({
        kind: "department",
        id: r.target.id,
        tableId: r.tableId,
        status: r.status,
        version: r.version,
        table: departmentTargetToExchange(
          r.target,
          { code: r.departmentCode, name: r.departmentName },
          { budgetExecutionWeight: r.budgetExecutionWeight },
          rowsOf(r.tableId),
        ),
      }),
    ),
    ...projectRows.map(
      (r): ExportedTable => ({
        kind: "project",
        id: r.project.id,
        tableId: r.tableId,
        status: r.status,
        version: r.version,
        table: projectToExchange(
          r.project,
          r.header,
          { code: r.departmentCode, name: r.departmentName },
          r.unitCode != null && r.unitName != null ? { code: r.unitCode, name: r.unitName } : null,
          { budgetExecutionWeight: r.budgetExecutionWeight },
          rowsOf(r.tableId),
        ),
      }),
    ),
  ];
}

/**
 * One project's table as exchange JSON: the version in force, or `version` when given.
 * Null when the project is not in the user's scope or has no such version.
 */
export function getProjectExport(user: CurrentUser, projectId: number, version?: number | null): ExportedTable | null {
  if (!Number.isSafeInteger(projectId)) return null;
  const tableJoin =
    version != null ? and(eq(targetTables.projectId, projects.id), eq(targetTables.version, version)) : undefined;
  const rows = loadProjects(user, eq(projects.id, projectId), tableJoin);
  if (rows.length === 0) return null;
  if (version != null && rows[0].tableId == null) return null;
  return toExported(rows, [])[0];
}

export type ScopeExport = {
  year: number;
  /** What the workbook covers, for its title and file name: a department, a unit or the region. */
  scopeName: string;
  department: { id: number; code: string; name: string } | null;
  tables: ExportedTable[];
};

/**
 * Every table of a year that the user may see: the department's (when `departmentId` is
 * given) or the whole scope's (a unit user's projects, a department's, the region's).
 * Department-overall tables come first, then projects by department and code. Returns
 * null when `departmentId` is not a department the user may see (the route's 404).
 */
export function getScopeExport(user: CurrentUser, input: { year: number; departmentId?: number | null }): ScopeExport | null {
  let department: ScopeExport["department"] = null;
  if (input.departmentId != null) {
    if (!Number.isSafeInteger(input.departmentId)) return null;
    department =
      db
        .select({ id: departments.id, code: departments.code, name: departments.name })
        .from(departments)
        .where(and(eq(departments.id, input.departmentId), departmentScope(user)))
        .get() ?? null;
    if (!department) return null;
  }
  const projectRows = loadProjects(
    user,
    and(eq(projects.year, input.year), department ? eq(projects.departmentId, department.id) : undefined),
  );
  const targetRows = loadDepartmentTargets(
    user,
    and(eq(departmentTargets.year, input.year), department ? eq(departmentTargets.departmentId, department.id) : undefined),
  );
  return { year: input.year, scopeName: department?.name ?? scopeNameOf(user), department, tables: toExported(projectRows, targetRows) };
}

function scopeNameOf(user: CurrentUser): string {
  if (user.role === "unit") {
    const unit = db.select({ name: units.name }).from(units).where(unitScope(user)).get();
    return unit?.name ?? user.regionName;
  }
  if (user.role === "department") {
    const dept = db.select({ name: departments.name }).from(departments).where(departmentScope(user)).get();
    return dept?.name ?? user.regionName;
  }
  return user.regionName;
}
