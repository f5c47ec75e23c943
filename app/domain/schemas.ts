// The exchange format (jixiao.table/v1): one JSON shape for a target table, shared by
// the importer, the xlsx export, the command line, the server and the tests.
// Pure: no I/O, no React. Unknown values are null, never guessed.
//
// People write these files too, so input is forgiving (docs/cli.md, "Exchange JSON"): a
// key that may be null may also be left out (it reads as null), and a key we do not know
// is ignored — `parseExchangeFile` reports it as a warning instead of refusing the file.
import { z } from "zod";

export const EXCHANGE_FORMAT = "jixiao.table/v1" as const;

/** Operators after normalisation (see taxonomy.ts for the variants we accept). */
export const OPERATORS = ["≥", "≤", "=", ">", "<", "定性"] as const;
export type Operator = (typeof OPERATORS)[number];

/** Achievement tiers for 定性 indicators in self-evaluation (docs/domain.md §6). */
export const QUALITATIVE_TIERS = ["达成", "部分达成", "未达成"] as const;
export type QualitativeTier = (typeof QUALITATIVE_TIERS)[number];

// Omitted means null: the parsed (output) type still always has the key.
const nullableString = z.string().nullable().default(null);
const nullableNumber = z.number().finite().nullable().default(null);

export const codeNameSchema = z.object({
  code: nullableString,
  name: nullableString,
});
export type CodeName = z.infer<typeof codeNameSchema>;

// ---------------------------------------------------------------------------------------
// Monitoring entry (绩效运行监控, docs/domain.md §5) carried by a table for `jixiao monitor`.

/** Monitoring periods: quarters and the mid-year cuts 1–6月 (H1) and 1–7月 (M7). */
export const PERIOD_CODES = ["Q1", "Q2", "Q3", "Q4", "H1", "M7"] as const;

export const LIKELIHOODS = ["确定能", "有可能", "完全不可能"] as const;
export type Likelihood = (typeof LIKELIHOODS)[number];

export const DEVIATION_REASONS = ["经费保障", "制度保障", "人员保障", "硬件条件保障", "其他"] as const;
export type DeviationReason = (typeof DEVIATION_REASONS)[number];

/** A number as people write it in JSON: 120, "120.5" or null; kept as decimal text, read by the domain. */
const decimalText = z
  .union([z.number().finite().transform((n) => String(n)), z.string().trim()])
  .nullable()
  .default(null)
  .transform((v) => (v === "" ? null : v));

/** "Q2", "h1", a month 7 or "7". */
const periodSchema = z.preprocess(
  (v) => (typeof v === "string" ? (/^\s*\d{1,2}\s*$/.test(v) ? Number(v) : v.trim().toUpperCase()) : v),
  z
    .union([z.enum(PERIOD_CODES), z.number().int().min(1, { message: "月份应为 1–12" }).max(12, { message: "月份应为 1–12" })], {
      errorMap: () => ({ message: "应为 Q1–Q4、H1、M7 或月份 1–12" }),
    })
    .nullable(),
);

export const monitoringSchema = z.object({
  /** Q1–Q4, H1 (1–6月), M7 (1–7月), or a month 1–12 (the months elapsed). */
  period: periodSchema.default(null),
  /** 全年预算数 (万元); omitted: the table's budget. */
  budgetAnnual: decimalText,
  /** 截至本期执行数 (万元) */
  budgetExecuted: decimalText,
  /** 偏差原因 of the budget (required when its light is yellow or red). */
  reason: nullableString,
  /** 纠偏措施 of the budget (likewise). */
  measures: nullableString,
});
export type MonitoringInput = z.infer<typeof monitoringSchema>;

export const monitorSchema = z.object({
  /** 截至本期完成值 (a number as text for quantitative indicators; text for 定性) */
  actual: decimalText,
  /** 全年预计完成值 */
  projected: decimalText,
  /** 完成目标可能性 */
  likelihood: z.enum(LIKELIHOODS).nullable().default(null),
  /** 偏差原因, one or more */
  reasons: z.array(z.enum(DEVIATION_REASONS)).default([]),
  /** 偏差原因 in words */
  reasonText: nullableString,
  /** 纠偏措施 */
  measures: nullableString,
});
export type MonitorInput = z.infer<typeof monitorSchema>;

// ---------------------------------------------------------------------------------------
// Tables

