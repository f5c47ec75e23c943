// Each quirk of real published documents, on small fixtures of our own
// (test/fixtures/documents) and inline snippets.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exchangeTableSchema, type Indicator } from "~/domain/schemas";
import { parseDocument, type ParsedDocument } from "~/io/document";
import { decodeDocument } from "~/io/document/input";

const FIXTURES = path.resolve(__dirname, "../fixtures/documents");

function fixture(name: string): ParsedDocument {
  const text = decodeDocument(new Uint8Array(fs.readFileSync(path.join(FIXTURES, name))), name);
  const doc = parseDocument(text, { file: name });
  for (const t of doc.tables) expect(exchangeTableSchema.safeParse(t).success).toBe(true);
  return doc;
}

const T = "\t";
const tsv = (...rows: string[][]) => rows.map((r) => r.join(T)).join("\n");

/** [line, 一级, 二级, name, weight, unit, operator, target, core] */
const row = (i: Indicator) => [i.line, i.level1, i.level2, i.name, i.weight, i.unit, i.operator, i.target, i.core];

describe("tab-separated document with every header field", () => {
  const doc = fixture("tsv-full.txt");
  const t = doc.tables[0];

  it("reads the header fields, the 编制单位 and the year of the title", () => {
    expect(doc.year).toBe(2025);
    expect(doc.tables).toHaveLength(1);
    expect(doc.warnings).toEqual([]);
    expect(t.kind).toBe("project");
    expect(t.year).toBe(2025);
    expect(t.source).toEqual({ file: "tsv-full.txt", line: 10 });
    expect(t.unit).toEqual({ code: "301002", name: "示例区农业农村委员会（本级）" });
    expect(t.department).toEqual({ code: "301", name: "示例区农业农村委员会" });
    expect(t.budgetExecutionWeight).toBe(10);
    expect(t.project).toEqual({
      code: "50012345T000000012345",
      name: "高标准农田建设补助",
      category: "一般性项目",
      financeOffice: { code: "012", name: "农业科" },
      budget: { total: 1234.5, local: 1000, superior: 234.5 },
      overview: "示例概况第一句。",
      basis: "示例依据。",
      schedule: "三季度完成招标。",
      measures: "专款专用。",
      midTermGoal: "三年建成示范片区。",
      annualGoal: "建成高标准农田。",
    });
  });

  it("maps columns given in another order (指标值 before 指标性质 before 计量单位), normalising operators", () => {
    expect(t.indicators.map(row)).toEqual([
      [22, "产出指标", "数量指标", "新建高标准农田面积", 30, "亩", "≥", "5000", true],
      [23, "产出指标", "质量指标", "工程验收合格率", 20, "%", "=", "100", true],
      [24, "成本指标", "经济成本指标", "亩均建设成本", 10, "元/亩", "≤", "3000", false],
      [25, "效益指标", "社会效益指标", "群众生产条件", 20, null, "定性", "明显改善", false],
      [26, "满意度指标", "服务对象满意度指标", "受益农户满意度", 10, "%", "≥", "90", false],
    ]);
    expect(t.indicators[0].raw).toEqual({ target: "5,000" });
    expect(t.indicators[1].raw).toEqual({ operator: "＝" });
    expect(t.indicators[4].raw).toEqual({ operator: "大于等于" });
  });
});

describe("Markdown pipe tables with HTML in cells", () => {
  const doc = fixture("markdown.md");
  const t = doc.tables[0];

  it("reads header words broken by spaces (项目 名称, 当年 绩效 目标) and strips <p>, <b>, <br>", () => {
    expect(doc.year).toBe(2024);
    expect(doc.tables).toHaveLength(1);
    expect(doc.warnings).toEqual([]);
    expect(t.project).toMatchObject({
      name: "公共文化服务补助资金",
      budget: { total: 1300, local: null, superior: null },
      overview: "第一段。\n第二段。",
      basis: "《公共文化服务保障法》",
      annualGoal: "完善公共文化设施。",
    });
    expect(t.department).toEqual({ code: "205", name: "示例县文化和旅游局" });
    // `编制` / `单位：` / `205-…` broken over lines.
    expect(t.unit).toEqual({ code: "205", name: "示例县文化和旅游局" });
  });

  it("reads 指标性 质 / 指标 值 / 计量单 位 / 是否核 心 columns and stray spaces in numbers", () => {
    expect(t.indicators.map(row)).toEqual([
      [22, null, null, "送戏下乡场次", 25, "场", "≥", "120", true],
      [23, null, null, "图书馆年接待人次", 25, "万人次", "≥", "30.85", true],
      [24, null, null, "设施开放时长达标率", 15, "%", "=", "100", false],
      [25, null, null, "文化活动覆盖面", 15, null, "定性", "明显提高", false],
      [26, null, null, "群众满意度", 10, "%", "≥", "90", false],
    ]);
    expect(t.indicators[1].raw).toEqual({ target: "30. 85" });
  });
});

