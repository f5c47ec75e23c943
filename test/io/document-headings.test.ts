// Documents that state a table's name, budget and year outside the table (issue 12, item 2):
// the project in a numbered heading or in the table's title, the budget in the prose of the
// section, the year in 「（2023 年度目标）」; 定性 targets with digits; rows whose cell separators
// were lost. Fixtures (test/fixtures/documents/headings-*) are written for these tests, in
// several spellings: （一）/(1)/1./一、 numbering, full- and half-width brackets, 万元/元/亿元,
// tab-, space- and pipe-separated cells. Every recovered value carries a warning.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "../../app/io/document";
import { budgetFromProse, headingText, projectFromHeading, projectFromTitle, targetYear } from "../../app/io/document/section";
import type { ExchangeTable, Indicator } from "../../app/domain/schemas";

const dir = path.resolve(__dirname, "../fixtures/documents");
const fixture = (name: string) => parseDocument(fs.readFileSync(path.join(dir, name), "utf8"), { file: name });
const row = (i: Indicator) => [i.level1, i.level2, i.name, i.weight, i.unit, i.operator, i.target];
const codes = (t: ExchangeTable) => (t.warnings ?? []).map((w) => [w.line, w.code]);

describe("tab-separated, （一） headings, 万元, （2023 年度目标）", () => {
  const doc = fixture("headings-tsv.txt");
  const [a, b] = doc.tables;

  it("finds both tables, named by the headings above them", () => {
    expect(doc.tables).toHaveLength(2);
    expect(a.project!.name).toBe("农村公路养护补助资金");
    expect(b.project!.name).toBe("客运站运营补贴");
    expect(a.year).toBe(2023);
    expect(b.year).toBe(2023);
  });

  it("reads the budget and its split from the prose of each section", () => {
    expect(a.project!.budget).toEqual({ total: 320, local: 200, superior: 120 });
    expect(b.project!.budget).toEqual({ total: 48.5, local: 30, superior: 18.5 });
  });

  it("keeps a 定性 target with digits and splits rows whose separators were lost", () => {
    expect(a.indicators.map(row)).toEqual([
      ["产出指标", "数量指标", "日常养护里程", 20, "公里", "≥", "150"],
      ["产出指标", "数量指标", "示范路创建", 10, null, "定性", "建成3个示范村"],
      ["产出指标", "质量指标", "路面优良率", 20, "%", "≥", "85"],
      ["效益指标", "社会效益指标", "群众知晓率", null, "%", "=", "95"],
      ["满意度指标", "服务对象满意度指标", "沿线群众满意度", 10, "%", "≥", "90"],
    ]);
    expect(a.indicators[1].raw).toEqual({ target: "建成 3 个示范村" });
    // Both levels glued in the first of several cells.
    expect(b.indicators.map(row)[2]).toEqual(["效益指标", "社会效益指标", "班车正常运营", 20, null, "定性", "全年不停运"]);
  });

  it("marks every inferred value with a warning at the line it came from", () => {
    expect(codes(a)).toEqual([
      [5, "name_from_heading"],
      [6, "budget_from_prose"],
      [6, "budget_from_prose"],
      [8, "budget_derived"], // the table's first line
      [12, "row_split"],
    ]);
    const text = a.warnings!.map((w) => w.message).join("\n");
    expect(text).toContain("「2023 年该项目预算 320 万元」");
    expect(text).toContain("「其中上级补助 120 万元」");
    expect(text).toContain("本级安排 200 万元由当年预算减上级补助算出");
    expect(text).toContain("「效益指标社会效益指标群众知晓率 95%」");
    expect(codes(b)).toEqual([
      [15, "name_from_heading"],
      [16, "budget_from_prose"],
      [16, "budget_from_prose"],
      [18, "budget_derived"],
      [21, "row_split"],
    ]);
    // The document's warnings are the tables' (nothing else was ignored).
    expect(doc.warnings).toHaveLength(a.warnings!.length + b.warnings!.length);
  });
});

