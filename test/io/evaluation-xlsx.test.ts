// The 项目支出绩效自评表 in .xlsx and in print (app/io/xlsx/evaluation-*.ts,
// app/components/EvaluationPrint.tsx), without a database: the official cells in their
// places, 总分 and 自评等级, an adjusted row with its reason, the index and summary sheets,
// and the bound.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { EvaluationPrint } from "~/components/EvaluationPrint";
import { evaluationsToWorkbook, MAX_EVALUATION_SHEETS, SUMMARY_SHEET_NAME, TooManyEvaluationsError } from "~/io/xlsx/evaluation-export";
import type { EvaluationSheetData } from "~/io/xlsx/evaluation-layout";
import { cellValue, readWorkbook } from "../helpers/xlsx";

function sheet(over: Partial<EvaluationSheetData> = {}): EvaluationSheetData {
  return {
    roundId: 7,
    year: 2026,
    ownerKind: "project",
    ownerId: 42,
    name: "参战参核军人生活补助",
    code: "50011021T000000052342",
    departmentName: "重庆市綦江区退役军人事务局",
    unitName: "重庆市綦江区退役军人服务中心",
    status: "approved",
    tableVersion: 2,
    budget: { initial: 25.65, annual: 25.65, executed: 23.085, weight: 10, rate: 90, score: 9, formula: "执行率 = 23.085 ÷ 25.65 = 90.00%；得分 = min(执行率, 100%) × 10 = 9.00" },
    goal: { expected: "按时足额发放补助", actual: "年度目标基本完成" },
    rows: [
      {
        level1: "产出指标",
        level2: "数量指标",
        name: "补助人数",
        targetText: "≥40人",
        actualText: "36人",
        weight: 40,
        score: 36,
        applicable: true,
        explanation: "部分对象迁出",
        formula: "实际值 36 < 目标值 40：36 ÷ 40 × 40 = 36.00",
        adjustment: null,
      },
      {
        level1: "效益指标",
        level2: "社会效益指标",
        name: "政策知晓度",
        targetText: "好",
        actualText: "部分达成并具有一定效果（75%）",
        weight: 30,
        score: 22.5,
        applicable: true,
        explanation: "宣传覆盖不足",
        formula: "定性「部分达成」",
        adjustment: null,
      },
      {
        level1: "满意度指标",
        level2: "服务对象满意度指标",
        name: "受益人群满意度",
        targetText: "≥90%",
        actualText: "95%",
        weight: 20,
        score: 15,
        applicable: true,
        explanation: null,
        formula: "…；人工调整为 15.00（理由：满意度调查样本不足）",
        adjustment: { before: 20, after: 15, reason: "满意度调查样本不足", actor: "綦江财政", at: "2027-02-01 10:00" },
      },
    ],
    total: 82.5,
    totalText: "82.50",
    grade: "良",
    formula: "总分 = 预算执行率 9.00 + 指标得分 73.50 = 82.50",
    gradeRule: "优 ≥ 90，良 ≥ 80，中 ≥ 60，差 < 60",
    complete: true,
    ...over,
  };
}

const read = readWorkbook;
const v = cellValue;

