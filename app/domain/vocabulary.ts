// The one vocabulary of 绩效目标表 shared by every import path and every export: the words
// that name a header field (项目名称, 主管部门, 当年预算…) with the variants found in published
// documents and hand-made templates, the column headers of the indicator grid, the column
// orders of the published layouts, the `CODE-名称` rule and the 一级/二级 names (those live
// in taxonomy.ts and are used from there). The document importer, the .xlsx importer, the
// paste parser and the exporters all read it, so a table reads the same in every format
// (docs/decisions/023-one-vocabulary.md).
//
// Lookups are exact matches in maps built once from the lists below (no pattern is run on
// cell text), so their cost is linear in the cell. Pure TypeScript: runs in the browser too.
import type { CodeName } from "./schemas";
import { ALL_LEVELS_TAXONOMY, OPERATOR_VARIANTS, cleanCell, normalizeLevel1, normalizeLevel2 } from "./taxonomy";

// ---------------------------------------------------------------------------------------
// Variant lists

/**
 * Expands a variant list written with optional groups: `{当年|年度}?预算{金额|数}?` is
 * 当年预算, 当年预算金额, 当年预算数, 年度预算… (`{a|b}` one of, `{a|b}?` one of or nothing;
 * groups do not nest).
 */
export function expandVariants(pattern: string): string[] {
  let out = [""];
  let i = 0;
  while (i < pattern.length) {
    const open = pattern.indexOf("{", i);
    const literal = open < 0 ? pattern.slice(i) : pattern.slice(i, open);
    if (literal) out = out.map((s) => s + literal);
    if (open < 0) break;
    const close = pattern.indexOf("}", open);
    const nested = pattern.indexOf("{", open + 1);
    if (close < 0 || (nested >= 0 && nested < close)) {
      throw new Error(`variant pattern「${pattern}」: unbalanced braces`);
    }
    const options = pattern.slice(open + 1, close).split("|");
    const optional = pattern[close + 1] === "?";
    if (optional) options.push("");
    out = out.flatMap((s) => options.map((o) => s + o));
    i = close + (optional ? 2 : 1);
  }
  return out;
}

/**
 * The form in which labels and column headers are compared: no markup, half width, no
 * whitespace at all (`指标性 质` → 指标性质), no `**`/`#` marks, no leading `其中：`, no unit in
 * brackets (`当年预算（万元）` → 当年预算), no trailing colon.
 */