describe("space-separated, (1) and 1. headings, 元 and 亿元, (2022年度目标)", () => {
  const doc = fixture("headings-spaces.txt");
  const [a, b] = doc.tables;

  it("takes the year of the title's 年度目标 over the document's, with a warning", () => {
    expect(doc.year).toBe(2023);
    expect(a.year).toBe(2022);
    expect(a.warnings!.find((w) => w.code === "year_from_title")!.message).toContain("文档标题的年度为 2023");
    expect(b.year).toBe(2023);
    expect(codes(b).map(([, c]) => c)).not.toContain("year_from_title");
  });

  it("converts 元 and 亿元 to 万元 exactly", () => {
    expect(a.project).toMatchObject({ name: "城镇老旧小区改造补助", budget: { total: 320, local: 200, superior: 120 } });
    expect(b.project!.budget).toEqual({ total: 56, local: 40, superior: 16 });
  });

  it("prefers a title that names the project to the heading", () => {
    expect(b.project!.name).toBe("城市桥梁安全检测");
    expect(codes(b).map(([, c]) => c)).toContain("name_from_title");
    expect(codes(b).map(([, c]) => c)).not.toContain("name_from_heading");
  });

  it("reads space-separated rows, 定性 with digits, glued and half-glued rows", () => {
    expect(a.indicators.map(row)).toEqual([
      ["产出指标", "数量指标", "改造小区数量", 30, "个", "≥", "12"],
      ["产出指标", "质量指标", "竣工验收合格率", 20, "%", "=", "100"],
      ["产出指标", "数量指标", "加装电梯", 10, null, "定性", "加装8部电梯"],
      ["效益指标", "社会效益指标", "居民居住条件改善率", null, "%", "≥", "90"],
      ["满意度指标", "服务对象满意度指标", "居民满意度", 10, "%", "≥", "90"],
    ]);
    expect(codes(a).filter(([, c]) => c === "row_split")).toEqual([
      [10, "row_split"],
      [11, "row_split"],
    ]);
    // Ideographic spaces separate the cells of the second table.
    expect(b.indicators.map(row)).toEqual([
      ["产出指标", "数量指标", "检测桥梁座数", 40, "座", "≥", "35"],
      ["效益指标", "社会效益指标", "安全隐患发现率", 20, null, "定性", "全部发现"],
    ]);
  });
});

describe("Markdown, 一、 headings, titles that name the project, tables that name themselves", () => {
  const doc = fixture("headings-titles.md");
  const [a, b, c, d] = doc.tables;

  it("names each table from its own fields, title or heading, and no other", () => {
    expect(doc.tables.map((t) => t.project!.name)).toEqual(["乡村文化振兴示范点建设", "非遗保护传承", null, "公共图书馆免费开放"]);
    // A heading that names a part of the document (…情况说明) is not a project's name.
    expect(codes(c)).toEqual([[33, "name_missing"]]);
    // A table with its own 项目名称 and 当年预算 takes nothing from the heading or the prose.
    expect(d.project!.budget).toEqual({ total: 75, local: null, superior: null });
    expect(d.warnings).toEqual([]);
  });

  it("reads a three-part budget and ignores the department's budget in earlier prose", () => {
    expect(a.project!.budget).toEqual({ total: 260, local: 200, superior: 60 });
    expect(codes(a).filter(([, w]) => w === "budget_from_prose")).toHaveLength(3);
    expect(codes(a).map(([, w]) => w)).not.toContain("budget_derived");
    // A title with no prose before it: no budget.
    expect(b.project!.budget).toEqual({ total: null, local: null, superior: null });
  });

  it("reads 定性 written with its level in the value cell", () => {
    expect(row(a.indicators[0])).toEqual(["产出指标", "数量指标", "示范点建设", 30, null, "定性", "建成3个示范村"]);
    expect(a.indicators[0].raw).toEqual({ target: "定性：建成 3 个示范村" });
  });

  it("reads headings in Markdown without leaving them as ignored lines", () => {
    expect(doc.warnings.map((w) => w.code)).not.toContain("line_ignored");
  });
});

