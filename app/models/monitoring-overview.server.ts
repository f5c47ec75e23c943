// A round seen from above: per department, entries due / started / submitted / overdue /
// approved and the counts of green, yellow and red for budget and indicators; the list of
// entries with filters (the drill-down target of every count and chart bar); the red items
// with their reasons; the points of the 执行率 / 序时进度 scatter. Scoped by projectScope /
// departmentTargetScope; counts come from the summary rows kept by triggers and pages read
// only what they show (docs/decisions/028-province-scale.md).
import { and, asc, eq, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { alias, type SQLiteColumn } from "drizzle-orm/sqlite-core";
import { db } from "../../db/client.server";
import { departments, departmentTargets, indicators, projectCounts, projects, rectifications, reportCounts, reportRows, reports, targetTables, units } from "../../db/schema";
import type { CurrentUser } from "../auth/types";
import { Dec } from "../domain/decimal";
import { timeProgress, type PeriodCode } from "../domain/monitoring";
import type { Round } from "./rounds.server";
import { departmentScope, departmentTargetScope, projectCountScope, projectScope } from "./scope.server";

const SUBMITTED = ["pending_department", "pending_finance", "approved"] as const;

export type DepartmentRow = {
  departmentId: number;
  departmentName: string;
  due: number;
  started: number;
  submitted: number;
  approved: number;
  overdue: number;
  budget: { green: number; yellow: number; red: number };
  indicators: { green: number; yellow: number; red: number };
};

/**
 * Per-department summary of a round (projects and 部门整体 together), in the user's scope.
 * For finance and departments it is added up from the summary rows the triggers keep
 * (project_counts for what is due, report_counts for the entries; docs/decisions/028), so it
 * costs a few hundred rows however large the region; a unit's few projects are counted directly.
 */
export function roundOverview(user: CurrentUser, round: Round, now = new Date()) {
  return summarise(user, user.role === "unit" ? countedRows(user, round) : summaryRows(user, round), now > round.dueAt);
}

/**
 * The same summary counted from the entries themselves, whatever the role: what the summary
 * rows must always equal (the tests compare the two after every kind of change).
 */
export function roundOverviewCounted(user: CurrentUser, round: Round, now = new Date()) {
  return summarise(user, countedRows(user, round), now > round.dueAt);
}

/** A department's counts before they are merged: per owner kind, from either source. */
type Counted = {
  departmentId: number;
  due: number;
  started: number;
  submitted: number | null;
  approved: number | null;
  notSubmitted: number | null;
  bGreen: number | null;
  bYellow: number | null;
  bRed: number | null;
  iGreen: number | null;
  iYellow: number | null;
  iRed: number | null;
};

/** The summary rows: what is due (approved versions in force of the year) and the round's entries. */
function summaryRows(user: CurrentUser, round: Round): Counted[] {
  const entries = db
    .select({
      departmentId: reportCounts.departmentId,
      started: sql<number>`sum(${reportCounts.n})`,
      submitted: sql<number>`sum(case when ${reportCounts.status} in ('pending_department','pending_finance','approved') then ${reportCounts.n} else 0 end)`,
      approved: sql<number>`sum(case when ${reportCounts.status} = 'approved' then ${reportCounts.n} else 0 end)`,
      bGreen: sql<number>`sum(case when ${reportCounts.budgetLight} = 'green' then ${reportCounts.n} else 0 end)`,
      bYellow: sql<number>`sum(case when ${reportCounts.budgetLight} = 'yellow' then ${reportCounts.n} else 0 end)`,
      bRed: sql<number>`sum(case when ${reportCounts.budgetLight} = 'red' then ${reportCounts.n} else 0 end)`,
      iGreen: sql<number>`sum(${reportCounts.green})`,
      iYellow: sql<number>`sum(${reportCounts.yellow})`,
      iRed: sql<number>`sum(${reportCounts.red})`,
    })
    .from(reportCounts)
    .where(and(eq(reportCounts.roundId, round.id), user.role === "department" ? eq(reportCounts.departmentId, user.departmentId ?? 0) : undefined))
    .groupBy(reportCounts.departmentId)
    .all();
  const byDept = new Map<number, Counted>();
  const rowOf = (departmentId: number) => {
    let row = byDept.get(departmentId);
    if (!row) {
      row = { departmentId, due: 0, started: 0, submitted: 0, approved: 0, notSubmitted: 0, bGreen: 0, bYellow: 0, bRed: 0, iGreen: 0, iYellow: 0, iRed: 0 };
      byDept.set(departmentId, row);
    }
    return row;
  };
  for (const d of dueByDepartment(user, round, null)) rowOf(d.departmentId).due += d.n;
  for (const e of entries) Object.assign(rowOf(e.departmentId), e);
  // Every entry belongs to an owner that is due (entries are started for approved versions in
  // force, which stay approved until an approved adjustment replaces them), so what is not
  // submitted is what is due minus what is.
  for (const row of byDept.values()) row.notSubmitted = row.due - (row.submitted ?? 0);
  return [...byDept.values()];
}

/** The entries counted directly: owners joined to their version in force and their entry. */
function countedRows(user: CurrentUser, round: Round): Counted[] {
  const agg = (ownerJoin: "project" | "department") => {
    const isProject = ownerJoin === "project";
    const deptCol = isProject ? projects.departmentId : departmentTargets.departmentId;
    const q = db
      .select({
        departmentId: deptCol,
        due: sql<number>`count(*)`,
        started: sql<number>`count(${reports.id})`,
        submitted: sql<number>`sum(case when ${reports.status} in ('pending_department','pending_finance','approved') then 1 else 0 end)`,
        approved: sql<number>`sum(case when ${reports.status} = 'approved' then 1 else 0 end)`,
        notSubmitted: sql<number>`sum(case when ${reports.status} is null or ${reports.status} in ('draft','returned') then 1 else 0 end)`,
        bGreen: sql<number>`sum(case when ${reports.budgetLight} = 'green' then 1 else 0 end)`,
        bYellow: sql<number>`sum(case when ${reports.budgetLight} = 'yellow' then 1 else 0 end)`,
        bRed: sql<number>`sum(case when ${reports.budgetLight} = 'red' then 1 else 0 end)`,
        iGreen: sql<number>`coalesce(sum(${reports.green}), 0)`,
        iYellow: sql<number>`coalesce(sum(${reports.yellow}), 0)`,
        iRed: sql<number>`coalesce(sum(${reports.red}), 0)`,
      })
      .from(isProject ? projects : departmentTargets)
      .innerJoin(
        targetTables,
        and(
          eq(isProject ? targetTables.projectId : targetTables.departmentTargetId, isProject ? projects.id : departmentTargets.id),
          eq(targetTables.isCurrent, true),
          eq(targetTables.status, "approved"),
        ),
      )
      .leftJoin(reports, and(eq(reports.roundId, round.id), eq(isProject ? reports.projectId : reports.departmentTargetId, isProject ? projects.id : departmentTargets.id)))
      .where(and(isProject ? projectScope(user) : departmentTargetScope(user), eq(isProject ? projects.year : departmentTargets.year, round.year)))
      .groupBy(deptCol);
    return q.all();
  };
  return [...agg("project"), ...agg("department")];
}

function summarise(user: CurrentUser, counted: Counted[], overdue: boolean) {
  const overdueNow = overdue ? 1 : 0;
  const byDept = new Map<number, DepartmentRow>();
  const names = new Map(db.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.regionId, user.regionId)).all().map((d) => [d.id, d.name]));
  for (const r of counted) {
    const row =
      byDept.get(r.departmentId) ??
      ({
        departmentId: r.departmentId,
        departmentName: names.get(r.departmentId) ?? "",
        due: 0,
        started: 0,
        submitted: 0,
        approved: 0,
        overdue: 0,
        budget: { green: 0, yellow: 0, red: 0 },
        indicators: { green: 0, yellow: 0, red: 0 },
      } satisfies DepartmentRow);
    row.due += r.due;
    row.started += r.started;
    row.submitted += r.submitted ?? 0;
    row.approved += r.approved ?? 0;
    row.overdue += overdueNow * (r.notSubmitted ?? 0);
    row.budget.green += r.bGreen ?? 0;
    row.budget.yellow += r.bYellow ?? 0;
    row.budget.red += r.bRed ?? 0;
    row.indicators.green += r.iGreen ?? 0;
    row.indicators.yellow += r.iYellow ?? 0;
    row.indicators.red += r.iRed ?? 0;
    byDept.set(r.departmentId, row);
  }
  const departmentsList = [...byDept.values()].sort((a, b) => a.departmentName.localeCompare(b.departmentName, "zh-CN"));
  const total = departmentsList.reduce(
    (t, d) => ({
      due: t.due + d.due,
      started: t.started + d.started,
      submitted: t.submitted + d.submitted,
      approved: t.approved + d.approved,
      overdue: t.overdue + d.overdue,
      budget: { green: t.budget.green + d.budget.green, yellow: t.budget.yellow + d.budget.yellow, red: t.budget.red + d.budget.red },
      indicators: { green: t.indicators.green + d.indicators.green, yellow: t.indicators.yellow + d.indicators.yellow, red: t.indicators.red + d.indicators.red },
    }),
    { due: 0, started: 0, submitted: 0, approved: 0, overdue: 0, budget: { green: 0, yellow: 0, red: 0 }, indicators: { green: 0, yellow: 0, red: 0 } },
  );
  return { departments: departmentsList, total };
}

