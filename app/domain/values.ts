// Parsing of indicator values as written in published tables (docs/domain.md §3):
//   separate cells `≥ | 15 | 家`; inline `≥15 家`, `≤2500 万`, `100%`, `$\geq 90\%$`,
//   `1800 个` (no operator means "="), `不低于95%`, `90%以上`; thousands separators
//   `1,300.00`; stray spaces `30. 85`; full-width characters; qualitative text `合规`.
// The result is {operator, value (canonical exact decimal string), unit, raw}.
// Anything that cannot be read is reported (ok: false, Chinese message), never guessed.
// Pure TypeScript: no I/O.
import { parseDecimal, toHalfWidth } from "./decimal";
import { replaceTags, trimEndWith } from "./linear-text";
import { OPERATOR_PREFIXES, cleanCell, normalizeOperator, type Operator } from "./taxonomy";

export { parseDecimal };

/** A parsed indicator value. */
export type ParsedValue =
  | {
      ok: true;
      operator: Operator;
      /** Canonical exact decimal ("1300", "30.85"); null for 定性. */
      value: string | null;
      /** Unit as written ("家", "%", "万元"); null when none. */
      unit: string | null;
      /** The input text (cells joined by " | " for parseCells). */
      raw: string;
      /** True for 定性 (the target is a level such as 优, 达标, 及时报备). */
      qualitative: boolean;
      /** For 定性: the level text, cleaned. Null for quantitative values. */
      text: string | null;
    }
  | { ok: false; raw: string; error: string };

/** Cell contents that mean "nothing here". */
const EMPTY_CELL = /^(?:-|—|–|－|\/|／|无|空)?$/;

/** Units that mean "no unit" (qualitative tables write 其他 or leave it empty). */
export function normalizeUnit(unit: string | null | undefined): string | null {
  if (unit == null) return null;
  let u = replaceTags(latexToText(toHalfWidth(String(unit)))).trim();
  u = u.replace(/\s+/g, "");
  if (EMPTY_CELL.test(u)) return null;
  return u;
}

/** Strips TeX markup used for math in converted documents: `$\geq 90\%$` → `≥ 90%`. */
export function latexToText(text: string): string {
  return text
    .replace(/\\(?:geqslant|geq|ge)(?![a-zA-Z])/g, "≥")
    .replace(/\\(?:leqslant|leq|le)(?![a-zA-Z])/g, "≤")
    .replace(/\\(?:gt)(?![a-zA-Z])/g, ">")
    .replace(/\\(?:lt)(?![a-zA-Z])/g, "<")
    .replace(/\\%/g, "%")
    .replace(/\\(?:text|mathrm|mathbf|rm)\s*\{([^}]*)\}/g, "$1")
    .replace(/\\[,;: !]/g, " ")
    .replace(/\\(?:quad|qquad)(?![a-zA-Z])/g, " ")
    .replace(/[${}]/g, " ");
}

/** Suffixes that carry the operator: `90%以上` (≥), `2500万以内` / `以下` (≤). */
const OPERATOR_SUFFIXES: Array<[RegExp, Operator]> = [
  [/(?:及)?以上$/, "≥"],
  [/(?:及)?以下$/, "≤"],
  [/以内$/, "≤"],
];

/** Digits, separators and spaces that may form a number. */
const NUMBER_START = /^[+-]?\s*(?:\d|\.\d)/;
const NUMBER_SPAN = /^[+-]?[\d,.\s]*/;

function fail(raw: string, error: string): ParsedValue {
  return { ok: false, raw, error };
}

/** Units may contain digits only in forms like m2, m3, km2. */
function unitLooksValid(unit: string): boolean {
  return !/\d/.test(unit) || /^[A-Za-z]+[23]$/.test(unit) || /^[A-Za-z]+[23]?\/[^\d]+$/.test(unit);
}

/**
 * Parses one inline value cell: `≥15 家`, `≤2500 万`, `100%`, `$\geq 90\%$`, `1800 个`
 * (operator "="), `不低于95%`, `90%以上`, `1,300.00`, `30. 85`, or qualitative text
 * (`合规`, `及时报备`: operator 定性). Text with digits that is not "operator? number unit?"
 * (e.g. `约100`, `3-5次`) and a quantitative operator followed by non-numeric text are
 * reported (ok: false) — never guessed.
 */
export function parseValue(text: string | null | undefined): ParsedValue {
  return parseInline(text).result;
}

