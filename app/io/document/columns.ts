// Indicator columns: recognising the header row of the 绩效指标 block (in any order, with
// missing columns and words broken by spaces), and aligning a data row to it. Real rows
// lose cells (a dropped leading empty cell, collapsed empty cells of merged columns), so
// alignment is not positional: each cell is matched to a column by what it looks like
// (a number, an operator, 是/否, a known unit or level name), by dynamic programming over
// the two sequences. Pure TypeScript.
import { OPERATOR_PREFIXES, OPERATOR_VARIANTS, normalizeLevel1, normalizeLevel2, normalizeOperator } from "~/domain/taxonomy";
import { parseDecimal, parseValue } from "~/domain/values";
import { gridColumnOf } from "~/domain/vocabulary";
import { cleanInline, isVerticalFragment, memo, stripMarkup } from "./text";

export type ColType = "label" | "level1" | "level2" | "name" | "weight" | "unit" | "operator" | "target" | "core" | "unknown";

export interface Column {
  type: ColType;
  /** Header text as written. */
  text: string;
}

/** The column type a header cell names, or null (app/domain/vocabulary.ts holds the words). */
export function headerWord(cell: string): ColType | null {
  if (cell.length === 0 || cell.length > 60) return null;
  const c = cell.charCodeAt(0);
  if (c >= 48 && c <= 57) return null; // a number
  return headerWordMemo(cell);
}

const headerWordMemo = memo((cell: string): ColType | null => {
  const t = gridColumnOf(stripMarkup(cell));
  // 序号, 备注: known, but nothing is read from them (an unknown column here).
  return t === "ignore" ? null : t;
});

const NUMBER_CELL = /^\s*[+-]?\d[\d,.\s]*$/;

export interface Header {
  columns: Column[];
  /** Recognised minus unrecognised cells: used to choose between header candidates. */
  quality: number;
}

/**
 * Reads an indicator header row. Empty header cells are dropped (they are the continuation
 * of merged header cells) except a leading one, which is the label column (`绩效指标`).
 * Null unless it names the indicator (名称) and a target or a weight.
 */
export function readHeader(cells: string[]): Header | null {
  // Every header names the indicator (指标 / 指标名称 / 三级指标…) and has no numbers.
  let named = false;
  for (const c of cells) {
    if (c.indexOf("指标") >= 0 || c.indexOf("指 标") >= 0) {
      named = true;
      break;
    }
  }
  if (!named) return null;
  for (const c of cells) if (NUMBER_CELL.test(c)) return null;
  const columns: Column[] = [];
  let known = 0;
  let unknown = 0;
  const seen = new Set<ColType>();
  for (let i = 0; i < cells.length; i++) {
    const text = cells[i].trim();
    if (text === "") {
      if (i === 0) columns.push({ type: "label", text });
      continue;
    }
    let t = headerWord(text);
    if (t === null && isVerticalFragment(text) && i === 0) t = "label";
    if (t === null || (t !== "label" && seen.has(t))) {
      unknown++;
      columns.push({ type: "unknown", text });
      continue;
    }
    if (t === "label" && columns.length > 0 && columns.some((c) => c.type !== "label")) {
      unknown++;
      columns.push({ type: "unknown", text });
      continue;
    }
    seen.add(t);
    known++;
    columns.push({ type: t, text });
  }
  if (!seen.has("name") || !(seen.has("target") || seen.has("weight"))) return null;
  const nonLabel = [...seen].filter((t) => t !== "label").length;
  if (nonLabel < 2) return null;
  return { columns, quality: known - unknown };
}

/** How many cells look like header words (a header broken over lines has at least 2). */
export function headerWordCount(cells: string[]): number {
  let n = 0;
  for (const c of cells) if (c.trim() && headerWord(c)) n++;
  return n;
}

// ---------------------------------------------------------------------------------------
// Alignment

const KNOWN_UNITS = new Set([
  "%", "‰", "个", "家", "人", "人次", "万人次", "次", "项", "元", "万元", "亿元", "吨", "万吨", "天", "日", "个工作日",
  "工作日", "年", "月", "周", "小时", "分钟", "户", "场", "起", "立方米", "万立方米", "平方米", "万平方米", "亩", "公里",
  "千米", "米", "套", "台", "辆", "件", "份", "篇", "条", "所", "间", "批", "期", "座", "处", "宗", "册", "本", "张",
  "元/吨", "元/个", "元/人", "元/月", "元/人/月", "元/人·月", "元/年", "万元/个", "分", "kg", "km", "m2", "m3", "㎡", "m³",
  "kw", "kwh", "千瓦", "千瓦时", "度", "个/年", "次/年", "人/次", "其他", "无", "—", "-", "/",
]);

interface CellInfo {
  text: string;
  empty: boolean;
  num: boolean;
  op: boolean;
  core: boolean;
  label: boolean;
  l1: boolean;
  l2: boolean;
  unit: 0 | 1 | 2;
  inline: boolean;
  long: boolean;
}

