import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../app/cli/main";
import { ruleSetSchema, getRuleSet } from "../../app/domain/rules";
import { cleanTable, mutate } from "../domain/fixtures";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-cli-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, data: unknown): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, typeof data === "string" ? data : JSON.stringify(data));
  return p;
}

async function run(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: (t) => (stdout += `${t}\n`),
    stderr: (t) => (stderr += `${t}\n`),
    readFile: (p) => fs.readFileSync(p, "utf8"),
  });
  return { code, stdout, stderr };
}

const bad = mutate(cleanTable(), (t) => (t.indicators[0].weight = 15));
const evaluated = mutate(cleanTable(), (t) => {
  t.evaluation = { budgetInitial: 100, budgetAnnual: 100, budgetExecuted: 95 };
  const actual = ["39", "100", "500", "90", "达成", "92"];
  t.indicators.forEach((x, i) => (x.actual = actual[i]));
});

describe("jixiao check", () => {
  it("exit 0 and a Chinese report for a clean table", async () => {
    const r = await run("check", file("clean.json", cleanTable()), "--rules", "chongqing-2024");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("规则集：chongqing-2024（重庆市（2024 年起））");
    expect(r.stdout).toContain("表 1：50011021T000000052342-参战参核军人生活补助（项目，2026 年）");
    expect(r.stdout).toContain("✓ 未发现问题");
  });
  it("exit 1 when any error finding; the message names the numbers", async () => {
    const r = await run("check", file("bad.json", { tables: [cleanTable(), bad] }), "--rules", "chongqing-2024");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ 错误 [weight_total] 指标权重合计 85，应为 90（100 − 预算执行率权重 10）");
    expect(r.stdout).toContain("共 2 张表，1 张有错误：错误 1 个");
  });
  it("warnings alone exit 0", async () => {
    const warn = mutate(cleanTable(), (t) => (t.indicators[2].operator = "≥"));
    expect((await run("check", file("warn.json", warn))).code).toBe(0);
  });
  it("--json: stable keys; findings have exactly severity, code, message, where", async () => {
    const r = await run("check", file("arr.json", [cleanTable(), bad]), "--rules", "chongqing-2024", "--json");
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(["format", "ruleSet", "ok", "counts", "warnings", "tables"]);
    expect(out).toMatchObject({ format: "jixiao.check/v1", ruleSet: "chongqing-2024", ok: false, counts: { error: 1, warning: 0, info: 0 } });
    expect(out.tables).toHaveLength(2);
    expect(Object.keys(out.tables[1])).toEqual(["table", "kind", "year", "project", "department", "source", "counts", "findings"]);
    expect(out.tables[0].findings).toEqual([]);
    expect(out.tables[1].findings).toEqual([
      {
        severity: "error",
        code: "weight_total",
        message: "指标权重合计 85，应为 90（100 − 预算执行率权重 10）",
        where: { table: 1, indicator: null, field: "weight", line: null },
      },
    ]);
  });
  it("defaults to the national rule set", async () => {
    const out = JSON.parse((await run("check", file("one.json", cleanTable()), "--json")).stdout);
    expect(out.ruleSet).toBe("national");
  });
  it("accepts a rule-set file and rejects a bad one clearly (exit 2)", async () => {
    const rs = getRuleSet("chongqing-2022")!;
    const good = await run("check", file("clean2.json", cleanTable()), "--rules", file("rs.json", rs), "--json");
    expect(JSON.parse(good.stdout).ruleSet).toBe("chongqing-2022");
    const broken = await run("check", file("clean3.json", cleanTable()), "--rules", file("rs-bad.json", { ...rs, project: { ...rs.project, budgetExecutionWeight: -1 } }));
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("无效");
    expect(broken.stderr).toContain("project.budgetExecutionWeight：不能为负数");
  });
  it("usage and input errors exit 2 with a Chinese message", async () => {
    expect((await run("check")).code).toBe(2);
    const unknown = await run("check", file("c.json", cleanTable()), "--rules", "nowhere");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("没有名为「nowhere」的规则集");
    const notTable = await run("check", file("x.json", { foo: 1 }));
    expect(notTable.code).toBe(2);
    expect(notTable.stderr).toContain("不是有效的交换格式");
    const notJson = await run("check", file("x.json", "{oops"));
    expect(notJson.code).toBe(2);
    expect((await run("frobnicate")).code).toBe(2);
    expect((await run("check", "--bogus")).code).toBe(2);
  });
});

