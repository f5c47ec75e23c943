import { describe, expect, it } from "vitest";
import {
  assessMonitoringEntry,
  budgetLight,
  indicatorLight,
  isCumulativeIndicator,
  isPeriodOpen,
  progressMismatch,
  missingBudgetFields,
  missingMonitoringFields,
  timeProgress,
  type EntryIndicator,
  type MonitoringEntry,
} from "../../app/domain/monitoring";
import { getRuleSet } from "../../app/domain/rules";

const rs = getRuleSet("national")!;

/** A filled-in, green-looking monitoring entry row, with some fields changed. */
const entry = (over: Partial<MonitoringEntry> = {}): MonitoringEntry => ({
  cumulativeActual: "50",
  projected: "100",
  likelihood: "确定能",
  deviationReasons: [],
  deviationText: null,
  correctiveMeasures: null,
  ...over,
});

describe("time progress (序时进度)", () => {
  it("is months elapsed / 12, exact", () => {
    expect(timeProgress("Q1").toString()).toBe("0.25");
    expect(timeProgress("H1").toString()).toBe("0.5");
    expect(timeProgress("Q3").toString()).toBe("0.75");
    expect(timeProgress("M7").toFixed(4)).toBe("0.5833");
    expect(timeProgress(12).toString()).toBe("1");
    expect(() => timeProgress(13)).toThrow();
  });
  it("periods are open between openedAt and closedAt", () => {
    const p = { openedAt: new Date("2026-07-01"), closedAt: new Date("2026-07-15") };
    expect(isPeriodOpen(p, new Date("2026-06-30"))).toBe(false);
    expect(isPeriodOpen(p, new Date("2026-07-10"))).toBe(true);
    expect(isPeriodOpen(p, new Date("2026-07-15"))).toBe(false);
    expect(isPeriodOpen({ openedAt: new Date("2026-07-01"), closedAt: null }, new Date("2027-01-01"))).toBe(true);
    expect(isPeriodOpen({ openedAt: null, closedAt: null }, new Date())).toBe(false);
  });
});

describe("budget light: gap = 序时进度 − 执行率", () => {
  it.each([
    // H1: time progress 50%
    [100, 50, "green", 0],
    [100, 40, "green", 10], // exactly 10 points behind: still green
    [100, 39.99, "yellow", 10.01],
    [100, 30, "yellow", 20], // exactly 20: yellow
    [100, 29.99, "red", 20.01],
    [100, 80, "green", -30], // ahead of schedule
  ])("annual %s, executed %s → %s (gap %s)", (annual, executed, light, gap) => {
    const r = budgetLight({ annual, executed, period: "H1" }, rs);
    expect(r.light).toBe(light);
    expect(r.gap).toBe(gap);
  });
  it("says it in Chinese", () => {
    expect(budgetLight({ annual: 120, executed: 30, period: "H1" }, rs).message).toBe(
      "执行率 25.00%，序时进度 50.00%，落后 25.00 个百分点：红灯",
    );
  });
  it("a non-positive annual budget gives no light and says why", () => {
    expect(budgetLight({ annual: 0, executed: 5, period: "Q1" }, rs)).toEqual({
      executionRate: null,
      timeProgress: 25,
      gap: null,
      light: null,
      message: "全年预算数为 0，应为正数，无法计算执行率",
    });
  });
  it("thresholds come from the rule set", () => {
    const loose = { monitoring: { ...rs.monitoring, budget: { green: 30, yellow: 40 } } };
    expect(budgetLight({ annual: 100, executed: 25, period: "H1" }, loose).light).toBe("green");
  });
});

