// Import of hand-made and broken workbooks.
import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { exchangeTableSchema } from "../../app/domain/schemas";
import { tableToWorkbook, tablesToWorkbook, workbookToTables } from "../../app/io/xlsx";
import { editWorkbook, findCell, fullProject, smallProject, workbook } from "../fixtures/xlsx/build";

function codes(res: { warnings: Array<{ code: string }> }) {
  return res.warnings.map((w) => w.code);
}

describe("xlsx import: hand-made workbooks", () => {
  it("reads the 002 layout typed by hand (CODE-名称 in 项目名称, labels with spaces, 当年预算 over two rows)", async () => {
    const buf = await workbook([
      {
        name: "Sheet1",
        rows: [
          ["2026年项目支出绩效目标表"],
          ["编制单位：206001-重庆市綦江区经济和信息化委员会（本级）"],
          ["单位：万元"],
          ["项目名称", "50011021T000000052342-参战参核军人生活补助", null, null, null, "业务主管部门", "重庆市綦江区经济和信息化委员会"],
          ["预算执行率 权重", 10, null, null, null, "项目分类", "一般性项目"],
          ["当年预算 （万元）", "25.65", null, null, null, "本级安排 （万元）", "25.65"],
          [null, null, null, null, null, "上级补助 （万元）", null],
          ["项目概述", "此笔款项为财政专项资金。"],
          ["立项依据", "我委三定方案及相关文件"],
          ["当年绩效目标", "保障两参人员权益。"],
          ["绩效指标", "一级指标", "二级指标", "三级指标", "指标权重", "计量单位", "指标性质", "指标值", "是否核心指标"],
          [null, "产出指标", "数量指标", "补助人数", 20, "人", "≥", 39, "是"],
          [null, "成本指标", "经济成本指标", "人均补助标准", "20", "元", ">=", "556", "否"],
          [null, "满意度指标", "服务对象满意度指标", "受益人群满意度", 10, "%", "≥", "90", "否"],
        ],
        merges: ["A6:A7", "B6:E7"],
      },
    ]);
    const res = await workbookToTables(buf);
    expect(res.warnings).toEqual([]);
    const t = exchangeTableSchema.parse(res.tables[0]);
    expect(t.kind).toBe("project");
    expect(t.year).toBe(2026);
    expect(t.unit).toEqual({ code: "206001", name: "重庆市綦江区经济和信息化委员会（本级）" });
    expect(t.department).toEqual({ code: null, name: "重庆市綦江区经济和信息化委员会" });
    expect(t.project).toMatchObject({
      code: "50011021T000000052342",
      name: "参战参核军人生活补助",
      category: "一般性项目",
      budget: { total: 25.65, local: 25.65, superior: null },
      overview: "此笔款项为财政专项资金。",
      basis: "我委三定方案及相关文件",
      annualGoal: "保障两参人员权益。",
    });
    expect(t.budgetExecutionWeight).toBe(10);
    expect(t.indicators).toEqual([
      { level1: "产出指标", level2: "数量指标", name: "补助人数", weight: 20, unit: "人", operator: "≥", target: "39", core: true },
      { level1: "成本指标", level2: "经济成本指标", name: "人均补助标准", weight: 20, unit: "元", operator: "≥", target: "556", core: false, raw: { operator: ">=" } },
      { level1: "满意度指标", level2: "服务对象满意度指标", name: "受益人群满意度", weight: 10, unit: "%", operator: "≥", target: "90", core: false },
    ]);
  });

  it("reads a user's template: labels anywhere, inline `标签：值`, columns in another order, header words with line breaks, inline values", async () => {
    const buf = await workbook([
      {
        name: "我的模板",
        origin: { row: 3, col: 2 },
        rows: [
          [null, "项目绩效目标申报表"],
          [],
          ["项目名称：", null, "企业技术改造补助", null, "项目编号", "50019222A531700000274"],
          ["主管部门", "531-重庆市万盛经济技术开发区经济和信息化局"],
          ["当年预算金额（万元）", "1,300.00", null, "财政归口科室", "005-产业发展科"],
          ["项目 概况", "支持重点领域企业技术改造。"],
          ["年度 绩效目标", "完成 20 家企业技术改造。"],
          [],
          ["序号", "指标\n名称", "指标值", "计量\n单位", "指标 性质", "权重\n（分）"],
          [1, "兑现企业数量", "≥15 家", null, null, 25],
          [2, "企业申报资料真实率", "100%", null, null, 15],
          [3, "资金拨付及时性", "及时", null, null, "10"],
          [4, "规上工业投资增速", "不低于 4", "%", null, 12.5],
          [5, "单户补助上限", "≤2,500", "万元", null, 7.5],
          [6, "受益企业满意度", "90", "%", "≥", 10],
        ],
      },
    ]);
    const res = await workbookToTables(buf);
    expect(res.warnings).toEqual([]);
    const t = exchangeTableSchema.parse(res.tables[0]);
    expect(t.year).toBeNull();
    expect(t.department).toEqual({ code: "531", name: "重庆市万盛经济技术开发区经济和信息化局" });
    expect(t.project).toMatchObject({
      code: "50019222A531700000274",
      name: "企业技术改造补助",
      financeOffice: { code: "005", name: "产业发展科" },
      budget: { total: 1300, local: null, superior: null },
      overview: "支持重点领域企业技术改造。",
      annualGoal: "完成 20 家企业技术改造。",
    });
    expect(t.budgetExecutionWeight).toBeNull();
    const rows = t.indicators.map(({ name, weight, operator, target, unit, core, level1, level2 }) => [name, weight, operator, target, unit, core, level1, level2]);
    expect(rows).toEqual([
      ["兑现企业数量", 25, "≥", "15", "家", null, null, null],
      ["企业申报资料真实率", 15, "=", "100", "%", null, null, null],
      ["资金拨付及时性", 10, "定性", "及时", null, null, null, null],
      ["规上工业投资增速", 12.5, "≥", "4", "%", null, null, null],
      ["单户补助上限", 7.5, "≤", "2500", "万元", null, null, null],
      ["受益企业满意度", 10, "≥", "90", "%", null, null, null],
    ]);
    expect(t.indicators[0].raw).toEqual({ target: "≥15 家" });
    expect(t.indicators[4].raw).toEqual({ target: "≤2,500" });
  });

  it("reads the 001 layout (指标名称, 指标性质 before 指标值 before 计量单位, 是否核心) and the 000 layout (no 一级/二级, no 是否核心)", async () => {
    const buf = await workbook([
      {
        name: "001",
        rows: [
          ["2024 年项目绩效目标表（一级项目）"],
          ["项目名称", "高质量发展扶持资金", "主管部门", "402-重庆市南岸区经济和信息化委员会"],
          ["当年预算", "1,300.00"],
          ["当年绩效目标", "及时完成对符合条件企业的资金扶持。"],
          ["绩效指标", "指标名称", "指标权重", "指标性质", "指标值", "计量单位", "是否核心"],
          [null, "兑现企业数量", 25, "≥", 20, "家", "是"],
          [null, "企业申报资料真实率", 15, "=", 100, "%", "否"],
        ],
      },
      {
        name: "000",
        rows: [
          ["项目名称", "工业和信息化产业发展专项", "项目编码", "50019222A531700000274"],
          ["项目主管部门", "531-重庆市万盛经济技术开发区经济和信息化局", "项目分类", "重点专项"],
          ["财政归口科室", "005-产业发展科", "当年预算金额", 2570],
          ["<b>三年中期规划绩效目标</b>", "积极推进项目实施进度。"],
          ["<b>绩效指标</b>", "<b>指标</b>", "<b>指标权重</b>", "<b>计量单位</b>", "<b>指标性质</b>", "<b>指标值</b>"],
          [null, "避免资源浪费和重复", 6, null, "定性", "优"],
          [null, "劳务派遣人员人均费用", 7, "元/个", "=", 35000],
        ],
      },
    ]);
    const res = await workbookToTables(buf);
    expect(res.warnings).toEqual([]);
    const [a, b] = res.tables;
    expect(a.year).toBe(2024);
    expect(a.department).toEqual({ code: "402", name: "重庆市南岸区经济和信息化委员会" });
    expect(a.project?.budget.total).toBe(1300);
    expect(a.indicators).toEqual([
      { level1: null, level2: null, name: "兑现企业数量", weight: 25, unit: "家", operator: "≥", target: "20", core: true },
      { level1: null, level2: null, name: "企业申报资料真实率", weight: 15, unit: "%", operator: "=", target: "100", core: false },
    ]);
    expect(b.project).toMatchObject({ code: "50019222A531700000274", category: "重点专项", midTermGoal: "积极推进项目实施进度。", budget: { total: 2570 } });
    expect(b.indicators).toEqual([
      { level1: null, level2: null, name: "避免资源浪费和重复", weight: 6, unit: null, operator: "定性", target: "优", core: null },
      { level1: null, level2: null, name: "劳务派遣人员人均费用", weight: 7, unit: "元/个", operator: "=", target: "35000", core: null },
    ]);
  });

  it("takes 一级/二级 from cells merged down over several indicators, and normalises short names", async () => {
    const buf = await workbook([
      {
        name: "合并",
        rows: [
          ["项目名称", "示例"],
          ["一级指标", "二级指标", "三级指标", "指标值", "是否核心指标"],
          ["产出", "数量", "甲", "≥1 个", "是"],
          [null, null, "乙", "≥2 个", "否"],
          [null, "质量指标", "丙", "100%", "否"],
          ["满意度指标", "服务对象满意度", "丁", "≥90%", "否"],
        ],
        merges: ["A3:A5", "B3:B4"],
      },
    ]);
    const res = await workbookToTables(buf);
    expect(res.warnings).toEqual([]);
    const inds = res.tables[0].indicators;
    expect(inds.map((i) => [i.level1, i.level2, i.name])).toEqual([
      ["产出指标", "数量指标", "甲"],
      ["产出指标", "数量指标", "乙"],
      ["产出指标", "质量指标", "丙"],
      ["满意度指标", "服务对象满意度指标", "丁"],
    ]);
    expect(inds[0].raw).toEqual({ level1: "产出", level2: "数量", target: "≥1 个" });
    expect(inds[1].raw).toEqual({ level1: "产出", level2: "数量", target: "≥2 个" });
    expect(inds.map((i) => i.weight)).toEqual([null, null, null, null]);
  });

  it("reads several tables stacked in one sheet, and a department table", async () => {
    const buf = await workbook([
      {
        name: "公开表",
        rows: [
          ["部门（单位）整体绩效目标表"],
          ["单位：万元"],
          ["部门(单位)名称", "402-重庆市南岸区经济和信息化委员会", null, "部门支出预算数", "5,615.72"],
          ["当年整体绩效目标", "贯彻实施产业政策。"],
          ["绩效指标", "指标", "指标权重", "计量单位", "指标性质", "指标值"],
          [null, "新增专精特新企业", 10, "家", "≥", 20],
          [],
          ["2026年项目支出绩效目标表"],
          ["项目名称", "项目甲"],
          ["绩效指标", "三级指标", "指标权重", "指标值"],
          [null, "甲一", 50, "≥3 个"],
          [null, "甲二", 50, "达标"],
          ["其他说明"],
          ["2026年项目支出绩效目标表"],
          ["项目名称", "项目乙"],
          ["绩效指标", "三级指标", "指标权重", "指标值"],
          [null, "乙一", 100, "=1 项"],
        ],
      },
    ]);
    const res = await workbookToTables(buf);
    expect(res.warnings).toEqual([]);
    expect(res.tables.map((t) => [t.kind, t.year, t.project?.name ?? t.department?.name, t.indicators.map((i) => i.name)])).toEqual([
      ["department", null, "重庆市南岸区经济和信息化委员会", ["新增专精特新企业"]],
      ["project", 2026, "项目甲", ["甲一", "甲二"]],
      ["project", 2026, "项目乙", ["乙一"]],
    ]);
    expect(res.tables[0].overall).toEqual({ budget: 5615.72, midTermGoal: null, annualGoal: "贯彻实施产业政策。" });
    expect(res.tables[0].project).toBeNull();
  });

  it("reads numbers formatted as percentages as Excel shows them (90% → ≥ 90 %)", async () => {
    const buf = await workbook([
      {
        name: "S",
        rows: [
          ["项目名称", "x"],
          ["指标名称", "权重", "指标性质", "指标值", "计量单位"],
          ["合格率", 0.2, "≥", 0.9, null],
          ["完成率", 0.8, null, 1, null],
          ["人数", 0.5, "≥", 15, "人"],
        ],
        edit: (ws) => {
          for (const a of ["B3", "D3", "B4", "D4"]) ws.getCell(a).numFmt = "0%";
          ws.getCell("B5").numFmt = '0.0"分"';
        },
      },
    ]);
    const res = await workbookToTables(buf);
    expect(res.warnings).toEqual([]);
    expect(res.tables[0].indicators).toEqual([
      { level1: null, level2: null, name: "合格率", weight: 20, unit: "%", operator: "≥", target: "90", core: null, raw: { weight: "20%", target: "90%" } },
      { level1: null, level2: null, name: "完成率", weight: 80, unit: "%", operator: "=", target: "100", core: null, raw: { weight: "80%", target: "100%" } },
      { level1: null, level2: null, name: "人数", weight: 0.5, unit: "人", operator: "≥", target: "15", core: null },
    ]);
  });

  it("indicator names that are also header words (预算执行率, 年度) do not end the grid; 000's 绩效指标 in the first row is not data", async () => {
    const buf = await workbook([
      {
        name: "S",
        rows: [
          ["部门(单位)名称", "402-某委员会", "部门支出预算数", 100],
          [null, "指标", "指标权重", "计量单位", "指标性质", "指标值"],
          ["绩效指标", "预算执行率", 10, "%", "≥", 90],
          [null, "年度", 10, "年", "=", 1],
          [null, "绩效运行监控率", 80, "%", "=", 100],
        ],
      },
    ]);
    const res = await workbookToTables(buf);
    expect(res.warnings).toEqual([]);
    expect(res.tables[0].kind).toBe("department");
    expect(res.tables[0].indicators.map((i) => i.name)).toEqual(["预算执行率", "年度", "绩效运行监控率"]);
  });

  it("a stacked second table that starts with 单位：万元 does not leak into the first table", async () => {
    const buf = await workbook([
      {
        name: "S",
        rows: [
          ["项目名称", "甲"],
          ["指标名称", "指标值"],
          ["甲一", "≥1 个"],
          ["单位：万元"],
          ["项目名称", "乙"],
          ["指标名称", "指标值"],
          ["乙一", "≥2 个"],
        ],
      },
    ]);
    const res = await workbookToTables(buf);
    expect(res.warnings).toEqual([]);
    expect(res.tables.map((t) => t.indicators.map((i) => i.name))).toEqual([["甲一"], ["乙一"]]);
  });
});

