// A round seen from above: per department, entries due / started / submitted / overdue /
// approved and the counts of green, yellow and red for budget and indicators; the list of
// entries with filters (the drill-down target of every count and chart bar); the red items
// with their reasons; the points of the 执行率 / 序时进度 scatter. Grouped queries, scoped by
// projectScope / departmentTargetScope.
import { and, asc, eq, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { db } from "../../db/client.server";
import { departments, departmentTargets, indicators, projects, rectifications, reportRows, reports, targetTables, units } from "../../db/schema";
import type { CurrentUser } from "../auth/types";
import { Dec } from "../domain/decimal";
import { timeProgress, type PeriodCode } from "../domain/monitoring";
import type { Round } from "./rounds.server";
import { departmentScope, departmentTargetScope, projectScope } from "./scope.server";

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

/** Per-department summary of a round (projects and 部门整体 together), in the user's scope. */
export function roundOverview(user: CurrentUser, round: Round, now = new Date()) {
  const overdueNow = now > round.dueAt ? 1 : 0;
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
  const byDept = new Map<number, DepartmentRow>();
  const names = new Map(db.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.regionId, user.regionId)).all().map((d) => [d.id, d.name]));
  for (const r of [...agg("project"), ...agg("department")]) {
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

function statusCond(status: string | null | undefined, round: Round, now: Date): SQL | undefined {
  switch (status) {
    case "not_started":
      return isNull(reports.id);
    case "submitted":
      return inArray(reports.status, [...SUBMITTED]);
    case "overdue":
      return now > round.dueAt ? or(isNull(reports.id), inArray(reports.status, ["draft", "returned"])) : sql`0`;
    case "draft":
    case "returned":
    case "pending_department":
    case "pending_finance":
    case "approved":
      return eq(reports.status, status);
    default:
      return undefined;
  }
}

function lightCond(light: string | null | undefined): SQL | undefined {
  switch (light) {
    case "budget_green":
    case "budget_yellow":
    case "budget_red":
      return eq(reports.budgetLight, light.slice(7));
    case "indicator_green":
      return sql`${reports.green} > 0`;
    case "indicator_yellow":
      return sql`${reports.yellow} > 0`;
    case "indicator_red":
      return sql`${reports.red} > 0`;
    case "any_red":
      return or(eq(reports.budgetLight, "red"), sql`${reports.red} > 0`);
    default:
      return undefined;
  }
}

/**
 * The owners a round covers, with their report if any, filtered (department, status, light)
 * and paged: the list every count and chart bar drills down to.
 */
export function listRoundEntries(user: CurrentUser, round: Round, filter: EntryFilter, now = new Date()) {
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
  const projectRows = db
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
    .where(and(conds(projectScope(user), projects.departmentId, projects.year), filter.category ? eq(projects.category, filter.category) : undefined));
  const deptRows = db
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
    .where(and(conds(departmentTargetScope(user), departmentTargets.departmentId, departmentTargets.year), filter.category ? sql`0` : undefined));
  const all = projectRows.unionAll(deptRows).as("entries");
  // The list is in department-name order: one grouped count (which gives the total too), then
  // only the departments the page falls in are read and sorted, not every owner of the round
  // (SQLite pushes the name filter into both halves). On `npm run bench` (8,000 owners) the
  // count and the page took ~18 ms CPU, now ~10.
  const perDepartment = db
    .select({ name: all.departmentName, n: sql<number>`count(*)` })
    .from(all)
    .groupBy(sql`${all.departmentName}`)
    .orderBy(asc(all.departmentName))
    .all();
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
  const rows = (
    onPage.length === 0
      ? []
      : db
          .select()
          .from(all)
          .where(inArray(all.departmentName, onPage))
          .orderBy(asc(all.departmentName), asc(all.kind), asc(all.name))
          .limit(PAGE_SIZE)
          .offset(skip)
          .all()
  ).map((r) => ({
      ...r,
      href: `${roundBase(round)}/${r.kind === "project" ? "p" : "d"}/${r.ownerId}`,
      overdue: now > round.dueAt && (r.status === null || r.status === "draft" || r.status === "returned"),
    }));
  return { rows, total, page, pageSize: PAGE_SIZE };
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
      .where(and(eq(reports.roundId, round.id), inArray(rectifications.status, ["open", "answered"])))
      .all()
      .map((r) => r.reportId),
  );
  const href = (id: number) => `/monitoring/${round.id}/p/${id}`;
  return {
    budget: budget.map((b) => ({ ...b, href: href(b.ownerId), rectifying: openRect.has(b.reportId) })),
    indicators: rows.map((r) => ({ ...r, reasons: r.reasons ? (JSON.parse(r.reasons) as string[]) : [], href: href(r.ownerId), rectifying: openRect.has(r.reportId) })),
  };
}
