// The indicator editor's form values (all strings, as typed) and their conversion to and
// from the exchange format. Shared by the browser (live checks) and the server (the final
// word), so both see exactly the same table. Pure TypeScript.
import { z } from "zod";
import { decimalFromNumber, parseDecimal } from "./decimal";
import { EXCHANGE_FORMAT, OPERATORS, type ExchangeTable, type Indicator, type Operator } from "./schemas";
import { isQuantitative } from "./taxonomy";

export const MAX_INDICATORS = 200;

const text = (max: number, label: string) => z.string().max(max, `${label}不能超过 ${max} 个字`).default("");

export const indicatorFormSchema = z.object({
  level1: text(30, "一级指标"),
  level2: text(30, "二级指标"),
  name: text(100, "三级指标"),
  weight: text(20, "指标权重"),
  unit: text(20, "计量单位"),
  operator: z.union([z.enum(OPERATORS), z.literal("")]).default(""),
  target: text(200, "指标值"),
  core: z.enum(["", "是", "否"]).default(""),
});
export type IndicatorForm = z.infer<typeof indicatorFormSchema>;

export const tableFormSchema = z.object({
  budgetExecutionWeight: text(20, "预算执行率权重"),
  indicators: z.array(indicatorFormSchema).max(MAX_INDICATORS, `指标不能超过 ${MAX_INDICATORS} 个`).default([]),
});
export type TableForm = z.infer<typeof tableFormSchema>;

export const EMPTY_INDICATOR: IndicatorForm = {
  level1: "",
  level2: "",
  name: "",
  weight: "",
  unit: "",
  operator: "",
  target: "",
  core: "",
};

const orNull = (s: string) => (s.trim() === "" ? null : s.trim());

/** A typed weight as a number, or null; `bad` when it is not a number (kept in raw). */
export function parseWeight(s: string): { value: number | null; bad: boolean } {
  if (s.trim() === "") return { value: null, bad: false };
  const d = parseDecimal(s);
  return d === null ? { value: null, bad: true } : { value: Number(d), bad: false };
}

export function formToIndicator(row: IndicatorForm): Indicator {
  const weight = parseWeight(row.weight);
  const operator = (row.operator || null) as Operator | null;
  let target = orNull(row.target);
  const raw: NonNullable<Indicator["raw"]> = {};
  if (weight.bad) raw.weight = row.weight.trim();
  if (target !== null && isQuantitative(operator)) {
    const d = parseDecimal(target);
    if (d !== null) target = d;
  }
  const ind: Indicator = {
    level1: orNull(row.level1),
    level2: orNull(row.level2),
    name: orNull(row.name),
    weight: weight.value,
    unit: orNull(row.unit),
    operator,
    target,
    core: row.core === "" ? null : row.core === "是",
  };
  if (Object.keys(raw).length) ind.raw = raw;
  return ind;
}

export function indicatorToForm(ind: Indicator): IndicatorForm {
  return {
    level1: ind.level1 ?? "",
    level2: ind.level2 ?? "",
    name: ind.name ?? "",
    // raw.weight is shown only when no number could be read: importers also keep it for
    // readable texts such as `2.5分`, which must not turn into a bad weight on save.
    weight: ind.weight === null ? (ind.raw?.weight ?? "") : decimalFromNumber(ind.weight),
    unit: ind.unit ?? "",
    operator: ind.operator ?? "",
    target: ind.target ?? "",
    core: ind.core === null ? "" : ind.core ? "是" : "否",
  };
}

/** Is the row completely empty (a spare row the user never filled)? */
export function isBlankRow(row: IndicatorForm): boolean {
  return Object.values(row).every((v) => v.trim() === "");
}

/** The table the checker sees: the header of `base` with the form's indicators. */
export function formToTable(form: TableForm, base: ExchangeTable): ExchangeTable {
  const bew = parseWeight(form.budgetExecutionWeight);
  return {
    ...base,
    format: EXCHANGE_FORMAT,
    budgetExecutionWeight: bew.value,
    indicators: form.indicators.filter((r) => !isBlankRow(r)).map(formToIndicator),
  };
}

