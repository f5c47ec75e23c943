// The importer on the three published documents of ../shared/published: exact table and
// indicator counts, header fields, and indicators field by field (the first and last of
// every table, and whole tables where the layout is hardest).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exchangeTableSchema, type ExchangeTable, type Indicator } from "~/domain/schemas";
import { parseDocument, type ParsedDocument } from "~/io/document";
import { PUBLISHED_DIR } from "../helpers/shared";

const PUBLISHED = PUBLISHED_DIR;
const F000 = "000_fec630cfd683dd92.txt";
const F001 = "001_9e32bcde27c9bb9e.txt";
const F002 = "002_2b7b38b2db384d80.txt";

function load(file: string): ParsedDocument {
  return parseDocument(fs.readFileSync(path.join(PUBLISHED, file), "utf8"), { file });
}

/** [line, 一级, 二级, name, weight, unit, operator, target, core] */
type Row = [number, string | null, string | null, string, number | null, string | null, string | null, string | null, boolean | null];
const row = (i: Indicator): Row => [i.line!, i.level1, i.level2, i.name!, i.weight, i.unit, i.operator, i.target, i.core];

/** [kind, project code, project or department name, source line, indicator count, first, last] */
type Summary = [string, string | null, string | null, number, number, Row | null, Row | null];
function summary(t: ExchangeTable): Summary {
  const n = t.indicators.length;
  return [
    t.kind,
    t.project?.code ?? null,
    t.project ? t.project.name : (t.department?.name ?? null),
    t.source!.line!,
    n,
    n ? row(t.indicators[0]) : null,
    n ? row(t.indicators[n - 1]) : null,
  ];
}

function checkSchema(doc: ParsedDocument) {
  for (const t of doc.tables) {
    const r = exchangeTableSchema.safeParse(t);
    expect(r.success, JSON.stringify(r.success ? null : r.error.issues)).toBe(true);
  }
}