export const indicatorSchema = z.object({
  level1: nullableString,
  level2: nullableString,
  name: nullableString,
  /** Weight in points; may be decimal (2.5). null when the table has no weights. */
  weight: nullableNumber,
  unit: nullableString,
  /** Normalised operator; null when the table gave none and none could be inferred. */
  operator: z.enum(OPERATORS).nullable().default(null),
  /** Target as text: an exact decimal string ("1300.00") for quantitative operators, the chosen level for 定性. */
  target: nullableString,
  core: z.boolean().nullable().default(null),
  /** What the source said before normalisation, when it differs (kept for reviewers). */
  raw: z
    .object({
      level1: z.string().optional(),
      level2: z.string().optional(),
      operator: z.string().optional(),
      target: z.string().optional(),
      weight: z.string().optional(),
    })
    .partial()
    .optional(),
  // Self-evaluation (optional): actual value as a decimal string, or a tier for 定性.
  actual: nullableString.optional(),
  /** For 定性: the percentage of the weight awarded inside the chosen tier (0–100). */
  percent: nullableNumber.optional(),
  applicable: z.boolean().optional(),
  explanation: nullableString.optional(),
  /** 1-based line of the row in the source document, when imported. */
  line: z.number().int().optional(),
  /** Monitoring entry of this indicator (`jixiao monitor`). */
  monitor: monitorSchema.nullable().optional(),
});
export type Indicator = z.infer<typeof indicatorSchema>;

export const budgetSchema = z.object({
  /** 当年预算 (万元) */
  total: nullableNumber,
  /** 本级安排 (万元) */
  local: nullableNumber,
  /** 上级补助 (万元) */
  superior: nullableNumber,
});

const EMPTY_BUDGET = { total: null, local: null, superior: null };

export const projectHeaderSchema = z.object({
  code: nullableString,
  name: nullableString,
  category: nullableString,
  financeOffice: codeNameSchema.nullable().default(null),
  budget: budgetSchema.default(EMPTY_BUDGET),
  overview: nullableString,
  basis: nullableString,
  schedule: nullableString,
  measures: nullableString,
  midTermGoal: nullableString,
  annualGoal: nullableString,
});
export type ProjectHeader = z.infer<typeof projectHeaderSchema>;

/** Header of a 部门（单位）整体绩效目标表. */
export const overallHeaderSchema = z.object({
  /** 部门支出预算数 (万元) */
  budget: nullableNumber,
  midTermGoal: nullableString,
  annualGoal: nullableString,
});
export type OverallHeader = z.infer<typeof overallHeaderSchema>;

export const evaluationSchema = z.object({
  budgetInitial: nullableNumber,
  budgetAnnual: nullableNumber,
  budgetExecuted: nullableNumber,
});

export const tableWarningSchema = z.object({
  code: z.string(),
  message: z.string(),
  line: z.number().int().nullable(),
});
export type TableWarning = z.infer<typeof tableWarningSchema>;

export const exchangeTableSchema = z.object({
  format: z.literal(EXCHANGE_FORMAT),
  kind: z.enum(["project", "department"]),
  year: z.number().int().nullable().default(null),
  /** 主管部门 */
  department: codeNameSchema.nullable().default(null),
  /** 编制单位 / 预算单位, when the document names it */
  unit: codeNameSchema.nullable().optional(),
  /** Present for kind "project", null for kind "department". */
  project: projectHeaderSchema.nullable().default(null),
  /** Present for kind "department", null or absent for kind "project". */
  overall: overallHeaderSchema.nullable().optional(),
  /** 预算执行率权重; null when the table does not state one. */
  budgetExecutionWeight: nullableNumber,
  indicators: z.array(indicatorSchema),
  evaluation: evaluationSchema.optional(),
  source: z
    .object({
      file: nullableString,
      line: z.number().int().nullable(),
      /** Worksheet of an .xlsx source (line is then the row in that sheet). */
      sheet: z.string().optional(),
    })
    .optional(),
  /** Import warnings about this table (rows that could not be read, lost headers…). */
  warnings: z.array(tableWarningSchema).optional(),
  /** Monitoring entry of the table (`jixiao monitor`); each indicator carries its `monitor`. */
  monitoring: monitoringSchema.nullable().optional(),
});
export type ExchangeTable = z.infer<typeof exchangeTableSchema>;

/** A file given to the CLI: one table, an array of tables, or {"tables": [...]}. */
export const exchangeFileSchema = z.union([
  exchangeTableSchema.transform((t) => [t]),
  z.array(exchangeTableSchema),
  z.object({ tables: z.array(exchangeTableSchema) }).transform((o) => o.tables),
]);

export function emptyProjectHeader(): ProjectHeader {
  return {
    code: null,
    name: null,
    category: null,
    financeOffice: null,
    budget: { total: null, local: null, superior: null },
    overview: null,
    basis: null,
    schedule: null,
    measures: null,
    midTermGoal: null,
    annualGoal: null,
  };
}

// ---------------------------------------------------------------------------------------
// Reading exchange JSON written by people

/** Chinese text for a zod issue (the built-in messages are English). */
const TYPE_NAMES: Record<string, string> = { number: "数字", string: "文字", boolean: "true 或 false", object: "对象", array: "数组", null: " null", integer: "整数" };
const typeName = (t: string) => TYPE_NAMES[t] ?? ` ${t}`;

