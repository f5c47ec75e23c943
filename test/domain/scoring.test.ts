import { describe, expect, it } from "vitest";
import { getRuleSet } from "../../app/domain/rules";
import type { ExchangeTable, Indicator } from "../../app/domain/schemas";
import { gradeOf, parseTier, scoreEvaluation, type ScoreResult } from "../../app/domain/scoring";
import { cleanTable, ind } from "./fixtures";

const national = getRuleSet("national")!;

function evaluation(indicators: Indicator[], over: Partial<ExchangeTable> = {}): ExchangeTable {
  return {
    ...cleanTable(),
    budgetExecutionWeight: 10,
    evaluation: { budgetInitial: 100, budgetAnnual: 120, budgetExecuted: 108 },
    indicators,
    ...over,
  };
}
const q = (name: string, operator: Indicator["operator"], target: string, weight: number, actual: string | null, extra: Partial<Indicator> = {}) =>
  ind({ name, operator, target, weight, actual, explanation: "已说明", ...extra });

/**
 * The worked example (national rule set, budget-execution weight 10):
 *
 * | # | indicator        | op   | target | weight | actual        | score | why                                   |
 * |---|------------------|------|--------|--------|---------------|-------|---------------------------------------|
 * | 1 | 补助人数         | ≥    | 20     | 15     | 18            | 13.50 | 18 ÷ 20 × 15                          |
 * | 2 | 人均成本         | ≤    | 500    | 10     | 625           |  8.00 | 500 ÷ 625 × 10                        |
 * | 3 | 储备数量         | =    | 100    | 10     | 90            |  9.00 | 10 × (1 − 10 ÷ 100)                   |
 * | 4 | 新增企业         | >    | 10     | 10     | 13            | 10.00 | capped; 13 > 12 → over-achievement    |
 * | 5 | 投诉件数         | <    | 8      | 5      | 10            |  4.00 | 8 ÷ 10 × 5                            |
 * | 6 | 安全事故         | ≤    | 0      | 5      | 1             |  0.00 | zero target: only 0 meets ≤ 0         |
 * | 7 | 违规数           | ≥    | 0      | 5      | 0             |  5.00 | zero target: ≥ 0 always met           |
 * | 8 | 制度建设         | 定性 | 达标   | 10     | 部分达成 75%  |  7.50 | tier 60–80%, 75% chosen               |
 * | 9 | 社会影响         | 定性 | 有效   | 10     | 达成 (default)| 10.00 | default 100%                          |
 * |10 | 宣传覆盖         | =    | 100    | 10     | 250           |  0.00 | max(0, 1 − 150 ÷ 100) = 0             |
 * budget: 108 ÷ 120 = 90% → 9.00.  Σ = 9 + 67 = 76.00 → 中
 */
function workedExample(): ExchangeTable {
  return evaluation([
    q("补助人数", "≥", "20", 15, "18"),
    q("人均成本", "≤", "500", 10, "625"),
    q("储备数量", "=", "100", 10, "90"),
    q("新增企业", ">", "10", 10, "13"),
    q("投诉件数", "<", "8", 5, "10"),
    q("安全事故", "≤", "0", 5, "1"),
    q("违规数", "≥", "0", 5, "0"),
    q("制度建设", "定性", "达标", 10, "部分达成", { percent: 75 }),
    q("社会影响", "定性", "有效", 10, "达成"),
    q("宣传覆盖", "=", "100", 10, "250"),
  ]);
}

