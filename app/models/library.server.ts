// 指标库 (indicator library): the region's curated entries (library_indicators, kept by
// finance) and statistics computed from the region's approved, current target tables.
//
// Scope is the region (docs/decisions/005-library-scope.md): every user of a region sees the
// curated entries and the statistics of the region's approved tables — published targets —
// whatever their department or unit. Nothing of another region is ever read.
//
// The statistics (uses, targets, last year's actuals; built for 100,000 indicators in a
// region) are library-stats.server.ts; this module keeps the curated entries, the
// suggestions and the 指标库 page's list.
import { and, asc, desc, eq, isNull, ne, sql, type SQL } from "drizzle-orm";
import { db } from "../../db/client.server";
import { libraryIndicators, users } from "../../db/schema";
import type { CurrentUser } from "../auth/types";
import { OPERATORS } from "../domain/schemas";
import {
  cleanCell,
  level2Allowed,
  normalizeLevel1,
  normalizeLevel2,
  normalizeOperator,
  type Taxonomy,
} from "../domain/taxonomy";
import { recordAudit } from "./audit.server";
import { historyStats, lastYearActualsOf, nameKey, statsFor, type LastYearActuals, type NameStats } from "./library-stats.server";
import { ruleSetFor } from "./rulesets.server";

export type { LastYearActuals, NameStats };

/** One suggestion, as app/routes/library.suggest.tsx returns it (keep the shape). */
export type Suggestion = { source: "curated" | "history" } & Omit<NameStats, "key"> & {
  /** Last year's 全年实际完成值 of this name in the region's approved self-evaluations (结果应用). */
  lastYear: LastYearActuals | null;
};

export const SUGGEST_DEFAULT_LIMIT = 20;
export const SUGGEST_MAX_LIMIT = 50;
/** Longest search text used (longer input is cut). */
const MAX_QUERY = 50;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function likeContains(column: typeof libraryIndicators.name, q: string): SQL {
  return sql`${column} LIKE ${`%${escapeLike(q)}%`} ESCAPE '\\'`;
}

function likePrefix(column: typeof libraryIndicators.name, q: string): SQL {
  return sql`${column} LIKE ${`${escapeLike(q)}%`} ESCAPE '\\'`;
}

function cleanQuery(q: string | null | undefined): string {
  return cleanCell(q ?? "").slice(0, MAX_QUERY);
}

/** Canonical 一级 for a filter (`产出` → 产出指标), or null for none. */
function level1Filter(level1: string | null | undefined): string | null {
  if (!level1 || !cleanCell(level1)) return null;
  return normalizeLevel1(level1).value;
}

// ---------------------------------------------------------------------------------------
// Suggestions

/**
 * Suggestions while typing an indicator name: the region's curated entries (not retired)
 * first, then the most used names of its approved current tables, each with its usual
 * 一级/二级, unit and operator, the number of uses and the median and range of its numeric
 * targets. With `level1`, only entries of that 一级 (curated entries without one too) and
 * only rows of that 一级 count.
 */
