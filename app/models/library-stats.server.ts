// Statistics of the 指标库 (library.server.ts): per normalised indicator name, its uses in
// the region's approved, current target tables (usual 一级/二级, unit, operator, target,
// median and range of numeric targets) and last year's actuals of its approved
// self-evaluations. Region-scoped like the library (docs/decisions/005-library-scope.md).
// Targets are exact decimals (domain/decimal.ts): the median of 90, 95, 100 is "95", of 90
// and 95 "92.5".
import { and, eq, isNotNull, sql, type SQL } from "drizzle-orm";
import { db } from "../../db/client.server";
import { indicators, reportRows, reports, rounds, targetTables } from "../../db/schema";
import { Dec } from "../domain/decimal";
import { numericTarget } from "../domain/rules";
import type { Operator } from "../domain/schemas";
import { cleanCell, isQuantitative } from "../domain/taxonomy";

/**
 * The numeric 全年实际完成值 of one indicator name in the region's approved self-evaluations
 * of one year: how many, in which unit, median and range (exact decimal strings).
 */
export type LastYearActuals = { year: number; count: number; unit: string | null; median: string; min: string; max: string };

/** Statistics of one normalised name over the region's approved current tables. */
export type NameStats = {
  key: string;
  name: string;
  level1: string | null;
  level2: string | null;
  unit: string | null;
  operator: string | null;
  /** Curated: finance's hint (e.g. "≥95"); history: the most common target text. */
  targetHint: string | null;
  /** Uses in the region's approved current tables (0 when never used). */
  uses: number;
  /** Exact decimal strings over the numeric targets in the usual unit; null when there are none. */
  median: string | null;
  min: string | null;
  max: string | null;
};

/** The normalised form names are grouped by: no whitespace or markup, half-width. */
export function nameKey(name: string | null | undefined): string {
  return cleanCell(name);
}

/** The rows the statistics read: the region's approved tables, the version in force. */
function approvedCurrent(regionId: number): SQL {
  return and(eq(targetTables.regionId, regionId), eq(targetTables.status, "approved"), eq(targetTables.isCurrent, true))!;
}

// ---------------------------------------------------------------------------------------
// Statistics from approved tables
//
// Approved tables are immutable and change rarely (an approval, an adjustment), while
// suggestions are asked for on every keystroke. So the region's approved current
// indicators are aggregated once in SQL — one row per distinct (name, 一级, 二级, unit,
// operator, target) with its count — and kept in memory; every request first reads a
// signature of the approved set (count, Σ id, Σ id², latest change: one indexed query
// over target_tables) and rebuilds only when it changed. A search is then a scan of the
// region's distinct names in memory. Measured with 100,000 indicators in a region: the
// signature ~2 ms, a search ~1–3 ms, a rebuild ~0.4 s (once per approval).

/** One distinct (一级, 二级, unit, operator, target) of a name, with its number of uses. */
type Combo = {
  level1: string | null;
  level2: string | null;
  unit: string;
  operator: string | null;
  target: string | null;
  /** The numeric target of a quantitative row, or null. */
  number: Dec | null;
  n: number;
};

type NameEntry = {
  key: string;
  /** Lower-cased key for searching (ASCII letters in names such as GDP). */
  search: string;
  /** Raw spellings (trimmed) and their uses. */
  spellings: Map<string, number>;
  combos: Combo[];
  uses: number;
  /** Statistics without a 一级 filter, computed on first use. */
  stats?: NameStats;
};

type RegionIndex = { signature: string; entries: NameEntry[]; byKey: Map<string, NameEntry> };

const INDEX_CACHE = new Map<number, RegionIndex>();
/** Regions kept in memory (least recently used dropped first). */
const MAX_CACHED_REGIONS = 16;

function approvedSignature(regionId: number): string {
  const row = db
    .select({
      n: sql<number>`count(*)`,
      s: sql<number>`total(${targetTables.id})`,
      s2: sql<number>`total(${targetTables.id} * ${targetTables.id})`,
      at: sql<number | null>`max(${targetTables.updatedAt})`,
    })
    .from(targetTables)
    .where(approvedCurrent(regionId))
    .get();
  return row ? `${row.n}:${row.s}:${row.s2}:${row.at ?? ""}` : "0";
}

