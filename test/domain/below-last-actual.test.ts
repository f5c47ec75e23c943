// below_last_actual's inputs (issue 11 item 5): which of last year's tables is the same
// project, and which of its rows is the same indicator. The server's matching within a
// unit is tested in test/integration/results.test.ts.
import { describe, expect, it } from "vitest";
import { checkTable, getRuleSet } from "../../app/domain/rules";
import type { ExchangeTable } from "../../app/domain/schemas";
import { cleanTable, ind, mutate } from "./fixtures";

const cq24 = getRuleSet("chongqing-2024")!;

function last(f: (t: ExchangeTable) => void = () => {}): ExchangeTable {
  return mutate(cleanTable(), (t) => {
    t.year = 2025;
    t.indicators[0].actual = "45";
    f(t);
  });
}
const messages = (t: ExchangeTable, history: ExchangeTable[]) =>
  checkTable(t, cq24, history)
    .filter((f) => f.code === "below_last_actual")
    .map((f) => f.message);

describe("below_last_actual: the same project", () => {
  it("by code when both tables have one; a different code is another project even with the same name", () => {
    expect(messages(cleanTable(), [last()])).toEqual(["第 1 个指标「补助人数」的指标值 39 低于 2025 年实际完成值 45"]);
    expect(messages(cleanTable(), [last((t) => (t.project!.code = "OTHER"))])).toEqual([]);
  });
  it("by name when either side has no code", () => {
    const noCode = mutate(cleanTable(), (t) => (t.project!.code = null));
    expect(messages(noCode, [last()])).toHaveLength(1);
    expect(messages(cleanTable(), [last((t) => (t.project!.code = "  "))])).toHaveLength(1);
    expect(messages(noCode, [last((t) => (t.project!.name = "另一个项目"))])).toEqual([]);
  });
  it("only from an earlier year", () => {
    expect(messages(cleanTable(), [last((t) => (t.year = 2026))])).toEqual([]);
  });
});

describe("below_last_actual: the same indicator", () => {
  it("a name used twice last year is told apart by its 二级; still ambiguous → no comparison", () => {
    const twice = (level2: string) =>
      last((t) => {
        t.indicators[0].actual = "45";
        t.indicators.push(ind({ level1: "产出指标", level2, name: "补助人数", unit: "人", actual: "30" }));
      });
    // the other row is 质量指标: this year's 数量指标 row compares with 45
    expect(messages(cleanTable(), [twice("质量指标")])).toEqual(["第 1 个指标「补助人数」的指标值 39 低于 2025 年实际完成值 45"]);
    // two 数量指标 rows of that name: no guess
    expect(messages(cleanTable(), [twice("数量")])).toEqual([]);
  });
  it("不适用 rows, 定性 actuals and ≤ targets are not compared", () => {
    expect(messages(cleanTable(), [last((t) => (t.indicators[0].applicable = false))])).toEqual([]);
    expect(messages(cleanTable(), [last((t) => (t.indicators[0].actual = "达成"))])).toEqual([]);
    const atMost = mutate(cleanTable(), (t) => (t.indicators[0].operator = "≤"));
    expect(messages(atMost, [last()])).toEqual([]);
  });
  it("a target equal to last year's actual is fine", () => {
    expect(messages(cleanTable(), [last((t) => (t.indicators[0].actual = "39"))])).toEqual([]);
  });
});