export function tableToForm(table: Pick<ExchangeTable, "budgetExecutionWeight" | "indicators">): TableForm {
  return {
    budgetExecutionWeight: table.budgetExecutionWeight === null ? "" : decimalFromNumber(table.budgetExecutionWeight),
    indicators: table.indicators.map(indicatorToForm),
  };
}

/**
 * Turns flat form keys such as `indicators.3.name` (react-hook-form's names, also what a
 * browser without JavaScript posts) into nested objects and arrays.
 */
export function unflattenForm(entries: Iterable<[string, unknown]>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, value] of entries) {
    if (typeof value !== "string") continue;
    const parts = path.split(".");
    if (parts.some((p) => p === "__proto__" || p === "constructor" || p === "prototype")) continue;
    let node: any = root;
    for (let i = 0; i < parts.length; i++) {
      const isIndex = /^\d+$/.test(parts[i]);
      const k = isIndex ? Number(parts[i]) : parts[i];
      if (isIndex && (k as number) > MAX_INDICATORS * 2) break; // refuse absurd indexes
      if (Array.isArray(node) && !isIndex) break; // `indicators.length`: arrays take indexes only
      if (i === parts.length - 1) {
        node[k] = value;
        break;
      }
      // Own members only (never into `toString` and the like); a value is not a parent.
      const child = Object.hasOwn(node, k) ? node[k] : undefined;
      if (child === undefined) node = node[k] = /^\d+$/.test(parts[i + 1]) ? [] : {};
      else if (typeof child === "object" && child !== null) node = child;
      else break;
    }
  }
  // Holes (a deleted middle row in a no-JS post) are dropped.
  const compact = (v: unknown): unknown =>
    Array.isArray(v) ? v.filter((x) => x !== undefined).map(compact) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, compact(x)])) : v;
  return compact(root) as Record<string, unknown>;
}

export const PROJECT_CATEGORIES = ["一般性项目", "重点专项", "一级项目", "二级项目"] as const;

/**
 * The editor's 项目分类 choices: the usual ones plus the version's own, since published tables
 * write it as free text (docs/domain.md §3) and saving an adjustment must not drop it.
 */
export function categoryChoices(current: string | null | undefined): string[] {
  const c = current?.trim();
  return c && !(PROJECT_CATEGORIES as readonly string[]).includes(c) ? [...PROJECT_CATEGORIES, c] : [...PROJECT_CATEGORIES];
}

const money = (label: string) =>
  z
    .string()
    .default("")
    .refine((s) => s.trim() === "" || parseDecimal(s) !== null, `${label}须为数字（万元）`)
    .refine((s) => s.trim() === "" || !(Number(parseDecimal(s)) < 0), `${label}不能为负数`);

/** The project header fields of the editor (as typed). */
export const projectHeaderFormSchema = z.object({
  name: z.string().trim().min(1, "请填写项目名称").max(100, "项目名称不能超过 100 个字"),
  code: z
    .string()
    .trim()
    .max(40, "项目编码过长")
    .regex(/^[0-9A-Za-z-]*$/, "项目编码只能包含数字、字母和连字符")
    .default(""),
  category: z.string().trim().max(20, "项目分类过长").default(""),
  budgetTotal: money("当年预算"),
  budgetLocal: money("本级安排"),
  budgetSuperior: money("上级补助"),
  overview: text(2000, "项目概况"),
  basis: text(2000, "立项依据"),
  midTermGoal: text(2000, "三年中期规划绩效目标"),
  annualGoal: text(2000, "当年绩效目标"),
});
export type ProjectHeaderForm = z.infer<typeof projectHeaderFormSchema>;

export function moneyToNumber(s: string): number | null {
  const d = parseDecimal(s);
  return d === null ? null : Number(d);
}

/** The whole editor form: the table, plus the project header of the version (docs/decisions/026). */
export const editorFormSchema = tableFormSchema.extend({ header: projectHeaderFormSchema.optional() });

/** Zod issues as `{ "indicators.3.weight": "…" }`, the form's own field names. */
export function zodFieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) out[issue.path.join(".")] ??= issue.message;
  return out;
}