describe(F000, () => {
  const doc = load(F000);

  it("finds 1 department table with 12 indicators and 2 project tables (18, 15)", () => {
    expect(doc.year).toBe(2022);
    expect(doc.tables.map((t) => [t.kind, t.project?.name ?? null, t.indicators.length])).toEqual([
      ["department", null, 12],
      ["project", "工业和信息化产业发展专项", 18],
      ["project", "行业服务发展专项", 15],
    ]);
    expect(doc.warnings).toEqual([]);
    checkSchema(doc);
  });

  it("reads the first and last indicator of every table", () => {
    expect(doc.tables.map(summary)).toEqual([
      ["department", null, "万盛经开区经济信息局", 364, 12, [370, "产出指标", "数量指标", "安全评估区内燃气企业个数", 10, "个", "≥", "4", null], [382, "管理效率", "管理效率", "绩效运行监控率", 5, "%", "=", "100", null]],
      ["project", "50019222A531700000274", "工业和信息化产业发展专项", 393, 18, [407, null, null, "补助政策知晓率", 5, "%", "≥", "95", null], [424, null, null, "服务对象满意度", 5, "%", "≥", "99", null]],
      ["project", "50019222A531700000272", "行业服务发展专项", 434, 15, [445, null, null, "区内燃气企业评估", 9, "个", "≥", "4", null], [459, null, null, "服务对象满意度", 5, "%", "≥", "95", null]],
    ]);
  });

  it("reads the department table, whose rows lose and gain cells in the conversion", () => {
    const t = doc.tables[0];
    expect(t.year).toBe(2022);
    expect(t.department).toEqual({ code: null, name: "万盛经开区经济信息局" });
    expect(t.project).toBeNull();
    expect(t.overall?.budget).toBe(3462.99);
    expect(t.overall?.annualGoal).toMatch(/^以培育发展特色优势产业为核心，聚焦主导产业/);
    expect(t.overall?.annualGoal).toMatch(/抓实系统安全稳定。$/);
    expect(t.budgetExecutionWeight).toBeNull();
    expect(t.indicators.map(row)).toEqual([
      [370, "产出指标", "数量指标", "安全评估区内燃气企业个数", 10, "个", "≥", "4", null],
      [371, "产出指标", "数量指标", "本部门政策落实率", 10, "%", "=", "100", null],
      [373, "产出指标", "数量指标", "补助政策知晓率", 10, "%", "≥", "95", null],
      [374, "产出指标", "数量指标", "公用经费控制率", 5, "%", "≤", "99.5", null],
      [375, "产出指标", "数量指标", "集约化信息系统迁云率", 10, "%", "=", "100", null],
      [376, "产出指标", "数量指标", "新增本地税收", 10, "万元", "≥", "2000", null],
      [377, "产出指标", "数量指标", "增加加大研发投入制造业企业个数", 10, "个", "≥", "3", null],
      [378, "履职效能", "数量指标", "项目绩效自评覆盖率", 10, "%", "=", "100", null],
      [379, "履职效能", "质量指标", "预决算信息公开合规率", 10, "%", "=", "100", null],
      [380, "履职效能", "时效指标", "“三公”经费调剂备案及时率", 5, null, "定性", "及时报备", null],
      [381, "满意度指标", "服务对象满意度指标", "服务对象满意度", 5, "%", "≥", "99", null],
      [382, "管理效率", "管理效率", "绩效运行监控率", 5, "%", "=", "100", null],
    ]);
    // The level names as published are kept next to their normalised form.
    expect(t.indicators[10].raw).toEqual({ level1: "服务对象满意度", level2: "服务对象满意度" });
    expect(t.indicators[0].raw).toBeUndefined();
    const total = t.indicators.reduce((s, i) => s + i.weight!, 0);
    expect(total).toBe(100);
  });

  it("reads the header fields of both project tables", () => {
    const [, a, b] = doc.tables;
    expect(a.department).toEqual({ code: "531", name: "重庆市万盛经济技术开发区经济和信息化局" });
    expect(a.unit).toBeNull();
    expect(a.project).toMatchObject({
      code: "50019222A531700000274",
      name: "工业和信息化产业发展专项",
      category: "重点专项",
      financeOffice: { code: "005", name: "产业发展科" },
      budget: { total: 2570, local: null, superior: null },
    });
    expect(a.project!.overview).toMatch(/^一是贯彻落实供给侧结构性改革重大举措/);
    expect(a.project!.basis).toMatch(/^《重庆市人民政府关于印发支持制造业高质量发展若干政策措施的通知》/);
    expect(a.project!.schedule).toMatch(/^1、本年度预计兑现重点政策/);
    expect(a.project!.schedule!.split("\n")).toHaveLength(4);
    expect(a.project!.measures).toMatch(/^项目管理：本单位通过项目库管理建立数据库系统/);
    expect(a.project!.midTermGoal).toBe("积极推进项目实施进度，不断提高项目资金使用效率，确保该项工作全市考核位于前列。");
    expect(a.project!.annualGoal).toMatch(/^1、高质量完成一批规划编制/);
    expect(a.project!.annualGoal).not.toMatch(/<p>|<b>/);
    expect(a.budgetExecutionWeight).toBeNull();

    expect(b.project).toMatchObject({
      code: "50019222A531700000272",
      name: "行业服务发展专项",
      category: "一般性项目",
      financeOffice: { code: "005", name: "产业发展科" },
      budget: { total: 21, local: null, superior: null },
      overview: "编制、开展综合应急演练，聘请专家开展安全风险隐患诊断；保障临聘人员经费；信息化项目开展评审；实施规划编制。",
      midTermGoal: "积极推进项目实施进度，不断提高项目资金使用效率，确保该项工作全市考核位于前列。",
    });
    expect(b.project!.basis).toMatch(/^《中华人民共和国安全生产法》/);
    expect(b.project!.schedule).toMatch(/^1、本部门通过三方机构聘请临聘人员共5名/);
    expect(b.project!.measures).toMatch(/^项目管理：/);
    expect(b.project!.annualGoal).toMatch(/^1、根据有关文件，本单位与重庆英格玛人力资源服务有限公司万盛分公司签订劳务派遣合同/);
  });

  it("reads every indicator of 行业服务发展专项 (no 一级/二级, no 是否核心)", () => {
    expect(doc.tables[2].indicators.map(row)).toEqual([
      [445, null, null, "区内燃气企业评估", 9, "个", "≥", "4", null],
      [446, null, null, "组织应急演练次数", 8, "次", "≥", "1", null],
      [447, null, null, "专家安全诊断次数", 8, "次", "≥", "10", null],
      [448, null, null, "诊断出安全隐患数量", 6, "个", "≥", "50", null],
      [449, null, null, "行业领域应急预案数量", 6, "个", "≥", "4", null],
      [450, null, null, "燃气企业评估出问题数量", 6, "个", "≥", "30", null],
      [451, null, null, "节约财政资金投入", 6, "万元", "≥", "10", null],
      [452, null, null, "避免资源浪费和重复", 6, null, "定性", "优", null],
      [453, null, null, "开展评审的信息化项目数量", 9, "个", "≥", "1", null],
      [454, null, null, "劳务派遣人数", 6, "人", "=", "5", null],
      [455, null, null, "劳务派遣人员服务年限", 6, "年", "≥", "1", null],
      [456, null, null, "劳务派遣人员人均费用", 7, "元/个", "=", "35000", null],
      [457, null, null, "为劳务派遣人员缴纳社保覆盖率", 6, "%", "=", "100", null],
      [458, null, null, "完成项目时间", 6, "年", "≤", "1", null],
      [459, null, null, "服务对象满意度", 5, "%", "≥", "95", null],
    ]);
    // 工业和信息化产业发展专项: weights add up to 100 (Chongqing 2022: no budget-execution weight).
    expect(doc.tables[1].indicators.reduce((s, i) => s + i.weight!, 0)).toBe(100);
    expect(doc.tables[1].indicators[9]).toMatchObject({ name: "中小微企业融资金额", weight: 5, unit: "万元", operator: "≥", target: "100" });
  });
});