describe("inline values, no weights, no 是否核心, header 指标名称 | 指标值", () => {
  const doc = fixture("inline-values.txt");
  const t = doc.tables[0];

  it("parses operator, number and unit out of one cell, LaTeX included", () => {
    expect(doc.warnings).toEqual([]);
    expect(t.project).toMatchObject({ code: "50099999A000000000001", name: "大气污染防治专项", category: "重点专项", budget: { total: 2570 } });
    expect(t.indicators.map(row)).toEqual([
      [9, null, null, "空气质量优良天数比例", null, "%", "≥", "90", null],
      [10, null, null, "监测站点数量", null, "家", "≥", "15", null],
      [11, null, null, "治理资金", null, "万元", "≤", "2500", null],
      [12, null, null, "数据传输有效率", null, "%", "=", "100", null],
      [13, null, null, "年度巡查次数", null, "个", "=", "1800", null],
      [14, null, null, "执法程序", null, null, "定性", "合规", null],
      [15, null, null, "群众满意度", null, "%", "≥", "95", null],
      [16, null, null, "重点企业数量", null, "家", "=", "1300", null],
    ]);
    expect(t.indicators[0].raw).toEqual({ target: "$\\geq 90\\%$" });
    expect(t.indicators[5].raw).toBeUndefined();
  });
});

describe("tables split across pages", () => {
  const doc = fixture("page-split.txt");

  it("continues a table after a page break, with and without the header repeated", () => {
    expect(doc.tables).toHaveLength(2);
    expect(doc.warnings).toEqual([]);
    const [a, b] = doc.tables;
    expect(a.project!.name).toBe("学生资助专项");
    expect(a.indicators.map(row)).toEqual([
      [9, null, null, "资助学生人数", 20, "人次", "≥", "1200", true],
      [10, null, null, "资助资金发放及时率", 20, "%", "≥", "95", true],
      [15, null, null, "资助政策知晓率", 15, "%", "≥", "90", false],
      // a stray 绩效指标 label on its own line, no header, the leading empty cell dropped:
      [19, null, null, "资助对象精准率", 15, "%", "=", "100", true],
      [20, null, null, "家庭经济负担", 10, null, "定性", "有效减轻", false],
      [21, null, null, "学生满意度", 10, "%", "≥", "90", false],
    ]);
    expect(b.project!.name).toBe("校舍维修");
    expect(b.indicators.map((i) => i.name)).toEqual(["维修校舍面积", "师生满意度"]);
  });

  it("continues after a repeated title marked 续, and reports indicator-like rows after the end of a table", () => {
    const text = [
      "2026年项目支出绩效目标表",
      tsv(["项目名称", "甲"], ["", "指标名称", "指标权重", "指标性质", "指标值", "计量单位"], ["", "甲一", "50", "≥", "1", "个"]),
      "2026年项目支出绩效目标表（续）",
      tsv(["", "甲二", "40", "≥", "2", "个"]),
      "其他说明",
      tsv(["", "甲三", "10", "≥", "3", "个"]),
      "表 5",
      tsv(["科目编码", "科目名称", "总计", "基本支出"], ["合计", "", "12.00", "12.00"], ["2080501", "行政单位离退休", "12.00", "12.00"]),
    ].join("\n");
    const d = parseDocument(text);
    expect(d.tables.map((t) => [t.project!.name, t.indicators.map((i) => [i.line, i.name])])).toEqual([
      ["甲", [[4, "甲一"], [6, "甲二"]]],
    ]);
    expect(d.warnings.map((w) => [w.line, w.code])).toEqual([[8, "row_outside_table"]]);
    expect(d.warnings[0].message).toContain("甲三");
  });
});

