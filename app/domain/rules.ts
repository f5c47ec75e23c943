// Rule sets (规则集) and the checker (合规性审核), docs/domain.md §4.
//
// A rule set is plain data, validated by `ruleSetSchema`; finance edits one per region and
// year. `checkTable(table, ruleSet, history?)` returns every finding of docs/domain.md §4 with
// its code, a Chinese message naming the indicator and the numbers, and where it is.
// Weights are summed as exact decimals (decimal.ts): 2.5 + 7.5 + … never drifts.
// Pure TypeScript: no I/O.
import { z } from "zod";
import { Dec, fmt, parseDecimal } from "./decimal";
import { OPERATORS, QUALITATIVE_TIERS, zodIssueText, type ExchangeTable, type Indicator, type Operator } from "./schemas";
import {
  DEPARTMENT_TAXONOMY,
  LEGACY_PROJECT_TAXONOMY,
  NATIONAL_TAXONOMY,
  cleanCell,
  isCostIndicator,
  isQuantitative,
  level2Allowed,
  normalizeLevel1,
  normalizeLevel2,
  type Taxonomy,
} from "./taxonomy";
import { isQualitativeScale, parseValue } from "./values";

// ---------------------------------------------------------------------------------------
// Findings

export const SEVERITIES = ["error", "warning", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Every check code, with its default severity (docs/domain.md §4 marks the ones that are ours). */
export const DEFAULT_SEVERITIES = {
  weight_total: "error",
  weight_invalid: "error",
  no_indicators: "error",
  too_few_indicators: "warning",
  level1_required: "error",
  level1_unknown: "warning",
  level2_mismatch: "warning",
  name_missing: "error",
  name_duplicate: "error",
  operator_invalid: "error",
  target_missing: "error",
  target_not_numeric: "error",
  unit_missing: "error",
  core_min: "error",
  core_weight_share: "error",
  core_qualitative: "error",
  core_satisfaction: "warning",
  core_all: "warning",
  satisfaction_weight: "warning",
  level1_split: "info",
  percent_over_100: "warning",
  rate_target_low: "warning",
  qualitative_scale: "warning",
  qualitative_unit: "warning",
  cost_operator: "warning",
  budget_split: "error",
  below_last_actual: "warning",
} as const satisfies Record<string, Severity>;

export type CheckCode = keyof typeof DEFAULT_SEVERITIES;
export const CHECK_CODES = Object.keys(DEFAULT_SEVERITIES) as CheckCode[];

/** Where a finding is: table index in the file, indicator index (0-based), field, source line. */
export interface Where {
  table: number | null;
  indicator: number | null;
  field: string | null;
  line: number | null;
}

export interface Finding {
  severity: Severity;
  code: CheckCode;
  /** 中文, names the indicator and the numbers involved. */
  message: string;
  where: Where;
}

// ---------------------------------------------------------------------------------------
// Rule-set schema

const taxonomySchema = z
  .record(z.string().min(1), z.array(z.string().min(1)))
  .refine((t) => Object.keys(t).length > 0, { message: "分类（taxonomy）不能为空" });

const weightNumber = z.number().finite().min(0, { message: "不能为负数" }).max(100, { message: "不能超过 100" });

/** Rules that differ between 项目 and 部门整体 tables. */
export const kindRulesSchema = z
  .object({
    /** 预算执行率 weight; indicator weights must total 100 − this. 0 = no budget-execution weight. */
    budgetExecutionWeight: weightNumber.refine((w) => w < 100, { message: "必须小于 100" }),
    /** 一级 that every table must contain (canonical names, e.g. 产出指标). */
    requiredLevel1: z.array(z.string().min(1)),
    /** 一级 → 二级. */
    taxonomy: taxonomySchema,
    /** At least this many indicators (error, `no_indicators` when 0 are given). */
    minIndicators: z.number().int().min(0),
    /** Fewer than this is a warning (`too_few_indicators`). */
    recommendedMinIndicators: z.number().int().min(0),
    core: z
      .object({
        /** At least N core indicators (`core_min`); 0 = core optional. */
        minCount: z.number().int().min(0),
        /** Core weights ≥ this share of the indicator weight (`core_weight_share`); null = no rule. */
        minWeightShare: z.number().min(0).max(1).nullable(),
        /** May a core indicator be 定性? (`core_qualitative` when not.) */
        allowQualitative: z.boolean(),
      })
      .strict(),
  })
  .strict();
export type KindRules = z.infer<typeof kindRulesSchema>;

const tierSchema = z
  .object({ min: z.number().min(0).max(100), max: z.number().min(0).max(100), default: z.number().min(0).max(100) })
  .strict()
  .refine((t) => t.min <= t.default && t.default <= t.max, {
    message: "默认百分比必须在区间 [min, max] 之内",
  });

// Finance edits these lists; they are plain words, never regular expressions: a free regex
// such as (率+)+$ run on every indicator name would hang the server (docs/decisions/010).
const REGEX_SYNTAX = /[\\^$|?*+()[\]{}]/;
const keywordSchema = z
  .string()
  .trim()
  .min(1, { message: "关键词不能为空" })
  .max(30, { message: "关键词不能超过 30 个字" })
  .refine(
    (k) => !REGEX_SYNTAX.test(k),
    (k) => ({ message: `关键词「${k}」含有正则表达式符号；关键词按普通文字匹配，请直接填写词语，多个词语用顿号分隔` }),
  );

/** Indicator names matched by keywords: the name ends with / contains any of them. */
export const nameKeywordsSchema = z
  .object({
    match: z.enum(["endsWith", "contains"]),
    keywords: z.array(keywordSchema).max(200, { message: "关键词不能超过 200 个" }),
  })
  .strict();
export type NameKeywords = z.infer<typeof nameKeywordsSchema>;

/** Does a (cleaned) indicator name match a keyword list? Linear in the name's length. */
export function matchesKeywords(name: string, list: NameKeywords): boolean {
  return list.match === "endsWith" ? list.keywords.some((k) => name.endsWith(k)) : list.keywords.some((k) => name.includes(k));
}

const lightSchema = z
  .object({ green: z.number().min(0), yellow: z.number().min(0) })
  .strict()
  .refine((l) => l.green <= l.yellow, { message: "绿灯阈值不能大于黄灯阈值" });

export const ruleSetSchema = z
  .object({
    /** Identifier, e.g. "chongqing-2024". */
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, { message: "只能使用小写字母、数字、点、下划线和连字符" }),
    /** 中文 title shown to users. */
    title: z.string().min(1),
    description: z.string().optional(),
    /** Region (tenant) and year it applies to; null for built-ins that apply anywhere. */
    region: z.string().nullable(),
    year: z.number().int().nullable(),
    project: kindRulesSchema,
    department: kindRulesSchema,
    /** Operators allowed in 指标性质 (`operator_invalid` otherwise). */
    allowedOperators: z.array(z.enum(OPERATORS)).min(1, { message: "至少允许一种指标性质" }),
    satisfaction: z
      .object({
        /** 满意度 total weight above this is a warning (`satisfaction_weight`). */
        maxWeight: weightNumber,
      })
      .strict(),
    /**
     * Recommended 一级 split for self-evaluation (national: 预算执行率 10, 产出 50, 效益 30,
     * 满意度 10). Each group's total weight may differ from `weight` by at most `tolerance`
     * points before `level1_split` (info) is reported. null = no recommendation.
     */
    level1Split: z
      .object({
        groups: z
          .array(z.object({ level1: z.array(z.string().min(1)).min(1), weight: weightNumber }).strict())
          .min(1),
        tolerance: weightNumber,
      })
      .strict()
      .nullable(),
    thresholds: z
      .object({
        /** Names of rates (`percent_over_100`), matched against the 三级 name by keywords. */
        rateNames: nameKeywordsSchema,
        /** Rates that may exceed 100% (growth). */
        rateExcludeNames: nameKeywordsSchema,
        /** A rate in % above this is reported (`percent_over_100`). */
        percentMax: z.number(),
        /** Completion/timeliness rates (`rate_target_low`). */
        completionRateNames: nameKeywordsSchema,
        /** Such a rate with a target under this (in %) is reported. */
        completionRateMin: z.number(),
      })
      .strict(),
    scoring: z
      .object({
        /** "proportional": weight × max(0, 1 − |actual − target| / |target|); "exact": all or nothing. */
        equalFormula: z.enum(["proportional", "exact"]),
        /**
         * "shownScores": the total adds the scores as shown (each rounded to 2 decimals), so a
         * reviewer's hand sum matches; "exactScores": it adds the exact scores. See
         * docs/decisions/004-score-rounding-and-grades.md.
         */
        totalOf: z.enum(["shownScores", "exactScores"]).default("shownScores"),
        /** Actual above a ≥ target by more than this share (0.2 = 20%) needs an explanation. */
        overAchievementThreshold: z.number().min(0),
        /** 定性 tiers: percentage ranges of the weight and the default inside each. */
        qualitativeTiers: z
          .object({ 达成: tierSchema, 部分达成: tierSchema, 未达成: tierSchema })
          .strict(),
        /** Grade thresholds on the total (rounded to 2 decimals): ≥ 优, ≥ 良, ≥ 中, else 差. */
        grades: z.object({ 优: z.number(), 良: z.number(), 中: z.number() }).strict(),
        /** Every indicator below full marks needs an explanation. */
        explanationBelowFull: z.boolean(),
      })
      .strict(),
    monitoring: z
      .object({
        /** Budget light on gap = 序时进度 − 执行率 (percentage points): ≤ green → 绿, ≤ yellow → 黄, else 红. */
        budget: lightSchema,
        /** Indicator light: projection within this share (0.1 = 10%) of the target → 黄. */
        indicatorYellowWithin: z.number().min(0).max(1),
        /** Periods finance may open: Q1–Q4, H1 (1–6月), M7 (1–7月). */
        periods: z.array(z.enum(["Q1", "Q2", "Q3", "Q4", "H1", "M7"])).min(1),
        /**
         * 「进度与预计不符」: a cumulative indicator whose 截至本期完成值 is below this share
         * of target × 序时进度 while its projection meets the target (monitoring.ts). 0 = off.
         * Default for rule sets stored before it existed.
         */
        progressMismatchFraction: z.number().min(0).max(1).default(0.5),
      })
      .strict(),
    /** Severity per check code, overriding the defaults; "off" disables a check. */
    severities: z.record(z.enum(CHECK_CODES as [CheckCode, ...CheckCode[]]), z.enum(["error", "warning", "info", "off"])),
  })
  .strict()
  .superRefine((rs, ctx) => {
    for (const kind of ["project", "department"] as const) {
      const k = rs[kind];
      for (const l1 of k.requiredLevel1) {
        if (!(l1 in k.taxonomy)) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: [kind, "requiredLevel1"],
            message: `必备一级指标「${l1}」不在该规则集的分类（taxonomy）中`,
          });
        }
      }
      if (k.recommendedMinIndicators < k.minIndicators) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [kind, "recommendedMinIndicators"],
          message: `建议最少指标数 ${k.recommendedMinIndicators} 不能小于最少指标数 ${k.minIndicators}`,
        });
      }
    }
    const g = rs.scoring.grades;
    if (!(g.优 > g.良 && g.良 > g.中 && g.中 >= 0 && g.优 <= 100)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["scoring", "grades"],
        message: `等级分数线须满足 100 ≥ 优 > 良 > 中 ≥ 0（实为 优 ${g.优}、良 ${g.良}、中 ${g.中}）`,
      });
    }
    if (new Set(rs.allowedOperators).size !== rs.allowedOperators.length) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["allowedOperators"], message: "指标性质有重复" });
    }
  });