describe(F001, () => {
  const doc = load(F001);

  it("finds 1 department table with 7 indicators and 7 project tables with 5 each", () => {
    expect(doc.year).toBe(2024);
    expect(doc.tables.map((t) => [t.kind, t.indicators.length])).toEqual([
      ["department", 7],
      ...Array.from({ length: 7 }, () => ["project", 5]),
    ]);
    expect(doc.warnings).toEqual([]);
    checkSchema(doc);
  });

  it("reads the first and last indicator of every table", () => {
    expect(doc.tables.map(summary)).toEqual([
      ["department", null, "重庆市南岸区经济和信息化委员会", 366, 7, [369, null, null, "新增数字化车间、智能工厂", 15, "家", "≥", "3", null], [375, null, null, "服务企业满意度", 10, "%", "≥", "90", null]],
      ["project", null, "高质量发展扶持资金", 391, 5, [397, null, null, "兑现企业数量", 25, "家", "≥", "20", true], [401, null, null, "规上工业企业专精特新覆盖率", 25, "%", "≥", "45", true]],
      ["project", null, "市级工业和信息化专项资金", 417, 5, [423, null, null, "补助企业数量", 25, "家", "≥", "30", true], [427, null, null, "补助企业满意度", 10, "%", "≥", "90", false]],
      ["project", null, "市级中小微企业发展专项资金", 441, 5, [447, null, null, "资金拨付至企业时限", 15, "个工作日", "≤", "30", false], [451, null, null, "补助企业数", 25, "户", "≥", "30", true]],
      ["project", null, "盐业储备仓储补助", 467, 5, [473, null, null, "我区常年储备食盐数量", 25, "吨", "=", "1000", true], [477, null, null, "储备食盐仓储补助成本", 25, "元/吨", "≤", "240", true]],
      ["project", null, "特殊人员专项", 491, 5, [497, null, null, "补助合格率", 10, "%", "=", "100", false], [501, null, null, "补助人数", 25, "人次", "≥", "90", true]],
      ["project", null, "环保、能源管理和安全监管执法", 516, 5, [522, null, null, "服务企业满意度", 10, "%", "≥", "90", false], [526, null, null, "检查节能量和节能措施企业数", 25, "户", "≥", "18", true]],
      ["project", null, "工业、信息化及智能制造", 542, 5, [551, null, null, "规上工业企业专精特新覆盖率", 15, "%", "≥", "45", false], [555, null, null, "助力企业创建数字化工厂及车间数", 25, "个", "≥", "3", true]],
    ]);
  });

  it("reads the department table header", () => {
    const t = doc.tables[0];
    expect(t.department).toEqual({ code: "402", name: "重庆市南岸区经济和信息化委员会" });
    expect(t.overall?.budget).toBe(5615.72);
    expect(t.overall?.annualGoal).toMatch(/^1\.贯彻实施国家、市级工业领域产业政策/);
    expect(t.indicators.map((i) => i.weight)).toEqual([15, 20, 10, 15, 15, 15, 10]);
  });

  it("reads the project headers: budgets with separators, 主管部门 broken by spaces, the 编制单位", () => {
    const projects = doc.tables.slice(1);
    expect(projects.map((t) => [t.project!.name, t.project!.budget.total])).toEqual([
      ["高质量发展扶持资金", 1300],
      ["市级工业和信息化专项资金", 2100],
      ["市级中小微企业发展专项资金", 1000],
      ["盐业储备仓储补助", 24],
      ["特殊人员专项", 119.9],
      ["环保、能源管理和安全监管执法", 27.1],
      ["工业、信息化及智能制造", 40],
    ]);
    for (const t of projects) {
      expect(t.year).toBe(2024);
      expect(t.department).toEqual({ code: "402", name: "重庆市南岸区经济和信息化委员会" });
      expect(t.unit).toEqual({ code: "402", name: "重庆市南岸区经济和信息化委员会" });
      expect(t.project!.code).toBeNull();
      expect(t.project!.category).toBeNull();
      expect(t.project!.budget.local).toBeNull();
      expect(t.project!.budget.superior).toBeNull();
      expect(t.budgetExecutionWeight).toBeNull();
      expect(t.project!.annualGoal).toBeTruthy();
      expect(t.indicators.reduce((s, i) => s + i.weight!, 0)).toBe(90);
      expect(t.indicators.filter((i) => i.core).length).toBe(2);
    }
    expect(projects[0].project!.basis).toMatch(/^《南岸区经开区推动制造业跃升十条扶持政策》/);
    expect(projects[3].project!.annualGoal).toBe("确保辖区食盐质量安全和供应安全、确保食盐市场稳定。");
  });

  it("reads the table split over two Markdown tables (工业、信息化及智能制造) and broken header words", () => {
    const t = doc.tables[7];
    expect(t.project!.annualGoal).toBe("积极培育创新型中小企业、专精特新中小企业、专精特新“小巨人”企业。");
    expect(t.project!.overview).toMatch(/^一、根据《关于印发〈区县（自治县）考核指标体系〉的通知》/);
    expect(t.project!.basis).toMatch(/^《关于印发〈区县（自治县）考核指标体系〉的通知》/);
    expect(t.indicators.map(row)).toEqual([
      [551, null, null, "规上工业企业专精特新覆盖率", 15, "%", "≥", "45", false],
      [552, null, null, "助力工业增加值增速", 15, "%", "≥", "2", false],
      [553, null, null, "服务企业满意度", 10, "%", "≥", "90", false],
      [554, null, null, "为企业争取上级资金", 25, "万元", "≥", "6000", true],
      [555, null, null, "助力企业创建数字化工厂及车间数", 25, "个", "≥", "3", true],
    ]);
    // 指标性 质 / 指标 值 / 计量单 位 / 是否核 心 columns (project 6 as well).
    expect(doc.tables[6].indicators.map(row)).toEqual([
      [522, null, null, "服务企业满意度", 10, "%", "≥", "90", false],
      [523, null, null, "重点场所隐患排查率", 15, "%", "=", "100", false],
      [524, null, null, "集中安全生产指导人次", 25, "人次", "≥", "200", true],
      [525, null, null, "新建绿色工厂数量", 15, "个", "≥", "1", false],
      [526, null, null, "检查节能量和节能措施企业数", 25, "户", "≥", "18", true],
    ]);
  });
});

