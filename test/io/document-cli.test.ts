// `jixiao import FILE… [--json]` and `jixiao check DOCUMENT`.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main, type CliIO } from "~/cli/main";
import { defaultRuleSetName } from "~/domain/rules";
import { MAX_DOCUMENT_BYTES } from "~/io/document/input";
import { exchangeTableSchema, type ExchangeTable } from "~/domain/schemas";
import { tablesToWorkbook } from "~/io/xlsx";
import { HAS_PUBLISHED, PUBLISHED_DIR } from "../helpers/shared";

const PUBLISHED = PUBLISHED_DIR;
const F000 = path.join(PUBLISHED, "000_fec630cfd683dd92.txt");
const F001 = path.join(PUBLISHED, "001_9e32bcde27c9bb9e.txt");
const F002 = path.join(PUBLISHED, "002_2b7b38b2db384d80.txt");
const FIXTURES = path.resolve(__dirname, "../fixtures/documents");

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-doc-cli-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: (t) => (stdout += t.endsWith("\n") ? t : `${t}\n`),
    stderr: (t) => (stderr += t.endsWith("\n") ? t : `${t}\n`),
    readFile: (p) => fs.readFileSync(p, "utf8"),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

interface ImportJson {
  format: string;
  documents: Array<{
    file: string;
    year?: number | null;
    ruleSet?: string;
    tables: ExchangeTable[];
    warnings: Array<{ line: number | null; code: string; message: string }>;
    checks?: Array<{ table: number; counts: Record<string, number>; findings: Array<{ severity: string; code: string; message: string }> }>;
    error?: { code: string; message: string };
  }>;
}