export const ENTRY_FILTERS = {
  status: ["not_started", "draft", "returned", "pending_department", "pending_finance", "approved", "submitted", "overdue"],
  light: ["budget_green", "budget_yellow", "budget_red", "indicator_green", "indicator_yellow", "indicator_red", "any_red"],
} as const;

export type EntryFilter = {
  departmentId?: number | null;
  status?: string | null;
  light?: string | null;
  /** Self-evaluation: 优/良/中/差 of the report. */
  grade?: string | null;
  /** Project category (项目类型). */
  category?: string | null;
  page?: number;
};

/** Where a round's entries live in the app: /monitoring/… or /evaluations/…. */
export const roundBase = (round: Pick<Round, "id" | "kind">) => `/${round.kind === "evaluation" ? "evaluations" : "monitoring"}/${round.id}`;

const PAGE_SIZE = 50;

/** The columns the entry filters read: of reports, or of an alias of it in a subquery. */
type EntryColumns = Record<"id" | "status" | "budgetLight" | "green" | "yellow" | "red", SQLiteColumn>;

function statusCond(status: string | null | undefined, round: Round, now: Date, t: EntryColumns = reports): SQL | undefined {
  switch (status) {
    case "not_started":
      return isNull(t.id);
    case "submitted":
      return inArray(t.status, [...SUBMITTED]);
    case "overdue":
      return now > round.dueAt ? or(isNull(t.id), inArray(t.status, ["draft", "returned"])) : sql`0`;
    case "draft":
    case "returned":
    case "pending_department":
    case "pending_finance":
    case "approved":
      return eq(t.status, status);
    default:
      return undefined;
  }
}

