// The type of a 佐证材料 from its bytes and its extension together (the upload and the scope are
// tested through the routes in test/integration/attachments.test.ts).
import { describe, expect, it } from "vitest";
import { detectAttachmentType, zipEntryNames } from "../../app/domain/attachment-types";

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/** A minimal compound file: header, then one directory sector with the root and one stream. */
function cfb(stream: string): Uint8Array {
  const b = new Uint8Array(1024);
  b.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  const entry = (at: number, name: string, type: number) => {
    Array.from(name).forEach((c, i) => (b[at + i * 2] = c.charCodeAt(0)));
    const len = (name.length + 1) * 2;
    b[at + 64] = len & 0xff;
    b[at + 65] = len >> 8;
    b[at + 66] = type;
  };
  entry(512, "Root Entry", 5);
  entry(640, stream, 2);
  return b;
}

/** A stored zip (no compression) of empty entries, with its central directory. */
function zip(names: string[]): Uint8Array {
  const out: number[] = [];
  const central: number[] = [];
  const u16 = (n: number) => [n & 0xff, n >> 8];
  const u32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
  for (const name of names) {
    const offset = out.length;
    const nb = ascii(name);
    out.push(...u32(0x04034b50), ...u16(20), ...u16(0), ...u16(0), ...u32(0), ...u32(0), ...u32(0), ...u32(0), ...u16(nb.length), ...u16(0), ...nb);
    central.push(...u32(0x02014b50), ...u16(20), ...u16(20), ...u16(0), ...u16(0), ...u32(0), ...u32(0), ...u32(0), ...u32(0), ...u16(nb.length), ...u16(0), ...u16(0), ...u16(0), ...u16(0), ...u32(0), ...u32(offset), ...nb);
  }
  const cdOffset = out.length;
  out.push(...central, ...u32(0x06054b50), ...u16(0), ...u16(0), ...u16(names.length), ...u16(names.length), ...u32(central.length), ...u32(cdOffset), ...u16(0));
  return new Uint8Array(out);
}

describe("detectAttachmentType", () => {
  it("legacy Office and WPS files by the stream they hold", () => {
    expect(detectAttachmentType("a.doc", cfb("WordDocument"))).toMatchObject({ ok: true, contentType: "application/msword" });
    expect(detectAttachmentType("a.wps", cfb("WordDocument"))).toMatchObject({ ok: true, kind: "word" });
    expect(detectAttachmentType("a.xls", cfb("Workbook"))).toMatchObject({ ok: true, contentType: "application/vnd.ms-excel" });
    expect(detectAttachmentType("a.et", cfb("Book"))).toMatchObject({ ok: true, kind: "excel" });
    expect(detectAttachmentType("a.ppt", cfb("PowerPoint Document"))).toMatchObject({ ok: true, kind: "powerpoint" });
    // An installer package is a compound file too, without an Office stream.
    expect(detectAttachmentType("a.doc", cfb("SummaryInformation"))).toMatchObject({ ok: false, code: "mismatch" });
    expect(detectAttachmentType("a.xls", cfb("WordDocument"))).toMatchObject({ ok: false, code: "mismatch" });
  });
  it("Office Open XML by its central directory", () => {
    const docx = zip(["[Content_Types].xml", "_rels/.rels", "word/document.xml"]);
    expect(zipEntryNames(docx)).toEqual(["[Content_Types].xml", "_rels/.rels", "word/document.xml"]);
    expect(detectAttachmentType("报告.docx", docx)).toMatchObject({ ok: true, kind: "word" });
    expect(detectAttachmentType("报告.pptx", docx)).toMatchObject({ ok: false, code: "mismatch" });
    expect(detectAttachmentType("slides.pptx", zip(["[Content_Types].xml", "ppt/presentation.xml"]))).toMatchObject({ ok: true, kind: "powerpoint" });
    // A plain zip (or a jar) renamed.
    expect(detectAttachmentType("a.docx", zip(["payload.exe"]))).toMatchObject({ ok: false, code: "mismatch" });
    expect(zipEntryNames(new Uint8Array([0x50, 0x4b, 0x03, 0x04]))).toBeNull();
  });
  it("images and PDF by their signatures; the extension's case does not matter", () => {
    expect(detectAttachmentType("A.GIF", new Uint8Array(ascii("GIF89a...")))).toMatchObject({ ok: true, contentType: "image/gif" });
    expect(detectAttachmentType("a.webp", new Uint8Array([...ascii("RIFF"), 0, 0, 0, 0, ...ascii("WEBPVP8 ")]))).toMatchObject({ ok: true, contentType: "image/webp" });
    expect(detectAttachmentType("a.webp", new Uint8Array([...ascii("RIFF"), 0, 0, 0, 0, ...ascii("WAVEfmt ")]))).toMatchObject({ ok: false, code: "mismatch" });
    expect(detectAttachmentType("a.JPEG", new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toMatchObject({ ok: true, contentType: "image/jpeg" });
    expect(detectAttachmentType("a.pdf", new Uint8Array(ascii("%PDF-1.4")))).toMatchObject({ ok: true });
  });
  it("text: UTF-8 or GB18030, never binary, never markup", () => {
    expect(detectAttachmentType("a.txt", new Uint8Array([0xc4, 0xe3, 0xba, 0xc3]))).toMatchObject({ ok: true, contentType: "text/plain; charset=gb18030" });
    expect(detectAttachmentType("a.txt", new Uint8Array([...ascii("ab"), 0, 1]))).toMatchObject({ ok: false, code: "mismatch" });
    expect(detectAttachmentType("a.txt", new Uint8Array([0xef, 0xbb, 0xbf, ...ascii("  <svg onload=x>")]))).toMatchObject({ ok: false, code: "markup" });
    expect(detectAttachmentType("a.csv", new Uint8Array(ascii("a,b\n<1,2\n")))).toMatchObject({ ok: true });
  });
});
