import { describe, expect, it } from "vitest";
import { Dec, decimalFromNumber, parseDecimal, sum } from "../../app/domain/decimal";
import {
  NATIONAL_TAXONOMY,
  level2Allowed,
  normalizeLevel1,
  normalizeLevel2,
  normalizeOperator,
} from "../../app/domain/taxonomy";
import { isQualitativeScale, parseCells, parseValue } from "../../app/domain/values";

describe("parseDecimal", () => {
  it.each([
    ["1300", "1300"],
    ["1,300.00", "1300"],
    ["2,100.00", "2100"],
    ["5,615.72", "5615.72"],
    ["30. 85", "30.85"],
    [" 1 300 ", "1300"],
    ["１２．５", "12.5"],
    ["007.100", "7.1"],
    [".5", "0.5"],
    ["5.", "5"],
    ["-0", "0"],
    ["－3.20", "-3.2"],
    ["280000000", "280000000"],
  ])("%s → %s", (input, out) => expect(parseDecimal(input)).toBe(out));
  it.each(["", "abc", "1,30", "12,34,567", "1e5", "90%", "≥90", "1.2.3", "."])("rejects %j", (input) => {
    expect(parseDecimal(input)).toBeNull();
  });
});

describe("Dec (exact decimals)", () => {
  it("adds without float drift", () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(Dec.of(0.1).add(Dec.of(0.2)).eq(Dec.of("0.3"))).toBe(true);
    expect(sum([1.11, 2.24, 0.22, 86.43]).toString()).toBe("90");
    expect(sum([2.5, 7.5, "0.25"]).toString()).toBe("10.25");
  });
  it("divides exactly and rounds half away from zero only when asked", () => {
    const third = Dec.of(1).div(Dec.of(3));
    expect(third.mul(Dec.of(3)).eq(Dec.ONE)).toBe(true);
    expect(third.toFixed(2)).toBe("0.33");
    expect(Dec.of(2).div(Dec.of(3)).toFixed(2)).toBe("0.67");
    expect(Dec.of("0.005").toFixed(2)).toBe("0.01");
    expect(Dec.of("-0.005").toFixed(2)).toBe("-0.01");
    expect(Dec.of("89.995").toFixed(2)).toBe("90.00");
    expect(Dec.of("89.9949999").toFixed(2)).toBe("89.99");
    expect(Dec.of(90).toFixed(2)).toBe("90.00");
    expect(() => Dec.ONE.div(Dec.ZERO)).toThrow(RangeError);
  });
  it("stays exact beyond 2^53 (BigInt fallback) and comes back to the fast form", () => {
    const big = Dec.of("123456789012345678.5");
    expect(big.add(Dec.of("0.5")).toString()).toBe("123456789012345679");
    expect(Dec.of(2 ** 53).add(Dec.ONE).toString()).toBe("9007199254740993");
    expect(Dec.of("280000000").mul(Dec.of("1000000000")).toString()).toBe("280000000000000000");
    const x = big.sub(Dec.of("123456789012345670"));
    expect(x.toString()).toBe("8.5");
    expect(x.toNumber()).toBe(8.5);
    // many unrelated denominators: exact, however large the common denominator grows
    let acc = Dec.ZERO;
    for (let k = 1; k <= 60; k++) acc = acc.add(Dec.ONE.div(Dec.of(k)));
    let back = acc;
    for (let k = 1; k <= 60; k++) back = back.sub(Dec.ONE.div(Dec.of(k)));
    expect(back.isZero()).toBe(true);
    expect(acc.toFixed(4)).toBe("4.6799");
    expect(Dec.of(0.1).mul(Dec.of(3)).eq(Dec.of("0.3"))).toBe(true);
  });
  it("prints canonical text", () => {
    expect(Dec.of("1300.00").toString()).toBe("1300");
    expect(Dec.of(1).div(Dec.of(8)).toString()).toBe("0.125");
    expect(Dec.of(2).div(Dec.of(3)).toString()).toBe("0.666666666667");
    expect(decimalFromNumber(2.5)).toBe("2.5");
    expect(decimalFromNumber(1e-7)).toBe("0.0000001");
    expect(decimalFromNumber(1.5e21)).toBe("1500000000000000000000");
    expect(() => Dec.of(Number.NaN)).toThrow();
    expect(() => Dec.of("abc")).toThrow();
  });
});

