// Header fields of 项目绩效目标表 and 部门（单位）整体绩效目标表: the dictionary of the words
// that name them, and reading `key | value | key | value` rows. Pure TypeScript.
import { parseDecimal } from "~/domain/values";
import { cleanInline, isVerticalFragment, keyOf, memo } from "./text";

export type FieldKey =
  | "name"
  | "code"
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
  | "deptName"
  | "deptBudget"
  | "deptGoal"
  | "deptMidTermGoal"
  | "deptFunds"
  | "unit";

/** What a field holds, for validating its value. */
type ValueKind = "text" | "prose" | "number" | "code" | "none";

interface FieldDef {
  key: FieldKey;
  re: RegExp;
  value: ValueKind;
}

/** Matched against `keyOf(cell)` (no spaces, half width, no `（万元）`, no trailing colon). */
const FIELDS: FieldDef[] = [
  { key: "name", re: /^项目(?:名称|全称)$/, value: "text" },
  { key: "code", re: /^项目(?:编码|编号|代码)$/, value: "code" },
  { key: "department", re: /^(?:项目)?(?:业务)?主管(?:部门|单位)(?:名称|及编码|编码及名称)?$/, value: "text" },
  { key: "category", re: /^项目(?:分类|类别|类型|属性)$/, value: "text" },
  { key: "financeOffice", re: /^(?:财政)?归口(?:管理)?(?:科室|处室)$/, value: "text" },
  {
    key: "budgetTotal",
    re: /^(?:(?:当年|年度|本年)(?:项目)?预算(?:金额|数|资金|总额)?|项目(?:年度)?预算(?:金额|数)?|(?:当年|年度)资金总额|预算金额)$/,
    value: "number",
  },
  { key: "budgetLocal", re: /^本级(?:安排|资金|财政资金|财力)?$/, value: "number" },
  { key: "budgetSuperior", re: /^上级(?:补助|资金|转移支付)(?:资金)?$/, value: "number" },
  { key: "overview", re: /^项目(?:概况|概述|简介|基本情况)$/, value: "prose" },
  { key: "basis", re: /^(?:项目)?立项(?:依据|背景)$/, value: "prose" },
  { key: "schedule", re: /^(?:当年|年度|本年)?(?:项目)?(?:实施)?进度(?:计划|安排)$/, value: "prose" },
  { key: "measures", re: /^(?:项目)?(?:管理|保障)措施$/, value: "prose" },
  { key: "midTermGoal", re: /^(?:三年)?中期(?:规划)?(?:项目)?绩效目标$/, value: "prose" },
  { key: "annualGoal", re: /^(?:(?:当年|年度|本年)(?:项目)?|项目)绩效目标$/, value: "prose" },
  { key: "budgetExecutionWeight", re: /^预算执行率(?:权重|分值)$/, value: "number" },
  { key: "deptName", re: /^(?:部门(?:\(单位\))?|单位|预算部门)名称$/, value: "text" },
  { key: "deptBudget", re: /^(?:部门(?:\(单位\))?(?:支出)?预算(?:支出)?(?:数|总额)|预算支出总额|部门预算总额)$/, value: "number" },
  { key: "deptGoal", re: /^(?:(?:当年|年度)?(?:部门)?(?:\(单位\))?整体绩效目标)$/, value: "prose" },
  { key: "deptMidTermGoal", re: /^中期(?:部门)?(?:\(单位\))?整体绩效目标$/, value: "prose" },
  { key: "deptFunds", re: /^(?:总体|部门整体)资金情况$/, value: "none" },
  { key: "unit", re: /^(?:编制|填报|预算|实施)单位$/, value: "text" },
];

const BY_KEY = new Map<FieldKey, FieldDef>(FIELDS.map((f) => [f.key, f]));

export const PROSE_FIELDS: ReadonlySet<FieldKey> = new Set(FIELDS.filter((f) => f.value === "prose").map((f) => f.key));

