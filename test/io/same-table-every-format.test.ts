// The same tables read from every format give the same exchange JSON (issue 12, item 1):
// written as document text (tab-separated), as an .xlsx workbook (built here with exceljs,
// cell for cell the same grid) and as a pasted grid (the indicator rows), and exported by
// the project's own exporter and read back. The labels and column headers are variants
// (实施单位, 项目类型, 年度资金总额, 本级资金, 指标内容, 分值, 度量单位, 指标方向, 目标值…), so
// the three readers agree only if they read one vocabulary. Only the provenance (source,
// line) is ignored.
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { parsePastedRows } from "../../app/domain/paste";
import type { ExchangeTable, Indicator } from "../../app/domain/schemas";
import { formToIndicator } from "../../app/domain/table-form";
import { parseDocument } from "../../app/io/document";
import { tablesToWorkbook, workbookToTables } from "../../app/io/xlsx";

type Grid = Array<Array<string | number>>;

/** A project table in a province's own wording, every label a variant of the official one. */
const PROJECT: Grid = [
  ["2023年项目支出绩效目标表"],
  ["项目名称", "50011023T000000012345-农村公路养护补助资金", "项目编号", "50011023T000000012345"],
  ["主管部门", "301-示例区交通运输局", "实施单位", "301002-示例区公路事务中心"],
  ["项目类型", "一般性项目", "归口科室", "007-交通科"],
  ["年度资金总额（万元）", 320, "本级资金（万元）", 200],
  ["预算执行率分值", 10, "上级补助资金（万元）", 120],
  ["项目概况", "用于县乡道日常养护和示范路创建。"],
  ["立项依据", "《公路法》及养护管理办法。"],
  ["实施进度安排", "一季度完成计划，四季度完成验收。"],
  ["保障措施", "专款专用，按月调度。"],
  ["中期目标", "三年内县乡道优良路率达到 85%。"],
  ["年度目标", "完成 150 公里日常养护，建成 3 个示范村。"],
  ["序号", "一级", "二级", "指标内容", "分值", "度量单位", "指标方向", "目标值", "是否为核心指标"],
  [1, "产出指标", "数量指标", "日常养护里程", 20, "公里", "≥", 150, "是"],
  [2, "产出指标", "数量指标", "示范路创建", 10, "", "定性", "建成3个示范村", "否"],
  [3, "产出指标", "质量指标", "路面优良率", 20, "%", "≥", 85, "是"],
  [4, "成本指标", "经济成本指标", "每公里养护成本", 10, "万元", "≤", 1.2, "否"],
  [5, "效益指标", "社会效益指标", "群众出行条件", 20, "", "定性", "明显改善", "否"],
  [6, "满意度指标", "服务对象满意度指标", "沿线群众满意度", 10, "%", "≥", 90, "否"],
];

/** A department table, also in other words (部门名称, 部门预算数, 中期整体绩效目标, 计量单位 last…). */
const DEPARTMENT: Grid = [
  ["2023年部门整体绩效目标表"],
  ["编制单位：402-示例区文化和旅游发展委员会"],
  ["部门名称", "402-示例区文化和旅游发展委员会", "部门预算数（万元）", 5600.5],
  ["中期整体绩效目标", "建成全域旅游示范区。"],
  ["年度整体绩效目标", "举办文化活动 200 场。"],
  ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "权重", "计量单位", "核心指标"],
  ["产出指标", "数量指标", "文化活动场次", "≥", 200, 40, "场", "是"],
  ["产出指标", "时效指标", "资金拨付及时率", "=", 100, 30, "%", "否"],
  ["满意度指标", "服务对象满意度指标", "群众满意度", "≥", 90, 30, "%", "否"],
];

const cellText = (v: string | number) => String(v);
const asDocument = (grids: Grid[]) => grids.map((g) => g.map((row) => row.map(cellText).join("\t")).join("\n")).join("\n\n");

