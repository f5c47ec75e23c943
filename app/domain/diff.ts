// Version-to-version diff of a target table's indicators (申请调整 history).
// Rows are matched by 三级指标 name; a renamed row shows as one removed and one added,
// which is what a reviewer needs to see. Pure TypeScript.
import type { Indicator } from "./schemas";

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

export type TableDiff = {
  added: Indicator[];
  removed: Indicator[];
  changed: { name: string; changes: FieldChange[] }[];
  unchanged: number;
  budgetExecutionWeight: { before: number | null; after: number | null } | null;
};

const key = (i: Indicator, n: number) => (i.name?.trim() ? i.name.trim() : `#${n + 1}`);

export function diffTables(
  before: { indicators: Indicator[]; budgetExecutionWeight: number | null },
  after: { indicators: Indicator[]; budgetExecutionWeight: number | null },
): TableDiff {
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
  const result: TableDiff = { added: [], removed: [], changed: [], unchanged: 0, budgetExecutionWeight: null };
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
  return !d.added.length && !d.removed.length && !d.changed.length && !d.budgetExecutionWeight;
}
