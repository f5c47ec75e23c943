// Indicator taxonomy (一级 → 二级) and normalisation of the variants seen in real tables:
// operators (`＝`, `>=`, `≧`, `大于等于`, `不低于`, …) and level names (`服务对象满意度`
// as a 一级 means 满意度指标). Normalisation always keeps the raw text as well.
// The taxonomy is data: rule sets carry their own copy (see rules.ts).
// Pure TypeScript: no I/O.
import { OPERATORS, type Operator } from "./schemas";
import { toHalfWidth } from "./decimal";
import { replaceTags, trimEndOf } from "./linear-text";

export type { Operator };
export { OPERATORS };

/** 一级 → allowed 二级 names. Keys are the canonical 一级 names. */
export type Taxonomy = Record<string, string[]>;

/** Canonical 一级 names of project tables (current national framework). */
export const LEVEL1_PROJECT = ["产出指标", "成本指标", "效益指标", "满意度指标"] as const;

/** The current national project-table framework (docs/domain.md §3). */
export const NATIONAL_TAXONOMY: Taxonomy = {
  产出指标: ["数量指标", "质量指标", "时效指标"],
  成本指标: ["经济成本指标", "社会成本指标", "生态环境成本指标"],
  效益指标: ["经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"],
  满意度指标: ["服务对象满意度指标"],
};

/**
 * Older project tables put 成本指标 under 产出指标 (二级). Chongqing rule sets accept it.
 */
export const LEGACY_PROJECT_TAXONOMY: Taxonomy = {
  ...NATIONAL_TAXONOMY,
  产出指标: ["数量指标", "质量指标", "时效指标", "成本指标"],
};

/**
 * First levels used by 部门（单位）整体绩效目标表 (000: 产出指标, 履职效能, 管理效率,
 * 服务对象满意度). The second levels under 履职效能 / 管理效率 vary by region; these are
 * the ones seen in published tables plus the usual ones.
 */
export const DEPARTMENT_TAXONOMY: Taxonomy = {
  产出指标: ["数量指标", "质量指标", "时效指标", "成本指标"],
  效益指标: ["经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"],
  履职效能: ["数量指标", "质量指标", "时效指标", "成本指标", "履职效能"],
  管理效率: ["管理效率", "预算管理", "资产管理", "内部控制"],
  满意度指标: ["服务对象满意度指标"],
};

/** National and department first levels together: the default for normalisation. */
export const ALL_LEVELS_TAXONOMY: Taxonomy = { ...DEPARTMENT_TAXONOMY, ...NATIONAL_TAXONOMY };

const LEVEL2_SETS = new WeakMap<Taxonomy, Set<string>>();
function level2Set(taxonomy: Taxonomy): Set<string> {
  let set = LEVEL2_SETS.get(taxonomy);
  if (!set) {
    set = new Set(Object.values(taxonomy).flat());
    LEVEL2_SETS.set(taxonomy, set);
  }
  return set;
}

type NameCache = WeakMap<Taxonomy, Map<string, NormalizedName>>;
const L1_CACHE: NameCache = new WeakMap();
const L2_CACHE: NameCache = new WeakMap();

/** Memoises a normalisation per taxonomy and raw text (results are frozen). */
function cached(cache: NameCache, taxonomy: Taxonomy, raw: string, compute: () => NormalizedName): NormalizedName {
  let m = cache.get(taxonomy);
  if (!m) {
    m = new Map();
    cache.set(taxonomy, m);
  }
  let r = m.get(raw);
  if (!r) {
    r = Object.freeze(compute());
    if (m.size > 10_000) m.clear();
    m.set(raw, r);
  }
  return r;
}

/** Result of a level-name normalisation: the canonical name (or null) and the raw text. */
export interface NormalizedName {
  /** Canonical name when recognised, otherwise the cleaned text; null when empty. */
  value: string | null;
  /** The text exactly as given. */
  raw: string;
  /** True when `value` is a name of the taxonomy used. */
  known: boolean;
  /** True when `value` differs from the raw text (the caller should keep `raw`). */
  changed: boolean;
}

