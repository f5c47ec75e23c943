// The rule set in force for a region and year: the region's own (rule_sets row, edited by
// finance) or, when it has none, the built-in default for that year.
//
// Finance edits the region-year rule set (`saveRuleSet`): validated by the domain schema,
// written with an audit event (before/after) in one transaction, which also re-checks the
// region-year's tables that are still open (not approved/rejected/superseded) so the
// finding counts shown in lists follow the new rules from then on. Locked tables keep the
// counts of the rules they were approved under.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { db } from "../../db/client.server";
import { departments, departmentTargets, indicators, projectHeaders, projects, reports, ruleSets, targetTables, units, users } from "../../db/schema";
import type { CurrentUser } from "../auth/types";
import { BUILTIN_RULE_SETS, DEFAULT_SEVERITIES, defaultRuleSetName, getRuleSet, listRuleSets, parseRuleSet, type RuleSet } from "../domain/rules";
import { STATES, isLocked } from "../domain/workflow";
import { deepFreeze } from "../utils/freeze";
import { recordAudit } from "./audit.server";
import { preparedOnce } from "./prepared.server";
import { departmentTargetToExchange, projectToExchange, tableStats, type Tx } from "./exchange.server";
import { lastYearHistories, nextYearProjects } from "./results.server";

// Parsed rule sets by row, refreshed when the row's updated_at changes (saveRuleSet makes
// sure it does, even for two saves within one millisecond). Frozen: every request shares them.
const cache = new Map<number, { updatedAt: number; ruleSet: RuleSet }>();
// The built-in defaults as ruleSetFor hands them out (getRuleSet copies on every call).
const defaults = new Map<string, RuleSet>();

function builtinDefault(year: number): RuleSet {
  const name = defaultRuleSetName(year);
  let ruleSet = defaults.get(name);
  if (!ruleSet) defaults.set(name, (ruleSet = deepFreeze(getRuleSet(name)!)));
  return ruleSet;
}

const ruleSetRow = preparedOnce(() =>
  db
    .select()
    .from(ruleSets)
    .where(and(eq(ruleSets.regionId, sql.placeholder("regionId")), eq(ruleSets.year, sql.placeholder("year"))))
    .prepare(),
);

/** The rule set in force for a region and year: shared and frozen (copy it to change it). */
export function ruleSetFor(regionId: number, year: number): RuleSet {
  const row = ruleSetRow().get({ regionId, year });
  if (row) {
    const hit = cache.get(row.id);
    if (hit && hit.updatedAt === row.updatedAt.getTime()) return hit.ruleSet;
    const parsed = parseStoredConfig(row.config);
    if (parsed.ok) {
      cache.set(row.id, { updatedAt: row.updatedAt.getTime(), ruleSet: deepFreeze(parsed.ruleSet) });
      return parsed.ruleSet;
    }
    // A stored rule set that is corrupt or no longer validates must neither crash every
    // page that checks a table nor silently disable checks: the built-in default applies
    // and the rule-set page shows the errors (getRuleSetInfo).
    console.error(`rule set ${row.id} is invalid: ${parsed.errors.join("; ")}; using the built-in default`);
  }
  return builtinDefault(year);
}

/** A stored config (JSON text) as a rule set; old regex fields are migrated (rules.ts). Never throws. */
export function parseStoredConfig(config: string): ReturnType<typeof parseRuleSet> {
  let data: unknown;
  try {
    data = JSON.parse(config);
  } catch {
    return { ok: false, errors: ["（规则集）：保存的规则集已损坏，不是有效的 JSON"] };
  }
  return parseRuleSet(data);
}

// ---------------------------------------------------------------------------------------
// The rule-set page (finance)

export type RuleSetInfo = {
  year: number;
  /** "region": the region's own rule set for the year; "builtin": none, the default applies. */
  source: "region" | "builtin";
  /** The built-in it started from (region), or the default built-in that applies. */
  baseName: string;
  baseTitle: string | null;
  /** The rule set in force (what ruleSetFor returns). */
  ruleSet: RuleSet;
  updatedAt: Date | null;
  updatedBy: string | null;
  /** Errors of a stored rule set that no longer validates (the default is then in force). */
  storedErrors: string[] | null;
  /** What was converted in a stored rule set of the regex era (it stays stored so until saved again). */
  storedNotes: string[] | null;
  /** Parameters that differ from the built-in it started from: dotted path, before → after. */
  changes: { path: string; base: unknown; value: unknown }[];
  builtins: { name: string; title: string; description: string }[];
  /** Years of the region that have their own rule set. */
  ownYears: number[];
};

