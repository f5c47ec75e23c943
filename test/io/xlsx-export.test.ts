// The exported workbook looks like the official form.
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { tableToWorkbook, tablesToWorkbook } from "../../app/io/xlsx";
import { fullDepartment, fullProject, loadWorkbook, smallProject } from "../fixtures/xlsx/build";

function merges(ws: ExcelJS.Worksheet): string[] {
  return (ws.model.merges ?? []).slice().sort();
}

describe("xlsx export: one table", () => {
  it("writes the published layout: title, 编制单位, 单位：万元, header block, indicator grid", async () => {
    const wb = await loadWorkbook(await tableToWorkbook(fullProject()));
    expect(wb.worksheets.map((w) => w.name)).toEqual(["参战参核军人生活补助"]);
    const ws = wb.worksheets[0];
    expect(ws.getCell("A1").value).toBe("2026年项目支出绩效目标表");
    expect(ws.getCell("A2").value).toBe("编制单位：206001-重庆市綦江区经济和信息化委员会（本级）");
    expect(ws.getCell("G2").value).toBe("单位：万元");
    const col = (r: number) => [1, 2, 6, 7].map((c) => ws.getCell(r, c).value);
    expect(col(3)).toEqual(["项目名称", "参战参核军人生活补助", "项目编码", "50011021T000000052342"]);
    expect(col(4)).toEqual(["业务主管部门", "206001-重庆市綦江区经济和信息化委员会（本级）", "项目分类", "一般性项目"]);
    expect(col(5)).toEqual(["财政归口科室", "005-产业发展科", "预算执行率权重", 10]);
    expect(col(6)).toEqual(["当年预算（万元）", 25.65, "本级安排（万元）", 20.5]);
    expect(ws.getCell("F7").value).toBe("上级补助（万元）");
    expect(ws.getCell("G7").value).toBe(5.15);
    expect([8, 9, 10, 11, 12, 13].map((r) => ws.getCell(r, 1).value)).toEqual([
      "项目概述",
      "立项依据",
      "当年实施进度计划",
      "管理措施",
      "三年中期规划绩效目标",
      "当年绩效目标",
    ]);
    const header = Array.from({ length: 9 }, (_, i) => ws.getCell(14, i + 1).value);
    expect(header).toEqual(["绩效指标", "一级指标", "二级指标", "三级指标", "指标权重", "计量单位", "指标性质", "指标值", "是否核心指标"]);
    const row = (r: number) => Array.from({ length: 8 }, (_, i) => ws.getCell(r, i + 2).value);
    expect(row(15)).toEqual(["产出指标", "数量指标", "补助人数", 20, "人", "≥", 39, "是"]);
    expect(row(16)).toEqual(["成本指标", "经济成本指标", "人均补助标准", 17.5, "元", "≤", 556.25, "否"]);
    expect(row(19)).toEqual([null, null, "避免资源浪费和重复", null, null, "定性", "优", "否"]);
    expect(row(18)[7]).toBeNull(); // core null → empty
    expect(merges(ws)).toEqual(
      expect.arrayContaining(["A1:I1", "A2:F2", "G2:I2", "B3:E3", "G3:I3", "A6:A7", "B6:E7", "B8:I8", "A14:A23"]),
    );
  });

  it("formats like the official form: 宋体, borders, wrap text, widths, A4 print setup", async () => {
    const wb = await loadWorkbook(await tableToWorkbook(fullProject()));
    const ws = wb.worksheets[0];
    expect(ws.getCell("A1").font?.name).toBe("宋体");
    expect(ws.getCell("A1").font?.bold).toBe(true);
    expect(ws.getCell("D15").font?.name).toBe("宋体");
    for (const addr of ["A3", "B3", "E3", "I7", "A14", "I14", "B15", "I23"]) {
      const b = ws.getCell(addr).border;
      expect([b?.top?.style, b?.left?.style, b?.bottom?.style, b?.right?.style], addr).toEqual(["thin", "thin", "thin", "thin"]);
    }
    expect(ws.getCell("B8").alignment?.wrapText).toBe(true);
    expect(ws.getCell("D15").alignment?.wrapText).toBe(true);
    expect(ws.getColumn(4).width).toBeGreaterThan(ws.getColumn(5).width!);
    expect(ws.pageSetup.paperSize).toBe(9);
    expect(ws.pageSetup.fitToPage).toBe(true);
    expect(ws.pageSetup.fitToWidth).toBe(1);
    expect(ws.getCell("B6").numFmt).toBe("#,##0.00##");
    // Long texts get taller rows.
    expect(ws.getRow(8).height).toBeGreaterThan(20);
  });

  it("writes a department table with its own header", async () => {
    const wb = await loadWorkbook(await tableToWorkbook(fullDepartment()));
    const ws = wb.worksheets[0];
    expect(ws.name).toBe("整体-重庆市南岸区经济和信息化委员会");
    expect(ws.getCell("A1").value).toBe("2024年部门（单位）整体绩效目标表");
    expect([ws.getCell("A3").value, ws.getCell("B3").value, ws.getCell("F3").value, ws.getCell("G3").value]).toEqual([
      "部门（单位）名称",
      "402-重庆市南岸区经济和信息化委员会",
      "部门支出预算数（万元）",
      5615.72,
    ]);
    expect([4, 5, 6, 7].map((r) => ws.getCell(r, 1).value)).toEqual(["预算执行率权重", "中期绩效目标", "当年整体绩效目标", "绩效指标"]);
  });
});

