// The one vocabulary (issue 12, item 1): every label and column header that any of the three
// former dictionaries accepted (document importer, .xlsx layout, paste parser) is still
// accepted, by all three readers alike; the one `CODE-名称` rule accepts what both former
// rules accepted; the 一级/二级 names split glued cells.
import { describe, expect, it } from "vitest";
import { headerWord } from "../../app/io/document/columns";
import { fieldOf } from "../../app/io/document/fields";
import { gridKeyOf, headerKeyOf } from "../../app/io/xlsx/layout";
import { parsePastedRows } from "../../app/domain/paste";
import {
  GRID_COLUMN_WORDS,
  HEADER_FIELD_KEYS,
  expandVariants,
  gridColumnOf,
  headerFieldOf,
  isWeakLabel,
  labelKey,
  labelVariants,
  qualitativeTarget,
  splitCodeName,
  splitLevelPrefix,
  splitProjectName,
  type GridColumn,
  type HeaderField,
} from "../../app/domain/vocabulary";

describe("expandVariants", () => {
  it("expands optional and alternative groups", () => {
    expect(expandVariants("{当年|年度}?预算{数}?")).toEqual(["当年预算数", "当年预算", "年度预算数", "年度预算", "预算数", "预算"]);
    expect(expandVariants("项目{名称|全称}")).toEqual(["项目名称", "项目全称"]);
  });

  it("refuses nested or unbalanced groups", () => {
    expect(() => expandVariants("{a{b}}")).toThrow();
    expect(() => expandVariants("{a|b")).toThrow();
  });
});

describe("labelKey", () => {
  it.each([
    ["当年预算 （万元）", "当年预算"],
    ["**项目名称**：", "项目名称"],
    ["其中：上级补助（万元）", "上级补助"],
    ["<b>管理措施</b>", "管理措施"],
    ["指标性 质", "指标性质"],
    ["## 项目概述", "项目概述"],
    ["部门（单位）名称", "部门(单位)名称"],
    ["部门支出预算数（单位：万元）", "部门支出预算数"],
  ])("%s → %s", (text, key) => {
    expect(labelKey(text)).toBe(key);
  });
});

