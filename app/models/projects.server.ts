// Projects and their current target table, scoped by region and role (scope.server.ts).
import { and, asc, desc, eq, inArray, isNull, or, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { db } from "../../db/client.server";
import { departments, projectCounts, projects, targetTables, units, type TableStatus } from "../../db/schema";
import { searchPhrase } from "../../db/search-tokens";
import type { CurrentUser } from "../auth/types";
import { clampPage } from "../utils/pages";
import type { ProjectSort } from "../utils/project-sorts";
import { findPriorEvaluation, findPriorEvaluations, lastYearOf } from "./results.server";
import { listDepartments, listUnits } from "./org.server";
import { cachedRead, scopeKey } from "./read-cache.server";
import { preparedOnce, preparedPerShape } from "./prepared.server";
import { preparedProjectScope, projectCountScope, projectScope, scopeParams, scopeShape, type ScopeShape } from "./scope.server";

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

// Every sort reads the projects' own columns, each with an index on (region, year, column)
// (db/schema.ts), and ends on the id so pages never overlap.
export const PROJECT_SORTS: Record<ProjectSort, SQL[]> = {
  name: [asc(projects.name)],
  code: [asc(projects.code)],
  budget_desc: [desc(projects.budgetTotal)],
  updated_desc: [desc(projects.updatedAt)],
  // 问题最多: errors first, then warnings (projects mirror their version in force's counts).
  findings_desc: [desc(projects.errorCount), desc(projects.warningCount)],
};

// The version in force of each project (is_current), one row per project.
const currentTableJoin = and(eq(targetTables.projectId, projects.id), eq(targetTables.isCurrent, true));

/**
 * How a search meets the other filters. "matches": SQLite starts from the index's matches
 * (cheap when they are few); "scan": it walks the filtered projects in the list's order and
 * checks each against the matches (cheap when the matches are many, for a first page). The
 * unary + keeps SQLite from starting at the matches when it should not: it cannot know how
 * many a phrase has, we can (searchSize).
 */
type SearchPlan = "matches" | "scan";

/** The search box: an FTS phrase narrows to the region's candidates, LIKE keeps the exact meaning. */
function searchCondition(user: CurrentUser, q: string, plan: SearchPlan): SQL {
  // Wildcards typed by the user are searched literally: escaped, and the escape declared
  // (without ESCAPE, SQLite reads "\\%" as a backslash then a wildcard: "100%" found nothing).
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const like = or(sql`${projects.name} like ${pattern} escape '\\'`, sql`${projects.code} like ${pattern} escape '\\'`)!;
  const phrase = searchPhrase(user.regionId, q);
  // Only punctuation typed: nothing to look up in the index, the LIKE alone decides.
  if (!phrase) return like;
  const id = plan === "scan" ? sql`+${projects.id}` : sql`${projects.id}`;
  return and(sql`${id} in (select rowid from project_search where project_search match ${phrase})`, like)!;
}

/** The index's matches of a search in the user's region (every year): a count of its posting lists. */
function searchSize(user: CurrentUser, q: string): number {
  const phrase = searchPhrase(user.regionId, q);
  if (!phrase) return Number.MAX_SAFE_INTEGER;
  return (db.get(sql`select count(*) as n from project_search where project_search match ${phrase}`) as { n: number }).n;
}

type ValueFilter = Pick<ProjectFilter, "year" | "departmentId" | "unitId" | "category" | "status">;
const VALUE_KEYS = ["year", "departmentId", "unitId", "category", "status"] as const;

/** The filter's plain conditions, each on the value `value(key)` gives: the filter's own, or a placeholder. */
function valueConditions(f: ValueFilter, value: (key: (typeof VALUE_KEYS)[number]) => SQLWrapper): SQL[] {
  const conditions: SQL[] = [];
  if (f.year) conditions.push(eq(projects.year, value("year")));
  if (f.departmentId) conditions.push(eq(projects.departmentId, value("departmentId")));
  if (f.unitId) conditions.push(eq(projects.unitId, value("unitId")));
  if (f.category) conditions.push(eq(projects.category, value("category")));
  if (f.status === "none") conditions.push(isNull(projects.status));
  else if (f.status) conditions.push(eq(projects.status, value("status")));
  return conditions;
}

function filterConditions(user: CurrentUser, f: ProjectFilter, plan: SearchPlan = "matches"): SQL {
  const conditions = [projectScope(user), ...valueConditions(f, (key) => sql`${f[key]}`)];
  const q = f.q?.trim();
  if (q) conditions.push(searchCondition(user, q, plan));
  return and(...conditions)!;
}

/**
 * Which filters a list view without a search has, and its sort: the shape of its page query.
 * "none" stands for the status filter "未填报" (no value to bind).
 */
function pageShape(user: CurrentUser, f: ProjectFilter): string {
  const present = VALUE_KEYS.map((k) => (k === "status" && f.status === "none" ? "none" : f[k] ? k : "")).join(",");
  return `${scopeShape(user)}|${present}|${f.sort ?? "name"}`;
}

/**
 * The page's ids of a list view without a search (most views), built once per shape and run
 * with the values bound (docs/decisions/030). A search is built on every call: its plan
 * depends on the phrase (searchCondition).
 */
const pageIdsPrepared = preparedPerShape((shape: string) => {
  const [scope, present, sort] = shape.split("|");
  const has = new Set(present.split(","));
  const f: ValueFilter = {};
  for (const k of VALUE_KEYS) if (has.has(k)) Object.assign(f, { [k]: k });
  if (has.has("none")) f.status = "none";
  return db
    .select({ id: projects.id })
    .from(projects)
    .where(and(preparedProjectScope(scope as ScopeShape), ...valueConditions(f, (key) => sql.placeholder(key))))
    .orderBy(...pageOrder(sort as ProjectSort))
    .limit(sql.placeholder("limit"))
    .offset(sql.placeholder("offset"))
    .prepare();
});

const pageOrder = (sort: ProjectSort | undefined) => [...(PROJECT_SORTS[sort ?? "name"] ?? PROJECT_SORTS.name), asc(projects.id)];

type StatusCounts = Partial<Record<TableStatus | "none", number>>;

/**
 * Counts per status within the filter (status itself ignored), for the list's tabs; "none"
 * counts projects without a table. Without a search they are added up from project_counts
 * (a few hundred rows whatever the region's size, kept exact by triggers: docs/decisions/028);
 * a search counts its matches. For a search it also returns what choosing its plans needs:
 * the filtered population without the search and the phrase's matches in the region.
 */
function countWithSearch(user: CurrentUser, f: ProjectFilter): { counts: StatusCounts; summed: StatusCounts; matches: number } {
  const q = f.q?.trim();
  const summed = summedCounts(user, f);
  if (!q) return { counts: summed, summed, matches: 0 };
  // A search counts its matches: from the matches when they are fewer than the projects the
  // other filters leave, else over those projects.
  const matches = searchSize(user, q);
  const plan: SearchPlan = matches <= sumOf(summed) ? "matches" : "scan";
  const rows = db
    .select({ status: sql<string>`coalesce(${projects.status}, 'none')`, n: sql<number>`count(*)` })
    .from(projects)
    .where(filterConditions(user, { ...f, status: null }, plan))
    .groupBy(projects.status)
    .all();
  return { counts: Object.fromEntries(rows.map((r) => [r.status, r.n])) as StatusCounts, summed, matches };
}

const sumOf = (counts: StatusCounts) => Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);

