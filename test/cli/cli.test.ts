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
    expect(Object.keys(out)).toEqual(["format", "ruleSet", "ok", "counts", "tables"]);
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