/** The identifier a region's own rule set carries, e.g. "nanan-2026". */
export function regionRuleSetName(user: Pick<CurrentUser, "regionSlug" | "regionId">, year: number): string {
  const slug = user.regionSlug.toLowerCase();
  return /^[a-z0-9][a-z0-9._-]*$/.test(slug) ? `${slug}-${year}` : `region-${user.regionId}-${year}`;
}

/** A built-in rule set made the region's for a year (identifier, region and year set). */
export function regionCopyOf(user: CurrentUser, year: number, builtinName: string): RuleSet | null {
  const base = getRuleSet(builtinName);
  if (!base) return null;
  return {
    ...base,
    name: regionRuleSetName(user, year),
    title: `${user.regionName} ${year} 年（基于${base.title}）`,
    region: user.regionSlug,
    year,
  };
}

const IDENTITY_KEYS = new Set(["name", "title", "description", "region", "year"]);

function flatten(value: unknown, path: string, out: Map<string, unknown>) {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (!path && IDENTITY_KEYS.has(k)) continue;
      flatten(v, path ? `${path}.${k}` : k, out);
    }
  } else out.set(path, value);
}

/** Parameters of `ruleSet` that differ from `base` (identity fields ignored). */
export function ruleSetChanges(base: RuleSet | null, ruleSet: RuleSet): RuleSetInfo["changes"] {
  if (!base) return [];
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  flatten(base, "", a);
  flatten(ruleSet, "", b);
  const changes: RuleSetInfo["changes"] = [];
  // A severity not overridden is its default one.
  const severity = (path: string) => (path.startsWith("severities.") ? (DEFAULT_SEVERITIES as Record<string, string>)[path.slice(11)] : undefined);
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    const before = a.has(path) ? a.get(path) : severity(path);
    const after = b.has(path) ? b.get(path) : severity(path);
    if (JSON.stringify(before) !== JSON.stringify(after)) changes.push({ path, base: before ?? null, value: after ?? null });
  }
  return changes;
}

function storedRow(regionId: number, year: number) {
  return db
    .select({
      id: ruleSets.id,
      baseName: ruleSets.baseName,
      config: ruleSets.config,
      updatedAt: ruleSets.updatedAt,
      updatedBy: users.displayName,
    })
    .from(ruleSets)
    .leftJoin(users, eq(users.id, ruleSets.updatedBy))
    .where(and(eq(ruleSets.regionId, regionId), eq(ruleSets.year, year)))
    .get();
}

/** What the rule-set page shows for the user's region and a year. */
export function getRuleSetInfo(user: CurrentUser, year: number): RuleSetInfo {
  const row = storedRow(user.regionId, year);
  const ownYears = db
    .select({ year: ruleSets.year })
    .from(ruleSets)
    .where(eq(ruleSets.regionId, user.regionId))
    .orderBy(asc(ruleSets.year))
    .all()
    .map((r) => r.year);
  const builtins = listRuleSets();
  const effective = ruleSetFor(user.regionId, year);
  let storedErrors: string[] | null = null;
  let storedNotes: string[] | null = null;
  if (row) {
    const parsed = parseStoredConfig(row.config);
    if (!parsed.ok) storedErrors = parsed.errors;
    else if (parsed.notes.length > 0) storedNotes = parsed.notes;
  }
  const own = row && !storedErrors;
  const baseName = own ? row.baseName : defaultRuleSetName(year);
  return {
    year,
    source: own ? "region" : "builtin",
    baseName,
    baseTitle: BUILTIN_RULE_SETS[baseName]?.title ?? null,
    ruleSet: effective,
    updatedAt: row?.updatedAt ?? null,
    updatedBy: row?.updatedBy ?? null,
    storedErrors,
    storedNotes,
    changes: own ? ruleSetChanges(getRuleSet(baseName), effective) : [],
    builtins,
    ownYears,
  };
}

