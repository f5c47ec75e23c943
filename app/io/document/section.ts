// What a document says about a table outside the table itself (issue 12): many published
// documents name the project in a numbered heading above the table (「（二）农村公路养护补助
// 资金」), state its budget in the prose between (「2023 年该项目预算 320 万元，其中上级补助
// 120 万元」) and give the year in the table's title (「项目绩效目标表（2023 年度目标）」).
// These helpers read those lines; the parser marks every value taken from them as inferred.
// Every scan moves forward only, over text of bounded length (docs/decisions/016-hostile-input.md).
// Pure TypeScript.
import { Dec, toHalfWidth } from "~/domain/decimal";
import { MONEY_UNITS, PROSE_BUDGET_WORDS } from "~/domain/vocabulary";

// ---------------------------------------------------------------------------------------
// Numbered headings

const CN_DIGITS = "一二三四五六七八九十百零〇";
const CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳";
/** Headings longer than this (after their number) are sentences, not headings. */
const MAX_HEADING_CHARS = 40;

const isDigit = (ch: string) => ch >= "0" && ch <= "9";
const isCn = (ch: string) => CN_DIGITS.includes(ch);
const isSpace = (ch: string) => ch === " " || ch === "\t" || ch === "\u3000";

/**
 * Where the text of a numbered heading starts (`一、`, `（一）`, `(1)`, `1.`, `1、`, `①`), or -1
 * when the line does not start with a number of that kind. `1.5 万元` is not a heading.
 */
function numberEnd(t: string): number {
  if (t.length < 2) return -1;
  const c0 = t[0];
  if (CIRCLED.includes(c0)) return 1;
  if (c0 === "(" || c0 === "（") {
    let i = 1;
    while (i < t.length && isSpace(t[i])) i++;
    const start = i;
    if (i < t.length && isCn(t[i])) while (i < t.length && isCn(t[i])) i++;
    else while (i < t.length && isDigit(t[i])) i++;
    if (i === start || i - start > 3) return -1;
    while (i < t.length && isSpace(t[i])) i++;
    return t[i] === ")" || t[i] === "）" ? i + 1 : -1;
  }
  let i = 0;
  if (isCn(c0)) {
    while (i < t.length && isCn(t[i])) i++;
    if (i > 3) return -1;
    return t[i] === "、" || t[i] === "．" || t[i] === "." ? i + 1 : -1;
  }
  if (isDigit(c0)) {
    while (i < t.length && isDigit(t[i])) i++;
    if (i > 2) return -1;
    const sep = t[i];
    if (sep !== "、" && sep !== "．" && sep !== "." && sep !== "，") return -1;
    // `1.5`: a decimal, not a numbered heading.
    if (isDigit(t[i + 1] ?? "")) return -1;
    return i + 1;
  }
  return -1;
}

/** Sentence punctuation: a line with it is prose, not a heading. */
const SENTENCE = "。；;！!？?，,";

/** The text of a numbered heading line (without its number and a final colon), or null. */
export function headingText(line: string): string | null {
  let t = line.trim();
  // A Markdown heading (`## 二、…`): its marks are not part of the number.
  if (t[0] === "#") {
    let i = 0;
    while (i < t.length && i < 7 && t[i] === "#") i++;
    t = t.slice(i).trim();
  }
  if (t.length > MAX_HEADING_CHARS + 8) return null;
  const at = numberEnd(t);
  if (at < 0) return null;
  let text = t.slice(at).trim();
  while (text.endsWith("：") || text.endsWith(":")) text = text.slice(0, -1).trimEnd();
  if (text.length < 2 || text.length > MAX_HEADING_CHARS) return null;
  for (const ch of text) if (SENTENCE.includes(ch) || ch === "\t" || ch === "|") return null;
  return text;
}

/** Endings of section headings that name a part of the document, not a project. */
const GENERIC_ENDINGS = ["情况", "说明", "概况", "解释", "目录", "附件", "附表", "表", "职责", "设置", "构成", "事项", "指标", "目标", "依据", "措施", "总体"];
/** Words that make a heading a part of the document, not a project. */
const GENERIC_WORDS = ["绩效目标", "绩效指标", "项目支出", "收支", "预算表", "决算表", "整体"];
/** A project name named by a heading or a title: trailing words that are not part of it. */
const NAME_SUFFIXES = ["项目绩效目标情况", "项目绩效目标", "绩效目标情况", "绩效目标", "绩效情况"];

