// table-form: the editor's form values (strings, as typed) ⇄ the exchange format, the
// unflattening of posted keys (`indicators.3.name`), and the zod schemas' limits.
import { describe, expect, it } from "vitest";
import type { Indicator } from "../../app/domain/schemas";
import {
  EMPTY_INDICATOR,
  MAX_INDICATORS,
  PROJECT_CATEGORIES,
  categoryChoices,
  editorFormSchema,
  formToIndicator,
  formToTable,
  indicatorFormSchema,
  indicatorToForm,
  isBlankRow,
  moneyToNumber,
  parseWeight,
  projectHeaderFormSchema,
  tableFormSchema,
  tableToForm,
  unflattenForm,
  zodFieldErrors,
  type IndicatorForm,
  type TableForm,
} from "../../app/domain/table-form";
import { cleanTable } from "./fixtures";

const f = (over: Partial<IndicatorForm>): IndicatorForm => ({ ...EMPTY_INDICATOR, ...over });
const ind = (over: Partial<Indicator>): Indicator => ({
  level1: "产出指标",
  level2: "数量指标",
  name: "补助人数",
  weight: 20,
  unit: "人",
  operator: "≥",
  target: "39",
  core: true,
  ...over,
});

describe("parseWeight", () => {
  it.each([
    ["20", 20],
    ["2.5", 2.5],
    [" 2.5 ", 2.5],
    ["2. 5", 2.5],
    ["０．５", 0.5],
    ["10.00", 10],
    ["0", 0],
  ])("%j → %s", (text, value) => expect(parseWeight(text)).toEqual({ value, bad: false }));

  it("empty text is no weight, not a bad one", () => {
    expect(parseWeight("")).toEqual({ value: null, bad: false });
    expect(parseWeight("   ")).toEqual({ value: null, bad: false });
  });

  it.each(["二十", "20分", "20%", "1e2", "abc", "1,0"])("%j is bad", (text) => {
    expect(parseWeight(text)).toEqual({ value: null, bad: true });
  });
});

describe("indicator ⇄ form", () => {
  it("a form row reads like the exchange format: trimmed, nulls for empty, canonical numbers", () => {
    expect(
      formToIndicator(f({ level1: " 产出指标 ", level2: "数量指标", name: "补助人数 ", weight: "20.0", unit: "人", operator: "≥", target: "039.00", core: "是" })),
    ).toEqual(ind({}));
    expect(formToIndicator(EMPTY_INDICATOR)).toEqual({
      level1: null, level2: null, name: null, weight: null, unit: null, operator: null, target: null, core: null,
    });
  });

  it("quantitative targets become exact decimals; unreadable ones are kept as typed", () => {
    expect(formToIndicator(f({ operator: "≤", target: "1,300.00" })).target).toBe("1300");
    expect(formToIndicator(f({ operator: "=", target: "30. 85" })).target).toBe("30.85");
    expect(formToIndicator(f({ operator: "≥", target: "较高" })).target).toBe("较高");
    // No operator: the text is not touched.
    expect(formToIndicator(f({ target: "1,300.00" })).target).toBe("1,300.00");
    // 定性: the level as typed.
    expect(formToIndicator(f({ operator: "定性", target: "100" })).target).toBe("100");
  });

  it.each<[string, Indicator]>([
    ["integer weight", ind({})],
    ["decimal weight 2.5", ind({ weight: 2.5, name: "合格率", unit: "%", target: "95" })],
    ["null weight", ind({ weight: null })],
    ["zero weight", ind({ weight: 0 })],
    ["定性 without unit", ind({ name: "避免资源浪费和重复", weight: 6, unit: null, operator: "定性", target: "优", core: false })],
    ["core null", ind({ core: null })],
    ["core false", ind({ core: false })],
    ["everything null", { level1: null, level2: null, name: null, weight: null, unit: null, operator: null, target: null, core: null }],
    ["decimal target", ind({ operator: "≤", target: "99.5", unit: "%" })],
    ["> and <", ind({ operator: "<", target: "5", name: "投诉次数" })],
  ])("round trip indicator → form → indicator: %s", (_, indicator) => {
    expect(formToIndicator(indicatorToForm(indicator))).toEqual(indicator);
  });

  it("the form shows the numbers as text", () => {
    expect(indicatorToForm(ind({ weight: 2.5, core: null }))).toEqual(
      f({ level1: "产出指标", level2: "数量指标", name: "补助人数", weight: "2.5", unit: "人", operator: "≥", target: "39", core: "" }),
    );
    expect(indicatorToForm(ind({ weight: 0.1 + 0.2 })).weight).toBe("0.30000000000000004");
    expect(indicatorToForm(ind({ core: false })).core).toBe("否");
  });

  it("a bad weight text is kept in raw, and shown again in the form", () => {
    const bad = formToIndicator(f({ name: "补助人数", weight: " 二十分 " }));
    expect(bad.weight).toBeNull();
    expect(bad.raw).toEqual({ weight: "二十分" });
    expect(indicatorToForm(bad).weight).toBe("二十分");
    expect(formToIndicator(indicatorToForm(bad))).toEqual(bad);
  });

  it("no raw when nothing was bad", () => {
    expect("raw" in formToIndicator(f({ weight: "20" }))).toBe(false);
    expect("raw" in formToIndicator(f({ weight: "" }))).toBe(false);
  });

  it("an imported weight read from text such as 2.5分 keeps its value through the editor", () => {
    // The importers keep the original text in raw.weight when they could read a number from it.
    const imported = ind({ weight: 2.5, raw: { weight: "2.5分" } });
    expect(indicatorToForm(imported).weight).toBe("2.5");
    expect(formToIndicator(indicatorToForm(imported)).weight).toBe(2.5);
    const percent = ind({ weight: 20, raw: { weight: "20%" } });
    expect(formToIndicator(indicatorToForm(percent)).weight).toBe(20);
  });
});

