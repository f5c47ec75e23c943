import { describe, expect, it } from "vitest";
import {
  BUILTIN_NAME_KEYWORDS,
  BUILTIN_RULE_SETS,
  CHECK_CODES,
  DEFAULT_SEVERITIES,
  checkTable,
  checkTables,
  getRuleSet,
  listRuleSets,
  matchesKeywords,
  parseRuleSet,
  patternToKeywords,
  ruleSetSchema,
  type CheckCode,
  type Finding,
  type RuleSet,
} from "../../app/domain/rules";
import type { ExchangeTable } from "../../app/domain/schemas";
import { cleanTable, ind, mutate } from "./fixtures";

const cq24 = getRuleSet("chongqing-2024")!;
const cq22 = getRuleSet("chongqing-2022")!;
const national = getRuleSet("national")!;

const codes = (fs: Finding[]) => fs.map((f) => f.code);
const only = (fs: Finding[], code: CheckCode) => fs.filter((f) => f.code === code);

/** Asserts the table triggers `code` (and returns those findings). */
function triggers(t: ExchangeTable, code: CheckCode, rs: RuleSet = cq24, history?: ExchangeTable[]): Finding[] {
  const fs = only(checkTable(t, rs, history), code);
  expect(fs.length, `${code} expected in ${JSON.stringify(codes(checkTable(t, rs, history)))}`).toBeGreaterThan(0);
  return fs;
}
function doesNotTrigger(t: ExchangeTable, code: CheckCode, rs: RuleSet = cq24, history?: ExchangeTable[]) {
  expect(codes(checkTable(t, rs, history))).not.toContain(code);
}

describe("the clean table", () => {
  it("has no findings under chongqing-2024 nor national", () => {
    expect(checkTable(cleanTable(), cq24)).toEqual([]);
    expect(checkTable(cleanTable(), national)).toEqual([]);
  });
  it("is a weight_total error under chongqing-2022 (no budget-execution weight there)", () => {
    const fs = only(checkTable(cleanTable(), cq22), "weight_total");
    expect(fs.map((f) => f.message)).toEqual([
      "表中预算执行率权重为 10，规则集「chongqing-2022」规定为 0",
      "指标权重合计 90，应为 100",
    ]);
  });
});