function lightCond(light: string | null | undefined, t: EntryColumns = reports): SQL | undefined {
  switch (light) {
    case "budget_green":
    case "budget_yellow":
    case "budget_red":
      return eq(t.budgetLight, light.slice(7));
    case "indicator_green":
      return sql`${t.green} > 0`;
    case "indicator_yellow":
      return sql`${t.yellow} > 0`;
    case "indicator_red":
      return sql`${t.red} > 0`;
    case "any_red":
      return or(eq(t.budgetLight, "red"), sql`${t.red} > 0`);
    default:
      return undefined;
  }
}

/**
 * The owners a round covers, with their report if any, filtered (department, status, light)
 * and paged: the list every count and chart bar drills down to.
 */
export function listRoundEntries(
  user: CurrentUser,
  round: Round,
  filter: EntryFilter,
  now = new Date(),
  // "counted": the counts from the owners themselves, the reference the tests hold the summary rows to.
  source: "summary" | "counted" = "summary",
) {
  const page = Number.isSafeInteger(filter.page) && filter.page! > 0 ? Math.min(filter.page!, 100000) : 1;
  const reportCols = {
    reportId: sql<number | null>`${reports.id}`.as("report_id"),
    status: sql<string | null>`${reports.status}`.as("status"),
    budgetLight: sql<string | null>`${reports.budgetLight}`.as("budget_light"),
    executionRate: sql<number | null>`${reports.executionRate}`.as("execution_rate"),
    green: sql<number | null>`${reports.green}`.as("green"),
    yellow: sql<number | null>`${reports.yellow}`.as("yellow"),
    red: sql<number | null>`${reports.red}`.as("red"),
    unlit: sql<number | null>`${reports.unlit}`.as("unlit"),
    score: sql<number | null>`${reports.score}`.as("score"),
    grade: sql<string | null>`${reports.grade}`.as("grade"),
  };
  const conds = (scope: SQL, deptCol: SQL.Aliased | typeof projects.departmentId | typeof departmentTargets.departmentId, yearCol: typeof projects.year | typeof departmentTargets.year) =>
    and(
      scope,
      eq(yearCol, round.year),
      filter.departmentId ? eq(deptCol as typeof projects.departmentId, filter.departmentId) : undefined,
      statusCond(filter.status, round, now),
      lightCond(filter.light),
      filter.grade ? eq(reports.grade, filter.grade) : undefined,
    );
  const projectRows = (extra?: SQL) =>
    db
      .select({
        kind: sql<"project" | "department">`'project'`.as("kind"),
        ownerId: sql<number>`${projects.id}`.as("owner_id"),
        name: sql<string>`${projects.name}`.as("name"),
        code: sql<string | null>`${projects.code}`.as("code"),
        departmentId: sql<number>`${projects.departmentId}`.as("department_id"),
        departmentName: sql<string>`${departments.name}`.as("department_name"),
        unitName: sql<string | null>`${units.name}`.as("unit_name"),
        ...reportCols,
      })
      .from(projects)
      .innerJoin(targetTables, and(eq(targetTables.projectId, projects.id), eq(targetTables.isCurrent, true), eq(targetTables.status, "approved")))
      .innerJoin(departments, eq(departments.id, projects.departmentId))
      .leftJoin(units, eq(units.id, projects.unitId))
      .leftJoin(reports, and(eq(reports.roundId, round.id), eq(reports.projectId, projects.id)))
      .where(and(conds(projectScope(user), projects.departmentId, projects.year), filter.category ? eq(projects.category, filter.category) : undefined, extra));
  const deptRows = (extra?: SQL) =>
    db
      .select({
        kind: sql<"project" | "department">`'department'`.as("kind"),
        ownerId: sql<number>`${departmentTargets.id}`.as("owner_id"),
        name: sql<string>`${departments.name} || ' 部门整体'`.as("name"),
        code: sql<string | null>`null`.as("code"),
        departmentId: sql<number>`${departmentTargets.departmentId}`.as("department_id"),
        departmentName: sql<string>`${departments.name}`.as("department_name"),
        unitName: sql<string | null>`null`.as("unit_name"),
        ...reportCols,
      })
      .from(departmentTargets)
      .innerJoin(targetTables, and(eq(targetTables.departmentTargetId, departmentTargets.id), eq(targetTables.isCurrent, true), eq(targetTables.status, "approved")))
      .innerJoin(departments, eq(departments.id, departmentTargets.departmentId))
      .leftJoin(reports, and(eq(reports.roundId, round.id), eq(reports.departmentTargetId, departmentTargets.id)))
      // 部门整体 tables have no project category: a category filter leaves them out.
      .where(and(conds(departmentTargetScope(user), departmentTargets.departmentId, departmentTargets.year), filter.category ? sql`0` : undefined, extra));
  // The list is in department-name order. The counts per department come from the summary
  // rows (or one grouped count when the filter needs the owners), then only the departments
  // the page falls in are read, each no further than the page's end: not every owner.
  const countedByDepartment = () => {
    const all = projectRows().unionAll(deptRows()).as("entries");
    return db
      .select({ name: all.departmentName, n: sql<number>`count(*)` })
      .from(all)
      .groupBy(sql`${all.departmentName}`)
      .orderBy(asc(all.departmentName))
      .all();
  };
  const perDepartment = (source === "summary" ? summaryCountsByDepartment(user, round, filter, now) : null) ?? countedByDepartment();
  const total = perDepartment.reduce((t, d) => t + d.n, 0);
  const offset = (page - 1) * PAGE_SIZE;
  const onPage: string[] = [];
  let before = 0;
  let skip = 0;
  for (const d of perDepartment) {
    if (before + d.n > offset && before < offset + PAGE_SIZE) {
      if (onPage.length === 0) skip = offset - before;
      onPage.push(d.name);
    }
    before += d.n;
  }
  // One query per department on the page (usually one or two): each reads its owners in
  // name order (projects_region_year_department) and stops at the page's end. A filter on the
  // entry (status, light, grade) also names the department's matching entries through an
  // index of reports, so a rare one (the 差 drill-down) does not walk every owner.
  const pageDepartmentIds = onPage.length
    ? db
        .select({ id: departments.id })
        .from(departments)
        .where(and(departmentScope(user), inArray(departments.name, onPage)))
        .all()
        .map((d) => d.id)
    : [];
  const matching = alias(reports, "matching");
  const entryFilter = (departmentId: number) => {
    const onEntry = and(
      filter.status === "not_started" || filter.status === "overdue" ? undefined : statusCond(filter.status, round, now, matching),
      lightCond(filter.light, matching),
      filter.grade ? eq(matching.grade, filter.grade) : undefined,
    );
    return onEntry
      ? inArray(
          projects.id,
          db
            .select({ id: sql`${matching.projectId}` })
            .from(matching)
            .where(and(eq(matching.roundId, round.id), eq(matching.departmentId, departmentId), onEntry)),
        )
      : undefined;
  };
  const rows = (
    onPage.length === 0
      ? []
      : [
          ...deptRows(inArray(departmentTargets.departmentId, pageDepartmentIds)).limit(skip + PAGE_SIZE).all(),
          ...pageDepartmentIds.flatMap((id) =>
            projectRows(and(eq(projects.departmentId, id), entryFilter(id)))
              .orderBy(asc(projects.name), asc(projects.id))
              .limit(skip + PAGE_SIZE)
              .all(),
          ),
        ]
          .sort(entryOrder)
          .slice(skip, skip + PAGE_SIZE)
  ).map((r) => ({
      ...r,
      href: `${roundBase(round)}/${r.kind === "project" ? "p" : "d"}/${r.ownerId}`,
      overdue: now > round.dueAt && (r.status === null || r.status === "draft" || r.status === "returned"),
    }));
  return { rows, total, page, pageSize: PAGE_SIZE };
}