describe.skipIf(!HAS_PUBLISHED)("jixiao import --json", () => {
  it("prints the tables of every document, with import warnings and the checker's findings", async () => {
    const r = await run("import", F000, F001, F002, "--json");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as ImportJson;
    expect(out.format).toBe("jixiao.import/v1");
    expect(out.documents.map((d) => [d.file, d.year, d.ruleSet, d.tables.length, d.checks!.length])).toEqual([
      ["000_fec630cfd683dd92.txt", 2022, "chongqing-2022", 3, 3],
      ["001_9e32bcde27c9bb9e.txt", 2024, "chongqing-2024", 8, 8],
      ["002_2b7b38b2db384d80.txt", 2026, "chongqing-2024", 17, 17],
    ]);
    for (const d of out.documents) for (const t of d.tables) expect(exchangeTableSchema.safeParse(t).success).toBe(true);
    expect(out.documents.map((d) => d.tables.reduce((s, t) => s + t.indicators.length, 0))).toEqual([45, 42, 81]);

    const d2 = out.documents[2];
    expect(d2.warnings).toEqual([expect.objectContaining({ line: 438, code: "name_missing" })]);
    expect(d2.tables[8].project!.name).toBeNull();
    expect(d2.tables[8].warnings![0].code).toBe("name_missing");
    // The empty department table has no indicators; 中小企业服务体系… lacks a 满意度 indicator.
    expect(d2.checks![0].findings.map((f) => f.code)).toContain("no_indicators");
    expect(d2.checks![0].counts.error).toBeGreaterThan(0);
    expect(d2.checks![5].findings).toEqual([expect.objectContaining({ severity: "error", code: "level1_required" })]);
    expect(d2.checks![5].findings[0].message).toContain("满意度指标");
    // 000's project tables have no 一级 column at all.
    expect(out.documents[0].checks![1].findings.map((f) => f.code)).toContain("level1_required");
    expect(out.documents[0].checks![0].counts).toEqual({ error: 0, warning: 0, info: 0 });
    // The sources point back to the documents.
    expect(out.documents[1].tables[7].source).toEqual({ file: "001_9e32bcde27c9bb9e.txt", line: 542 });
  });

  it("uses --rules NAME instead of the year's default", async () => {
    const out = JSON.parse((await run("import", F000, "--rules", "national", "--json")).stdout) as ImportJson;
    expect(out.documents[0].ruleSet).toBe("national");
    // national: the indicator weights must add up to 90, 000's add up to 100.
    expect(out.documents[0].checks![1].findings.map((f) => f.code)).toContain("weight_total");
    const r = await run("import", F000, "--rules", "no-such-rules");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("没有名为「no-such-rules」的规则集");
  });

  it("picks the region's default rule set by year", () => {
    expect([2021, 2022, 2023, 2024, 2026, null].map(defaultRuleSetName)).toEqual([
      "chongqing-2022",
      "chongqing-2022",
      "chongqing-2022",
      "chongqing-2024",
      "chongqing-2024",
      "chongqing-2024",
    ]);
  });

  it("reports unreadable files per document and exits 2, still importing the others", async () => {
    const empty = path.join(dir, "empty.txt");
    fs.writeFileSync(empty, "");
    const huge = path.join(dir, "huge.md");
    fs.writeFileSync(huge, "");
    fs.truncateSync(huge, MAX_DOCUMENT_BYTES);
    const bin = path.join(dir, "x.bin");
    fs.writeFileSync(bin, new Uint8Array([0, 1, 2, 3, 0, 0, 255]));
    const r = await run("import", empty, F000, huge, bin, path.join(dir, "missing.txt"), "--json");
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout) as ImportJson;
    expect(out.documents.map((d) => [d.file, d.error?.code ?? null, d.tables.length])).toEqual([
      ["empty.txt", "empty", 0],
      ["000_fec630cfd683dd92.txt", null, 3],
      ["huge.md", "too_large", 0],
      ["x.bin", "binary", 0],
      ["missing.txt", "not_found", 0],
    ]);
    expect(out.documents[2].error!.message).toContain("须小于 50 MB");
  });

  it("imports a document without tables: no tables, one warning, exit 0", async () => {
    const r = await run("import", path.join(FIXTURES, "no-tables.txt"), "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as ImportJson;
    expect(out.documents[0].tables).toEqual([]);
    expect(out.documents[0].warnings.map((w) => w.code)).toEqual(["no_tables"]);
  });

  it("imports .xlsx workbooks too", async () => {
    const first = JSON.parse((await run("import", F002, "--json")).stdout) as ImportJson;
    const xlsx = path.join(dir, "002.xlsx");
    fs.writeFileSync(xlsx, await tablesToWorkbook(first.documents[0].tables.slice(1, 3)));
    const r = await run("import", xlsx, "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as ImportJson;
    expect(out.documents[0].tables.map((t) => [t.project!.code, t.indicators.length])).toEqual([
      ["50011021T000000052342", 5],
      ["50011021T000000052350", 5],
    ]);
    expect(out.documents[0].ruleSet).toBe("chongqing-2024");
  });
});

describe.skipIf(!HAS_PUBLISHED)("jixiao import (text)", () => {
  it("prints each table, its indicators, import warnings and findings in Chinese", async () => {
    const r = await run("import", F002);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("文件 002_2b7b38b2db384d80.txt：找到 17 张绩效目标表（年度 2026，规则集 chongqing-2024）");
    expect(r.stdout).toContain("表 2：50011021T000000052342-参战参核军人生活补助（项目，2026 年，来源 002_2b7b38b2db384d80.txt 第 299 行）");
    expect(r.stdout).toContain("当年预算 25.65 万元，本级安排 25.65 万元");
    expect(r.stdout).toContain("- 产出指标/数量指标/补助人数：≥ 39 人，权重 20，核心");
    expect(r.stdout).toContain("! 导入 [name_missing] 第438行起的项目绩效目标表没有项目名称");
    expect(r.stdout).toContain("✗ 错误 [no_indicators]");
  });

  it("needs a file", async () => {
    const r = await run("import");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("缺少文件参数");
  });
});

describe.skipIf(!HAS_PUBLISHED)("jixiao check DOCUMENT", () => {
  it("imports the document and checks it under the year's default rule set", async () => {
    const r = await run("check", F001, "--json");
    const out = JSON.parse(r.stdout);
    expect(out.format).toBe("jixiao.check/v1");
    expect(out.ruleSet).toBe("chongqing-2024");
    expect(out.tables).toHaveLength(8);
    expect(out.tables[1].project).toEqual({ code: null, name: "高质量发展扶持资金" });
    // 001's project tables publish no 一级 column: the checker cannot confirm the required ones.
    expect(out.tables.slice(1).map((t: { findings: Array<{ code: string }> }) => t.findings.map((f) => f.code))).toEqual(
      Array.from({ length: 7 }, () => ["level1_required"]),
    );
    expect(out.ok).toBe(false);
    expect(r.code).toBe(1);
  });

  it("exits 1 when the document's tables have errors, and accepts --rules", async () => {
    const r = await run("check", F002);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("规则集：chongqing-2024");
    const n = await run("check", F000, "--rules", "chongqing-2024", "--json");
    expect(JSON.parse(n.stdout).ruleSet).toBe("chongqing-2024");
  });

  it("gives the same findings as checking the imported exchange JSON", async () => {
    const imported = JSON.parse((await run("import", F002, "--json")).stdout) as ImportJson;
    const json = path.join(dir, "002.json");
    fs.writeFileSync(json, JSON.stringify({ tables: imported.documents[0].tables }));
    const a = JSON.parse((await run("check", F002, "--json")).stdout);
    const b = JSON.parse((await run("check", json, "--rules", "chongqing-2024", "--json")).stdout);
    expect(a.tables.map((t: { findings: unknown }) => t.findings)).toEqual(b.tables.map((t: { findings: unknown }) => t.findings));
    expect(a.counts).toEqual(b.counts);
  });

  it("refuses an empty document with a clear error", async () => {
    const empty = path.join(dir, "empty-check.txt");
    fs.writeFileSync(empty, "   \n");
    const r = await run("check", empty);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("只有空白");
  });
});