describe("form ⇄ table", () => {
  const base = cleanTable();

  it("round trip table → form → table", () => {
    const t = { ...base, indicators: [...base.indicators, ind({ name: "合格率", weight: 2.5 }), ind({ name: "空权重", weight: null, core: null })] };
    const back = formToTable(tableToForm(t), t);
    expect(back).toEqual(t);
  });

  it("budget-execution weight: decimal, empty, bad", () => {
    expect(tableToForm({ budgetExecutionWeight: 10, indicators: [] }).budgetExecutionWeight).toBe("10");
    expect(tableToForm({ budgetExecutionWeight: null, indicators: [] }).budgetExecutionWeight).toBe("");
    const form = (budgetExecutionWeight: string): TableForm => ({ budgetExecutionWeight, indicators: [] });
    expect(formToTable(form("7.5"), base).budgetExecutionWeight).toBe(7.5);
    expect(formToTable(form(""), base).budgetExecutionWeight).toBeNull();
    expect(formToTable(form("十"), base).budgetExecutionWeight).toBeNull();
  });

  it("keeps the header of the base and replaces only weight and indicators", () => {
    const t = formToTable({ budgetExecutionWeight: "5", indicators: [f({ name: "补助人数" })] }, base);
    expect(t.project).toEqual(base.project);
    expect(t.department).toEqual(base.department);
    expect(t.format).toBe("jixiao.table/v1");
    expect(t.indicators.map((i) => i.name)).toEqual(["补助人数"]);
    expect(base.indicators.length).toBeGreaterThan(1); // the base is not modified
  });

  it("drops blank rows (spare rows, rows of spaces) but keeps rows with anything in them", () => {
    const rows = [f({ name: "补助人数" }), f({}), f({ name: "  ", weight: " ", target: "\t" }), f({ core: "否" }), f({ weight: "5" })];
    expect(rows.map(isBlankRow)).toEqual([false, true, true, false, false]);
    const t = formToTable({ budgetExecutionWeight: "", indicators: rows }, base);
    expect(t.indicators).toHaveLength(3);
    expect(t.indicators.map((i) => [i.name, i.weight, i.core])).toEqual([
      ["补助人数", null, null],
      [null, null, false],
      [null, 5, null],
    ]);
  });
});

