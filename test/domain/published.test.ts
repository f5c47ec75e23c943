// The published tables of ../shared/published produce the findings a careful reviewer expects.
import { describe, expect, it } from "vitest";
import { checkTable, getRuleSet, type Finding } from "../../app/domain/rules";
import type { ExchangeTable } from "../../app/domain/schemas";
import { tables000, tables001, tables002 } from "./published";

const cq24 = getRuleSet("chongqing-2024")!;
const cq22 = getRuleSet("chongqing-2022")!;

const codes = (fs: Finding[]) => [...new Set(fs.map((f) => f.code))].sort();
const byName = (ts: ExchangeTable[], name: string) => {
  const t = ts.find((x) => x.project?.name === name || x.indicators.some((i) => i.name === name));
  if (!t) throw new Error(`no table ${name}`);
  return t;
};

describe("002 (綦江区 2026, full columns, 预算执行率权重 10)", () => {
  const ts = tables002();
  const findings = ts.map((t) => checkTable(t, cq24));

  it("is transcribed completely", () => {
    expect(ts).toHaveLength(16);
    expect(ts.reduce((n, t) => n + t.indicators.length, 0)).toBe(81);
    expect(ts[0].project).toMatchObject({ code: "50011021T000000052342", name: "参战参核军人生活补助", budget: { total: 25.65, local: 25.65 } });
  });
  it("every table has weights 90 + 10, enough core weight, and budget parts that add up", () => {
    for (const f of findings) {
      expect(codes(f)).not.toContain("weight_total");
      expect(codes(f)).not.toContain("core_min");
      expect(codes(f)).not.toContain("core_weight_share");
      expect(codes(f)).not.toContain("budget_split");
      expect(codes(f)).not.toContain("operator_invalid");
    }
  });
  it("「产出指标 / 效果指标」 and 「满意度指标 / 满意度指标」 are level2_mismatch warnings", () => {
    const t = byName(ts, "市中小微企业发展专项资金");
    const f = checkTable(t, cq24).filter((x) => x.code === "level2_mismatch");
    expect(f.map((x) => [x.severity, x.where.indicator, x.message])).toEqual([
      ["warning", 2, "第 3 个指标「缓解企业资金压力」：二级指标「效果指标」不属于一级指标「产出指标」（应为 数量指标、质量指标、时效指标）"],
      ["warning", 3, "第 4 个指标「企业满意度」：二级指标「满意度指标」不属于一级指标「满意度指标」（应为 服务对象满意度指标）"],
    ]);
    // 产出指标 / 安全指标 as well
    const safety = byName(ts, "电气讯等行业安全监管专项");
    expect(checkTable(safety, cq24).filter((x) => x.code === "level2_mismatch").map((x) => x.where.indicator)).toEqual([0, 2]);
  });
  it("a 成本指标 with ≥ is flagged (人均补助标准 ≥ 556 元; 专项资金及时执行率 ≥ 90%)", () => {
    const a = checkTable(byName(ts, "参战参核军人生活补助"), cq24);
    expect(a.map((f) => f.code)).toEqual(["cost_operator"]);
    expect(a[0].message).toContain("人均补助标准");
    const b = checkTable(byName(ts, "十五五工业发展规划编制"), cq24);
    expect(b.find((f) => f.code === "cost_operator")?.message).toContain("专项资金及时执行率");
  });
  it("tables without a 满意度 indicator miss a required 一级", () => {
    const missing = ts.filter((t, i) => findings[i].some((f) => f.code === "level1_required")).map((t) => t.project?.name);
    expect(missing).toEqual([
      "中小企业服务体系建设及小微企业培育专项经费",
      "“885”涉工业核心指标支撑专项",
      "绿色循环发展专项",
      "电气讯等行业行政执法经费",
      "关闭煤矿隐患排查治理",
      "十五五工业发展规划编制",
    ]);
    for (const f of findings.flat().filter((f) => f.code === "level1_required")) expect(f.message).toBe("缺少一级指标「满意度指标」");
  });
  it("clean tables stay clean", () => {
    for (const name of ["困难企业、骨干企业慰问费", "农药厂退休、退职人员生活补助", "破产关停企业遗留问题处置"]) {
      expect(checkTable(byName(ts, name), cq24)).toEqual([]);
    }
  });
});

describe("000 (万盛经开区 2022: no 预算执行率 weight, weights total 100)", () => {
  const [dept, ...projects] = tables000();
  it("project tables pass chongqing-2022 weight totals but fail chongqing-2024", () => {
    expect(projects).toHaveLength(2);
    for (const t of projects) {
      expect(checkTable(t, cq22).filter((f) => f.code === "weight_total")).toEqual([]);
      const f = checkTable(t, cq24).filter((f) => f.code === "weight_total");
      expect(f.map((x) => x.message)).toEqual(["指标权重合计 100，应为 90（100 − 预算执行率权重 10）"]);
      // and chongqing-2024 requires core indicators, which 2022 tables did not mark
      expect(checkTable(t, cq24).map((x) => x.code)).toContain("core_min");
      expect(checkTable(t, cq22).map((x) => x.code)).not.toContain("core_min");
    }
  });
  it("the 部门整体 table (履职效能, 管理效率, 服务对象满意度) normalises cleanly and totals 100", () => {
    expect(dept.indicators).toHaveLength(12);
    expect(checkTable(dept, cq22)).toEqual([]);
    expect(checkTable(dept, cq24)).toEqual([]);
  });
  it("without 一级 columns the required 一级 cannot be confirmed (one finding, not three)", () => {
    const f = checkTable(projects[0], cq22).filter((x) => x.code === "level1_required");
    expect(f).toHaveLength(1);
    expect(f[0].message).toBe("表中未填写一级指标，无法确认包含必备的一级指标：产出指标、效益指标、满意度指标");
  });
  it("satisfaction weight 5 is within the cap; no rate warnings on sensible targets", () => {
    for (const t of projects) {
      const cs = checkTable(t, cq22).map((f) => f.code);
      expect(cs).not.toContain("satisfaction_weight");
      expect(cs).not.toContain("percent_over_100");
      expect(cs).not.toContain("rate_target_low");
    }
  });
});

describe("001 (南岸区 2024: no 一级/二级, 是否核心 given)", () => {
  const ts = tables001();
  const projects = ts.filter((t) => t.kind === "project");
  it("is transcribed completely", () => {
    expect(ts).toHaveLength(8);
    expect(projects).toHaveLength(7);
    expect(projects[0].project).toMatchObject({ name: "高质量发展扶持资金", budget: { total: 1300 } });
    expect(projects[1].indicators[1]).toMatchObject({ name: "资金拨付至企业时限", operator: "≤", target: "30", unit: "个工作日" });
  });
  it("project tables pass chongqing-2024 weights and core rules (2 core, ≥ 50%)", () => {
    for (const t of projects) {
      const cs = checkTable(t, cq24).map((f) => f.code);
      for (const c of ["weight_total", "core_min", "core_weight_share", "core_satisfaction", "satisfaction_weight"]) {
        expect(cs).not.toContain(c);
      }
    }
  });
  it("but fail chongqing-2022 weight totals (90 instead of 100)", () => {
    for (const t of projects) {
      expect(checkTable(t, cq22).find((f) => f.code === "weight_total")?.message).toBe("指标权重合计 90，应为 100");
    }
  });
  it("the 部门整体 table totals 100 and passes", () => {
    expect(checkTable(ts[0], cq24)).toEqual([]);
  });
});