describe("a table whose project header was lost in a page break", () => {
  const doc = fixture("lost-header.txt");

  it("is imported as its own table with a name_missing warning, never merged", () => {
    expect(doc.tables).toHaveLength(2);
    const [a, b] = doc.tables;
    expect(a.project).toMatchObject({ code: "50011026T000000000111", name: "消费促进活动经费", budget: { total: 30, local: 30, superior: null } });
    expect(a.indicators.map((i) => i.name)).toEqual(["举办活动场次", "商户满意度"]);
    expect(b.project).toMatchObject({ code: null, name: null, basis: "我委三定方案", annualGoal: "保证机关正常运转" });
    expect(b.department).toBeNull();
    expect(b.unit).toBeNull();
    expect(b.indicators.map(row)).toEqual([
      [15, "产出指标", "数量指标", "保障办公场所", 20, "处", "=", "1", true],
      [16, "满意度指标", "满意度指标", "员工满意度", 10, "%", "≥", "90", false],
    ]);
    expect(b.warnings).toHaveLength(1);
    expect(b.warnings![0]).toMatchObject({ code: "name_missing", line: 12 });
    expect(b.warnings![0].message).toContain("未并入上一个项目");
    expect(doc.warnings.map((w) => [w.line, w.code])).toEqual([[12, "name_missing"]]);
  });

  it("also splits when the lost page starts with the indicator header after an end marker", () => {
    const text = tsv(
      ["项目名称", "甲项目"],
      ["", "指标名称", "指标权重", "指标值"],
      ["", "甲指标", "50", "1"],
      ["其他说明"],
      ["", "指标名称", "指标权重", "指标值"],
      ["", "乙指标", "50", "2"],
    );
    const doc2 = parseDocument(text);
    expect(doc2.tables.map((t) => [t.project!.name, t.indicators.map((i) => i.name)])).toEqual([
      ["甲项目", ["甲指标"]],
      [null, ["乙指标"]],
    ]);
    expect(doc2.tables[1].warnings![0].code).toBe("name_missing");
  });
});

describe("部门（单位）整体绩效目标表", () => {
  const doc = fixture("department.txt");
  const t = doc.tables[0];

  it("reads the department, 部门支出预算数, the goal and indicators with merged level cells", () => {
    expect(doc.tables).toHaveLength(1);
    expect(doc.warnings).toEqual([]);
    expect(t.kind).toBe("department");
    expect(t.project).toBeNull();
    expect(t.department).toEqual({ code: "502", name: "示例区卫生健康委员会" });
    expect(t.overall).toEqual({ budget: 12345.67, midTermGoal: null, annualGoal: "提升基层医疗服务能力。" });
    expect(t.indicators.map(row)).toEqual([
      [8, "产出指标", "数量指标", "家庭医生签约人数", 20, "万人", "≥", "12", true],
      // empty 一级/二级 cells of a merged cell: inherited from the row above
      [9, "产出指标", "数量指标", "基层诊疗人次", 20, "万人次", "≥", "150", true],
      [10, "履职效能", "质量指标", "预决算公开合规率", 20, "%", "=", "100", false],
      // an empty 二级 under a new 一级 stays empty
      [11, "管理效率", null, "绩效运行监控率", 20, "%", "=", "100", false],
      [12, "满意度指标", "服务对象满意度指标", "患者满意度", 10, "%", "≥", "90", false],
    ]);
    expect(t.indicators[4].raw).toEqual({ level1: "服务对象满意度", level2: "服务对象满意度" });
  });

  it("takes the department name from the title when the table has no name field", () => {
    const text = [
      "示例区审计局 2023 年整体绩效目标表",
      tsv(["整体绩效目标", "依法审计。"], ["", "三级指标", "指标权重", "计量单位", "指标性质", "指标值"], ["", "审计项目数", "100", "个", "≥", "12"]),
    ].join("\n");
    const d = parseDocument(text);
    expect(d.tables).toHaveLength(1);
    expect(d.tables[0]).toMatchObject({ kind: "department", year: 2023, department: { code: null, name: "示例区审计局" } });
    expect(d.tables[0].overall!.annualGoal).toBe("依法审计。");
    expect(d.tables[0].indicators.map((i) => [i.name, i.weight, i.unit, i.operator, i.target])).toEqual([["审计项目数", 100, "个", "≥", "12"]]);
  });
});

