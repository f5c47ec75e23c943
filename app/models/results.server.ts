// 结果应用 (issue 11 item 5): last year's approved self-evaluation of the same project, found
// here once and used by the checker (below_last_actual gets last year's actuals), the project
// list and the project page (红灯预警 when it was graded 差).
//
// The same project (docs/decisions/018-results-matching.md): same region, the previous year,
// an approved report of that year's evaluation round, and
//   - the same project code, when this year's project has one and a project of last year
//     has it too;
//   - else the same name (compared as the checker compares names) within the same unit,
//     provided the two do not both carry codes (two codes that differ are two projects).
// More than one candidate is no match: a warning or a red flag is never built on a guess.
// Every lookup is batched: one query for any number of projects, one for their rows.
import { and, asc, eq, or, sql, type SQL } from "drizzle-orm";
import { indicators, projects, reportRows, reports, rounds, targetTables, units } from "../../db/schema";
import { EXCHANGE_FORMAT, emptyProjectHeader, type ExchangeTable, type Indicator } from "../domain/schemas";
import { cleanCell } from "../domain/taxonomy";
import { db } from "../../db/client.server";
import { preparedPer } from "./prepared.server";
import type { Tx } from "./exchange.server";

/** A connection or a transaction (reads inside a write see its own rows). */
type Q = Pick<Tx, "select">;

/** What identifies a project across years. */
export type ProjectIdentity = { year: number | null; unitId: number | null; code: string | null; name: string | null };

export type PriorEvaluation = {
  /** Last year's project and its approved evaluation. */
  projectId: number;
  year: number;
  roundId: number;
  reportId: number;
  /** Hundredths of a point, finance's adjustments included. */
  score: number | null;
  grade: string | null;
  code: string | null;
  name: string;
  matchedBy: "code" | "name";
  /** The evaluation's page. */
  href: string;
};

type Candidate = Omit<PriorEvaluation, "matchedBy" | "href"> & { unitId: number | null };

const codeOf = (code: string | null | undefined) => code?.trim() || null;
const json = (values: unknown[]) => sql`(select value from json_each(${JSON.stringify(values)}))`;

/**
 * Ids of a region-year's projects with one of `codes`, or with one of `names` (spellings) in
 * one of `unitIds`. Each part reads one index (region + code, region + year + name), never a
 * whole unit or region; "+column" keeps SQLite off the other indexes.
 */
function lookupParts(regionId: number, year: number, g: { codes: Set<string>; names: Set<string>; unitIds: Set<number> }): SQL[] {
  const parts: SQL[] = [];
  if (g.codes.size) {
    parts.push(
      sql`select ${projects.id} from ${projects} where ${projects.regionId} = ${regionId} and ${projects.code} in ${json([...g.codes])} and +${projects.year} = ${year}`,
    );
  }
  if (g.names.size && g.unitIds.size) {
    parts.push(
      sql`select ${projects.id} from ${projects} where ${projects.regionId} = ${regionId} and ${projects.year} = ${year} and ${projects.name} in ${json([...g.names])} and +${projects.unitId} in ${json([...g.unitIds])}`,
    );
  }
  return parts;
}

/**
 * Last year's approved evaluations of the projects with one of `codes` ([year, code]) or one
 * of `names` ([year, spelling, unit]). Each lookup reads one index (region + code, region +
 * year + name), never a whole unit or region; "+column" keeps SQLite off the other indexes.
 * Built once per connection (app/models/prepared.server.ts): the lists travel as JSON.
 */