/** Department name, then 部门整体 before projects, then name: SQLite's binary order on UTF-8. */
function entryOrder(a: { departmentName: string; kind: string; name: string; ownerId: number }, b: typeof a): number {
  return (
    Buffer.compare(Buffer.from(a.departmentName), Buffer.from(b.departmentName)) ||
    Buffer.compare(Buffer.from(a.kind), Buffer.from(b.kind)) ||
    Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)) ||
    a.ownerId - b.ownerId
  );
}

/**
 * How many entries of each department the list shows under the filter, from the summary rows
 * (docs/decisions/028), in department-name order as the list is. Null when the filter needs
 * the owners themselves: a unit user, or a category (not a dimension of the summary).
 */
function summaryCountsByDepartment(user: CurrentUser, round: Round, filter: EntryFilter, now: Date): { name: string; n: number }[] | null {
  if (user.role === "unit" || filter.category) return null;
  const byId = new Map<number, number>();
  const add = (departmentId: number, n: number) => byId.set(departmentId, (byId.get(departmentId) ?? 0) + n);
  const onEntry = Boolean(filter.light || filter.grade);
  const entryCounts = (extra: SQL | undefined) =>
    db
      .select({ departmentId: reportCounts.departmentId, n: sql<number>`sum(${reportCounts.n})` })
      .from(reportCounts)
      .where(
        and(
          eq(reportCounts.roundId, round.id),
          user.role === "department" ? eq(reportCounts.departmentId, user.departmentId ?? 0) : undefined,
          filter.departmentId ? eq(reportCounts.departmentId, filter.departmentId) : undefined,
          filter.grade ? eq(reportCounts.grade, filter.grade) : undefined,
          summaryLightCond(filter.light),
          extra,
        ),
      )
      .groupBy(reportCounts.departmentId)
      .all();
  const due = () => {
    for (const d of dueByDepartment(user, round, filter.departmentId)) add(d.departmentId, d.n);
  };
  switch (filter.status ?? null) {
    case null:
      // Every owner, or (with a light or grade) the entries that have it.
      if (onEntry) for (const e of entryCounts(undefined)) add(e.departmentId, e.n);
      else due();
      break;
    case "not_started":
      // Owners without an entry have no light and no grade.
      if (!onEntry) {
        due();
        for (const e of entryCounts(undefined)) add(e.departmentId, -e.n);
      }
      break;
    case "overdue":
      if (now <= round.dueAt) break;
      if (onEntry) {
        for (const e of entryCounts(inArray(reportCounts.status, ["draft", "returned"]))) add(e.departmentId, e.n);
      } else {
        due();
        for (const e of entryCounts(inArray(reportCounts.status, [...SUBMITTED]))) add(e.departmentId, -e.n);
      }
      break;
    case "submitted":
      for (const e of entryCounts(inArray(reportCounts.status, [...SUBMITTED]))) add(e.departmentId, e.n);
      break;
    default:
      for (const e of entryCounts(eq(reportCounts.status, filter.status!))) add(e.departmentId, e.n);
  }
  const names = new Map(db.select({ id: departments.id, name: departments.name }).from(departments).where(departmentScope(user)).all().map((d) => [d.id, d.name]));
  const byName = new Map<string, number>();
  for (const [id, n] of byId) if (n > 0 && names.has(id)) byName.set(names.get(id)!, (byName.get(names.get(id)!) ?? 0) + n);
  return [...byName].map(([name, n]) => ({ name, n })).sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
}

