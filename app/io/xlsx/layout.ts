// The layout of a 绩效目标表 in Excel, shared by the exporter and the importer:
// header labels (and the variants found in hand-made templates), indicator-grid column
// headers, sheet-name rules and the `CODE-名称` convention.
//
// No I/O: plain TypeScript, usable wherever exceljs is.
import { cleanCell } from "../../domain/taxonomy";

export const FONT_NAME = "宋体";
export const INDEX_SHEET_NAME = "目录";

/** Keys of the header block (project and department tables). */
export type HeaderKey =
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
  | "unit"
  | "year"
  | "footer";

/** Labels written by the exporter (the official wording). */
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
} as const;

/**
 * Header labels as found in published tables and hand-made templates, after
 * `normLabel` (no spaces, half width, no markup, no "(万元)"-style suffix, no colon).
 */
const LABELS: Record<string, HeaderKey> = {};
function label(key: HeaderKey, ...names: string[]) {
  for (const n of names) LABELS[n] = key;
}
label("projectName", "项目名称", "项目全称");
label("projectCode", "项目编码", "项目编号", "项目代码");
label("department", "主管部门", "业务主管部门", "项目主管部门", "主管部门及代码", "主管单位");
label("category", "项目分类", "项目类别", "项目类型", "项目属性");
label("financeOffice", "财政归口科室", "归口科室", "财政归口处室", "归口处室", "财政对口科室");
label("budgetTotal", "当年预算", "当年预算金额", "当年预算数", "年度预算", "年度预算金额", "项目资金", "项目金额", "预算金额", "资金总额", "项目预算");
label("budgetLocal", "本级安排", "本级资金", "本级财政资金");
label("budgetSuperior", "上级补助", "上级资金", "上级补助资金");
label("overview", "项目概述", "项目概况", "项目简介", "项目基本情况");
label("basis", "立项依据", "项目立项依据");
label("schedule", "当年实施进度计划", "实施进度计划", "进度计划", "项目实施进度计划");
label("measures", "管理措施", "项目管理措施");
label("midTermGoal", "三年中期规划绩效目标", "中期绩效目标", "中期目标", "三年中期绩效目标", "中长期绩效目标", "中期规划绩效目标");
label("annualGoal", "当年绩效目标", "年度绩效目标", "绩效目标", "项目绩效目标", "年度目标");
label("budgetExecutionWeight", "预算执行率权重", "预算执行率", "预算执行率分值");
label("departmentName", "部门名称", "部门(单位)名称", "部门(单位)", "部门单位名称", "部门");
label("departmentBudget", "部门支出预算数", "部门预算数", "部门支出预算", "预算支出总额", "部门预算");
label("overallGoal", "当年整体绩效目标", "整体绩效目标", "部门整体绩效目标", "年度整体绩效目标");
label("unit", "编制单位", "填报单位", "申报单位", "预算单位", "单位名称");
label("year", "年度", "预算年度");
label("footer", "其他说明", "备注", "说明", "填报说明", "填表说明", "填表人", "填报人", "联系电话", "审核人", "负责人");

/** Normalises a header label: `当年预算 （万元）` → `当年预算`, `<b>管理措施</b>` → `管理措施`. */
export function normLabel(text: string): string {
  return cleanCell(text)
    .replace(/^[*＊]+|[*＊]+$/g, "")
    .replace(/\((?:万元|元|分|%|％)\)$/, "")
    .replace(/\((?:单位)?[:：]?万元\)$/, "");
}

/** The header key of a label text, or null. */
export function headerKeyOf(text: string): HeaderKey | null {
  const n = normLabel(text);
  if (!n) return null;
  return LABELS[n] ?? null;
}

/** Cells around the header block that carry no data (titles, "单位：万元", "(一级项目)"). */
export function isDecoration(text: string): boolean {
  const n = cleanCell(text);
  if (!n) return true;
  return (
    /绩效目标(?:表|申报表)$/.test(n) ||
    /^(?:金额)?单位[:：]?(?:万元|元)?$/.test(n) ||
    /^(?:金额)?单位[:：](?:万元|元)$/.test(n) ||
    /^表\d+$/.test(n) ||
    /^表[一二三四五六七八九十百]+$/.test(n) ||
    /^[(（][^)）]*项目[)）]$/.test(n) ||
    /^(?:年度)?绩效指标$/.test(n) ||
    n === "返回目录"
  );
}

/** A title cell (`2026年项目支出绩效目标表`, `部门（单位）整体绩效目标表`). */
export function isTitle(text: string): boolean {
  return /绩效目标(?:表|申报表)/.test(cleanCell(text)) && cleanCell(text).length <= 60;
}

// ---------------------------------------------------------------------------------------
// Indicator grid

export type GridKey = "level1" | "level2" | "name" | "weight" | "unit" | "operator" | "target" | "core";