describe("scoreEvaluation: the worked example", () => {
  const r = scoreEvaluation(workedExample(), national);
  it("scores every indicator by its formula", () => {
    expect(r.indicators.map((x) => x.score)).toEqual([13.5, 8, 9, 10, 4, 0, 5, 7.5, 10, 0]);
  });
  it("explains each formula in words with the numbers", () => {
    expect(r.indicators.map((x) => x.formula)).toEqual([
      "实际值 18 < 目标值 20：18 ÷ 20 × 15 = 13.50",
      "实际值 625 > 目标值 500：500 ÷ 625 × 10 = 8.00",
      "实际值 90 ≠ 目标值 100：10 × max(0, 1 − |90 − 100| ÷ |100|) = 9.00",
      "实际值 13 ≥ 目标值 10：得满分 10",
      "实际值 10 > 目标值 8：8 ÷ 10 × 5 = 4.00",
      "目标值为 0（≤ 0 只有实际值为 0 才达成），实际值 1：得 0",
      "目标值为 0（≥ 0 总是达成）：得满分 5",
      "定性「部分达成」（60%–80%），取 75%：10 × 75% = 7.50",
      "定性「达成」（80%–100%），取 100%（默认）：10 × 100% = 10.00",
      "实际值 250 ≠ 目标值 100：10 × max(0, 1 − |250 − 100| ÷ |100|) = 0.00",
    ]);
  });
  it("budget execution: min(rate, 1) × W", () => {
    expect(r.budget).toMatchObject({ weight: 10, rate: 90, score: 9 });
    expect(r.budget.formula).toBe("执行率 = 108 ÷ 120 = 90.00%；得分 = min(执行率, 100%) × 10 = 9.00");
  });
  it("totals and grades", () => {
    expect(r.total).toBe(76);
    expect(r.totalText).toBe("76.00");
    expect(r.grade).toBe("中");
    expect(r.maxPoints).toBe(100);
    expect(r.formula).toBe("总分 = 预算执行率 9.00 + 指标得分 67.00 = 76.00");
    expect(r.complete).toBe(true);
  });
  it("flags over-achievement, caps, zero targets, explanation requirements", () => {
    expect(r.indicators[3].flags).toEqual(["over_achievement", "capped", "explanation_required"]);
    expect(r.indicators[3].explanationRequired).toBe(true);
    expect(r.indicators[5].flags).toEqual(["zero_target", "explanation_required"]);
    expect(r.indicators[6].flags).toEqual(["zero_target"]);
    expect(r.indicators[0].flags).toEqual(["explanation_required"]);
    expect(r.indicators[8].flags).toEqual([]);
    expect(r.indicators[7]).toMatchObject({ tier: "部分达成", percent: 75 });
  });
});