/** Removes markup (`<b>`, `<p>`), inner whitespace, trailing colons; converts full width. */
const NEEDS_CLEANING = /[\s<*:：\uff01-\uff5e\u3000\u00a0\u2212\u2013]/;

export function cleanCell(text: string | null | undefined): string {
  if (text == null) return "";
  if (typeof text === "string" && !NEEDS_CLEANING.test(text)) return text;
  return trimEndOf(replaceTags(toHalfWidth(String(text))).replace(/\*\*/g, "").replace(/\s+/g, ""), ":：");
}

const LEVEL1_ALIASES: Record<string, string> = {
  产出: "产出指标",
  产出指标: "产出指标",
  成本: "成本指标",
  成本指标: "成本指标",
  效益: "效益指标",
  效益指标: "效益指标",
  // Pre-2021 frameworks called the 一级 of outcomes 效果指标.
  效果: "效益指标",
  效果指标: "效益指标",
  满意度: "满意度指标",
  满意度指标: "满意度指标",
  服务对象满意度: "满意度指标",
  服务对象满意度指标: "满意度指标",
  社会公众或服务对象满意度: "满意度指标",
  社会公众或服务对象满意度指标: "满意度指标",
  履职效能: "履职效能",
  履职效能指标: "履职效能",
  管理效率: "管理效率",
  管理效率指标: "管理效率",
};

/**
 * Normalises a 一级指标 name: `产出` → 产出指标, `服务对象满意度` → 满意度指标,
 * `效果指标` → 效益指标. `known` says whether the result is a 一级 of `taxonomy`
 * (default: national + department first levels).
 */
export function normalizeLevel1(
  text: string | null | undefined,
  taxonomy: Taxonomy = ALL_LEVELS_TAXONOMY,
): NormalizedName {
  const raw = text == null ? "" : String(text);
  return cached(L1_CACHE, taxonomy, raw, () => computeLevel1(raw, taxonomy));
}

function computeLevel1(raw: string, taxonomy: Taxonomy): NormalizedName {
  const c = cleanCell(raw);
  if (!c) return { value: null, raw, known: false, changed: raw !== "" };
  let value = LEVEL1_ALIASES[c] ?? c;
  if (!(value in taxonomy) && `${c}指标` in taxonomy) value = `${c}指标`;
  return { value, raw, known: value in taxonomy, changed: value !== raw };
}

const LEVEL2_ALIASES: Record<string, string> = {
  服务对象满意度: "服务对象满意度指标",
  社会公众或服务对象满意度: "服务对象满意度指标",
  社会公众或服务对象满意度指标: "服务对象满意度指标",
  生态成本指标: "生态环境成本指标",
  环境成本指标: "生态环境成本指标",
  可持续影响: "可持续影响指标",
};

/**
 * Normalises a 二级指标 name: `数量` → 数量指标, `服务对象满意度` → 服务对象满意度指标.
 * A wrong but well-formed name (002's 效果指标 or 满意度指标 as a 二级) is kept as is,
 * so the checker can warn (`level2_mismatch`). `known` says whether the result is a 二级
 * anywhere in `taxonomy`; whether it sits under the right 一级 is `level2Allowed`.
 */
export function normalizeLevel2(
  text: string | null | undefined,
  taxonomy: Taxonomy = ALL_LEVELS_TAXONOMY,
): NormalizedName {
  const raw = text == null ? "" : String(text);
  return cached(L2_CACHE, taxonomy, raw, () => computeLevel2(raw, taxonomy));
}

