// Projects and their current target table, scoped by region and role (scope.server.ts).
import { and, asc, desc, eq, or, sql, type SQL } from "drizzle-orm";
import { db } from "../../db/client.server";
import { departments, projects, targetTables, units, type TableStatus } from "../../db/schema";
import type { CurrentUser } from "../auth/types";
import { clampPage } from "../utils/pages";
import type { ProjectSort } from "../utils/project-sorts";
import { findPriorEvaluation, findPriorEvaluations, type PriorEvaluation } from "./results.server";
import { listDepartments, listUnits } from "./org.server";
import { cachedRead, scopeKey } from "./read-cache.server";
import { projectScope } from "./scope.server";

export type ProjectFilter = {
  year?: number | null;
  departmentId?: number | null;
  unitId?: number | null;
  status?: TableStatus | "none" | null;
  category?: string | null;
  q?: string | null;
  sort?: ProjectSort;
  page?: number;
  pageSize?: number;
};

export const PROJECT_SORTS: Record<ProjectSort, SQL> = {
  name: asc(projects.name),
  code: asc(projects.code),
  budget_desc: desc(projects.budgetTotal),
  updated_desc: desc(projects.updatedAt),
  findings_desc: desc(sql`coalesce(${targetTables.errorCount}, 0) * 1000 + coalesce(${targetTables.warningCount}, 0)`),
};

// The version in force of each project (is_current), one row per project.
const currentTableJoin = and(eq(targetTables.projectId, projects.id), eq(targetTables.isCurrent, true));

