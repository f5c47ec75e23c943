import { describe, expect, it } from "vitest";
import {
  budgetLight,
  indicatorLight,
  isPeriodOpen,
  missingBudgetFields,
  missingMonitoringFields,
  timeProgress,
  type MonitoringEntry,
} from "../../app/domain/monitoring";
import { getRuleSet } from "../../app/domain/rules";

const rs = getRuleSet("national")!;

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
  const entry = (over: Partial<MonitoringEntry> = {}): MonitoringEntry => ({
    cumulativeActual: "50",
    projected: "100",
    likelihood: "确定能",
    deviationReasons: [],
    deviationText: null,
    correctiveMeasures: null,
    ...over,
  });
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