describe("indicator light", () => {
  const L = (operator: any, target: string, projected: string | null, likelihood: any = null) =>
    indicatorLight({ operator, target, projected, likelihood }, rs).light;
  it("≥: meets → green, within 10% → yellow, else red", () => {
    expect(L("≥", "100", "100")).toBe("green");
    expect(L("≥", "100", "90")).toBe("yellow");
    expect(L("≥", "100", "89.99")).toBe("red");
  });
  it("≤ and =", () => {
    expect(L("≤", "30", "30")).toBe("green");
    expect(L("≤", "30", "33")).toBe("yellow");
    expect(L("≤", "30", "33.01")).toBe("red");
    expect(L("=", "100", "100")).toBe("green");
    expect(L("=", "100", "110")).toBe("yellow");
    expect(L("=", "100", "89")).toBe("red");
  });
  it("likelihood: 完全不可能 → red, 有可能 → at least yellow", () => {
    expect(L("≥", "100", "120", "完全不可能")).toBe("red");
    expect(L("≥", "100", "120", "有可能")).toBe("yellow");
    expect(L("≥", "100", "50", "有可能")).toBe("red");
    expect(L("≥", "100", "120", "确定能")).toBe("green");
    expect(indicatorLight({ operator: "≥", target: "100", projected: "120", likelihood: "有可能" }, rs).message).toBe(
      "预计 120，目标 ≥100：黄灯（完成目标可能性「有可能」）",
    );
  });
  it("定性 from the likelihood alone", () => {
    expect(L("定性", "达标", null, "确定能")).toBe("green");
    expect(L("定性", "达标", null, "有可能")).toBe("yellow");
    expect(L("定性", "达标", null, "完全不可能")).toBe("red");
    expect(L("定性", "达标", null, null)).toBeNull();
  });
  it("no projection: falls back to the likelihood, or no light", () => {
    expect(L("≥", "100", null, "确定能")).toBe("green");
    expect(L("≥", "100", null, null)).toBeNull();
  });
});

describe("required fields", () => {
  it("green needs only the values", () => {
    expect(missingMonitoringFields(entry(), "green", "≥")).toEqual([]);
    expect(missingMonitoringFields(entry({ projected: null, likelihood: null }), "green", "≥").map((f) => f.field)).toEqual([
      "projected",
      "likelihood",
    ]);
    expect(missingMonitoringFields(entry({ projected: null }), "green", "定性")).toEqual([]);
  });
  it("yellow or red requires 偏差原因 and 纠偏措施", () => {
    expect(missingMonitoringFields(entry(), "red", "≥").map((f) => f.message)).toEqual([
      "红灯指标须选择偏差原因",
      "红灯指标须说明偏差原因",
      "红灯指标须填写纠偏措施",
    ]);
    expect(
      missingMonitoringFields(entry({ deviationReasons: ["经费保障"], deviationText: "资金未到位", correctiveMeasures: "催办" }), "yellow", "≥"),
    ).toEqual([]);
  });
  it("其他 needs a text even when green", () => {
    expect(missingMonitoringFields(entry({ deviationReasons: ["其他"] }), "green", "≥").map((f) => f.field)).toEqual(["deviationText"]);
  });
  it("budget light yellow/red requires reason and measures", () => {
    expect(missingBudgetFields("green", { reason: null, measures: null })).toEqual([]);
    expect(missingBudgetFields("yellow", { reason: "x", measures: null }).map((f) => f.message)).toEqual(["预算执行黄灯，须填写纠偏措施"]);
  });
});

describe("indicator light at every boundary (target exactly, and 10% off)", () => {
  const L = (operator: any, target: string, projected: string) => indicatorLight({ operator, target, projected, likelihood: null }, rs).light;
  it.each([
    ["≥", "100", "100", "green"],
    ["≥", "100", "120", "green"],
    ["≥", "100", "99.99", "yellow"],
    ["≥", "100", "90", "yellow"],
    ["≥", "100", "89.99", "red"],
    [">", "100", "100.01", "green"],
    [">", "100", "100", "yellow"],
    [">", "100", "90", "yellow"],
    [">", "100", "89.99", "red"],
    ["≤", "30", "30", "green"],
    ["≤", "30", "20", "green"],
    ["≤", "30", "30.01", "yellow"],
    ["≤", "30", "33", "yellow"],
    ["≤", "30", "33.01", "red"],
    ["<", "30", "29.99", "green"],
    ["<", "30", "30", "yellow"],
    ["<", "30", "33.01", "red"],
    ["=", "100", "100", "green"],
    ["=", "100", "110", "yellow"],
    ["=", "100", "90", "yellow"],
    ["=", "100", "110.01", "red"],
    ["=", "100", "89.99", "red"],
  ])("%s%s, projected %s → %s", (op, target, projected, light) => {
    expect(L(op, target, projected)).toBe(light);
  });
  it("the yellow band comes from the rule set", () => {
    const wide = { monitoring: { ...rs.monitoring, indicatorYellowWithin: 0.2 } };
    expect(indicatorLight({ operator: "≥", target: "100", projected: "80", likelihood: null }, wide).light).toBe("yellow");
    expect(indicatorLight({ operator: "≥", target: "100", projected: "79.99", likelihood: null }, wide).light).toBe("red");
  });
});

