// Rule sets (规则集) and the checker (合规性审核), docs/domain.md §4.
//
// A rule set is plain data, validated by `ruleSetSchema`; finance edits one per region and
// year. The checker, `checkTable(table, ruleSet, history?)`, is a registry of checks in
// checks.ts, re-exported here. Pure TypeScript: no I/O.
import { z } from "zod";
import { CHECK_CODES, type CheckCode } from "./checks";
import { OPERATORS, QUALITATIVE_TIERS, zodIssueText } from "./schemas";
import { DEPARTMENT_TAXONOMY, LEGACY_PROJECT_TAXONOMY, NATIONAL_TAXONOMY } from "./taxonomy";

// ---------------------------------------------------------------------------------------
// Findings and the checker live in checks.ts (the registry of checks); re-exported here.

export {
  CHECK_CODES,
  CHECK_LABELS,
  DEFAULT_SEVERITIES,
  SEVERITIES,
  checkTable,
  checkTables,
  countBySeverity,
  indicatorLabel,
  isSatisfactionIndicator,
  kindRules,
  matchesKeywords,
  numericTarget,
  severityOf,
  weightOf,
  type CheckCode,
  type Finding,
  type Severity,
  type Where,
} from "./checks";

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

/** Re-exported for UIs that build tier pickers. */
export { QUALITATIVE_TIERS };
