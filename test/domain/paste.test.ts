// parsePastedRows: rows copied from Excel (tab-separated) into the indicator grid, in the
// layouts of the published tables (../shared/published): 002 (9 columns, with 一级/二级),
// 001 (指标名称 权重 性质 值 单位 核心) and 000 (指标 权重 单位 性质 值). The rows below are
// typed from those tables; "\t" is a cell boundary, as Excel puts it on the clipboard.
import { describe, expect, it } from "vitest";
import { parsePastedRows } from "../../app/domain/paste";
import { EMPTY_INDICATOR, type IndicatorForm } from "../../app/domain/table-form";

const f = (over: Partial<IndicatorForm>): IndicatorForm => ({ ...EMPTY_INDICATOR, ...over });

// 002: 50011021T000000052342-参战参核军人生活补助
const HEADER_002 = "绩效指标\t一级指标\t二级指标\t三级指标\t指标权重\t计量单位\t指标性质\t指标值\t是否核心指标";
const ROWS_002 = [
  "\t产出指标\t数量指标\t补助人数\t20\t人\t≥\t39\t是",
  "\t成本指标\t经济成本指标\t人均补助标准\t20\t元\t≥\t556\t否",
  "\t满意度指标\t服务对象满意度指标\t受益人群满意度\t10\t%\t≥\t90\t否",
];
const EXPECTED_002 = [
  f({ level1: "产出指标", level2: "数量指标", name: "补助人数", weight: "20", unit: "人", operator: "≥", target: "39", core: "是" }),
  f({ level1: "成本指标", level2: "经济成本指标", name: "人均补助标准", weight: "20", unit: "元", operator: "≥", target: "556", core: "否" }),
  f({ level1: "满意度指标", level2: "服务对象满意度指标", name: "受益人群满意度", weight: "10", unit: "%", operator: "≥", target: "90", core: "否" }),
];

// 001: 兑现企业数量… (南岸区, 指标名称 | 指标权重 | 指标性质 | 指标值 | 计量单位 | 是否核心)
const ROWS_001 = ["兑现企业数量\t25\t≥\t20\t家\t是", "企业申报资料真实率\t15\t=\t100\t%\t否", "扶持企业满意度\t10\t≥\t90\t%\t否"];
const EXPECTED_001 = [
  f({ name: "兑现企业数量", weight: "25", operator: "≥", target: "20", unit: "家", core: "是" }),
  f({ name: "企业申报资料真实率", weight: "15", operator: "=", target: "100", unit: "%", core: "否" }),
  f({ name: "扶持企业满意度", weight: "10", operator: "≥", target: "90", unit: "%", core: "否" }),
];

// 000: 表 12 行业服务发展专项 (指标 | 指标权重 | 计量单位 | 指标性质 | 指标值)
const ROWS_000 = ["区内燃气企业评估\t9\t个\t≥\t4", "避免资源浪费和重复\t6\t\t定性\t优", "劳务派遣人员人均费用\t7\t元/个\t=\t35000"];
const EXPECTED_000 = [
  f({ name: "区内燃气企业评估", weight: "9", unit: "个", operator: "≥", target: "4" }),
  f({ name: "避免资源浪费和重复", weight: "6", operator: "定性", target: "优" }),
  f({ name: "劳务派遣人员人均费用", weight: "7", unit: "元/个", operator: "=", target: "35000" }),
];