describe("scoreEvaluation: rules one by one", () => {
  const one = (i: Indicator, over: Partial<ExchangeTable> = {}) =>
    scoreEvaluation(evaluation([i], { budgetExecutionWeight: 0, ...over }), national);

  it("≥: over-achievement only above +20% (exactly +20% is not flagged)", () => {
    expect(one(q("a", "≥", "10", 100, "12")).indicators[0].flags).toEqual(["capped"]);
    expect(one(q("a", "≥", "10", 100, "12.01")).indicators[0].flags).toContain("over_achievement");
  });
  it("an over-achieving indicator without explanation is reported", () => {
    const r = one(q("a", "≥", "10", 100, "20", { explanation: null }));
    expect(r.indicators[0].flags).toEqual(["over_achievement", "capped", "explanation_required", "explanation_missing"]);
    expect(r.issues.map((x) => x.message)).toEqual(["第 1 个指标「a」的实际值高于指标值较多，须分析原因（指标值是否设定偏低）"]);
    expect(r.total).toBe(100);
  });
  it("below full marks needs an explanation", () => {
    const r = one(q("a", "≥", "10", 100, "5", { explanation: "  " }));
    expect(r.indicators[0].flags).toEqual(["explanation_required", "explanation_missing"]);
    expect(r.issues[0]).toMatchObject({ severity: "warning", code: "explanation_missing", where: { indicator: 0, field: "explanation" } });
    expect(r.complete).toBe(true);
  });
  it("= 0 met only by 0; ≤ 0 met by 0", () => {
    expect(one(q("a", "=", "0", 100, "0")).total).toBe(100);
    expect(one(q("a", "=", "0", 100, "0.5")).total).toBe(0);
    expect(one(q("a", "≤", "0", 100, "0")).total).toBe(100);
  });
  it("'=' can be all-or-nothing by rule-set option", () => {
    const exact = { ...national, scoring: { ...national.scoring, equalFormula: "exact" as const } };
    const r = scoreEvaluation(evaluation([q("a", "=", "100", 100, "90")], { budgetExecutionWeight: 0 }), exact);
    expect(r.total).toBe(0);
    expect(r.indicators[0].formula).toBe("实际值 90 ≠ 目标值 100（规则集：等于须完全一致）：得 0");
  });
  it("定性 tiers: defaults 100/70/30 and percentages only inside the tier", () => {
    expect(one(q("a", "定性", "优", 100, "达成")).total).toBe(100);
    expect(one(q("a", "定性", "优", 100, "部分达成")).total).toBe(70);
    expect(one(q("a", "定性", "优", 100, "未达成")).total).toBe(30);
    expect(one(q("a", "定性", "优", 100, "未达成", { percent: 0 })).total).toBe(0);
    expect(one(q("a", "定性", "优", 100, "达成年度指标", { percent: 80 })).total).toBe(80);
    const bad = one(q("a", "定性", "优", 100, "部分达成", { percent: 90 }));
    expect(bad.indicators[0].flags).toContain("invalid");
    expect(bad.issues[0].message).toBe("「部分达成」的得分比例 90% 不在 60%–80% 之间");
    expect(bad.complete).toBe(false);
    const unknown = one(q("a", "定性", "优", 100, "很好"));
    expect(unknown.issues[0].message).toBe("完成情况「很好」无法识别，应为 达成、部分达成 或 未达成");
  });
  it("missing or non-numeric actual values score 0 and make the result incomplete", () => {
    const r = one(q("a", "≥", "10", 100, null));
    expect(r.indicators[0].flags).toContain("actual_missing");
    expect(r.issues[0]).toMatchObject({ code: "actual_missing", message: "第 1 个指标「a」未填写实际完成值" });
    expect(r.complete).toBe(false);
    expect(one(q("a", "≥", "10", 100, "十")).issues[0].code).toBe("score_invalid");
  });
  it("budget execution above 100% is capped at W", () => {
    const r = scoreEvaluation(
      evaluation([q("a", "≥", "10", 90, "10")], { evaluation: { budgetInitial: 100, budgetAnnual: 120, budgetExecuted: 130 } }),
      national,
    );
    expect(r.budget.rate).toBe(108.33);
    expect(r.budget.score).toBe(10);
    expect(r.budget.formula).toBe("执行率 = 130 ÷ 120 = 108.33%（超过 100% 按 100% 计）；得分 = min(执行率, 100%) × 10 = 10.00");
    expect(r.total).toBe(100);
  });
  it("missing budget data is reported", () => {
    const r = scoreEvaluation(evaluation([q("a", "≥", "10", 90, "10")], { evaluation: undefined }), national);
    expect(r.issues[0].code).toBe("budget_missing");
    expect(r.total).toBe(90);
    expect(r.complete).toBe(false);
  });
  it("not-applicable indicators are excluded and the rest rescaled to 100", () => {
    // budget 9 of 10, a: 20 of 20, b: not applicable (30), c: 20 of 40 → (9 + 20 + 20) ÷ 70 × 100 = 70
    const r = scoreEvaluation(
      evaluation([
        q("a", "≥", "10", 20, "10"),
        q("b", "≥", "10", 30, null, { applicable: false }),
        q("c", "≥", "10", 40, "5"),
      ]),
      national,
    );
    expect(r.indicators[1]).toMatchObject({ applicable: false, score: null, flags: ["not_applicable"] });
    expect(r.maxPoints).toBe(70);
    expect(r.rawTotal).toBe(49);
    expect(r.total).toBe(70);
    expect(r.formula).toBe("总分 = (预算执行率 9.00 + 指标得分 40.00) ÷ 70 × 100 = 70.00（适用的权重合计 70，按百分制折算）");
    expect(r.grade).toBe("中");
  });
  it("rescaling is exact: 2 of 3 points → 66.67", () => {
    const r = scoreEvaluation(
      evaluation([q("a", "≥", "3", 3, "2"), q("b", "≥", "1", 97, null, { applicable: false })], { budgetExecutionWeight: 0 }),
      national,
    );
    expect(r.total).toBe(66.67);
  });
  it("the total adds the scores as shown (2 decimals) by default, or the exact scores by option", () => {
    // three × (2 ÷ 3 × 10) = 6.67 each as shown; exactly 20 together
    const t = evaluation(
      [q("a", "≥", "3", 10, "2"), q("b", "≥", "3", 10, "2"), q("c", "≥", "3", 10, "2"), q("d", "≥", "1", 60, "1")],
      { evaluation: { budgetInitial: 1, budgetAnnual: 1, budgetExecuted: 1 } },
    );
    const shown = scoreEvaluation(t, national);
    expect(shown.indicators.map((x) => x.score)).toEqual([6.67, 6.67, 6.67, 60]);
    expect(shown.total).toBe(90.01);
    const exact = scoreEvaluation(t, { ...national, scoring: { ...national.scoring, totalOf: "exactScores" } });
    expect(exact.total).toBe(90);
    expect(exact.grade).toBe("优");
  });
  it("manual overrides need a reason", () => {
    const t = evaluation([q("a", "≥", "10", 90, "20")]);
    const r = scoreEvaluation(t, national, { overrides: [{ indicator: 0, score: 80, reason: "指标值设定明显偏低" }] });
    expect(r.indicators[0].score).toBe(80);
    expect(r.indicators[0].flags).toContain("overridden");
    expect(r.indicators[0].formula).toContain("人工调整为 80.00（理由：指标值设定明显偏低）");
    const noReason = scoreEvaluation(t, national, { overrides: [{ indicator: 0, score: 80, reason: "" }] });
    expect(noReason.indicators[0].score).toBe(90);
    expect(noReason.issues[0].code).toBe("override_reason_missing");
  });
});

