// export → import gives back the same exchange JSON.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exchangeTableSchema, type ExchangeTable } from "../../app/domain/schemas";
import { tableToWorkbook, tablesToWorkbook, workbookToTables } from "../../app/io/xlsx";
import { fullDepartment, fullProject, ind, smallDepartment, smallProject } from "../fixtures/xlsx/build";
import { PUBLISHED_DIR } from "../helpers/shared";

async function roundTrip(tables: ExchangeTable[]) {
  const buf = tables.length === 1 ? await tableToWorkbook(tables[0]) : await tablesToWorkbook(tables);
  const res = await workbookToTables(buf);
  for (const t of res.tables) exchangeTableSchema.parse(t);
  return res;
}

describe("xlsx round trip", () => {
  it("a project table with every header field, decimal and null weights, 定性, core true/false/null, missing 一级/二级", async () => {
    const t = fullProject();
    const res = await roundTrip([t]);
    expect(res.warnings).toEqual([]);
    expect(res.tables).toHaveLength(1);
    expect(res.tables[0]).toStrictEqual(t);
  });

  it("a project table with only the 002 fields", async () => {
    const t = smallProject();
    const res = await roundTrip([t]);
    expect(res.warnings).toEqual([]);
    expect(res.tables[0]).toStrictEqual(t);
  });

  it("a department table with every field", async () => {
    const t = fullDepartment();
    const res = await roundTrip([t]);
    expect(res.warnings).toEqual([]);
    expect(res.tables[0]).toStrictEqual(t);
  });

  it("an empty department table (no year, no indicators, no budget)", async () => {
    const t = smallDepartment();
    const res = await roundTrip([t]);
    expect(res.warnings).toEqual([]);
    expect(res.tables[0]).toStrictEqual(t);
  });

  it("a whole department as one workbook: index sheet skipped, tables in order", async () => {
    const tables = [fullDepartment(), fullProject(), smallProject(), smallDepartment()];
    const res = await roundTrip(tables);
    expect(res.warnings).toEqual([]);
    expect(res.tables).toStrictEqual(tables);
  });

  it("two projects with the same name and odd characters keep apart", async () => {
    const a = smallProject();
    a.project!.name = "信息化/数字化[专项]: 一期*?";
    const b = smallProject();
    b.project!.name = a.project!.name;
    b.project!.code = "50011021T000000099999";
    b.indicators = [ind({ name: "只有名称" })];
    const res = await roundTrip([a, b]);
    expect(res.warnings).toEqual([]);
    expect(res.tables).toStrictEqual([a, b]);
  });

  it("a project without code, without year and with a name that has no code prefix", async () => {
    const t = smallProject();
    t.year = null;
    t.project!.code = null;
    t.project!.name = "2024-年度设备购置";
    t.department = { code: "531", name: null };
    const res = await roundTrip([t]);
    expect(res.warnings).toEqual([]);
    expect(res.tables[0]).toStrictEqual(t);
  });

  it("texts with line breaks, long texts and markup survive", async () => {
    const t = fullProject();
    t.project!.overview = "<p>第一段</p>\n<p>第二段：" + "很长的说明。".repeat(200) + "</p>";
    t.indicators[0].name = "补助\n人数";
    const res = await roundTrip([t]);
    expect(res.tables[0]).toStrictEqual(t);
  });

  it("numbers survive exactly: budgets with 4 decimals, large targets, negative targets", async () => {
    const t = smallProject();
    t.project!.budget = { total: 1234567.1234, local: 0.0001, superior: 1234567.1233 };
    t.indicators = [
      ind({ name: "大数", weight: 33.33, unit: "元", operator: "≥", target: "12345678901234567890" }),
      ind({ name: "负数", weight: 0.5, unit: "%", operator: "≥", target: "-2.5" }),
      ind({ name: "小数", weight: 66.17, unit: "%", operator: "≤", target: "0.001" }),
    ];
    const res = await roundTrip([t]);
    expect(res.warnings).toEqual([]);
    expect(res.tables[0]).toStrictEqual(t);
  });

  it("normalises absent optional keys: a table without `unit`/`overall` comes back with null", async () => {
    const t = smallProject() as Partial<ExchangeTable>;
    delete t.unit;
    delete t.overall;
    const res = await roundTrip([t as ExchangeTable]);
    expect(res.tables[0]).toStrictEqual({ ...smallProject(), unit: null, overall: null });
  });

  it("documents what the trip normalises: operators inferred by the value engine, trimmed texts, dropped provenance", async () => {
    const t = smallProject();
    t.indicators = [
      ind({ name: " 无比较符的数值 ", operator: null, target: "39", unit: "人" }),
      ind({ name: "无比较符的文字", operator: null, target: "合规" }),
      ind({ name: "定性带空格", operator: "定性", target: "有效 提升" }),
      ind({ name: "非规范数值", operator: "≥", target: "1,300.00", unit: "万元", raw: { target: "≥1,300.00万元" }, line: 7 }),
      ind({ name: "", weight: 5 }),
      ind({ name: "", operator: null, target: null }), // an entirely empty row carries nothing: it is not read back
    ];
    t.project!.basis = "";
    const res = await workbookToTables(await tableToWorkbook(t));
    expect(res.warnings.map((w) => [w.code, w.row])).toEqual([["name_missing", 16]]);
    expect(res.tables[0].project!.basis).toBeNull();
    expect(res.tables[0].indicators).toEqual([
      ind({ name: "无比较符的数值", operator: "=", target: "39", unit: "人" }),
      ind({ name: "无比较符的文字", operator: "定性", target: "合规" }),
      ind({ name: "定性带空格", operator: "定性", target: "有效提升", raw: { target: "有效 提升" } }),
      ind({ name: "非规范数值", operator: "≥", target: "1300", unit: "万元", raw: { target: "1,300.00" } }),
      ind({ name: null as unknown as string, weight: 5 }),
    ]);
  });

  it("records provenance only when a file name is given", async () => {
    const buf = await tableToWorkbook(smallProject());
    const res = await workbookToTables(buf, { file: "a.xlsx" });
    const t = res.tables[0];
    expect(t.source).toEqual({ file: "a.xlsx", line: 1, sheet: "困难企业、骨干企业慰问费" });
    expect(t.indicators.map((i) => i.line)).toEqual([12, 13]);
    expect(exchangeTableSchema.parse(t).source?.sheet).toBe("困难企业、骨干企业慰问费");
    const { source, ...rest } = t;
    void source;
    expect({ ...rest, indicators: rest.indicators.map(({ line, ...i }) => (void line, i)) }).toStrictEqual(smallProject());
  });

  // The published documents, read by the document importer, survive export → import.
  const published = PUBLISHED_DIR;
  const docs = fs.existsSync(published) ? fs.readdirSync(published).filter((f) => f.endsWith(".txt")) : [];
  it.skipIf(docs.length === 0)("the tables of the published documents survive export → import", async () => {
    const { parseDocument } = await import("../../app/io/document");
    const strip = (t: ExchangeTable): ExchangeTable => {
      const { source, warnings, ...rest } = t;
      void source;
      void warnings;
      return { ...rest, indicators: rest.indicators.map(({ line, raw, ...i }) => (void line, void raw, i)) };
    };
    let total = 0;
    for (const f of docs) {
      const parsed = parseDocument(fs.readFileSync(path.join(published, f), "utf8"), { file: f });
      const tables = parsed.tables.map(strip);
      if (!tables.length) continue;
      total += tables.length;
      const res = await workbookToTables(await tablesToWorkbook(tables, { title: f }));
      expect(res.tables.map(strip), f).toStrictEqual(tables);
      expect(res.warnings, f).toEqual([]);
    }
    expect(total).toBeGreaterThan(10);
  });
});