describe("unflattenForm", () => {
  it("nests indicators.N.field keys into an array of rows", () => {
    expect(
      unflattenForm([
        ["tableId", "7"],
        ["budgetExecutionWeight", "10"],
        ["indicators.0.name", "补助人数"],
        ["indicators.0.weight", "20"],
        ["indicators.1.name", "人均补助标准"],
        ["header.name", "参战参核军人生活补助"],
      ]),
    ).toEqual({
      tableId: "7",
      budgetExecutionWeight: "10",
      indicators: [{ name: "补助人数", weight: "20" }, { name: "人均补助标准" }],
      header: { name: "参战参核军人生活补助" },
    });
  });

  it("keeps the order of the indexes, whatever the order of the keys", () => {
    const out = unflattenForm([
      ["indicators.2.name", "C"],
      ["indicators.0.name", "A"],
      ["indicators.1.name", "B"],
    ]);
    expect(out.indicators).toEqual([{ name: "A" }, { name: "B" }, { name: "C" }]);
  });

  it("drops holes (a deleted middle row posted without JavaScript)", () => {
    const out = unflattenForm([
      ["indicators.0.name", "A"],
      ["indicators.3.name", "D"],
      ["indicators.7.name", "H"],
    ]);
    expect(out.indicators).toEqual([{ name: "A" }, { name: "D" }, { name: "H" }]);
  });

  it("reads FormData entries and ignores files", () => {
    const fd = new FormData();
    fd.append("indicators.0.name", "补助人数");
    fd.append("upload", new Blob(["x"]), "a.txt");
    expect(unflattenForm(fd.entries())).toEqual({ indicators: [{ name: "补助人数" }] });
  });

  it("the last value of a repeated key wins", () => {
    expect(unflattenForm([["a", "1"], ["a", "2"]])).toEqual({ a: "2" });
  });

  it("ignores __proto__, constructor and prototype keys (no prototype pollution)", () => {
    const out = unflattenForm([
      ["__proto__.polluted", "yes"],
      ["indicators.0.__proto__.polluted", "yes"],
      ["constructor.prototype.polluted", "yes"],
      ["indicators.__proto__", "yes"],
      ["prototype", "yes"],
      ["indicators.0.name", "A"],
    ]);
    expect(out).toEqual({ indicators: [{ name: "A" }] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getPrototypeOf((out.indicators as object[])[0])).toBe(Object.prototype);
  });

  it("does not write into inherited members such as toString", () => {
    const out = unflattenForm([
      ["toString.polluted", "yes"],
      ["indicators.0.valueOf.polluted", "yes"],
      ["indicators.0.name", "A"],
    ]);
    expect((Object.prototype.toString as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype.valueOf as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect((out.indicators as Record<string, unknown>[])[0].name).toBe("A");
  });

  it("refuses absurd indexes instead of building huge arrays", () => {
    const out = unflattenForm([
      ["indicators.0.name", "A"],
      ["indicators.100000000.name", "Z"],
    ]);
    expect(out.indicators).toEqual([{ name: "A" }]);
    expect(unflattenForm([[`indicators.${MAX_INDICATORS * 2}.name`, "ok"]]).indicators).toEqual([{ name: "ok" }]);
  });

  it("never throws on keys that clash (a value and a parent of the same name, names on an array)", () => {
    const clashes: [string, string][][] = [
      [["indicators", "x"], ["indicators.0.name", "A"]],
      [["indicators.0", "x"], ["indicators.0.name", "A"]],
      [["indicators.length", "abc"]],
      [["indicators.0.name", "A"], ["indicators.length", "abc"]],
      [["a..b", "1"], [".", "2"], ["", "3"]],
    ];
    for (const entries of clashes) {
      expect(() => unflattenForm(entries)).not.toThrow();
    }
    // Whatever comes out, the schema turns a clash into a 400, not a 500.
    const out = unflattenForm([["indicators", "x"], ["indicators.0.name", "A"]]);
    expect(editorFormSchema.safeParse(out).success).toBe(false);
  });

  it("feeds the editor schema: defaults fill what was not posted", () => {
    const out = unflattenForm([["indicators.0.name", "补助人数"], ["indicators.0.weight", "20"]]);
    const parsed = editorFormSchema.parse(out);
    expect(parsed).toEqual({ budgetExecutionWeight: "", indicators: [f({ name: "补助人数", weight: "20" })] });
  });
});

describe("zod schemas", () => {
  const long = (n: number) => "指".repeat(n);
  const errors = (schema: { safeParse: (v: unknown) => { success: boolean; error?: unknown } }, value: unknown) => {
    const r = schema.safeParse(value);
    return r.success ? {} : zodFieldErrors(r.error as never);
  };

  it.each([
    ["level1", 30, "一级指标不能超过 30 个字"],
    ["level2", 30, "二级指标不能超过 30 个字"],
    ["name", 100, "三级指标不能超过 100 个字"],
    ["weight", 20, "指标权重不能超过 20 个字"],
    ["unit", 20, "计量单位不能超过 20 个字"],
    ["target", 200, "指标值不能超过 200 个字"],
  ])("%s: %i characters pass, one more is refused in Chinese", (field, max, message) => {
    expect(indicatorFormSchema.safeParse({ [field]: long(max) }).success).toBe(true);
    expect(errors(indicatorFormSchema, { [field]: long(max + 1) })).toEqual({ [field]: message });
  });

  it("operator and core accept only their choices (or empty)", () => {
    for (const operator of ["≥", "≤", "=", ">", "<", "定性", ""]) expect(indicatorFormSchema.safeParse({ operator }).success).toBe(true);
    for (const core of ["是", "否", ""]) expect(indicatorFormSchema.safeParse({ core }).success).toBe(true);
    expect(indicatorFormSchema.safeParse({ operator: ">=" }).success).toBe(false);
    expect(indicatorFormSchema.safeParse({ core: "Y" }).success).toBe(false);
  });

  it("the table: budget-execution weight length and at most MAX_INDICATORS rows", () => {
    expect(errors(tableFormSchema, { budgetExecutionWeight: "1".repeat(21) })).toEqual({
      budgetExecutionWeight: "预算执行率权重不能超过 20 个字",
    });
    const rows = (n: number) => Array.from({ length: n }, () => ({}));
    expect(tableFormSchema.safeParse({ indicators: rows(MAX_INDICATORS) }).success).toBe(true);
    expect(errors(tableFormSchema, { indicators: rows(MAX_INDICATORS + 1) })).toEqual({ indicators: `指标不能超过 ${MAX_INDICATORS} 个` });
  });

  it("errors carry the form's own field names", () => {
    const e = errors(editorFormSchema, {
      indicators: [{ name: "补助人数" }, { name: long(101), target: long(201) }],
      header: { name: "" },
    });
    expect(e).toEqual({
      "indicators.1.name": "三级指标不能超过 100 个字",
      "indicators.1.target": "指标值不能超过 200 个字",
      "header.name": "请填写项目名称",
    });
  });

  describe("project header", () => {
    const header = { name: "参战参核军人生活补助", code: "50011021T000000052342", category: "一般性项目", budgetTotal: "25.65", budgetLocal: "25.65", budgetSuperior: "" };

    it("accepts the published header", () => {
      const r = projectHeaderFormSchema.safeParse(header);
      expect(r.success).toBe(true);
      expect(r.data).toMatchObject({ ...header, overview: "", basis: "", annualGoal: "" });
    });

    it.each<[Record<string, string>, Record<string, string>]>([
      [{ name: "   " }, { name: "请填写项目名称" }],
      [{ name: long(101) }, { name: "项目名称不能超过 100 个字" }],
      [{ code: "5001 1021" }, { code: "项目编码只能包含数字、字母和连字符" }],
      [{ code: "5".repeat(41) }, { code: "项目编码过长" }],
      [{ category: long(21) }, { category: "项目分类过长" }],
      [{ budgetTotal: "二十五" }, { budgetTotal: "当年预算须为数字（万元）" }],
      [{ budgetLocal: "-1" }, { budgetLocal: "本级安排不能为负数" }],
      [{ budgetSuperior: "5万" }, { budgetSuperior: "上级补助须为数字（万元）" }],
      [{ overview: long(2001) }, { overview: "项目概况不能超过 2000 个字" }],
      [{ basis: long(2001) }, { basis: "立项依据不能超过 2000 个字" }],
      [{ annualGoal: long(2001) }, { annualGoal: "当年绩效目标不能超过 2000 个字" }],
    ])("refuses %j", (over, expected) => {
      expect(errors(projectHeaderFormSchema, { ...header, ...over })).toEqual(expected);
    });

    it("money accepts thousands separators and trims the name and code", () => {
      const r = projectHeaderFormSchema.parse({ ...header, name: " 参战参核军人生活补助 ", code: " 50011021T000000052342 ", budgetTotal: "1,300.00" });
      expect(r.name).toBe("参战参核军人生活补助");
      expect(r.code).toBe("50011021T000000052342");
      expect(moneyToNumber(r.budgetTotal)).toBe(1300);
      expect(moneyToNumber("")).toBeNull();
      expect(moneyToNumber("25.65")).toBe(25.65);
    });
  });
});

describe("categoryChoices", () => {
  it("offers a version's own free-text 项目分类 so that saving an adjustment keeps it", () => {
    expect(categoryChoices("专项资金类")).toEqual([...PROJECT_CATEGORIES, "专项资金类"]);
    expect(categoryChoices("重点专项")).toEqual([...PROJECT_CATEGORIES]);
    expect(categoryChoices("")).toEqual([...PROJECT_CATEGORIES]);
    expect(categoryChoices(null)).toEqual([...PROJECT_CATEGORIES]);
  });
});