export type RuleSet = z.infer<typeof ruleSetSchema>;

/**
 * Validates unknown input as a rule set. Errors are Chinese lines naming the field path,
 * e.g. 「project.budgetExecutionWeight：不能超过 100」. Rule sets written before the name
 * lists were keywords (regex `…Pattern` fields) are migrated first (`migrateRuleSetInput`);
 * `notes` says what was converted, for the rule-set page and the CLI.
 */
export function parseRuleSet(
  input: unknown,
): { ok: true; ruleSet: RuleSet; notes: string[] } | { ok: false; errors: string[] } {
  const { value, notes } = migrateRuleSetInput(input);
  const r = ruleSetSchema.safeParse(value);
  if (r.success) return { ok: true, ruleSet: r.data, notes };
  return {
    ok: false,
    errors: r.error.issues.map((i) => `${i.path.length ? i.path.join(".") : "（规则集）"}：${zodIssueText(i)}`),
  };
}

const LEGACY_PATTERNS = [
  ["ratePattern", "rateNames"],
  ["rateExcludePattern", "rateExcludeNames"],
  ["completionRatePattern", "completionRateNames"],
] as const;

const MATCH_TEXT: Record<NameKeywords["match"], string> = { endsWith: "名称以其中任一结尾", contains: "名称包含其中任一" };