/** Owners a round covers per department: approved versions in force of the round's year. */
function dueByDepartment(user: CurrentUser, round: Round, departmentId: number | null | undefined) {
  const projectsDue = db
    .select({ departmentId: projectCounts.departmentId, n: sql<number>`sum(${projectCounts.n})` })
    .from(projectCounts)
    .where(and(projectCountScope(user), eq(projectCounts.year, round.year), eq(projectCounts.status, "approved"), departmentId ? eq(projectCounts.departmentId, departmentId) : undefined))
    .groupBy(projectCounts.departmentId)
    .all();
  const departmentsDue = db
    .select({ departmentId: departmentTargets.departmentId, n: sql<number>`count(*)` })
    .from(departmentTargets)
    .innerJoin(targetTables, and(eq(targetTables.departmentTargetId, departmentTargets.id), eq(targetTables.isCurrent, true), eq(targetTables.status, "approved")))
    .where(and(departmentTargetScope(user), eq(departmentTargets.year, round.year), departmentId ? eq(departmentTargets.departmentId, departmentId) : undefined))
    .groupBy(departmentTargets.departmentId)
    .all();
  return [...projectsDue, ...departmentsDue];
}

/** lightCond on the summary rows. */
function summaryLightCond(light: string | null | undefined): SQL | undefined {
  switch (light) {
    case "budget_green":
    case "budget_yellow":
    case "budget_red":
      return eq(reportCounts.budgetLight, light.slice(7));
    case "indicator_green":
      return eq(reportCounts.hasGreen, 1);
    case "indicator_yellow":
      return eq(reportCounts.hasYellow, 1);
    case "indicator_red":
      return eq(reportCounts.hasRed, 1);
    case "any_red":
      return or(eq(reportCounts.budgetLight, "red"), eq(reportCounts.hasRed, 1));
    default:
      return undefined;
  }
}

