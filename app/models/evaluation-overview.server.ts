// A self-evaluation round seen from above, for finance and departments: grade distribution
// (优/良/中/差) for the region and per department, average score per department, the 差
// projects, the rows that lost the most points (and finance's deductions), score against
// budget. Only approved evaluations count as results (their final total and grade); scoped by
// projectScope / departmentTargetScope. Grades come from the summary rows and the largest
// deductions from the entries with the most points lost (docs/decisions/028), so none reads
// the whole round; none depends on the clock either, so the results are also kept until the
// next write (docs/decisions/019-read-cache-until-write.md); keys carry the round, the user's
// scope and the filter.
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { db } from "../../db/client.server";
import { departments, departmentTargets, indicators, projects, reportCounts, reportRows, reports, scoreAdjustments } from "../../db/schema";
import type { CurrentUser } from "../auth/types";
import { GRADES } from "../domain/scoring";
import { roundBase } from "./monitoring-overview.server";
import { listProjectCategories } from "./projects.server";
import { cachedRead, scopeKey } from "./read-cache.server";
import type { Round } from "./rounds.server";
import { departmentTargetScope, projectScope } from "./scope.server";

export type GradeCounts = Record<(typeof GRADES)[number], number>;
const emptyGrades = (): GradeCounts => ({ 优: 0, 良: 0, 中: 0, 差: 0 });

type Filter = { departmentId?: number | null; category?: string | null };

const keyOf = (what: string, user: CurrentUser, round: Round, f: Filter, extra = "") =>
  `evaluation.${what}|${scopeKey(user)}|${round.id}|${f.departmentId ?? ""}|${f.category ?? ""}|${extra}`;

function projectConds(user: CurrentUser, round: Round, f: Filter): SQL | undefined {
  return and(
    eq(reports.roundId, round.id),
    eq(reports.status, "approved"),
    projectScope(user),
    f.departmentId ? eq(projects.departmentId, f.departmentId) : undefined,
    f.category ? eq(projects.category, f.category) : undefined,
  );
}

/** Grades and average score per department (approved evaluations only). */
export function gradeOverview(user: CurrentUser, round: Round, f: Filter = {}) {
  return cachedRead(keyOf("grades", user, round, f), () => readGradeOverview(user, round, f));
}

function readGradeOverview(user: CurrentUser, round: Round, f: Filter) {
  // Finance and departments without a category: from the summary rows (docs/decisions/028).
  const rows =
    user.role !== "unit" && !f.category
      ? db
          .select({ departmentId: reportCounts.departmentId, grade: reportCounts.grade, n: sql<number>`sum(${reportCounts.n})`, sum: sql<number>`sum(${reportCounts.scoreSum})` })
          .from(reportCounts)
          .where(
            and(
              eq(reportCounts.roundId, round.id),
              eq(reportCounts.status, "approved"),
              user.role === "department" ? eq(reportCounts.departmentId, user.departmentId ?? 0) : undefined,
              f.departmentId ? eq(reportCounts.departmentId, f.departmentId) : undefined,
            ),
          )
          .groupBy(reportCounts.departmentId, reportCounts.grade)
          .all()
      : gradesCounted(user, round, f);
  return gradeSummary(user, rows);
}

/** Grades per department counted from the entries (a unit's, or with a category filter). */
function gradesCounted(user: CurrentUser, round: Round, f: Filter) {
  const p = db
    .select({ departmentId: projects.departmentId, grade: reports.grade, n: sql<number>`count(*)`, sum: sql<number>`sum(${reports.score})` })
    .from(reports)
    .innerJoin(projects, eq(projects.id, reports.projectId))
    .where(projectConds(user, round, f))
    .groupBy(projects.departmentId, reports.grade)
    .all();
  const d = f.category
    ? []
    : db
        .select({ departmentId: departmentTargets.departmentId, grade: reports.grade, n: sql<number>`count(*)`, sum: sql<number>`sum(${reports.score})` })
        .from(reports)
        .innerJoin(departmentTargets, eq(departmentTargets.id, reports.departmentTargetId))
        .where(and(eq(reports.roundId, round.id), eq(reports.status, "approved"), departmentTargetScope(user), f.departmentId ? eq(departmentTargets.departmentId, f.departmentId) : undefined))
        .groupBy(departmentTargets.departmentId, reports.grade)
        .all();
  return [...p, ...d];
}

function gradeSummary(user: CurrentUser, rows: { departmentId: number; grade: string | null; n: number; sum: number | null }[]) {
  const names = new Map(db.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.regionId, user.regionId)).all().map((x) => [x.id, x.name]));
  const byDept = new Map<number, { departmentId: number; departmentName: string; grades: GradeCounts; count: number; scoreSum: number }>();
  const region = { grades: emptyGrades(), count: 0, scoreSum: 0 };
  for (const r of rows) {
    const row = byDept.get(r.departmentId) ?? { departmentId: r.departmentId, departmentName: names.get(r.departmentId) ?? "", grades: emptyGrades(), count: 0, scoreSum: 0 };
    if (r.grade && r.grade in row.grades) {
      row.grades[r.grade as keyof GradeCounts] += r.n;
      region.grades[r.grade as keyof GradeCounts] += r.n;
    }
    row.count += r.n;
    row.scoreSum += r.sum ?? 0;
    region.count += r.n;
    region.scoreSum += r.sum ?? 0;
    byDept.set(r.departmentId, row);
  }
  const avg = (sum: number, n: number) => (n === 0 ? null : Math.round(sum / n) / 100);
  return {
    region: { grades: region.grades, count: region.count, average: avg(region.scoreSum, region.count) },
    departments: [...byDept.values()]
      .map((x) => ({ departmentId: x.departmentId, departmentName: x.departmentName, grades: x.grades, count: x.count, average: avg(x.scoreSum, x.count) }))
      .sort((a, b) => a.departmentName.localeCompare(b.departmentName, "zh-CN")),
  };
}