describe("parsePastedRows: the published layouts without a header row", () => {
  it("9 cells: 002 with its 绩效指标 column", () => {
    expect(parsePastedRows(ROWS_002.join("\n"))).toEqual({ rows: EXPECTED_002, skipped: [] });
  });

  it("8 cells: 002 without the 绩效指标 column", () => {
    const text = ROWS_002.map((r) => r.slice(1)).join("\n");
    expect(parsePastedRows(text)).toEqual({ rows: EXPECTED_002, skipped: [] });
  });

  it("7 cells: 一级 to 指标值, no 核心 column", () => {
    const text = ROWS_002.map((r) => r.slice(1).replace(/\t[是否]$/, "")).join("\n");
    expect(parsePastedRows(text).rows).toEqual(EXPECTED_002.map((r) => ({ ...r, core: "" })));
  });

  it("6 cells: 001 (性质 before 值 before 单位, then 核心)", () => {
    expect(parsePastedRows(ROWS_001.join("\n"))).toEqual({ rows: EXPECTED_001, skipped: [] });
  });

  it("5 cells: 000 (单位 before 性质), with a 定性 row and a compound unit", () => {
    expect(parsePastedRows(ROWS_000.join("\n"))).toEqual({ rows: EXPECTED_000, skipped: [] });
  });

  it("a single cell per line is a list of names", () => {
    expect(parsePastedRows("补助人数\n人均补助标准\n").rows).toEqual([f({ name: "补助人数" }), f({ name: "人均补助标准" })]);
  });

  it("Windows line ends, blank lines and a final line end change nothing", () => {
    const text = "\r\n" + ROWS_001[0] + "\r\n\r\n" + ROWS_001[1] + "\r\n" + ROWS_001[2] + "\r\n";
    expect(parsePastedRows(text)).toEqual({ rows: EXPECTED_001, skipped: [] });
  });

  it("a line of empty cells is a blank line", () => {
    expect(parsePastedRows(`${ROWS_000[0]}\n\t\t\t\t\n${ROWS_000[2]}`)).toEqual({ rows: [EXPECTED_000[0], EXPECTED_000[2]], skipped: [] });
  });

  it("spaces around cells are trimmed", () => {
    expect(parsePastedRows(" 兑现企业数量 \t 25 \t ≥ \t 20 \t 家 \t 是 ").rows).toEqual([EXPECTED_001[0]]);
  });
});