// The labels each former dictionary accepted (app/io/xlsx/layout.ts LABELS, the document's
// FIELDS patterns written out, and the examples), with the field they named.
const FORMER_LABELS: Array<[string, HeaderField]> = [
  // .xlsx layout
  ...(["项目名称", "项目全称"].map((l) => [l, "projectName"]) as Array<[string, HeaderField]>),
  ...(["项目编码", "项目编号", "项目代码"].map((l) => [l, "projectCode"]) as Array<[string, HeaderField]>),
  ...(["主管部门", "业务主管部门", "项目主管部门", "主管部门及代码", "主管单位"].map((l) => [l, "department"]) as Array<[string, HeaderField]>),
  ...(["项目分类", "项目类别", "项目类型", "项目属性"].map((l) => [l, "category"]) as Array<[string, HeaderField]>),
  ...(["财政归口科室", "归口科室", "财政归口处室", "归口处室", "财政对口科室"].map((l) => [l, "financeOffice"]) as Array<[string, HeaderField]>),
  ...(["当年预算", "当年预算金额", "当年预算数", "年度预算", "年度预算金额", "项目资金", "项目金额", "预算金额", "资金总额", "项目预算"].map((l) => [l, "budgetTotal"]) as Array<[string, HeaderField]>),
  ...(["本级安排", "本级资金", "本级财政资金"].map((l) => [l, "budgetLocal"]) as Array<[string, HeaderField]>),
  ...(["上级补助", "上级资金", "上级补助资金"].map((l) => [l, "budgetSuperior"]) as Array<[string, HeaderField]>),
  ...(["项目概述", "项目概况", "项目简介", "项目基本情况"].map((l) => [l, "overview"]) as Array<[string, HeaderField]>),
  ...(["立项依据", "项目立项依据"].map((l) => [l, "basis"]) as Array<[string, HeaderField]>),
  ...(["当年实施进度计划", "实施进度计划", "进度计划", "项目实施进度计划"].map((l) => [l, "schedule"]) as Array<[string, HeaderField]>),
  ...(["管理措施", "项目管理措施"].map((l) => [l, "measures"]) as Array<[string, HeaderField]>),
  ...(["三年中期规划绩效目标", "中期绩效目标", "中期目标", "三年中期绩效目标", "中长期绩效目标", "中期规划绩效目标"].map((l) => [l, "midTermGoal"]) as Array<[string, HeaderField]>),
  ...(["当年绩效目标", "年度绩效目标", "绩效目标", "项目绩效目标", "年度目标"].map((l) => [l, "annualGoal"]) as Array<[string, HeaderField]>),
  ...(["预算执行率权重", "预算执行率", "预算执行率分值"].map((l) => [l, "budgetExecutionWeight"]) as Array<[string, HeaderField]>),
  ...(["部门名称", "部门(单位)名称", "部门(单位)", "部门单位名称", "部门"].map((l) => [l, "departmentName"]) as Array<[string, HeaderField]>),
  ...(["部门支出预算数", "部门预算数", "部门支出预算", "预算支出总额", "部门预算"].map((l) => [l, "departmentBudget"]) as Array<[string, HeaderField]>),
  ...(["当年整体绩效目标", "整体绩效目标", "部门整体绩效目标", "年度整体绩效目标"].map((l) => [l, "overallGoal"]) as Array<[string, HeaderField]>),
  ...(["编制单位", "填报单位", "申报单位", "预算单位"].map((l) => [l, "unit"]) as Array<[string, HeaderField]>),
  ...(["年度", "预算年度"].map((l) => [l, "year"]) as Array<[string, HeaderField]>),
  ...(["其他说明", "备注", "说明", "填报说明", "填表说明", "填表人", "填报人", "联系电话", "审核人", "负责人"].map((l) => [l, "footer"]) as Array<[string, HeaderField]>),
  // document FIELDS (samples of every alternative of its patterns)
  ["项目业务主管单位编码及名称", "department"],
  ["主管部门名称", "department"],
  ["归口管理处室", "financeOffice"],
  ["本年项目预算资金", "budgetTotal"],
  ["项目年度预算数", "budgetTotal"],
  ["当年资金总额", "budgetTotal"],
  ["年度资金总额", "budgetTotal"],
  ["本级", "budgetLocal"],
  ["本级财力", "budgetLocal"],
  ["上级转移支付资金", "budgetSuperior"],
  ["立项背景", "basis"],
  ["本年项目实施进度安排", "schedule"],
  ["保障措施", "measures"],
  ["三年中期规划项目绩效目标", "midTermGoal"],
  ["本年项目绩效目标", "annualGoal"],
  ["部门(单位)支出预算支出总额", "departmentBudget"],
  ["部门预算总额", "departmentBudget"],
  ["预算部门名称", "departmentName"],
  ["单位名称", "departmentName"],
  ["年度部门(单位)整体绩效目标", "overallGoal"],
  ["中期部门(单位)整体绩效目标", "overallMidTermGoal"],
  ["部门整体资金情况", "departmentFunds"],
  ["实施单位", "unit"],
];

describe("header labels", () => {
  it.each(FORMER_LABELS)("%s names %s, for the vocabulary and the .xlsx importer", (label, field) => {
    expect(headerFieldOf(label)).toBe(field);
    expect(headerKeyOf(label)).toBe(field);
  });

  it.each(FORMER_LABELS.filter(([, f]) => f !== "footer"))("%s names %s for the document importer too", (label, field) => {
    expect(fieldOf(label)).toBe(field);
  });

  it("every variant of every field is read the same by the vocabulary, the document and the .xlsx importer", () => {
    for (const field of HEADER_FIELD_KEYS) {
      for (const v of labelVariants(field)) {
        expect([v, headerFieldOf(v)]).toEqual([v, field]);
        expect([v, headerKeyOf(v)]).toEqual([v, field]);
        expect([v, fieldOf(v)]).toEqual([v, field === "footer" ? null : field]);
        // Written as in documents: full width, a unit, a colon.
        expect([v, headerFieldOf(`${v.replace(/\(/g, "（").replace(/\)/g, "）")}（万元）：`)]).toEqual([v, field]);
      }
    }
  });

  it("marks the labels that are also ordinary words as weak", () => {
    for (const w of ["部门", "年度", "说明", "负责人", "项目资金", "预算金额", "预算执行率", "绩效目标"]) expect([w, isWeakLabel(w)]).toEqual([w, true]);
    for (const s of ["项目名称", "当年预算（万元）", "部门（单位）名称", "预算执行率权重"]) expect([s, isWeakLabel(s)]).toEqual([s, false]);
  });

  it("names nothing for prose and numbers", () => {
    for (const t of ["", "2023", "该项目预算 320 万元", "农村公路养护补助资金", "产出指标"]) expect(headerFieldOf(t)).toBeNull();
  });
});

