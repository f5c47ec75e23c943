// Word in and out (app/io/docx): the published layout written as .docx reads back through the
// document importer as the same exchange tables (the seeds: every demo department's tables);
// a table drafted in Word (merged 一级指标 cells, a bad row) imports with row-level warnings,
// on the web upload and on `jixiao import`; hostile .docx files are refused in Chinese.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AlignmentType, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from "docx";
import { strToU8, zipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import { main, type CliIO } from "~/cli/main";
import { exchangeTableSchema, type ExchangeTable } from "~/domain/schemas";
import { parseDocument } from "~/io/document";
import { DocumentInputError } from "~/io/document/input";
import { docxToText, htmlToImporterText, tablesToDocx, MAX_DOCX_XML_BYTES } from "~/io/docx";
import { readUpload, UploadError } from "~/io/upload.server";
import { validProjectTable } from "../helpers/tables";

const SEEDS = path.resolve(__dirname, "../../seeds/published");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-docx-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** What a table says, without where it was read from (source, line, warnings, the source's raw wording). */
export function comparable(t: ExchangeTable) {
  const { source: _s, warnings: _w, ...rest } = t;
  return { ...rest, unit: rest.unit ?? null, overall: rest.overall ?? null, indicators: rest.indicators.map(({ line: _l, raw: _r, ...i }) => i) };
}

function seedTables(file: string): ExchangeTable[] {
  const json = JSON.parse(fs.readFileSync(path.join(SEEDS, file), "utf8")) as { tables: unknown[] };
  return json.tables.map((t) => exchangeTableSchema.parse(t));
}

async function readBack(bytes: Uint8Array, name = "t.docx") {
  return parseDocument(await docxToText(bytes, name), { file: name });
}

describe("publish → .docx → import", () => {
  for (const file of fs.readdirSync(SEEDS).filter((f) => f.endsWith(".json"))) {
    it(`gives back every table of ${file} (names, header fields, every indicator field, weights exact)`, async () => {
      const tables = seedTables(file);
      const bytes = await tablesToDocx(tables, { heading: "示例部门绩效目标公开", notes: ["共收录 3 张"] });
      const parsed = await readBack(bytes);
      expect(parsed.tables.map(comparable)).toEqual(tables.map(comparable));
      // The only warnings are about the seeds' own gaps (a project table published without a name).
      const unnamed = tables.filter((t) => t.kind === "project" && !t.project?.name).length;
      expect(parsed.warnings.map((w) => w.code)).toEqual(Array(unnamed).fill("name_missing"));
    });
  }

  it("keeps multi-line prose, 4-decimal amounts, decimal weights, 定性 targets, a 财政归口科室 and the optional rows", async () => {
    const t = validProjectTable({ year: 2025 });
    t.project = {
      ...t.project!,
      financeOffice: { code: "105", name: "经济建设科" },
      budget: { total: 1234.5678, local: 1000, superior: 234.5678 },
      overview: "第一段，含 <尖括号> & 符号。\n第二段。",
      basis: "《某某办法》",
      schedule: "1—6月完成",
      measures: "专人负责",
      // Not "当年目标": a value that is itself a field word is read as a label (app/domain/vocabulary.ts).
      midTermGoal: "三年内覆盖全部补助对象",
      annualGoal: "按时足额发放补助",
    };
    t.budgetExecutionWeight = 10;
    t.indicators[0] = { ...t.indicators[0], weight: 12.5 };
    t.indicators[1] = { ...t.indicators[1], operator: "定性", target: "有效提升服务质量", unit: null, weight: 27.5 };
    const parsed = await readBack(await tablesToDocx([t]));
    expect(parsed.warnings).toEqual([]);
    expect(parsed.tables.map(comparable)).toEqual([comparable(t)]);
  });

  it("writes an A4 portrait Word file in 宋体 with real merged cells and a repeated header row", async () => {
    const bytes = await tablesToDocx([validProjectTable()]);
    const { unzipSync, strFromU8 } = await import("fflate");
    const xml = strFromU8(unzipSync(bytes)["word/document.xml"]);
    const styles = strFromU8(unzipSync(bytes)["word/styles.xml"]);
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"\/>/);
    expect(styles).toContain('w:eastAsia="宋体"');
    expect(xml).toContain("<w:tblHeader/>");
    expect(xml).toContain('<w:gridSpan w:val="3"/>');
    expect(xml).toContain('<w:vMerge w:val="restart"/>');
    expect(xml).toContain("<w:cantSplit/>");
  });
});

// A table as a department drafts it in Word: the published layout, 一级指标 merged down over
// its rows, and one row whose weight is not a number.
async function draftedInWord(): Promise<Uint8Array> {
  const c = (text: string, o: { colSpan?: number; rowSpan?: number } = {}) =>
    new TableCell({ children: [new Paragraph({ children: [new TextRun(text)] })], columnSpan: o.colSpan, rowSpan: o.rowSpan });
  const header = new Table({
    rows: [
      new TableRow({ children: [c("项目名称"), c("社区养老服务补助", { colSpan: 3 }), c("项目编码"), c("50011021T000000099999", { colSpan: 3 })] }),
      new TableRow({ children: [c("主管部门"), c("206-重庆市綦江区民政局", { colSpan: 3 }), c("实施单位"), c("206001-重庆市綦江区民政局（本级）", { colSpan: 3 })] }),
      new TableRow({ children: [c("项目类型"), c("一般性项目", { colSpan: 3 }), c("预算执行率权重"), c("10", { colSpan: 3 })] }),
      new TableRow({ children: [c("当年预算（万元）", { rowSpan: 2 }), c("120.00", { colSpan: 3, rowSpan: 2 }), c("本级安排（万元）"), c("100.00", { colSpan: 3 })] }),
      new TableRow({ children: [c("上级补助（万元）"), c("20.00", { colSpan: 3 })] }),
      new TableRow({ children: [c("项目概述"), c("为社区养老服务站提供运营补助。", { colSpan: 7 })] }),
      new TableRow({ children: [c("立项依据"), c("《养老服务条例》", { colSpan: 7 })] }),
      new TableRow({ children: [c("当年绩效目标"), c("保障 20 个服务站正常运营。", { colSpan: 7 })] }),
    ],
  });
  const grid = new Table({
    rows: [
      new TableRow({ tableHeader: true, children: ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重", "是否核心指标"].map((h) => c(h)) }),
      new TableRow({ children: [c("产出指标", { rowSpan: 3 }), c("数量指标"), c("补助服务站数"), c("≥"), c("20"), c("个"), c("30"), c("是")] }),
      new TableRow({ children: [c("质量指标"), c("验收合格率"), c("="), c("100"), c("%"), c("二十"), c("是")] }),
      new TableRow({ children: [c("时效指标"), c("按时拨付率"), c("="), c("100"), c("%"), c("30"), c("否")] }),
      new TableRow({ children: [c("满意度指标"), c("服务对象满意度指标"), c("老人满意度"), c("≥"), c("90"), c("%"), c("30"), c("是")] }),
    ],
  });
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun("2026年项目支出绩效目标表")] }),
          new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun("单位：万元")] }),
          header,
          new Paragraph({ children: [] }),
          grid,
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