function buildIndex(regionId: number, signature: string): RegionIndex {
  const uses = sql<number>`count(*)`;
  const rows = db
    .select({
      name: sql<string>`${indicators.name}`,
      level1: indicators.level1,
      level2: indicators.level2,
      unit: indicators.unit,
      operator: indicators.operator,
      target: indicators.target,
      n: uses,
    })
    .from(indicators)
    .innerJoin(targetTables, eq(targetTables.id, indicators.tableId))
    .where(and(approvedCurrent(regionId), isNotNull(indicators.name)))
    .groupBy(indicators.name, indicators.level1, indicators.level2, indicators.unit, indicators.operator, indicators.target)
    .all();
  const byKey = new Map<string, NameEntry>();
  for (const r of rows) {
    const key = nameKey(r.name);
    if (!key) continue;
    let e = byKey.get(key);
    if (!e) byKey.set(key, (e = { key, search: key.toLowerCase(), spellings: new Map(), combos: [], uses: 0 }));
    e.uses += r.n;
    const spelling = r.name.trim();
    e.spellings.set(spelling, (e.spellings.get(spelling) ?? 0) + r.n);
    const target = r.target?.trim() || null;
    e.combos.push({
      level1: r.level1 || null,
      level2: r.level2 || null,
      unit: r.unit ? cleanCell(r.unit) : "",
      operator: r.operator || null,
      target,
      number: target && isQuantitative(r.operator as Operator | null) ? numericTarget(target) : null,
      n: r.n,
    });
  }
  const entries = [...byKey.values()].sort((a, b) => b.uses - a.uses || (a.key < b.key ? -1 : 1));
  return { signature, entries, byKey };
}

/** The region's name index, rebuilt when its approved tables changed. */
function regionIndex(regionId: number): RegionIndex {
  const signature = approvedSignature(regionId);
  let index = INDEX_CACHE.get(regionId);
  if (!index || index.signature !== signature) index = buildIndex(regionId, signature);
  INDEX_CACHE.delete(regionId);
  INDEX_CACHE.set(regionId, index);
  while (INDEX_CACHE.size > MAX_CACHED_REGIONS) INDEX_CACHE.delete(INDEX_CACHE.keys().next().value!);
  return index;
}

type Tally = Map<string, number>;
function bump(t: Tally, v: string | null | undefined, n: number) {
  if (v == null || v === "") return;
  t.set(v, (t.get(v) ?? 0) + n);
}
/** Most frequent value; ties go to the alphabetically first, so results are stable. */
function mode(t: Tally): string | null {
  let best: string | null = null;
  let count = 0;
  for (const [v, c] of t) {
    if (c > count || (c === count && best !== null && v < best)) {
      best = v;
      count = c;
    }
  }
  return best;
}

/** Median, min and max of values given with their multiplicities, as exact decimal strings. */
export function summarize(values: { value: Dec; n: number }[]): { median: string | null; min: string | null; max: string | null } {
  const sorted = values.filter((v) => v.n > 0).sort((a, b) => a.value.cmp(b.value));
  const total = sorted.reduce((s, v) => s + v.n, 0);
  if (total === 0) return { median: null, min: null, max: null };
  // The k-th smallest value (0-based), counting multiplicities.
  const nth = (k: number): Dec => {
    for (const v of sorted) {
      if (k < v.n) return v.value;
      k -= v.n;
    }
    return sorted[sorted.length - 1].value;
  };
  const half = total >> 1;
  const median = total % 2 === 1 ? nth(half) : nth(half - 1).add(nth(half)).div(Dec.of(2));
  return { median: median.toString(), min: sorted[0].value.toString(), max: sorted[sorted.length - 1].value.toString() };
}

/**
 * Statistics of one name: its usual 一级/二级, unit, operator and target, its uses, and
 * the median and range of the numeric targets in `rangeUnit` (default: the usual unit).
 * With `level1`, only rows of that 一级 count; null when the name has none.
 */