export function suggestIndicators(
  user: CurrentUser,
  q: string,
  opts: { level1?: string | null; limit?: number; year?: number | null } = {},
): Suggestion[] {
  const query = cleanQuery(q);
  const level1 = level1Filter(opts.level1);
  const limit = Math.min(Math.max(Math.trunc(opts.limit ?? SUGGEST_DEFAULT_LIMIT), 1), SUGGEST_MAX_LIMIT);

  const curatedConditions: (SQL | undefined)[] = [
    eq(libraryIndicators.regionId, user.regionId),
    eq(libraryIndicators.retired, false),
  ];
  if (query) curatedConditions.push(likeContains(libraryIndicators.name, query));
  if (level1) curatedConditions.push(sql`(${libraryIndicators.level1} = ${level1} OR ${libraryIndicators.level1} IS NULL)`);
  const order = query
    ? [desc(likePrefix(libraryIndicators.name, query)), asc(libraryIndicators.name)]
    : [asc(libraryIndicators.name)];
  const curated = db
    .select()
    .from(libraryIndicators)
    .where(and(...curatedConditions))
    .orderBy(...order)
    .limit(limit)
    .all();

  const curatedKeys = new Set(curated.map((c) => nameKey(c.name)));
  const curatedStats = statsFor(user.regionId, curated, level1);
  const suggestions: Suggestion[] = curated.map((c) => {
    const s = curatedStats.get(nameKey(c.name));
    return {
      source: "curated",
      name: c.name,
      level1: c.level1,
      level2: c.level2,
      unit: c.unit,
      operator: c.operator,
      targetHint: c.targetHint,
      uses: s?.uses ?? 0,
      median: s?.median ?? null,
      min: s?.min ?? null,
      max: s?.max ?? null,
      lastYear: null,
    };
  });
  const room = limit - suggestions.length;
  if (room > 0) {
    for (const s of historyStats(user.regionId, query, level1, room, curatedKeys)) {
      suggestions.push({
        source: "history",
        name: s.name,
        level1: s.level1,
        level2: s.level2,
        unit: s.unit,
        operator: s.operator,
        targetHint: s.targetHint,
        uses: s.uses,
        median: s.median,
        min: s.min,
        max: s.max,
        lastYear: null,
      });
    }
  }
  // Beside the targets: last year's actuals (the year before the one being filled).
  const actuals = lastYearActualsOf(user.regionId, opts.year ?? user.currentYear, suggestions);
  return suggestions.map((s, k) => ({ ...s, lastYear: actuals[k] }));
}

// ---------------------------------------------------------------------------------------
// The 指标库 page

export type LibraryEntry = {
  id: number;
  name: string;
  level1: string | null;
  level2: string | null;
  unit: string | null;
  operator: string | null;
  targetHint: string | null;
  note: string | null;
  retired: boolean;
  updatedAt: Date;
  createdByName: string | null;
  uses: number;
  median: string | null;
  min: string | null;
  max: string | null;
  lastYear: LastYearActuals | null;
};

export type LibraryList = {
  rows: LibraryEntry[];
  total: number;
  page: number;
  pageSize: number;
  /** Most used names of the region's approved tables matching the search. */
  history: (NameStats & { curated: boolean; lastYear: LastYearActuals | null })[];
  /** The year whose approved self-evaluations give `lastYear` (the year before the user's). */
  actualsYear: number;
};