describe("parsePastedRows: header rows", () => {
  it("002's header maps every column by name", () => {
    expect(parsePastedRows([HEADER_002, ...ROWS_002].join("\n"))).toEqual({ rows: EXPECTED_002, skipped: [] });
  });

  it("001's header with the spaces of the published text (指标性 质, 指标 值, 计量单 位, 是否核 心)", () => {
    const header = "绩效 指标\t指标名称\t指标权重\t指标性 质\t指标 值\t计量单 位\t是否核 心";
    const rows = ["\t服务企业满意度\t10\t≥\t90\t%\t否", "\t集中安全生产指导人次\t25\t≥\t200\t人次\t是"];
    expect(parsePastedRows([header, ...rows].join("\n"))).toEqual({
      rows: [
        f({ name: "服务企业满意度", weight: "10", operator: "≥", target: "90", unit: "%", core: "否" }),
        f({ name: "集中安全生产指导人次", weight: "25", operator: "≥", target: "200", unit: "人次", core: "是" }),
      ],
      skipped: [],
    });
  });

  it("header cells with line breaks, as Excel puts them on the clipboard (quoted)", () => {
    const header = '绩效\n指标\t指标名称\t指标权重\t"指标性\n质"\t"指标\n值"\t"计量单\n位"\t"是否核\n心"';
    const rows = ["\t服务企业满意度\t10\t≥\t90\t%\t否", "\t新建绿色工厂数量\t15\t≥\t1\t个\t否"];
    const res = parsePastedRows([header.replace("绩效\n指标", '"绩效\n指标"'), ...rows].join("\n"));
    expect(res.skipped).toEqual([]);
    expect(res.rows).toEqual([
      f({ name: "服务企业满意度", weight: "10", operator: "≥", target: "90", unit: "%", core: "否" }),
      f({ name: "新建绿色工厂数量", weight: "15", operator: "≥", target: "1", unit: "个", core: "否" }),
    ]);
  });

  it("a quoted cell may hold a line break, a tab and a doubled quote", () => {
    const res = parsePastedRows('"集中安全生产\n指导人次"\t25\t≥\t200\t人次\t是\n"他说""好""\t的"\t5\t定性\t好\t\t否');
    expect(res.skipped).toEqual([]);
    expect(res.rows.map((r) => r.name)).toEqual(["集中安全生产指导人次", '他说"好"\t的']);
  });

  it("a lone quote is an ordinary character", () => {
    expect(parsePastedRows('"补助人数\t20\t人\t≥\t39').rows).toEqual([
      f({ name: '"补助人数', weight: "20", unit: "人", operator: "≥", target: "39" }),
    ]);
  });

  it("000's header: an empty first cell, then 指标, and 绩效指标 in the first data row", () => {
    const text = [
      "\t指标\t指标权重\t计量单位\t指标性质\t指标值",
      "绩效指标\t补助政策知晓率\t5\t%\t≥\t95",
      "\t完成企业技术创新项目\t5\t个\t≥\t5",
      "\t中小微企业融资金额\t5\t万元\t≥\t100",
    ].join("\n");
    expect(parsePastedRows(text)).toEqual({
      rows: [
        f({ name: "补助政策知晓率", weight: "5", unit: "%", operator: "≥", target: "95" }),
        f({ name: "完成企业技术创新项目", weight: "5", unit: "个", operator: "≥", target: "5" }),
        f({ name: "中小微企业融资金额", weight: "5", unit: "万元", operator: "≥", target: "100" }),
      ],
      skipped: [],
    });
  });

  it("000's department table header with empty merged columns in the middle", () => {
    const text = [
      "\t一级指标\t二级指标\t三级指标\t\t\t指标权重\t计量单位\t指标性质\t指标值\t",
      "\t产出指标\t数量指标\t安全评估区内燃气企业个数\t\t\t10\t个\t≥\t4\t",
    ].join("\n");
    expect(parsePastedRows(text).rows).toEqual([
      f({ level1: "产出指标", level2: "数量指标", name: "安全评估区内燃气企业个数", weight: "10", unit: "个", operator: "≥", target: "4" }),
    ]);
  });

  it("a header in its own order wins over the count of cells", () => {
    // 6 cells, but not 001's order: 单位 before 性质 and 值, 核心 first.
    const text = ["是否核心指标\t三级指标\t权重\t单位\t指标性质\t目标值", "是\t补助人数\t20\t人\t≥\t39"].join("\n");
    expect(parsePastedRows(text).rows).toEqual([
      f({ name: "补助人数", weight: "20", unit: "人", operator: "≥", target: "39", core: "是" }),
    ]);
  });

  it("rows shorter than the header leave the missing cells empty", () => {
    const text = [HEADER_002, "\t产出指标\t数量指标\t补助人数\t20"].join("\n");
    expect(parsePastedRows(text).rows).toEqual([f({ level1: "产出指标", level2: "数量指标", name: "补助人数", weight: "20" })]);
  });

  it("a header in the middle of a paste switches the layout", () => {
    const text = [HEADER_002, ROWS_002[0], "指标名称\t指标权重\t指标性质\t指标值\t计量单位\t是否核心", ROWS_001[0]].join("\n");
    expect(parsePastedRows(text).rows).toEqual([EXPECTED_002[0], EXPECTED_001[0]]);
  });

  it("one header word alone is not a header (a name such as 指标 stays a row)", () => {
    expect(parsePastedRows("指标").rows).toEqual([f({ name: "指标" })]);
    // Two header words but no name column: not a header, a row (here, one of unknown shape).
    expect(parsePastedRows("指标权重\t计量单位").rows).toEqual([]);
  });

  it("指标权重（分）is the weight column", () => {
    const text = ["三级指标\t指标权重（分）\t指标值", "补助人数\t20\t≥39人"].join("\n");
    expect(parsePastedRows(text).rows).toEqual([f({ name: "补助人数", weight: "20", operator: "≥", target: "39", unit: "人" })]);
  });
});

