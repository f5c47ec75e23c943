// The exchange format (jixiao.table/v1): one JSON shape for a target table, shared by
// the importer, the xlsx export, the command line, the server and the tests.
// Pure: no I/O, no React. Unknown values are null, never guessed.
import { z } from "zod";

export const EXCHANGE_FORMAT = "jixiao.table/v1" as const;

/** Operators after normalisation (see taxonomy.ts for the variants we accept). */
export const OPERATORS = ["≥", "≤", "=", ">", "<", "定性"] as const;
export type Operator = (typeof OPERATORS)[number];

/** Achievement tiers for 定性 indicators in self-evaluation (DOMAIN.md §6). */
export const QUALITATIVE_TIERS = ["达成", "部分达成", "未达成"] as const;
export type QualitativeTier = (typeof QUALITATIVE_TIERS)[number];

const nullableString = z.string().nullable();
const nullableNumber = z.number().finite().nullable();

export const codeNameSchema = z.object({
  code: nullableString,
  name: nullableString,
});
export type CodeName = z.infer<typeof codeNameSchema>;

export const indicatorSchema = z.object({
  level1: nullableString,
  level2: nullableString,
  name: nullableString,
  /** Weight in points; may be decimal (2.5). null when the table has no weights. */
  weight: nullableNumber,
  unit: nullableString,
  /** Normalised operator; null when the table gave none and none could be inferred. */
  operator: z.enum(OPERATORS).nullable(),
  /** Target as text: an exact decimal string ("1300.00") for quantitative operators, the chosen level for 定性. */
  target: nullableString,
  core: z.boolean().nullable(),
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

export const projectHeaderSchema = z.object({
  code: nullableString,
  name: nullableString,
  category: nullableString,
  financeOffice: codeNameSchema.nullable(),
  budget: budgetSchema,
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
  year: z.number().int().nullable(),
  /** 主管部门 */
  department: codeNameSchema.nullable(),
  /** 编制单位 / 预算单位, when the document names it */
  unit: codeNameSchema.nullable().optional(),
  /** Present for kind "project", null for kind "department". */
  project: projectHeaderSchema.nullable(),
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
