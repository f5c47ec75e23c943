// `jixiao score` on an exported evaluation (docs/cli.md, "Scoring an exported evaluation"):
// per-table `overrides` (finance's adjustments) and a top-level `ruleSet` are read, applied
// and validated; they are not unknown keys; --rules wins over the file's rule set; a plain
// file scores as before.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../app/cli/main";
import { getRuleSet } from "../../app/domain/rules";
import { cleanTable, mutate } from "../domain/fixtures";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-score-eval-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, data: unknown): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, JSON.stringify(data));
  return p;
}

async function run(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (t) => (stdout += `${t}\n`), stderr: (t) => (stderr += `${t}\n`), readFile: (p) => fs.readFileSync(p, "utf8") });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}

// Budget 95% → 9.5; every indicator at full marks → 99.50 优.
const evaluated = mutate(cleanTable(), (t) => {
  t.evaluation = { budgetInitial: 100, budgetAnnual: 100, budgetExecuted: 95 };
  const actual = ["39", "100", "500", "90", "达成", "92"];
  t.indicators.forEach((x, i) => (x.actual = actual[i]));
  t.indicators[0].explanation = "部分对象迁出";
});
const DEDUCTION = { indicator: 0, score: "10", reason: "指标值设定偏低" };

describe("overrides", () => {
  it("are applied with their reason: the total and grade follow, no unknown-key warning", async () => {
    const plain = (await run("score", file("plain.json", evaluated), "--json")).json().tables[0];
    expect([plain.totalText, plain.grade]).toEqual(["99.50", "优"]);
    const r = await run("score", file("over.json", { ...evaluated, overrides: [DEDUCTION] }), "--json");
    expect(r.code).toBe(0);
    const t = r.json().tables[0];
    expect([t.total, t.totalText, t.grade, t.complete]).toEqual([89.5, "89.50", "良", true]);
    expect(t.indicators[0]).toMatchObject({ score: 10, flags: expect.arrayContaining(["overridden"]) });
    expect(t.indicators[0].formula).toContain("人工调整为 10.00（理由：指标值设定偏低）");
    expect(t.issues).toEqual([]);
    expect(r.json().warnings).toEqual([]);
  });

  it("in the {tables} form, per table; in the human report too", async () => {
    const data = { tables: [evaluated, { ...evaluated, overrides: [{ indicator: 5, score: 0, reason: "调查不实" }] }] };
    const t = (await run("score", file("two.json", data), "--json")).json().tables;
    expect(t.map((x: { totalText: string }) => x.totalText)).toEqual(["99.50", "89.50"]);
    const human = await run("score", file("two.json", data));
    expect(human.stdout).toContain("理由：调查不实");
  });

  it("without a reason, above the weight or on a missing indicator: not applied, said as an error issue", async () => {
    const r = await run(
      "score",
      file("bad-over.json", [
        { ...evaluated, overrides: [{ indicator: 0, score: 5, reason: " " }] },
        { ...evaluated, overrides: [{ indicator: 0, score: 25, reason: "x" }] },
        { ...evaluated, overrides: [{ indicator: 9, score: 1, reason: "x" }] },
      ]),
      "--json",
    );
    expect(r.code).toBe(0);
    const tables = r.json().tables;
    expect(tables.map((t: { totalText: string }) => t.totalText)).toEqual(["99.50", "99.50", "99.50"]);
    expect(tables.map((t: { issues: Array<{ code: string }> }) => t.issues.map((i) => i.code))).toEqual([["override_reason_missing"], ["override_invalid"], ["override_invalid"]]);
    expect(tables.map((t: { complete: boolean }) => t.complete)).toEqual([false, false, false]);
    expect(tables[2].issues[0]).toMatchObject({ message: "人工调整分数指向第 10 个指标，表中只有 6 个指标，未采用", where: { table: 2, indicator: 9, field: "overrides" } });
  });

  it("of the wrong shape: exit 2 with a Chinese line per problem", async () => {
    const r = await run("score", file("shape.json", { tables: [{ ...evaluated, overrides: [{ indicator: -1, score: true }] }] }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("中的 ruleSet 或 overrides 无效");
    expect(r.stderr).toContain("tables.0.overrides.0.indicator：不能小于 0");
    expect(r.stderr).toContain("tables.0.overrides.0.score：格式不符");
    const single = await run("score", file("shape1.json", { ...evaluated, overrides: "x" }));
    expect(single.code).toBe(2);
    expect(single.stderr).toContain("overrides：应为数组，实为文字");
  });
});

describe("the file's rule set", () => {
  const strict = { ...getRuleSet("national")!, name: "qijiang-2026", scoring: { ...getRuleSet("national")!.scoring, grades: { 优: 99.6, 良: 85, 中: 60 } } };

  it("is used when --rules is not given", async () => {
    const r = await run("score", file("rs.json", { tables: [evaluated], ruleSet: strict }), "--json");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.json()).toMatchObject({ ruleSet: "qijiang-2026", warnings: [] });
    expect(r.json().tables[0].grade).toBe("良");
  });

  it("--rules wins, and stderr says so", async () => {
    const r = await run("score", file("rs2.json", { tables: [evaluated], ruleSet: strict }), "--json", "--rules", "national");
    expect(r.json()).toMatchObject({ ruleSet: "national" });
    expect(r.json().tables[0].grade).toBe("优");
    expect(r.stderr).toContain("文件中的规则集「qijiang-2026」未采用");
  });

  it("an invalid one: exit 2 naming the field", async () => {
    const r = await run("score", file("rs3.json", { tables: [evaluated], ruleSet: { ...strict, scoring: { ...strict.scoring, grades: { 优: 50, 良: 85, 中: 60 } } } }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("ruleSet.scoring.grades：等级分数线须满足");
  });

  it("check still warns about the keys it does not use", async () => {
    const r = await run("check", file("rs4.json", { tables: [{ ...evaluated, overrides: [DEDUCTION] }], ruleSet: strict }), "--json");
    const out = JSON.parse(r.stdout);
    expect(out.warnings.map((w: { where: { field: string } }) => w.where.field)).toEqual(["ruleSet"]);
    expect(out.tables[0].findings.filter((f: { code: string }) => f.code === "unknown_key").map((f: { where: { field: string } }) => f.where.field)).toEqual(["overrides"]);
  });
});