/** 执行率 against 序时进度, one point per entry with a rate (bounded). */
export function executionScatter(user: CurrentUser, round: Round, limit = 2000) {
  const tp = Number(timeProgress(round.period as PeriodCode).mul(Dec.HUNDRED).toFixed(2));
  const p = db
    .select({ ownerId: projects.id, name: projects.name, departmentId: projects.departmentId, rate: reports.executionRate, light: reports.budgetLight })
    .from(reports)
    .innerJoin(projects, eq(projects.id, reports.projectId))
    .where(and(eq(reports.roundId, round.id), projectScope(user), sql`${reports.executionRate} is not null`))
    .limit(limit)
    .all();
  return {
    timeProgress: tp,
    points: p.map((x) => ({ name: x.name, rate: (x.rate ?? 0) / 100, light: x.light, href: `/monitoring/${round.id}/p/${x.ownerId}` })),
  };
}

/** Red items of a round with their reasons: red budgets and red indicator rows (bounded). */
export function redItems(user: CurrentUser, round: Round, limit = 100) {
  // Both lists are in (department name, project name) order and show their first `limit`
  // items, so the round's reports are read one department (name) at a time until both are
  // full: a few departments, not every report of the round. The first `limit` red rows all
  // belong to the first `limit` reports with a red row (reports.red counts them, written with
  // the rows), so only those reports' rows are read. On `npm run bench` (8,000 entries, 80,000
  // rows) this took redItems from ~40 to ~10 ms: before, every row of the round was read and sorted.
  const order = [asc(departments.name), asc(projects.name), asc(reports.id)];
  const byName = new Map<string, number[]>();
  for (const d of db.select({ id: departments.id, name: departments.name }).from(departments).where(departmentScope(user)).orderBy(asc(departments.name), asc(departments.id)).all()) {
    byName.set(d.name, [...(byName.get(d.name) ?? []), d.id]);
  }
  const flagged: { id: number; budgetRed: number; rowsRed: number }[] = [];
  let budgets = 0;
  let redRows = 0;
  for (const ids of byName.values()) {
    if (budgets >= limit && redRows >= limit) break;
    const found = db
      .select({ id: reports.id, budgetRed: sql<number>`${reports.budgetLight} = 'red'`, rowsRed: sql<number>`${reports.red} > 0` })
      .from(reports)
      .innerJoin(projects, eq(projects.id, reports.projectId))
      .where(
        and(
          eq(reports.roundId, round.id),
          projectScope(user),
          eq(projects.year, round.year),
          inArray(projects.departmentId, ids),
          or(eq(reports.budgetLight, "red"), sql`${reports.red} > 0`),
        ),
      )
      .orderBy(asc(projects.name), asc(reports.id))
      .all();
    for (const f of found) {
      budgets += f.budgetRed ? 1 : 0;
      redRows += f.rowsRed ? 1 : 0;
    }
    flagged.push(...found);
  }
  const firstOf = (key: "budgetRed" | "rowsRed") => {
    const ids = flagged.filter((f) => f[key]).slice(0, limit).map((f) => f.id);
    return ids.length ? ids : [0];
  };
  const budget = db
    .select({ ownerId: projects.id, name: projects.name, departmentName: departments.name, rate: reports.executionRate, reason: reports.budgetReason, measures: reports.budgetMeasures, reportId: reports.id })
    .from(reports)
    .innerJoin(projects, eq(projects.id, reports.projectId))
    .innerJoin(departments, eq(departments.id, projects.departmentId))
    .where(and(eq(reports.roundId, round.id), projectScope(user), inArray(reports.id, firstOf("budgetRed"))))
    .orderBy(...order)
    .all();
  const rows = db
    .select({
      ownerId: projects.id,
      name: projects.name,
      departmentName: departments.name,
      position: reportRows.position,
      indicatorName: indicators.name,
      target: indicators.target,
      operator: indicators.operator,
      actual: reportRows.actual,
      projected: reportRows.projected,
      reasons: reportRows.reasons,
      reasonText: reportRows.reasonText,
      measures: reportRows.measures,
      reportId: reports.id,
    })
    .from(reportRows)
    .innerJoin(indicators, eq(indicators.id, reportRows.indicatorId))
    .innerJoin(reports, eq(reports.id, reportRows.reportId))
    .innerJoin(projects, eq(projects.id, reports.projectId))
    .innerJoin(departments, eq(departments.id, projects.departmentId))
    .where(and(eq(reports.roundId, round.id), projectScope(user), inArray(reportRows.reportId, firstOf("rowsRed")), eq(reportRows.light, "red")))
    .orderBy(...order, asc(reportRows.position))
    .limit(limit)
    .all();
  const openRect = new Set(
    db
      .select({ reportId: rectifications.reportId })
      .from(rectifications)
      .innerJoin(reports, eq(reports.id, rectifications.reportId))
      // Only the listed entries' 整改 (rectifications_report), not the round's.
      .where(and(eq(reports.roundId, round.id), inArray(rectifications.reportId, [0, ...budget.map((b) => b.reportId), ...rows.map((r) => r.reportId)]), inArray(rectifications.status, ["open", "answered"])))
      .all()
      .map((r) => r.reportId),
  );
  const href = (id: number) => `/monitoring/${round.id}/p/${id}`;
  return {
    budget: budget.map((b) => ({ ...b, href: href(b.ownerId), rectifying: openRect.has(b.reportId) })),
    indicators: rows.map((r) => ({ ...r, reasons: r.reasons ? (JSON.parse(r.reasons) as string[]) : [], href: href(r.ownerId), rectifying: openRect.has(r.reportId) })),
  };
}
