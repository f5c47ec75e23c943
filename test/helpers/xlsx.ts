// Reading exported workbooks back in tests: load a body with exceljs, and a cell's value as
// Excel shows it (a formula's cached result, e.g. the label of a HYPERLINK).
import ExcelJS from "exceljs";

export async function readWorkbook(body: ArrayBuffer | Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as ArrayBuffer);
  return wb;
}

export function cellValue(ws: ExcelJS.Worksheet, address: string): ExcelJS.CellValue {
  const value = ws.getCell(address).value;
  return value && typeof value === "object" && "result" in value ? (value.result as ExcelJS.CellValue) : value;
}