describe(F002, () => {
  const doc = load(F002);
  const projects = doc.tables.filter((t) => t.kind === "project");

  it("finds 1 department table with 0 indicators and 16 project tables with 81 indicators", () => {
    expect(doc.year).toBe(2026);
    expect(doc.tables).toHaveLength(17);
    expect(doc.tables[0].kind).toBe("department");
    expect(doc.tables[0].indicators).toEqual([]);
    expect(projects).toHaveLength(16);
    expect(projects.reduce((s, t) => s + t.indicators.length, 0)).toBe(81);
    expect(projects.map((t) => t.indicators.length)).toEqual([5, 5, 5, 5, 5, 6, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5]);
    checkSchema(doc);
  });

  it("reads the empty department table as empty (unknown fields are null)", () => {
    const t = doc.tables[0];
    expect(t.department).toBeNull();
    expect(t.overall).toEqual({ budget: null, midTermGoal: null, annualGoal: null });
    expect(t.source).toEqual({ file: F002, line: 289 });
  });

  it("imports the table whose header was lost as its own table, flagged, not merged", () => {
    const i = projects.findIndex((t) => t.project!.name === null);
    expect(i).toBe(7);
    const lost = projects[i];
    expect(lost.project!.annualGoal).toBe("保证机关正常运转");
    expect(lost.project!.basis).toBe("我委三定方案及相关文件");
    expect(lost.project!.code).toBeNull();
    expect(lost.department).toBeNull();
    expect(lost.budgetExecutionWeight).toBeNull();
    expect(lost.project!.budget).toEqual({ total: null, local: null, superior: null });
    expect(lost.warnings).toEqual([expect.objectContaining({ code: "name_missing", line: 438 })]);
    expect(doc.warnings).toEqual([expect.objectContaining({ code: "name_missing", line: 438 })]);
    expect(lost.indicators.map(row)).toEqual([
      [441, "产出指标", "效果指标", "办公场所正常使用率", 20, "%", "≥", "90", true],
      [442, "满意度指标", "满意度指标", "员工满意度", 10, "%", "≥", "90", false],
      [443, "成本指标", "经济成本指标", "平均每月支付租金", 20, "万元", "≤", "4.5", true],
      [444, "产出指标", "数量指标", "保证机关工作正常运转", 20, "项", "=", "1", true],
      [445, "效益指标", "社会效益指标", "实现工业战线“主力部队”大集结", 20, "项", "=", "1", false],
    ]);
    // The project before it keeps exactly its own five indicators.
    const before = projects[i - 1];
    expect(before.project!.name).toBe("市中小微企业发展专项资金");
    expect(before.indicators.map((x) => x.name)).toEqual(["扶持企业", "带动更多中小企业持续健康发展", "缓解企业资金压力", "企业满意度", "工业产值"]);
  });

  it("reads the first and last indicator of every table", () => {
    expect(doc.tables.map(summary)).toEqual([
      ["department", null, null, 289, 0, null, null],
      ["project", "50011021T000000052342", "参战参核军人生活补助", 299, 5, [307, "产出指标", "数量指标", "补助人数", 20, "人", "≥", "39", true], [311, "产出指标", "时效指标", "每季度按时发放率", 20, "%", "=", "100", true]],
      ["project", "50011021T000000052350", "困难企业、骨干企业慰问费", 319, 5, [328, "产出指标", "时效指标", "慰问金按时到位率", 20, "%", "=", "100", true], [332, "产出指标", "数量指标", "慰问人数", 20, "人", "≥", "100", true]],
      ["project", "50011021T000000052362", "农药厂退休、退职人员生活补助", 340, 5, [349, "产出指标", "数量指标", "落实政策后减少矛盾", 20, "项", "≥", "2", false], [353, "产出指标", "时效指标", "每季度按时发放率", 20, "%", "≥", "90", true]],
      ["project", "50011022T000002011662", "破产关停企业遗留问题处置", 361, 5, [369, "产出指标", "数量指标", "养老金及留守人员补贴发放人数", 20, "家", "≥", "6", true], [373, "产出指标", "时效指标", "按时发放率", 20, "%", "≥", "90", true]],
      ["project", "50011022T000002014046", "中小企业服务体系建设及小微企业培育专项经费", 381, 5, [390, "产出指标", "数量指标", "服务企业数量", 20, "家", "≥", "30", true], [394, "效益指标", "经济效益指标", "开展融资服务次数", 10, "次", "≥", "4", false]],
      ["project", "50011022T0000002358624", "二轻行业离退休职工生活补助及相关经费（非统发）", 402, 6, [411, "成本指标", "经济成本指标", "补助发放金额", 10, "万元", "≤", "20", false], [416, "产出指标", "质量指标", "补助发放合格率", 20, "%", "=", "100", true]],
      ["project", "50011023T000003526103", "市中小微企业发展专项资金", 424, 5, [432, "产出指标", "数量指标", "扶持企业", 20, "家", "≥", "3", true], [436, "效益指标", "经济效益指标", "工业产值", 20, "亿元", "≥", "1", true]],
      ["project", null, null, 438, 5, [441, "产出指标", "效果指标", "办公场所正常使用率", 20, "%", "≥", "90", true], [445, "效益指标", "社会效益指标", "实现工业战线“主力部队”大集结", 20, "项", "=", "1", false]],
      ["project", "50011026T000005582473", "“885”涉工业核心指标支撑专项", 453, 5, [461, "产出指标", "数量指标", "规上工业产值", 20, "亿元", "≥", "280", true], [466, "效益指标", "经济效益指标", "规上工业产值增速", 20, "%", "≥", "2", false]],
      ["project", "50011026T000005582514", "绿色循环发展专项", 474, 5, [482, "产出指标", "数量指标", "备案节能减排技术改造项目数量", 20, "家", "≥", "10", true], [486, "效益指标", "生态效益指标", "应用“工业绿效码”企业数", 20, "家", "≥", "5", false]],
      ["project", "50011026T000005582555", "电气讯等行业安全监管专项", 494, 5, [503, "产出指标", "安全指标", "安全隐患整治率", 20, "%", "≥", "100", true], [507, "产出指标", "数量指标", "安全教育培训", 20, "场", "≥", "5", true]],
      ["project", "50011026T000005582578", "电气讯等行业行政执法经费", 515, 5, [524, "效益指标", "社会效益指标", "案卷规范审查率", 20, "%", "=", "100", false], [528, "产出指标", "质量指标", "执法装备配备率", 20, "%", "=", "100", true]],
      ["project", "50011026T000005582596", "电气讯等行业规划、评估管理专项", 536, 5, [544, "产出指标", "数量指标", "页岩气年产气量", 20, "立方米", "≥", "280000000", true], [548, "产出指标", "数量指标", "食盐储备量", 20, "万吨", "≥", "800", true]],
      ["project", "50011026T000005582625", "关闭煤矿隐患排查治理", 556, 5, [565, "产出指标", "质量指标", "关闭煤矿隐患排查覆盖率", 20, "%", "≥", "100", true], [569, "产出指标", "质量指标", "矿井涌水监测率", 20, "%", "≥", "95", true]],
      ["project", "50011026T000005588117", "产业转型升级专项", 577, 5, [586, "产出指标", "数量指标", "申报项目个数", 20, "个", "≥", "10", true], [590, "产出指标", "数量指标", "开展现场核查次数", 20, "次", "≥", "10", true]],
      ["project", "50011026T000005588127", "十五五工业发展规划编制", 598, 5, [606, "效益指标", "社会效益指标", "征求意见次数", 20, "次", "≥", "2", false], [610, "产出指标", "质量指标", "章节完整率", 20, "%", "≥", "90", true]],
    ]);
  });

  it("splits the code prefixed to the name and reads 主管部门, 编制单位, budgets and 预算执行率权重", () => {
    const named = projects.filter((t) => t.project!.name !== null);
    for (const t of named) {
      expect(t.year).toBe(2026);
      expect(t.department).toEqual({ code: null, name: "重庆市綦江区经济和信息化委员会" });
      expect(t.unit).toEqual({ code: "206001", name: "重庆市綦江区经济和信息化委员会（本级）" });
      expect(t.project!.category).toBe("一般性项目");
      expect(t.budgetExecutionWeight).toBe(10);
      expect(t.project!.code).toMatch(/^500110\d{2}T\d{12,13}$/);
      expect(t.project!.name).not.toMatch(/^\d|-/);
      expect(t.indicators.reduce((s, i) => s + i.weight!, 0)).toBe(90);
    }
    expect(named.map((t) => [t.project!.budget.total, t.project!.budget.local, t.project!.budget.superior])).toEqual([
      [25.65, 25.65, null],
      [5, 5, null],
      [75, 75, null],
      [38, 38, null],
      [26, 26, null],
      [20, 20, null],
      [200, null, 200],
      [140.04, 140.04, null],
      [32.5, 32.5, null],
      [10, 10, null],
      [10, 10, null],
      [51.7, 51.7, null],
      [60, 60, null],
      [85.7, 85.7, null],
      [10, 10, null],
    ]);
    expect(named[0].project!.overview).toBe("此笔款项为财政专项资金，已持续支付多年。按照渝民发〔2011〕116号、渝民发〔2011〕122号文件依据。");
    expect(named[0].project!.basis).toBe("我委三定方案及相关文件");
    expect(named[0].project!.annualGoal).toBe("保障两参人员权益，维护社会稳定，按时足额发放到人，落实政策，减少矛盾。");
    expect(named[0].project!.schedule).toBeNull();
    expect(named[0].project!.measures).toBeNull();
  });

  it("reads every indicator of the six-indicator table and of the one with a blank line inside", () => {
    const t = projects.find((x) => x.project!.code === "50011022T0000002358624")!;
    expect(t.indicators.map(row)).toEqual([
      [411, "成本指标", "经济成本指标", "补助发放金额", 10, "万元", "≤", "20", false],
      [412, "产出指标", "数量指标", "发放人数", 20, "人", "≤", "4", true],
      [413, "满意度指标", "服务对象满意度指标", "保证其基本生活满意度", 10, "%", "≥", "90", false],
      [414, "效益指标", "社会效益指标", "落实历史遗留问题减少社会矛盾率", 20, "%", "≥", "90", true],
      [415, "产出指标", "时效指标", "每月按时发放率", 10, "%", "=", "100", false],
      [416, "产出指标", "质量指标", "补助发放合格率", 20, "%", "=", "100", true],
    ]);
    const split = projects.find((x) => x.project!.code === "50011026T000005582473")!;
    expect(split.indicators.map((i) => i.line)).toEqual([461, 462, 463, 465, 466]);
    expect(split.indicators[2]).toMatchObject({ name: "中小企业监测户数", weight: 10, unit: "家", operator: "≥", target: "50", core: false });
    const zero = projects.find((x) => x.project!.code === "50011026T000005582625")!;
    expect(zero.indicators[3]).toMatchObject({ name: "重大安全与环境风险事件数", unit: "起", operator: "=", target: "0", core: true });
  });
});
