// The published-document importer (text documents as in ../shared/published).
// Pure TypeScript: no node: imports, so it runs on the server, in the CLI and in the browser.
export { parseDocument, parseDocumentAsync, splitCodeName, documentYear } from "./parse";
export type { DocumentWarning, ParsedDocument, ParseOptions } from "./parse";
