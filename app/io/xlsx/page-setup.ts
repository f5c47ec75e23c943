// How an exported form prints: A4, fitted to the page width, the header rows repeated on every
// page and "第 n 页，共 N 页" in the footer. Shared by the sheets of the exports.
import type ExcelJS from "exceljs";

export function printOnA4(ws: ExcelJS.Worksheet, o: { orientation: "portrait" | "landscape"; printArea?: string; titleRows: string; footer?: boolean }) {
  ws.pageSetup = {
    paperSize: 9, // A4
    orientation: o.orientation,
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
    ...(o.printArea ? { printArea: o.printArea } : {}),
    printTitlesRow: o.titleRows,
  };
  if (o.footer !== false) ws.headerFooter = { oddFooter: "第 &P 页，共 &N 页" };
}