/** The grids as one worksheet, numbers as numbers, one empty row between the tables. */
async function asWorkbook(grids: Grid[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("绩效目标表");
  let r = 1;
  for (const g of grids) {
    for (const row of g) {
      row.forEach((v, c) => {
        if (v !== "") ws.getCell(r, c + 1).value = v;
      });
      r++;
    }
    r++;
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The indicator rows of a grid as a pasted selection: the header row and the rows after it. */
function asPaste(grid: Grid): string {
  const header = grid.findIndex((row) => row.some((c) => c === "三级指标" || c === "指标内容"));
  return grid.slice(header).map((row) => row.map(cellText).join("\t")).join("\n");
}

/** A table without provenance: no source, no line per indicator. */
function withoutProvenance(t: ExchangeTable): ExchangeTable {
  const { source: _source, warnings: _warnings, ...rest } = t;
  return { ...rest, indicators: t.indicators.map(withoutLine) };
}
function withoutLine(i: Indicator): Indicator {
  const { line: _line, ...rest } = i;
  return rest;
}

describe("the same tables in every format", async () => {
  const doc = parseDocument(asDocument([PROJECT, DEPARTMENT]), { file: "same.txt" });
  const xlsx = await workbookToTables(await asWorkbook([PROJECT, DEPARTMENT]), { file: "same.xlsx" });

  it("read as a document: every field and indicator, no warning", () => {
    expect(doc.warnings).toEqual([]);
    expect(doc.tables).toHaveLength(2);
    const [p, d] = doc.tables;
    expect(p).toMatchObject({
      kind: "project",
      year: 2023,
      department: { code: "301", name: "示例区交通运输局" },
      unit: { code: "301002", name: "示例区公路事务中心" },
      budgetExecutionWeight: 10,
      project: {
        code: "50011023T000000012345",
        name: "农村公路养护补助资金",
        category: "一般性项目",
        financeOffice: { code: "007", name: "交通科" },
        budget: { total: 320, local: 200, superior: 120 },
        overview: "用于县乡道日常养护和示范路创建。",
        basis: "《公路法》及养护管理办法。",
        schedule: "一季度完成计划，四季度完成验收。",
        measures: "专款专用，按月调度。",
        midTermGoal: "三年内县乡道优良路率达到 85%。",
        annualGoal: "完成 150 公里日常养护，建成 3 个示范村。",
      },
    });
    expect(p.indicators.map((i) => [i.level1, i.level2, i.name, i.weight, i.unit, i.operator, i.target, i.core])).toEqual([
      ["产出指标", "数量指标", "日常养护里程", 20, "公里", "≥", "150", true],
      ["产出指标", "数量指标", "示范路创建", 10, null, "定性", "建成3个示范村", false],
      ["产出指标", "质量指标", "路面优良率", 20, "%", "≥", "85", true],
      ["成本指标", "经济成本指标", "每公里养护成本", 10, "万元", "≤", "1.2", false],
      ["效益指标", "社会效益指标", "群众出行条件", 20, null, "定性", "明显改善", false],
      ["满意度指标", "服务对象满意度指标", "沿线群众满意度", 10, "%", "≥", "90", false],
    ]);
    expect(d).toMatchObject({
      kind: "department",
      year: 2023,
      department: { code: "402", name: "示例区文化和旅游发展委员会" },
      unit: { code: "402", name: "示例区文化和旅游发展委员会" },
      overall: { budget: 5600.5, midTermGoal: "建成全域旅游示范区。", annualGoal: "举办文化活动 200 场。" },
    });
    expect(d.indicators).toHaveLength(3);
  });

  it("read as a workbook: the same exchange JSON", () => {
    expect(xlsx.warnings).toEqual([]);
    expect(xlsx.tables.map(withoutProvenance)).toStrictEqual(doc.tables.map(withoutProvenance));
  });

  it("pasted into the grid: the same indicators", () => {
    for (const [k, grid] of [PROJECT, DEPARTMENT].entries()) {
      const pasted = parsePastedRows(asPaste(grid));
      expect(pasted.skipped).toEqual([]);
      expect(pasted.rows.map(formToIndicator)).toStrictEqual(doc.tables[k].indicators.map(withoutLine));
    }
  });

  it("exported by the project and read back: the same exchange JSON", async () => {
    const tables = doc.tables.map(withoutProvenance);
    const back = await workbookToTables(await tablesToWorkbook(tables));
    expect(back.warnings).toEqual([]);
    expect(back.tables).toStrictEqual(tables);
  });
});
