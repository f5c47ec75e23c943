// The rule-set page's form ⇄ RuleSet conversion (app/domain/rule-set-form.ts): a rule set
// survives form → rule set → form, the form shows the defaults, and what cannot be
// converted is refused with a Chinese message at its field.
import { describe, expect, it } from "vitest";
import { BUILTIN_RULE_SETS, DEFAULT_SEVERITIES, getRuleSet, parseRuleSet, type RuleSet } from "../../app/domain/rules";
import {
  errorsByPath,
  formValuesOf,
  labelOf,
  parseTaxonomyText,
  ruleSetFromForm,
  ruleSetToForm,
  type FormValues,
} from "../../app/domain/rule-set-form";

const identity = { name: "wansheng-2024", region: "wansheng", year: 2024 };

/** Form → rule set, validated as saveRuleSet does. */
function toRuleSet(v: FormValues): RuleSet {
  const { input, errors } = ruleSetFromForm(v, identity);
  expect(errors).toEqual({});
  const parsed = parseRuleSet(input);
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  return parsed.ruleSet;
}

/** A rule set that uses every part of the form away from its default. */
function customised(): RuleSet {
  const rs = getRuleSet("chongqing-2024")!;
  return {
    ...rs,
    ...identity,
    title: "万盛 2024 年",
    description: "本地区规则",
    level1Split: { tolerance: 5, groups: [{ level1: ["产出指标"], weight: 50 }, { level1: ["效益指标", "满意度指标"], weight: 40 }] },
    thresholds: { ...rs.thresholds, rateNames: { match: "contains", keywords: ["率", "比例"] }, percentMax: 120 },
    severities: { level1_split: "off", budget_split: "warning", core_all: "error" },
    project: { ...rs.project, core: { ...rs.project.core, minWeightShare: 0.35, allowQualitative: true } },
  };
}

describe("round trip", () => {
  it.each(Object.keys(BUILTIN_RULE_SETS))("built-in %s: rule set → form → rule set is the same rule set", (name) => {
    const rs = { ...getRuleSet(name)!, ...identity };
    expect(toRuleSet(ruleSetToForm(rs))).toEqual(rs);
  });

  it("a customised rule set (split groups, keywords, shares, severities) survives, and its form too", () => {
    const rs = customised();
    const form = ruleSetToForm(rs);
    const back = toRuleSet(form);
    expect(back).toEqual(rs);
    expect(ruleSetToForm(back)).toEqual(form);
  });

  it("shares are shown as percentages and read back exactly (0.35 ↔ 35, no float drift)", () => {
    const form = ruleSetToForm(customised());
    expect(form["project.core.minWeightShare"]).toBe("35");
    expect(toRuleSet({ ...form, "project.core.minWeightShare": "33.3" }).project.core.minWeightShare).toBe(0.333);
  });

  it("the taxonomy is edited as lines 「一级：二级、二级」", () => {
    const rs = getRuleSet("national")!;
    const text = ruleSetToForm(rs)["project.taxonomy"] as string;
    expect(text.split("\n")[0]).toMatch(/^产出指标：数量指标、/);
    expect(parseTaxonomyText(text)).toEqual({ value: rs.project.taxonomy });
  });
});