describe("normalizeOperator", () => {
  it.each([
    ["≥", "≥"], [">=", "≥"], ["≧", "≥"], ["大于等于", "≥"], ["不低于", "≥"], ["不少于", "≥"], ["不小于", "≥"],
    ["$\\geq$", "≥"], ["＞＝", "≥"],
    ["≤", "≤"], ["<=", "≤"], ["≦", "≤"], ["小于等于", "≤"], ["不高于", "≤"], ["不超过", "≤"], ["$\\leq$", "≤"],
    ["=", "="], ["＝", "="], ["等于", "="],
    [">", ">"], ["＞", ">"], ["大于", ">"], ["<", "<"], ["小于", "<"],
    ["定性", "定性"], [" 定 性 ", "定性"],
  ])("%s → %s", (input, out) => expect(normalizeOperator(input)).toBe(out));
  it("returns null for non-operators", () => {
    expect(normalizeOperator("约")).toBeNull();
    expect(normalizeOperator("")).toBeNull();
    expect(normalizeOperator(null)).toBeNull();
  });
});

describe("level names", () => {
  it("normalises 一级 variants and keeps the raw text", () => {
    expect(normalizeLevel1("服务对象满意度")).toEqual({ value: "满意度指标", raw: "服务对象满意度", known: true, changed: true });
    expect(normalizeLevel1("产出")).toMatchObject({ value: "产出指标", known: true });
    expect(normalizeLevel1(" <b>效益指标</b> ")).toMatchObject({ value: "效益指标", known: true, raw: " <b>效益指标</b> " });
    expect(normalizeLevel1("效果指标").value).toBe("效益指标");
    expect(normalizeLevel1("履职效能")).toMatchObject({ value: "履职效能", known: true, changed: false });
    expect(normalizeLevel1("安全指标")).toMatchObject({ value: "安全指标", known: false });
    expect(normalizeLevel1("")).toMatchObject({ value: null, known: false });
  });
  it("normalises 二级 variants but keeps wrong names for the checker", () => {
    expect(normalizeLevel2("服务对象满意度")).toMatchObject({ value: "服务对象满意度指标", known: true });
    expect(normalizeLevel2("数量")).toMatchObject({ value: "数量指标", known: true });
    expect(normalizeLevel2("满意度指标")).toMatchObject({ value: "满意度指标", known: false });
    expect(normalizeLevel2("效果指标")).toMatchObject({ value: "效果指标", known: false });
    expect(level2Allowed(NATIONAL_TAXONOMY, "产出指标", "数量指标")).toBe(true);
    expect(level2Allowed(NATIONAL_TAXONOMY, "产出指标", "效果指标")).toBe(false);
  });
});