describe("parsePastedRows: values", () => {
  it("inline targets in the 指标值 cell: ≥15 家, ≤2500 万, 100%, $\\geq 90\\%$", () => {
    const text = [
      "招商引资企业数\t10\t\t\t≥15 家",
      "项目成本控制\t10\t\t\t≤2500 万",
      "发放到位率\t10\t\t\t100%",
      "群众满意度\t10\t\t\t$\\geq 90\\%$",
    ].join("\n");
    expect(parsePastedRows(text).rows).toEqual([
      f({ name: "招商引资企业数", weight: "10", operator: "≥", target: "15", unit: "家" }),
      f({ name: "项目成本控制", weight: "10", operator: "≤", target: "2500", unit: "万" }),
      f({ name: "发放到位率", weight: "10", operator: "=", target: "100", unit: "%" }),
      f({ name: "群众满意度", weight: "10", operator: "≥", target: "90", unit: "%" }),
    ]);
  });

  it("an inline target in 001's layout, with 核心", () => {
    expect(parsePastedRows("兑现企业数量\t25\t\t≥20 家\t\t是").rows).toEqual([EXPECTED_001[0]]);
  });

  it("variant operators, thousands separators and stray spaces are normalised", () => {
    const text = [
      "\t成本指标\t经济成本指标\t项目总成本\t10\t万元\t不高于\t1,300.00\t否",
      "\t产出指标\t数量指标\t培训人次\t10\t人次\t＞＝\t30. 85\t否",
      "\t产出指标\t质量指标\t合格率\t2. 5\t%\t大于等于\t95\t是",
    ].join("\n");
    expect(parsePastedRows(text).rows).toEqual([
      f({ level1: "成本指标", level2: "经济成本指标", name: "项目总成本", weight: "10", unit: "万元", operator: "≤", target: "1300", core: "否" }),
      f({ level1: "产出指标", level2: "数量指标", name: "培训人次", weight: "10", unit: "人次", operator: "≥", target: "30.85", core: "否" }),
      f({ level1: "产出指标", level2: "质量指标", name: "合格率", weight: "2.5", unit: "%", operator: "≥", target: "95", core: "是" }),
    ]);
  });

  it("定性 keeps its level; 其他 as unit is kept as written", () => {
    expect(parsePastedRows("政策知晓情况\t5\t定性\t有效提升\t\t否\n资料完整性\t5\t定性\t优\t其他\t否").rows).toEqual([
      f({ name: "政策知晓情况", weight: "5", operator: "定性", target: "有效提升", core: "否" }),
      f({ name: "资料完整性", weight: "5", operator: "定性", target: "优", unit: "其他", core: "否" }),
    ]);
  });

  it("values that do not parse are kept as typed (the checker reports them), with the operator normalised", () => {
    expect(parsePastedRows("群众满意度\t10\t%\t≥\t较高\n补助人数\t10\t人\t大约\t39").rows).toEqual([
      f({ name: "群众满意度", weight: "10", unit: "%", operator: "≥", target: "较高" }),
      f({ name: "补助人数", weight: "10", unit: "人", operator: "", target: "39" }),
    ]);
  });

  it("核心: 是/否, 核心, √, Y/N; anything else is left empty", () => {
    const core = (c: string) => parsePastedRows(`补助人数\t20\t≥\t39\t人\t${c}`).rows[0]?.core;
    expect(["是", "否", "核心", "√", "✓", "Y", "yes", "N", "no", "", "是否", "非核心"].map(core)).toEqual([
      "是", "否", "是", "是", "是", "是", "是", "否", "否", "", "", "",
    ]);
  });

  it("empty value cells give empty fields", () => {
    expect(parsePastedRows("补助人数\t\t\t\t").rows).toEqual([f({ name: "补助人数" })]);
  });
});