/** Column headers written by the exporter, in the published (002) order. */
export const GRID_COLUMNS: Array<{ key: GridKey | "label"; header: string }> = [
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

const GRID_HEADERS: Record<string, GridKey | "fallbackName" | "ignore"> = {};
function grid(key: GridKey | "fallbackName" | "ignore", ...names: string[]) {
  for (const n of names) GRID_HEADERS[n] = key;
}
grid("level1", "一级指标", "一级", "一级指标名称");
grid("level2", "二级指标", "二级", "二级指标名称");
grid("name", "三级指标", "三级", "三级指标名称", "指标名称", "指标", "绩效指标名称", "指标内容", "具体指标");
grid("weight", "指标权重", "权重", "分值", "指标分值", "权重分值", "权重分");
grid("unit", "计量单位", "单位", "度量单位", "指标单位");
grid("operator", "指标性质", "性质", "指标方向", "符号", "比较符", "运算符", "指标值性质");
grid("target", "指标值", "目标值", "年度指标值", "指标目标值", "年度目标值", "当年指标值", "绩效目标值", "指标值(目标值)");
grid("core", "是否核心指标", "是否核心", "核心指标", "是否为核心指标");
grid("fallbackName", "绩效指标");
grid("ignore", "序号", "备注", "说明");

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

/** Normalises a grid column header: `指标\n权重（分）` → `指标权重`. */
export function normGridHeader(text: string): string {
  return withoutTrailingParens(cleanCell(text)).replace(/^[*＊]+/, "");
}

export function gridKeyOf(text: string): GridKey | "fallbackName" | "ignore" | null {
  const n = normGridHeader(text);
  if (!n) return null;
  return GRID_HEADERS[n] ?? GRID_HEADERS[cleanCell(text)] ?? null;
}

// ---------------------------------------------------------------------------------------
// `CODE-名称`

const CODE_NAME = /^(?=[0-9A-Za-z]*\d)([0-9A-Za-z]{3,32})\s*[-－—–]\s*([\s\S]*)$/;
/** Long project codes prefixed to a name: `50011021T000000052342-参战参核军人生活补助`. */
const PROJECT_CODE_PREFIX = /^(?=[0-9A-Za-z]*\d)([0-9A-Za-z]{10,32})\s*[-－—–]\s*([\s\S]+)$/;

export function formatCodeName(cn: { code: string | null; name: string | null } | null | undefined): string {
  if (!cn) return "";
  const code = cn.code?.trim() || "";
  const name = cn.name?.trim() || "";
  if (code && name) return `${code}-${name}`;
  if (code) return `${code}-`;
  return name;
}

/** `402-重庆市南岸区经济和信息化委员会` → {code: "402", name: "重庆市…"}; plain text → {code: null, name}. */
export function parseCodeName(text: string | null): { code: string | null; name: string | null } | null {
  if (text == null) return null;
  const t = text.trim();
  if (!t) return null;
  const m = CODE_NAME.exec(t);
  if (m) return { code: m[1], name: m[2].trim() || null };
  return { code: null, name: t };
}

/** Splits a project code off a name (`CODE-名称`), only for long codes. */
export function splitProjectCode(text: string): { code: string | null; name: string } {
  const m = PROJECT_CODE_PREFIX.exec(text.trim());
  if (m) return { code: m[1], name: m[2].trim() };
  return { code: null, name: text.trim() };
}

// ---------------------------------------------------------------------------------------
// Sheet names

const INVALID_SHEET_CHARS = /[\[\]:*?/\\\u0000-\u001f]/g;

/**
 * A valid, unique worksheet name: at most 31 characters, none of []:*?/\ or ', unique
 * ignoring case (Excel compares names case-insensitively).
 * `taken` holds the lower-cased names already used and is updated.
 */
export function uniqueSheetName(wanted: string, taken: Set<string>): string {
  // Apostrophes are allowed by Excel except at the ends, but exceljs writes print areas of such
  // sheets without escaping them (a file it cannot read back): use a typographic one.
  let base = wanted.replace(INVALID_SHEET_CHARS, "_").replace(/'/g, "’").replace(/\s+/g, " ").trim();
  if (!base || base.toLowerCase() === "history") base = "表";
  const fit = (s: string, max: number) => {
    const chars = Array.from(s);
    let out = "";
    for (const ch of chars) {
      if (out.length + ch.length > max) break;
      out += ch;
    }
    return out.trim() || "表";
  };
  let name = fit(base, 31);
  for (let i = 2; taken.has(name.toLowerCase()); i++) {
    const suffix = `(${i})`;
    name = fit(base, 31 - suffix.length) + suffix;
  }
  taken.add(name.toLowerCase());
  return name;
}

/** A sheet reference for formulas: `'1 参战参核'!A1`. */
export function sheetRef(name: string, cell = "A1"): string {
  return `'${name.replace(/'/g, "''")}'!${cell}`;
}