describe("one evaluation", () => {
  it("writes the official form: header, budget block, goals, grid, 总分 and 自评等级 in their cells", async () => {
    const wb = await read(await evaluationsToWorkbook([sheet()]));
    expect(wb.worksheets.map((w) => w.name)).toEqual(["参战参核军人生活补助"]);
    const ws = wb.worksheets[0];
    expect(v(ws, "A1")).toBe("2026年度项目支出绩效自评表");
    expect(v(ws, "A2")).toBe("状态：已审核 · 绩效目标表第 2 版");
    expect(v(ws, "H2")).toBe("单位：万元");
    expect([v(ws, "A3"), v(ws, "B3")]).toEqual(["项目名称", "50011021T000000052342-参战参核军人生活补助"]);
    expect([v(ws, "A4"), v(ws, "B4"), v(ws, "F4"), v(ws, "G4")]).toEqual(["主管部门", "重庆市綦江区退役军人事务局", "实施单位", "重庆市綦江区退役军人服务中心"]);
    // Budget block: headers on row 5, values on row 6.
    expect(["A5", "B5", "D5", "E5", "F5", "G5", "H5", "I5"].map((a) => v(ws, a))).toEqual(["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", "计分说明"]);
    expect(["B6", "D6", "E6", "F6", "G6", "H6"].map((a) => v(ws, a))).toEqual([25.65, 25.65, 23.085, 10, 0.9, 9]);
    expect(ws.getCell("G6").numFmt).toBe("0.00%");
    // 年度总体目标: 预期目标 (the table's) | 实际完成情况 (the evaluation's summary).
    expect(["A7", "B7", "F7", "B8", "F8"].map((a) => v(ws, a))).toEqual(["年度总体目标", "预期目标", "实际完成情况", "按时足额发放补助", "年度目标基本完成"]);
    // The grid.
    expect(["A9", "B9", "C9", "D9", "E9", "F9", "G9", "H9", "I9", "J9"].map((a) => v(ws, a))).toEqual([
      "绩效指标",
      "一级指标",
      "二级指标",
      "三级指标",
      "年度指标值",
      "实际完成值",
      "分值",
      "得分",
      "偏差原因分析及改进措施",
      "财政复核调整",
    ]);
    expect(["B10", "C10", "D10", "E10", "F10", "G10", "H10", "I10"].map((a) => v(ws, a))).toEqual(["产出指标", "数量指标", "补助人数", "≥40人", "36人", 40, 36, "部分对象迁出"]);
    expect(v(ws, "F11")).toBe("部分达成并具有一定效果（75%）");
    expect(v(ws, "H11")).toBe(22.5);
    // 总分 and 自评等级 after the last indicator.
    expect([v(ws, "A13"), v(ws, "G13"), v(ws, "H13")]).toEqual(["总分", 100, 82.5]);
    expect(ws.getCell("H13").numFmt).toBe("0.00");
    expect(v(ws, "I13")).toBe("总分 = 预算执行率 9.00 + 指标得分 73.50 = 82.50");
    expect([v(ws, "A14"), v(ws, "G14")]).toEqual(["自评等级", "良"]);
    expect(ws.pageSetup.paperSize).toBe(9);
    expect(ws.pageSetup.printArea).toBe("A1:J14");
  });

  it("shows finance's adjustment beside the row and as a note on its score", async () => {
    const ws = (await read(await evaluationsToWorkbook([sheet()]))).worksheets[0];
    expect(v(ws, "H12")).toBe(15);
    expect(v(ws, "J12")).toBe("财政复核：20.00 → 15.00 分；理由：满意度调查样本不足（綦江财政 2027-02-01 10:00）");
    const note = ws.getCell("H12").note;
    const noteText = typeof note === "string" ? note : note?.texts?.map((t) => t.text).join("");
    expect(noteText).toContain("满意度调查样本不足");
    expect(v(ws, "J10")).toBeNull();
    expect(ws.getCell("H10").note).toBeUndefined();
  });

  it("a 不适用 row, a provisional total and a 部门整体 table", async () => {
    const s = sheet({ ownerKind: "department", name: "退役军人事务局 部门整体", code: null, unitName: "重庆市綦江区退役军人事务局", complete: false, status: "draft" });
    s.rows[0] = { ...s.rows[0], applicable: false, score: null, actualText: "不适用：政策调整" };
    const ws = (await read(await evaluationsToWorkbook([s]))).worksheets[0];
    expect(v(ws, "A1")).toBe("2026年度部门整体支出绩效自评表");
    expect(v(ws, "A2")).toBe("状态：草稿 · 绩效目标表第 2 版 · 填报不完整，得分为暂计");
    expect([v(ws, "A3"), v(ws, "B3")]).toEqual(["部门（单位）名称", "重庆市綦江区退役军人事务局"]);
    expect(v(ws, "A5")).toBe("部门资金（万元）");
    expect([v(ws, "F10"), v(ws, "H10")]).toEqual(["不适用：政策调整", "不适用"]);
  });
});