const DRAFT_EXPECTED = {
  kind: "project",
  year: 2026,
  department: { code: "206", name: "重庆市綦江区民政局" },
  unit: { code: "206001", name: "重庆市綦江区民政局（本级）" },
  name: "社区养老服务补助",
  budget: { total: 120, local: 100, superior: 20 },
  indicators: [
    ["产出指标", "数量指标", "补助服务站数", 30],
    ["产出指标", "质量指标", "验收合格率", null],
    ["产出指标", "时效指标", "按时拨付率", 30],
    ["满意度指标", "服务对象满意度指标", "老人满意度", 30],
  ],
};

function summary(t: ExchangeTable) {
  return {
    kind: t.kind,
    year: t.year,
    department: t.department,
    unit: t.unit,
    name: t.project?.name,
    budget: t.project?.budget,
    indicators: t.indicators.map((i) => [i.level1, i.level2, i.name, i.weight]),
  };
}

describe("a table drafted in Word", () => {
  it("imports like a published document: merged 一级指标 cells inherited, a row-level warning for the bad weight", async () => {
    const parsed = await readBack(await draftedInWord(), "草稿.docx");
    expect(parsed.tables.map(summary)).toEqual([DRAFT_EXPECTED]);
    expect(parsed.tables[0].warnings!.map((w) => w.code)).toEqual(["weight_unreadable"]);
    expect(parsed.tables[0].warnings![0].message).toMatch(/^第\d+行：指标「验收合格率」的权重「二十」不是数字$/);
    expect(parsed.tables[0].source).toEqual({ file: "草稿.docx", line: expect.any(Number) });
  });

  it("imports on the web upload, also when the file name does not say .docx", async () => {
    const bytes = await draftedInWord();
    for (const name of ["草稿.docx", "草稿"]) {
      const r = await readUpload(name, bytes);
      expect(r.kind).toBe("document");
      expect(r.tables.map(summary)).toEqual([DRAFT_EXPECTED]);
      expect(r.tables[0].warnings!.map((w) => w.code)).toEqual(["weight_unreadable"]);
    }
  });

  it("imports on `jixiao import --json`", async () => {
    const file = path.join(dir, "草稿.docx");
    fs.writeFileSync(file, await draftedInWord());
    let stdout = "";
    const io: CliIO = { stdout: (t) => (stdout += t), stderr: () => {}, readFile: (p) => fs.readFileSync(p, "utf8") };
    expect(await main(["import", file, "--json"], io)).toBe(0);
    const out = JSON.parse(stdout) as { documents: Array<{ file: string; tables: ExchangeTable[]; checks: unknown[] }> };
    expect(out.documents[0].file).toBe("草稿.docx");
    expect(out.documents[0].tables.map(summary)).toEqual([DRAFT_EXPECTED]);
    expect(out.documents[0].tables[0].warnings!.map((w) => w.code)).toEqual(["weight_unreadable"]);
  });
});

