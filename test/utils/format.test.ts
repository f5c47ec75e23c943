// Display formatters: the shared Intl objects give what toLocaleString per call gave.
import { describe, expect, it } from "vitest";
import { formatHundredths, formatWan, formatWanNumber } from "../../app/utils/format";

describe("formatWan", () => {
  it("shows 元 as 万元 with two decimals, four only when needed, and grouping", () => {
    expect(formatWan(13_000_000)).toBe("1,300.00");
    expect(formatWan(12_345)).toBe("1.2345");
    expect(formatWan(100)).toBe("0.01");
    expect(formatWan(1)).toBe("0.0001");
    expect(formatWan(0)).toBe("0.00");
    expect(formatWan(-1_234_567_800)).toBe("-123,456.78");
    expect(formatWan(123_456_789_01)).toBe("1,234,567.8901");
    expect(formatWan(null)).toBe("—");
    expect(formatWan(undefined)).toBe("—");
  });

  it("matches toLocaleString with the same options, amount by amount", () => {
    for (const yuan of [0, 5, 99, 100, 10_000, 123_456, 9_999_999_999, -50, 1_000_000_000_000]) {
      const four = yuan % 100 !== 0;
      const digits = four ? 4 : 2;
      expect(formatWan(yuan), String(yuan)).toBe((yuan / 10000).toLocaleString("zh-CN", { minimumFractionDigits: digits, maximumFractionDigits: digits }));
    }
  });
});

describe("formatWanNumber", () => {
  it("formats 万元 numbers as formatWan formats 元, with its own empty text", () => {
    expect(formatWanNumber(1300)).toBe("1,300.00");
    expect(formatWanNumber(25.65)).toBe("25.65");
    expect(formatWanNumber(0.1234)).toBe("0.1234");
    expect(formatWanNumber(1.2345)).toBe("1.2345");
    expect(formatWanNumber(-123456.78)).toBe("-123,456.78");
    expect(formatWanNumber(null)).toBe("");
    expect(formatWanNumber(undefined, "—")).toBe("—");
    expect(formatWanNumber(Number.NaN)).toBe("");
    for (const yuan of [0, 5, 99, 100, 10_000, 123_456, 9_999_999_999, -50]) expect(formatWanNumber(yuan / 10000), String(yuan)).toBe(formatWan(yuan));
  });
});

describe("formatHundredths", () => {
  it("drops trailing zeros", () => {
    expect(formatHundredths(250)).toBe("2.5");
    expect(formatHundredths(9000)).toBe("90");
    expect(formatHundredths(-5)).toBe("-0.05");
    expect(formatHundredths(null)).toBe("—");
  });
});