describe("headings", () => {
  it.each([
    ["（二）农村公路养护补助资金", "农村公路养护补助资金"],
    ["(2) 农村公路养护补助资金", "农村公路养护补助资金"],
    ["( 12 )农村公路养护补助资金：", "农村公路养护补助资金"],
    ["二、农村公路养护补助资金", "农村公路养护补助资金"],
    ["十二．农村公路养护补助资金", "农村公路养护补助资金"],
    ["3. 农村公路养护补助资金", "农村公路养护补助资金"],
    ["3、农村公路养护补助资金", "农村公路养护补助资金"],
    ["③农村公路养护补助资金", "农村公路养护补助资金"],
    ["## 二、农村公路养护补助资金", "农村公路养护补助资金"],
  ])("%s is a heading", (line, text) => {
    expect(headingText(line)).toBe(text);
  });

  it.each([
    ["1.5 万元用于养护"], // a decimal
    ["2023 年该项目预算 320 万元"], // a year
    ["（二）农村公路养护补助资金主要用于县乡道养护。"], // a sentence
    ["（一）"], // nothing after the number
    ["农村公路养护补助资金"], // no number
    [`（一）${"很长的标题".repeat(10)}`],
  ])("%s is not", (line) => {
    expect(headingText(line)).toBeNull();
  });

  it("names a project only when the heading does not name a part of the document", () => {
    expect(projectFromHeading("农村公路养护补助资金")).toBe("农村公路养护补助资金");
    expect(projectFromHeading("农村公路养护补助资金绩效目标")).toBe("农村公路养护补助资金");
    for (const h of ["部门基本情况", "单位基本情况（略）", "项目支出绩效目标情况", "其他重要事项的情况说明", "名词解释", "收支预算总表", "示例区交通局"]) {
      expect([h, projectFromHeading(h)]).toEqual([h, null]);
    }
  });
});

describe("titles", () => {
  it.each([
    ["农村公路养护补助资金项目绩效目标表", "农村公路养护补助资金"],
    ["（三）2023 年学生资助补助经费绩效目标表", "学生资助补助经费"],
    ["城市桥梁安全检测项目绩效目标表（2023年度目标）", "城市桥梁安全检测"],
    ["表 5 义务教育营养改善计划项目支出绩效目标表", "义务教育营养改善计划"],
    ["2026年项目支出绩效目标表", null],
    ["项目绩效目标表（2023 年度目标）", null],
    ["示例区交通局2023年项目支出绩效目标表", null],
    ["重庆市南岸区经济和信息化委员会2024年项目支出绩效目标表", null],
    ["部门（单位）整体绩效目标表", null],
  ])("%s names %s", (title, name) => {
    expect(projectFromTitle(title)).toBe(name);
  });

  it.each([
    ["项目绩效目标表（2023 年度目标）", 2023],
    ["项目绩效目标表(2022年度目标)", 2022],
    ["2021 年度绩效目标表", 2021],
    ["示例项目 2024 年度绩效目标", 2024],
    ["2026年项目支出绩效目标表", null],
    ["项目绩效目标表（12023 年度目标）", null],
  ])("%s gives the target year %s", (title, year) => {
    expect(targetYear(title)).toBe(year);
  });
});

describe("budgets in prose", () => {
  const read = (...lines: string[]) => budgetFromProse(lines.map((text, k) => ({ text, line: k + 1 })));
  const values = (r: ReturnType<typeof read>) => ({ total: r.budgetTotal?.value, local: r.budgetLocal?.value, superior: r.budgetSuperior?.value });

  it("reads each part by the words before it, in 万元", () => {
    expect(values(read("2023 年该项目预算 320 万元，其中上级补助 120 万元。"))).toEqual({ total: "320", local: undefined, superior: "120" });
    expect(values(read("项目预算 1,234,567 元，其中本级安排 1,000,000 元"))).toEqual({ total: "123.4567", local: "100", superior: undefined });
    expect(values(read("该项目安排资金３２０万元（上级资金 0.012 亿元）"))).toEqual({ total: "320", local: undefined, superior: "120" });
    expect(values(read("本级资金200万元、中央补助资金80万元"))).toEqual({ total: undefined, local: "200", superior: "80" });
  });

  it("takes the first amount of each part, across lines, and names its line", () => {
    const r = read("项目简介。", "该项目预算 50 万元。", "往年预算 40 万元。");
    expect(r.budgetTotal).toEqual({ value: "50", quote: "该项目预算 50 万元", line: 2 });
  });

  it("ignores amounts without a word that names them, years, and the department's budget", () => {
    expect(values(read("2023 年完成投资 320 万元，新建 12 公里。"))).toEqual({ total: undefined, local: undefined, superior: undefined });
    expect(values(read("2024 年部门预算 5,600 万元，单位预算 300 万元。"))).toEqual({ total: undefined, local: undefined, superior: undefined });
  });

  it("reads a section's prose up to its bound", () => {
    const long = "预算为零，".repeat(200_000) + "该项目预算 320 万元。";
    expect(read(long).budgetTotal).toBeUndefined(); // past the bound: not read
    expect(read("预算为零，".repeat(100), "该项目预算 320 万元。").budgetTotal?.value).toBe("320");
  });
});

