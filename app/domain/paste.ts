// Rows copied from Excel (tab-separated) into the indicator grid. With a header row the
// columns are found by their names; without one, by the published layouts:
//   9 cells: 绩效指标 | 一级 | 二级 | 三级 | 权重 | 单位 | 性质 | 值 | 核心   (002)
//   8 cells: 一级 | 二级 | 三级 | 权重 | 单位 | 性质 | 值 | 核心
//   7 cells: 一级 | 二级 | 三级 | 权重 | 单位 | 性质 | 值
//   6 cells: 三级 | 权重 | 性质 | 值 | 单位 | 核心                           (001)
//   5 cells: 三级 | 权重 | 单位 | 性质 | 值                                   (000)
// The 性质/值/单位 cells go through the value parser, so `≥15 家` in one cell also works.
import { EMPTY_INDICATOR, type IndicatorForm } from "./table-form";
import { normalizeOperator } from "./taxonomy";
import { parseCells } from "./values";

type Col = "level1" | "level2" | "name" | "weight" | "unit" | "operator" | "target" | "core" | "skip";

const HEADER_WORDS: [RegExp, Col][] = [
  [/^一级指标$/, "level1"],
  [/^二级指标$/, "level2"],
  [/^(三级指标|指标名称|指标)$/, "name"],
  [/^(指标)?权重(（?分）?)?$/, "weight"],
  [/^(计量)?单位$/, "unit"],
  [/^指标性质$/, "operator"],
  [/^(指标值|目标值)$/, "target"],
  [/^是否核心(指标)?$/, "core"],
  [/^绩效指标$/, "skip"],
];

const LAYOUTS: Record<number, Col[]> = {
  9: ["skip", "level1", "level2", "name", "weight", "unit", "operator", "target", "core"],
  8: ["level1", "level2", "name", "weight", "unit", "operator", "target", "core"],
  7: ["level1", "level2", "name", "weight", "unit", "operator", "target"],
  6: ["name", "weight", "operator", "target", "unit", "core"],
  5: ["name", "weight", "unit", "operator", "target"],
};

const squash = (s: string) => s.replace(/\s+/g, "");

function headerColumns(cells: string[]): Col[] | null {
  const cols = cells.map((c) => HEADER_WORDS.find(([re]) => re.test(squash(c)))?.[1] ?? null);
  return cols.filter((c) => c && c !== "skip").length >= 2 && cols.includes("name") ? cols.map((c) => c ?? "skip") : null;
}

export type PasteResult = { rows: IndicatorForm[]; skipped: { line: number; reason: string }[] };

export function parsePastedRows(text: string): PasteResult {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const result: PasteResult = { rows: [], skipped: [] };
  let columns: Col[] | null = null;
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    const cells = line.split("\t").map((c) => c.trim());
    const header = headerColumns(cells);
    if (header) {
      columns = header;
      return;
    }
    // Trailing empty cells (Excel pads rows) do not change the layout.
    while (cells.length > 1 && cells[cells.length - 1] === "" && !(columns ?? LAYOUTS[cells.length])) cells.pop();
    const cols: Col[] | undefined = columns ?? LAYOUTS[cells.length] ?? (cells.length === 1 ? ["name"] : undefined);
    if (!cols) {
      result.skipped.push({ line: i + 1, reason: `第 ${i + 1} 行有 ${cells.length} 列，无法对应到指标表的列` });
      return;
    }
    const row: IndicatorForm = { ...EMPTY_INDICATOR };
    let op = "";
    let target = "";
    let unit = "";
    cols.forEach((col, j) => {
      const v = cells[j] ?? "";
      if (col === "operator") op = v;
      else if (col === "target") target = v;
      else if (col === "unit") unit = v;
      else if (col === "core") row.core = /^(是|核心|√|✓|Y|yes)$/i.test(v) ? "是" : /^(否|N|no)$/i.test(v) ? "否" : "";
      else if (col !== "skip") row[col] = v;
    });
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
  });
  return result;
}
