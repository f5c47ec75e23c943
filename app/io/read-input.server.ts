// Reading a document from disk for the importer (CLI, seed builder): the size is checked
// before anything is read, so a 50 MB file is refused without loading it.
import fs from "node:fs";
import path from "node:path";
import { DocumentInputError, checkDocumentSize, decodeDocument } from "./document/input";

export { DocumentInputError, MAX_DOCUMENT_BYTES } from "./document/input";

export interface DocumentFile {
  /** The path as given. */
  path: string;
  /** The file name (recorded as `source.file` of imported tables). */
  name: string;
  bytes: number;
  text: string;
}

/** Reads and decodes a text document; throws `DocumentInputError` with a Chinese message. */
export function readDocumentFile(file: string): DocumentFile {
  const name = path.basename(file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new DocumentInputError("not_found", `找不到文件「${file}」`);
  }
  if (!stat.isFile()) throw new DocumentInputError("unreadable", `「${file}」不是文件`);
  checkDocumentSize(stat.size, name);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new DocumentInputError("unreadable", `无法读取文件「${file}」：${(e as Error).message}`);
  }
  const text = decodeDocument(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), name);
  return { path: file, name, bytes: stat.size, text };
}