/** 「率、度（名称以其中任一结尾）」 */
export function describeKeywords(list: NameKeywords): string {
  return `${list.keywords.join("、") || "（无）"}（${MATCH_TEXT[list.match]}）`;
}

/**
 * The `thresholds.*Pattern` regexes of old rule sets → keyword lists. Only plain word
 * alternations convert (`(率|度|比例)$`, `(及时|按时)(率|比例)`); anything else falls back to
 * the built-in list. The pattern is read as text, never compiled or run.
 */
export function migrateRuleSetInput(input: unknown): { value: unknown; notes: string[] } {
  const notes: string[] = [];
  if (!input || typeof input !== "object" || Array.isArray(input)) return { value: input, notes };
  const th = (input as Record<string, unknown>).thresholds;
  if (!th || typeof th !== "object" || Array.isArray(th)) return { value: input, notes };
  const t = th as Record<string, unknown>;
  if (!LEGACY_PATTERNS.some(([old]) => old in t)) return { value: input, notes };
  const next: Record<string, unknown> = { ...t };
  for (const [old, key] of LEGACY_PATTERNS) {
    if (!(old in t)) continue;
    const src = t[old];
    delete next[old];
    const shown = typeof src === "string" ? src.slice(0, 200) : JSON.stringify(src);
    if (key in t) {
      notes.push(`thresholds.${old}：已有 ${key}，旧的正则表达式「${shown}」已忽略`);
      continue;
    }
    const converted = typeof src === "string" ? patternToKeywords(src) : null;
    if (converted) {
      next[key] = converted;
      notes.push(`thresholds.${old}：正则表达式「${shown}」已转换为关键词：${describeKeywords(converted)}`);
    } else {
      const fallback = BUILTIN_NAME_KEYWORDS[key];
      next[key] = { match: fallback.match, keywords: [...fallback.keywords] };
      notes.push(`thresholds.${old}：正则表达式「${shown}」不是简单的词语列表，未执行；已改用内置关键词：${describeKeywords(fallback)}`);
    }
  }
  return { value: { ...(input as Record<string, unknown>), thresholds: next }, notes };
}

/**
 * A regex source made only of literal words and groups of alternative words, optionally
 * ending in `$`, as the keyword list it means (the product of the groups), or null.
 */
export function patternToKeywords(src: string): NameKeywords | null {
  if (src.length > 2000) return null;
  let body = src;
  const anchored = body.endsWith("$") && !body.endsWith("\\$");
  if (anchored) body = body.slice(0, -1);
  const literal = /^[^\\^$.|?*+()[\]{}]+$/;
  const parts: string[][] = [];
  let i = 0;
  while (i < body.length) {
    if (body[i] === "(") {
      const close = body.indexOf(")", i);
      if (close < 0) return null;
      let inner = body.slice(i + 1, close);
      if (inner.startsWith("?:")) inner = inner.slice(2);
      const alts = inner.split("|");
      if (alts.some((a) => !literal.test(a))) return null;
      parts.push(alts);
      i = close + 1;
    } else {
      let j = i;
      while (j < body.length && body[j] !== "(") j++;
      const run = body.slice(i, j);
      if (!literal.test(run)) return null;
      parts.push([run]);
      i = j;
    }
  }
  if (parts.length === 0) return null;
  let words = [""];
  for (const alts of parts) {
    words = words.flatMap((w) => alts.map((a) => w + a));
    if (words.length > 200) return null;
  }
  const keywords = [...new Set(words.map((w) => w.trim()))];
  if (keywords.some((k) => !k || k.length > 30)) return null;
  return { match: anchored ? "endsWith" : "contains", keywords };
}