function entryStats(e: NameEntry, level1: string | null, rangeUnit?: string | null): NameStats | null {
  const memo = !level1 && rangeUnit == null;
  if (memo && e.stats) return e.stats;
  const l1 = new Map<string, number>();
  const l2 = new Map<string, number>();
  const units = new Map<string, number>();
  const ops = new Map<string, number>();
  const targets = new Map<string, number>();
  let uses = 0;
  for (const c of e.combos) {
    if (level1 && c.level1 !== level1) continue;
    uses += c.n;
    bump(l1, c.level1, c.n);
    bump(l2, c.level2, c.n);
    bump(units, c.unit, c.n);
    bump(ops, c.operator, c.n);
    bump(targets, c.target, c.n);
  }
  if (uses === 0) return null;
  const unit = mode(units);
  const inUnit = rangeUnit != null && cleanCell(rangeUnit) ? cleanCell(rangeUnit) : (unit ?? "");
  const numbers: { value: Dec; n: number }[] = [];
  for (const c of e.combos) {
    if ((level1 && c.level1 !== level1) || c.number === null || c.unit !== inUnit) continue;
    numbers.push({ value: c.number, n: c.n });
  }
  const stats: NameStats = {
    key: e.key,
    name: mode(e.spellings) ?? e.key,
    level1: mode(l1),
    level2: mode(l2),
    unit,
    operator: mode(ops),
    targetHint: mode(targets),
    uses,
    ...summarize(numbers),
  };
  if (memo) e.stats = stats;
  return stats;
}

/**
 * The most used names of the region's approved tables that contain `q` (all names when
 * `q` is empty), names starting with `q` first, with their statistics. `exclude` are
 * normalised names left out (shown as curated entries already).
 */
export function historyStats(
  regionId: number,
  q: string,
  level1: string | null,
  limit: number,
  exclude: Set<string> = new Set(),
): NameStats[] {
  const index = regionIndex(regionId);
  const needle = q.toLowerCase();
  const matches = (e: NameEntry) => (!needle || e.search.includes(needle)) && !exclude.has(e.key);
  const isPrefix = (e: NameEntry) => needle !== "" && e.search.startsWith(needle);
  const prefixed: NameEntry[] = [];
  const others: NameEntry[] = [];
  if (!level1) {
    // Entries are sorted by uses: the first `limit` matches of each kind are the answer.
    for (const e of index.entries) {
      if (!matches(e)) continue;
      if (isPrefix(e)) {
        prefixed.push(e);
        if (prefixed.length >= limit) break;
      } else if (others.length < limit) others.push(e);
    }
    return [...prefixed, ...others]
      .slice(0, limit)
      .map((e) => entryStats(e, null))
      .filter((s): s is NameStats => s !== null);
  }
  // With a 一级, uses are counted within it: rank by those, then compute the chosen few.
  const ranked: { e: NameEntry; uses: number; prefix: boolean }[] = [];
  for (const e of index.entries) {
    if (!matches(e)) continue;
    let uses = 0;
    for (const c of e.combos) if (c.level1 === level1) uses += c.n;
    if (uses > 0) ranked.push({ e, uses, prefix: isPrefix(e) });
  }
  ranked.sort((a, b) => Number(b.prefix) - Number(a.prefix) || b.uses - a.uses || (a.e.key < b.e.key ? -1 : 1));
  return ranked
    .slice(0, limit)
    .map((r) => entryStats(r.e, level1))
    .filter((s): s is NameStats => s !== null);
}