function cjkCount(s: string): number {
  let n = 0;
  for (const ch of s) if (ch >= "\u4e00" && ch <= "\u9fff") n++;
  return n;
}

/** The text without a final bracketed remark (`单位基本情况（略）` → 单位基本情况). */
function withoutTrailingBracket(s: string): string {
  const last = s[s.length - 1];
  if (last !== ")" && last !== "）") return s;
  const open = Math.max(s.lastIndexOf("("), s.lastIndexOf("（"));
  return open > 0 ? s.slice(0, open).trimEnd() : s;
}

/** Text of a title or heading without a trailing `项目绩效目标`-style phrase and spaces. */
function withoutNameSuffix(text: string): string {
  let t = text.trim();
  for (const s of NAME_SUFFIXES) {
    if (t.endsWith(s)) {
      t = t.slice(0, -s.length).trim();
      break;
    }
  }
  return t;
}

/** True when a heading or title remainder can be a project's name. */
function isProjectName(name: string): boolean {
  if (cjkCount(name) < 3 || name.length > MAX_HEADING_CHARS) return false;
  // A remark in brackets at the end (`（略）`, `（续）`) says nothing about what the heading is.
  const t = withoutTrailingBracket(name);
  for (const e of GENERIC_ENDINGS) if (t.endsWith(e)) return false;
  for (const w of GENERIC_WORDS) if (t.includes(w)) return false;
  for (const e of ORGANISATION_ENDINGS) if (t.endsWith(e)) return false;
  return true;
}

/** The project a numbered heading names (`（二）农村公路养护补助资金` → 农村公路养护补助资金), or null. */
export function projectFromHeading(heading: string): string | null {
  const t = withoutNameSuffix(heading);
  return isProjectName(t) ? t : null;
}

// ---------------------------------------------------------------------------------------
// Titles

/** Names of organisations end so; a title naming one names the department, not the project. */
const ORGANISATION_ENDINGS = ["局", "委员会", "委", "政府", "办公室", "中心", "本级", "(本级)", "（本级）", "厅", "院", "学校", "所", "站", "队", "部门", "单位"];
/** Title endings, longest first: what remains before them may name the project. */
const TITLE_ENDINGS = ["项目支出绩效目标申报表", "项目支出绩效目标表", "项目绩效目标申报表", "项目绩效目标表", "绩效目标申报表", "绩效目标表"];

/** The year a title gives as the table's own (`（2023 年度目标）`, `2022年度绩效目标`), or null. */
export function targetYear(title: string | null): number | null {
  if (!title) return null;
  const t = toHalfWidth(title);
  for (let at = t.indexOf("年度"); at >= 0; at = t.indexOf("年度", at + 2)) {
    let i = at;
    while (i > 0 && isSpace(t[i - 1])) i--;
    if (i < 4) continue;
    const y = t.slice(i - 4, i);
    if (!/^(?:19|20)\d\d$/.test(y) || isDigit(t[i - 5] ?? "")) continue;
    let j = at + 2;
    while (j < t.length && isSpace(t[j])) j++;
    if (t.startsWith("目标", j) || t.startsWith("绩效目标", j)) return Number(y);
  }
  return null;
}

/**
 * The project a table title names (`农村公路养护补助资金项目绩效目标表`,
 * `（三）2023 年学生资助补助经费绩效目标表`), or null when it names none (`2026年项目支出绩效
 * 目标表`) or names an organisation (`示例区交通局2023年项目支出绩效目标表`).
 */
export function projectFromTitle(title: string | null): string | null {
  if (!title) return null;
  let t = toHalfWidth(title).trim();
  const at = numberEnd(t);
  if (at > 0) t = t.slice(at);
  // Brackets after the title word (`（2023 年度目标）`, `(续)`): not part of the name.
  for (const ending of TITLE_ENDINGS) {
    const k = t.indexOf(ending);
    if (k >= 0) {
      t = t.slice(0, k);
      break;
    }
  }
  t = withoutYear(t.replace(/\s+/g, "")).trim();
  if (t.startsWith("表")) {
    let i = 1;
    while (i < t.length && (isDigit(t[i]) || isCn(t[i]) || t[i] === "-" || t[i] === ".")) i++;
    t = t.slice(i);
  }
  while (t.endsWith("的") || t.endsWith("-") || t.endsWith(":")) t = t.slice(0, -1);
  t = withoutNameSuffix(t);
  return isProjectName(t) ? t : null;
}

