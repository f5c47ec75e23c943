// Excel (.xlsx) export and import of 绩效目标表 in the published layout.
export { tableToWorkbook, tablesToWorkbook, type ExportOptions } from "./export";
export {
  workbookToTables,
  type XlsxImportOptions,
  type XlsxImportResult,
  type XlsxImportWarning,
} from "./import";