describe("several evaluations", () => {
  it("one workbook: an index sheet linking to each sheet, the summary for finance", async () => {
    const other = sheet({ ownerId: 43, name: "退役军人培训", code: "X-2", grade: "差", total: 55, totalText: "55.00", status: "pending_finance" });
    const unstarted = sheet({ ownerId: 44, name: "退役军人培训", code: null, status: null });
    const wb = await read(await evaluationsToWorkbook([sheet(), other, unstarted], { title: "綦江区2026年度绩效自评表", summary: true, summaryTitle: "綦江区2026年度绩效自评结果汇总表" }));
    expect(wb.worksheets.map((w) => w.name)).toEqual(["目录", SUMMARY_SHEET_NAME, "1 参战参核军人生活补助", "2 退役军人培训", "3 退役军人培训"]);
    const index = wb.getWorksheet("目录")!;
    expect(v(index, "A1")).toBe("綦江区2026年度绩效自评表");
    expect(v(index, "A2")).toBe("共 3 份绩效自评表。点击工作表名称可跳转。");
    expect(["A3", "B3", "H3", "I3", "J3"].map((a) => v(index, a))).toEqual(["序号", "工作表", "总分", "自评等级", "财政复核调整"]);
    const link = index.getCell("B4").value as { formula: string; result: string };
    expect(link.formula).toBe(`HYPERLINK("#'1 参战参核军人生活补助'!A1","1 参战参核军人生活补助")`);
    expect(["D4", "G4", "H4", "I4", "J4"].map((a) => v(index, a))).toEqual(["参战参核军人生活补助", "已审核", 82.5, "良", "1 项"]);
    expect(["G5", "H5", "I5"].map((a) => v(index, a))).toEqual(["待财政审核", 55, "差"]);
    expect(["G6", "H6", "I6"].map((a) => v(index, a))).toEqual(["未填报", null, null]);
    expect((index.getCell("H2").value as { formula: string }).formula).toContain(`#'${SUMMARY_SHEET_NAME}'!A1`);
    // Each sheet links back to the index.
    const back = wb.getWorksheet("2 退役军人培训")!.getCell("L1").value as { formula: string };
    expect(back.formula).toContain("#'目录'!A1");

    const sum = wb.getWorksheet(SUMMARY_SHEET_NAME)!;
    expect(v(sum, "A1")).toBe("綦江区2026年度绩效自评结果汇总表");
    expect(["B3", "D3", "F3", "H3", "I3", "J3", "K3"].map((a) => v(sum, a))).toEqual(["项目名称", "主管部门", "全年预算数（万元）", "执行率", "总分", "自评等级", "状态"]);
    expect(["B4", "C4", "D4", "F4", "H4", "I4", "J4", "K4"].map((a) => v(sum, a))).toEqual([
      "参战参核军人生活补助",
      "50011021T000000052342",
      "重庆市綦江区退役军人事务局",
      25.65,
      0.9,
      82.5,
      "良",
      "已审核",
    ]);
    expect((sum.getCell("B5").value as { formula: string }).formula).toContain("#'2 退役军人培训'!A1");
    expect(["I6", "J6", "K6"].map((a) => v(sum, a))).toEqual([null, null, "未填报"]);
  });

  it("without the summary there is no 汇总表 and numbering starts at 1", async () => {
    const wb = await read(await evaluationsToWorkbook([sheet(), sheet({ ownerId: 2, name: "乙" })], { index: true }));
    expect(wb.worksheets.map((w) => w.name)).toEqual(["目录", "1 参战参核军人生活补助", "2 乙"]);
  });

  it("refuses more than the bound with a Chinese message, before writing", async () => {
    const many = Array.from({ length: MAX_EVALUATION_SHEETS + 1 }, () => sheet());
    const err = await evaluationsToWorkbook(many).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooManyEvaluationsError);
    expect((err as Error).message).toBe(`共 ${MAX_EVALUATION_SHEETS + 1} 份绩效自评，超过一次导出的上限 ${MAX_EVALUATION_SHEETS} 份：请按主管部门分别导出`);
  });
});

describe("print view", () => {
  it("renders the same form as plain HTML: goals, rows, the adjustment, 总分 and 自评等级", () => {
    const html = renderToStaticMarkup(createElement(EvaluationPrint, { data: sheet() }));
    expect(html).toContain("2026年度项目支出绩效自评表");
    expect(html).toContain("按时足额发放补助");
    expect(html).toContain("年度目标基本完成");
    expect(html).toContain("部分达成并具有一定效果（75%）");
    expect(html).toMatch(/<td class="num" data-score="2">15\.00<\/td>/);
    expect(html).toContain("财政复核：20.00 → 15.00 分；理由：满意度调查样本不足");
    expect(html).toMatch(/data-testid="print-total">82\.50</);
    expect(html).toMatch(/data-testid="print-grade">良</);
    expect(html).toContain('data-budget="rate">90.00%');
    expect(html).not.toContain("<script");
  });
});