// Grid column headers each former reader accepted (document HEADER_WORDS written out, the
// .xlsx GRID_HEADERS, the paste parser's HEADER_WORDS).
const FORMER_COLUMNS: Array<[string, GridColumn]> = [
  ["绩效指标", "label"],
  ["年度绩效指标", "label"],
  ["绩效目标指标", "label"],
  ["一级指标", "level1"],
  ["一级", "level1"],
  ["一级指标名称", "level1"],
  ["二级指标", "level2"],
  ["二级", "level2"],
  ["二级指标名称", "level2"],
  ...(["三级指标", "三级", "三级指标名称", "指标名称", "指标", "绩效指标名称", "指标内容", "具体指标"].map((c) => [c, "name"]) as Array<[string, GridColumn]>),
  ...(["指标权重", "权重", "分值", "指标分值", "权重分值", "权重分", "权重（分）", "指标权重（%）", "指 标\n权 重"].map((c) => [c, "weight"]) as Array<[string, GridColumn]>),
  ...(["计量单位", "单位", "度量单位", "指标单位"].map((c) => [c, "unit"]) as Array<[string, GridColumn]>),
  ...(["指标性质", "性质", "指标方向", "方向", "符号", "计算符号", "比较符", "运算符", "指标值性质"].map((c) => [c, "operator"]) as Array<[string, GridColumn]>),
  ...(["指标值", "目标值", "年度指标值", "指标目标值", "年度目标值", "当年指标值", "绩效目标值", "指标值(目标值)", "预期目标值", "指标目标"].map((c) => [c, "target"]) as Array<[string, GridColumn]>),
  ...(["是否核心指标", "是否核心", "核心指标", "是否为核心指标", "核心"].map((c) => [c, "core"]) as Array<[string, GridColumn]>),
  ["序号", "ignore"],
  ["备注", "ignore"],
];

/** A value for each column, and the form field the paste parser puts it in. */
const PASTE_SAMPLES: Partial<Record<GridColumn, [string, string]>> = {
  level1: ["产出指标", "产出指标"],
  level2: ["数量指标", "数量指标"],
  weight: ["7", "7"],
  unit: ["公里", "公里"],
  operator: ["≥", "≥"],
  core: ["是", "是"],
};