export function zodIssueText(issue: z.ZodIssue): string {
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      return issue.received === "undefined" ? "缺少此项" : `应为${typeName(issue.expected)}，实为${typeName(issue.received)}`;
    case z.ZodIssueCode.unrecognized_keys:
      return `未知的字段：${issue.keys.join("、")}`;
    case z.ZodIssueCode.invalid_literal:
      return issue.received === undefined ? "缺少此项" : `应为 ${JSON.stringify(issue.expected)}`;
    case z.ZodIssueCode.invalid_union:
      return issue.message === "Invalid input" ? "格式不符" : issue.message;
    case z.ZodIssueCode.invalid_enum_value:
      return `取值「${String(issue.received)}」无效，可选：${issue.options.join("、")}`;
    case z.ZodIssueCode.too_small:
      return issue.message.startsWith("Number") || issue.message.startsWith("Array") || issue.message.startsWith("String")
        ? `不能小于 ${issue.minimum}`
        : issue.message;
    case z.ZodIssueCode.too_big:
      return issue.message.startsWith("Number") || issue.message.startsWith("Array") || issue.message.startsWith("String")
        ? `不能大于 ${issue.maximum}`
        : issue.message;
    default:
      return issue.message;
  }
}

/** A key of the input that the format does not know (ignored). */
export interface UnknownKey {
  /** Index of the table in the file; null for a key outside any table. */
  table: number | null;
  /** Index of the indicator, when the key is inside one. */
  indicator: number | null;
  /** Dotted path inside the table (or the file), e.g. "project.financeOfice". */
  path: string;
  message: string;
}

function unwrap(t: z.ZodTypeAny): z.ZodTypeAny {
  for (;;) {
    if (t instanceof z.ZodOptional || t instanceof z.ZodNullable) t = t.unwrap();
    else if (t instanceof z.ZodDefault) t = t.removeDefault();
    else if (t instanceof z.ZodEffects) t = t.innerType();
    else return t;
  }
}

/** Paths of the keys of `value` that `schema` does not declare (walks objects and arrays). */
export function unknownKeyPaths(schema: z.ZodTypeAny, value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []) {
  const t = unwrap(schema);
  if (t instanceof z.ZodObject && value !== null && typeof value === "object" && !Array.isArray(value)) {
    const shape = t.shape as Record<string, z.ZodTypeAny>;
    for (const [k, v] of Object.entries(value)) {
      if (Object.hasOwn(shape, k)) unknownKeyPaths(shape[k], v, [...path, k], out);
      else out.push([...path, k]);
    }
  } else if (t instanceof z.ZodArray && Array.isArray(value)) {
    value.forEach((v, i) => unknownKeyPaths(t.element, v, [...path, i], out));
  }
  return out;
}

export type ExchangeFileResult =
  | { ok: true; tables: ExchangeTable[]; unknownKeys: UnknownKey[] }
  | { ok: false; errors: string[] };

/**
 * Reads exchange JSON (one table, an array of tables, or {"tables": [...]}) as people
 * write it: omitted nullable keys are null, unknown keys are ignored and listed in
 * `unknownKeys`. Errors are Chinese lines naming the table and the field.
 */
export function parseExchangeFile(data: unknown, opts: { maxErrors?: number } = {}): ExchangeFileResult {
  const unknownKeys: UnknownKey[] = [];
  let list: unknown[];
  let prefix: (i: number) => string;
  if (Array.isArray(data)) {
    list = data;
    prefix = (i) => `${i}`;
  } else if (data !== null && typeof data === "object" && "tables" in data && !("format" in data)) {
    const { tables, ...rest } = data as Record<string, unknown>;
    if (!Array.isArray(tables)) return { ok: false, errors: ["tables：应为表的数组"] };
    for (const k of Object.keys(rest)) unknownKeys.push({ table: null, indicator: null, path: k, message: `未知的字段「${k}」，已忽略` });
    list = tables;
    prefix = (i) => `tables.${i}`;
  } else if (data !== null && typeof data === "object") {
    list = [data];
    prefix = () => "";
  } else {
    return { ok: false, errors: ["应为一张表（对象）、表的数组，或 {\"tables\": [...]}"] };
  }
  const errors: string[] = [];
  const tables: ExchangeTable[] = [];
  list.forEach((raw, i) => {
    const r = exchangeTableSchema.safeParse(raw);
    if (!r.success) {
      for (const issue of r.error.issues) {
        const path = [prefix(i), ...issue.path].filter((p) => p !== "").join(".");
        errors.push(`${path || "（根）"}：${zodIssueText(issue)}`);
      }
      return;
    }
    tables.push(r.data);
    for (const p of unknownKeyPaths(exchangeTableSchema, raw)) {
      const path = p.join(".");
      unknownKeys.push({
        table: i,
        indicator: p[0] === "indicators" && typeof p[1] === "number" ? p[1] : null,
        path,
        message: `未知的字段「${path}」，已忽略`,
      });
    }
  });
  if (errors.length > 0) {
    const max = opts.maxErrors ?? 20;
    return { ok: false, errors: errors.length > max ? [...errors.slice(0, max), `……另有 ${errors.length - max} 处问题`] : errors };
  }
  return { ok: true, tables, unknownKeys };
}
