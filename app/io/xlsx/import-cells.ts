// Cell reading for the .xlsx import (import.ts): exceljs cells as plain values (a formula
// by its cached result, rich text joined, a percentage format kept), a sheet model that
// knows merges, and the warnings report.
import type ExcelJS from "exceljs";
import { Dec, decimalFromNumber } from "../../domain/decimal";
import type { XlsxImportWarning } from "./import";

export type Val =
  | { t: "empty" }
  /** A number; `pct` when the cell is formatted as a percentage (0.9 shown as 90%). */
  | { t: "num"; n: number; pct?: boolean }
  | { t: "text"; s: string }
  | { t: "bool"; b: boolean };

export interface CellInfo {
  r: number;
  c: number;
  v: Val;
  /** For a cell covered by a merge: the master's position. */
  master: { r: number; c: number } | null;
  /** For a master of a merge: the bottom-right corner. */
  end?: { r: number; c: number };
}

export const EMPTY: Val = { t: "empty" };

/** Cleans a float that came out of a formula (0.1 + 0.2) to the 15 digits Excel shows. */
function cleanNumber(n: number): number {
  return Number(n.toPrecision(15));
}

function readValue(v: ExcelJS.CellValue, depth = 0): Val {
  if (v == null) return EMPTY;
  if (typeof v === "number") return Number.isFinite(v) ? { t: "num", n: cleanNumber(v) } : { t: "text", s: String(v) };
  if (typeof v === "string") return v.trim() ? { t: "text", s: v } : EMPTY;
  if (typeof v === "boolean") return { t: "bool", b: v };
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? EMPTY : { t: "text", s: v.toISOString().slice(0, 10) };
  if (typeof v === "object" && depth < 3) {
    const o = v as unknown as Record<string, unknown>;
    if (Array.isArray(o.richText)) {
      const s = (o.richText as Array<{ text?: unknown }>).map((x) => (x && typeof x.text === "string" ? x.text : "")).join("");
      return s.trim() ? { t: "text", s } : EMPTY;
    }
    if ("formula" in o || "sharedFormula" in o) {
      // A formula is read by its cached result; without one (a file written by a program
      // that does not calculate) the formula text is kept, so that it is reported, not lost.
      if (o.result === undefined || o.result === null) {
        const f = typeof o.formula === "string" ? o.formula : typeof o.sharedFormula === "string" ? o.sharedFormula : "";
        return { t: "text", s: `=${f}` };
      }
      return readValue(o.result as ExcelJS.CellValue, depth + 1);
    }
    if ("hyperlink" in o || "text" in o) return readValue(o.text as ExcelJS.CellValue, depth + 1);
    if ("error" in o) return { t: "text", s: String(o.error) };
  }
  return EMPTY;
}

/** True for number formats that show a percentage (`0%`, `0.00%`), ignoring quoted text. */
function isPercentFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  return fmt.replace(/"[^"]*"/g, "").replace(/\\./g, "").includes("%");
}

/** The number as shown: 0.9 formatted as a percentage is "90%". */
function shownNumber(v: { n: number; pct?: boolean }): string {
  const d = decimalFromNumber(v.n);
  return v.pct ? `${Dec.of(d).mul(Dec.of(100)).toString()}%` : d;
}

export function valText(v: Val): string | null {
  switch (v.t) {
    case "empty":
      return null;
    case "num":
      return shownNumber(v);
    case "bool":
      return v.b ? "是" : "否";
    case "text": {
      const s = v.s.trim();
      return s ? s : null;
    }
  }
}

export const AMOUNT_SUFFIXES = ["万元", "元", "分", "%", "％"];
export const WEIGHT_SUFFIXES = ["分", "%", "％"];

/**
 * The text without one of the suffixes and the spaces before it (`25.65 万元` → `25.65`).
 * Not `/\s*(?:万元|…)$/`: that pattern rescans every run of spaces from each of its
 * characters, quadratic on a long run (docs/decisions/016-hostile-input.md).
 */
export function withoutSuffix(text: string, suffixes: readonly string[]): string {
  for (const s of suffixes) if (text.endsWith(s)) return text.slice(0, text.length - s.length).trimEnd();
  return text;
}

/** Short quotation of a cell value for messages. */
export function quote(s: string | null, max = 40): string {
  if (s == null) return "「」";
  const one = s.replace(/\s+/g, " ").trim();
  return `「${one.length > max ? one.slice(0, max) + "…" : one}」`;
}

export class SheetModel {
  readonly name: string;
  readonly rows = new Map<number, Map<number, CellInfo>>();
  lastRow = 0;
  truncatedRows = false;
  truncatedColumns = false;

  constructor(ws: ExcelJS.Worksheet, maxRows: number, maxColumns: number) {
    this.name = ws.name;
    ws.eachRow({ includeEmpty: false }, (row, r) => {
      if (r > maxRows) {
        this.truncatedRows = true;
        return;
      }
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        if (c > maxColumns) {
          this.truncatedColumns = true;
          return;
        }
        let master: CellInfo["master"] = null;
        let v: Val;
        if (cell.isMerged && cell.master && cell.master.address !== cell.address) {
          master = { r: Number(cell.master.row), c: Number(cell.master.col) };
          v = EMPTY;
        } else {
          v = readValue(cell.value);
          if (v.t === "num" && isPercentFormat(cell.numFmt)) v = { ...v, pct: true };
        }
        this.set({ r, c, v, master });
      });
    });
    // Record the extent of each merge on its master.
    for (const row of this.rows.values()) {
      for (const info of row.values()) {
        if (!info.master) continue;
        let m = this.get(info.master.r, info.master.c);
        if (!m) {
          m = { r: info.master.r, c: info.master.c, v: EMPTY, master: null };
          this.set(m);
        }
        const end = m.end ?? { r: m.r, c: m.c };
        m.end = { r: Math.max(end.r, info.r), c: Math.max(end.c, info.c) };
      }
    }
  }

  private set(info: CellInfo) {
    let row = this.rows.get(info.r);
    if (!row) this.rows.set(info.r, (row = new Map()));
    row.set(info.c, info);
    if (info.r > this.lastRow) this.lastRow = info.r;
  }

  get(r: number, c: number): CellInfo | undefined {
    return this.rows.get(r)?.get(c);
  }

  /** Non-empty cells that hold their own value (not covered by a merge), left to right. */
  own(r: number): CellInfo[] {
    const row = this.rows.get(r);
    if (!row) return [];
    return [...row.values()].filter((x) => !x.master && x.v.t !== "empty").sort((a, b) => a.c - b.c);
  }

  isEmpty(): boolean {
    for (let r = 1; r <= this.lastRow; r++) if (this.own(r).length) return false;
    return true;
  }
}

// ---------------------------------------------------------------------------------------
// Warnings

export class Report {
  readonly all: XlsxImportWarning[] = [];
  constructor(private sheet: string) {}
  add(severity: XlsxImportWarning["severity"], code: string, row: number | null, message: string) {
    const where = row != null ? `工作表「${this.sheet}」第${row}行：` : this.sheet ? `工作表「${this.sheet}」：` : "";
    this.all.push({ sheet: this.sheet, row, code, severity, message: where + message });
  }
}
