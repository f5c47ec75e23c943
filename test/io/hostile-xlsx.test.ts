// Hostile workbooks (issue 9): a 6 KB .xlsx with one merged range A1:Z20000 grew the heap by
// 150 MB inside exceljs; a whole-sheet range exhausted memory; zip bombs were inflated whole.
// The zip's parts are checked before exceljs builds any cell (app/io/xlsx/precheck.ts).
import { describe, expect, it } from "vitest";
import { workbookToTables } from "~/io/xlsx";
import { MAX_UNZIPPED_BYTES, precheckWorkbook, WorkbookLimitError } from "~/io/xlsx/precheck";
import {
  afterSheetData,
  manyCells,
  patchedWorkbook,
  rawZip,
  TABLE_SHEET,
  withDimension,
  withMerges,
  workbookParts,
  zerosDeflated,
} from "../fixtures/hostile/corpus";
import { zipSync } from "fflate";

const HEAP_BOUND = 100 * 1024 * 1024;
const TIME_BOUND_MS = 2000;

/**
 * Runs the import, measuring its CPU time (the work the file costs, whatever else the machine
 * runs), its wall time, and the growth of the heap while it runs (sampled whenever the import
 * waits, and at the end).
 */
async function measured(bytes: Uint8Array) {
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
  const cpu = process.cpuUsage();
  const t = performance.now();
  try {
    const result = await workbookToTables(bytes, { file: "hostile.xlsx" });
    const used = process.cpuUsage(cpu);
    return { result, ms: (used.user + used.system) / 1000, wall: performance.now() - t, heap: Math.max(peak, process.memoryUsage().heapUsed) - before };
  } finally {
    clearInterval(timer);
  }
}

function fatal(result: Awaited<ReturnType<typeof workbookToTables>>) {
  expect(result.tables).toEqual([]);
  const e = result.warnings.find((w) => w.severity === "error" && w.sheet === "");
  expect(e).toBeDefined();
  return e!;
}

describe("ranges that exceljs would expand cell by cell are refused before it reads them", () => {
  it("one merged range K100:AJ20000 (26 × 19,901 cells in a 9 KB file)", async () => {
    const bytes = await patchedWorkbook(withMerges(["K100:AJ20000"]));
    expect(bytes.length).toBeLessThan(12 * 1024);
    const r = await measured(bytes);
    const e = fatal(r.result);
    expect(e.code).toBe("sheet_too_large");
    expect(e.message).toMatch(/^工作表「参战参核军人生活补助」的合并单元格范围 K100:AJ20000 过大（19901 行 × 26 列）/);
    expect(r.heap).toBeLessThan(HEAP_BOUND);
    expect(r.ms).toBeLessThan(TIME_BOUND_MS);
  });

  it("a merge of the whole sheet", async () => {
    const r = await measured(await patchedWorkbook(withMerges(["K100:XFD1048576"])));
    expect(fatal(r.result).message).toMatch(/合并单元格范围 K100:XFD1048576 过大/);
    expect(r.heap).toBeLessThan(HEAP_BOUND);
  });

  it("50,000 small merges (exceljs checks each against all others: quadratic)", async () => {
    const r = await measured(await patchedWorkbook(withMerges(Array.from({ length: 50000 }, (_, i) => `K${100 + i}:L${100 + i}`))));
    expect(fatal(r.result).message).toMatch(/工作表「参战参核军人生活补助」的合并单元格过多/);
    expect(r.ms).toBeLessThan(TIME_BOUND_MS);
  });

  it("a <dimension> of the whole sheet", async () => {
    const r = await measured(await patchedWorkbook(withDimension("A1:XFD1048576")));
    expect(fatal(r.result).message).toMatch(/^工作表「参战参核军人生活补助」的范围 A1:XFD1048576 过大（1048576 行 × 16384 列）/);
  });

  it("a reference written with character references is read as exceljs reads it", async () => {
    const r = await measured(await patchedWorkbook(withMerges(["K100:&#65;J20000"])));
    expect(fatal(r.result).message).toMatch(/合并单元格范围 K100:AJ20000 过大/);
  });

  it("an attribute holding '>' does not hide the reference behind it", async () => {
    const r = await measured(
      await patchedWorkbook((xml) => xml.replace(/<mergeCells count="(\d+)">/, `<mergeCells count="$1"><mergeCell x=">" ref="K100:AJ20000"/>`)),
    );
    expect(fatal(r.result).message).toMatch(/K100:AJ20000 过大/);
  });

  it("a defined name over 520,000 cells (exceljs expands names cell by cell)", async () => {
    const { strFromU8, strToU8 } = await import("fflate");
    const parts = await workbookParts();
    const wb = strFromU8(parts["xl/workbook.xml"]);
    parts["xl/workbook.xml"] = strToU8(wb.replace("</sheets>", `</sheets><definedNames><definedName name="big">'参战参核军人生活补助'!$A$1:$Z$20000</definedName></definedNames>`));
    const r = await measured(zipSync(parts));
    expect(fatal(r.result).message).toMatch(/名称「big」引用的范围 '参战参核军人生活补助'!\$A\$1:\$Z\$20000 过大/);
    expect(r.heap).toBeLessThan(HEAP_BOUND);
  });

  it("1,000,000 cells are refused by count", async () => {
    const r = await measured(await patchedWorkbook(manyCells(50000, 20)));
    expect(fatal(r.result).message).toMatch(/单元格过多/);
    expect(r.heap).toBeLessThan(HEAP_BOUND);
    expect(r.ms).toBeLessThan(TIME_BOUND_MS);
  });
});