describe("parsePastedRows: bad rows and padding", () => {
  it("reports rows of an unknown shape with their line, and keeps the others", () => {
    const text = ["兑现企业数量\t25\t≥\t20\t家\t是", "", "产出指标\t数量指标\t补助人数", "扶持企业满意度\t10\t≥\t90\t%\t否", "a\tb\tc\td"].join("\n");
    const res = parsePastedRows(text);
    expect(res.rows).toEqual([EXPECTED_001[0], EXPECTED_001[2]]);
    expect(res.skipped).toEqual([
      { line: 3, reason: "第 3 行有 3 列，无法对应到指标表的列" },
      { line: 5, reason: "第 5 行有 4 列，无法对应到指标表的列" },
    ]);
  });

  it("counts lines after a quoted line break correctly", () => {
    const res = parsePastedRows('"集中安全生产\n指导人次"\t25\t≥\t200\t人次\t是\nx\ty');
    expect(res.skipped).toEqual([{ line: 3, reason: "第 3 行有 2 列，无法对应到指标表的列" }]);
  });

  it("reports a row with more cells than any layout", () => {
    const res = parsePastedRows("\t产出指标\t数量指标\t补助人数\t20\t人\t≥\t39\t是\t备注");
    expect(res.rows).toEqual([]);
    expect(res.skipped).toEqual([{ line: 1, reason: "第 1 行有 10 列，无法对应到指标表的列" }]);
  });

  it("trailing empty cells beyond every layout are dropped (Excel pads a wider selection)", () => {
    expect(parsePastedRows(ROWS_002.map((r) => r + "\t\t\t").join("\n"))).toEqual({ rows: EXPECTED_002, skipped: [] });
  });

  it("one trailing empty cell does not turn a row into another layout", () => {
    // 000 + one empty cell is 6 cells, 001's count; 001 + one is 7; 8 + one is 9.
    expect(parsePastedRows(ROWS_000.map((r) => r + "\t").join("\n")).rows).toEqual(EXPECTED_000);
    expect(parsePastedRows(ROWS_000.map((r) => r + "\t\t").join("\n")).rows).toEqual(EXPECTED_000);
    expect(parsePastedRows(ROWS_001.map((r) => r + "\t").join("\n")).rows).toEqual(EXPECTED_001);
    expect(parsePastedRows(ROWS_002.map((r) => r.slice(1) + "\t").join("\n")).rows).toEqual(EXPECTED_002);
  });

  it("an empty last cell that belongs to the layout stays (001 without 核心)", () => {
    expect(parsePastedRows("兑现企业数量\t25\t≥\t20\t家\t").rows).toEqual([{ ...EXPECTED_001[0], core: "" }]);
  });

  it("002 rows under merged 一级 cells (empty on the following rows)", () => {
    const text = ["产出指标\t数量指标\t补助人数\t20\t人\t≥\t39\t是", "\t时效指标\t每季度按时发放率\t20\t%\t=\t100\t是"].join("\n");
    expect(parsePastedRows(text).rows).toEqual([
      EXPECTED_002[0],
      f({ level2: "时效指标", name: "每季度按时发放率", weight: "20", unit: "%", operator: "=", target: "100", core: "是" }),
    ]);
  });

  it("000's department table copied with its label column (部门整体绩效情况), no header", () => {
    const text = [
      "体 绩 效 情 况\t产出指标\t数量指标\t补助政策知晓率\t10\t%\t≥\t95",
      "\t产出指标\t数量指标\t公用经费控制率\t5\t%\t≤\t99.5",
      "\t履职效能\t时效指标\t“三公”经费调剂备案及时率\t5\t\t定性\t及时报备",
    ].join("\n");
    expect(parsePastedRows(text)).toEqual({
      rows: [
        f({ level1: "产出指标", level2: "数量指标", name: "补助政策知晓率", weight: "10", unit: "%", operator: "≥", target: "95" }),
        f({ level1: "产出指标", level2: "数量指标", name: "公用经费控制率", weight: "5", unit: "%", operator: "≤", target: "99.5" }),
        f({ level1: "履职效能", level2: "时效指标", name: "“三公”经费调剂备案及时率", weight: "5", operator: "定性", target: "及时报备" }),
      ],
      skipped: [],
    });
  });

  it("an inline target with one trailing empty cell stays in 000's layout", () => {
    expect(parsePastedRows("招商引资企业数\t10\t\t\t≥15 家\t").rows).toEqual([
      f({ name: "招商引资企业数", weight: "10", operator: "≥", target: "15", unit: "家" }),
    ]);
  });

  it("rows of one copied range keep one layout", () => {
    // The second row alone also fits 001's count (优 as 计量单位, 核心 empty); the first row,
    // which only fits 000's layout, decides.
    const text = ["区内燃气企业评估\t9\t个\t≥\t4\t", "避免资源浪费和重复\t6\t\t\t优\t"].join("\n");
    expect(parsePastedRows(text).rows).toEqual([
      f({ name: "区内燃气企业评估", weight: "9", unit: "个", operator: "≥", target: "4" }),
      f({ name: "避免资源浪费和重复", weight: "6", operator: "定性", target: "优" }),
    ]);
    expect(parsePastedRows("避免资源浪费和重复\t6\t\t\t优\t").rows).toEqual([f({ name: "避免资源浪费和重复", weight: "6", unit: "优" })]);
  });

  it("a row that fits no layout is read by its count of cells and kept as typed", () => {
    // 权重 is not a number: 000's layout by count, the weight text kept for the editor to flag.
    expect(parsePastedRows("区内燃气企业评估\t九\t个\t≥\t4").rows).toEqual([
      f({ name: "区内燃气企业评估", weight: "九", unit: "个", operator: "≥", target: "4" }),
    ]);
  });

  it("001 and 000 rows copied with their leading 绩效指标 column", () => {
    expect(parsePastedRows(ROWS_001.map((r) => "\t" + r).join("\n")).rows).toEqual(EXPECTED_001);
    expect(parsePastedRows(["绩效指标\t" + ROWS_000[0], ...ROWS_000.slice(1).map((r) => "\t" + r)].join("\n")).rows).toEqual(EXPECTED_000);
  });
});