function filterConditions(user: CurrentUser, f: ProjectFilter): SQL {
  const conditions: (SQL | undefined)[] = [projectScope(user)];
  if (f.year) conditions.push(eq(projects.year, f.year));
  if (f.departmentId) conditions.push(eq(projects.departmentId, f.departmentId));
  if (f.unitId) conditions.push(eq(projects.unitId, f.unitId));
  if (f.category) conditions.push(eq(projects.category, f.category));
  if (f.status === "none") conditions.push(sql`${targetTables.id} is null`);
  else if (f.status) conditions.push(eq(targetTables.status, f.status));
  if (f.q?.trim()) {
    // Wildcards typed by the user are searched literally: escaped, and the escape declared
    // (without ESCAPE, SQLite reads "\%" as a backslash then a wildcard: "100%" found nothing).
    const pattern = `%${f.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(sql`${projects.name} like ${pattern} escape '\\'`, sql`${projects.code} like ${pattern} escape '\\'`));
  }
  return and(...conditions)!;
}

/** The filter minus status, page, sort and page size: what the counts per status depend on. */
function countKey(user: CurrentUser, f: ProjectFilter): string {
  const q = f.q?.trim() || null;
  return `projects.counts|${scopeKey(user)}|${JSON.stringify([f.year || null, f.departmentId || null, f.unitId || null, f.category || null, q])}`;
}

/**
 * Counts per status within the filter (status itself ignored), for the list's tabs; "none"
 * counts projects without a table. Counting a region-year is the list's costliest read, so
 * the result is kept until the next write (read-cache.server.ts).
 */
export function countProjectsByStatus(user: CurrentUser, f: ProjectFilter = {}) {
  return cachedRead(countKey(user, f), () => {
    const rows = db
      .select({ status: targetTables.status, n: sql<number>`count(*)` })
      .from(projects)
      .leftJoin(targetTables, currentTableJoin)
      .where(filterConditions(user, { ...f, status: null }))
      .groupBy(targetTables.status)
      .all();
    return Object.fromEntries(rows.map((r) => [r.status ?? "none", r.n])) as Partial<Record<TableStatus | "none", number>>;
  });
}

export function listProjects(user: CurrentUser, f: ProjectFilter = {}) {
  const where = filterConditions(user, f);
  const pageSize = Math.min(Math.max(f.pageSize ?? 25, 1), 200);
  // The total is the status count of the filter (every project has one status or none).
  const counts = countProjectsByStatus(user, f);
  const total = f.status ? (counts[f.status] ?? 0) : Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
  // A page past the end (or not a page at all) shows the last page: the offset stays small.
  const page = clampPage(f.page, total, pageSize);
  const rows = db
    .select({
      id: projects.id,
      year: projects.year,
      code: projects.code,
      name: projects.name,
      unitId: projects.unitId,
      category: projects.category,
      budgetTotal: projects.budgetTotal,
      departmentName: departments.name,
      unitName: units.name,
      tableId: targetTables.id,
      status: targetTables.status,
      version: targetTables.version,
      indicatorCount: targetTables.indicatorCount,
      weightTotal: targetTables.weightTotal,
      budgetExecutionWeight: targetTables.budgetExecutionWeight,
      errorCount: targetTables.errorCount,
      warningCount: targetTables.warningCount,
    })
    .from(projects)
    .innerJoin(departments, eq(departments.id, projects.departmentId))
    .leftJoin(units, eq(units.id, projects.unitId))
    .leftJoin(targetTables, currentTableJoin)
    .where(where)
    .orderBy(PROJECT_SORTS[f.sort ?? "name"] ?? PROJECT_SORTS.name, asc(projects.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
  return { rows: withLastYear(user, rows), total, page, pageSize };
}

/**
 * 结果应用: each row with last year's approved self-evaluation of the same project (year,
 * grade, link; the list marks 差 as 红灯预警). One query for the page, never one per row.
 */
function withLastYear<R extends { year: number; unitId: number | null; code: string | null; name: string }>(user: CurrentUser, rows: R[]) {
  const prior = findPriorEvaluations(user.regionId, rows);
  return rows.map((r, k) => ({ ...r, lastYear: lastYearOf(prior[k]) }));
}

/** What a list or page shows of last year's evaluation: its year, grade, score and link. */
function lastYearOf(p: PriorEvaluation | null) {
  return p ? { year: p.year, grade: p.grade, score: p.score, href: p.href } : null;
}

/** Last year's approved self-evaluation of one project (the project page's 红灯预警). */
export function projectLastYear(user: CurrentUser, project: typeof projects.$inferSelect) {
  return lastYearOf(findPriorEvaluation(user.regionId, project));
}

export function listProjectYears(user: CurrentUser): number[] {
  return db
    .selectDistinct({ year: projects.year })
    .from(projects)
    .where(projectScope(user))
    .orderBy(desc(projects.year))
    .all()
    .map((r) => r.year);
}

export function listProjectCategories(user: CurrentUser): string[] {
  return db
    .selectDistinct({ category: projects.category })
    .from(projects)
    .where(and(projectScope(user), sql`${projects.category} is not null`))
    .orderBy(asc(projects.category))
    .all()
    .map((r) => r.category!);
}

/**
 * The list's filter choices in the user's scope: years, categories (a scan of the region's
 * projects), departments and units, with only what the filter shows (they travel in every
 * list page's data). Kept until the next write.
 */
export function listFilterChoices(user: CurrentUser) {
  return cachedRead(`projects.choices|${scopeKey(user)}`, () => ({
    years: listProjectYears(user),
    categories: listProjectCategories(user),
    departments: listDepartments(user).map(({ id, code, name }) => ({ id, code, name })),
    units: listUnits(user).map(({ id, name }) => ({ id, name })),
  }));
}

/** One project in the user's scope, or null (the route turns null into a 404). */
export function getProject(user: CurrentUser, id: number) {
  return (
    db
      .select({
        project: projects,
        departmentCode: departments.code,
        departmentName: departments.name,
        unitCode: units.code,
        unitName: units.name,
      })
      .from(projects)
      .innerJoin(departments, eq(departments.id, projects.departmentId))
      .leftJoin(units, eq(units.id, projects.unitId))
      .where(and(eq(projects.id, id), projectScope(user)))
      .get() ?? null
  );
}
