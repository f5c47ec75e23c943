// Grid detection for the .xlsx import (import.ts): the indicator grid is found by its
// header row (三级指标 / 指标名称 / 指标 and at least one of 指标权重, 计量单位, 指标性质, 指标值),
// and a sheet is cut into tables, each a header block above its grid.
import { cleanCell } from "../../domain/taxonomy";
import { isWeakLabel } from "../../domain/vocabulary";
import { type CellInfo, type SheetModel, valText } from "./import-cells";
import { type GridKey, gridKeyOf, headerKeyOf, isTitle } from "./layout";

export interface GridColumn {
  key: GridKey;
  /** Columns covered by the header cell (a merged header covers several). */
  from: number;
  to: number;
  header: string;
}

export interface GridHeader {
  row: number;
  columns: GridColumn[];
  /** Columns of the row label (绩效指标) and of 序号/备注-like headers: content there is not data. */
  quiet: Set<number>;
  /** Columns whose header repeats an earlier column's kind (not read). */
  duplicates: Set<number>;
}

const VALUE_KEYS: GridKey[] = ["weight", "unit", "operator", "target"];

export function detectGridHeader(sheet: SheetModel, r: number): GridHeader | null {
  const cells = sheet.own(r);
  if (cells.length < 2) return null;
  const found: Array<{ key: GridKey | "fallbackName" | "ignore"; cell: CellInfo; text: string }> = [];
  for (const cell of cells) {
    const text = valText(cell.v);
    if (!text) continue;
    const key = gridKeyOf(text);
    if (key) found.push({ key, cell, text });
  }
  const keys = new Set(found.map((f) => f.key));
  const hasName = keys.has("name") || keys.has("fallbackName");
  if (!hasName || !VALUE_KEYS.some((k) => keys.has(k))) return null;
  const columns: GridColumn[] = [];
  const quiet = new Set<number>();
  const duplicates = new Set<number>();
  const nameKey = keys.has("name") ? "name" : "fallbackName";
  for (const f of found) {
    const from = f.cell.c;
    const to = f.cell.end?.c ?? f.cell.c;
    if (f.key === "ignore" || (f.key === "fallbackName" && nameKey !== "fallbackName")) {
      for (let c = from; c <= to; c++) quiet.add(c);
      continue;
    }
    const key: GridKey = f.key === "fallbackName" ? "name" : f.key;
    if (columns.some((x) => x.key === key)) {
      // A second column of the same kind: its content is reported as not read.
      for (let c = from; c <= to; c++) duplicates.add(c);
      continue;
    }
    columns.push({ key, from, to, header: f.text.replace(/\s+/g, "") });
  }
  return { row: r, columns, quiet, duplicates };
}


/**
 * The first cell's text of a row when the row starts a new header block (a title, a header
 * label such as 项目名称 / 编制单位, 单位：万元, 其他说明), else null: then it is a grid row.
 */
export function boundaryText(sheet: SheetModel, r: number): string | null {
  const first = sheet.own(r)[0];
  if (!first || first.v.t !== "text") return null;
  const text = valText(first.v);
  if (!text) return null;
  if (isTitle(text)) return text;
  const c = cleanCell(text);
  if (/^(?:金额)?单位[:：]/.test(c) || /^表(?:\d+|[一二三四五六七八九十百]+)$/.test(c)) return text;
  const label = text.split(/[:：]/)[0];
  // Weak labels (预算执行率, 部门…) are also plausible indicator names: they do not end a grid.
  if (headerKeyOf(label) && !isWeakLabel(label)) return text;
  return null;
}

export interface Segment {
  start: number;
  header: GridHeader;
  end: number;
}

/** Every indicator grid header of a sheet, top to bottom. */
export function findGridHeaders(sheet: SheetModel): GridHeader[] {
  const headers: GridHeader[] = [];
  for (let r = 1; r <= sheet.lastRow; r++) {
    const h = detectGridHeader(sheet, r);
    if (h) headers.push(h);
  }
  return headers;
}

/** The sheet cut into tables: the header block above each grid header, grid rows until the next block starts. */
export function findSegments(sheet: SheetModel, headers: GridHeader[]): Segment[] {
  const segments: Segment[] = [];
  let start = 1;
  headers.forEach((h, k) => {
    const limit = k + 1 < headers.length ? headers[k + 1].row - 1 : sheet.lastRow;
    let end = limit;
    for (let r = h.row + 1; r <= limit; r++) {
      if (boundaryText(sheet, r) !== null) {
        end = r - 1;
        break;
      }
    }
    segments.push({ start, header: h, end });
    start = end + 1;
  });
  return segments;
}

export function isIndexSheet(sheet: SheetModel): boolean {
  for (let r = 1; r <= Math.min(sheet.lastRow, 10); r++) {
    const texts = sheet.own(r).map((x) => valText(x.v)?.replace(/\s+/g, ""));
    if (texts.includes("序号") && texts.includes("工作表")) return true;
  }
  return false;
}
