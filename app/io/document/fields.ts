// Header fields of 项目绩效目标表 and 部门（单位）整体绩效目标表: reading `key | value | key |
// value` rows. The words that name the fields are the shared vocabulary's
// (app/domain/vocabulary.ts). Pure TypeScript.
import { parseDecimal } from "~/domain/values";
import { DEPARTMENT_ONLY_FIELDS, HEADER_FIELDS, headerFieldOf, isWeakLabel, type FieldValue, type HeaderField } from "~/domain/vocabulary";
import { cleanInline, isVerticalFragment, memo, stripMarkup } from "./text";

/** The header fields a document table has: the vocabulary's, less the footer (其他说明…: end markers here). */
export type FieldKey = Exclude<HeaderField, "footer">;

export const PROSE_FIELDS: ReadonlySet<FieldKey> = new Set(
  (Object.keys(HEADER_FIELDS) as HeaderField[]).filter((k): k is FieldKey => HEADER_FIELDS[k].value === "prose"),
);

/** Keys that only a 部门整体 table has. */
export const DEPARTMENT_FIELDS: ReadonlySet<FieldKey> = DEPARTMENT_ONLY_FIELDS as ReadonlySet<FieldKey>;

/** The field a header cell names, or null (app/domain/vocabulary.ts holds the words). */
export function fieldOf(cell: string): FieldKey | null {
  if (cell.length === 0 || cell.length > 80) return null;
  const c = cell.charCodeAt(0);
  if (c >= 48 && c <= 57) return null; // a number
  return fieldOfMemo(cell);
}

const fieldOfMemo = memo((cell: string): FieldKey | null => {
  const f = headerFieldOf(stripMarkup(cell));
  return f === "footer" ? null : f;
});

const weakMemo = memo((cell: string): boolean => isWeakLabel(stripMarkup(cell)));

export function fieldValueKind(key: FieldKey): FieldValue {
  return HEADER_FIELDS[key].value;
}

/** The field's name in messages. */
export function fieldLabel(key: FieldKey): string {
  return HEADER_FIELDS[key].label;
}

export interface FieldHit {
  key: FieldKey;
  /** Raw cell text of the value (cells joined by a line break), "" when the cell was empty. */
  value: string;
  /** True when the value is acceptable for the field (a number for amounts…). */
  valid: boolean;
  /** True when the label is a weak one (部门, 预算执行率…): a field only inside a header block. */
  weak: boolean;
}

/** Splits `项目名称：XXX` written in one cell. */
function splitInlineKey(cell: string): { key: FieldKey; value: string; label: string } | null {
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
  return key ? { key, value, label } : null;
}

function validate(key: FieldKey, value: string): boolean {
  const kind = fieldValueKind(key);
  const v = cleanInline(value);
  if (v === "") return true;
  switch (kind) {
    case "number":
      return parseDecimal(v) !== null;
    case "code":
      // What the editor accepts (app/domain/table-form.ts): letters, digits and hyphens, up to
      // 40, with at least one letter or digit. A published table's own code may be short.
      return /^[0-9A-Za-z-]{1,40}$/.test(v) && /[0-9A-Za-z]/.test(v);
    case "year":
      return yearValue(v) !== null;
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

  const hits: Array<{ key: FieldKey; parts: string[]; weak: boolean }> = [];
  let cur: { key: FieldKey; parts: string[]; weak: boolean } | null = null;
  for (let i = first; i < cells.length; i++) {
    const c = cells[i].trim();
    const key = fieldOf(c);
    if (key) {
      cur = { key, parts: [], weak: weakMemo(c) };
      hits.push(cur);
      continue;
    }
    const inline = splitInlineKey(c);
    if (inline) {
      cur = { key: inline.key, parts: [inline.value], weak: weakMemo(inline.label) };
      hits.push(cur);
      continue;
    }
    if (c !== "" && cur) cur.parts.push(c);
  }
  const out: FieldHit[] = hits.map((h) => {
    const value = h.parts.join("\n");
    return { key: h.key, value, valid: validate(h.key, value), weak: h.weak };
  });
  return out;
}

/** A year as written in a 年度 field (`2023`, `2023年`, `2023 年度`), or null. */
export function yearValue(text: string): number | null {
  const t = cleanInline(text).replace(/\s+/g, "");
  if (t.length < 4 || t.length > 6) return null;
  const y = t.slice(0, 4);
  const rest = t.slice(4);
  if (!/^(?:19|20)\d\d$/.test(y) || (rest !== "" && rest !== "年" && rest !== "年度")) return null;
  return Number(y);
}