export function labelKey(text: string | null | undefined): string {
  if (text == null || text === "") return "";
  let s = cleanCell(String(text));
  let start = 0;
  while (start < s.length && (s[start] === "*" || s[start] === "#")) start++;
  let end = s.length;
  while (end > start && s[end - 1] === "*") end--;
  if (start > 0 || end < s.length) s = s.slice(start, end);
  if (s.startsWith("其中")) s = s.slice(s[2] === ":" || s[2] === "：" ? 3 : 2);
  if (s.indexOf("(") >= 0) for (const u of UNIT_PARENS) if (s.indexOf(u) >= 0) s = s.split(u).join("");
  end = s.length;
  while (end > 0 && (s[end - 1] === ":" || s[end - 1] === "：")) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** Units written in brackets after a label (after half width): removed by labelKey. */
const UNIT_PARENS = ["(单位:万元)", "(单位万元)", "(万元)", "(亿元)", "(元)", "(%)", "(分)"];

// ---------------------------------------------------------------------------------------
// Header fields

export type HeaderField =
  | "projectName"
  | "projectCode"
  | "department"
  | "category"
  | "financeOffice"
  | "budgetTotal"
  | "budgetLocal"
  | "budgetSuperior"
  | "overview"
  | "basis"
  | "schedule"
  | "measures"
  | "midTermGoal"
  | "annualGoal"
  | "budgetExecutionWeight"
  | "departmentName"
  | "departmentBudget"
  | "overallGoal"
  | "overallMidTermGoal"
  | "departmentFunds"
  | "unit"
  | "year"
  | "footer";

/** What a field's value is: a name, prose, an amount, a code, a year, or nothing (a section label). */
export type FieldValue = "text" | "prose" | "number" | "code" | "year" | "none";

interface FieldWords {
  /** The field's name in messages. */
  label: string;
  value: FieldValue;
  /** Variant patterns (see expandVariants), compared after labelKey. */
  variants: string[];
  /**
   * Variants that are also ordinary words or indicator names (部门, 年度, 预算执行率…): they
   * name the field only inside a header block (they never start a table nor end a grid).
   */
  weak?: string[];
}

/** Every header label, by field. The first variant of each list is the usual wording. */
export const HEADER_FIELDS: Record<HeaderField, FieldWords> = {
  projectName: { label: "项目名称", value: "text", variants: ["项目{名称|全称}"] },
  projectCode: { label: "项目编码", value: "code", variants: ["项目{编码|编号|代码}"] },
  department: {
    label: "主管部门",
    value: "text",
    variants: ["{项目}?{业务}?主管{部门|单位}{名称|及编码|编码及名称|及代码}?"],
  },
  category: { label: "项目分类", value: "text", variants: ["项目{分类|类别|类型|属性}"] },
  financeOffice: { label: "财政归口科室", value: "text", variants: ["{财政}?归口{管理}?{科室|处室}", "财政对口{科室|处室}"] },
  budgetTotal: {
    label: "当年预算",
    value: "number",
    variants: [
      "{当年|年度|本年}{项目}?预算{金额|数|资金|总额}?",
      "项目{年度}?预算{金额|数}?",
      "{当年|年度}?资金总额",
      "项目金额",
    ],
    weak: ["项目资金", "预算金额"],
  },
  budgetLocal: { label: "本级安排", value: "number", variants: ["本级{安排|资金|财政资金|财力}?"] },
  budgetSuperior: { label: "上级补助", value: "number", variants: ["上级{补助|资金|转移支付}{资金}?"] },
  overview: { label: "项目概况", value: "prose", variants: ["项目{概况|概述|简介|基本情况}"] },
  basis: { label: "立项依据", value: "prose", variants: ["{项目}?立项{依据|背景}"] },
  schedule: { label: "当年实施进度计划", value: "prose", variants: ["{当年|年度|本年}?{项目}?{实施}?进度{计划|安排}"] },
  measures: { label: "管理措施", value: "prose", variants: ["{项目}?{管理|保障}措施"] },
  midTermGoal: {
    label: "三年中期规划绩效目标",
    value: "prose",
    variants: ["{三年}?中期{规划}?{项目}?绩效目标", "中期目标", "中长期绩效目标"],
  },
  annualGoal: {
    label: "当年绩效目标",
    value: "prose",
    variants: ["{当年|年度|本年}{项目}?绩效目标", "项目绩效目标", "{当年|年度|本年}目标"],
    weak: ["绩效目标"],
  },
  budgetExecutionWeight: { label: "预算执行率权重", value: "number", variants: ["预算执行率{权重|分值}"], weak: ["预算执行率"] },
  departmentName: {
    label: "部门（单位）名称",
    value: "text",
    // 单位名称 is the name of the 部门（单位） whose overall table this is (ADR 023).
    variants: ["部门{(单位)}?名称", "部门(单位)", "部门单位名称", "单位名称", "预算部门名称"],
    weak: ["部门"],
  },
  departmentBudget: {
    label: "部门支出预算数",
    value: "number",
    variants: ["部门{(单位)}?{支出}?预算{支出}?{数|总额}", "部门{支出}?预算", "预算支出总额", "部门预算总额"],
  },
  overallGoal: { label: "整体绩效目标", value: "prose", variants: ["{当年|年度}?{部门}?{(单位)}?整体绩效目标"] },
  overallMidTermGoal: { label: "中期整体绩效目标", value: "prose", variants: ["中期{部门}?{(单位)}?整体绩效目标"] },
  departmentFunds: { label: "总体资金情况", value: "none", variants: ["{总体|部门整体}资金情况"] },
  unit: { label: "编制单位", value: "text", variants: ["{编制|填报|预算|实施|申报}单位"] },
  year: { label: "年度", value: "year", variants: ["预算年度"], weak: ["年度"] },
  footer: {
    label: "其他说明",
    value: "none",
    variants: ["其他说明", "备注", "{填报|填表}说明", "填表人", "填报人", "联系电话", "联系人", "审核人"],
    weak: ["说明", "负责人"],
  },
};

export const HEADER_FIELD_KEYS = Object.keys(HEADER_FIELDS) as HeaderField[];

const FIELD_BY_LABEL = new Map<string, HeaderField>();
const WEAK_LABELS = new Set<string>();
function addLabel(map: Map<string, string>, key: string, label: string, what: string) {
  const prev = map.get(label);
  if (prev !== undefined && prev !== key) throw new Error(`${what}「${label}」names both ${prev} and ${key}`);
  map.set(label, key);
}
for (const key of HEADER_FIELD_KEYS) {
  const f = HEADER_FIELDS[key];
  for (const p of f.variants) for (const v of expandVariants(p)) addLabel(FIELD_BY_LABEL, key, v, "label");
  for (const w of f.weak ?? []) {
    addLabel(FIELD_BY_LABEL, key, w, "label");
    WEAK_LABELS.add(w);
  }
}

/** Every label variant after expansion, by field (for tests and documentation). */
export function labelVariants(field: HeaderField): string[] {
  const f = HEADER_FIELDS[field];
  return [...f.variants.flatMap(expandVariants), ...(f.weak ?? [])];
}

/** Labels longer than this are never a header label (cheap rejection of prose). */
export const MAX_LABEL_CHARS = 20;

/** The header field a label names (`当年预算（万元）` → budgetTotal), or null. */
export function headerFieldOf(text: string | null | undefined): HeaderField | null {
  const k = labelKey(text);
  if (!k || k.length > MAX_LABEL_CHARS) return null;
  return FIELD_BY_LABEL.get(k) ?? null;
}

/** True when the label is one of the weak variants (see FieldWords.weak). */
export function isWeakLabel(text: string | null | undefined): boolean {
  return WEAK_LABELS.has(labelKey(text));
}

/** Fields that only a 部门（单位）整体绩效目标表 has. */
export const DEPARTMENT_ONLY_FIELDS: ReadonlySet<HeaderField> = new Set<HeaderField>([
  "departmentName",
  "departmentBudget",
  "overallGoal",
  "overallMidTermGoal",
  "departmentFunds",
]);

/** Labels written by the exporters (the official wording, units included). */
export const EXPORT_LABELS = {
  projectName: "项目名称",
  projectCode: "项目编码",
  department: "业务主管部门",
  category: "项目分类",
  financeOffice: "财政归口科室",
  budgetExecutionWeight: "预算执行率权重",
  budgetTotal: "当年预算（万元）",
  budgetLocal: "本级安排（万元）",
  budgetSuperior: "上级补助（万元）",
  overview: "项目概述",
  basis: "立项依据",
  schedule: "当年实施进度计划",
  measures: "管理措施",
  midTermGoal: "三年中期规划绩效目标",
  annualGoal: "当年绩效目标",
  departmentName: "部门（单位）名称",
  departmentBudget: "部门支出预算数（万元）",
  overallGoal: "当年整体绩效目标",
  departmentMidTermGoal: "中期绩效目标",
  unit: "编制单位",
} as const;

// ---------------------------------------------------------------------------------------
// Indicator grid columns

/** A column of the indicator grid; `label` is the row-label column (绩效指标), `ignore` 序号/备注. */
export type GridColumn = "label" | "level1" | "level2" | "name" | "weight" | "unit" | "operator" | "target" | "core" | "ignore";

export const GRID_COLUMN_WORDS: Record<GridColumn, string[]> = {
  label: ["{年度}?绩效指标", "绩效目标指标"],
  level1: ["一级{指标}?{名称}?"],
  level2: ["二级{指标}?{名称}?"],
  name: ["三级{指标}?{名称}?", "指标{名称|内容}?", "绩效指标名称", "具体指标"],
  weight: ["{指标}?{权重|分值}{分值|分}?"],
  unit: ["{计量|度量|指标}?单位"],
  operator: ["{指标|指标值}?{性质|方向}", "{计算|比较|运算}?符号", "{比较|运算}符"],
  target: [
    "{年度|当年|预期|绩效}?{指标|目标}值",
    "{年度}?{指标|目标}值(目标值)",
    "指标目标{值}?",
  ],
  core: ["核心{指标}?", "是否{为}?核心{指标}?"],
  ignore: ["序号", "备注", "说明"],
};

const COLUMN_BY_WORD = new Map<string, GridColumn>();
for (const key of Object.keys(GRID_COLUMN_WORDS) as GridColumn[]) {
  for (const p of GRID_COLUMN_WORDS[key]) for (const v of expandVariants(p)) addLabel(COLUMN_BY_WORD, key, v, "column");
}

/** Column headers longer than this are never a column header. */
export const MAX_COLUMN_CHARS = 16;

/**
 * The grid column a header cell names (`指标\n权重（分）` → weight, `度量单位` → unit), or
 * null. A final bracket the list does not know (`指标值（目标值）` is known) is ignored.
 */
export function gridColumnOf(text: string | null | undefined): GridColumn | null {
  const k = labelKey(text);
  if (!k) return null;
  const hit = k.length <= MAX_COLUMN_CHARS ? COLUMN_BY_WORD.get(k) : undefined;
  if (hit) return hit;
  const bare = withoutTrailingParens(k);
  return bare !== k && bare.length <= MAX_COLUMN_CHARS ? (COLUMN_BY_WORD.get(bare) ?? null) : null;
}

/**
 * The text without a final `(…)` (as `/\([^)]*\)$/` would remove, without its quadratic
 * rescans of `((((…`): from the first `(` after the last-but-one `)`.
 */
function withoutTrailingParens(s: string): string {
  if (!s.endsWith(")")) return s;
  const prev = s.lastIndexOf(")", s.length - 2);
  const open = s.indexOf("(", prev + 1);
  return open >= 0 && open < s.length - 1 ? s.slice(0, open) : s;
}

export type ExportColumn = Exclude<GridColumn, "ignore">;

/** Column headers written by the exporters, in the published (002) order. */
export const EXPORT_GRID_COLUMNS: ReadonlyArray<{ key: ExportColumn; header: string }> = [
  { key: "label", header: "绩效指标" },
  { key: "level1", header: "一级指标" },
  { key: "level2", header: "二级指标" },
  { key: "name", header: "三级指标" },
  { key: "weight", header: "指标权重" },
  { key: "unit", header: "计量单位" },
  { key: "operator", header: "指标性质" },
  { key: "target", header: "指标值" },
  { key: "core", header: "是否核心指标" },
];

/**
 * Column orders of the published layouts, for rows that come without a header (a pasted
 * selection), by their number of cells.
 */
export const PUBLISHED_LAYOUTS: Readonly<Record<number, ReadonlyArray<ExportColumn>>> = {
  // 002: 绩效指标 | 一级 | 二级 | 三级 | 权重 | 单位 | 性质 | 值 | 核心
  9: ["label", "level1", "level2", "name", "weight", "unit", "operator", "target", "core"],
  8: ["level1", "level2", "name", "weight", "unit", "operator", "target", "core"],
  7: ["level1", "level2", "name", "weight", "unit", "operator", "target"],
  // 001: 指标名称 | 权重 | 性质 | 值 | 单位 | 核心
  6: ["name", "weight", "operator", "target", "unit", "core"],
  // 000: 指标 | 权重 | 单位 | 性质 | 值
  5: ["name", "weight", "unit", "operator", "target"],
};

// ---------------------------------------------------------------------------------------
// `CODE-名称`

/**
 * The one rule for `CODE-名称` (单位, 主管部门, 归口科室): a code of 1–32 letters and digits
 * with at least one digit, then `-` (or － — –), then the name, spaces allowed around the
 * dash. `531-重庆市…` → {code: "531", name: "重庆市…"}; `402-` → {code: "402", name: null};
 * anything else is a name without a code. ADR 023 explains why 1–32 with a digit.
 */
export const CODE_MAX_CHARS = 32;

const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigit = (c: number) => c >= 48 && c <= 57;
const DASHES = "-－—–";
const isSpaceChar = (ch: string) => ch === " " || ch === "\t" || ch === "\u3000" || ch === "\u00a0" || ch === "\n" || ch === "\r";

/** The code at the start of `t` and where its name starts, or null (shared by the two rules below). */
function codePrefix(t: string, min: number, dashes: string): { code: string; rest: number; digitRun: number } | null {
  let i = 0;
  let run = 0;
  let digitRun = 0;
  while (i < t.length && i <= CODE_MAX_CHARS && isAlnum(t.charCodeAt(i))) {
    run = isDigit(t.charCodeAt(i)) ? run + 1 : 0;
    if (run > digitRun) digitRun = run;
    i++;
  }
  if (i < min || i > CODE_MAX_CHARS || digitRun === 0) return null;
  let j = i;
  while (j < t.length && isSpaceChar(t[j])) j++;
  if (j >= t.length || !dashes.includes(t[j])) return null;
  j++;
  while (j < t.length && isSpaceChar(t[j])) j++;
  return { code: t.slice(0, i), rest: j, digitRun };
}

/** Splits `CODE-名称` (see CODE_MAX_CHARS); null for empty text. */
export function splitCodeName(text: string | null | undefined): CodeName | null {
  const t = (text ?? "").trim();
  if (!t) return null;
  const p = codePrefix(t, 1, DASHES);
  if (p) return { code: p.code, name: t.slice(p.rest).trim() || null };
  return { code: null, name: t };
}

/** `CODE-名称` as the exporters write it: `code-name`, `code-` or `name`. */
export function formatCodeName(cn: { code: string | null; name: string | null } | null | undefined): string {
  if (!cn) return "";
  const code = cn.code?.trim() || "";
  const name = cn.name?.trim() || "";
  if (code && name) return `${code}-${name}`;
  if (code) return `${code}-`;
  return name;
}

/** A project code written before a project name: 8–32 letters and digits with six digits in a row. */
export const PROJECT_CODE_MIN_CHARS = 8;

/**
 * The project name and code of a 项目名称 cell that may start with the code
 * (`50011021T000000052342-参战参核军人生活补助`). `code` is the 项目编码 field, if any: a
 * prefix equal to it is removed; a different long code is reported as `conflict` (the
 * 项目编码 field wins).
 */
export function splitProjectName(
  nameText: string | null | undefined,
  code: string | null | undefined,
): { name: string | null; code: string | null; conflict: string | null } {
  const t = (nameText ?? "").trim();
  const c = code?.trim() || null;
  if (!t) return { name: null, code: c, conflict: null };
  if (c && t.startsWith(c)) {
    const p = codePrefix(t, 1, DASHES + "_");
    if (p && p.code === c) return { name: t.slice(p.rest).trim() || null, code: c, conflict: null };
  }
  const p = codePrefix(t, PROJECT_CODE_MIN_CHARS, DASHES + "_");
  if (!p || p.digitRun < 6 || p.rest >= t.length) return { name: t, code: c, conflict: null };
  const name = t.slice(p.rest).trim();
  if (!c) return { name, code: p.code, conflict: null };
  return { name, code: c, conflict: p.code === c ? null : p.code };
}

// ---------------------------------------------------------------------------------------
// 一级/二级 names (taxonomy.ts)

const LEVEL_NAMES = [...Object.keys(ALL_LEVELS_TAXONOMY), ...Object.values(ALL_LEVELS_TAXONOMY).flat()];
const LEVEL_FIRST_CHARS = new Set<string>([...LEVEL_NAMES, "效果指标", "服务对象满意度", "社会公众或服务对象满意度"].map((n) => n[0]));
/** Level names that do not end in 指标 (履职效能, 预算管理…): looked for as they are. */
const PLAIN_LEVEL_NAMES = [...new Set(LEVEL_NAMES.filter((n) => !n.endsWith("指标")))];

/** Longest level names tried as a prefix. */
const MAX_LEVEL_CHARS = 14;

/**
 * The longest level name written in full at `from`: a name that ends in 指标 ends at an
 * occurrence of 指标 (or is one of the few plain names), so only those ends are tried.
 */
function levelPrefix(text: string, from: number, level: 1 | 2): { value: string; end: number } | null {
  let best: { value: string; end: number } | null = null;
  const consider = (end: number) => {
    if (best && end <= best.end) return;
    const p = text.slice(from, end);
    const r = level === 1 ? normalizeLevel1(p) : normalizeLevel2(p);
    // A name as written in full (产出指标, 履职效能), not an abbreviation (产出 of 产出数量).
    if (r.known && r.value !== null && (p.endsWith("指标") || r.value === p)) best = { value: r.value, end };
  };
  for (let k = text.indexOf("指标", from); k >= 0 && k + 2 - from <= MAX_LEVEL_CHARS; k = text.indexOf("指标", k + 2)) consider(k + 2);
  for (const n of PLAIN_LEVEL_NAMES) if (text.startsWith(n, from)) consider(from + n.length);
  return best;
}

/**
 * The 一级 and 二级 names that begin a cell whose separators were lost
 * (`效益指标社会效益指标群众知晓率 95%` → 效益指标, 社会效益指标, `群众知晓率 95%`), or null
 * when the text does not begin with a level name written in full or is one name alone
 * (`效益指标社会效益指标` gives both names and an empty rest).
 * The text is expected without spaces between Chinese characters.
 */
export function splitLevelPrefix(text: string): { level1: string | null; level2: string | null; rest: string } | null {
  const t = text.trim();
  if (t.length < 4 || !LEVEL_FIRST_CHARS.has(t[0])) return null;
  let at = 0;
  let level1: string | null = null;
  let level2: string | null = null;
  const l1 = levelPrefix(t, at, 1);
  if (l1) {
    level1 = l1.value;
    at = l1.end;
    while (at < t.length && isSpaceChar(t[at])) at++;
  }
  if (at < t.length && LEVEL_FIRST_CHARS.has(t[at])) {
    const l2 = levelPrefix(t, at, 2);
    if (l2) {
      level2 = l2.value;
      at = l2.end;
    }
  }
  const rest = t.slice(at).trim();
  // Both levels with nothing after them (`效益指标社会效益指标`) are a cell of two.
  if (!level1 && !level2) return null;
  if (!rest && !(level1 && level2)) return null;
  return { level1, level2, rest };
}

// ---------------------------------------------------------------------------------------
// Budget words in prose (`2023 年该项目预算 320 万元，其中上级补助 120 万元`)

/**
 * Words before an amount in prose that say which part of the budget it is. The split words
 * are the header labels of 本级安排 / 上级补助 with the ones prose uses besides.
 */
export const PROSE_BUDGET_WORDS: Readonly<Record<"budgetLocal" | "budgetSuperior" | "budgetTotal", readonly string[]>> = {
  budgetSuperior: ["上级补助", "上级资金", "上级转移支付", "上级专项", "中央补助", "中央资金", "市级补助", "省级补助", "上级"],
  budgetLocal: ["本级安排", "本级资金", "本级财政", "本级财力", "本级配套", "本级"],
  budgetTotal: ["预算", "资金总额", "安排资金", "总额", "共计", "合计"],
};

/** Money units in prose and their factor to 万元 (the unit of every budget field). */
export const MONEY_UNITS: ReadonlyArray<{ unit: string; shift: number }> = [
  { unit: "亿元", shift: 4 },
  { unit: "万元", shift: 0 },
  { unit: "元", shift: -4 },
];

// ---------------------------------------------------------------------------------------
// 定性 written in the value cell

const QUALITATIVE_WORDS = [...OPERATOR_VARIANTS["定性"]].sort((a, b) => b.length - a.length);

/**
 * The level of a 定性 target written with its operator in one cell (`定性：建成 3 个示范村`,
 * `定性 优`), or null. The level is kept as written, digits included.
 */
export function qualitativeTarget(text: string | null | undefined): string | null {
  if (!text) return null;
  const t = text.trim();
  const w = QUALITATIVE_WORDS.find((v) => t.startsWith(v));
  if (!w) return null;
  let i = w.length;
  let sep = false;
  while (i < t.length && (isSpaceChar(t[i]) || t[i] === ":" || t[i] === "：" || t[i] === "|")) {
    sep = true;
    i++;
  }
  const rest = t.slice(i).trim();
  return sep && rest ? rest : null;
}