function computeLevel2(raw: string, taxonomy: Taxonomy): NormalizedName {
  const c = cleanCell(raw);
  if (!c) return { value: null, raw, known: false, changed: raw !== "" };
  const all = level2Set(taxonomy);
  let value = LEVEL2_ALIASES[c] ?? c;
  if (!all.has(value) && all.has(`${c}指标`)) value = `${c}指标`;
  return { value, raw, known: all.has(value), changed: value !== raw };
}

/** True when `level2` is listed under `level1` in `taxonomy` (both canonical names). */
export function level2Allowed(taxonomy: Taxonomy, level1: string, level2: string): boolean {
  const list = taxonomy[level1];
  return !!list && list.includes(level2);
}

/** True for a 满意度 first level (满意度指标 and its variants). */
export function isSatisfactionLevel1(level1: string | null | undefined): boolean {
  if (!level1) return false;
  return LEVEL1_ALIASES[cleanCell(level1)] === "满意度指标";
}

/** True for a 成本 indicator: 一级 成本指标, or (older tables) 二级 成本指标 / *成本指标. */
export function isCostIndicator(level1: string | null | undefined, level2: string | null | undefined): boolean {
  if (level1 && LEVEL1_ALIASES[cleanCell(level1)] === "成本指标") return true;
  return !!level2 && /成本指标$/.test(cleanCell(level2));
}

// ---------------------------------------------------------------------------------------
// Operators

/**
 * Variant spellings of each operator, compared after `cleanOperator`. Order matters only
 * for prefix matching in values.ts (longest first is computed there).
 */
export const OPERATOR_VARIANTS: Record<Operator, string[]> = {
  "≥": [
    "≥", ">=", "=>", "≧", "⩾", "≥=", "大于等于", "大于或等于", "不低于", "不少于", "不小于",
    "至少", "高于或等于", "多于或等于", "\\geq", "\\ge", "\\geqslant", "正向", "正向指标",
  ],
  "≤": [
    "≤", "<=", "=<", "≦", "⩽", "≤=", "小于等于", "小于或等于", "不高于", "不超过", "不多于",
    "不大于", "至多", "低于或等于", "少于或等于", "\\leq", "\\le", "\\leqslant", "反向", "反向指标",
  ],
  "=": ["=", "==", "等于", "\\eq"],
  ">": [">", "大于", "高于", "超过", "多于", "\\gt"],
  "<": ["<", "小于", "低于", "少于", "\\lt"],
  定性: ["定性", "定性指标", "定性值"],
};

const OPERATOR_LOOKUP = new Map<string, Operator>();
for (const op of OPERATORS) for (const v of OPERATOR_VARIANTS[op]) OPERATOR_LOOKUP.set(v, op);

/** Cleans operator text: half width, no spaces, no `$…$` math delimiters or braces. */
export function cleanOperator(text: string): string {
  return replaceTags(toHalfWidth(text))
    .replace(/[$\s{}]/g, "")
    .replace(/^\\(?:mathrm|text)/, "");
}

/**
 * The canonical operator for a written variant (`＝` → "=", `>=`/`≧`/`大于等于`/`不低于`/
 * `不少于`/`$\geq$` → "≥", `不高于`/`不超过`/`≤` → "≤", `定性` → "定性"), or null when the
 * text is not an operator (the caller reports it). Empty text gives null as well.
 */
export function normalizeOperator(text: string | null | undefined): Operator | null {
  if (text == null) return null;
  const c = cleanOperator(String(text));
  if (!c) return null;
  return OPERATOR_LOOKUP.get(c) ?? null;
}

/** All operator spellings, longest first, for prefix matching of inline values. */
export const OPERATOR_PREFIXES: Array<[string, Operator]> = [...OPERATOR_LOOKUP.entries()]
  .filter(([v]) => !/^(正向|反向)/.test(v) && !v.startsWith("定性"))
  .sort((a, b) => b[0].length - a[0].length);

/** True for the quantitative operators (everything but 定性). */
export function isQuantitative(op: Operator | null | undefined): op is Exclude<Operator, "定性"> {
  return op != null && op !== "定性";
}