// ---------------------------------------------------------------------------------------
// Built-in rule sets

const COMPLETION_WORDS = ["及时", "按时", "到位", "合格", "完成", "达标", "兑现", "执行", "拨付", "发放", "整改", "办结", "验收"];

/** The built-in name lists (docs/decisions/002-checker-interpretations.md, Rates). */
export const BUILTIN_NAME_KEYWORDS: Record<"rateNames" | "rateExcludeNames" | "completionRateNames", NameKeywords> = {
  rateNames: { match: "endsWith", keywords: ["率", "度", "比例", "占比", "比重", "比率"] },
  rateExcludeNames: {
    match: "endsWith",
    keywords: ["增长率", "增速", "增幅", "增长幅度", "提升率", "提高率", "变化率", "波动率"],
  },
  // 及时率, 及时比例, 及时比率, 按时率, …: a completion word directly followed by a rate word.
  completionRateNames: {
    match: "contains",
    keywords: COMPLETION_WORDS.flatMap((w) => ["率", "比例", "比率"].map((r) => w + r)),
  },
};

const SHARED = {
  region: null,
  satisfaction: { maxWeight: 10 },
  level1Split: {
    groups: [
      { level1: ["产出指标", "成本指标"], weight: 50 },
      { level1: ["效益指标"], weight: 30 },
      { level1: ["满意度指标"], weight: 10 },
    ],
    tolerance: 10,
  },
  thresholds: {
    rateNames: BUILTIN_NAME_KEYWORDS.rateNames,
    rateExcludeNames: BUILTIN_NAME_KEYWORDS.rateExcludeNames,
    percentMax: 100,
    completionRateNames: BUILTIN_NAME_KEYWORDS.completionRateNames,
    completionRateMin: 80,
  },
  scoring: {
    equalFormula: "proportional",
    totalOf: "shownScores",
    overAchievementThreshold: 0.2,
    qualitativeTiers: {
      达成: { min: 80, max: 100, default: 100 },
      部分达成: { min: 60, max: 80, default: 70 },
      未达成: { min: 0, max: 60, default: 30 },
    },
    grades: { 优: 90, 良: 80, 中: 60 },
    explanationBelowFull: true,
  },
  monitoring: {
    budget: { green: 10, yellow: 20 },
    indicatorYellowWithin: 0.1,
    periods: ["Q1", "Q2", "Q3", "Q4", "H1"],
    progressMismatchFraction: 0.5,
  },
  severities: {},
} satisfies Partial<RuleSet>;

const REQUIRED_PROJECT_LEVEL1 = ["产出指标", "效益指标", "满意度指标"];

const DEPARTMENT_RULES: KindRules = {
  budgetExecutionWeight: 0,
  requiredLevel1: [],
  taxonomy: DEPARTMENT_TAXONOMY,
  minIndicators: 1,
  recommendedMinIndicators: 3,
  core: { minCount: 0, minWeightShare: null, allowQualitative: false },
};

/** Built-in rule sets, by name. Deep-frozen copies are returned by `getRuleSet`. */
export const BUILTIN_RULE_SETS: Record<string, RuleSet> = {
  national: {
    ...SHARED,
    name: "national",
    title: "全国通用（财政部指引）",
    description:
      "预算执行率权重 10，指标权重合计 90；必备 产出、效益、满意度 一级指标；核心指标不作要求；建议权重 产出 50、效益 30、满意度 10（仅提示）。",
    year: null,
    project: {
      budgetExecutionWeight: 10,
      requiredLevel1: REQUIRED_PROJECT_LEVEL1,
      taxonomy: NATIONAL_TAXONOMY,
      minIndicators: 1,
      recommendedMinIndicators: 3,
      core: { minCount: 0, minWeightShare: null, allowQualitative: false },
    },
    department: DEPARTMENT_RULES,
    allowedOperators: ["≥", "≤", "=", ">", "<", "定性"],
  },
  "chongqing-2024": {
    ...SHARED,
    name: "chongqing-2024",
    title: "重庆市（2024 年起）",
    description:
      "预算执行率权重 10，指标权重合计 90；至少 2 个核心指标，核心指标权重不低于指标权重的 50%，核心指标不得为定性；满意度权重不超过 10。",
    year: 2024,
    project: {
      budgetExecutionWeight: 10,
      requiredLevel1: REQUIRED_PROJECT_LEVEL1,
      taxonomy: NATIONAL_TAXONOMY,
      minIndicators: 1,
      recommendedMinIndicators: 3,
      core: { minCount: 2, minWeightShare: 0.5, allowQualitative: false },
    },
    department: DEPARTMENT_RULES,
    allowedOperators: ["≥", "≤", "=", "定性"],
  },
  "chongqing-2022": {
    ...SHARED,
    name: "chongqing-2022",
    title: "重庆市（2022 年）",
    description: "无预算执行率权重，指标权重合计 100；核心指标不作要求；二级指标按旧框架（成本指标可在产出指标下）。",
    year: 2022,
    project: {
      budgetExecutionWeight: 0,
      requiredLevel1: REQUIRED_PROJECT_LEVEL1,
      taxonomy: LEGACY_PROJECT_TAXONOMY,
      minIndicators: 1,
      recommendedMinIndicators: 3,
      core: { minCount: 0, minWeightShare: null, allowQualitative: false },
    },
    department: DEPARTMENT_RULES,
    allowedOperators: ["≥", "≤", "=", "定性"],
  },
};

