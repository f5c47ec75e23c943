// 绩效目标表 as a Word document (.docx) in the published layout (layout.ts): A4 portrait,
// 宋体, each table on its own page under its title, the header block as a Word table with
// merged cells, the indicator grid as a Word table whose column-header row repeats on every
// page and whose rows never break across pages. Built with the `docx` package; read back by
// read.ts (publish → import gives the same exchange tables: test/io/docx-roundtrip.test.ts).
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type ParagraphChild,
} from "docx";
import type { ExchangeTable } from "../../domain/schemas";
import { PUBLISHED_FONT, tableLayout, type LayoutRow, type TableLayout } from "./layout";

/** Tables in one Word file at most (the web import reads back at most 1,000 per upload). */
export const MAX_DOCX_TABLES = 1000;

export interface DocxOptions {
  /** A first line above the tables (e.g. `綦江区经济和信息化委员会2026年绩效目标公开`). */
  heading?: string | null;
  /** Lines under the heading (what the file holds, when it was published). */
  notes?: string[];
}

// A4 portrait in twips (1/20 pt); margins 2 cm left/right, 2.2 cm top/bottom.
const PAGE = { width: 11906, height: 16838 };
const MARGIN = { top: 1247, bottom: 1247, left: 1134, right: 1134 };
const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
/** Relative widths → twips filling the text width exactly. */
function twips(widths: readonly number[]): number[] {
  const total = widths.reduce((a, b) => a + b, 0);
  const w = widths.map((x) => Math.floor((x / total) * TEXT_WIDTH));
  w[w.length - 1] += TEXT_WIDTH - w.reduce((a, b) => a + b, 0);
  return w;
}

/** 五号 (10.5 pt) body, 三号 (16 pt) titles; sizes in half-points. */
const BODY_SIZE = 21;
const TITLE_SIZE = 32;

/** Characters XML 1.0 does not allow (they would corrupt the file). */
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
/** A cell's text at most (Word has no such limit; a bound keeps files sane). */
const CELL_MAX = 32767;

function clean(s: string): string {
  const t = s.replace(XML_INVALID, "");
  return t.length > CELL_MAX ? t.slice(0, CELL_MAX) : t;
}

function paragraphs(text: string, opts: { bold?: boolean; align: (typeof AlignmentType)[keyof typeof AlignmentType] }): Paragraph[] {
  const lines = clean(text).split(/\r?\n/);
  return lines.map((line) => new Paragraph({ alignment: opts.align, children: [new TextRun({ text: line, bold: opts.bold })] }));
}

const ALIGN = { left: AlignmentType.LEFT, center: AlignmentType.CENTER, right: AlignmentType.RIGHT } as const;

function spanWidth(widths: number[], start: number, span: number): number {
  let w = 0;
  for (let c = start; c < start + span && c < widths.length; c++) w += widths[c];
  return w;
}

/**
 * Word cells of a layout row. `covered` holds the columns still taken by cells merged down
 * from rows above (docx adds their continuation cells itself): the widths skip them.
 */
function cells(row: LayoutRow, covered: Set<number>, widths: number[]): TableCell[] {
  const out: TableCell[] = [];
  let col = 0;
  for (const cell of row) {
    while (covered.has(col)) col++;
    const span = cell.colSpan ?? 1;
    out.push(
      new TableCell({
        children: paragraphs(cell.text, { bold: cell.label, align: ALIGN[cell.align ?? "center"] }),
        columnSpan: span > 1 ? span : undefined,
        rowSpan: (cell.rowSpan ?? 1) > 1 ? cell.rowSpan : undefined,
        verticalAlign: VerticalAlignTable.CENTER,
        width: { size: spanWidth(widths, col, span), type: WidthType.DXA },
      }),
    );
    col += span;
  }
  return out;
}

/** Columns of each row taken by a cell merged down from a row above. */
function coveredColumns(rows: LayoutRow[]): Array<Set<number>> {
  const covered = rows.map(() => new Set<number>());
  rows.forEach((row, r) => {
    let col = 0;
    for (const cell of row) {
      while (covered[r].has(col)) col++;
      const span = cell.colSpan ?? 1;
      for (let k = 1; k < (cell.rowSpan ?? 1) && r + k < rows.length; k++) {
        for (let c = col; c < col + span; c++) covered[r + k].add(c);
      }
      col += span;
    }
  });
  return covered;
}