describe("grade boundaries 90 / 80 / 60, exactly", () => {
  // budget 10 of 10; one indicator ≥ 90 with weight 90: score = actual
  const total = (actual: string): ScoreResult =>
    scoreEvaluation(
      evaluation([q("a", "≥", "90", 90, actual)], { evaluation: { budgetInitial: 1, budgetAnnual: 1, budgetExecuted: 1 } }),
      national,
    );
  it.each([
    ["80", 90, "优"],
    ["79.99", 89.99, "良"],
    ["70", 80, "良"],
    ["69.99", 79.99, "中"],
    ["50", 60, "中"],
    ["49.99", 59.99, "差"],
    ["0", 10, "差"],
  ])("actual %s → total %s → %s", (actual, t, grade) => {
    const r = total(actual);
    expect(r.total).toBe(t);
    expect(r.grade).toBe(grade);
  });
  it("grades the total as shown (89.995 shows as 90.00 → 优); see docs/decisions", () => {
    const r = total("79.995");
    expect(r.totalText).toBe("90.00");
    expect(r.grade).toBe("优");
  });
  it("gradeOf compares exactly", () => {
    expect(gradeOf("90", national)).toBe("优");
    expect(gradeOf("89.999999", national)).toBe("良");
    expect(gradeOf(60, national)).toBe("中");
    expect(gradeOf("59.99", national)).toBe("差");
  });
  it("parseTier accepts the tier names of the national guidance", () => {
    expect(parseTier("达成年度指标")).toBe("达成");
    expect(parseTier("部分达成并具有一定效果")).toBe("部分达成");
    expect(parseTier("未达成且效果较差")).toBe("未达成");
    expect(parseTier("好")).toBeNull();
  });
});