/** Names of the built-in rule sets. */
export function listRuleSets(): Array<{ name: string; title: string; description: string }> {
  return Object.values(BUILTIN_RULE_SETS).map((r) => ({
    name: r.name,
    title: r.title,
    description: r.description ?? "",
  }));
}

/** A deep copy of a built-in rule set, or null when there is none of that name. */
export function getRuleSet(name: string): RuleSet | null {
  const r = BUILTIN_RULE_SETS[name];
  return r ? (JSON.parse(JSON.stringify(r)) as RuleSet) : null;
}

/**
 * The built-in rule set for a year when the region has none of its own (docs/domain.md §4):
 * Chongqing's 2024 rules from 2024 on and for an unknown year, its 2022 rules before. The
 * web, the CLI and the importer all ask here.
 */
export function defaultRuleSetName(year: number | null | undefined): string {
  return year != null && year < 2024 ? "chongqing-2022" : "chongqing-2024";
}

/** Effective severity of a check under a rule set, or "off". */
export function severityOf(ruleSet: RuleSet, code: CheckCode): Severity | "off" {
  return ruleSet.severities[code] ?? DEFAULT_SEVERITIES[code];
}

// ---------------------------------------------------------------------------------------
// Helpers shared with scoring.ts / monitoring.ts

/** The rules for a table's kind. */
export function kindRules(ruleSet: RuleSet, table: Pick<ExchangeTable, "kind">): KindRules {
  return table.kind === "department" ? ruleSet.department : ruleSet.project;
}

/** An indicator weight as an exact decimal, or null when it is missing or not a finite number. */
export function weightOf(ind: Pick<Indicator, "weight">): Dec | null {
  if (ind.weight == null || typeof ind.weight !== "number" || !Number.isFinite(ind.weight)) return null;
  return Dec.of(ind.weight);
}

/**
 * A numeric target as an exact decimal: the canonical decimal of the exchange format, or
 * an inline value such as "90%" / "≥90" written by hand. null when not a number.
 */
export function numericTarget(target: string | null | undefined): Dec | null {
  if (target == null) return null;
  const d = Dec.parse(target);
  if (d !== null) return d;
  const p = parseValue(target);
  return p.ok && p.value !== null ? Dec.of(p.value) : null;
}

/** Display label of an indicator in messages: 第 3 个指标「补助人数」. */
export function indicatorLabel(index: number, ind: Pick<Indicator, "name">): string {
  const name = ind.name && ind.name.trim() ? ind.name.trim() : "（未命名）";
  return `第 ${index + 1} 个指标「${name}」`;
}

/**
 * Is this a 满意度 indicator? By its 一级 when given; when the table has no 一级 column,
 * by a name ending in 满意度/满意率 (001 and 000 project tables).
 */
export function isSatisfactionIndicator(ind: Pick<Indicator, "level1" | "name">): boolean {
  if (ind.level1 && cleanCell(ind.level1)) return normalizeLevel1(ind.level1).value === "满意度指标";
  return !!ind.name && /满意(度|率)$/.test(cleanCell(ind.name));
}

const NO_UNIT = new Set(["其他", "无", "空", "-", "—", "/", "定性", "等级", "级", "档"]);
function hasUnit(unit: string | null | undefined): boolean {
  if (unit == null) return false;
  const u = cleanCell(unit);
  return u !== "" && !NO_UNIT.has(u);
}

interface Compiled {
  allowed: Set<Operator>;
  percentMax: Dec;
  completionRateMin: Dec;
  satisfactionMax: Dec;
  /** 一级 → index of its group in level1Split. */
  groupOf: Map<string, number>;
}
const COMPILED = new WeakMap<RuleSet, Compiled>();
function compiled(rs: RuleSet): Compiled {
  let c = COMPILED.get(rs);
  if (!c) {
    c = {
      allowed: new Set<Operator>(rs.allowedOperators),
      percentMax: Dec.of(rs.thresholds.percentMax),
      completionRateMin: Dec.of(rs.thresholds.completionRateMin),
      satisfactionMax: Dec.of(rs.satisfaction.maxWeight),
      groupOf: new Map((rs.level1Split?.groups ?? []).flatMap((g, k) => g.level1.map((l) => [l, k] as [string, number]))),
    };
    COMPILED.set(rs, c);
  }
  return c;
}

function pct(x: Dec): string {
  return `${fmt(x.mul(Dec.HUNDRED).round(2))}%`;
}

// ---------------------------------------------------------------------------------------
// The checker

/**
 * Checks one exchange table against a rule set and returns every finding of docs/domain.md §4
 * (`where.table` is null; `checkTables` fills it). `history` is last year's evaluated
 * tables (with `actual` values) for `below_last_actual`. Never throws on bad data: every
 * problem becomes a finding.
 */