const approvedEvaluationsOf = preparedPer((q: Q) => {
  const regionId = sql.placeholder("regionId");
  return q
    .select({
      projectId: projects.id,
      year: projects.year,
      unitId: projects.unitId,
      code: projects.code,
      name: projects.name,
      roundId: reports.roundId,
      reportId: reports.id,
      score: reports.score,
      grade: reports.grade,
    })
    .from(projects)
    .innerJoin(reports, and(eq(reports.projectId, projects.id), eq(reports.status, "approved")))
    .innerJoin(
      rounds,
      and(eq(rounds.id, reports.roundId), eq(rounds.kind, "evaluation"), eq(rounds.year, projects.year), eq(rounds.regionId, regionId)),
    )
    .where(
      and(
        eq(projects.regionId, regionId),
        sql`${projects.id} in (
          select p.id from json_each(${sql.placeholder("codes")}) c
            join projects p on p.region_id = ${regionId} and p.code = c.value ->> 1 and +p.year = c.value ->> 0
          union all
          select p.id from json_each(${sql.placeholder("names")}) n
            join projects p on p.region_id = ${regionId} and p.year = n.value ->> 0 and p.name = n.value ->> 1 and +p.unit_id = n.value ->> 2
        )`,
      ),
    )
    .orderBy(asc(projects.id))
    .prepare();
});

/** The spellings of a name the database is asked for: as given, trimmed and cleaned. */
function spellings(name: string): string[] {
  return [...new Set([name, name.trim(), cleanCell(name)])];
}

const codeKey = (year: number, code: string) => `${year}|${code}`;
const nameKey = (year: number, unitId: number, name: string) => `${year}|${unitId}|${name}`;

/** Last year's approved evaluations that could be the same project as one of `items`. */
function candidates(q: Q, regionId: number, items: ProjectIdentity[]): Candidate[] {
  // Deduplicated by codeKey / nameKey: the numbers come first, so the keys are unambiguous.
  const codes = new Map<string, [number, string]>();
  const names = new Map<string, [number, string, number]>();
  for (const item of items) {
    if (item.year == null) continue;
    const year = item.year - 1;
    const code = codeOf(item.code);
    if (code) codes.set(codeKey(year, code), [year, code]);
    // Compared cleaned below (match).
    if (item.unitId != null && cleanCell(item.name)) {
      for (const n of spellings(item.name!)) names.set(nameKey(year, item.unitId, n), [year, n, item.unitId]);
    }
  }
  if (codes.size === 0 && names.size === 0) return [];
  return approvedEvaluationsOf(q).all({ regionId, codes: JSON.stringify([...codes.values()]), names: JSON.stringify([...names.values()]) });
}


/** Candidates by year + code and by year + unit + cleaned name, so matching is linear. */
function indexCandidates(all: Candidate[]) {
  const byCode = new Map<string, Candidate[]>();
  const byName = new Map<string, Candidate[]>();
  const push = (m: Map<string, Candidate[]>, k: string, c: Candidate) => {
    const list = m.get(k);
    if (list) list.push(c);
    else m.set(k, [c]);
  };
  for (const c of all) {
    const code = codeOf(c.code);
    if (code) push(byCode, codeKey(c.year, code), c);
    const name = cleanCell(c.name);
    if (c.unitId != null && name) push(byName, nameKey(c.year, c.unitId, name), c);
  }
  return { byCode, byName };
}

/** The one candidate that is the same project as `item`, or null (none, or more than one). */
function match(item: ProjectIdentity, index: ReturnType<typeof indexCandidates>): PriorEvaluation | null {
  if (item.year == null) return null;
  const year = item.year - 1;
  const code = codeOf(item.code);
  const one = (found: Candidate[], matchedBy: PriorEvaluation["matchedBy"]): PriorEvaluation | null => {
    if (found.length !== 1) return null;
    const { unitId: _unit, ...c } = found[0];
    return { ...c, matchedBy, href: `/evaluations/${c.roundId}/p/${c.projectId}` };
  };
  if (code) {
    const byCode = index.byCode.get(codeKey(year, code));
    if (byCode) return one(byCode, "code");
  }
  const name = cleanCell(item.name);
  if (item.unitId == null || !name) return null;
  // Two codes that differ are two projects, whatever their names.
  const byName = (index.byName.get(nameKey(year, item.unitId, name)) ?? []).filter((c) => !(code && codeOf(c.code)));
  return one(byName, "name");
}