describe("xlsx import: broken workbooks", () => {
  it("a wrong sheet (no indicator grid) is reported and skipped; other sheets are still read", async () => {
    const good = await tableToWorkbook(smallProject());
    const buf = await editWorkbook(good, (wb) => {
      const ws = wb.addWorksheet("收支总表");
      ws.addRow(["项目", "本年收入", "本年支出"]);
      ws.addRow(["一般公共预算拨款", 100, 90]);
    });
    const res = await workbookToTables(buf);
    expect(res.tables).toHaveLength(1);
    expect(res.warnings).toEqual([
      expect.objectContaining({ sheet: "收支总表", row: null, code: "no_grid", severity: "error" }),
    ]);
    expect(res.warnings[0].message).toMatch(/收支总表.*没有找到绩效指标表头/);
  });

  it("a workbook with only a wrong sheet gives no tables and says so", async () => {
    const buf = await workbook([{ name: "Sheet1", rows: [["项目名称", "某项目"], ["预算", 12]] }]);
    const res = await workbookToTables(buf);
    expect(res.tables).toEqual([]);
    expect(codes(res)).toEqual(["no_grid", "no_tables"]);
    expect(res.warnings[1].message).toMatch(/没有找到绩效目标表/);
  });

  it("text in the weight column: a row-level error with the row and the value; the row is still imported", async () => {
    const good = await tableToWorkbook(smallProject());
    const buf = await editWorkbook(good, (wb) => {
      const ws = wb.worksheets[0];
      ws.getCell("E13").value = "二十";
    });
    const res = await workbookToTables(buf);
    const t = res.tables[0];
    expect(t.indicators).toHaveLength(2);
    expect(t.indicators[1]).toMatchObject({ name: "每人慰问金额", weight: null, raw: { weight: "二十" }, target: "500" });
    expect(res.warnings).toHaveLength(1);
    const w = res.warnings[0];
    expect(w).toMatchObject({ row: 13, code: "weight_invalid", severity: "error" });
    expect(w.message).toContain("第13行");
    expect(w.message).toContain("「二十」");
    expect(w.message).toContain("每人慰问金额");
    // The table carries the warning too.
    expect(t.warnings).toEqual([{ code: "weight_invalid", message: w.message, line: 13 }]);
    exchangeTableSchema.parse(t);
  });

  it("weights written as text numbers (`20`, `2.5分`, `１０`) are read", async () => {
    const buf = await workbook([
      {
        name: "S",
        rows: [
          ["项目名称", "x"],
          ["三级指标", "指标权重", "指标值"],
          ["a", "20", "≥1 个"],
          ["b", "2.5分", "≥1 个"],
          ["c", "１０", "≥1 个"],
        ],
      },
    ]);
    const res = await workbookToTables(buf);
    expect(res.warnings).toEqual([]);
    expect(res.tables[0].indicators.map((i) => [i.weight, i.raw?.weight])).toEqual([
      [20, undefined],
      [2.5, "2.5分"],
      [10, "１０"],
    ]);
  });

  it("merged cells moved in the header block: values are still found by their labels, what cannot be placed is reported", async () => {
    const good = await tableToWorkbook(smallProject());
    const buf = await editWorkbook(good, (wb) => {
      const ws = wb.worksheets[0];
      // 项目名称's value moves from B3:E3 to C3:D3; 业务主管部门's label moves from F4 to E4.
      ws.unMergeCells("B3:E3");
      ws.getCell("C3").value = ws.getCell("B3").value;
      ws.getCell("B3").value = null;
      ws.mergeCells("C3:D3");
      ws.unMergeCells("B4:E4");
      ws.getCell("E4").value = ws.getCell("F4").value;
      ws.getCell("F4").value = null;
      ws.mergeCells("B4:D4");
    });
    const res = await workbookToTables(buf);
    expect(res.warnings).toEqual([]);
    expect(res.tables[0]).toStrictEqual(smallProject());
  });

  it("a merge that swallows a label loses its value: reported with the row, not dropped silently", async () => {
    const good = await tableToWorkbook(smallProject());
    const buf = await editWorkbook(good, (wb) => {
      const ws = wb.worksheets[0];
      // The 项目名称 value is merged over the 项目编码 label (B3:F3).
      ws.unMergeCells("B3:E3");
      ws.mergeCells("B3:F3");
    });
    const res = await workbookToTables(buf);
    const t = res.tables[0];
    expect(t.project?.name).toBe("困难企业、骨干企业慰问费");
    expect(t.project?.code).toBeNull();
    expect(res.warnings).toEqual([expect.objectContaining({ row: 3, code: "content_ignored", severity: "warning" })]);
    expect(res.warnings[0].message).toContain("50011021T000000052350");
  });

  it("a grid cell merged over the next column: a row-level error, the row is kept", async () => {
    const good = await tableToWorkbook(smallProject());
    const buf = await editWorkbook(good, (wb) => {
      const ws = wb.worksheets[0];
      ws.mergeCells("D12:E12"); // 三级指标 over 指标权重
    });
    const res = await workbookToTables(buf);
    const t = res.tables[0];
    expect(t.indicators[0]).toMatchObject({ name: "慰问金按时到位率", weight: null, target: "100" });
    expect(res.warnings).toEqual([expect.objectContaining({ row: 12, code: "cell_merged", severity: "error" })]);
    expect(res.warnings[0].message).toMatch(/第12行.*三级指标.*指标权重/);
  });

  it("a grid header merged over two columns: the swallowed column's content is reported", async () => {
    const good = await tableToWorkbook(smallProject());
    const buf = await editWorkbook(good, (wb) => {
      const ws = wb.worksheets[0];
      ws.mergeCells("E11:F11"); // 指标权重 header over 计量单位
    });
    const res = await workbookToTables(buf);
    const t = res.tables[0];
    expect(t.indicators.map((i) => [i.weight, i.unit])).toEqual([
      [20, null],
      [20, null],
    ]);
    expect(res.warnings).toEqual([expect.objectContaining({ row: 12, code: "column_ignored" })]);
    expect(res.warnings[0].message).toMatch(/指标权重.*第6列.*第12、13行/);
  });

  it("weights merged down over two rows count once and are reported", async () => {
    const buf = await workbook([
      {
        name: "S",
        rows: [
          ["项目名称", "x"],
          ["三级指标", "指标权重", "指标值"],
          ["a", 20, "≥1 个"],
          ["b", null, "≥1 个"],
        ],
        merges: ["B3:B4"],
      },
    ]);
    const res = await workbookToTables(buf);
    expect(res.tables[0].indicators.map((i) => i.weight)).toEqual([20, null]);
    expect(res.warnings).toEqual([expect.objectContaining({ row: 4, code: "weight_merged" })]);
  });

  it("unreadable values, operators and core flags are row-level errors; the rows stay", async () => {
    const buf = await workbook([
      {
        name: "S",
        rows: [
          ["项目名称", "x"],
          ["三级指标", "指标权重", "指标性质", "指标值", "计量单位", "是否核心指标"],
          ["a", 10, "约等于", 5, "个", "是"],
          ["b", 10, "≥", "若干", "个", "可能"],
          ["c", 10, null, "3-5次", null, null],
        ],
      },
    ]);
    const res = await workbookToTables(buf);
    const inds = res.tables[0].indicators;
    expect(inds).toHaveLength(3);
    expect(codes(res)).toEqual(["value_invalid", "value_invalid", "core_invalid", "value_invalid"]);
    expect(res.warnings.map((w) => w.row)).toEqual([3, 4, 4, 5]);
    expect(inds[0]).toMatchObject({ operator: null, target: "5", raw: { operator: "约等于" } });
    expect(inds[1]).toMatchObject({ operator: "≥", target: "若干", core: null, raw: { target: "若干" } });
    expect(inds[2]).toMatchObject({ operator: null, target: "3-5次", raw: { target: "3-5次" } });
    expect(res.warnings[3].message).toContain("「3-5次」");
  });

  it("total rows, rows outside the grid columns and content after the last table are reported", async () => {
    const buf = await workbook([
      {
        name: "S",
        rows: [
          ["项目名称", "x"],
          ["三级指标", "指标权重", "指标值", null, "自定义"],
          ["a", 60, "≥1 个", null, "甲"],
          ["b", 40, "≥1 个"],
          ["合计", 100],
          [null, null, null, "旁注：以上指标经审核"],
          [],
          ["填报人：张三"],
          ["随手写的一行"],
        ],
      },
    ]);
    const res = await workbookToTables(buf);
    expect(res.tables[0].indicators.map((i) => i.name)).toEqual(["a", "b"]);
    expect(res.warnings.map((w) => [w.code, w.row])).toEqual([
      ["total_row", 5],
      ["row_ignored", 6],
      ["column_ignored", 3],
      ["content_ignored", 8],
    ]);
    expect(res.warnings[2].message).toContain("「自定义」列");
    expect(res.warnings[3].message).toContain("第8、9行");
  });

  it("formulas are read by their cached result; a formula without one is reported, not lost", async () => {
    const buf = await workbook([
      {
        name: "S",
        rows: [
          ["项目名称", "x"],
          ["三级指标", "指标权重", "指标值"],
          ["a", null, "≥1 个"],
          ["b", null, "≥1 个"],
        ],
        edit: (ws) => {
          ws.getCell("B3").value = { formula: "10+10", result: 20 };
          ws.getCell("B4").value = { formula: "100-B3" } as ExcelJS.CellFormulaValue;
        },
      },
    ]);
    const res = await workbookToTables(buf);
    expect(res.tables[0].indicators.map((i) => [i.weight, i.raw?.weight])).toEqual([
      [20, undefined],
      [null, "=100-B3"],
    ]);
    expect(res.warnings.map((w) => [w.code, w.row])).toEqual([["weight_invalid", 4]]);
    expect(res.warnings[0].message).toContain("「=100-B3」");
  });

  it("a repeated column and a missing 指标值 column are reported", async () => {
    const buf = await workbook([
      {
        name: "S",
        rows: [
          ["项目名称", "x"],
          ["三级指标", "指标权重", "指标权重"],
          ["a", 50, 40],
        ],
      },
    ]);
    const res = await workbookToTables(buf);
    expect(res.tables[0].indicators[0]).toMatchObject({ name: "a", weight: 50, target: null });
    expect(res.warnings.map((w) => [w.code, w.row])).toEqual([
      ["no_target_column", 2],
      ["column_ignored", 3],
    ]);
    expect(res.warnings[1].message).toContain("「指标权重」列（第3列，与前面的同名列重复）");
  });

  it("a note merged across the whole grid is one ignored row, not an error per column", async () => {
    const good = await tableToWorkbook(smallProject());
    const buf = await editWorkbook(good, (wb) => {
      const ws = wb.worksheets[0];
      ws.unMergeCells("A11:A13");
      ws.getCell("A14").value = "注：以上指标由财政局审定";
      ws.mergeCells("A14:I14");
    });
    const res = await workbookToTables(buf);
    expect(res.tables[0].indicators).toHaveLength(2);
    expect(res.warnings.map((w) => [w.code, w.row])).toEqual([["row_ignored", 14]]);
    expect(res.warnings[0].message).toContain("注：以上指标由财政局审定");
  });

  it("an empty workbook and a workbook of empty sheets", async () => {
    const empty = await tablesToWorkbook([], { index: false });
    const res = await workbookToTables(empty);
    expect(res.tables).toEqual([]);
    expect(codes(res)).toEqual(["no_tables"]);
    const blank = await workbook([{ name: "Sheet1", rows: [] }, { name: "Sheet2", rows: [] }]);
    expect(codes(await workbookToTables(blank))).toEqual(["no_tables"]);
  });

  it("non-xlsx input gives a clear Chinese error, never an exception", async () => {
    const cases: Array<[Uint8Array | ArrayBuffer, string]> = [
      [new Uint8Array(0), "empty_file"],
      [Buffer.from("项目名称,指标\n甲,乙\n", "utf8"), "not_xlsx"],
      [new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]), "xls_format"],
      [Buffer.from("PK\u0003\u0004 this is not really a zip file", "latin1"), "not_xlsx"],
      [new TextEncoder().encode("<html><body>not excel</body></html>").buffer, "not_xlsx"],
    ];
    const good = await tableToWorkbook(smallProject());
    cases.push([good.subarray(0, Math.floor(good.length / 2)), "not_xlsx"]);
    for (const [input, code] of cases) {
      const res = await workbookToTables(input);
      expect(res.tables).toEqual([]);
      expect(res.warnings).toHaveLength(1);
      expect(res.warnings[0]).toMatchObject({ sheet: "", row: null, code, severity: "error" });
      expect(res.warnings[0].message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it("a zip that is not a workbook is not an xlsx", async () => {
    const JSZip = (await import("jszip")).default;
    const zip = new JSZip();
    zip.file("word/document.xml", "<w:document/>");
    const buf = await zip.generateAsync({ type: "nodebuffer" });
    const res = await workbookToTables(buf);
    expect(res.tables).toEqual([]);
    expect(res.warnings[res.warnings.length - 1].severity).toBe("error");
  });

  it("every indicator row of a large exported workbook is read back, none dropped", async () => {
    const t = fullProject();
    t.indicators = Array.from({ length: 300 }, (_, i) => ({ ...t.indicators[i % t.indicators.length], name: `指标${i + 1}` }));
    const res = await workbookToTables(await tableToWorkbook(t));
    expect(res.warnings).toEqual([]);
    expect(res.tables[0].indicators).toHaveLength(300);
    expect(res.tables[0]).toStrictEqual(t);
  });

  it("findCell helper finds exported labels (layout sanity)", async () => {
    const buf = await tableToWorkbook(fullProject());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
    expect(findCell(wb.worksheets[0], "项目名称")?.address).toBe("A3");
  });
});