describe("zip bombs are not inflated beyond the limit", () => {
  it("an entry declaring 1 GB is refused from its header", async () => {
    const r = await measured(rawZip([{ name: TABLE_SHEET, data: zerosDeflated(1024), method: 8, size: 1024 * 1024 * 1024 }]));
    expect(fatal(r.result).message).toMatch(/解压后过大/);
    expect(r.ms).toBeLessThan(TIME_BOUND_MS);
  });

  it("an entry that declares 1 KB but inflates to 1 GB is stopped at the limit", async () => {
    const bytes = rawZip([{ name: TABLE_SHEET, data: zerosDeflated(1024), method: 8, size: 1024 }]);
    const r = await measured(bytes);
    expect(fatal(r.result).message).toMatch(/解压后过大.*超过 50 MB/);
    expect(r.heap).toBeLessThan(HEAP_BOUND);
    expect(r.ms).toBeLessThan(TIME_BOUND_MS);
    // The check itself inflates at most a little past the limit.
    let err: unknown;
    try {
      precheckWorkbook(bytes);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WorkbookLimitError);
    expect((err as WorkbookLimitError).inflated).toBeLessThan(MAX_UNZIPPED_BYTES + 3 * 1024 * 1024);
  });

  it("20,000 entries are refused", async () => {
    const r = await measured(rawZip(Array.from({ length: 20000 }, (_, i) => ({ name: `x/${i}.xml`, data: new Uint8Array(0), method: 0 as const, size: 0 }))));
    expect(fatal(r.result).message).toMatch(/文件过多/);
  });

  it("a zip whose central directory is cut off is refused as damaged", async () => {
    const whole = zipSync(await workbookParts());
    const r = await measured(whole.subarray(0, whole.length - 30));
    expect(fatal(r.result).message).toMatch(/不是有效的 Excel 工作簿/);
  });
});

describe("what the import never uses is not read", () => {
  it("whole-sheet data validation and conditional formatting: the table is imported", async () => {
    const bytes = await patchedWorkbook(
      afterSheetData(
        `<conditionalFormatting sqref="A1:XFD1048576"><cfRule type="cellIs" dxfId="0" priority="1" operator="greaterThan"><formula>0</formula></cfRule></conditionalFormatting>` +
          `<dataValidations count="1"><dataValidation type="list" allowBlank="1" sqref="A1:XFD1048576"><formula1>"是,否"</formula1></dataValidation></dataValidations>`,
      ),
    );
    const r = await measured(bytes);
    expect(r.result.tables).toHaveLength(1);
    expect(r.result.tables[0].indicators).toHaveLength(5);
    expect(r.heap).toBeLessThan(HEAP_BOUND);
    expect(r.ms).toBeLessThan(TIME_BOUND_MS);
  });

  it("a <col> spanning a billion columns", async () => {
    const r = await measured(await patchedWorkbook((xml) => xml.replace("<cols>", '<cols><col min="20" max="1000000000" width="9"/>')));
    expect(r.result.tables).toHaveLength(1);
    expect(r.ms).toBeLessThan(TIME_BOUND_MS);
  });
});

describe("ordinary workbooks pass the check", () => {
  it("the exported workbook", async () => {
    const parts = await workbookParts();
    expect(() => precheckWorkbook(zipSync(parts))).not.toThrow();
  });
  it("CSV text named .xlsx is told apart from a broken workbook", async () => {
    const r = await workbookToTables(new Uint8Array(Buffer.from("项目名称,指标名称\n测试,服务企业数\n")), { file: "x.xlsx" });
    expect(fatal(r).message).toMatch(/不是 Excel 工作簿.*文本/);
  });
});