/**
 * Counts per status of the filter without its search, added up from project_counts; kept
 * until the next write like the other aggregates (read-cache.server.ts).
 */
function summedCounts(user: CurrentUser, f: ProjectFilter): StatusCounts {
  const key = `projects.counts|${scopeKey(user)}|${f.year ?? ""}|${f.departmentId ?? ""}|${f.unitId ?? ""}|${f.category ?? ""}`;
  return cachedRead(key, () => summedCountsUncached(user, f));
}

function summedCountsUncached(user: CurrentUser, f: ProjectFilter): StatusCounts {
  const rows = db
    .select({ status: projectCounts.status, n: sql<number>`sum(${projectCounts.n})` })
    .from(projectCounts)
    .where(
      and(
        projectCountScope(user),
        f.year ? eq(projectCounts.year, f.year) : undefined,
        f.departmentId ? eq(projectCounts.departmentId, f.departmentId) : undefined,
        f.unitId ? eq(projectCounts.unitId, f.unitId) : undefined,
        f.category ? eq(projectCounts.category, f.category) : undefined,
      ),
    )
    .groupBy(projectCounts.status)
    .all();
  return Object.fromEntries(rows.filter((r) => r.n > 0).map((r) => [r.status, r.n])) as StatusCounts;
}

/**
 * The cheaper way to find a search's page: walking the list's order costs about the rows
 * before the page's end divided by the share that matches; starting from the matches costs
 * the matches (and sorting them).
 */