describe("each check code", () => {
  it("weight_total: Σ weights = 100 − budget-execution weight, exactly", () => {
    const t = mutate(cleanTable(), (t) => (t.indicators[0].weight = 15));
    const [f] = triggers(t, "weight_total");
    expect(f.severity).toBe("error");
    expect(f.message).toBe("指标权重合计 85，应为 90（100 − 预算执行率权重 10）");
    expect(f.where).toEqual({ table: null, indicator: null, field: "weight", line: null });
  });
  it("weight_total: decimal weights sum exactly (2.5, and 1.11 + 2.24 + 0.22 + 66.43 + 10 + 10 which floats make 90.00000000000001)", () => {
    const ws = [1.11, 2.24, 0.22, 66.43, 10, 10];
    expect(ws.reduce((a, b) => a + b)).not.toBe(90); // the float trap is real
    const t = mutate(cleanTable(), (t) => t.indicators.forEach((x, i) => (x.weight = ws[i])));
    doesNotTrigger(t, "weight_total");
    const halves = mutate(cleanTable(), (t) => {
      t.indicators[2].weight = 2.5;
      t.indicators.push(ind({ level1: "成本指标", level2: "经济成本指标", name: "其他成本", weight: 7.5, unit: "元", operator: "≤", target: "5" }));
    });
    doesNotTrigger(halves, "weight_total");
    const off = mutate(halves, (t) => (t.indicators[2].weight = 2.4));
    expect(triggers(off, "weight_total")[0].message).toBe("指标权重合计 89.9，应为 90（100 − 预算执行率权重 10）");
  });
  it("weight_total: a stated budget-execution weight other than the rule set's", () => {
    const t = mutate(cleanTable(), (t) => (t.budgetExecutionWeight = 0));
    expect(triggers(t, "weight_total")[0].message).toBe("表中预算执行率权重为 0，规则集「chongqing-2024」规定为 10");
    // null (not stated) means the rule set's weight
    doesNotTrigger(mutate(cleanTable(), (t) => (t.budgetExecutionWeight = null)), "weight_total");
  });
  it("weight_invalid: missing, zero or negative weights", () => {
    const t = mutate(cleanTable(), (t) => {
      t.indicators[0].weight = null;
      t.indicators[1].weight = 0;
      t.indicators[2].weight = -5;
    });
    const fs = triggers(t, "weight_invalid");
    expect(fs.map((f) => f.message)).toEqual([
      "第 1 个指标「补助人数」未填写指标权重",
      "第 2 个指标「每季度按时发放率」的权重 0 应为正数",
      "第 3 个指标「人均补助标准」的权重 -5 应为正数",
    ]);
    expect(fs.map((f) => f.where.indicator)).toEqual([0, 1, 2]);
    expect(only(checkTable(t, cq24), "weight_total")[0].message).toBe(
      "指标权重合计 35，应为 90（100 − 预算执行率权重 10）；另有 1 个指标未填权重",
    );
  });
  it("no_indicators / too_few_indicators", () => {
    const none = mutate(cleanTable(), (t) => (t.indicators = []));
    const [f] = triggers(none, "no_indicators");
    expect(f.severity).toBe("error");
    expect(f.message).toBe("表中没有绩效指标");
    const two = mutate(cleanTable(), (t) => (t.indicators = t.indicators.slice(0, 2)));
    const [g] = triggers(two, "too_few_indicators");
    expect(g.severity).toBe("warning");
    expect(g.message).toBe("只有 2 个绩效指标，建议至少 3 个");
    doesNotTrigger(two, "no_indicators");
    doesNotTrigger(mutate(cleanTable(), (t) => (t.indicators = t.indicators.slice(0, 3))), "too_few_indicators");
  });
  it("level1_required: each required 一级 present", () => {
    const t = mutate(cleanTable(), (t) => (t.indicators = t.indicators.filter((x) => x.level1 !== "满意度指标")));
    expect(triggers(t, "level1_required").map((f) => f.message)).toEqual(["缺少一级指标「满意度指标」"]);
    const none = mutate(cleanTable(), (t) => t.indicators.forEach((x) => (x.level1 = null)));
    expect(triggers(none, "level1_required")[0].message).toContain("表中未填写一级指标");
    // variants count: 服务对象满意度 as a 一级 is 满意度指标
    doesNotTrigger(mutate(cleanTable(), (t) => (t.indicators[5].level1 = "服务对象满意度")), "level1_required");
  });
  it("level1_unknown: a 一级 outside the taxonomy", () => {
    const t = mutate(cleanTable(), (t) => (t.indicators[0].level1 = "安全指标"));
    expect(triggers(t, "level1_unknown")[0].message).toBe("第 1 个指标「补助人数」的一级指标「安全指标」不在规则集「chongqing-2024」的分类中");
  });
  it("level2_mismatch: 二级 not under its 一级 (warning)", () => {
    const t = mutate(cleanTable(), (t) => {
      t.indicators[0].level2 = "效果指标";
      t.indicators[5].level2 = "满意度指标";
    });
    const fs = triggers(t, "level2_mismatch");
    expect(fs.map((f) => f.severity)).toEqual(["warning", "warning"]);
    expect(fs[0].message).toBe("第 1 个指标「补助人数」：二级指标「效果指标」不属于一级指标「产出指标」（应为 数量指标、质量指标、时效指标）");
    expect(fs[1].where).toMatchObject({ indicator: 5, field: "level2" });
    // 000's 服务对象满意度 / 服务对象满意度 normalises cleanly
    doesNotTrigger(
      mutate(cleanTable(), (t) => {
        t.indicators[5].level1 = "服务对象满意度";
        t.indicators[5].level2 = "服务对象满意度";
      }),
      "level2_mismatch",
    );
    // 成本指标 as a 二级 of 产出指标: old framework, accepted by chongqing-2022 only
    const legacy = mutate(cleanTable(), (t) => (t.indicators[2].level1 = "产出指标") && (t.indicators[2].level2 = "成本指标"));
    triggers(legacy, "level2_mismatch");
    doesNotTrigger(legacy, "level2_mismatch", cq22);
  });
  it("name_missing / name_duplicate", () => {
    const t = mutate(cleanTable(), (t) => {
      t.indicators[1].name = " ";
      t.indicators[3].name = "补助 人数";
    });
    expect(triggers(t, "name_missing")[0].message).toBe("第 2 个指标未填写指标名称（三级指标）");
    const [d] = triggers(t, "name_duplicate");
    expect(d.message).toBe("第 4 个指标「补助 人数」与第 1 个指标重名");
    expect(d.where.indicator).toBe(3);
  });
  it("operator_invalid: missing, unrecognised, or not allowed by the rule set", () => {
    const t = mutate(cleanTable(), (t) => {
      t.indicators[0].operator = null;
      t.indicators[0].raw = { operator: "约" };
      t.indicators[1].operator = ">";
    });
    const fs = triggers(t, "operator_invalid");
    expect(fs.map((f) => f.message)).toEqual([
      "第 1 个指标「补助人数」的指标性质「约」无法识别",
      "第 2 个指标「每季度按时发放率」的指标性质「>」不在规则集「chongqing-2024」允许的范围内（≥ ≤ = 定性）",
    ]);
    // national allows > and <
    const gt = mutate(cleanTable(), (t) => (t.indicators[1].operator = ">"));
    doesNotTrigger(gt, "operator_invalid", national);
  });
  it("target_not_numeric / target_missing", () => {
    const t = mutate(cleanTable(), (t) => {
      t.indicators[0].target = "优";
      t.indicators[4].target = null;
    });
    expect(triggers(t, "target_not_numeric")[0].message).toBe("第 1 个指标「补助人数」的指标性质为「≥」，指标值「优」不是数值");
    expect(triggers(t, "target_missing")[0].where).toMatchObject({ indicator: 4, field: "target" });
    // an inline "90%" written by hand is still numeric
    doesNotTrigger(mutate(cleanTable(), (t) => (t.indicators[3].target = "90%")), "target_not_numeric");
  });
  it("unit_missing: quantitative indicator without a unit", () => {
    const t = mutate(cleanTable(), (t) => {
      t.indicators[0].unit = null;
      t.indicators[1].unit = "其他";
    });
    const fs = triggers(t, "unit_missing");
    expect(fs.map((f) => f.where.indicator)).toEqual([0, 1]);
    expect(fs[0].message).toBe("第 1 个指标「补助人数」是定量指标，未填写计量单位");
    // 定性 without unit is fine (the clean table has one)
  });
  it("core_min: at least 2 core indicators (chongqing-2024), none nationally", () => {
    const t = mutate(cleanTable(), (t) => t.indicators.forEach((x, i) => (x.core = i === 0)));
    expect(triggers(t, "core_min")[0].message).toBe("核心指标 1 个，至少应有 2 个");
    doesNotTrigger(t, "core_min", national);
    doesNotTrigger(t, "core_min", cq22);
    const unmarked = mutate(cleanTable(), (t) => t.indicators.forEach((x) => (x.core = null)));
    expect(triggers(unmarked, "core_min")[0].message).toBe("未标注核心指标（是否核心指标），至少应有 2 个核心指标");
  });
  it("core_weight_share: core weights ≥ 50% of the indicator weight", () => {
    const t = mutate(cleanTable(), (t) => t.indicators.forEach((x, i) => (x.core = i === 0 || i === 2)));
    expect(triggers(t, "core_weight_share")[0].message).toBe("核心指标权重合计 30，占指标权重 90 的 33.33%，应不低于 50%");
    // exactly 45 of 90 is enough
    const half = mutate(cleanTable(), (t) => {
      t.indicators.forEach((x, i) => (x.core = i === 0 || i === 2));
      t.indicators[2].weight = 25;
      t.indicators[3].weight = 5;
    });
    doesNotTrigger(half, "core_weight_share");
  });
  it("core_qualitative: a core indicator may not be 定性", () => {
    const t = mutate(cleanTable(), (t) => (t.indicators[4].core = true));
    const [f] = triggers(t, "core_qualitative");
    expect(f.severity).toBe("error");
    expect(f.message).toBe("第 5 个指标「社会稳定」是定性指标，不能作为核心指标");
  });
  it("core_satisfaction: a 满意度 indicator marked core (by 一级, or by name when there is no 一级)", () => {
    const t = mutate(cleanTable(), (t) => (t.indicators[5].core = true));
    expect(triggers(t, "core_satisfaction")[0].severity).toBe("warning");
    const noLevels = mutate(t, (t) => t.indicators.forEach((x) => (x.level1 = x.level2 = null)));
    triggers(noLevels, "core_satisfaction");
  });
  it("core_all: every indicator core", () => {
    const t = mutate(cleanTable(), (t) => t.indicators.forEach((x) => (x.core = true)));
    expect(triggers(t, "core_all")[0].message).toBe("全部 6 个指标都标为核心指标，核心指标失去意义");
  });
  it("satisfaction_weight: 满意度 above 10", () => {
    const t = mutate(cleanTable(), (t) => {
      t.indicators[5].weight = 15;
      t.indicators[2].weight = 5;
    });
    expect(triggers(t, "satisfaction_weight")[0].message).toBe("满意度指标权重合计 15，超过 10");
  });
  it("level1_split: info when 一级 totals are far from 产出 50 / 效益 30 / 满意度 10", () => {
    // a missing weight disables the comparison (weight_invalid reports it)
    doesNotTrigger(mutate(cleanTable(), (t) => (t.indicators[4].weight = null)), "level1_split", national);
    // exactly 10 away from the recommendation is not "far"
    doesNotTrigger(
      mutate(cleanTable(), (t) => {
        t.indicators[0].weight = 30;
        t.indicators[3].weight = 10;
      }),
      "level1_split",
      national,
    );
    const far = mutate(cleanTable(), (t) => {
      t.indicators[0].weight = 40;
      t.indicators[3].weight = 5;
      t.indicators[4].weight = 5;
    });
    const [g] = triggers(far, "level1_split", national);
    expect(g.severity).toBe("info");
    expect(g.message).toBe("一级指标权重与建议分配相差较大：产出指标+成本指标 70（建议 50）；效益指标 10（建议 30）");
  });
  it("percent_over_100: a rate in % above 100 (but not a growth rate)", () => {
    const t = mutate(cleanTable(), (t) => (t.indicators[3].target = "175"));
    expect(triggers(t, "percent_over_100")[0].message).toBe("第 4 个指标「补助政策知晓率」是比率，指标值 175% 超过 100%");
    doesNotTrigger(mutate(cleanTable(), (t) => (t.indicators[3].target = "100")), "percent_over_100");
    doesNotTrigger(
      mutate(cleanTable(), (t) => {
        t.indicators[3].name = "产值增长率";
        t.indicators[3].target = "150";
      }),
      "percent_over_100",
    );
  });
  it("rate_target_low: a completion/timeliness rate under 80% (seen: 及时兑现比例 ≥ 10%)", () => {
    const t = mutate(cleanTable(), (t) => {
      t.indicators[1].name = "及时兑现比例";
      t.indicators[1].operator = "≥";
      t.indicators[1].target = "10";
    });
    expect(triggers(t, "rate_target_low")[0].message).toBe("第 2 个指标「及时兑现比例」的指标值 ≥10% 低于 80%，完成类比率的目标明显偏低");
    doesNotTrigger(mutate(t, (t) => (t.indicators[1].target = "80")), "rate_target_low");
    // a coverage share is not a completion rate (001: 规上工业企业专精特新覆盖率 ≥ 45%)
    doesNotTrigger(mutate(t, (t) => (t.indicators[1].name = "规上工业企业专精特新覆盖率")), "rate_target_low");
  });
  it("qualitative_scale: a 定性 target that lists a scale", () => {
    for (const scale of ["优良中低差", "是/否", "优/良/中/差"]) {
      const t = mutate(cleanTable(), (t) => (t.indicators[4].target = scale));
      expect(triggers(t, "qualitative_scale")[0].message).toBe(`第 5 个指标「社会稳定」的指标值「${scale}」列出了一组等级，应只填写预期达到的一个等级`);
    }
    doesNotTrigger(mutate(cleanTable(), (t) => (t.indicators[4].target = "优")), "qualitative_scale");
  });
  it("qualitative_unit: a 定性 indicator with a numeric unit", () => {
    const t = mutate(cleanTable(), (t) => (t.indicators[4].unit = "%"));
    expect(triggers(t, "qualitative_unit")[0].message).toBe("第 5 个指标「社会稳定」是定性指标，却填写了计量单位「%」");
    doesNotTrigger(mutate(cleanTable(), (t) => (t.indicators[4].unit = "其他")), "qualitative_unit");
  });
  it("cost_operator: a 成本指标 with ≥", () => {
    const t = mutate(cleanTable(), (t) => (t.indicators[2].operator = "≥"));
    expect(triggers(t, "cost_operator")[0].message).toBe("第 3 个指标「人均补助标准」是成本指标，指标性质却为「≥」（成本指标一般应为 ≤）");
  });
  it("budget_split: 本级安排 + 上级补助 = 当年预算 (exact)", () => {
    const t = mutate(cleanTable(), (t) => (t.project!.budget = { total: 30, local: 20, superior: 5 }));
    const [f] = triggers(t, "budget_split");
    expect(f.severity).toBe("error");
    expect(f.message).toBe("本级安排 20 + 上级补助 5 = 25 万元，与当年预算 30 万元不符");
    // only one part given and different: a warning (the other may be another fund source)
    const one = mutate(cleanTable(), (t) => (t.project!.budget = { total: 30, local: 20, superior: null }));
    const [g] = triggers(one, "budget_split");
    expect(g.severity).toBe("warning");
    expect(g.message).toContain("上级补助未填，按 0 计");
    doesNotTrigger(mutate(cleanTable(), (t) => (t.project!.budget = { total: 200, local: null, superior: 200 })), "budget_split");
    doesNotTrigger(mutate(cleanTable(), (t) => (t.project!.budget = { total: 25.65, local: null, superior: null })), "budget_split");
  });
  it("below_last_actual: a ≥ target under last year's actual of the same indicator and project", () => {
    const last = mutate(cleanTable(), (t) => {
      t.year = 2025;
      t.indicators[0].actual = "45";
      t.indicators[3].actual = "88";
    });
    const [f] = triggers(cleanTable(), "below_last_actual", cq24, [last]);
    expect(f.message).toBe("第 1 个指标「补助人数」的指标值 39 低于 2025 年实际完成值 45");
    expect(f.where).toMatchObject({ indicator: 0, field: "target" });
    // another project's history is ignored
    const other = mutate(last, (t) => (t.project!.code = "X"));
    doesNotTrigger(cleanTable(), "below_last_actual", cq24, [other]);
    doesNotTrigger(cleanTable(), "below_last_actual", cq24);
  });
  it("covers every code in DEFAULT_SEVERITIES with a test above", () => {
    // Guard: adding a code without a test makes this list (and this test) change.
    expect(CHECK_CODES).toEqual(Object.keys(DEFAULT_SEVERITIES));
    expect(CHECK_CODES.length).toBe(27);
  });
});

