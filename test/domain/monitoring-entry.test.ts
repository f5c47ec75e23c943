// assessMonitoringEntry: the whole 监控填报 at once, as the entry page and `jixiao monitor` use it.
import { describe, expect, it } from "vitest";
import { assessMonitoringEntry, type EntryIndicator, type MonitoringEntry } from "../../app/domain/monitoring";
import { getRuleSet } from "../../app/domain/rules";

const rs = getRuleSet("national")!;
const ind = (position: number, operator: EntryIndicator["operator"], target: string | null, name = `指标${position + 1}`): EntryIndicator => ({
  position,
  name,
  operator,
  target,
  unit: null,
});
const entry = (e: Partial<MonitoringEntry> = {}): MonitoringEntry => ({
  cumulativeActual: "10",
  projected: "100",
  likelihood: "确定能",
  deviationReasons: [],
  deviationText: null,
  correctiveMeasures: null,
  ...e,
});
const budget = { annual: "100", executed: "50", reason: null, measures: null };

describe("assessMonitoringEntry", () => {
  it("a complete, on-track entry: green everywhere, complete", () => {
    const a = assessMonitoringEntry({ period: "Q2", budget, rows: [{ indicator: ind(0, "≥", "100"), entry: entry() }] }, rs);
    expect(a.timeProgress).toBe(50);
    expect(a.budget).toMatchObject({ executionRate: 50, gap: 0, light: "green", missing: [] });
    expect(a.rows[0]).toMatchObject({ position: 0, light: "green", missing: [] });
    expect(a.counts).toEqual({ green: 1, yellow: 0, red: 0, none: 0 });
    expect(a.complete).toBe(true);
  });
  it("a red indicator needs reasons and measures, named by position and name", () => {
    const a = assessMonitoringEntry(
      { period: "Q2", budget, rows: [{ indicator: ind(1, "≥", "100", "补助人数"), entry: entry({ projected: "50", likelihood: "完全不可能" }) }] },
      rs,
    );
    expect(a.rows[0].light).toBe("red");
    expect(a.complete).toBe(false);
    expect(a.missing).toEqual([
      "第 2 个指标「补助人数」：红灯指标须选择偏差原因",
      "第 2 个指标「补助人数」：红灯指标须说明偏差原因",
      "第 2 个指标「补助人数」：红灯指标须填写纠偏措施",
    ]);
    const fixed = assessMonitoringEntry(
      {
        period: "Q2",
        budget,
        rows: [
          {
            indicator: ind(1, "≥", "100"),
            entry: entry({ projected: "50", likelihood: "完全不可能", deviationReasons: ["经费保障"], deviationText: "资金未到位", correctiveMeasures: "加快拨付" }),
          },
        ],
      },
      rs,
    );
    expect(fixed.complete).toBe(true);
    expect(fixed.counts.red).toBe(1);
  });
  it("budget behind 序时进度 by more than 20 points is red and needs a reason and measures", () => {
    const a = assessMonitoringEntry({ period: "Q3", budget: { ...budget, executed: "50" }, rows: [] }, rs);
    expect(a.budget.gap).toBe(25);
    expect(a.budget.light).toBe("red");
    expect(a.missing).toEqual(["预算执行：预算执行红灯，须说明偏差原因", "预算执行：预算执行红灯，须填写纠偏措施"]);
  });
  it("blank and unreadable numbers are reported, never guessed", () => {
    const a = assessMonitoringEntry(
      { period: "Q1", budget: { annual: "一百", executed: "", reason: null, measures: null }, rows: [{ indicator: ind(0, "≥", "90"), entry: entry({ cumulativeActual: "约10", projected: "95" }) }] },
      rs,
    );
    expect(a.budget.light).toBeNull();
    expect(a.budget.missing.map((m) => m.message)).toEqual(["全年预算数「一百」不是数字", "请填写截至本期执行数"]);
    expect(a.rows[0].missing.map((m) => m.message)).toEqual(["截至本期完成值「约10」不是数字"]);
    expect(a.complete).toBe(false);
  });
  it("a zero budget cannot give a rate and says why", () => {
    const a = assessMonitoringEntry({ period: "Q1", budget: { ...budget, annual: "0", executed: "0" }, rows: [] }, rs);
    expect(a.budget.light).toBeNull();
    expect(a.budget.missing[0].message).toMatch(/应为正数/);
  });
  it("定性 indicators are lit by likelihood alone; an empty row counts as none", () => {
    const a = assessMonitoringEntry(
      {
        period: "M7",
        budget,
        rows: [
          { indicator: ind(0, "定性", "好"), entry: entry({ projected: null, likelihood: "有可能" }) },
          { indicator: ind(1, "≥", "10"), entry: entry({ cumulativeActual: null, projected: null, likelihood: null }) },
        ],
      },
      rs,
    );
    expect(a.timeProgress).toBe(58.33);
    expect(a.rows.map((r) => r.light)).toEqual(["yellow", null]);
    expect(a.counts).toEqual({ green: 0, yellow: 1, red: 0, none: 1 });
  });
});
