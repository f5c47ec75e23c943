// Rows copied from Excel (tab-separated) into the indicator grid. With a header row the
// columns are found by their names (the shared vocabulary's, vocabulary.ts, so a header the
// importers read is read here too); without one, by the published layouts:
//   9 cells: 绩效指标 | 一级 | 二级 | 三级 | 权重 | 单位 | 性质 | 值 | 核心   (002)
//   8 cells: 一级 | 二级 | 三级 | 权重 | 单位 | 性质 | 值 | 核心
//   7 cells: 一级 | 二级 | 三级 | 权重 | 单位 | 性质 | 值
//   6 cells: 三级 | 权重 | 性质 | 值 | 单位 | 核心                           (001)
//   5 cells: 三级 | 权重 | 单位 | 性质 | 值                                   (000)
// The 性质/值/单位 cells go through the value parser, so `≥15 家` in one cell also works.
// Without a header, a row with padding (empty cells after it, a selection one column too
// wide) or a leading label column (绩效指标, 部门整体绩效情况) is read in the layout whose
// 权重 and 性质 cells make sense, rather than by its bare count of cells.
// Cells that hold a line break, a tab or a quote come quoted, as Excel writes them.
import { parseDecimal } from "./decimal";
import { replaceBreaks } from "./linear-text";
import { EMPTY_INDICATOR, type IndicatorForm } from "./table-form";
import { normalizeOperator } from "./taxonomy";
import { parseCells } from "./values";
import { PUBLISHED_LAYOUTS, gridColumnOf, qualitativeTarget, type GridColumn } from "./vocabulary";

type Col = "level1" | "level2" | "name" | "weight" | "unit" | "operator" | "target" | "core" | "skip";

/** Grid columns as read here: the row label (绩效指标), 序号 and 备注 hold nothing to paste. */
const asCol = (c: GridColumn | null): Col | null => (c === "label" || c === "ignore" ? "skip" : c);

const LAYOUTS: Record<number, Col[]> = Object.fromEntries(
  Object.entries(PUBLISHED_LAYOUTS).map(([n, cols]) => [n, cols.map((c) => asCol(c) ?? "skip")]),
);

function headerColumns(cells: string[]): Col[] | null {
  const cols = cells.map((c) => asCol(gridColumnOf(c)));
  return cols.filter((c) => c && c !== "skip").length >= 2 && cols.includes("name") ? cols.map((c) => c ?? "skip") : null;
}

/**
 * Splits clipboard text into rows of cells, each with the line it starts on. A cell that
 * starts with `"` and has a closing `"` before the next tab or line end is quoted (`""` is
 * a quote; line breaks and tabs inside belong to the cell); any other `"` is text.
 */
function splitRows(text: string): { line: number; cells: string[] }[] {
  const s = text.replace(/\r\n?/g, "\n");
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let line = 1;
  let start = 1;
  let i = 0;
  for (;;) {
    let cell: string | null = null;
    if (s[i] === '"') {
      let j = i + 1;
      let v = "";
      while (j < s.length) {
        if (s[j] === '"') {
          if (s[j + 1] === '"') {
            v += '"';
            j += 2;
            continue;
          }
          break;
        }
        v += s[j++];
      }
      if (j < s.length && (j + 1 === s.length || s[j + 1] === "\t" || s[j + 1] === "\n")) {
        cell = v;
        for (let k = i; k < j; k++) if (s[k] === "\n") line++;
        i = j + 1;
      }
    }
    if (cell === null) {
      let j = i;
      while (j < s.length && s[j] !== "\t" && s[j] !== "\n") j++;
      cell = s.slice(i, j);
      i = j;
    }
    // A line break inside a cell is a wrap (as a text input would drop it).
    cells.push(replaceBreaks(cell, "").trim());
    if (s[i] === "\t") {
      i++;
      continue;
    }
    rows.push({ line: start, cells });
    if (i >= s.length) return rows;
    i++; // "\n"
    cells = [];
    start = ++line;
  }
}

const isYes = (v: string) => /^(是|核心|√|✓|Y|yes)$/i.test(v);
const isNo = (v: string) => /^(否|N|no)$/i.test(v);

