// A list sheet of a workbook: title, a note line, a header row and one bordered row per item,
// with links to other sheets — the shape of the index sheets (目录) and summary sheets of the
// exports. Frozen under the header, printed on A4 landscape with the header on every page.
import type ExcelJS from "exceljs";
import { FONT, SheetWriter, sheetLink, text, writeTitle } from "./export";
import { printOnA4 } from "./page-setup";

export interface ListColumn {
  header: string;
  width: number;
  align?: "left" | "center" | "right";
  numFmt?: string;
}

export type ListValue = string | number | null;

/** A link written over a cell of a row: to `sheet`, showing `label`. */
export type ListLink = { column: number; sheet: string; label: string };

export function writeListSheet(
  ws: ExcelJS.Worksheet,
  o: {
    title: string;
    note: string;
    columns: ListColumn[];
    rows: ListValue[][];
    /** Per row (0-based), the cells that link to another sheet (1-based columns). */
    links?: (row: number) => ListLink[];
    /** A link at the end of the note line (e.g. to the summary sheet). */
    noteLink?: { sheet: string; label: string } | null;
    /** The sheet to go back to (返回目录), right of the title. */
    backLink?: string | null;
  },
) {
  const n = o.columns.length;
  o.columns.forEach((c, i) => (ws.getColumn(i + 1).width = c.width));
  writeTitle(ws, o.title, n, o.backLink ?? null);
  const noteEnd = o.noteLink ? Math.max(1, n - 3) : n;
  ws.mergeCells(2, 1, 2, noteEnd);
  ws.getCell(2, 1).value = text(o.note);
  ws.getCell(2, 1).font = FONT;
  if (o.noteLink) sheetLink(ws.getCell(2, noteEnd + 1), o.noteLink.sheet, o.noteLink.label);
  const w = new SheetWriter(ws);
  o.columns.forEach((c, i) => w.put(3, i + 1, 3, i + 1, c.header, { label: true }));
  ws.getRow(3).height = 24;
  o.rows.forEach((values, i) => {
    const r = 4 + i;
    values.forEach((v, c) => w.put(r, c + 1, r, c + 1, typeof v === "string" ? text(v) : v, { align: o.columns[c]?.align, numFmt: o.columns[c]?.numFmt }));
    for (const l of o.links?.(i) ?? []) sheetLink(ws.getCell(r, l.column), l.sheet, l.label);
  });
  ws.views = [{ state: "frozen", ySplit: 3 }];
  printOnA4(ws, { orientation: "landscape", titleRows: "3:3" });
}
