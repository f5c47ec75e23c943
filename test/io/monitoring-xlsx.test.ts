// The 项目支出绩效运行监控表 in .xlsx (app/io/xlsx/monitoring-*.ts), without a database: the
// official layout, the hidden identifiers, a filled-in workbook read back into the form,
// and the row-level Chinese errors of a badly filled one.
import ExcelJS from "exceljs";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MonitoringPrint } from "~/components/MonitoringPrint";
import { assessMonitoringEntry } from "~/domain/monitoring";
import { emptyMonitoringRow, rowToEntry, type MonitoringForm } from "~/domain/monitoring-form";
import { getRuleSet } from "~/domain/rules";
import { cellsOf, MAX_MONITORING_SHEETS, monitoringToWorkbook, TooManySheetsError } from "~/io/xlsx/monitoring-export";
import { MAX_CELLS, MAX_MERGES } from "~/io/xlsx/precheck";
import { measuredValue, readMonitoringWorkbook, sameForm, sheetToForm, type ParsedSheet } from "~/io/xlsx/monitoring-import";
import { ID_COLUMN, MONITORING_COLUMNS, type MonitoringSheetData } from "~/io/xlsx/monitoring-layout";

const rs = getRuleSet("national")!;

const INDICATORS: MonitoringSheetData["indicators"] = [
  { id: 101, position: 0, level1: "产出指标", level2: "数量指标", name: "补助人数", operator: "≥", target: "39", unit: "人" },
  { id: 102, position: 1, level1: "成本指标", level2: "经济成本指标", name: "人均补助标准", operator: "≤", target: "556", unit: "元" },
  { id: 103, position: 2, level1: "满意度指标", level2: "服务对象满意度指标", name: "受益人群满意度", operator: "≥", target: "90", unit: "%" },
  { id: 104, position: 3, level1: "效益指标", level2: "社会效益指标", name: "政策宣传效果", operator: "定性", target: "良好", unit: null },
];

function blankForm(): MonitoringForm {
  return { budgetAnnual: "25.65", budgetExecuted: "", budgetReason: "", budgetMeasures: "", summary: "总体说明不在表中", rows: INDICATORS.map(() => emptyMonitoringRow()) };
}

function sheet(over: Partial<MonitoringSheetData> = {}): MonitoringSheetData {
  const form = over.form ?? blankForm();
  const assessment = assessMonitoringEntry(
    {
      period: "Q2",
      budget: { annual: form.budgetAnnual, executed: form.budgetExecuted, reason: form.budgetReason, measures: form.budgetMeasures },
      rows: INDICATORS.map((indicator, i) => ({ indicator, entry: rowToEntry(form.rows[i]) })),
    },
    rs,
  );
  return {
    roundId: 7,
    year: 2026,
    periodLabel: "第二季度（1–6月）",
    ownerKind: "project",
    ownerId: 42,
    tableId: 9,
    name: "参战参核军人生活补助",
    code: "50011021T000000052342",
    departmentName: "重庆市綦江区经济和信息化委员会",
    unitName: "重庆市綦江区经济和信息化委员会（本级）",
    status: null,
    editable: true,
    budgetInitial: 256500,
    form,
    indicators: INDICATORS,
    assessment,
    ...over,
  };
}

async function load(buf: Uint8Array) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(buf) as unknown as ExcelJS.Buffer);
  return wb;
}