describe("mammoth's HTML → importer text", () => {
  it("writes the cells under a vertical merge as empty cells and keeps paragraphs of a cell apart", () => {
    const html =
      '<p>标题</p><table><tr><td rowspan="2"><p>A</p></td><td colspan="2"><p>B1</p><p>B2</p></td></tr><tr><td><p>C</p></td><td><p>D</p></td></tr></table><p>x\ty</p>';
    expect(htmlToImporterText(html)).toBe(
      ["标题", "<table>", '<tr><td>A</td><td colspan="2">B1<br>B2</td></tr>', "<tr><td></td><td>C</td><td>D</td></tr>", "</table>", "x y", ""].join("\n"),
    );
  });

  it("reads a table inside a cell as text of that cell", () => {
    const html = "<table><tr><td><p>外</p><table><tr><td><p>内1</p></td><td><p>内2</p></td></tr></table></td><td><p>右</p></td></tr></table>";
    expect(htmlToImporterText(html)).toBe(["<table>", "<tr><td>外<br>内1<br>内2</td><td>右</td></tr>", "</table>", ""].join("\n"));
  });
});

describe("hostile or broken .docx", () => {
  const code = async (bytes: Uint8Array) => {
    try {
      await docxToText(bytes, "x.docx");
      return "read";
    } catch (e) {
      expect(e).toBeInstanceOf(DocumentInputError);
      expect((e as Error).message).toMatch(/[\u4e00-\u9fff]/);
      return (e as DocumentInputError).code;
    }
  };

  it("refuses a zip bomb before inflating it whole", async () => {
    const huge = new Uint8Array(MAX_DOCX_XML_BYTES + 1024 * 1024).fill(0x20);
    const bomb = zipSync({ "[Content_Types].xml": strToU8("<Types/>"), "word/document.xml": huge }, { level: 9 });
    expect(bomb.length).toBeLessThan(200 * 1024);
    expect(await code(bomb)).toBe("too_complex");
  });

  it("refuses a zip that is not a Word document, a DOCTYPE, and garbage", async () => {
    expect(await code(zipSync({ "a.txt": strToU8("hello") }))).toBe("unreadable");
    const doctype = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><w:document/>';
    expect(await code(zipSync({ "word/document.xml": strToU8(doctype) }))).toBe("unreadable");
    expect(await code(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6]))).toBe("unreadable");
  });

  it("says so when a Word document has no text", async () => {
    const empty = new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children: [] }] })));
    expect(await code(empty)).toBe("empty");
    await expect(readUpload("空.docx", empty)).rejects.toThrow(UploadError);
  });
});