/** Curated entries (searched, paged) and the most used indicators of approved tables. */
export function listLibrary(
  user: CurrentUser,
  f: { q?: string | null; includeRetired?: boolean; page?: number; pageSize?: number; historyLimit?: number } = {},
): LibraryList {
  const query = cleanQuery(f.q);
  const pageSize = Math.min(Math.max(f.pageSize ?? 25, 1), 200);
  const page = Math.max(1, Math.trunc(f.page ?? 1));
  const conditions: (SQL | undefined)[] = [eq(libraryIndicators.regionId, user.regionId)];
  if (!f.includeRetired) conditions.push(eq(libraryIndicators.retired, false));
  if (query) conditions.push(likeContains(libraryIndicators.name, query));
  const where = and(...conditions);
  const found = db
    .select({
      id: libraryIndicators.id,
      name: libraryIndicators.name,
      level1: libraryIndicators.level1,
      level2: libraryIndicators.level2,
      unit: libraryIndicators.unit,
      operator: libraryIndicators.operator,
      targetHint: libraryIndicators.targetHint,
      note: libraryIndicators.note,
      retired: libraryIndicators.retired,
      updatedAt: libraryIndicators.updatedAt,
      createdByName: users.displayName,
    })
    .from(libraryIndicators)
    .leftJoin(users, eq(users.id, libraryIndicators.createdBy))
    .where(where)
    .orderBy(asc(libraryIndicators.retired), asc(libraryIndicators.level1), asc(libraryIndicators.name), asc(libraryIndicators.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
  const total = db.select({ n: sql<number>`count(*)` }).from(libraryIndicators).where(where).get()?.n ?? 0;
  const stats = statsFor(user.regionId, found, null);
  const rowActuals = lastYearActualsOf(user.regionId, user.currentYear, found);
  const rows: LibraryEntry[] = found.map((r, k) => {
    const s = stats.get(nameKey(r.name));
    return { ...r, uses: s?.uses ?? 0, median: s?.median ?? null, min: s?.min ?? null, max: s?.max ?? null, lastYear: rowActuals[k] };
  });

  const allCurated = new Set(
    db
      .select({ name: libraryIndicators.name })
      .from(libraryIndicators)
      .where(and(eq(libraryIndicators.regionId, user.regionId), eq(libraryIndicators.retired, false)))
      .all()
      .map((r) => nameKey(r.name)),
  );
  const used = historyStats(user.regionId, query, null, Math.min(Math.max(f.historyLimit ?? 30, 1), SUGGEST_MAX_LIMIT));
  const usedActuals = lastYearActualsOf(user.regionId, user.currentYear, used);
  const history = used.map((s, k) => ({ ...s, curated: allCurated.has(s.key), lastYear: usedActuals[k] }));
  return { rows, total, page, pageSize, history, actualsYear: user.currentYear - 1 };
}

/** One curated entry of the user's region, or null (also for another region's id). */
export function getLibraryIndicator(user: CurrentUser, id: number) {
  return (
    db
      .select()
      .from(libraryIndicators)
      .where(and(eq(libraryIndicators.id, id), eq(libraryIndicators.regionId, user.regionId)))
      .get() ?? null
  );
}

// ---------------------------------------------------------------------------------------
// Writes (finance; the route guards the role)

export type LibraryInput = {
  id?: number | null;
  name: string;
  level1?: string | null;
  level2?: string | null;
  unit?: string | null;
  operator?: string | null;
  targetHint?: string | null;
  note?: string | null;
};

export type LibraryField = "name" | "level1" | "level2" | "unit" | "operator" | "targetHint" | "note";
export type LibraryResult = { ok: true; id: number } | { ok: false; errors: Partial<Record<LibraryField, string>> };

function blankToNull(v: string | null | undefined): string | null {
  const t = v?.trim();
  return t ? t : null;
}

/** 一级 → 二级 of the region's rule set for its current year (project and department tables). */
function regionTaxonomy(user: CurrentUser): Taxonomy {
  const rs = ruleSetFor(user.regionId, user.currentYear);
  const merged: Taxonomy = {};
  for (const t of [rs.project.taxonomy, rs.department.taxonomy]) {
    for (const [l1, l2s] of Object.entries(t)) merged[l1] = [...new Set([...(merged[l1] ?? []), ...l2s])];
  }
  return merged;
}

/** The 一级 a curated entry may use (the region's current rule set's taxonomy). */
export function libraryLevel1Options(user: CurrentUser): Taxonomy {
  return regionTaxonomy(user);
}

const snapshot = (r: typeof libraryIndicators.$inferSelect) => ({
  name: r.name,
  level1: r.level1,
  level2: r.level2,
  unit: r.unit,
  operator: r.operator,
  targetHint: r.targetHint,
  note: r.note,
  retired: r.retired,
});

/**
 * Creates or edits a curated entry of the finance user's region. A name already used in
 * the region under the same 一级 (compared after normalisation, retired entries included)
 * is a field error. Returns null when `id` is not an entry of the region.
 */
export function saveLibraryIndicator(finance: CurrentUser, input: LibraryInput): LibraryResult | null {
  const before = input.id ? getLibraryIndicator(finance, input.id) : undefined;
  if (input.id && !before) return null;
  const errors: Partial<Record<LibraryField, string>> = {};
  const name = input.name.trim().replace(/\s+/g, " ");
  if (!nameKey(name)) errors.name = "请填写指标名称";

  const taxonomy = regionTaxonomy(finance);
  const rawL1 = blankToNull(input.level1);
  const rawL2 = blankToNull(input.level2);
  const level1 = rawL1 ? normalizeLevel1(rawL1, taxonomy) : null;
  const level2 = rawL2 ? normalizeLevel2(rawL2, taxonomy) : null;
  if (level1 && !level1.known) errors.level1 = `一级指标「${rawL1}」不在本地区规则集的分类中`;
  if (level2 && !level1) errors.level2 = "填写二级指标时请先选择一级指标";
  else if (level2 && level1?.known && !level2Allowed(taxonomy, level1.value!, level2.value!)) {
    errors.level2 = `二级指标「${rawL2}」不属于一级指标「${level1.value}」（应为 ${taxonomy[level1.value!].join("、")}）`;
  }
  const rawOp = blankToNull(input.operator);
  const operator = rawOp ? normalizeOperator(rawOp) : null;
  if (rawOp && !operator) errors.operator = `指标性质「${rawOp}」无效，可选：${OPERATORS.join(" ")}`;
  const unit = blankToNull(input.unit);
  if (operator === "定性" && unit && !["其他", "无"].includes(cleanCell(unit))) {
    errors.unit = "定性指标不填写计量单位";
  }

  if (!errors.name && !errors.level1) {
    const key = nameKey(name);
    const clash = db
      .select({ id: libraryIndicators.id, name: libraryIndicators.name, retired: libraryIndicators.retired })
      .from(libraryIndicators)
      .where(
        and(
          eq(libraryIndicators.regionId, finance.regionId),
          level1 ? eq(libraryIndicators.level1, level1.value!) : isNull(libraryIndicators.level1),
          before ? ne(libraryIndicators.id, before.id) : undefined,
        ),
      )
      .all()
      .find((r) => nameKey(r.name) === key);
    if (clash) {
      const where = level1 ? `一级指标「${level1.value}」下` : "未分一级的指标中";
      errors.name = clash.retired
        ? `${where}已有同名指标「${clash.name}」（已停用），请将其恢复使用`
        : `${where}已有同名指标「${clash.name}」`;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const values = {
    name,
    level1: level1?.value ?? null,
    level2: level2?.value ?? null,
    unit,
    operator,
    targetHint: blankToNull(input.targetHint),
    note: blankToNull(input.note),
  };
  const id = db.transaction((tx) => {
    const id = before
      ? (tx
          .update(libraryIndicators)
          .set({ ...values, updatedAt: new Date() })
          .where(eq(libraryIndicators.id, before.id))
          .run(),
        before.id)
      : tx
          .insert(libraryIndicators)
          .values({ regionId: finance.regionId, ...values, createdBy: finance.id })
          .returning({ id: libraryIndicators.id })
          .get().id;
    recordAudit(tx, {
      actor: finance,
      entity: "library_indicator",
      entityId: id,
      action: before ? "update" : "create",
      before: before ? snapshot(before) : undefined,
      after: values,
    });
    return id;
  });
  return { ok: true, id };
}

/** Retires (停用) or restores a curated entry. Returns null when it is not the region's. */
export function setRetired(finance: CurrentUser, id: number, retired: boolean): LibraryResult | null {
  const before = getLibraryIndicator(finance, id);
  if (!before) return null;
  if (before.retired === retired) return { ok: true, id };
  if (!retired) {
    // Restoring must not create a duplicate of an entry added since.
    const key = nameKey(before.name);
    const clash = db
      .select({ id: libraryIndicators.id, name: libraryIndicators.name })
      .from(libraryIndicators)
      .where(
        and(
          eq(libraryIndicators.regionId, finance.regionId),
          before.level1 ? eq(libraryIndicators.level1, before.level1) : isNull(libraryIndicators.level1),
          eq(libraryIndicators.retired, false),
          ne(libraryIndicators.id, id),
        ),
      )
      .all()
      .find((r) => nameKey(r.name) === key);
    if (clash) return { ok: false, errors: { name: `已有使用中的同名指标「${clash.name}」，不能恢复` } };
  }
  db.transaction((tx) => {
    tx.update(libraryIndicators).set({ retired, updatedAt: new Date() }).where(eq(libraryIndicators.id, id)).run();
    recordAudit(tx, {
      actor: finance,
      entity: "library_indicator",
      entityId: id,
      action: retired ? "retire" : "restore",
      before: { name: before.name, retired: before.retired },
      after: { name: before.name, retired },
    });
  });
  return { ok: true, id };
}