/** Characters of the vertical labels of the indicator block (`部 门 整 体 绩 效 情 况`). */
const LABEL_CHARS = /^[部门单位整体绩效情况目标指标年度项目支出]+$/;

const CORE_RE = /^(?:是|否|√|✓|×|✗|Y|N|YES|NO|核心|非核心)$/i;

export function coreValue(text: string): boolean | null | undefined {
  const t = cleanInline(text).replace(/\s+/g, "");
  if (t === "") return null;
  if (/^(?:是|√|✓|Y|YES|核心)$/i.test(t)) return true;
  if (/^(?:否|×|✗|N|NO|非核心)$/i.test(t)) return false;
  return undefined;
}

/** A weight as written: `10`, `2.5`, `10分`, `1,0`. Null when not a number. */
export function weightValue(text: string): string | null {
  const t = cleanInline(text).replace(/\s*分$/, "");
  return parseDecimal(t);
}

const info = memo(computeInfo);

/** Inline values start with an operator, a number or TeX (`≥15 家`, `$\geq 90\%$`, `100%`, `不低于95%`). */
const INLINE_START = /^[\d$≥≤<>=＝≧≦＞＜.\\]|^(?:大于|小于|不低于|不少于|不高于|不超过|不小于|不大于|等于|至少|至多|高于|低于|多于|少于)/;

/** Cells longer than this are prose: no value, operator or level is looked for in them. */
export const MAX_VALUE_CHARS = 1000;

function computeInfo(raw: string): CellInfo {
  if (raw.length > MAX_VALUE_CHARS) {
    const empty = raw.trim() === "";
    return { text: empty ? "" : raw, empty, num: false, op: false, core: false, label: false, l1: false, l2: false, unit: 0, inline: false, long: !empty };
  }
  const text = cleanInline(raw);
  if (text === "") {
    return { text, empty: true, num: false, op: false, core: false, label: false, l1: false, l2: false, unit: 0, inline: false, long: false };
  }
  const compact = text.replace(/\s+/g, "");
  const num = weightValue(text) !== null;
  const op = normalizeOperator(text) !== null;
  const core = CORE_RE.test(compact);
  const spaced = stripMarkup(raw).replace(/\s+/g, " ").trim();
  const label = /^(?:年度)?绩效指标$/.test(compact) || (isVerticalFragment(spaced) && LABEL_CHARS.test(compact));
  const l1 = !num && normalizeLevel1(compact).known;
  const l2 = !num && normalizeLevel2(compact).known;
  const unit: 0 | 1 | 2 = num || op ? 0 : KNOWN_UNITS.has(compact.toLowerCase()) ? 2 : compact.length <= 4 && !/\d/.test(compact) ? 1 : 0;
  let inline = false;
  if (!num && text.length <= 40 && /\d/.test(text) && INLINE_START.test(text)) {
    const v = parseValue(text);
    inline = v.ok && !v.qualitative;
  }
  return { text, empty: false, num, op, core, label, l1, l2, unit, inline, long: compact.length > 40 };
}

/** Score of putting a cell in a column (higher is better). */
function fit(col: ColType, c: CellInfo): number {
  if (c.empty) {
    switch (col) {
      case "name":
        return -3;
      case "weight":
      case "target":
        return -1;
      case "operator":
        return -0.5;
      case "level1":
      case "level2":
        return -0.3;
      case "core":
        return -0.2;
      default:
        return 0;
    }
  }
  switch (col) {
    case "label":
      return c.label ? 2 : -4;
    case "level1":
      return c.l1 ? 3 : c.num || c.op || c.core ? -4 : c.label ? -2 : c.long ? -1 : 0.5;
    case "level2":
      return c.l2 ? 3 : c.num || c.op || c.core ? -4 : c.label ? -2 : c.long ? -1 : 0.5;
    case "name":
      return c.num ? -2 : c.op || c.core ? -3 : c.label ? -1 : c.l1 || c.l2 ? 0.5 : 2;
    case "weight":
      return c.num ? 3 : -4;
    case "unit":
      return c.op ? -3 : c.num ? -4 : c.unit === 2 ? 3 : c.unit === 1 ? 1 : -2;
    case "operator":
      return c.op ? 3 : -4;
    case "target":
      return c.num ? 3 : c.inline ? 2.5 : c.op ? -2 : c.core ? 0 : 1;
    case "core":
      return c.core ? 3 : -4;
    default:
      return 0.2;
  }
}

function dropScore(c: CellInfo): number {
  if (c.empty) return -0.2;
  if (c.label) return -0.5;
  return -5;
}

export interface Alignment {
  /** Cell text per column (raw, uncleaned); "" when the column got no cell. */
  values: string[];
  /** Non-empty cells that fit no column. */
  dropped: string[];
  score: number;
}