describe("every required-field rule", () => {
  const fields = (e: MonitoringEntry, light: any, op: any) => missingMonitoringFields(e, light, op).map((f) => f.field);
  it("截至本期完成值 and 完成目标可能性 always; blank text counts as missing", () => {
    expect(fields(entry({ cumulativeActual: null }), "green", "≥")).toEqual(["cumulativeActual"]);
    expect(fields(entry({ cumulativeActual: "  " }), "green", "定性")).toEqual(["cumulativeActual"]);
    expect(fields(entry({ likelihood: null }), null, "定性")).toEqual(["likelihood"]);
  });
  it("全年预计完成值 for quantitative indicators only", () => {
    for (const op of ["≥", ">", "≤", "<", "="]) expect(fields(entry({ projected: " " }), "green", op)).toEqual(["projected"]);
    expect(fields(entry({ projected: null }), "green", "定性")).toEqual([]);
  });
  it("yellow and red need 偏差原因 (ticked and explained) and 纠偏措施; green and no light do not", () => {
    for (const light of ["yellow", "red"]) {
      expect(fields(entry(), light, "≥")).toEqual(["deviationReasons", "deviationText", "correctiveMeasures"]);
      expect(fields(entry({ deviationReasons: ["人员保障"] }), light, "≥")).toEqual(["deviationText", "correctiveMeasures"]);
      expect(fields(entry({ deviationReasons: ["人员保障"], deviationText: "缺编", correctiveMeasures: " " }), light, "≥")).toEqual(["correctiveMeasures"]);
    }
    expect(missingMonitoringFields(entry(), "yellow", "≥")[0].message).toBe("黄灯指标须选择偏差原因");
    expect(fields(entry(), "green", "≥")).toEqual([]);
    expect(fields(entry(), null, "≥")).toEqual([]);
  });
  it("其他 needs its text at any light", () => {
    expect(missingMonitoringFields(entry({ deviationReasons: ["其他"] }), null, "≥")).toEqual([{ field: "deviationText", message: "偏差原因选择「其他」时须说明" }]);
    expect(fields(entry({ deviationReasons: ["其他"], deviationText: "天气" }), "green", "≥")).toEqual([]);
  });
  it("budget: yellow or red needs reason and measures; green or no light needs nothing", () => {
    expect(missingBudgetFields(null, { reason: null, measures: null })).toEqual([]);
    expect(missingBudgetFields("red", { reason: " ", measures: null }).map((f) => f.message)).toEqual(["预算执行红灯，须说明偏差原因", "预算执行红灯，须填写纠偏措施"]);
    expect(missingBudgetFields("red", { reason: "资金晚到", measures: "加快支付" })).toEqual([]);
  });
});