/**
 * Do these cells make sense in this layout: a name; a number (or nothing) as 权重; an
 * operator (or nothing) as 性质; neither an operator nor a number as 单位; no operator
 * word as 指标值; 是/否 (or nothing) as 核心?
 */
function fits(cells: string[], cols: Col[]): boolean {
  if (cells.length !== cols.length) return false;
  return cols.every((col, j) => {
    const v = cells[j];
    if (v === "") return col !== "name";
    if (col === "weight") return parseDecimal(v.replace(/分$/, "")) !== null;
    if (col === "operator") return normalizeOperator(v) !== null;
    if (col === "target") return normalizeOperator(v) === null;
    if (col === "unit") return normalizeOperator(v) === null && !/^[\d.≥≤<>=＝≧≦＞＜$]/.test(v);
    if (col === "core") return isYes(v) || isNo(v);
    return true;
  });
}

type Guess = { lead: number; n: number };

/**
 * The layout of a row without a header, and the cells it applies to. `previous` holds the
 * choice made for earlier rows of the same width in this paste (a copied range is one
 * layout), tried first.
 */
function guessLayout(cells: string[], previous: Map<number, Guess>): { cols: Col[]; cells: string[] } | null {
  let end = cells.length;
  while (end > 1 && cells[end - 1] === "") end--;
  const tries: Guess[] = [];
  const prev = previous.get(cells.length);
  if (prev && prev.n >= end) tries.push(prev);
  // Longest first: an empty last cell may be the layout's own (no 核心).
  for (const lead of [0, 1]) for (let n = cells.length; n >= end; n--) tries.push({ lead, n });
  for (const t of tries) {
    const part = cells.slice(t.lead, t.n);
    const cols = LAYOUTS[part.length];
    if (cols && fits(part, cols)) {
      previous.set(cells.length, t);
      return { cols, cells: part };
    }
  }
  // Nothing makes sense: the count decides (trailing empty cells do not change it), and
  // the cells are kept as typed for the checker to report.
  const part = cells.slice();
  while (part.length > 1 && part[part.length - 1] === "" && !LAYOUTS[part.length]) part.pop();
  const cols = LAYOUTS[part.length] ?? (part.length === 1 ? (["name"] as Col[]) : undefined);
  return cols ? { cols, cells: part } : null;
}

export type PasteResult = { rows: IndicatorForm[]; skipped: { line: number; reason: string }[] };

export function parsePastedRows(text: string): PasteResult {
  const result: PasteResult = { rows: [], skipped: [] };
  let columns: Col[] | null = null;
  const previous = new Map<number, Guess>();
  for (const { line, cells: all } of splitRows(text)) {
    if (all.every((c) => c === "")) continue;
    const header = headerColumns(all);
    if (header) {
      columns = header;
      continue;
    }
    const layout = columns ? { cols: columns, cells: all } : guessLayout(all, previous);
    if (!layout) {
      let n = all.length;
      while (n > 1 && all[n - 1] === "") n--;
      result.skipped.push({ line, reason: `第 ${line} 行有 ${n} 列，无法对应到指标表的列` });
      continue;
    }
    const { cols, cells } = layout;
    const row: IndicatorForm = { ...EMPTY_INDICATOR };
    let op = "";
    let target = "";
    let unit = "";
    cols.forEach((col, j) => {
      const v = cells[j] ?? "";
      if (col === "operator") op = v;
      else if (col === "target") target = v;
      else if (col === "unit") unit = v;
      else if (col === "core") row.core = isYes(v) ? "是" : isNo(v) ? "否" : "";
      else if (col !== "skip") row[col] = v;
    });
    // `定性：建成 3 个示范村` in the value cell: the operator and the level, digits kept.
    const level = op === "" || normalizeOperator(op) === "定性" ? qualitativeTarget(target) : null;
    if (level !== null) {
      op = op || "定性";
      target = level;
    }
    const parsed = parseCells(op || null, target || null, unit || null);
    if (parsed.ok) {
      row.operator = parsed.operator;
      row.target = parsed.qualitative ? (parsed.text ?? target) : (parsed.value ?? target);
      row.unit = parsed.unit ?? unit;
    } else {
      row.operator = normalizeOperator(op) ?? "";
      row.target = target;
      row.unit = unit;
    }
    row.weight = row.weight.replace(/\s+/g, "");
    result.rows.push(row);
  }
  return result;
}