/** The rows that lost the most points (weight − score) in approved evaluations, with finance's deductions. */
export function largestDeductions(user: CurrentUser, round: Round, f: Filter = {}, limit = 20) {
  return cachedRead(keyOf("deductions", user, round, f, String(limit)), () => readLargestDeductions(user, round, f, limit));
}

function readLargestDeductions(user: CurrentUser, round: Round, f: Filter, limit: number) {
  // The first `limit` rows in (points lost, entry newest first) order all belong to the first
  // `limit` entries in (max_lost, id) order — an entry before them has a row at least as bad —
  // so only those entries' rows are read (reports_round_status_max_lost), not the round's.
  const top = db
    .select({ id: reports.id })
    .from(reports)
    .innerJoin(projects, eq(projects.id, reports.projectId))
    .where(and(projectConds(user, round, f), sql`${reports.maxLost} > 0`))
    .orderBy(desc(reports.maxLost), desc(reports.id))
    .limit(limit)
    .all()
    .map((r) => r.id);
  const rows = db
    .select({
      ownerId: projects.id,
      name: projects.name,
      departmentName: departments.name,
      position: reportRows.position,
      indicatorName: indicators.name,
      weight: indicators.weight,
      score: reportRows.score,
      lost: sql<number>`${indicators.weight} - ${reportRows.score}`,
      explanation: reportRows.reasonText,
    })
    .from(reportRows)
    .innerJoin(reports, eq(reports.id, reportRows.reportId))
    .innerJoin(indicators, eq(indicators.id, reportRows.indicatorId))
    .innerJoin(projects, eq(projects.id, reports.projectId))
    .innerJoin(departments, eq(departments.id, projects.departmentId))
    // Scoped and filtered already: the ids come from the query above.
    .where(and(inArray(reportRows.reportId, top.length ? top : [0]), sql`${reportRows.score} is not null`, sql`${indicators.weight} > ${reportRows.score}`))
    .orderBy(desc(sql`${indicators.weight} - ${reportRows.score}`), desc(reports.id), asc(reportRows.position))
    .limit(limit)
    .all();
  const adjustments = db
    .select({ ownerId: projects.id, name: projects.name, position: scoreAdjustments.position, before: scoreAdjustments.before, after: scoreAdjustments.after, reason: scoreAdjustments.reason })
    .from(scoreAdjustments)
    .innerJoin(reports, eq(reports.id, scoreAdjustments.reportId))
    .innerJoin(projects, eq(projects.id, reports.projectId))
    // The region's adjustments newest first (score_adjustments_region_time) until `limit` of
    // this round's are found: not every entry of the round probed for adjustments.
    .where(
      and(
        eq(scoreAdjustments.regionId, user.regionId),
        eq(reports.roundId, round.id),
        projectScope(user),
        f.departmentId ? eq(projects.departmentId, f.departmentId) : undefined,
      ),
    )
    .orderBy(desc(scoreAdjustments.createdAt))
    .limit(limit)
    .all();
  const href = (id: number) => `${roundBase(round)}/p/${id}`;
  return {
    rows: rows.map((r) => ({ ...r, href: href(r.ownerId) })),
    adjustments: adjustments.map((a) => ({ ...a, href: href(a.ownerId) })),
  };
}

/** Approved evaluations' score against their 全年预算数 (bounded), for the scatter. */
export function scoreAgainstBudget(user: CurrentUser, round: Round, f: Filter = {}, limit = 2000) {
  return cachedRead(keyOf("scatter", user, round, f, String(limit)), () => readScoreAgainstBudget(user, round, f, limit));
}

function readScoreAgainstBudget(user: CurrentUser, round: Round, f: Filter, limit: number) {
  return db
    .select({ ownerId: projects.id, name: projects.name, budget: reports.budgetAnnual, score: reports.score, grade: reports.grade })
    .from(reports)
    .innerJoin(projects, eq(projects.id, reports.projectId))
    .where(projectConds(user, round, f))
    .limit(limit)
    .all()
    .map((r) => ({ name: r.name, budgetWan: (r.budget ?? 0) / 10000, score: (r.score ?? 0) / 100, grade: r.grade, href: `${roundBase(round)}/p/${r.ownerId}` }));
}

/** Project categories of the region-year, for the filter. */
export function categoriesOf(user: CurrentUser, year: number): string[] {
  return cachedRead(`evaluation.categories|${scopeKey(user)}|${year}`, () => readCategories(user, year));
}

function readCategories(user: CurrentUser, year: number): string[] {
  return listProjectCategories(user, year).slice(0, 50);
}
