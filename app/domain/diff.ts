// Version-to-version diff of a target table (申请调整 history): the project header, which
// belongs to each version (docs/decisions/026), and the indicators. Rows are matched by
// 三级指标 name; a renamed row shows as one removed and one added, which is what a reviewer
// needs to see. Pure TypeScript.
import type { Indicator, ProjectHeader } from "./schemas";
import { EXPORT_LABELS, formatCodeName } from "./vocabulary";

export const DIFF_FIELDS = ["level1", "level2", "weight", "unit", "operator", "target", "core"] as const;
export type DiffField = (typeof DIFF_FIELDS)[number];

export const DIFF_FIELD_LABELS: Record<DiffField | "name", string> = {
  level1: "一级指标",
  level2: "二级指标",
  name: "三级指标",
  weight: "指标权重",
  unit: "计量单位",
  operator: "指标性质",
  target: "指标值",
  core: "是否核心指标",
};

export type FieldChange = { field: DiffField; before: Indicator[DiffField]; after: Indicator[DiffField] };

/** The header fields a version may change, in the order of the official layout (the code is identity). */
export const HEADER_DIFF_FIELDS = [
  "name",
  "category",
  "financeOffice",
  "budgetTotal",
  "budgetLocal",
  "budgetSuperior",
  "overview",
  "basis",
  "schedule",
  "measures",
  "midTermGoal",
  "annualGoal",
] as const;
export type HeaderDiffField = (typeof HEADER_DIFF_FIELDS)[number];

export const HEADER_DIFF_LABELS: Record<HeaderDiffField, string> = {
  name: EXPORT_LABELS.projectName,
  category: EXPORT_LABELS.category,
  financeOffice: EXPORT_LABELS.financeOffice,
  budgetTotal: EXPORT_LABELS.budgetTotal,
  budgetLocal: EXPORT_LABELS.budgetLocal,
  budgetSuperior: EXPORT_LABELS.budgetSuperior,
  overview: EXPORT_LABELS.overview,
  basis: EXPORT_LABELS.basis,
  schedule: EXPORT_LABELS.schedule,
  measures: EXPORT_LABELS.measures,
  midTermGoal: EXPORT_LABELS.midTermGoal,
  annualGoal: EXPORT_LABELS.annualGoal,
};

/** One changed header field; money in 万元, texts as stored, null for empty. */
export type HeaderChange = { field: HeaderDiffField; before: string | number | null; after: string | number | null };

function headerValue(p: ProjectHeader | null | undefined, f: HeaderDiffField): string | number | null {
  if (!p) return null;
  switch (f) {
    case "budgetTotal":
      return p.budget.total;
    case "budgetLocal":
      return p.budget.local;
    case "budgetSuperior":
      return p.budget.superior;
    case "financeOffice":
      return p.financeOffice ? formatCodeName(p.financeOffice) || null : null;
    default:
      return p[f]?.trim() || null;
  }
}

/** The header fields that differ between two versions (none when neither has a project header). */
export function diffHeaders(before: ProjectHeader | null | undefined, after: ProjectHeader | null | undefined): HeaderChange[] {
  if (!before && !after) return [];
  return HEADER_DIFF_FIELDS.flatMap((field) => {
    const b = headerValue(before, field);
    const a = headerValue(after, field);
    return b === a ? [] : [{ field, before: b, after: a }];
  });
}

export type TableDiff = {
  header: HeaderChange[];
  added: Indicator[];
  removed: Indicator[];
  changed: { name: string; changes: FieldChange[] }[];
  unchanged: number;
  budgetExecutionWeight: { before: number | null; after: number | null } | null;
};

const key = (i: Indicator, n: number) => (i.name?.trim() ? i.name.trim() : `#${n + 1}`);

type Version = { indicators: Indicator[]; budgetExecutionWeight: number | null; project?: ProjectHeader | null };

export function diffTables(before: Version, after: Version): TableDiff {
  // Duplicate names (which the checker flags) are matched in order of occurrence, so that
  // every row of either version is accounted for exactly once.
  const old = new Map<string, number[]>();
  before.indicators.forEach((i, n) => {
    const k = key(i, n);
    const list = old.get(k);
    if (list) list.push(n);
    else old.set(k, [n]);
  });
  const seen = new Set<number>();
  const result: TableDiff = { header: diffHeaders(before.project, after.project), added: [], removed: [], changed: [], unchanged: 0, budgetExecutionWeight: null };
  after.indicators.forEach((ind, n) => {
    const k = key(ind, n);
    const m = old.get(k)?.shift();
    if (m === undefined) {
      result.added.push(ind);
      return;
    }
    seen.add(m);
    const prev = before.indicators[m];
    const changes = DIFF_FIELDS.filter((f) => (prev[f] ?? null) !== (ind[f] ?? null)).map((field) => ({
      field,
      before: prev[field] ?? null,
      after: ind[field] ?? null,
    }));
    if (changes.length) result.changed.push({ name: k, changes });
    else result.unchanged++;
  });
  before.indicators.forEach((ind, n) => {
    if (!seen.has(n)) result.removed.push(ind);
  });
  if ((before.budgetExecutionWeight ?? null) !== (after.budgetExecutionWeight ?? null)) {
    result.budgetExecutionWeight = { before: before.budgetExecutionWeight, after: after.budgetExecutionWeight };
  }
  return result;
}

export function isEmptyDiff(d: TableDiff): boolean {
  return !d.header.length && !d.added.length && !d.removed.length && !d.changed.length && !d.budgetExecutionWeight;
}