/** Last year's approved evaluation of each project (null when there is none): one query. */
export function findPriorEvaluations(regionId: number, items: ProjectIdentity[], q: Q = db): (PriorEvaluation | null)[] {
  if (items.length === 0) return [];
  const index = indexCandidates(candidates(q, regionId, items));
  return items.map((item) => match(item, index));
}

export function findPriorEvaluation(regionId: number, item: ProjectIdentity, q: Q = db): PriorEvaluation | null {
  return findPriorEvaluations(regionId, [item], q)[0];
}

/**
 * The reverse: next year's projects whose last-year evaluation is this report (after its
 * approval their below_last_actual changes). Three queries.
 */
export function nextYearProjects(reportId: number, q: Q = db): number[] {
  const p = q
    .select({ regionId: projects.regionId, year: projects.year, unitId: projects.unitId, code: projects.code, name: projects.name })
    .from(reports)
    .innerJoin(projects, eq(projects.id, reports.projectId))
    .where(eq(reports.id, reportId))
    .get();
  if (!p) return [];
  const code = codeOf(p.code);
  const parts = lookupParts(p.regionId, p.year + 1, {
    codes: new Set(code ? [code] : []),
    names: new Set(cleanCell(p.name) ? spellings(p.name) : []),
    unitIds: new Set(p.unitId != null ? [p.unitId] : []),
  });
  if (parts.length === 0) return [];
  const found = q
    .select({ id: projects.id, year: projects.year, unitId: projects.unitId, code: projects.code, name: projects.name })
    .from(projects)
    .where(and(eq(projects.regionId, p.regionId), sql`${projects.id} in (${sql.join(parts, sql` union all `)})`))
    .all();
  const prior = findPriorEvaluations(p.regionId, found, q);
  return found.filter((_, k) => prior[k]?.reportId === reportId).map((f) => f.id);
}

/**
 * Each prior evaluation as the checker's history (app/domain/rules.ts, below_last_actual):
 * last year's indicators with their 全年实际完成值 (null when 不适用). One query.
 */
function evaluatedTables(q: Q, prior: (PriorEvaluation | null)[]): Map<number, ExchangeTable> {
  const found = prior.filter((p): p is PriorEvaluation => p !== null);
  const out = new Map<number, ExchangeTable>();
  if (found.length === 0) return out;
  for (const p of found) {
    out.set(p.reportId, {
      format: EXCHANGE_FORMAT,
      kind: "project",
      year: p.year,
      department: null,
      unit: null,
      project: { ...emptyProjectHeader(), code: p.code, name: p.name },
      overall: null,
      budgetExecutionWeight: null,
      indicators: [],
    });
  }
  const rows = q
    .select({
      reportId: reportRows.reportId,
      actual: reportRows.actual,
      notApplicable: reportRows.notApplicable,
      level1: indicators.level1,
      level2: indicators.level2,
      name: indicators.name,
      unit: indicators.unit,
      operator: indicators.operator,
      target: indicators.target,
    })
    .from(reportRows)
    .innerJoin(indicators, eq(indicators.id, reportRows.indicatorId))
    .where(sql`${reportRows.reportId} in ${json([...out.keys()])}`)
    .orderBy(asc(reportRows.reportId), asc(reportRows.position))
    .all();
  for (const r of rows) {
    out.get(r.reportId)!.indicators.push({
      level1: r.level1,
      level2: r.level2,
      name: r.name,
      weight: null,
      unit: r.unit,
      operator: r.operator as Indicator["operator"],
      target: r.target,
      core: null,
      actual: r.notApplicable ? null : r.actual,
      applicable: !r.notApplicable,
    });
  }
  return out;
}

/** The checker's `history` for each project: [] or last year's evaluated table. Two queries. */
export function lastYearHistories(regionId: number, items: ProjectIdentity[], q: Q = db): ExchangeTable[][] {
  const prior = findPriorEvaluations(regionId, items, q);
  const tables = evaluatedTables(q, prior);
  return prior.map((p) => (p ? [tables.get(p.reportId)!] : []));
}