describe("jixiao score", () => {
  it("--json: total (2 decimals), grade, budget part and one entry per indicator", async () => {
    const r = await run("score", file("eval.json", evaluated), "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.format).toBe("jixiao.score/v1");
    const t = out.tables[0];
    // budget 9.5; 补助人数 20, 发放率 20, 人均 10, 知晓率 20, 定性 10, 满意度 10 → 99.5
    expect(t.total).toBe(99.5);
    expect(t.totalText).toBe("99.50");
    expect(t.grade).toBe("优");
    expect(t.budget).toMatchObject({ weight: 10, rate: 95, score: 9.5 });
    expect(t.indicators).toHaveLength(6);
    expect(Object.keys(t.indicators[0])).toEqual([
      "index", "name", "operator", "target", "actual", "unit", "weight", "applicable", "score", "tier", "percent", "formula", "flags", "explanationRequired",
    ]);
    expect(t.indicators.map((x: any) => x.score)).toEqual([20, 20, 10, 20, 10, 10]);
  });
  it("human report", async () => {
    const r = await run("score", file("eval2.json", { tables: [evaluated] }));
    expect(r.stdout).toContain("总分 99.50，等级「优」");
    expect(r.stdout).toContain("预算执行率（权重 10）：执行率 = 95 ÷ 100 = 95.00%");
  });
});

describe("jixiao rules", () => {
  it("lists the built-ins", async () => {
    const r = await run("rules");
    expect(r.code).toBe(0);
    for (const n of ["national", "chongqing-2024", "chongqing-2022"]) expect(r.stdout).toContain(n);
  });
  it("prints one rule set as JSON that validates against the schema", async () => {
    const r = await run("rules", "chongqing-2024");
    expect(r.code).toBe(0);
    const rs = ruleSetSchema.parse(JSON.parse(r.stdout));
    expect(rs.project.core.minCount).toBe(2);
  });
});

describe("bin/jixiao.js", () => {
  it("runs the real command line and sets the exit code", () => {
    const root = path.resolve(__dirname, "../..");
    const p = spawnSync(process.execPath, [path.join(root, "bin/jixiao.js"), "check", file("bin.json", bad), "--rules", "chongqing-2024", "--json"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(p.status).toBe(1);
    expect(JSON.parse(p.stdout).counts.error).toBe(1);
  });
});

describe("exchange JSON written by people (issue 9 item 11)", () => {
  /** cleanTable without every key that may be null (they read as null). */
  const sparse = (t: any = cleanTable()) => {
    for (const k of ["financeOffice", "overview", "basis", "schedule", "measures", "midTermGoal", "annualGoal", "category"]) delete t.project[k];
    delete t.department;
    delete t.year;
    for (const x of t.indicators) delete x.level2;
    return t;
  };

  it("check: omitted nullable keys are null, the table is checked as usual", async () => {
    const r = await run("check", file("sparse.json", sparse()), "--rules", "national");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("表 1：50011021T000000052342-参战参核军人生活补助（项目）");
    expect(r.stdout).toContain("✓ 未发现问题");
    const out = JSON.parse((await run("check", file("sparse2.json", [sparse()]), "--json")).stdout);
    expect(out.tables[0]).toMatchObject({ year: null, department: null, findings: [] });
    // Even the whole project header and the budget-execution weight may be left out.
    const bare = { format: "jixiao.table/v1", kind: "project", indicators: [{ name: "补助人数", weight: 90, unit: "人", operator: "≥", target: "39" }] };
    const b = await run("check", file("bare.json", bare), "--json");
    expect(b.code).toBe(1);
    expect(JSON.parse(b.stdout).tables[0].findings.map((f: any) => f.code)).toEqual(["too_few_indicators", "level1_required"]);
  });

  it("score: a sparse evaluated table scores as the full one", async () => {
    const full = JSON.parse((await run("score", file("e-full.json", evaluated), "--json")).stdout).tables[0];
    const r = await run("score", file("e-sparse.json", sparse(JSON.parse(JSON.stringify(evaluated)))), "--json");
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout).tables[0];
    expect(t.total).toBe(full.total);
    expect(t.indicators.map((x: any) => x.score)).toEqual(full.indicators.map((x: any) => x.score));
    expect(t.issues).toEqual([]);
  });

  it("unknown keys are ignored with a warning (check, score), in the table or the file", async () => {
    const t: any = cleanTable();
    t.project.financeOfice = { code: "1", name: "x" };
    t.indicators[1].nmae = "typo";
    t.colour = "red";
    const data = { tables: [t], generator: "by hand" };
    const r = await run("check", file("unknown.json", data), "--rules", "chongqing-2024", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.warnings).toEqual([
      { severity: "warning", code: "unknown_key", message: "未知的字段「generator」，已忽略", where: { table: null, indicator: null, field: "generator", line: null } },
    ]);
    expect(out.counts).toEqual({ error: 0, warning: 3, info: 0 });
    expect(out.tables[0].findings).toEqual([
      { severity: "warning", code: "unknown_key", message: "未知的字段「project.financeOfice」，已忽略", where: { table: 0, indicator: null, field: "project.financeOfice", line: null } },
      { severity: "warning", code: "unknown_key", message: "未知的字段「indicators.1.nmae」，已忽略", where: { table: 0, indicator: 1, field: "indicators.1.nmae", line: null } },
      { severity: "warning", code: "unknown_key", message: "未知的字段「colour」，已忽略", where: { table: 0, indicator: null, field: "colour", line: null } },
    ]);
    const human = await run("check", file("unknown2.json", data), "--rules", "chongqing-2024");
    expect(human.stdout).toContain("! 警告 [unknown_key] 文件：未知的字段「generator」，已忽略");
    expect(human.stdout).toContain("! 警告 [unknown_key] 未知的字段「indicators.1.nmae」，已忽略");
    const score = JSON.parse((await run("score", file("unknown3.json", { ...evaluated, extra: 1 }), "--json")).stdout);
    expect(score.tables[0].issues).toEqual([
      { severity: "warning", code: "unknown_key", message: "未知的字段「extra」，已忽略", where: { table: 0, indicator: null, field: "extra", line: null } },
    ]);
    expect(score.tables[0].complete).toBe(true);
  });

  it("format, kind and indicators stay required, and wrong values are still refused (exit 2), in Chinese", async () => {
    const r = await run("check", file("req.json", [{ kind: "project" }, { ...cleanTable(), kind: "budget" }, mutate(cleanTable(), (t: any) => (t.indicators[0].weight = "ten"))]));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("0.format：缺少此项");
    expect(r.stderr).toContain("0.indicators：缺少此项");
    expect(r.stderr).toContain("1.kind：取值「budget」无效，可选：project、department");
    expect(r.stderr).toContain("2.indicators.0.weight：应为数字，实为文字");
  });
});

/** A table with a monitoring entry: Q2 (序时进度 50%), budget 100 of which 50 spent, three rows. */
function monitored(over: { monitoring?: any; monitors?: any[] } = {}) {
  const t: any = cleanTable();
  t.monitoring = { period: "Q2", budgetAnnual: 100, budgetExecuted: 50, ...over.monitoring };
  const base = [
    { actual: "30", projected: "39", likelihood: "确定能" },
    { actual: "100", projected: "100", likelihood: "确定能" },
    { actual: "300", projected: "556", likelihood: "确定能" },
    { actual: "90", projected: "92", likelihood: "确定能" },
    { actual: "稳定", likelihood: "确定能" },
    { actual: "90", projected: "95", likelihood: "确定能" },
  ];
  t.indicators.forEach((x: any, i: number) => (x.monitor = over.monitors?.[i] === undefined ? base[i] : over.monitors[i]));
  return t;
}

describe("jixiao monitor", () => {
  const json = async (name: string, data: unknown, ...args: string[]) => {
    const r = await run("monitor", file(name, data), "--json", ...args);
    return { code: r.code, out: JSON.parse(r.stdout), stderr: r.stderr };
  };

  it("--json: the documented shape (jixiao.monitor/v1), exit 0 when complete", async () => {
    const { code, out } = await json("mon.json", monitored());
    expect(code).toBe(0);
    expect(Object.keys(out)).toEqual(["format", "ruleSet", "warnings", "tables"]);
    expect(out).toMatchObject({ format: "jixiao.monitor/v1", ruleSet: "national", warnings: [] });
    const t = out.tables[0];
    expect(Object.keys(t)).toEqual(["table", "project", "period", "timeProgress", "budget", "indicators", "counts", "complete", "issues"]);
    expect(t).toMatchObject({
      table: 0,
      project: { code: "50011021T000000052342", name: "参战参核军人生活补助" },
      period: "Q2",
      timeProgress: 50,
      counts: { green: 6, yellow: 0, red: 0, none: 0 },
      complete: true,
      issues: [],
    });
    expect(t.budget).toEqual({
      annual: 100,
      executed: 50,
      rate: 50,
      gap: 0,
      light: "green",
      message: "执行率 50.00%，序时进度 50.00%，快于序时进度 0.00 个百分点：绿灯",
      missing: [],
    });
    expect(Object.keys(t.indicators[0])).toEqual(["index", "name", "light", "message", "missing"]);
    expect(t.indicators[0]).toEqual({ index: 0, name: "补助人数", light: "green", message: "预计 39，目标 ≥39：绿灯", missing: [] });
    expect(t.indicators[4]).toMatchObject({ name: "社会稳定", light: "green" });
  });

  it("budget light at gap exactly 10 and 20 (Q2: 序时进度 50%)", async () => {
    for (const [executed, gap, light] of [[40, 10, "green"], [39.99, 10.01, "yellow"], [30, 20, "yellow"], [29.99, 20.01, "red"], [80, -30, "green"]] as const) {
      const reason = light === "green" ? {} : { reason: "资金晚到", measures: "加快支付" };
      const { code, out } = await json(`gap-${executed}.json`, monitored({ monitoring: { budgetExecuted: executed, ...reason } }));
      expect(out.tables[0].budget, String(executed)).toMatchObject({ gap, light });
      expect(code).toBe(0);
    }
  });

  it("indicator lights at the target and 10% off, for ≥, ≤ and =", async () => {
    const entry = (projected: string) => ({ actual: "1", projected, likelihood: "确定能", reasons: ["其他"], reasonText: "说明", measures: "措施" });
    // row 0: ≥39, row 2: ≤556, row 1: =100
    const cases: Array<[number, string, string]> = [
      [0, "39", "green"], [0, "35.1", "yellow"], [0, "35.09", "red"],
      [2, "556", "green"], [2, "611.6", "yellow"], [2, "611.61", "red"],
      [1, "100", "green"], [1, "90", "yellow"], [1, "110", "yellow"], [1, "89.99", "red"],
    ];
    for (const [row, projected, light] of cases) {
      const monitors: any[] = [];
      monitors[row] = entry(projected);
      const { out } = await json(`ind-${row}-${projected}.json`, monitored({ monitors }));
      expect(out.tables[0].indicators[row].light, `${row} ${projected}`).toBe(light);
    }
  });

  it("every required field is named by its input key; exit 1 while anything is missing", async () => {
    const { code, out } = await json(
      "missing.json",
      monitored({
        monitoring: { budgetExecuted: 10 },
        monitors: [
          { actual: "30", projected: "20", likelihood: "有可能" },
          {},
          null,
          { actual: "300", projected: "556", likelihood: "确定能", reasons: ["其他"] },
          { likelihood: "确定能" },
          { actual: "约90", projected: "95", likelihood: "确定能" },
        ],
      }),
    );
    expect(code).toBe(1);
    const t = out.tables[0];
    expect(t.complete).toBe(false);
    expect(t.budget).toMatchObject({ light: "red", missing: ["reason", "measures"] });
    expect(t.indicators.map((x: any) => x.missing)).toEqual([
      ["reasons", "reasonText", "measures"],
      ["actual", "projected", "likelihood"],
      ["actual", "projected", "likelihood"],
      ["reasonText"],
      ["actual"],
      ["actual"],
    ]);
    expect(t.counts).toEqual({ green: 3, yellow: 0, red: 1, none: 2 });
    const missing = t.issues.filter((i: any) => i.code === "missing");
    expect(missing[0]).toEqual({
      severity: "error",
      code: "missing",
      message: "预算执行：预算执行红灯，须说明偏差原因",
      where: { table: 0, indicator: null, field: "monitoring.reason", line: null },
    });
    expect(missing.find((i: any) => i.where.indicator === 5)).toMatchObject({
      message: "第 6 个指标「受益人群满意度」：截至本期完成值「约90」不是数字",
      where: { field: "indicators.5.monitor.actual" },
    });
  });

  it("a table without a monitoring block: period and budget are missing, lights of the rows still shown", async () => {
    const t: any = monitored();
    delete t.monitoring;
    t.project.budget = { total: null, local: null, superior: null };
    const { code, out } = await json("nomon.json", t);
    expect(code).toBe(1);
    const r = out.tables[0];
    expect(r).toMatchObject({ period: null, timeProgress: null, budget: { annual: null, executed: null, rate: null, gap: null, light: null, missing: ["budgetAnnual", "budgetExecuted"] } });
    expect(r.counts.green).toBe(6);
    expect(r.issues.map((i: any) => i.code)).toEqual(["period_missing", "missing", "missing"]);
  });

  it("全年预算数 defaults to the table's budget; periods as codes, months or month text; a period the rule set lacks is a warning", async () => {
    const t: any = monitored({ monitoring: { budgetAnnual: undefined, budgetExecuted: 0.15, period: "h1" } });
    const { out } = await json("default-budget.json", t);
    expect(out.tables[0]).toMatchObject({ period: "H1", budget: { annual: 0.3, executed: 0.15, rate: 50, light: "green" } });
    expect(out.tables[0].issues).toEqual([
      { severity: "info", code: "budget_from_table", message: "全年预算数未填，按表中预算 0.3 万元计", where: { table: 0, indicator: null, field: "monitoring.budgetAnnual", line: null } },
    ]);
    expect((await json("month.json", monitored({ monitoring: { period: "9", budgetExecuted: 75 } }))).out.tables[0]).toMatchObject({ period: 9, timeProgress: 75 });
    const m7 = await json("m7.json", monitored({ monitoring: { period: "M7", budgetExecuted: 60 } }));
    expect(m7.out.tables[0].timeProgress).toBe(58.33);
    expect(m7.out.tables[0].issues[0]).toMatchObject({ severity: "warning", code: "period_not_allowed", message: "规则集「national」未设监控期间「M7」（可选：Q1、Q2、Q3、Q4、H1）" });
    expect(m7.code).toBe(0);
    const bad = await run("monitor", file("badperiod.json", monitored({ monitoring: { period: 13 } })));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("monitoring.period：月份应为 1–12");
    const word = await run("monitor", file("badperiod2.json", monitored({ monitoring: { period: "上半年" } })));
    expect(word.stderr).toContain("monitoring.period：应为 Q1–Q4、H1、M7 或月份 1–12");
  });

  it("「进度与预计不符」 is a warning: the entry stays complete", async () => {
    const monitors: any[] = [{ actual: "9", projected: "39", likelihood: "确定能" }];
    const { code, out } = await json("mismatch.json", monitored({ monitors }));
    expect(code).toBe(0);
    expect(out.tables[0].complete).toBe(true);
    expect(out.tables[0].issues).toEqual([
      {
        severity: "warning",
        code: "progress_mismatch",
        message:
          "第 1 个指标「补助人数」：进度与预计不符：截至本期完成 9 人，不到 目标 39 人 × 序时进度 50% × 50% = 9.75 人，全年预计完成值却为 39 人（达到目标 ≥39）。请核实截至本期完成值和全年预计完成值",
        where: { table: 0, indicator: 0, field: "indicators.0.monitor.actual", line: null },
      },
    ]);
    // The rule set's fraction applies (a rule-set file may set it; 0 turns it off).
    const rs: any = getRuleSet("national");
    rs.monitoring.progressMismatchFraction = 0;
    expect((await json("mismatch2.json", monitored({ monitors }), "--rules", file("rs-off.json", rs))).out.tables[0].issues).toEqual([]);
  });

  it("human report in Chinese", async () => {
    const r = await run("monitor", file("mon-h.json", { tables: [monitored(), monitored({ monitoring: { budgetExecuted: 20 } })] }));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("规则集：national（全国通用（财政部指引））");
    expect(r.stdout).toContain("  监控期间：第二季度（1–6月），序时进度 50.00%");
    expect(r.stdout).toContain("  预算执行：全年预算 100 万元，截至本期执行 20 万元 —— 执行率 20.00%，序时进度 50.00%，落后 30.00 个百分点：红灯");
    expect(r.stdout).toContain("  指标：绿灯 6 个，黄灯 0 个，红灯 0 个，无灯 0 个");
    expect(r.stdout).toContain("  1. 补助人数：绿灯 —— 预计 39，目标 ≥39：绿灯");
    expect(r.stdout).toContain("  ✗ 错误 [missing] 预算执行：预算执行红灯，须说明偏差原因");
    expect(r.stdout).toContain("  ✓ 填报完整，可以提交监控");
    expect(r.stdout).toContain("  ✗ 填报不完整，不能提交监控");
    expect(r.stdout).toContain("共 2 张表，1 张填报不完整。");
  });

  it("input errors exit 2", async () => {
    expect((await run("monitor")).code).toBe(2);
    expect((await run("monitor", file("m-notjson.json", "{oops"))).code).toBe(2);
    const bad = await run("monitor", file("m-bad.json", monitored({ monitors: [{ likelihood: "大概" }] })));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("indicators.0.monitor.likelihood：取值「大概」无效，可选：确定能、有可能、完全不可能");
  });
});

describe("rule-set files of the regex era (issue 9 item 5)", () => {
  it("are converted, never run, and the CLI says so on stderr", async () => {
    const rs: any = getRuleSet("national");
    delete rs.thresholds.rateNames;
    rs.thresholds.ratePattern = "(率+)+$";
    const t = mutate(cleanTable(), (t) => {
      t.indicators[3].name = `${"率".repeat(100_000)}x`;
    });
    const r = await run("check", file("redos.json", t), "--rules", file("rs-legacy.json", rs), "--json");
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("thresholds.ratePattern：正则表达式「(率+)+$」不是简单的词语列表，未执行；已改用内置关键词");
  });
});
