// Cell-level text helpers of the document importer: markup removal, whitespace repair
// and the key form used to recognise header words. Pure TypeScript (no I/O).
import { toHalfWidth } from "~/domain/decimal";

const ENTITIES: Record<string, string> = {
  nbsp: " ",
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  ldquo: "“",
  rdquo: "”",
  lsquo: "‘",
  rsquo: "’",
  mdash: "—",
  ndash: "–",
  middot: "·",
  hellip: "…",
  ge: "≥",
  le: "≤",
};

/** Decodes the HTML entities found in converted documents (`&nbsp;`, `&#8805;`, `&ge;`). */
export function decodeEntities(text: string): string {
  if (text.indexOf("&") < 0) return text;
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, body: string) => {
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[body.toLowerCase()] ?? m;
  });
}

/**
 * Removes markup from a cell: HTML tags (`<p>`, `<b>`, `<br>`; block ends become line
 * breaks), entities, Markdown emphasis (`**bold**`) and heading marks. Keeps line breaks.
 */
export function stripMarkup(text: string): string {
  let s = text;
  if (s.indexOf("<") < 0 && s.indexOf("&") < 0 && s.indexOf("*") < 0 && s.indexOf("_") < 0) return s;
  if (s.indexOf("<") >= 0) {
    s = s
      .replace(/<br\s*\/?>/gi, "\n")
      .replace(/<\/(?:p|div|li|tr|h[1-6])\s*>/gi, "\n")
      .replace(/<\/?[a-z][^<>]*>/gi, "");
  }
  s = decodeEntities(s);
  if (s.indexOf("*") >= 0) s = s.replace(/\*\*|__/g, "");
  return s;
}

const CJK = "\\u2e80-\\u2fff\\u3001-\\u303f\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uff01-\\uff0f\\uff1a-\\uff20\\uff3b-\\uff40\\uff5b-\\uff65“”‘’《》〈〉【】";
const CJK_SPACE_RE = new RegExp(`([${CJK}])\\s+(?=[${CJK}])`, "g");

/** Removes the spaces a PDF conversion leaves between two Chinese characters (`经济和 信息化`). */
export function joinCjk(text: string): string {
  return text.indexOf(" ") < 0 ? text : text.replace(CJK_SPACE_RE, "$1");
}

/**
 * A bounded memo for pure functions of a cell's text: documents repeat the same cells
 * (units, operators, level names, 是/否, header words) thousands of times.
 */
export function memo<T>(fn: (s: string) => T, limit = 50000): (s: string) => T {
  const cache = new Map<string, T>();
  return (s: string) => {
    if (s.length > 200) return fn(s);
    let v = cache.get(s);
    if (v === undefined && !cache.has(s)) {
      v = fn(s);
      if (cache.size >= limit) cache.clear();
      cache.set(s, v);
    }
    return v as T;
  };
}

const FULL_WIDTH_RE = /[\uff01-\uff5e\u3000\u00a0\u2212\u2013]/;

const NEEDS_CLEANING = /[\s<&*_]/;

/** A one-line cell value: no markup, whitespace collapsed, spaces between Chinese characters removed. */
export function cleanInline(text: string | null | undefined): string {
  if (text == null || text === "") return "";
  const t = String(text);
  if (!NEEDS_CLEANING.test(t)) return t;
  return joinCjk(stripMarkup(t).replace(/\s+/g, " ").trim());
}

/** Prose (项目概况, 立项依据…): no markup; paragraphs kept as line breaks; null when empty. */
export function cleanProse(text: string | null | undefined): string | null {
  if (text == null) return null;
  const lines = stripMarkup(String(text))
    .split(/\n/)
    .map((l) => l.replace(/[ \t\u3000\u00a0]+/g, " ").trim())
    .filter((l) => l !== "");
  return lines.length ? lines.join("\n") : null;
}

/**
 * The form used to recognise header words: no markup, half width, no whitespace at all
 * (`指标性 质` → 指标性质), no unit in brackets (`当年预算（万元）` → 当年预算), no
 * trailing colon, no leading `其中：`.
 */
export function keyOf(text: string | null | undefined): string {
  if (text == null || text === "") return "";
  const plain = stripMarkup(String(text));
  return (FULL_WIDTH_RE.test(plain) ? toHalfWidth(plain) : plain)
    .replace(/\s+/g, "")
    .replace(/\((?:万元|元|亿元|%|分|单位:万元)\)/g, "")
    .replace(/^其中[:：]?/, "")
    .replace(/^#+/, "")
    .replace(TRAILING_COLONS, "");
}

/** Trailing colons; `[:：]+$` alone rescans every run of colons from each colon (quadratic). */
const TRAILING_COLONS = /(?<![:：])[:：]+$/;

/** True when the (cleaned) text is only a number as written in tables (`1,300.00`, `30. 85`). */
export function looksNumeric(text: string): boolean {
  // Was `/^[+-]?\s*[\d,，.\s]*\d[\d,.\s]*$/`: two overlapping runs, quadratic on long input.
  // The same test in one pass: only digits, `,`, `，`, `.` and spaces after an optional
  // sign, at least one digit, and no `，` after the last digit.
  let i = text[0] === "+" || text[0] === "-" ? 1 : 0;
  let digit = false;
  let fullComma = false;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c >= "0" && c <= "9") {
      digit = true;
      fullComma = false;
    } else if (c === "，") fullComma = true;
    else if (c !== "," && c !== "." && !/\s/.test(c)) return false;
  }
  return digit && !fullComma;
}

/** A vertical label broken into characters by the conversion (`部 门 整`, `体 绩 效 情 况`). */
export function isVerticalFragment(text: string): boolean {
  if (text.length > 120) return false;
  if (text.indexOf(" ") < 0 && text.indexOf("\u3000") < 0 && text.indexOf("\t") < 0) return false;
  return /^[\u4e00-\u9fff](?:\s+[\u4e00-\u9fff]){1,}$/.test(text.trim());
}