describe("severities per rule set", () => {
  it("can be overridden or switched off", () => {
    const t = mutate(cleanTable(), (t) => (t.indicators[2].operator = "≥"));
    const strict = { ...cq24, severities: { cost_operator: "error" as const } };
    expect(only(checkTable(t, strict), "cost_operator")[0].severity).toBe("error");
    const off = { ...cq24, severities: { cost_operator: "off" as const } };
    expect(only(checkTable(t, off), "cost_operator")).toEqual([]);
  });
});

describe("checkTables", () => {
  it("fills where.table", () => {
    const bad = mutate(cleanTable(), (t) => (t.indicators[0].weight = 15));
    const r = checkTables([cleanTable(), bad], cq24);
    expect(r[0]).toEqual([]);
    expect(r[1][0].where.table).toBe(1);
  });
});

describe("rule sets", () => {
  it("built-ins have the documented parameters", () => {
    expect(listRuleSets().map((r) => r.name)).toEqual(["national", "chongqing-2024", "chongqing-2022"]);
    expect(cq24.project.budgetExecutionWeight).toBe(10);
    expect(cq24.project.core).toEqual({ minCount: 2, minWeightShare: 0.5, allowQualitative: false });
    expect(cq22.project.budgetExecutionWeight).toBe(0);
    expect(cq22.project.core.minCount).toBe(0);
    expect(national.project.core.minCount).toBe(0);
  });
  it("round-trip through the zod schema and JSON", () => {
    for (const rs of Object.values(BUILTIN_RULE_SETS)) {
      const parsed = ruleSetSchema.parse(JSON.parse(JSON.stringify(rs)));
      expect(parsed).toEqual(rs);
    }
  });
  it("a rule set stored before scoring.totalOf existed still validates (default shownScores)", () => {
    const old: any = getRuleSet("chongqing-2024");
    delete old.scoring.totalOf;
    const r = parseRuleSet(old);
    expect(r.ok && r.ruleSet.scoring.totalOf).toBe("shownScores");
  });
  it("getRuleSet returns a copy; unknown names give null", () => {
    const a = getRuleSet("national")!;
    a.project.budgetExecutionWeight = 99;
    expect(getRuleSet("national")!.project.budgetExecutionWeight).toBe(10);
    expect(getRuleSet("nope")).toBeNull();
  });
  it("bad rule sets are rejected with clear Chinese messages naming the field", () => {
    const bad = (f: (r: any) => void) => {
      const r: any = getRuleSet("chongqing-2024");
      f(r);
      const res = parseRuleSet(r);
      expect(res.ok).toBe(false);
      return res.ok ? [] : res.errors;
    };
    expect(bad((r) => (r.project.budgetExecutionWeight = 120))).toContain("project.budgetExecutionWeight：不能超过 100");
    expect(bad((r) => (r.project.budgetExecutionWeight = 100))).toContain("project.budgetExecutionWeight：必须小于 100");
    expect(bad((r) => (r.project.core.minWeightShare = 1.5))).toContain("project.core.minWeightShare：不能大于 1");
    expect(bad((r) => (r.allowedOperators = ["≥", "约"]))[0]).toMatch(/^allowedOperators\.1：取值「约」无效，可选：≥、≤、=、>、<、定性$/);
    expect(bad((r) => (r.severities = { weight_totl: "error" }))[0]).toMatch(/^severities\.weight_totl：取值「weight_totl」无效/);
    expect(bad((r) => (r.project.requiredLevel1 = ["产出指标", "绩效指标"]))).toContain(
      "project.requiredLevel1：必备一级指标「绩效指标」不在该规则集的分类（taxonomy）中",
    );
    expect(bad((r) => (r.scoring.grades = { 优: 80, 良: 90, 中: 60 }))).toContain(
      "scoring.grades：等级分数线须满足 100 ≥ 优 > 良 > 中 ≥ 0（实为 优 80、良 90、中 60）",
    );
    expect(bad((r) => (r.scoring.qualitativeTiers.部分达成.default = 90))).toContain(
      "scoring.qualitativeTiers.部分达成：默认百分比必须在区间 [min, max] 之内",
    );
    expect(bad((r) => (r.monitoring.budget = { green: 30, yellow: 20 }))).toContain("monitoring.budget：绿灯阈值不能大于黄灯阈值");
    expect(bad((r) => (r.thresholds.rateNames.keywords = ["率", "(率+)+$"]))).toContain(
      "thresholds.rateNames.keywords.1：关键词「(率+)+$」含有正则表达式符号；关键词按普通文字匹配，请直接填写词语，多个词语用顿号分隔",
    );
    expect(bad((r) => (r.thresholds.rateNames.match = "regex"))[0]).toMatch(/^thresholds\.rateNames\.match：取值「regex」无效/);
    expect(bad((r) => (r.monitoring.progressMismatchFraction = 1.5))).toContain("monitoring.progressMismatchFraction：不能大于 1");
    expect(bad((r) => (r.weigthTotal = 90))).toContain("（规则集）：未知的字段：weigthTotal");
    expect(bad((r) => delete r.satisfaction)).toContain("satisfaction：缺少此项");
    expect(bad((r) => (r.name = "Chongqing 2024"))[0]).toBe("name：只能使用小写字母、数字、点、下划线和连字符");
  });
});