/** Statistics of given names (curated entries), each in its own unit when it has one. */
export function statsFor(regionId: number, items: { name: string; unit: string | null }[], level1: string | null): Map<string, NameStats> {
  const out = new Map<string, NameStats>();
  if (items.length === 0) return out;
  const index = regionIndex(regionId);
  for (const { name, unit } of items) {
    const key = nameKey(name);
    const e = index.byKey.get(key);
    const s = e ? entryStats(e, level1, unit) : null;
    if (s) out.set(key, s);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Last year's actuals (结果应用, issue 11 item 5; docs/decisions/018-results-matching.md)
//
// Per name, the 全年实际完成值 of the region's approved self-evaluations of a year (不适用 rows
// and 定性 indicators left out). Like the statistics above: aggregated once per region-year
// in SQL (one row per distinct name, unit and actual, with its count), kept in memory, and
// rebuilt when the approved evaluations change (count, Σ id, latest update).

type ActualCombo = { unit: string; value: Dec; n: number };
type ActualIndex = {
  signature: string;
  byKey: Map<string, ActualCombo[]>;
  /** Statistics already computed, by name key and unit asked for. */
  memo: Map<string, LastYearActuals | null>;
};

const ACTUALS_CACHE = new Map<string, ActualIndex>();

function approvedEvaluations(regionId: number, year: number): SQL {
  return and(eq(rounds.regionId, regionId), eq(rounds.year, year), eq(rounds.kind, "evaluation"), eq(reports.status, "approved"))!;
}

function actualIndex(regionId: number, year: number): ActualIndex {
  const sig = db
    .select({
      n: sql<number>`count(*)`,
      s: sql<number>`total(${reports.id})`,
      at: sql<number | null>`max(${reports.updatedAt})`,
    })
    .from(reports)
    .innerJoin(rounds, eq(rounds.id, reports.roundId))
    .where(approvedEvaluations(regionId, year))
    .get();
  const signature = sig ? `${sig.n}:${sig.s}:${sig.at ?? ""}` : "0";
  const cacheKey = `${regionId}:${year}`;
  let index = ACTUALS_CACHE.get(cacheKey);
  if (!index || index.signature !== signature) {
    const byKey = new Map<string, ActualCombo[]>();
    if (sig && sig.n > 0) {
      const rows = db
        .select({ name: indicators.name, unit: indicators.unit, actual: reportRows.actual, n: sql<number>`count(*)` })
        .from(reportRows)
        .innerJoin(reports, eq(reports.id, reportRows.reportId))
        .innerJoin(rounds, eq(rounds.id, reports.roundId))
        .innerJoin(indicators, eq(indicators.id, reportRows.indicatorId))
        .where(
          and(
            approvedEvaluations(regionId, year),
            eq(reportRows.notApplicable, false),
            isNotNull(reportRows.actual),
            isNotNull(indicators.name),
            sql`coalesce(${indicators.operator}, '') <> '定性'`,
          ),
        )
        .groupBy(indicators.name, indicators.unit, reportRows.actual)
        .all();
      for (const r of rows) {
        const key = nameKey(r.name);
        const value = numericTarget(r.actual);
        if (!key || value === null) continue;
        let list = byKey.get(key);
        if (!list) byKey.set(key, (list = []));
        list.push({ unit: r.unit ? cleanCell(r.unit) : "", value, n: r.n });
      }
    }
    index = { signature, byKey, memo: new Map() };
  }
  ACTUALS_CACHE.delete(cacheKey);
  ACTUALS_CACHE.set(cacheKey, index);
  while (ACTUALS_CACHE.size > MAX_CACHED_REGIONS) ACTUALS_CACHE.delete(ACTUALS_CACHE.keys().next().value!);
  return index;
}

/**
 * Last year's actuals of each name (the year before `year`), in the given unit when it has
 * actuals there, else in the unit most of them use. One signature query per call.
 */
export function lastYearActualsOf(regionId: number, year: number, items: { name: string; unit: string | null }[]): (LastYearActuals | null)[] {
  if (items.length === 0) return [];
  const index = actualIndex(regionId, year - 1);
  return items.map(({ name, unit }) => {
    const key = nameKey(name);
    const combos = index.byKey.get(key);
    if (!combos) return null;
    const wanted = unit ? cleanCell(unit) : "";
    const memoKey = `${key}\u0000${wanted}`;
    if (index.memo.has(memoKey)) return index.memo.get(memoKey)!;
    const units = new Map<string, number>();
    for (const c of combos) units.set(c.unit, (units.get(c.unit) ?? 0) + c.n);
    const chosen = combos.some((c) => c.unit === wanted) ? wanted : (mode(units) ?? "");
    const values = combos.filter((c) => c.unit === chosen);
    const { median, min, max } = summarize(values);
    const stats =
      median === null ? null : { year: year - 1, count: values.reduce((n, v) => n + v.n, 0), unit: chosen || null, median, min: min!, max: max! };
    index.memo.set(memoKey, stats);
    return stats;
  });
}