describe("「进度与预计不符」(progress_mismatch)", () => {
  const count: EntryIndicator = { position: 0, name: "补助人数", operator: "≥", target: "100", unit: "人" };
  // Q2: 序时进度 50%; fraction 0.5 → the bound is 100 × 50% × 50% = 25 人.
  const check = (actual: string | null, projected: string | null, ind = count, period: any = "Q2", rules = rs) =>
    progressMismatch(ind, { cumulativeActual: actual, projected }, period, rules);

  it("flags a cumulative indicator below fraction × target × 序时进度 whose projection meets the target", () => {
    expect(check("24.99", "100")).toEqual({
      code: "progress_mismatch",
      message:
        "进度与预计不符：截至本期完成 24.99 人，不到 目标 100 人 × 序时进度 50% × 50% = 25 人，全年预计完成值却为 100 人（达到目标 ≥100）。请核实截至本期完成值和全年预计完成值",
    });
    expect(check("0", "150")).not.toBeNull();
  });
  it("not at the bound exactly, nor above it, nor when the projection falls short", () => {
    expect(check("25", "100")).toBeNull();
    expect(check("60", "100")).toBeNull();
    expect(check("10", "99.99")).toBeNull();
    expect(check("10", "100", { ...count, operator: ">" })).toBeNull(); // > 100 not met by 100
    expect(check("10", "100.5", { ...count, operator: ">" })).not.toBeNull();
  });
  it("the bound follows the period and the rule set's fraction (0 = off)", () => {
    expect(check("37.5", "100", count, "Q3")).toBeNull(); // 100 × 75% × 50% = 37.5
    expect(check("37.49", "100", count, "Q3")).not.toBeNull();
    expect(check("8.33", "100", count, 2)).not.toBeNull(); // month 2: 100 × 2/12 × 50% = 8.333…
    expect(check("8.34", "100", count, 2)).toBeNull();
    const strict = { ...rs, monitoring: { ...rs.monitoring, progressMismatchFraction: 0.8 } };
    expect(check("39.99", "100", count, "Q2", strict)).not.toBeNull();
    expect(check("40", "100", count, "Q2", strict)).toBeNull();
    const off = { ...rs, monitoring: { ...rs.monitoring, progressMismatchFraction: 0 } };
    expect(check("0", "100", count, "Q2", off)).toBeNull();
  });
  it("missing or unreadable values give no warning (they are reported as missing)", () => {
    expect(check(null, "100")).toBeNull();
    expect(check("约10", "100")).toBeNull();
    expect(check("10", null)).toBeNull();
    expect(check("10", "100", { ...count, target: "0" })).toBeNull();
  });
  it.each([
    ["≥", "人", "补助人数", true],
    [">", "公里", "新建道路里程", true],
    // ends in 度 like 满意度, so read as a rate: a missed warning rather than a false one
    ["≥", "公里", "新建道路长度", false],
    ["≥", "万元", "带动社会投资", true],
    ["≥", "天", "开放天数", true],
    ["≤", "人", "补助人数", false],
    ["=", "个", "编制规划", false],
    ["定性", null, "社会稳定", false],
    ["≥", "%", "完成进度", false],
    ["≥", "分", "考核得分", false],
    ["≥", "元/人", "补助金额", false],
    ["≥", "次/年", "巡查频次", false],
    ["≥", null, "补助人数", false],
    ["≥", "个", "项目验收合格率", false],
    ["≥", "元", "人均补助标准", false],
    ["≥", "万元", "平均投资额", false],
  ])("%s with unit %s, 「%s」: cumulative %s", (operator, unit, name, expected) => {
    expect(isCumulativeIndicator({ operator: operator as any, unit, name })).toBe(expected);
  });
  it("uses the rule set's rate names", () => {
    const rules = { ...rs, thresholds: { ...rs.thresholds, rateNames: { match: "contains" as const, keywords: ["覆盖"] } } };
    expect(isCumulativeIndicator({ operator: "≥", unit: "个", name: "覆盖村数" }, rules)).toBe(false);
    expect(isCumulativeIndicator({ operator: "≥", unit: "个", name: "覆盖村数" })).toBe(true);
  });
  it("is a warning on the row, never something missing: the entry stays complete", () => {
    const a = assessMonitoringEntry(
      {
        period: "Q2",
        budget: { annual: "100", executed: "50", reason: null, measures: null },
        rows: [
          {
            indicator: count,
            entry: entry({ cumulativeActual: "10" }),
          },
        ],
      },
      rs,
    );
    expect(a.rows[0].light).toBe("green");
    expect(a.rows[0].warnings.map((w) => w.code)).toEqual(["progress_mismatch"]);
    expect(a.complete).toBe(true);
  });
});