export type SaveRuleSetResult =
  | { ok: true; id: number; changed: boolean; rechecked: number; countsChanged: number }
  | { ok: false; errors: string[]; conflict?: boolean };

/**
 * Makes `input` the rule set of the finance user's region for `year`, started from the
 * built-in `baseName`. Validates with the domain schema (nothing is written on errors),
 * sets its region and year, then in one transaction writes rule_sets, records the audit
 * event with before/after and re-checks the region-year's open tables (see header).
 * `expectedUpdatedAt` (ms, or null for "none yet") refuses a save over someone else's.
 */
export function saveRuleSet(
  finance: CurrentUser,
  year: number,
  baseName: string,
  input: unknown,
  opts: { expectedUpdatedAt?: number | null } = {},
): SaveRuleSetResult {
  if (!BUILTIN_RULE_SETS[baseName]) return { ok: false, errors: [`内置规则集「${baseName}」不存在`] };
  if (!Number.isInteger(year) || year < 2000 || year > 2100) return { ok: false, errors: [`年度「${year}」无效`] };
  const parsed = parseRuleSet(input);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const ruleSet: RuleSet = { ...parsed.ruleSet, region: finance.regionSlug, year };
  const config = JSON.stringify(ruleSet);

  return db.transaction((tx): SaveRuleSetResult => {
    const before = tx
      .select()
      .from(ruleSets)
      .where(and(eq(ruleSets.regionId, finance.regionId), eq(ruleSets.year, year)))
      .get();
    if (opts.expectedUpdatedAt !== undefined && (before?.updatedAt.getTime() ?? null) !== opts.expectedUpdatedAt) {
      return { ok: false, conflict: true, errors: ["规则集已被他人修改，请刷新页面后重新修改"] };
    }
    if (before && before.config === config && before.baseName === baseName) {
      return { ok: true, id: before.id, changed: false, rechecked: 0, countsChanged: 0 };
    }
    // Strictly later than the previous save, so ruleSetFor's cache sees the change.
    const updatedAt = new Date(Math.max(Date.now(), (before?.updatedAt.getTime() ?? 0) + 1));
    const id = before
      ? (tx
          .update(ruleSets)
          .set({ baseName, config, updatedBy: finance.id, updatedAt })
          .where(eq(ruleSets.id, before.id))
          .run(),
        before.id)
      : tx
          .insert(ruleSets)
          .values({ regionId: finance.regionId, year, baseName, config, updatedBy: finance.id, updatedAt })
          .returning({ id: ruleSets.id })
          .get().id;
    const recheck = recheckOpenTables(tx, finance.regionId, year, ruleSet);
    recordAudit(tx, {
      actor: finance,
      entity: "rule_set",
      entityId: id,
      action: before ? "update" : "create",
      before: before ? { year, baseName: before.baseName, ruleSet: safeJson(before.config) } : undefined,
      after: { year, baseName, ruleSet, rechecked: recheck.rechecked, countsChanged: recheck.countsChanged },
    });
    return { ok: true, id, changed: true, ...recheck };
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** States whose finding counts follow the current rule set (not approved/rejected/superseded). */
export const OPEN_STATES = STATES.filter((s) => !isLocked(s));

/**
 * Recomputes error/warning counts of the region-year's open tables under `ruleSet`, in a
 * constant number of queries: project tables, department tables, all their indicators,
 * and one UPDATE of the tables whose counts changed. With `projectIds`, only those
 * projects' tables (no 部门整体 tables).
 */
export function recheckOpenTables(tx: Tx, regionId: number, year: number, ruleSet: RuleSet, only?: { projectIds: number[] }) {
  const open = and(
    eq(targetTables.regionId, regionId),
    inArray(targetTables.status, OPEN_STATES),
    only ? inArray(targetTables.projectId, only.projectIds) : undefined,
  );
  const projectTables = tx
    .select({
      id: targetTables.id,
      budgetExecutionWeight: targetTables.budgetExecutionWeight,
      errorCount: targetTables.errorCount,
      warningCount: targetTables.warningCount,
      project: projects,
      header: projectHeaders,
      department: { code: departments.code, name: departments.name },
      unitCode: units.code,
      unitName: units.name,
    })
    .from(targetTables)
    .innerJoin(projects, eq(projects.id, targetTables.projectId))
    .leftJoin(projectHeaders, eq(projectHeaders.tableId, targetTables.id))
    .innerJoin(departments, eq(departments.id, projects.departmentId))
    .leftJoin(units, eq(units.id, projects.unitId))
    .where(and(open, eq(projects.year, year)))
    .all();
  const departmentTables = only
    ? []
    : tx
        .select({
          id: targetTables.id,
          budgetExecutionWeight: targetTables.budgetExecutionWeight,
          errorCount: targetTables.errorCount,
          warningCount: targetTables.warningCount,
          target: departmentTargets,
          department: { code: departments.code, name: departments.name },
        })
        .from(targetTables)
        .innerJoin(departmentTargets, eq(departmentTargets.id, targetTables.departmentTargetId))
        .innerJoin(departments, eq(departments.id, departmentTargets.departmentId))
        .where(and(open, eq(departmentTargets.year, year)))
        .all();
  if (projectTables.length + departmentTables.length === 0) return { rechecked: 0, countsChanged: 0 };

  const rows = tx
    .select({ indicator: indicators })
    .from(indicators)
    .innerJoin(targetTables, eq(targetTables.id, indicators.tableId))
    .leftJoin(projects, eq(projects.id, targetTables.projectId))
    .leftJoin(departmentTargets, eq(departmentTargets.id, targetTables.departmentTargetId))
    .where(and(open, sql`coalesce(${projects.year}, ${departmentTargets.year}) = ${year}`))
    .orderBy(asc(indicators.tableId), asc(indicators.position))
    .all();
  const byTable = new Map<number, (typeof indicators.$inferSelect)[]>();
  for (const { indicator } of rows) {
    let list = byTable.get(indicator.tableId);
    if (!list) byTable.set(indicator.tableId, (list = []));
    list.push(indicator);
  }

  const updates: [number, number, number][] = [];
  const note = (t: { id: number; errorCount: number; warningCount: number }, stats: { errorCount: number; warningCount: number }) => {
    if (stats.errorCount !== t.errorCount || stats.warningCount !== t.warningCount) {
      updates.push([t.id, stats.errorCount, stats.warningCount]);
    }
  };
  // Last year's approved self-evaluations, for below_last_actual: two queries for all tables.
  const histories = lastYearHistories(
    regionId,
    projectTables.map((t) => ({ year: t.project.year, unitId: t.project.unitId, code: t.project.code, name: t.project.name })),
    tx,
  );
  projectTables.forEach((t, k) => {
    const unit = t.unitCode != null && t.unitName != null ? { code: t.unitCode, name: t.unitName } : null;
    note(t, tableStats(projectToExchange(t.project, t.header, t.department, unit, t, byTable.get(t.id) ?? []), ruleSet, histories[k]));
  });
  for (const t of departmentTables) {
    note(t, tableStats(departmentTargetToExchange(t.target, t.department, t, byTable.get(t.id) ?? []), ruleSet));
  }
  if (updates.length > 0) {
    tx.run(sql`
      update ${targetTables}
      set error_count = json_extract(j.value, '$[1]'), warning_count = json_extract(j.value, '$[2]')
      from json_each(${JSON.stringify(updates)}) as j
      where ${targetTables.id} = json_extract(j.value, '$[0]')`);
  }
  return { rechecked: projectTables.length + departmentTables.length, countsChanged: updates.length };
}

/**
 * After a project's self-evaluation is approved (结果应用): re-counts the findings of next
 * year's open tables of the same project, whose below_last_actual now has last year's
 * actuals (docs/decisions/018-results-matching.md). Call inside the approving transaction.
 */
export function recheckNextYearOf(tx: Tx, reportId: number) {
  const owner = tx
    .select({ regionId: projects.regionId, year: projects.year })
    .from(reports)
    .innerJoin(projects, eq(projects.id, reports.projectId))
    .where(eq(reports.id, reportId))
    .get();
  if (!owner) return { rechecked: 0, countsChanged: 0 };
  const next = nextYearProjects(reportId, tx);
  if (next.length === 0) return { rechecked: 0, countsChanged: 0 };
  return recheckOpenTables(tx, owner.regionId, owner.year + 1, ruleSetFor(owner.regionId, owner.year + 1), { projectIds: next });
}