describe("name lists are keywords, never regular expressions (issue 9 item 5)", () => {
  /** A rule set as stored before keyword lists: the three regex fields instead of the lists. */
  const legacy = (patterns: { ratePattern?: string; rateExcludePattern?: string; completionRatePattern?: string }) => {
    const r: any = getRuleSet("chongqing-2024");
    delete r.thresholds.rateNames;
    delete r.thresholds.rateExcludeNames;
    delete r.thresholds.completionRateNames;
    delete r.monitoring.progressMismatchFraction;
    Object.assign(r.thresholds, {
      ratePattern: "(率|度|比例|占比|比重|比率)$",
      rateExcludePattern: "(增长率|增速|增幅|增长幅度|提升率|提高率|变化率|波动率)$",
      completionRatePattern: "(及时|按时|到位|合格|完成|达标|兑现|执行|拨付|发放|整改|办结|验收)(率|比例|比率)",
      ...patterns,
    });
    return r;
  };

  it("the built-in lists match as the old patterns did", () => {
    const { rateNames, rateExcludeNames, completionRateNames } = BUILTIN_NAME_KEYWORDS;
    expect(matchesKeywords("补助政策知晓率", rateNames)).toBe(true);
    expect(matchesKeywords("率先完成项目数", rateNames)).toBe(false);
    expect(matchesKeywords("产值增长率", rateExcludeNames)).toBe(true);
    expect(matchesKeywords("资金及时拨付比例", completionRateNames)).toBe(true);
    expect(matchesKeywords("项目验收合格率（%）", completionRateNames)).toBe(true);
    expect(matchesKeywords("规上工业企业专精特新覆盖率", completionRateNames)).toBe(false);
    expect(completionRateNames.keywords).toHaveLength(39);
  });

  it("a stored rule set's simple alternations become keyword lists, unchanged in meaning", () => {
    const r = parseRuleSet(legacy({}));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.ruleSet.thresholds.rateNames).toEqual(BUILTIN_NAME_KEYWORDS.rateNames);
    expect(r.ruleSet.thresholds.rateExcludeNames).toEqual(BUILTIN_NAME_KEYWORDS.rateExcludeNames);
    expect(r.ruleSet.thresholds.completionRateNames).toEqual(BUILTIN_NAME_KEYWORDS.completionRateNames);
    expect(r.ruleSet.monitoring.progressMismatchFraction).toBe(0.5);
    expect(r.notes[0]).toBe(
      "thresholds.ratePattern：正则表达式「(率|度|比例|占比|比重|比率)$」已转换为关键词：率、度、比例、占比、比重、比率（名称以其中任一结尾）",
    );
    expect(r.notes).toHaveLength(3);
    const edited = parseRuleSet(legacy({ ratePattern: "(率|比例)$", completionRatePattern: "到位率" }));
    expect(edited.ok && edited.ruleSet.thresholds.rateNames).toEqual({ match: "endsWith", keywords: ["率", "比例"] });
    expect(edited.ok && edited.ruleSet.thresholds.completionRateNames).toEqual({ match: "contains", keywords: ["到位率"] });
  });

  it("patternToKeywords converts only plain word alternations", () => {
    expect(patternToKeywords("率$")).toEqual({ match: "endsWith", keywords: ["率"] });
    expect(patternToKeywords("(?:及时|按时)(率|比例)")).toEqual({ match: "contains", keywords: ["及时率", "及时比例", "按时率", "按时比例"] });
    for (const src of ["(率+)+$", "^率", "(a|(b))", "[率度]$", ".*率", "(率", "率{2}", "\\d+率", "", "(|率)"]) {
      expect(patternToKeywords(src), src).toBeNull();
    }
  });

  it("(率+)+$ is never run: the built-in list applies, and a long name is checked at once", () => {
    const r = parseRuleSet(legacy({ ratePattern: "(率+)+$" }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.notes[0]).toBe(
      "thresholds.ratePattern：正则表达式「(率+)+$」不是简单的词语列表，未执行；已改用内置关键词：率、度、比例、占比、比重、比率（名称以其中任一结尾）",
    );
    expect(r.ruleSet.thresholds.rateNames).toEqual(BUILTIN_NAME_KEYWORDS.rateNames);
    expect(JSON.stringify(r.ruleSet)).not.toMatch(/Pattern/);
    // The name that makes (率+)+$ backtrack exponentially: 率 repeated, then one other character.
    const t = mutate(cleanTable(), (t) => {
      t.indicators[3].name = `${"率".repeat(200_000)}x`;
      t.indicators[1].name = "率".repeat(200_000);
      t.indicators[1].target = "150";
    });
    const started = performance.now();
    const findings = checkTable(t, r.ruleSet);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(only(findings, "percent_over_100").map((f) => f.where.indicator)).toEqual([1]);
  });

  it("a rule set with both a list and its old pattern keeps the list and says so", () => {
    const r: any = getRuleSet("national");
    r.thresholds.ratePattern = "(率+)+$";
    const res = parseRuleSet(r);
    expect(res.ok && res.ruleSet.thresholds.rateNames).toEqual(BUILTIN_NAME_KEYWORDS.rateNames);
    expect(res.ok && res.notes).toEqual(["thresholds.ratePattern：已有 rateNames，旧的正则表达式「(率+)+$」已忽略"]);
  });

  it("edited lists apply at once", () => {
    const rs = { ...cq24, thresholds: { ...cq24.thresholds, rateNames: { match: "contains" as const, keywords: ["知晓"] } } };
    const t = mutate(cleanTable(), (t) => (t.indicators[3].target = "175"));
    expect(only(checkTable(t, rs), "percent_over_100")).toHaveLength(1);
    const none = { ...cq24, thresholds: { ...cq24.thresholds, rateNames: { match: "endsWith" as const, keywords: [] } } };
    expect(only(checkTable(t, none), "percent_over_100")).toEqual([]);
  });
});