describe("HTML tables", () => {
  it("reads <tr>/<td> rows (colspan, entities, rows over several lines) with their line numbers", () => {
    const doc = fixture("html-table.html");
    expect(doc.year).toBe(2024);
    expect(doc.tables).toHaveLength(1);
    const t = doc.tables[0];
    expect(t.project).toMatchObject({ name: "河道整治", budget: { total: 456 }, overview: "整治河道。" });
    expect(t.department).toEqual({ code: "601", name: "示例区水利局" });
    expect(t.indicators.map(row)).toEqual([
      [9, null, null, "整治河道长度", 50, "公里", "≥", "12.5", null],
      [10, null, null, "沿岸群众满意度", 40, "%", "≥", "90", null],
    ]);
  });
});

describe("rows that cannot be read", () => {
  const doc = fixture("unreadable.txt");
  const t = doc.tables[0];

  it("become warnings with their line numbers; nothing is dropped silently", () => {
    expect(doc.warnings.map((w) => [w.line, w.code])).toEqual([
      [4, "field_unreadable"],
      [5, "field_unknown"],
      [7, "weight_unreadable"],
      [8, "value_unreadable"],
      [9, "core_unreadable"],
      [12, "line_ignored"],
      [13, "indicator_name_missing"],
    ]);
    expect(doc.warnings[0].message).toContain("不详");
    expect(doc.warnings[1].message).toContain("项目负责人");
    expect(doc.warnings[3].message).toContain("约100");
    expect(t.warnings).toEqual(doc.warnings);
    expect(t.project!.budget.total).toBeNull();
  });

  it("keeps what could be read of a row and the raw text of what could not", () => {
    expect(t.indicators.map(row)).toEqual([
      [7, null, null, "补贴发放人数", null, "人", "≥", "500", true],
      [8, null, null, "补贴标准", 20, "元/月", "≥", null, false],
      [9, null, null, "发放及时率", 20, "%", "≥", "95", null],
      [11, null, null, "服务对象满意度", 10, "%", "≥", "90", false],
      [13, null, null, null, 20, "%", "≥", "95", false],
    ]);
    expect(t.indicators[0].raw).toEqual({ weight: "二十" });
    expect(t.indicators[1].raw).toEqual({ target: "约100" });
  });

  it("reports a row with cells that fit no column", () => {
    const text = tsv(["项目名称", "丙项目"], ["", "指标名称", "指标权重", "指标值"], ["", "丙指标", "10", "5", "多余内容", "另一个"]);
    const d = parseDocument(text);
    expect(d.tables[0].indicators.map((i) => [i.name, i.weight, i.target])).toEqual([["丙指标", 10, "5"]]);
    expect(d.warnings.map((w) => [w.line, w.code])).toEqual([[3, "cell_unplaced"]]);
    expect(d.warnings[0].message).toContain("多余内容");
  });
});

describe("header and rows broken over lines", () => {
  it("joins a header broken over two lines, a row broken over two lines, and inherits a 一级 group label", () => {
    const doc = fixture("broken-lines.txt");
    const t = doc.tables[0];
    expect(t.indicators.map(row)).toEqual([
      [6, "产出指标", null, "上云企业数", 30, "家", "≥", "20", true],
      [7, "产出指标", null, "工业互联网标识解析", 30, "万条", "≥", "100", true],
      [10, "效益指标", null, "企业降本增效", 20, null, "定性", "明显", false],
      [11, "满意度指标", null, "企业满意度", 10, "%", "≥", "90", false],
    ]);
    expect(doc.warnings.map((w) => [w.line, w.code])).toEqual([[7, "row_joined"]]);
  });
});