/** Cells that alignRow would have to place or drop (neither empty nor a label). */
export function placeableCount(cells: string[]): number {
  let n = 0;
  for (const c of cells) {
    const x = info(c);
    if (!x.empty && !x.label) n++;
  }
  return n;
}

/** Aligns the cells of a data row to the header columns (monotone, by dynamic programming). */
export function alignRow(columns: Column[], cells: string[]): Alignment {
  const n = cells.length;
  const m = columns.length;
  const infos = cells.map(info);
  // Fast path: one cell per column and every cell fits where it stands.
  if (n === m) {
    let total = 0;
    let good = true;
    for (let k = 0; k < n && good; k++) {
      const f = fit(columns[k].type, infos[k]);
      if (f < 0 && !(infos[k].empty && f >= -0.5)) good = false;
      total += f;
    }
    if (good) return { values: cells.slice(), dropped: [], score: total };
  }
  const W = m + 1;
  const score = new Float64Array((n + 1) * W).fill(-Infinity);
  // 0 = assign (i-1 → j-1), 1 = skip column (j-1 gets nothing), 2 = drop cell (i-1).
  const move = new Uint8Array((n + 1) * W);
  score[0] = 0;
  const empty = info("");
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      if (i === 0 && j === 0) continue;
      let best = -Infinity;
      let how = 0;
      if (i > 0 && j > 0) {
        const s = score[(i - 1) * W + (j - 1)] + fit(columns[j - 1].type, infos[i - 1]);
        if (s > best) {
          best = s;
          how = 0;
        }
      }
      if (j > 0) {
        const s = score[i * W + (j - 1)] + fit(columns[j - 1].type, empty);
        if (s > best) {
          best = s;
          how = 1;
        }
      }
      if (i > 0) {
        const s = score[(i - 1) * W + j] + dropScore(infos[i - 1]);
        if (s > best) {
          best = s;
          how = 2;
        }
      }
      score[i * W + j] = best;
      move[i * W + j] = how;
    }
  }
  const values: string[] = new Array(m).fill("");
  const dropped: string[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const how = move[i * W + j];
    if (how === 0) {
      values[j - 1] = cells[i - 1];
      i--;
      j--;
    } else if (how === 1) j--;
    else {
      if (!infos[i - 1].empty && !infos[i - 1].label) dropped.push(cells[i - 1]);
      i--;
    }
  }
  dropped.reverse(); // collected backwards (push + reverse: unshift would be quadratic)
  return { values, dropped, score: score[n * W + m] };
}

// ---------------------------------------------------------------------------------------
// Rows whose cell separators were lost

/** Operator spellings (symbols and words, longest first) and 定性, looked for where a value starts. */
const VALUE_STARTS: string[] = [...OPERATOR_PREFIXES.map(([v]) => v), ...OPERATOR_VARIANTS["定性"]].sort((a, b) => b.length - a.length);
const QUALITATIVE_WORDS = [...OPERATOR_VARIANTS["定性"]].sort((a, b) => b.length - a.length);
const isDigitChar = (ch: string) => ch >= "0" && ch <= "9";
const isCjk = (ch: string) => ch >= "\u4e00" && ch <= "\u9fff";

/** The value word or symbol that starts at `at` (an operator, 定性), or null. */
function valueStartAt(s: string, at: number): string | null {
  for (const v of VALUE_STARTS) if (s.startsWith(v, at)) return v;
  return null;
}

/**
 * An indicator's name and value cells from text whose separators were lost
 * (`群众知晓率 95%`, `群众知晓率≥95%`, `示范村建设 定性 建成 3 个示范村`, `养护里程 ≥ 150 公里 20`).
 * The value starts at the first operator or 定性, or at a number that starts a word if that
 * comes first; with neither, at the first digit after a Chinese character. 定性 keeps the
 * rest as one level (`建成 3 个示范村`). Null when no value is found.
 */
export function splitNameValue(text: string): { name: string; values: string[] } | null {
  const t = text.trim();
  if (t.length > 120) return null;
  let at = -1;
  for (let i = 1; i < t.length && at < 0; i++) if (valueStartAt(t, i) !== null) at = i;
  for (let i = t.indexOf(" "); i > 0; i = t.indexOf(" ", i + 1)) {
    if (at >= 0 && i >= at) break;
    if (isDigitChar(t[i + 1] ?? "")) {
      at = i + 1;
      break;
    }
  }
  for (let i = 1; i < t.length && at < 0; i++) if (isDigitChar(t[i]) && isCjk(t[i - 1])) at = i;
  if (at <= 0) return null;
  const name = cleanInline(t.slice(0, at));
  const rest = t.slice(at).trim();
  if (!name || !rest) return null;
  const q = QUALITATIVE_WORDS.find((v) => rest.startsWith(v));
  if (q) {
    let level = rest.slice(q.length);
    while (level && (level[0] === ":" || level[0] === "：" || level[0] === " ")) level = level.slice(1);
    return level ? { name, values: ["定性", level] } : null;
  }
  return { name, values: rest.split(/\s+/) };
}