export function checkTable(table: ExchangeTable, ruleSet: RuleSet, history?: ExchangeTable[]): Finding[] {
  const findings: Finding[] = [];
  const rules = kindRules(ruleSet, table);
  const rx = compiled(ruleSet);
  const add = (code: CheckCode, message: string, where: Partial<Where> = {}) => {
    const sev = severityOf(ruleSet, code);
    if (sev === "off") return;
    findings.push({
      severity: sev,
      code,
      message,
      where: { table: null, indicator: where.indicator ?? null, field: where.field ?? null, line: where.line ?? null },
    });
  };
  const inds = table.indicators ?? [];
  const at = (i: number, field: string | null = null): Partial<Where> => ({
    indicator: i,
    field,
    line: inds[i]?.line ?? null,
  });

  // --- budget split (header) ---------------------------------------------------------
  const budget = table.project?.budget;
  if (budget && budget.total != null && (budget.local != null || budget.superior != null)) {
    const total = Dec.of(budget.total);
    const local = budget.local != null ? Dec.of(budget.local) : Dec.ZERO;
    const superior = budget.superior != null ? Dec.of(budget.superior) : Dec.ZERO;
    const parts = local.add(superior);
    if (!parts.eq(total)) {
      const both = budget.local != null && budget.superior != null;
      const missing = budget.local == null ? "本级安排" : budget.superior == null ? "上级补助" : null;
      const msg =
        `本级安排 ${fmt(local)} + 上级补助 ${fmt(superior)} = ${fmt(parts)} 万元，与当年预算 ${fmt(total)} 万元不符` +
        (missing ? `（${missing}未填，按 0 计）` : "");
      const sev = severityOf(ruleSet, "budget_split");
      if (sev !== "off") {
        findings.push({
          // Only one part given: the other may simply be another source of funds → warn.
          severity: both ? sev : sev === "error" ? "warning" : sev,
          code: "budget_split",
          message: msg,
          where: { table: null, indicator: null, field: "project.budget", line: null },
        });
      }
    }
  }

  // --- counts ------------------------------------------------------------------------
  if (inds.length === 0 || inds.length < rules.minIndicators) {
    add(
      "no_indicators",
      inds.length === 0 ? "表中没有绩效指标" : `只有 ${inds.length} 个绩效指标，至少应有 ${rules.minIndicators} 个`,
      { field: "indicators" },
    );
  } else if (inds.length < rules.recommendedMinIndicators) {
    add("too_few_indicators", `只有 ${inds.length} 个绩效指标，建议至少 ${rules.recommendedMinIndicators} 个`, {
      field: "indicators",
    });
  }

  // --- per indicator -------------------------------------------------------------------
  const level1Present = new Set<string>();
  const satisfaction: boolean[] = [];
  const names = new Map<string, number>();
  const allowed = rx.allowed;
  // Exact running totals, gathered in the one pass over the rows.
  let weightSum = Dec.ZERO;
  let weightCount = 0;
  let satWeight = Dec.ZERO;
  let satCount = 0;
  let coreW = Dec.ZERO;
  const coreIdx: number[] = [];
  let coreMarked = false;
  const groups = ruleSet.level1Split?.groups ?? [];
  const groupTotals: Dec[] = groups.map(() => Dec.ZERO);
  let splitComparable = true;

  inds.forEach((ind, i) => {
    let labelText: string | null = null;
    const labelOf = () => (labelText ??= indicatorLabel(i, ind));
    // names
    const name = ind.name ? cleanCell(ind.name) : "";
    if (!name) add("name_missing", `第 ${i + 1} 个指标未填写指标名称（三级指标）`, at(i, "name"));
    else if (names.has(name)) {
      add("name_duplicate", `${labelOf()}与第 ${names.get(name)! + 1} 个指标重名`, at(i, "name"));
    } else names.set(name, i);

    // weight
    const w = weightOf(ind);
    if (w === null) add("weight_invalid", `${labelOf()}未填写指标权重`, at(i, "weight"));
    else if (w.sign() <= 0) add("weight_invalid", `${labelOf()}的权重 ${fmt(w)} 应为正数`, at(i, "weight"));

    // levels
    const l1 = ind.level1 && cleanCell(ind.level1) ? normalizeLevel1(ind.level1, rules.taxonomy) : null;
    if (l1?.value) level1Present.add(l1.value);
    const isSat = l1 ? l1.value === "满意度指标" : isSatisfactionIndicator(ind);
    satisfaction.push(isSat);
    if (ind.core != null) coreMarked = true;
    if (ind.core === true) coreIdx.push(i);
    if (w !== null) {
      weightSum = weightSum.add(w);
      weightCount++;
      if (isSat) {
        satWeight = satWeight.add(w);
        satCount++;
      }
      if (ind.core === true) coreW = coreW.add(w);
    }
    if (l1 === null || w === null) splitComparable = false;
    else {
      const g = rx.groupOf.get(l1.value!);
      if (g !== undefined) groupTotals[g] = groupTotals[g].add(w);
    }
    if (l1 && !l1.known) {
      add("level1_unknown", `${labelOf()}的一级指标「${ind.level1}」不在规则集「${ruleSet.name}」的分类中`, at(i, "level1"));
    }
    if (l1 && l1.known && ind.level2 && cleanCell(ind.level2)) {
      const l2 = normalizeLevel2(ind.level2, rules.taxonomy);
      if (!level2Allowed(rules.taxonomy, l1.value!, l2.value!)) {
        const expected = rules.taxonomy[l1.value!].join("、");
        add(
          "level2_mismatch",
          `${labelOf()}：二级指标「${ind.level2}」不属于一级指标「${l1.value}」（应为 ${expected}）`,
          at(i, "level2"),
        );
      }
    }

    // operator
    const op = ind.operator;
    const rawOp = ind.raw?.operator;
    if (op == null) {
      add(
        "operator_invalid",
        rawOp ? `${labelOf()}的指标性质「${rawOp}」无法识别` : `${labelOf()}未填写指标性质`,
        at(i, "operator"),
      );
    } else if (!allowed.has(op)) {
      add(
        "operator_invalid",
        `${labelOf()}的指标性质「${op}」不在规则集「${ruleSet.name}」允许的范围内（${ruleSet.allowedOperators.join(" ")}）`,
        at(i, "operator"),
      );
    }

    // target and unit
    const targetText = ind.target == null ? "" : ind.target.trim();
    let target: Dec | null = null;
    if (isQuantitative(op)) {
      if (!targetText) add("target_not_numeric", `${labelOf()}的指标性质为「${op}」，但未填写指标值`, at(i, "target"));
      else {
        target = numericTarget(targetText);
        if (target === null) {
          add("target_not_numeric", `${labelOf()}的指标性质为「${op}」，指标值「${targetText}」不是数值`, at(i, "target"));
        }
      }
      if (!hasUnit(ind.unit)) {
        add(
          "unit_missing",
          ind.unit && cleanCell(ind.unit)
            ? `${labelOf()}是定量指标，计量单位「${ind.unit}」不是计量单位`
            : `${labelOf()}是定量指标，未填写计量单位`,
          at(i, "unit"),
        );
      }
    } else if (op === "定性") {
      if (!targetText) add("target_missing", `${labelOf()}是定性指标，未填写指标值（应选定一个等级，如 达标、优）`, at(i, "target"));
      else if (isQualitativeScale(targetText)) {
        add(
          "qualitative_scale",
          `${labelOf()}的指标值「${targetText}」列出了一组等级，应只填写预期达到的一个等级`,
          at(i, "target"),
        );
      }
      if (hasUnit(ind.unit)) {
        add("qualitative_unit", `${labelOf()}是定性指标，却填写了计量单位「${ind.unit}」`, at(i, "unit"));
      }
    }

    // rates
    const unitIsPercent = !!ind.unit && cleanCell(ind.unit) === "%";
    if (target !== null && unitIsPercent && name) {
      const th = ruleSet.thresholds;
      if (matchesKeywords(name, th.rateNames) && !matchesKeywords(name, th.rateExcludeNames) && target.gt(rx.percentMax)) {
        add(
          "percent_over_100",
          `${labelOf()}是比率，指标值 ${fmt(target)}% 超过 ${ruleSet.thresholds.percentMax}%`,
          at(i, "target"),
        );
      }
      if (
        matchesKeywords(name, th.completionRateNames) &&
        (op === "≥" || op === ">" || op === "=") &&
        target.lt(rx.completionRateMin)
      ) {
        add(
          "rate_target_low",
          `${labelOf()}的指标值 ${op}${fmt(target)}% 低于 ${ruleSet.thresholds.completionRateMin}%，完成类比率的目标明显偏低`,
          at(i, "target"),
        );
      }
    }

    // cost indicators
    if ((op === "≥" || op === ">") && isCostIndicator(ind.level1, ind.level2)) {
      add("cost_operator", `${labelOf()}是成本指标，指标性质却为「${op}」（成本指标一般应为 ≤）`, at(i, "operator"));
    }
  });

  // --- weight total (exact) --------------------------------------------------------------
  if (inds.length > 0) {
    const expected = Dec.HUNDRED.sub(Dec.of(rules.budgetExecutionWeight));
    const stated = table.budgetExecutionWeight;
    if (stated != null && !Dec.of(stated).eq(Dec.of(rules.budgetExecutionWeight))) {
      add(
        "weight_total",
        `表中预算执行率权重为 ${fmt(stated)}，规则集「${ruleSet.name}」规定为 ${fmt(rules.budgetExecutionWeight)}`,
        { field: "budgetExecutionWeight" },
      );
    }
    if (weightCount > 0) {
      const total = weightSum;
      if (!total.eq(expected)) {
        const be = rules.budgetExecutionWeight;
        const missing = inds.length - weightCount;
        add(
          "weight_total",
          `指标权重合计 ${fmt(total)}，应为 ${fmt(expected)}` +
            (be > 0 ? `（100 − 预算执行率权重 ${fmt(be)}）` : "") +
            (missing > 0 ? `；另有 ${missing} 个指标未填权重` : ""),
          { field: "weight" },
        );
      }
    }
  }

  // --- required 一级 ----------------------------------------------------------------------
  if (inds.length > 0 && rules.requiredLevel1.length > 0) {
    const present = level1Present;
    if (present.size === 0) {
      add(
        "level1_required",
        `表中未填写一级指标，无法确认包含必备的一级指标：${rules.requiredLevel1.join("、")}`,
        { field: "level1" },
      );
    } else {
      for (const req of rules.requiredLevel1) {
        if (!present.has(req)) add("level1_required", `缺少一级指标「${req}」`, { field: "level1" });
      }
    }
  }

  // --- satisfaction weight -----------------------------------------------------------------
  if (satCount > 0 && satWeight.gt(rx.satisfactionMax)) {
    add(
      "satisfaction_weight",
      `满意度指标权重合计 ${fmt(satWeight)}，超过 ${fmt(ruleSet.satisfaction.maxWeight)}`,
      { field: "weight" },
    );
  }

  // --- core indicators ---------------------------------------------------------------------
  if (inds.length > 0 && coreIdx.length < rules.core.minCount) {
    add(
      "core_min",
      coreMarked
        ? `核心指标 ${coreIdx.length} 个，至少应有 ${rules.core.minCount} 个`
        : `未标注核心指标（是否核心指标），至少应有 ${rules.core.minCount} 个核心指标`,
      { field: "core" },
    );
  }
  if (coreIdx.length > 0 && rules.core.minWeightShare != null && rules.core.minWeightShare > 0) {
    const allW = weightSum;
    const share = Dec.of(rules.core.minWeightShare);
    if (allW.sign() > 0 && coreW.div(allW).lt(share)) {
      add(
        "core_weight_share",
        `核心指标权重合计 ${fmt(coreW)}，占指标权重 ${fmt(allW)} 的 ${pct(coreW.div(allW))}，应不低于 ${pct(share)}`,
        { field: "core" },
      );
    }
  }
  for (const i of coreIdx) {
    const ind = inds[i];
    const label = indicatorLabel(i, ind);
    if (ind.operator === "定性" && !rules.core.allowQualitative) {
      add("core_qualitative", `${label}是定性指标，不能作为核心指标`, at(i, "core"));
    }
    if (satisfaction[i]) add("core_satisfaction", `${label}是满意度指标，不宜作为核心指标`, at(i, "core"));
  }
  if (inds.length >= 2 && coreIdx.length === inds.length) {
    add("core_all", `全部 ${inds.length} 个指标都标为核心指标，核心指标失去意义`, { field: "core" });
  }

  // --- recommended 一级 split (info) --------------------------------------------------------
  if (ruleSet.level1Split && table.kind === "project" && inds.length > 0 && splitComparable) {
    const parts: string[] = [];
    groups.forEach((g, k) => {
      const t = groupTotals[k];
      if (t.sub(Dec.of(g.weight)).abs().gt(Dec.of(ruleSet.level1Split!.tolerance))) {
        parts.push(`${g.level1.join("+")} ${fmt(t)}（建议 ${fmt(g.weight)}）`);
      }
    });
    if (parts.length > 0) {
      add("level1_split", `一级指标权重与建议分配相差较大：${parts.join("；")}`, { field: "weight" });
    }
  }

  // --- history ---------------------------------------------------------------------------
  if (history && history.length > 0) checkHistory(table, history, add, at);

  return findings;
}

