// Malformed input of every kind: empty, blank, binary, oversized (50 MB), missing files,
// directories, encodings; and documents without tables.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseDocument } from "~/io/document";
import { DocumentInputError, MAX_DOCUMENT_BYTES, checkDocumentSize, decodeDocument } from "~/io/document/input";
import { readDocumentFile } from "~/io/read-input.server";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-doc-input-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Uint8Array): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

function inputError(fn: () => unknown): DocumentInputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DocumentInputError);
    return e as DocumentInputError;
  }
  throw new Error("expected a DocumentInputError");
}

const SAMPLE = "2024 年部门预算情况说明\n项目名称\t测试项目\n\t指标名称\t指标权重\t指标值\n\t测试指标\t100\t≥5 个\n";

describe("readDocumentFile", () => {
  it("reads a UTF-8 document and records its name and size", () => {
    const p = write("ok.txt", SAMPLE);
    const d = readDocumentFile(p);
    expect(d).toEqual({ path: p, name: "ok.txt", bytes: Buffer.byteLength(SAMPLE), text: SAMPLE });
  });

  it("refuses an empty file", () => {
    const e = inputError(() => readDocumentFile(write("empty.txt", "")));
    expect(e.code).toBe("empty");
    expect(e.message).toBe("文件「empty.txt」是空文件，没有可导入的内容");
  });

  it("refuses a file of blanks only", () => {
    const e = inputError(() => readDocumentFile(write("blank.txt", " \n\t\r\n\u3000\n")));
    expect(e.code).toBe("empty");
    expect(e.message).toContain("只有空白");
  });

  it("refuses a 50 MB file with a clear size error, without reading it", () => {
    const p = path.join(dir, "huge.txt");
    fs.writeFileSync(p, "");
    fs.truncateSync(p, MAX_DOCUMENT_BYTES); // sparse: no 50 MB written to disk
    const e = inputError(() => readDocumentFile(p));
    expect(e.code).toBe("too_large");
    expect(e.message).toBe("文件「huge.txt」过大（50.0 MB）：导入的文档须小于 50 MB，请拆分后再导入");
    const bigger = path.join(dir, "bigger.txt");
    fs.writeFileSync(bigger, "");
    fs.truncateSync(bigger, 80 * 1024 * 1024);
    expect(inputError(() => readDocumentFile(bigger)).message).toContain("80.0 MB");
  });

  it("accepts anything below the limit", () => {
    expect(() => checkDocumentSize(MAX_DOCUMENT_BYTES - 1)).not.toThrow();
    expect(inputError(() => checkDocumentSize(MAX_DOCUMENT_BYTES)).code).toBe("too_large");
  });

  it("refuses binary files: NUL bytes, PDF, Office/zip, images", () => {
    const random = new Uint8Array(4096);
    for (let i = 0; i < random.length; i++) random[i] = (i * 7919 + 13) % 256;
    const bin = inputError(() => readDocumentFile(write("data.bin", random)));
    expect(bin.code).toBe("binary");
    expect(bin.message).toMatch(/^文件「data\.bin」不是文本文档/);

    const pdf = inputError(() => readDocumentFile(write("doc.pdf", "%PDF-1.7\n%âãÏÓ\n1 0 obj\n")));
    expect(pdf.code).toBe("binary");
    expect(pdf.message).toContain("PDF");

    const zip = inputError(() => readDocumentFile(write("doc.docx", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))));
    expect(zip.message).toContain(".xlsx/.docx");

    const png = inputError(() => readDocumentFile(write("pic.txt", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))));
    expect(png.message).toContain("PNG");

    const control = inputError(() => decodeDocument(new TextEncoder().encode("\u0001\u0002\u0003abc\u0004\u0005\u0006".repeat(50)), "ctl.txt"));
    expect(control.code).toBe("binary");
  });

  it("refuses a missing file and a directory", () => {
    expect(inputError(() => readDocumentFile(path.join(dir, "nope.txt")))).toMatchObject({ code: "not_found" });
    expect(inputError(() => readDocumentFile(dir))).toMatchObject({ code: "unreadable" });
  });
});

describe("decodeDocument", () => {
  it("strips a UTF-8 byte-order mark", () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(SAMPLE)]);
    expect(decodeDocument(bytes)).toBe(SAMPLE);
  });

  it("reads UTF-16 with a byte-order mark", () => {
    const le = new Uint8Array(2 + SAMPLE.length * 2);
    le[0] = 0xff;
    le[1] = 0xfe;
    for (let i = 0; i < SAMPLE.length; i++) {
      const c = SAMPLE.charCodeAt(i);
      le[2 + i * 2] = c & 0xff;
      le[3 + i * 2] = c >> 8;
    }
    const text = decodeDocument(le, "utf16.txt");
    expect(text).toBe(SAMPLE);
    expect(parseDocument(text).tables[0].indicators[0]).toMatchObject({ name: "测试指标", weight: 100, operator: "≥", target: "5", unit: "个" });
  });

  it("reads GB18030 text that is not UTF-8", () => {
    const bytes = new Uint8Array(fs.readFileSync(path.resolve(__dirname, "../fixtures/documents/gbk.txt")));
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toThrow();
    expect(decodeDocument(bytes)).toContain("统计调查经费");
  });
});

describe("documents without tables", () => {
  it("give no tables and a no_tables warning", () => {
    const doc = parseDocument("某局 2024 年部门预算情况说明\n\n一、基本情况\n本部门负责……\n");
    expect(doc.year).toBe(2024);
    expect(doc.tables).toEqual([]);
    expect(doc.warnings).toEqual([{ line: null, code: "no_tables", message: "文档中没有找到项目绩效目标表或部门（单位）整体绩效目标表" }]);
  });

  it("drop a stray header field that starts no table, with a warning", () => {
    const doc = parseDocument("某单位 2024 年情况说明\n单位名称：示例单位\n正文……\n");
    expect(doc.tables).toEqual([]);
    expect(doc.warnings.map((w) => [w.line, w.code])).toEqual([
      [null, "no_tables"],
      [2, "table_incomplete"],
    ]);
  });

  it("survive garbage: very long lines, lone pipes and tags, random CJK", () => {
    const junk = ["|", "||", "<table><tr><td>", "</table>", "指标".repeat(5000), "\t".repeat(300), "绩效指标", "项目名称"].join("\n");
    const doc = parseDocument(junk);
    expect(Array.isArray(doc.tables)).toBe(true);
    for (const t of doc.tables) expect(t.indicators).toEqual([]);
  });
});
