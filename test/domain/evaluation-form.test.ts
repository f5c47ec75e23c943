import { describe, expect, it } from "vitest";
import { assessEvaluationEntry, emptyEvaluationRow, readEvaluationForm, type EvaluationIndicator } from "../../app/domain/evaluation-form";
import { getRuleSet } from "../../app/domain/rules";

const rs = getRuleSet("national")!;
const inds: EvaluationIndicator[] = [
  { position: 0, level1: "产出指标", level2: "数量指标", name: "补助人数", operator: "≥", target: "40", unit: "人", weight: 50 },
  { position: 1, level1: "效益指标", level2: "社会效益指标", name: "群众满意", operator: "定性", target: "好", unit: null, weight: 40 },
];
const form = (rows: Array<Partial<ReturnType<typeof emptyEvaluationRow>>>, extra = {}) => ({
  budgetAnnual: "100",
  budgetExecuted: "90",
  summary: "完成年度目标",
  rows: rows.map((r) => ({ ...emptyEvaluationRow(), ...r })),
  ...extra,
});
const assess = (f: ReturnType<typeof form>, overrides = undefined as never) =>
  assessEvaluationEntry({ indicators: inds, budgetExecutionWeight: 10, budgetInitial: 100, kind: "project", form: f, overrides }, rs);

describe("assessEvaluationEntry", () => {
  it("scores with the official formulas: budget 9, full 50, 定性 tier default 100%", () => {
    const a = assess(form([{ actual: "40" }, { actual: "达成" }]));
    expect(a.score.budget.score).toBe(9);
    expect(a.score.indicators.map((i) => i.score)).toEqual([50, 40]);
    expect(a.score.total).toBe(99);
    expect(a.score.grade).toBe("优");
    expect(a.complete).toBe(true);
  });
  it("below target needs an explanation; the formula is in words", () => {
    const a = assess(form([{ actual: "30" }, { actual: "部分达成", percent: "70" }]));
    expect(a.score.indicators[0].score).toBe(37.5);
    expect(a.score.indicators[0].formula).toMatch(/30 ÷ 40 × 50/);
    expect(a.score.indicators[1].score).toBe(28);
    expect(a.missing).toEqual([
      "第 1 个指标「补助人数」：未得满分，须填写偏差原因分析及改进措施",
      "第 2 个指标「群众满意」：未得满分，须填写偏差原因分析及改进措施",
    ]);
    const fixed = assess(form([{ actual: "30", explanation: "申报人数减少" }, { actual: "部分达成", percent: "70", explanation: "宣传不足" }]));
    expect(fixed.complete).toBe(true);
  });
  it("over-achievement needs an analysis too", () => {
    const a = assess(form([{ actual: "60" }, { actual: "达成" }]));
    expect(a.score.indicators[0].flags).toContain("over_achievement");
    expect(a.rowMissing[0]).toEqual(["实际值高于指标值较多，须分析原因"]);
  });
  it("不适用 needs a reason, and the rest is rescaled to 100", () => {
    const a = assess(form([{ actual: "40" }, { na: "1" }]));
    expect(a.rowMissing[1]).toEqual(["不适用须说明理由"]);
    expect(a.score.total).toBe(98.33);
    expect(assess(form([{ actual: "40" }, { na: "1", naReason: "政策取消" }])).complete).toBe(true);
  });
  it("missing and unreadable values are listed, never guessed", () => {
    const a = assess(form([{ actual: "约30" }, { actual: "" }], { budgetExecuted: "", summary: "" }));
    expect(a.missing).toEqual([
      "预算执行：请填写全年执行数",
      "预算执行：请填写总体目标完成情况",
      "第 1 个指标「补助人数」：实际完成值「约30」不是数值",
      "第 2 个指标「群众满意」：请选择完成程度",
    ]);
    const pct = assess(form([{ actual: "40" }, { actual: "达成", percent: "120" }]));
    expect(pct.rowMissing[1]).toContain("得分比例应为 0–100 的数字");
  });
  it("finance's adjustment with a reason replaces the row's score", () => {
    const a = assess(form([{ actual: "60", explanation: "需求增加" }, { actual: "达成" }]), [{ indicator: 0, score: "40", reason: "指标值设定明显偏低" }] as never);
    expect(a.score.indicators[0].score).toBe(40);
    expect(a.score.indicators[0].flags).toContain("overridden");
    expect(a.score.total).toBe(89);
    expect(a.score.grade).toBe("良");
  });
  it("reads posted fields; unknown keys and rows beyond the table are ignored", () => {
    const f = readEvaluationForm(
      [
        ["budgetAnnual", "1"],
        ["rows.0.actual", "5"],
        ["rows.1.na", "1"],
        ["rows.7.actual", "x"],
        ["rows.0.__proto__", "x"],
        ["other", "y"],
      ],
      2,
    ) as { rows: Array<Record<string, string>>; budgetAnnual: string };
    expect(f.budgetAnnual).toBe("1");
    expect(f.rows).toEqual([{ actual: "5" }, { na: "1" }]);
  });
});