describe("other document forms", () => {
  it("reads a GB18030-encoded document", () => {
    const doc = fixture("gbk.txt");
    expect(doc.year).toBe(2024);
    expect(doc.tables.map((t) => [t.project!.name, t.indicators.map(row)])).toEqual([
      ["统计调查经费", [
        [5, null, null, "调查样本数", 50, "户", "≥", "300", null],
        [6, null, null, "数据质量", 40, null, "定性", "优", null],
      ]],
    ]);
  });

  it("reads `项目名称：…` lines and rows separated by runs of spaces", () => {
    const text = [
      "2021年项目绩效目标表",
      "项目名称：道路养护",
      "主管部门：701-示例区交通局",
      "当年预算（万元）：88",
      "指标名称    指标权重    指标性质    指标值    计量单位",
      "养护里程    60    ≥    35    公里",
      "群众满意度    40    ≥    90    %",
    ].join("\n");
    const d = parseDocument(text);
    expect(d.year).toBe(2021);
    expect(d.tables).toHaveLength(1);
    expect(d.tables[0].project).toMatchObject({ name: "道路养护", budget: { total: 88 } });
    expect(d.tables[0].department).toEqual({ code: "701", name: "示例区交通局" });
    expect(d.tables[0].indicators.map((i) => [i.name, i.weight, i.operator, i.target, i.unit])).toEqual([
      ["养护里程", 60, "≥", "35", "公里"],
      ["群众满意度", 40, "≥", "90", "%"],
    ]);
  });

  it("does not take financial tables after the indicators for indicators or tables", () => {
    const text = [
      tsv(["项目名称", "丁项目"], ["", "指标名称", "指标权重", "指标值"], ["", "丁指标", "100", "3"]),
      "表 12",
      "政府采购预算明细表",
      tsv(["项目编号", "项目", "总计", "一般公共预算拨款收入"], ["合计", "", "12.00", "12.00"], ["301", "办公设备", "12.00", "12.00"]),
    ].join("\n");
    const d = parseDocument(text);
    expect(d.tables).toHaveLength(1);
    expect(d.tables[0].indicators.map((i) => i.name)).toEqual(["丁指标"]);
    expect(d.warnings).toEqual([]);
  });

  it("returns no tables and one warning for a document without 绩效目标表", () => {
    const doc = fixture("no-tables.txt");
    expect(doc.year).toBe(2024);
    expect(doc.tables).toEqual([]);
    expect(doc.warnings).toEqual([{ line: null, code: "no_tables", message: expect.stringContaining("没有找到") }]);
  });

  it("handles empty text and text without line structure", () => {
    expect(parseDocument("")).toEqual({ tables: [], warnings: [expect.objectContaining({ code: "no_tables" })], year: null });
    expect(parseDocument("\n\n\t\t\n|---|---|\n").tables).toEqual([]);
  });

  it("never special-cases file names: the same text gives the same tables under any name", () => {
    const text = fs.readFileSync(path.join(FIXTURES, "lost-header.txt"), "utf8");
    const a = parseDocument(text, { file: "002_2b7b38b2db384d80.txt" });
    const b = parseDocument(text, { file: "x.txt" });
    const strip = (d: ParsedDocument) => d.tables.map((t) => ({ ...t, source: { ...t.source, file: null } }));
    expect(strip(a)).toEqual(strip(b));
  });
});

describe("short project codes", () => {
  // The editor accepts any code of letters, digits and hyphens up to 40 characters
  // (app/domain/table-form.ts); a 项目编码 the editor saved must read back, also a short one.
  it("reads a labelled 项目编码 of one to four characters, and still refuses words and punctuation there", () => {
    const table = (code: string) =>
      parseDocument(["2026年项目支出绩效目标表", tsv(["项目名称", "甲", "项目编码", code], ["", "指标名称", "指标权重", "指标性质", "指标值", "计量单位"], ["", "甲一", "90", "≥", "1", "个"])].join("\n"));
    for (const code of ["T1", "5001", "A", "-7", "AB-1"]) {
      const d = table(code);
      expect(d.tables[0].project!.code, code).toBe(code);
      expect(d.warnings.filter((w) => w.code === "field_unreadable"), code).toEqual([]);
    }
    for (const word of ["项目", "—", "T 1"]) {
      expect(table(word).tables[0].project!.code, word).toBeNull();
    }
  });
});