/** The identity of an exchange table's project (null for a 部门整体 table: no history). */
export function identityOf(table: ExchangeTable, unitId: number | null): ProjectIdentity | null {
  if (table.kind !== "project") return null;
  return { year: table.year, unitId, code: table.project?.code ?? null, name: table.project?.name ?? null };
}

const projectFields = { regionId: projects.regionId, unitId: projects.unitId, year: projects.year };

function historyOf(p: { regionId: number; unitId: number | null; year: number } | undefined, table: ExchangeTable, q: Q): ExchangeTable[] {
  if (!p || table.kind !== "project") return [];
  return lastYearHistories(p.regionId, [{ ...identityOf(table, p.unitId)!, year: p.year }], q)[0];
}

/** What a list or page shows of last year's evaluation: its year, grade, score and link. */
export function lastYearOf(p: PriorEvaluation | null) {
  return p ? { year: p.year, grade: p.grade, score: p.score, href: p.href } : null;
}

/**
 * For a project page: last year's approved evaluation of the project as stored (its 红灯预警)
 * and the checker's history for one of its versions, whose header may name the project
 * otherwise. One lookup serves both when the version names it as the project row does.
 */
export function priorAndHistory(project: ProjectIdentity & { regionId: number; year: number }, table: ExchangeTable, q: Q = db) {
  const own: ProjectIdentity = { year: project.year, unitId: project.unitId, code: project.code, name: project.name };
  const version = table.kind === "project" ? { ...identityOf(table, project.unitId)!, year: project.year } : null;
  const same = version !== null && version.code === own.code && version.name === own.name;
  const prior = findPriorEvaluations(project.regionId, version && !same ? [own, version] : [own], q);
  const versionPrior = version ? prior[same ? 0 : 1] : null;
  return {
    lastYear: lastYearOf(prior[0]),
    history: versionPrior ? [evaluatedTables(q, [versionPrior]).get(versionPrior.reportId)!] : [],
  };
}

/**
 * The history for a stored table version, its project identified by `table`'s header (the
 * one being saved, which may have just changed) and the project's unit.
 */
export function historyForStoredTable(tableId: number, table: ExchangeTable, q: Q = db): ExchangeTable[] {
  if (table.kind !== "project") return [];
  const p = q.select(projectFields).from(targetTables).innerJoin(projects, eq(projects.id, targetTables.projectId)).where(eq(targetTables.id, tableId)).get();
  return historyOf(p, table, q);
}

/** The same for a project by id (a version about to be inserted). */
export function historyForProject(projectId: number, table: ExchangeTable, q: Q = db): ExchangeTable[] {
  if (table.kind !== "project") return [];
  return historyOf(q.select(projectFields).from(projects).where(eq(projects.id, projectId)).get(), table, q);
}

/**
 * Histories for tables about to be imported into `year`: each project's unit is the one its
 * 编制单位 names in the region (by code, else name), as the import files it. Three queries.
 */
export function historiesForImport(regionId: number, year: number, tables: ExchangeTable[], q: Q = db): ExchangeTable[][] {
  const codes = new Set<string>();
  const names = new Set<string>();
  for (const t of tables) {
    if (t.kind !== "project") continue;
    if (t.unit?.code) codes.add(t.unit.code);
    if (t.unit?.name) names.add(t.unit.name);
  }
  const found =
    codes.size + names.size === 0
      ? []
      : q
          .select({ id: units.id, code: units.code, name: units.name })
          .from(units)
          .where(and(eq(units.regionId, regionId), or(sql`${units.code} in ${json([...codes])}`, sql`${units.name} in ${json([...names])}`)))
          .all();
  const unitOf = (ref: ExchangeTable["unit"]) =>
    (ref?.code ? found.find((u) => u.code === ref.code) : undefined)?.id ??
    (ref?.name ? found.find((u) => u.name === ref.name) : undefined)?.id ??
    null;
  const items = tables.map((t) => identityOf({ ...t, year }, unitOf(t.unit)));
  const histories = lastYearHistories(
    regionId,
    items.filter((i): i is ProjectIdentity => i !== null),
    q,
  );
  let k = 0;
  return items.map((i) => (i ? histories[k++] : []));
}
