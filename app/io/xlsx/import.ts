// Import of 绩效目标表 from .xlsx: the layout written by export.ts and hand-made
// workbooks in the same spirit (a user's own template).
//
// - The header block is found by its labels (项目名称, 项目编码, 业务主管部门, 当年预算…; the
//   words and their variants are the shared vocabulary's, app/domain/vocabulary.ts),
//   never by cell addresses: a label's value is the next non-empty cell to its right, or
//   the text after a colon in the same cell (`编制单位：206001-…`).
// - The indicator grid is found by its header row (三级指标 / 指标名称 / 指标 and at least one
//   of 指标权重, 计量单位, 指标性质, 指标值): columns in any order, any of them may be missing,
//   header words may contain spaces or line breaks.
// - A sheet may hold several tables one below the other (as in published documents).
// Cells are read in import-cells.ts, grids found in import-grid.ts, tables mapped in
// import-mapping.ts; this module reads the file and its sheets.
// - Values go through the domain engine (values.ts: parseCells; taxonomy.ts): `≥15 家`,
//   `100%`, `1,300.00` in the 指标值 column are read when 指标性质 / 计量单位 are empty.
// - Problems are reported as warnings with the sheet, the row and a Chinese message; a row
//   that cannot be read fully is still imported (the unreadable cell empty, the source text
//   kept in `raw`), and content that is not imported is reported, never dropped silently.
//   A broken or non-xlsx file gives warnings, never an exception.
import ExcelJS from "exceljs";
import type { ExchangeTable, TableWarning } from "../../domain/schemas";
import { isDecoration } from "./layout";
import { Report, SheetModel, valText } from "./import-cells";
import { findGridHeaders, findSegments, isIndexSheet } from "./import-grid";
import { readTable } from "./import-mapping";
import { IGNORED_NODES, WorkbookLimitError, precheckWorkbook } from "./precheck";

export interface XlsxImportWarning {
  /** Worksheet name ("" for problems with the whole file). */
  sheet: string;
  /** 1-based row in the sheet, or null. */
  row: number | null;
  code: string;
  /** Chinese message for the user, naming the sheet, the row and the value. */
  message: string;
  /** error: something in the file could not be read; warning: read, but content skipped or doubtful; info: noted. */
  severity: "error" | "warning" | "info";
}

export interface XlsxImportResult {
  tables: ExchangeTable[];
  warnings: XlsxImportWarning[];
}

export interface XlsxImportOptions {
  /**
   * File name to record as `source.file`; when given, each table gets
   * `source: {file, line, sheet}` (line = first row of the table in its sheet) and each
   * indicator its `line` (its row in that sheet). Without it the tables carry no provenance, so that
   * export → import gives back exactly the exported JSON.
   */
  file?: string | null;
  /** Rows read per sheet at most (default 20000). */
  maxRows?: number;
  /** Columns read per row at most (default 200). */
  maxColumns?: number;
}

// ---------------------------------------------------------------------------------------
// Sheets and workbook

function readSheet(ws: ExcelJS.Worksheet, opts: XlsxImportOptions, out: XlsxImportResult) {
  const name = ws.name;
  const report = new Report(name);
  const sheet = new SheetModel(ws, opts.maxRows ?? 20000, opts.maxColumns ?? 200);
  if (sheet.truncatedRows) report.add("error", "sheet_truncated", null, `只读取了前 ${opts.maxRows ?? 20000} 行，其余行未导入`);
  if (sheet.truncatedColumns) report.add("error", "sheet_truncated", null, `只读取了前 ${opts.maxColumns ?? 200} 列，其余列未导入`);

  const headers = findGridHeaders(sheet);

  if (!headers.length) {
    if (sheet.isEmpty() || isIndexSheet(sheet)) {
      out.warnings.push(...report.all);
      return;
    }
    report.add(
      "error",
      "no_grid",
      null,
      "没有找到绩效指标表头（需要一行同时含「三级指标」或「指标名称」和「指标权重」「指标值」「指标性质」「计量单位」中的至少一项），此工作表未导入",
    );
    out.warnings.push(...report.all);
    return;
  }

  const segments = findSegments(sheet, headers);

  segments.forEach((seg, k) => {
    const before = report.all.length;
    try {
      const table = readTable(sheet, seg, report, opts);
      const mine = report.all.slice(before);
      if (mine.length) {
        table.warnings = mine.map((w): TableWarning => ({ code: w.code, message: w.message, line: w.row }));
      }
      out.tables.push(table);
    } catch (e) {
      report.add("error", "table_failed", seg.header.row, `读取第${k + 1}张表时出错，此表未导入（${e instanceof Error ? e.message : String(e)}）`);
    }
  });
  // Rows after the last grid that start a header block but have no grid of their own.
  const tail = segments[segments.length - 1];
  if (tail.end < sheet.lastRow) {
    const rest: number[] = [];
    for (let r = tail.end + 1; r <= sheet.lastRow; r++) {
      const own = sheet.own(r).filter((x) => {
        const t = valText(x.v) ?? "";
        return !isDecoration(t) && !/^(?:其他说明|备注|说明)[:：]?$/.test(t.replace(/\s+/g, ""));
      });
      if (own.length) rest.push(r);
    }
    if (rest.length) {
      report.add(
        "warning",
        "content_ignored",
        rest[0],
        `最后一张表之后的内容未导入（第${rest.slice(0, 10).join("、")}${rest.length > 10 ? "…" : ""}行，没有绩效指标表头）`,
      );
    }
  }
  out.warnings.push(...report.all);
}

