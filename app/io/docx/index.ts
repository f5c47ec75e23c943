// Word (.docx): the published layout of 绩效目标表 (layout.ts), writing it (write.ts) and
// reading Word documents into the document importer (read.ts).
export { tablesToDocx, layoutsToDocx, MAX_DOCX_TABLES, type DocxOptions } from "./write";
export { docxToText, docxToHtml, htmlToImporterText, looksLikeDocx, isDocxBytes, MAX_DOCX_XML_BYTES } from "./read";
export { tableLayout, publishedTitle, publishedName, formatWan, PUBLISHED_GRID, type TableLayout, type LayoutRow, type LayoutCell } from "./layout";
