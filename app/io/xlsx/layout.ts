// The layout of a 绩效目标表 in Excel, shared by the exporter and the importer: the
// sheet-name rules and the cells around the header block. The words (header labels and
// their variants, grid column headers, the `CODE-名称` rule) are the shared vocabulary's,
// app/domain/vocabulary.ts, re-exported here for the modules that read them from this file.
//
// No I/O: plain TypeScript, usable wherever exceljs is.
import { cleanCell } from "../../domain/taxonomy";
import {
  EXPORT_GRID_COLUMNS,
  EXPORT_LABELS,
  formatCodeName,
  gridColumnOf,
  headerFieldOf,
  labelKey,
  splitCodeName,
  splitProjectName,
  type ExportColumn,
  type HeaderField,
} from "../../domain/vocabulary";

export { EXPORT_LABELS, formatCodeName };

export const FONT_NAME = "宋体";
export const INDEX_SHEET_NAME = "目录";

/** Keys of the header block (project and department tables). */
export type HeaderKey = HeaderField;

/** Normalises a header label: `当年预算 （万元）` → `当年预算`, `<b>管理措施</b>` → `管理措施`. */
export function normLabel(text: string): string {
  return labelKey(text);
}

/** The header key of a label text, or null. */
export function headerKeyOf(text: string): HeaderKey | null {
  return headerFieldOf(text);
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

export type GridKey = Exclude<ExportColumn, "label">;

/** Column headers written by the exporter, in the published (002) order. */
export const GRID_COLUMNS = EXPORT_GRID_COLUMNS;

/**
 * The grid column a header names: `fallbackName` for the row-label column (绩效指标), which
 * holds the names when no other column does; `ignore` for 序号/备注/说明.
 */
export function gridKeyOf(text: string): GridKey | "fallbackName" | "ignore" | null {
  const c = gridColumnOf(text);
  return c === "label" ? "fallbackName" : c;
}

// ---------------------------------------------------------------------------------------
// `CODE-名称` (the vocabulary's one rule)

/** `402-重庆市南岸区经济和信息化委员会` → {code: "402", name: "重庆市…"}; plain text → {code: null, name}. */
export function parseCodeName(text: string | null): { code: string | null; name: string | null } | null {
  return splitCodeName(text);
}

/** Splits a project code off a name (`CODE-名称`), only for long codes. */
export function splitProjectCode(text: string): { code: string | null; name: string } {
  const r = splitProjectName(text, null);
  return { code: r.code, name: r.name ?? text.trim() };
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