describe("without a heading, a title or prose", () => {
  it("imports as before: no inferred values, name_missing", () => {
    const doc = parseDocument(["\t指标名称\t指标权重\t指标值", "\t示例指标\t100\t≥90%"].join("\n"));
    expect(doc.tables[0].project).toMatchObject({ name: null, budget: { total: null, local: null, superior: null } });
    expect(codes(doc.tables[0])).toEqual([[1, "name_missing"]]);
  });

  it("a heading before a table that names itself changes nothing", () => {
    const text = ["（一）某某资金", "该项目预算 99 万元。", "项目名称\t示例项目\t当年预算（万元）\t10", "\t指标名称\t指标权重\t指标值", "\t示例指标\t100\t≥90%"].join("\n");
    const t = parseDocument(text).tables[0];
    expect(t.project).toMatchObject({ name: "示例项目", budget: { total: 10, local: null, superior: null } });
    expect(t.warnings).toEqual([]);
  });
});

describe("rows whose cell separators were lost", () => {
  const header = ["项目名称\t示例项目", "一级指标\t二级指标\t三级指标\t指标性质\t指标值\t计量单位\t指标权重"];
  const read = (line: string) => {
    const t = parseDocument([...header, line].join("\n")).tables[0];
    return { row: t.indicators.map(row), codes: codes(t) };
  };

  it.each([
    ["效益指标社会效益指标群众知晓率95%", ["效益指标", "社会效益指标", "群众知晓率", null, "%", "=", "95"]],
    ["效益指标社会效益指标群众知晓率不低于95%", ["效益指标", "社会效益指标", "群众知晓率", null, "%", "≥", "95"]],
    ["效益指标 社会效益指标 群众知晓率 ≥ 95 % 10", ["效益指标", "社会效益指标", "群众知晓率", 10, "%", "≥", "95"]],
    ["产出指标数量指标示范村建设定性建成3个示范村", ["产出指标", "数量指标", "示范村建设", null, null, "定性", "建成3个示范村"]],
    ["产出指标数量指标示范村建设 定性 建成 3 个示范村", ["产出指标", "数量指标", "示范村建设", null, null, "定性", "建成3个示范村"]],
    ["满意度指标服务对象满意度指标受益群众满意度≥90%", ["满意度指标", "服务对象满意度指标", "受益群众满意度", null, "%", "≥", "90"]],
  ])("%s", (line, expected) => {
    const r = read(line);
    expect(r.row).toEqual([expected]);
    expect(r.codes.map(([, c]) => c)).toContain("row_split");
  });

  it("a line that begins with no level name written in full stays an ignored line", () => {
    const r = read("产出数量不少于3个");
    expect(r.row).toEqual([]);
    expect(r.codes).toEqual([[3, "line_ignored"]]);
  });
});

describe("weak labels and the 年度 field (the vocabulary's, ADR 023)", () => {
  it("a weak label (部门, 预算金额) in prose starts no table", () => {
    const doc = parseDocument("某局 2024 年部门预算情况说明\n部门：示例局\n预算金额：100 万元\n正文……\n");
    expect(doc.tables).toEqual([]);
    expect(doc.warnings.map((w) => w.code)).toEqual(["no_tables"]);
  });

  it("after a title, weak labels are read as fields", () => {
    const text = [
      "2023年部门整体绩效目标表",
      "部门\t402-示例局\t部门预算数（万元）\t100",
      "\t三级指标\t指标权重\t计量单位\t指标性质\t指标值",
      "\t审计项目数\t100\t个\t≥\t12",
    ].join("\n");
    const t = parseDocument(text).tables[0];
    expect(t).toMatchObject({ kind: "department", year: 2023, department: { code: "402", name: "示例局" }, overall: { budget: 100 } });
  });

  it("reads the year of a 预算年度 row, before the title's and the document's", () => {
    const text = ["项目名称\t示例项目\t预算年度\t2025年", "\t指标名称\t指标权重\t指标值", "\t示例指标\t100\t≥90%"].join("\n");
    const t = parseDocument(`2024 年部门预算公开\n${text}`).tables[0];
    expect(t.year).toBe(2025);
    expect(t.warnings).toEqual([]);
  });
});