/** The text without `YYYY 年` / `YYYY 年度` (spaces already removed). */
function withoutYear(t: string): string {
  let out = "";
  let i = 0;
  while (i < t.length) {
    if (isDigit(t[i]) && i + 4 < t.length && /^(?:19|20)\d\d年$/.test(t.slice(i, i + 5)) && !isDigit(t[i - 1] ?? "")) {
      i += 5;
      if (t[i] === "度") i++;
      continue;
    }
    out += t[i++];
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Budget in prose

export type BudgetPart = "budgetTotal" | "budgetLocal" | "budgetSuperior";

export interface ProseAmount {
  /** Amount in 万元, exact decimal text. */
  value: string;
  /** The words that say what it is, with the amount as written (`其中上级补助 120 万元`). */
  quote: string;
  line: number;
}

/** Characters before an amount searched for the words that name it. */
const CLAUSE_CHARS = 24;
const CLAUSE_ENDS = "，,。；;：:、\n（(）)";
/** Prose characters read per section at most. */
export const MAX_PROSE_CHARS = 8000;

/** Words that make an amount the department's or the unit's (部门预算 5,600 万元), not the project's. */
const NOT_PROJECT_WORDS = ["部门", "单位"];

/** Which budget part the words before an amount name, or null. */
function partOf(clause: string): BudgetPart | null {
  for (const w of NOT_PROJECT_WORDS) if (clause.includes(w)) return null;
  for (const part of ["budgetSuperior", "budgetLocal", "budgetTotal"] as const) {
    for (const w of PROSE_BUDGET_WORDS[part]) if (clause.includes(w)) return part;
  }
  return null;
}

/** `1,234.5` with the unit's shift applied: 万元 as exact decimal text, or null. */
function toWan(number: string, shift: number): string | null {
  const d = Dec.parse(number.split(",").join(""));
  if (!d) return null;
  const scaled = shift === 0 ? d : shift > 0 ? d.mul(Dec.of(10 ** shift)) : d.div(Dec.of(10 ** -shift));
  return scaled.toString();
}

/**
 * The first amount of each budget part in prose lines (`预算 320 万元`, `其中上级补助
 * 1,200,000 元`, `本级安排200万元`), in 万元. Amounts without a word naming them are ignored.
 */
export function budgetFromProse(lines: ReadonlyArray<{ text: string; line: number }>): Partial<Record<BudgetPart, ProseAmount>> {
  const found: Partial<Record<BudgetPart, ProseAmount>> = {};
  let budget = MAX_PROSE_CHARS;
  for (const { text, line } of lines) {
    if (budget <= 0) break;
    const s = toHalfWidth(text.length > budget ? text.slice(0, budget) : text);
    budget -= s.length;
    let clauseStart = 0;
    let i = 0;
    while (i < s.length) {
      const ch = s[i];
      if (CLAUSE_ENDS.includes(ch)) {
        clauseStart = i + 1;
        i++;
        continue;
      }
      if (!isDigit(ch)) {
        i++;
        continue;
      }
      // A number: digits, thousands commas between digits, one decimal point.
      let j = i;
      let dot = false;
      while (j < s.length) {
        if (isDigit(s[j])) j++;
        else if (s[j] === "," && isDigit(s[j + 1] ?? "") && j > i) j++;
        else if (s[j] === "." && !dot && isDigit(s[j + 1] ?? "")) {
          dot = true;
          j++;
        } else break;
      }
      let k = j;
      while (k < s.length && isSpace(s[k])) k++;
      const unit = MONEY_UNITS.find((u) => s.startsWith(u.unit, k));
      if (unit && !isDigit(s[i - 1] ?? "")) {
        const from = Math.max(clauseStart, i - CLAUSE_CHARS);
        const part = partOf(s.slice(from, i));
        const value = part && !found[part] ? toWan(s.slice(i, j), unit.shift) : null;
        if (part && value !== null) {
          found[part] = { value, quote: s.slice(from, k + unit.unit.length).trim(), line };
        }
        clauseStart = k + unit.unit.length;
        i = clauseStart;
        continue;
      }
      i = j;
    }
  }
  return found;
}