/** Keys that only a 部门整体 table has. */
export const DEPARTMENT_FIELDS: ReadonlySet<FieldKey> = new Set(["deptName", "deptBudget", "deptGoal", "deptMidTermGoal", "deptFunds"]);

/** The field a header cell names, or null. */
export function fieldOf(cell: string): FieldKey | null {
  if (cell.length === 0 || cell.length > 80) return null;
  const c = cell.charCodeAt(0);
  if (c >= 48 && c <= 57) return null; // a number
  return fieldOfMemo(cell);
}

const fieldOfMemo = memo((cell: string): FieldKey | null => {
  const k = keyOf(cell);
  if (!k || k.length > 20) return null;
  for (const f of FIELDS) if (f.re.test(k)) return f.key;
  return null;
});

export function fieldValueKind(key: FieldKey): ValueKind {
  return BY_KEY.get(key)!.value;
}

export interface FieldHit {
  key: FieldKey;
  /** Raw cell text of the value (cells joined by a line break), "" when the cell was empty. */
  value: string;
  /** True when the value is acceptable for the field (a number for amounts…). */
  valid: boolean;
}

/** Splits `项目名称：XXX` written in one cell. */
function splitInlineKey(cell: string): { key: FieldKey; value: string } | null {
  const colon = cell.search(/[:：]/);
  if (colon < 2 || colon > 24) return null;
  // As `/^\s*([^:：]{2,16}?)\s*[:：]\s*(\S[\s\S]*)$/` read it, without its quadratic
  // backtracking over spaces: 2–16 characters before the first colon, a value after it.
  const before = cell.slice(0, colon).trimStart();
  const label = before.trimEnd();
  if (before.length < 2 || label.length > 16) return null;
  const value = cell.slice(colon + 1).trim();
  if (value === "") return null;
  const key = fieldOf(label);
  return key ? { key, value } : null;
}

function validate(key: FieldKey, value: string): boolean {
  const kind = fieldValueKind(key);
  const v = cleanInline(value);
  if (v === "") return true;
  switch (kind) {
    case "number":
      return parseDecimal(v) !== null;
    case "code":
      return /^[0-9A-Za-z][0-9A-Za-z-]{4,}$/.test(v);
    case "none":
      return true;
    case "text":
      return fieldOf(v) === null && v.length <= 200;
    default:
      return true;
  }
}

/**
 * Reads a header-field row: `项目名称 | X | 主管部门 | Y`, `当年预算（万元） | 25.65 | | 本级安排 | 25.65`,
 * `<p><b>当年绩效目标</b></p> | …`. Returns null when the row is not a field row: its first
 * meaningful cell must name a field (a vertical label fragment such as `部 门 整` may precede
 * it). Callers check `valid`: a row whose every value is unacceptable (`项目编号 | 项目 | 总计`
 * in a financial table) is a field row only inside a header block.
 */
export function readFieldRow(cells: string[]): FieldHit[] | null {
  let first = -1;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i].trim();
    if (c === "") continue;
    if (isVerticalFragment(c) && fieldOf(c) === null) continue;
    first = i;
    break;
  }
  if (first < 0) return null;
  if (fieldOf(cells[first]) === null && !splitInlineKey(cells[first])) return null;

  const hits: Array<{ key: FieldKey; parts: string[] }> = [];
  let cur: { key: FieldKey; parts: string[] } | null = null;
  for (let i = first; i < cells.length; i++) {
    const c = cells[i].trim();
    const key = fieldOf(c);
    if (key) {
      cur = { key, parts: [] };
      hits.push(cur);
      continue;
    }
    const inline = splitInlineKey(c);
    if (inline) {
      cur = { key: inline.key, parts: [inline.value] };
      hits.push(cur);
      continue;
    }
    if (c !== "" && cur) cur.parts.push(c);
  }
  const out: FieldHit[] = hits.map((h) => {
    const value = h.parts.join("\n");
    return { key: h.key, value, valid: validate(h.key, value) };
  });
  return out;
}