/** No control characters but tabs and line breaks in the first 4 KB: a text file, not a zip or garbage. */
function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  }
  return true;
}

function bytesOf(input: ArrayBuffer | Uint8Array): Uint8Array {
  return input instanceof Uint8Array ? input : new Uint8Array(input);
}

const fileError = (code: string, message: string): XlsxImportResult => ({
  tables: [],
  warnings: [{ sheet: "", row: null, code, severity: "error", message }],
});

/**
 * Reads the 绩效目标表 in an .xlsx workbook: every sheet, every table in it (the index sheet
 * written by the exporter is skipped). Never throws for bad input: a file that is not an
 * .xlsx workbook gives no tables and one error.
 */
export async function workbookToTables(
  input: ArrayBuffer | Uint8Array,
  opts: XlsxImportOptions = {},
): Promise<XlsxImportResult> {
  const bytes = bytesOf(input);
  if (bytes.length === 0) return fileError("empty_file", "文件是空的，没有可导入的内容");
  const magic = Array.from(bytes.subarray(0, 8));
  if (magic.join(",") === "208,207,17,224,161,177,26,225") {
    return fileError(
      "xls_format",
      "这是旧版 Excel 97-2003（.xls）文件或加密的工作簿，无法读取：请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）并去掉打开密码后再导入",
    );
  }
  if (!(magic[0] === 0x50 && magic[1] === 0x4b)) {
    if (looksLikeText(bytes)) {
      return fileError(
        "not_xlsx",
        "文件不是 Excel 工作簿（.xlsx），而是文本（可能是 CSV 或另存时改了扩展名）：请在 Excel 或 WPS 中打开它，“另存为”Excel 工作簿（.xlsx）后再导入",
      );
    }
    return fileError("not_xlsx", "文件不是 Excel 工作簿（.xlsx），无法读取：请上传用 Excel 或 WPS 保存的 .xlsx 文件");
  }
  // Sizes, ranges and counts are checked on the zip's XML before exceljs builds any cell.
  try {
    precheckWorkbook(bytes);
  } catch (e) {
    if (e instanceof WorkbookLimitError) return fileError(e.code, e.message);
    throw e;
  }
  const wb = new ExcelJS.Workbook();
  try {
    // Node: a Buffer view of the bytes (no copy); elsewhere exceljs takes the Uint8Array.
    const buf =
      typeof Buffer === "undefined"
        ? bytes
        : Buffer.isBuffer(bytes)
          ? bytes
          : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    await wb.xlsx.load(buf as unknown as ExcelJS.Buffer, { ignoreNodes: IGNORED_NODES });
  } catch (e) {
    return fileError(
      "not_xlsx",
      `文件不是有效的 Excel 工作簿（.xlsx），可能已损坏或是其他格式的压缩文件，无法读取（${e instanceof Error ? e.message : String(e)}）`,
    );
  }
  const out: XlsxImportResult = { tables: [], warnings: [] };
  const sheets = wb.worksheets;
  for (const ws of sheets) {
    try {
      readSheet(ws, opts, out);
    } catch (e) {
      out.warnings.push({
        sheet: ws.name,
        row: null,
        code: "sheet_failed",
        severity: "error",
        message: `工作表「${ws.name}」读取出错，此工作表未导入（${e instanceof Error ? e.message : String(e)}）`,
      });
    }
  }
  if (!out.tables.length) {
    out.warnings.push({
      sheet: "",
      row: null,
      code: "no_tables",
      severity: "error",
      message: sheets.length
        ? "工作簿中没有找到绩效目标表（没有含「三级指标/指标名称」和「指标权重/指标值」等列的表头行）"
        : "工作簿中没有工作表",
    });
  }
  return out;
}