const BORDER = { style: BorderStyle.SINGLE, size: 4, color: "000000" } as const;
const BORDERS = { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER, insideHorizontal: BORDER, insideVertical: BORDER };

function wordTable(rows: TableRow[], widths: number[]): Table {
  return new Table({
    rows,
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: BORDERS,
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
  });
}

function headerTable(rows: LayoutRow[], widths: number[]): Table {
  const covered = coveredColumns(rows);
  return wordTable(
    rows.map((row, r) => new TableRow({ cantSplit: true, children: cells(row, covered[r], widths) })),
    widths,
  );
}

function gridTable(header: LayoutRow, grid: LayoutRow[], widths: number[]): Table {
  const none = new Set<number>();
  const rows = [new TableRow({ tableHeader: true, cantSplit: true, children: cells(header, none, widths) })];
  for (const row of grid) rows.push(new TableRow({ cantSplit: true, children: cells(row, none, widths) }));
  return wordTable(rows, widths);
}

function tableBlock(layout: TableLayout, first: boolean): Array<Paragraph | Table> {
  const widths = twips(layout.widths);
  const out: Array<Paragraph | Table> = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      pageBreakBefore: !first,
      spacing: { after: 120 },
      children: [new TextRun({ text: clean(layout.title), bold: true, size: TITLE_SIZE })],
    }),
  ];
  if (layout.unitLine) out.push(new Paragraph({ children: [new TextRun(clean(layout.unitLine))] }));
  out.push(new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun("单位：万元")] }));
  out.push(headerTable(layout.header, widths));
  // Word joins two adjacent tables into one: an empty paragraph keeps the grid its own table,
  // so that only the grid's column headers repeat on each page.
  out.push(new Paragraph({ spacing: { before: 0, after: 0 }, children: [] }));
  out.push(gridTable(layout.gridHeader, [...layout.grid, ...(layout.footer ?? [])], widths));
  return out;
}

function pageFooter(): Footer {
  const children: ParagraphChild[] = [new TextRun("第 "), new TextRun({ children: [PageNumber.CURRENT] }), new TextRun(" 页，共 "), new TextRun({ children: [PageNumber.TOTAL_PAGES] }), new TextRun(" 页")];
  return new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children })] });
}

/**
 * The tables as one Word document, in the order given. Throws when there are more than
 * MAX_DOCX_TABLES (callers bound their selections first).
 */
export function tablesToDocx(tables: ExchangeTable[], opts: DocxOptions = {}): Promise<Uint8Array> {
  return layoutsToDocx(tables.map(tableLayout), opts);
}

/** Forms in the published layout (targets: tableLayout; 自评表: evaluationLayout) as one Word document. */
export async function layoutsToDocx(layouts: TableLayout[], opts: DocxOptions = {}): Promise<Uint8Array> {
  if (layouts.length > MAX_DOCX_TABLES) throw new Error(`一个 Word 文件最多 ${MAX_DOCX_TABLES} 张表（此处 ${layouts.length} 张）`);
  const children: Array<Paragraph | Table> = [];
  if (opts.heading) {
    children.push(
      new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [new TextRun({ text: clean(opts.heading), bold: true, size: 36 })] }),
    );
    for (const note of opts.notes ?? []) children.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun(clean(note))] }));
  }
  layouts.forEach((l, i) => children.push(...tableBlock(l, i === 0)));
  const doc = new Document({
    creator: "jixiao",
    title: opts.heading ?? undefined,
    styles: {
      default: {
        document: {
          run: { font: { ascii: PUBLISHED_FONT, hAnsi: PUBLISHED_FONT, eastAsia: PUBLISHED_FONT, cs: PUBLISHED_FONT }, size: BODY_SIZE },
        },
      },
    },
    sections: [
      {
        properties: { page: { size: { ...PAGE, orientation: PageOrientation.PORTRAIT }, margin: MARGIN } },
        footers: { default: pageFooter() },
        children,
      },
    ],
  });
  const buf = await Packer.toBuffer(doc);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