describe("xlsx export: many tables", () => {
  it("writes an index sheet first, with links to every table sheet", async () => {
    const tables = [fullDepartment(), fullProject(), smallProject()];
    const wb = await loadWorkbook(await tablesToWorkbook(tables, { title: "重庆市綦江区2026年绩效目标表" }));
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      "目录",
      "1 整体-重庆市南岸区经济和信息化委员会",
      "2 参战参核军人生活补助",
      "3 困难企业、骨干企业慰问费",
    ]);
    const idx = wb.worksheets[0];
    expect(idx.getCell("A1").value).toBe("重庆市綦江区2026年绩效目标表");
    const header = Array.from({ length: 10 }, (_, i) => idx.getCell(3, i + 1).value);
    expect(header).toEqual(["序号", "工作表", "类型", "年度", "项目编码", "项目/部门名称", "主管部门", "预算（万元）", "指标数", "指标权重合计"]);
    const row = (r: number) => Array.from({ length: 10 }, (_, i) => idx.getCell(r, i + 1).value);
    const link = row(5)[1] as ExcelJS.CellFormulaValue;
    expect(link.formula).toBe(`HYPERLINK("#'2 参战参核军人生活补助'!A1","2 参战参核军人生活补助")`);
    expect(link.result).toBe("2 参战参核军人生活补助");
    expect(row(5).slice(2)).toEqual([
      "项目",
      2026,
      "50011021T000000052342",
      "参战参核军人生活补助",
      "206001-重庆市綦江区经济和信息化委员会（本级）",
      25.65,
      9,
      90,
    ]);
    expect(row(4).slice(2)).toEqual(["部门整体", 2024, null, "重庆市南岸区经济和信息化委员会", "402-重庆市南岸区经济和信息化委员会", 5615.72, 4, 27.5]);
    // Each table sheet links back to the index.
    const back = wb.worksheets[1].getCell("K1").value as ExcelJS.CellFormulaValue;
    expect(back.formula).toContain("#'目录'!A1");
  });

  it("sheet names are valid (≤ 31 characters, no []:*?/\\) and unique, ignoring case", async () => {
    const names = [
      "信息化/数字化[专项]: 一期*?\\",
      "信息化/数字化[专项]: 一期*?\\",
      "一个非常非常长的项目名称，用来测试工作表名称不能超过三十一个字符的限制规则",
      "一个非常非常长的项目名称，用来测试工作表名称不能超过三十一个字符的限制规则",
      "'引号'",
      "Abc",
      "ABC",
      "目录",
      "History",
    ];
    const tables = names.map((name) => {
      const t = smallProject();
      t.project!.name = name;
      return t;
    });
    const single = await loadWorkbook(await tablesToWorkbook(tables, { index: false }));
    const got = single.worksheets.map((w) => w.name);
    expect(new Set(got.map((n) => n.toLowerCase())).size).toBe(names.length);
    for (const n of got) {
      expect(n.length).toBeLessThanOrEqual(31);
      expect(n).not.toMatch(/[\[\]:*?/\\]/);
      expect(n).not.toContain("'");
    }
    expect(got[0]).toBe("信息化_数字化_专项__ 一期___");
    expect(got[1]).toBe("信息化_数字化_专项__ 一期___(2)");
    expect(got[3].endsWith("(2)")).toBe(true);
    expect(got[8]).not.toBe("History");
    const withIndex = await loadWorkbook(await tablesToWorkbook(tables));
    expect(withIndex.worksheets.filter((w) => w.name === "目录")).toHaveLength(1);
    for (const w of withIndex.worksheets) expect(w.name.length).toBeLessThanOrEqual(31);
  });

  it("an empty list still gives a valid workbook", async () => {
    const wb = await loadWorkbook(await tablesToWorkbook([]));
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Sheet1"]);
    const wb2 = await loadWorkbook(await tablesToWorkbook([], { title: "空" }));
    expect(wb2.worksheets.map((w) => w.name)).toEqual(["目录"]);
  });

  it("strips characters that XML cannot hold instead of writing a corrupt file", async () => {
    const t = smallProject();
    t.project!.overview = "控制字符\u0001\u0008在这里\u000b";
    const wb = await loadWorkbook(await tableToWorkbook(t));
    expect(wb.worksheets[0].getCell("B8").value).toBe("控制字符在这里");
  });
});