function pagePlan(f: ProjectFilter, found: { summed: StatusCounts; matches: number }, total: number, end: number): SearchPlan {
  if (!f.q?.trim() || total === 0) return "matches";
  const population = f.status ? (found.summed[f.status] ?? 0) : sumOf(found.summed);
  return (end * population) / total < found.matches ? "scan" : "matches";
}

export function listProjects(user: CurrentUser, f: ProjectFilter = {}) {
  const pageSize = Math.min(Math.max(f.pageSize ?? 25, 1), 200);
  // The total is the status count of the filter (every project has one status or none).
  const found = countWithSearch(user, f);
  const counts = found.counts;
  const total = f.status ? (counts[f.status] ?? 0) : sumOf(counts);
  // A page past the end (or not a page at all) shows the last page: the offset stays small.
  const page = clampPage(f.page, total, pageSize);
  // The page's ids first, from the sort's index alone (a deep page skips index entries, not
  // rows), then the 25 rows with their joins.
  const ids = total === 0 ? [] : pageIds(user, f, pagePlan(f, found, total, page * pageSize), pageSize, (page - 1) * pageSize);
  const rows = ids.length
    ? pageRows()
        .all({ ids: JSON.stringify(ids) })
        .sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id))
    : [];
  return { rows: withLastYear(user, rows), total, page, pageSize, counts };
}

function pageIds(user: CurrentUser, f: ProjectFilter, plan: SearchPlan, limit: number, offset: number): number[] {
  if (!f.q?.trim()) {
    const values = Object.fromEntries(VALUE_KEYS.filter((k) => f[k] && f[k] !== "none").map((k) => [k, f[k]]));
    return pageIdsPrepared(pageShape(user, f))
      .all({ ...values, ...scopeParams(user), limit, offset })
      .map((r) => r.id);
  }
  return db
    .select({ id: projects.id })
    .from(projects)
    .where(filterConditions(user, f, plan))
    .orderBy(...pageOrder(f.sort))
    .limit(limit)
    .offset(offset)
    .all()
    .map((r) => r.id);
}

// The page's rows by the ids read before (already scoped), as JSON: one statement for any page size.
const pageRows = preparedOnce(() =>
  db
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
    .where(sql`${projects.id} in (select value from json_each(${sql.placeholder("ids")}))`)
    .prepare(),
);

/**
 * 结果应用: each row with last year's approved self-evaluation of the same project (year,
 * grade, link; the list marks 差 as 红灯预警). One query for the page, never one per row.
 */
function withLastYear<R extends { year: number; unitId: number | null; code: string | null; name: string }>(user: CurrentUser, rows: R[]) {
  const prior = findPriorEvaluations(user.regionId, rows);
  // The rows are this request's own: extended in place (a spread and one more property
  // costs ~1.3 µs a row on Node 20, docs/decisions/030).
  return rows.map((r, k) => Object.assign(r, { lastYear: lastYearOf(prior[k]) }));
}

/** Last year's approved self-evaluation of one project (the project page's 红灯预警). */
export function projectLastYear(user: CurrentUser, project: typeof projects.$inferSelect) {
  return lastYearOf(findPriorEvaluation(user.regionId, project));
}

// Years and categories come from the summary rows: a few hundred, not the region's projects.
export function listProjectYears(user: CurrentUser): number[] {
  return db
    .selectDistinct({ year: projectCounts.year })
    .from(projectCounts)
    .where(projectCountScope(user))
    .orderBy(desc(projectCounts.year))
    .all()
    .map((r) => r.year);
}

export function listProjectCategories(user: CurrentUser, year?: number): string[] {
  return db
    .selectDistinct({ category: projectCounts.category })
    .from(projectCounts)
    .where(and(projectCountScope(user), year ? eq(projectCounts.year, year) : undefined, sql`${projectCounts.category} <> ''`))
    .orderBy(asc(projectCounts.category))
    .all()
    .map((r) => r.category);
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
  return projectById(scopeShape(user)).get({ id, ...scopeParams(user) }) ?? null;
}

/** A project as getProject found it in a user's scope. */
export type ProjectInScope = NonNullable<ReturnType<typeof getProject>>;

const projectById = preparedPerShape((shape: ScopeShape) =>
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
    .where(and(eq(projects.id, sql.placeholder("id")), preparedProjectScope(shape)))
    .prepare(),
);