describe("defaults", () => {
  it("without a 一级 split, the form offers it switched off with a tolerance of 10", () => {
    const form = ruleSetToForm({ ...getRuleSet("chongqing-2024")!, level1Split: null });
    expect(form["level1Split.enabled"]).toBeUndefined();
    expect(form["level1Split.tolerance"]).toBe("10");
  });

  it("every check shows its severity, the default when the rule set keeps it", () => {
    const form = ruleSetToForm(customised());
    expect(form["severities.weight_total"]).toBe(DEFAULT_SEVERITIES.weight_total);
    expect(form["severities.core_all"]).toBe("error");
    expect(form["severities.level1_split"]).toBe("off");
  });

  it("only severities that differ from the default are stored", () => {
    const form = { ...ruleSetToForm(getRuleSet("chongqing-2024")!), "severities.weight_total": "error", "severities.core_all": "info" };
    expect(ruleSetFromForm(form, identity).input.severities).toEqual({ core_all: "info" });
  });

  it("empty split rows are dropped and errors go back to the row they came from", () => {
    const form: FormValues = {
      ...ruleSetToForm(customised()),
      "level1Split.groups.1.level1": "",
      "level1Split.groups.1.weight": "",
      "level1Split.groups.2.level1": "效益指标",
      "level1Split.groups.2.weight": "40",
    };
    const { input, groupMap } = ruleSetFromForm(form, identity);
    expect(input.level1Split?.groups).toEqual([
      { level1: ["产出指标"], weight: 50 },
      { level1: ["效益指标"], weight: 40 },
    ]);
    expect(groupMap).toEqual([0, 2]);
    expect(errorsByPath(["level1Split.groups.1.weight：不能为负数", "（规则集）：整体错误"], groupMap)).toEqual({
      errors: { "level1Split.groups.2.weight": ["不能为负数"] },
      formErrors: ["整体错误"],
    });
  });

  it("submitted fields: repeated names become lists, checkbox groups are always lists", () => {
    const v = formValuesOf([
      ["title", "甲"],
      ["allowedOperators", "≥"],
      ["monitoring.periods", "Q1"],
      ["monitoring.periods", "Q2"],
      ["attachment", new Blob(["x"])],
    ]);
    expect(v).toMatchObject({ title: "甲", allowedOperators: ["≥"], "monitoring.periods": ["Q1", "Q2"], attachment: "" });
    expect(v["project.requiredLevel1"]).toEqual([]);
  });
});

describe("invalid input: Chinese messages at the field", () => {
  const base = () => ruleSetToForm(getRuleSet("chongqing-2024")!);
  const errorsOf = (over: FormValues) => ruleSetFromForm({ ...base(), ...over }, identity).errors;

  it("numbers", () => {
    expect(errorsOf({ "satisfaction.maxWeight": "" })).toEqual({ "satisfaction.maxWeight": ["请填写"] });
    expect(errorsOf({ "satisfaction.maxWeight": "十" })).toEqual({ "satisfaction.maxWeight": ["「十」不是数字"] });
    expect(errorsOf({ "project.minIndicators": "2.5" })).toEqual({ "project.minIndicators": ["应为整数"] });
    expect(errorsOf({ "project.core.minWeightShare": "120" })).toEqual({ "project.core.minWeightShare": ["应在 0–100 之间"] });
    expect(errorsOf({ "scoring.overAchievementThreshold": "-5" })).toEqual({ "scoring.overAchievementThreshold": ["不能为负数"] });
  });

  it("an empty optional share is no rule, not an error", () => {
    const { input, errors } = ruleSetFromForm({ ...base(), "project.core.minWeightShare": "" }, identity);
    expect(errors).toEqual({});
    expect(input.project.core.minWeightShare).toBeNull();
  });

  it("the title and the taxonomy", () => {
    expect(errorsOf({ title: "  " })).toEqual({ title: ["请填写名称"] });
    expect(errorsOf({ "project.taxonomy": "产出指标：数量指标\n效益指标" })).toEqual({
      "project.taxonomy": ["第 2 行应写作「一级指标：二级指标、二级指标」"],
    });
    expect(errorsOf({ "department.taxonomy": "产出指标：数量指标\n产出指标：质量指标" })).toEqual({
      "department.taxonomy": ["第 2 行：一级指标「产出指标」重复"],
    });
    expect(errorsOf({ "project.taxonomy": "\n \n" })).toEqual({ "project.taxonomy": ["至少填写一个一级指标"] });
  });

  it("what conversion lets through, parseRuleSet refuses with the field's path and a label for it", () => {
    const { input } = ruleSetFromForm({ ...base(), "satisfaction.maxWeight": "150" }, identity);
    const parsed = parseRuleSet(input);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const { errors } = errorsByPath(parsed.errors, []);
    expect(errors).toEqual({ "satisfaction.maxWeight": ["不能超过 100"] });
    expect(labelOf("satisfaction.maxWeight")).toBe("满意度指标权重上限（分）");
    expect(labelOf("level1Split.groups.2.weight")).toBe("一级指标建议权重 · 第 3 组 · 权重");
    expect(labelOf("severities.core_all")).toBe("严重程度 · 全部指标都标为核心指标");
  });
});