describe("grid column headers", () => {
  it.each(FORMER_COLUMNS)("%s is the %s column for the vocabulary and both importers", (header, column) => {
    expect(gridColumnOf(header)).toBe(column);
    expect(gridKeyOf(header)).toBe(column === "label" ? "fallbackName" : column);
    expect(headerWord(header)).toBe(column === "ignore" ? null : column);
  });

  it("every column word expands without two columns sharing one", () => {
    for (const column of Object.keys(GRID_COLUMN_WORDS) as GridColumn[]) {
      for (const w of GRID_COLUMN_WORDS[column].flatMap(expandVariants)) expect([w, gridColumnOf(w)]).toEqual([w, column]);
    }
  });

  it("the paste parser reads a header row with the same words", () => {
    const text = ["序号\t一级\t二级\t指标内容\t分值\t度量单位\t指标方向\t目标值\t是否为核心指标", "1\t产出指标\t数量指标\t养护里程\t20\t公里\t≥\t150\t是"].join("\n");
    expect(parsePastedRows(text).rows).toEqual([
      { level1: "产出指标", level2: "数量指标", name: "养护里程", weight: "20", unit: "公里", operator: "≥", target: "150", core: "是" },
    ]);
  });

  it.each(FORMER_COLUMNS.filter(([, c]) => PASTE_SAMPLES[c]))("the paste parser reads the %s column as %s", (header, column) => {
    const [value, field] = PASTE_SAMPLES[column]!;
    // A cell with a line break comes quoted, as Excel puts it on the clipboard.
    const cell = header.includes("\n") ? `"${header}"` : header;
    const { rows } = parsePastedRows(`三级指标\t${cell}\n示例指标\t${value}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: "示例指标", [column]: field });
  });
});

describe("the CODE-名称 rule", () => {
  it.each([
    // accepted by the document importer (1–24 characters with a digit)
    ["531-重庆市万盛经济技术开发区经济和信息化局", "531", "重庆市万盛经济技术开发区经济和信息化局"],
    ["206001-重庆市綦江区经济和信息化委员会（本级）", "206001", "重庆市綦江区经济和信息化委员会（本级）"],
    ["5-示例局", "5", "示例局"],
    ["005 - 产业发展科", "005", "产业发展科"],
    // accepted by the .xlsx importer (3–32 characters with a digit, an empty name allowed)
    ["402-", "402", null],
    ["A0000000000000000000000000000001-示例", "A0000000000000000000000000000001", "示例"],
    ["301002－示例区农业农村委员会（本级）", "301002", "示例区农业农村委员会（本级）"],
    ["12—示例", "12", "示例"],
  ])("%s → %s / %s", (text, code, name) => {
    expect(splitCodeName(text)).toEqual({ code, name });
  });

  it.each([
    ["重庆市南岸区经济和信息化委员会"],
    ["abc-示例"], // a code has a digit
    ["A00000000000000000000000000000001-示例"], // 33 characters
    ["示例局-财务科"],
  ])("%s is a name without a code", (text) => {
    expect(splitCodeName(text)).toEqual({ code: null, name: text });
  });

  it("gives null for empty text", () => {
    expect(splitCodeName("  ")).toBeNull();
    expect(splitCodeName(null)).toBeNull();
  });

  it("splits long project codes off a name and reports a conflicting 项目编码", () => {
    expect(splitProjectName("50011021T000000052342-参战参核军人生活补助", null)).toEqual({ code: "50011021T000000052342", name: "参战参核军人生活补助", conflict: null });
    expect(splitProjectName("50011026T000000000111_消费促进活动经费", null)).toMatchObject({ code: "50011026T000000000111", name: "消费促进活动经费" });
    expect(splitProjectName("50011021T000000052342-补助", "50011021T000000052342")).toEqual({ code: "50011021T000000052342", name: "补助", conflict: null });
    expect(splitProjectName("50011021T000000052342-补助", "50011021T000000099999")).toEqual({ code: "50011021T000000099999", name: "补助", conflict: "50011021T000000052342" });
    expect(splitProjectName("123-补助", "123")).toEqual({ code: "123", name: "补助", conflict: null });
    // Short codes and codes without six digits in a row stay in the name.
    expect(splitProjectName("5G-基站建设", null)).toEqual({ code: null, name: "5G-基站建设", conflict: null });
    expect(splitProjectName("ABCD12EF-示例", null)).toEqual({ code: null, name: "ABCD12EF-示例", conflict: null });
  });
});

describe("level names (taxonomy.ts) split glued cells", () => {
  it.each([
    ["效益指标社会效益指标群众知晓率 95%", "效益指标", "社会效益指标", "群众知晓率 95%"],
    ["满意度指标服务对象满意度指标受益群众满意度≥90%", "满意度指标", "服务对象满意度指标", "受益群众满意度≥90%"],
    ["产出指标 数量指标养护里程", "产出指标", "数量指标", "养护里程"],
    ["履职效能数量指标审计项目数", "履职效能", "数量指标", "审计项目数"],
    ["质量指标验收合格率", null, "质量指标", "验收合格率"],
  ])("%s", (text, level1, level2, rest) => {
    expect(splitLevelPrefix(text)).toEqual({ level1, level2, rest });
  });

  it("does not take an abbreviation or a whole name for a glued cell", () => {
    expect(splitLevelPrefix("产出数量")).toBeNull(); // 产出 abbreviates 产出指标
    expect(splitLevelPrefix("产出指标")).toBeNull(); // nothing follows
    expect(splitLevelPrefix("群众知晓率")).toBeNull();
  });
});

describe("定性 written in the value cell", () => {
  it.each([
    ["定性：建成 3 个示范村", "建成 3 个示范村"],
    ["定性 优", "优"],
    ["定性指标:达标", "达标"],
    ["建成 3 个示范村", null],
    ["定性", null],
    ["定性分析报告", null],
  ])("%s → %s", (text, level) => {
    expect(qualitativeTarget(text)).toBe(level);
  });
});