function parseInline(text: string | null | undefined): { result: ParsedValue; explicit: boolean } {
  const raw = text == null ? "" : String(text);
  let s = replaceTags(latexToText(toHalfWidth(raw)), " ").replace(/\s+/g, " ").trim();
  if (EMPTY_CELL.test(s)) return { explicit: false, result: fail(raw, "指标值为空") };

  // Leading operator (longest variant first).
  let operator: Operator | null = null;
  const compact = s.replace(/^\s+/, "");
  for (const [variant, op] of OPERATOR_PREFIXES) {
    if (compact.startsWith(variant)) {
      operator = op;
      s = compact.slice(variant.length).trim();
      break;
    }
  }
  // Trailing operator words.
  for (const [re, op] of OPERATOR_SUFFIXES) {
    if (re.test(s) && NUMBER_START.test(s)) {
      if (operator && operator !== op) {
        return { explicit: false, result: fail(raw, `指标值「${raw.trim()}」的比较符前后矛盾`) };
      }
      operator = op;
      s = s.replace(re, "").trim();
      break;
    }
  }

  if (NUMBER_START.test(s)) {
    const span = NUMBER_SPAN.exec(s)![0];
    // Trailing spaces and commas belong to nothing ("15 家", "100，").
    const numText = trimEndWith(span, ",");
    const value = parseDecimal(numText);
    if (value === null) return { explicit: false, result: fail(raw, `无法识别指标值「${raw.trim()}」中的数字「${numText.trim()}」`) };
    const rest = s.slice(numText.length).trim();
    const unit = normalizeUnit(rest);
    if (unit !== null && !unitLooksValid(unit)) {
      return { explicit: false, result: fail(raw, `无法识别指标值「${raw.trim()}」：数值后「${rest}」不是计量单位`) };
    }
    return { explicit: operator !== null, result: { ok: true, operator: operator ?? "=", value, unit, raw, qualitative: false, text: null } };
  }

  if (operator) {
    if (!s) return { explicit: false, result: fail(raw, `指标值「${raw.trim()}」只有比较符，没有数值`) };
    return { explicit: false, result: fail(raw, `比较符「${operator}」后应为数值，实为「${s}」`) };
  }
  if (/\d/.test(s)) {
    return { explicit: false, result: fail(raw, `无法识别指标值「${raw.trim()}」：含数字但不是“比较符 数值 单位”的形式`) };
  }
  const level = cleanCell(s);
  return { explicit: false, result: { ok: true, operator: "定性", value: null, unit: null, raw, qualitative: true, text: level } };
}

/**
 * Parses a value given in separate cells (指标性质 | 指标值 | 计量单位), e.g.
 * `parseCells("≥", "15", "家")`. Each cell may be null/empty. The operator cell accepts
 * every variant of `normalizeOperator`; the value cell may itself be inline (`≥90%`,
 * `1,300.00`) as long as it does not contradict the other cells. With 定性 the value cell
 * is the chosen level (any text). With no operator cell the value cell decides (a bare
 * number means "="). Errors are reported in Chinese, never guessed.
 */
export function parseCells(
  operator?: string | null,
  value?: string | null,
  unit?: string | null,
): ParsedValue {
  const raw = [operator, value, unit]
    .map((c) => (c == null ? "" : String(c).trim()))
    .filter((c) => c !== "")
    .join(" | ");
  const opText = operator == null ? "" : cleanCell(operator);
  const valText = value == null ? "" : String(value).trim();
  const unitCell = normalizeUnit(unit);

  let op: Operator | null = null;
  if (opText && !EMPTY_CELL.test(opText)) {
    op = normalizeOperator(opText);
    if (op === null) return fail(raw, `无法识别的指标性质「${String(operator).trim()}」`);
  }

  if (op === "定性") {
    const level = cleanCell(latexToText(toHalfWidth(valText)));
    if (EMPTY_CELL.test(level)) return fail(raw, "定性指标没有指标值");
    return { ok: true, operator: "定性", value: null, unit: unitCell, raw, qualitative: true, text: level };
  }

  const { result: inner, explicit: innerHadOperator } = parseInline(valText);
  if (!inner.ok) {
    if (EMPTY_CELL.test(valText.replace(/\s+/g, ""))) return fail(raw, "指标值为空");
    return fail(raw, op ? `指标性质为「${op}」，但指标值「${valText}」不是数值` : inner.error);
  }
  if (inner.qualitative) {
    if (op) return fail(raw, `指标性质为「${op}」，但指标值「${valText}」不是数值`);
    return { ...inner, raw, unit: unitCell };
  }
  // The value cell may carry its own operator (e.g. "≥90"): it must agree with the operator cell.
  let finalOp: Operator = inner.operator;
  if (op) {
    if (innerHadOperator && inner.operator !== op) {
      return fail(raw, `指标性质「${op}」与指标值「${valText}」中的比较符「${inner.operator}」不一致`);
    }
    finalOp = op;
  }
  let finalUnit = inner.unit;
  if (unitCell !== null) {
    if (finalUnit !== null && finalUnit !== unitCell) {
      return fail(raw, `计量单位「${unitCell}」与指标值「${valText}」中的单位「${finalUnit}」不一致`);
    }
    finalUnit = unitCell;
  }
  return { ok: true, operator: finalOp, value: inner.value, unit: finalUnit, raw, qualitative: false, text: null };
}

/** True when a 定性 target lists a scale instead of choosing a level (`优良中低差`, `是/否`). */
export function isQualitativeScale(text: string | null | undefined): boolean {
  if (!text) return false;
  const c = cleanCell(text);
  if (/^(?:是[/、或|]?否|否[/、或|]?是)$/.test(c)) return true;
  if (/^(?:优[/、]?良[/、]?中[/、]?(?:低[/、]?)?差|好[/、]?较好[/、]?一般[/、]?(?:较差[/、]?)?差)$/.test(c)) return true;
  if (/^(?:达标[/、或]不达标|合格[/、或]不合格|有[/、或]无)$/.test(c)) return true;
  // Any list of 3+ single-character grades separated by / or 、
  if (/^[优良中低差好坏](?:[/、][优良中低差好坏]){2,}$/.test(c)) return true;
  return false;
}