/**
 * The same project in two years: by code when both tables state one, else by name. The
 * server matches within the unit before it passes history in (app/models/results.server.ts).
 */
function sameProject(a: ExchangeTable, b: ExchangeTable): boolean {
  const ca = a.project?.code?.trim();
  const cb = b.project?.code?.trim();
  if (ca && cb) return ca === cb;
  const na = a.project?.name ? cleanCell(a.project.name) : "";
  return na !== "" && na === (b.project?.name ? cleanCell(b.project.name) : "");
}

/** Last year's row of the indicator: same name, and the same 二级 when the name is there twice. */
function priorIndicator(ind: Indicator, name: string, prior: ExchangeTable): Indicator | undefined {
  const same = prior.indicators.filter((x) => x.name && cleanCell(x.name) === name);
  if (same.length <= 1) return same[0];
  const level2 = normalizeLevel2(ind.level2).value;
  const narrowed = same.filter((x) => normalizeLevel2(x.level2).value === level2);
  // Still ambiguous: no comparison rather than a guess.
  return narrowed.length === 1 ? narrowed[0] : undefined;
}

function checkHistory(
  table: ExchangeTable,
  history: ExchangeTable[],
  add: (code: CheckCode, message: string, where?: Partial<Where>) => void,
  at: (i: number, field?: string | null) => Partial<Where>,
): void {
  // Most recent earlier year first.
  const prior = history
    .filter((h) => sameProject(table, h) && (table.year == null || h.year == null || h.year < table.year))
    .sort((a, b) => (b.year ?? 0) - (a.year ?? 0));
  if (prior.length === 0) return;
  table.indicators.forEach((ind, i) => {
    if (ind.operator !== "≥" && ind.operator !== ">") return;
    const target = numericTarget(ind.target);
    const name = ind.name ? cleanCell(ind.name) : "";
    if (!target || !name) return;
    for (const h of prior) {
      const old = priorIndicator(ind, name, h);
      if (!old || old.actual == null || old.applicable === false) continue;
      const actual = numericTarget(old.actual);
      if (!actual) continue;
      if (target.lt(actual)) {
        add(
          "below_last_actual",
          `${indicatorLabel(i, ind)}的指标值 ${fmt(target)} 低于${h.year ? ` ${h.year} 年` : "上年"}实际完成值 ${fmt(actual)}`,
          at(i, "target"),
        );
      }
      break;
    }
  });
}

/** Checks several tables; `where.table` is the index of each table in `tables`. */
export function checkTables(tables: ExchangeTable[], ruleSet: RuleSet, history?: ExchangeTable[]): Finding[][] {
  return tables.map((t, ti) => checkTable(t, ruleSet, history).map((f) => ({ ...f, where: { ...f.where, table: ti } })));
}

/** Counts of findings by severity. */
export function countBySeverity(findings: ReadonlyArray<{ severity: Severity }>): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

/** Re-exported for UIs that build tier pickers. */
export { QUALITATIVE_TIERS };