describe("parseValue: every value form of docs/domain.md §3", () => {
  const ok = (text: string) => {
    const r = parseValue(text);
    if (!r.ok) throw new Error(r.error);
    return { operator: r.operator, value: r.value, unit: r.unit, qualitative: r.qualitative };
  };
  it.each([
    ["≥15 家", "≥", "15", "家"],
    ["≤2500 万", "≤", "2500", "万"],
    ["100%", "=", "100", "%"],
    ["$\\geq 90\\%$", "≥", "90", "%"],
    ["$\\leq 5\\%$", "≤", "5", "%"],
    ["1800 个", "=", "1800", "个"],
    ["1,300.00", "=", "1300", null],
    ["1,300.00 万元", "=", "1300", "万元"],
    ["30. 85", "=", "30.85", null],
    ["＝１００％", "=", "100", "%"],
    [">=90%", "≥", "90", "%"],
    ["≧95%", "≥", "95", "%"],
    ["大于等于 90 ％", "≥", "90", "%"],
    ["不低于95%", "≥", "95", "%"],
    ["不少于 5 个", "≥", "5", "个"],
    ["不高于 4.5 万元", "≤", "4.5", "万元"],
    ["不超过30个工作日", "≤", "30", "个工作日"],
    ["90%以上", "≥", "90", "%"],
    ["2500万元以内", "≤", "2500", "万元"],
    ["240 元/吨", "=", "240", "元/吨"],
    ["5 m3", "=", "5", "m3"],
    ["-5%", "=", "-5", "%"],
  ])("%s", (text, operator, value, unit) => {
    expect(ok(text)).toEqual({ operator, value, unit, qualitative: false });
  });
  it.each(["合规", "增强", "连续覆盖", "及时报备", "优"])("qualitative %s", (text) => {
    const r = parseValue(text);
    expect(r).toEqual({ ok: true, operator: "定性", value: null, unit: null, raw: text, qualitative: true, text });
  });
  it("keeps the raw text", () => {
    expect(parseValue(" ≥15 家 ")).toMatchObject({ ok: true, raw: " ≥15 家 " });
  });
  it.each([
    ["", "指标值为空"],
    ["—", "指标值为空"],
    ["约100", "含数字但不是"],
    ["3-5次", "不是计量单位"],
    ["≥ 优", "比较符「≥」后应为数值，实为「优」"],
    ["≥", "只有比较符"],
    ["1,30 家", "中的数字「1,30」"],
  ])("reports %j instead of guessing", (text, error) => {
    const r = parseValue(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toContain(error);
      expect(r.raw).toBe(text);
    }
  });
});

describe("parseCells: separate cells", () => {
  it("≥ | 15 | 家", () => {
    expect(parseCells("≥", "15", "家")).toEqual({
      ok: true, operator: "≥", value: "15", unit: "家", raw: "≥ | 15 | 家", qualitative: false, text: null,
    });
  });
  it("operator variants, separators and full width in cells", () => {
    expect(parseCells("大于等于", "1,300.00", "万元")).toMatchObject({ ok: true, operator: "≥", value: "1300", unit: "万元" });
    expect(parseCells("＝", "１００", "％")).toMatchObject({ ok: true, operator: "=", value: "100", unit: "%" });
    expect(parseCells(null, "≥90", "%")).toMatchObject({ ok: true, operator: "≥", value: "90", unit: "%" });
    expect(parseCells("", "1800", "个")).toMatchObject({ ok: true, operator: "=", value: "1800", unit: "个" });
    expect(parseCells("≥", "90%", "%")).toMatchObject({ ok: true, operator: "≥", value: "90", unit: "%" });
  });
  it("定性 takes the level as text; 其他/empty unit is no unit", () => {
    expect(parseCells("定性", "及时报备", "")).toEqual({
      ok: true, operator: "定性", value: null, unit: null, raw: "定性 | 及时报备", qualitative: true, text: "及时报备",
    });
    expect(parseCells("定性", "优", "其他")).toMatchObject({ ok: true, unit: "其他", text: "优" });
  });
  it("reports contradictions and non-numbers", () => {
    expect(parseCells("≥", "优", "%")).toMatchObject({ ok: false, error: "指标性质为「≥」，但指标值「优」不是数值" });
    expect(parseCells("≤", "≥5", "个")).toMatchObject({ ok: false, error: "指标性质「≤」与指标值「≥5」中的比较符「≥」不一致" });
    expect(parseCells("≥", "5 家", "个")).toMatchObject({ ok: false, error: "计量单位「个」与指标值「5 家」中的单位「家」不一致" });
    expect(parseCells("约", "1", "个")).toMatchObject({ ok: false, error: "无法识别的指标性质「约」" });
    expect(parseCells("≥", "", "个")).toMatchObject({ ok: false, error: "指标值为空" });
    expect(parseCells("定性", "", "")).toMatchObject({ ok: false, error: "定性指标没有指标值" });
  });
});

describe("isQualitativeScale", () => {
  it.each(["优良中低差", "是/否", "是否", "优/良/中/差", "达标/不达标"])("%s is a scale", (t) => expect(isQualitativeScale(t)).toBe(true));
  it.each(["优", "达标", "有效提升", "是", "及时报备"])("%s is a level", (t) => expect(isQualitativeScale(t)).toBe(false));
});