async function save(wb: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

/** The row of an indicator (by its hidden id) and the column of a header. */
function rowOf(ws: ExcelJS.Worksheet, indicatorId: number): number {
  for (let r = 1; r <= ws.rowCount; r++) if (ws.getCell(r, ID_COLUMN).value === `indicator=${indicatorId}`) return r;
  throw new Error(`no row for ${indicatorId}`);
}
const col = (key: string) => MONITORING_COLUMNS.findIndex((c) => c.key === key) + 1;

const expected = (current = blankForm()) => ({ indicators: INDICATORS, current });

describe("export: the official layout", () => {
  it("writes the header, the budget block and one row per indicator with every monitoring column", async () => {
    const wb = await load(await monitoringToWorkbook([sheet()]));
    expect(wb.worksheets).toHaveLength(1);
    const ws = wb.worksheets[0];
    expect(ws.getCell("A1").value).toBe("2026年项目支出绩效运行监控表");
    const texts = (r: number) => Array.from({ length: 17 }, (_, c) => ws.getCell(r, c + 1).text).filter((t, i, a) => t && a.indexOf(t) === i);
    expect(texts(3)).toEqual(["项目名称", "50011021T000000052342-参战参核军人生活补助", "主管部门", "重庆市綦江区经济和信息化委员会"]);
    expect(texts(4)).toEqual(["实施单位", "重庆市綦江区经济和信息化委员会（本级）", "监控期间", "2026年第二季度（1–6月）"]);
    expect(texts(5)).toEqual(["预算执行情况（万元）", "年初预算数", "全年预算数", "截至本期执行数", "执行率", "序时进度", "预警"]);
    expect(ws.getCell("B6").value).toBe(25.65);
    expect(ws.getCell("D6").value).toBe(25.65);
    expect(ws.getCell("J6").value).toBe(0.5);
    expect(texts(9)).toEqual(["一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "计量单位", "截至本期完成值", "全年预计完成值", "完成目标可能性", "偏差原因", "纠偏措施", "预警"]);
    expect(texts(10).slice(9, 15)).toEqual(["经费保障", "制度保障", "人员保障", "硬件条件保障", "其他", "原因说明"]);
    expect(texts(11).slice(0, 6)).toEqual(["产出指标", "数量指标", "补助人数", "≥", "39", "人"]);
    expect(ws.getCell(11, 5).value).toBe(39);
    expect(ws.getCell(14, 5).value).toBe("良好");
    expect(ws.getColumn(ID_COLUMN).hidden).toBe(true);
    expect([1, 2, 3, 4].map((r) => ws.getCell(r, ID_COLUMN).value)).toEqual(["jixiao.monitoring/v1", "round=7", "owner=project:42", "table=9"]);
    expect(ws.pageSetup.paperSize).toBe(9);
    expect(ws.pageSetup.orientation).toBe("landscape");
    // Drop-down lists on the input cells of an editable entry.
    expect(ws.getCell(11, col("likelihood")).dataValidation?.formulae).toEqual(['"确定能,有可能,完全不可能"']);
  });

  it("a saved entry shows its values, ticks and lights; a locked one has no input shading", async () => {
    const form = blankForm();
    form.budgetExecuted = "5";
    form.budgetReason = "资金未到位";
    form.rows[1] = { actual: "400", projected: "700", likelihood: "完全不可能", reasons: ["经费保障", "其他"], reasonText: "标准上调", measures: "申请调整" };
    const wb = await load(await monitoringToWorkbook([sheet({ form, status: "pending_department", editable: false })]));
    const ws = wb.worksheets[0];
    expect(ws.getCell("A2").text).toContain("状态：待主管部门审核");
    expect(ws.getCell("F6").value).toBe(5);
    expect(ws.getCell("M6").value).toBe("红灯");
    expect(ws.getCell("B7").value).toBe("资金未到位");
    const r = rowOf(ws, 102);
    expect(ws.getCell(r, col("actual")).value).toBe(400);
    expect(ws.getCell(r, col("经费保障")).value).toBe("√");
    expect(ws.getCell(r, col("制度保障")).value).toBeNull();
    expect(ws.getCell(r, col("其他")).value).toBe("√");
    expect(ws.getCell(r, col("light")).value).toBe("红灯");
    expect(ws.getCell(r, col("actual")).fill).not.toMatchObject({ pattern: "solid" });
  });

  it("a round: an index sheet and one uniquely named sheet (≤ 31 characters) per entry; more than the bound is refused", async () => {
    const long = "一个名称非常非常长的项目用来检查工作表名称的长度限制是否生效";
    const entries = [sheet({ ownerId: 1, name: long }), sheet({ ownerId: 2, name: long }), sheet({ ownerId: 3, name: "a/b:c" })];
    const wb = await load(await monitoringToWorkbook(entries, { title: "綦江区监控", index: true }));
    const names = wb.worksheets.map((w) => w.name);
    expect(names[0]).toBe("目录");
    expect(names).toHaveLength(4);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(4);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(31);
    expect(names[3]).toBe("3 a_b_c");
    const parsed = await readMonitoringWorkbook(await save(wb));
    expect(parsed.sheets.map((s) => s.ids?.ownerId)).toEqual([1, 2, 3]);
    expect(parsed.issues).toEqual([]);
    await expect(monitoringToWorkbook(Array.from({ length: MAX_MONITORING_SHEETS + 1 }, () => sheet()))).rejects.toThrow(TooManySheetsError);
  });

  it("the largest round export stays importable: merges and cells within the import's pre-check", async () => {
    const parts = unzipSync(await monitoringToWorkbook([sheet()]));
    const xml = strFromU8(parts["xl/worksheets/sheet1.xml"]);
    const merges = xml.split("<mergeCell ").length - 1;
    const cells = xml.split("<c ").length - 1;
    expect(merges * MAX_MONITORING_SHEETS).toBeLessThanOrEqual(MAX_MERGES);
    expect(cells).toBeLessThanOrEqual(cellsOf(sheet()));
    // Many indicators: refused by cells before the sheet count.
    const big = sheet({ indicators: Array.from({ length: 1200 }, (_, i) => ({ ...INDICATORS[0], id: i + 1, position: i })) });
    const count = Math.ceil(MAX_CELLS / cellsOf(big)) + 1;
    expect(count).toBeLessThan(MAX_MONITORING_SHEETS);
    await expect(monitoringToWorkbook(Array.from({ length: count }, () => big))).rejects.toThrow(/指标行过多，导出后无法再导入/);
  });
});

describe("import: a filled-in workbook back into the form", () => {
  it("reads what the unit typed: numbers, 95% for a % indicator, likelihood, ticks, texts", async () => {
    const wb = await load(await monitoringToWorkbook([sheet()]));
    const ws = wb.worksheets[0];
    ws.getCell("F6").value = 12.9;
    ws.getCell("B7").value = "  上半年资金拨付滞后 ";
    const fill = (id: number, values: Record<string, ExcelJS.CellValue>) => {
      const r = rowOf(ws, id);
      for (const [k, v] of Object.entries(values)) ws.getCell(r, col(k)).value = v;
    };
    fill(101, { actual: 20, projected: "39人", likelihood: "确定能" });
    fill(102, { actual: 400, projected: 700, likelihood: "完全不可能", 经费保障: "√", 其他: "v", reasonText: "标准上调", measures: "申请调整预算" });
    fill(104, { actual: "已开展宣传", likelihood: "有可能" });
    const r103 = rowOf(ws, 103);
    // As Excel does when 92% is typed (a style of its own, not the shared one).
    ws.getCell(r103, col("actual")).style = { ...ws.getCell(r103, col("actual")).style, numFmt: "0%" };
    ws.getCell(r103, col("actual")).value = 0.92;
    fill(103, { projected: 95, likelihood: { richText: [{ text: "确定" }, { text: "能" }] } });
    const parsed = await readMonitoringWorkbook(await save(wb));
    expect(parsed.sheets).toHaveLength(1);
    const s = parsed.sheets[0];
    expect(s.issues).toEqual([]);
    expect(s.ids).toEqual({ roundId: 7, ownerKind: "project", ownerId: 42, tableId: 9 });
    const { form, issues } = sheetToForm(s, expected());
    expect(issues).toEqual([]);
    expect(form.budgetAnnual).toBe("25.65");
    expect(form.budgetExecuted).toBe("12.9");
    expect(form.budgetReason).toBe("上半年资金拨付滞后");
    expect(form.summary).toBe("总体说明不在表中");
    expect(form.rows[0]).toEqual({ actual: "20", projected: "39", likelihood: "确定能", reasons: [], reasonText: "", measures: "" });
    expect(form.rows[1]).toEqual({ actual: "400", projected: "700", likelihood: "完全不可能", reasons: ["经费保障", "其他"], reasonText: "标准上调", measures: "申请调整预算" });
    expect(form.rows[2]).toMatchObject({ actual: "92", projected: "95", likelihood: "确定能" });
    expect(form.rows[3]).toMatchObject({ actual: "已开展宣传", likelihood: "有可能" });
  });

  it("export → import of a saved entry gives the same form (idempotent)", async () => {
    const form = blankForm();
    form.budgetExecuted = "12.9";
    form.rows[0] = { actual: "20.0", projected: "1,300", likelihood: "有可能", reasons: ["人员保障"], reasonText: "人手不足", measures: "招聘" };
    form.rows[3] = { actual: "已完成 50%", projected: "", likelihood: "确定能", reasons: [], reasonText: "", measures: "" };
    const parsed = await readMonitoringWorkbook(await monitoringToWorkbook([sheet({ form })]));
    const back = sheetToForm(parsed.sheets[0], expected(form));
    expect(back.issues).toEqual([]);
    expect(back.form).toEqual(form);
    expect(sameForm(back.form, form)).toBe(true);
    expect(sameForm({ ...form, budgetExecuted: "12.90" }, form)).toBe(true);
    expect(sameForm({ ...form, budgetExecuted: "12.91" }, form)).toBe(false);
  });

  it("reports what is wrong per sheet and row, in Chinese", async () => {
    const wb = await load(await monitoringToWorkbook([sheet()]));
    const ws = wb.worksheets[0];
    ws.getCell("F6").value = "十二万";
    const r1 = rowOf(ws, 101);
    const r2 = rowOf(ws, 102);
    ws.getCell(r1, col("actual")).value = "二十";
    ws.getCell(r1, col("likelihood")).value = "可能";
    ws.getCell(r2, col("制度保障")).value = "有";
    ws.getCell(r2, col("name")).value = "改过的名称";
    // A row copied twice, and a row whose hidden id was changed.
    const r3 = rowOf(ws, 103);
    ws.getCell(r3, ID_COLUMN).value = "indicator=999";
    const parsed = await readMonitoringWorkbook(await save(wb));
    const s = parsed.sheets[0];
    const sheetName = s.sheet;
    expect(s.issues.map((i) => i.message)).toEqual([
      `工作表「${sheetName}」第 ${r1} 行：指标「补助人数」的完成目标可能性「可能」无法识别，应为「确定能」「有可能」或「完全不可能」`,
      `工作表「${sheetName}」第 ${r2} 行：指标「改过的名称」的偏差原因「制度保障」栏「有」无法识别：选中请填“√”，不选请留空`,
    ]);
    const { issues } = sheetToForm(s, expected());
    const messages = issues.map((i) => i.message);
    expect(messages).toContain(`工作表「${sheetName}」第 ${r3} 行：这一行的指标不属于该项目的绩效目标表（隐藏标识 999 被修改或来自其他表格）`);
    expect(messages).toContain(`工作表「${sheetName}」：缺少第 3 个指标「受益人群满意度」的行（可能被删除），请重新导出后填写`);
    expect(messages).toContain(`工作表「${sheetName}」第 6 行：截至本期执行数「十二万」应为不小于 0 的数字（万元，最多 4 位小数）`);
    expect(messages).toContain(`工作表「${sheetName}」第 ${r1} 行：指标「补助人数」的截至本期完成值「二十」不是数字（定量指标请填数字，单位为人）`);
    const warning = issues.find((i) => i.severity === "warning")!;
    expect(warning.message).toMatch(/三级指标「改过的名称」与系统中的「人均补助标准」不同/);
  });

  it("a sheet without identifiers, a target-table workbook and a non-xlsx file are refused with a reason", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("自制表").getCell("A1").value = "项目名称";
    wb.addWorksheet("空表");
    const parsed = await readMonitoringWorkbook(await save(wb));
    expect(parsed.sheets).toHaveLength(1);
    expect(parsed.sheets[0].issues[0].message).toMatch(/^工作表「自制表」：不是从本系统导出的绩效运行监控表/);
    const notXlsx = await readMonitoringWorkbook(new TextEncoder().encode("项目名称,补助人数"));
    expect(notXlsx.issues[0].message).toMatch(/不是 Excel 工作簿/);
    const broken = await readMonitoringWorkbook(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]));
    expect(broken.issues[0].message).toMatch(/不是有效的 Excel 工作簿/);
    // Damaged identifiers.
    const good = await load(await monitoringToWorkbook([sheet()]));
    good.worksheets[0].getCell(3, ID_COLUMN).value = "owner=project:abc";
    const damaged = await readMonitoringWorkbook(await save(good));
    expect(damaged.sheets[0].ids).toBeNull();
    expect(damaged.sheets[0].issues[0].message).toMatch(/系统标识.*不完整或被修改/);
  });

  it("a hostile workbook (one merge over 500,000 cells) is refused by the pre-check before exceljs reads it", async () => {
    const parts = unzipSync(await monitoringToWorkbook([sheet()]));
    const name = Object.keys(parts).find((k) => /^xl\/worksheets\/sheet\d+\.xml$/.test(k))!;
    parts[name] = strToU8(strFromU8(parts[name]).replace(/<mergeCells count="(\d+)">/, '<mergeCells count="$1"><mergeCell ref="A100:Z20000"/>'));
    const parsed = await readMonitoringWorkbook(zipSync(parts));
    expect(parsed.sheets).toEqual([]);
    expect(parsed.issues[0].message).toMatch(/合并单元格范围 A100:Z20000 过大/);
  });

  it("measured values: a number, or a number followed by the unit", () => {
    expect(measuredValue("39", "人")).toBe("39");
    expect(measuredValue("39 人", "人")).toBe("39");
    expect(measuredValue("95%", "%")).toBe("95");
    expect(measuredValue("95%", "人")).toBeNull();
    expect(measuredValue("二十", "人")).toBeNull();
    expect(measuredValue("1,300", "元")).toBe("1,300");
  });

  it("a sheet's rows only: parsed data without a budget block keeps the current budget", () => {
    const s: ParsedSheet = { sheet: "x", ids: { roundId: 1, ownerKind: "project", ownerId: 1, tableId: 1 }, budget: null, rows: [], issues: [] };
    const { form, issues } = sheetToForm(s, expected());
    expect(form.budgetAnnual).toBe("25.65");
    expect(issues.filter((i) => i.severity === "error")).toHaveLength(4);
  });
});

describe("print view", () => {
  it("renders the same form as HTML: header, budget block, ticks, lights in words and the reasons for them", () => {
    const form = blankForm();
    form.budgetExecuted = "5";
    form.rows[1] = { actual: "400", projected: "700", likelihood: "完全不可能", reasons: ["经费保障"], reasonText: "标准上调", measures: "申请调整" };
    const html = renderToStaticMarkup(createElement(MonitoringPrint, { data: sheet({ form, status: "draft" }) }));
    for (const t of ["2026年项目支出绩效运行监控表", "监控期间：2026年第二季度（1–6月） · 状态：草稿", "项目名称", "实施单位", "年初预算数", "25.65", "序时进度", "50.00%", "19.49%", "偏差原因", "硬件条件保障", "√", "标准上调", "完全不可能"]) {
      expect(html).toContain(t);
    }
    expect(html).toContain('<span class="print-light print-light-red">红灯</span>');
    expect(html).toMatch(/预警说明.*预算执行：执行率 19\.49%/);
    expect(html.match(/<tr data-indicator=/g)).toHaveLength(4);
  });
});
