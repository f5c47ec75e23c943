// The hostile corpus (test/fixtures/hostile) fed to every command that takes a file or JSON:
// `jixiao import`, `check`, `score`, `monitor` and `--rules FILE.json` (issue 9). Each gives
// a clear Chinese error (exit 2) or a correct result, within a bounded time and, for the
// workbooks, a bounded growth of the heap.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "~/cli/main";
import { enormousJson, fileCases, jsonCases } from "../fixtures/hostile/corpus";
import { validProjectTable } from "../helpers/tables";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-hostile-cli-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** CPU time per input (issue 9: "a couple of seconds"); heap growth for workbooks. */
const BOUND_MS = 2000;
const HEAP_BOUND = 100 * 1024 * 1024;

async function run(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
  const cpu = process.cpuUsage();
  try {
    const code = await main(argv, {
      stdout: (t) => (stdout += `${t}\n`),
      stderr: (t) => (stderr += `${t}\n`),
      readFile: (p) => fs.readFileSync(p, "utf8"),
    });
    const used = process.cpuUsage(cpu);
    return { code, stdout, stderr, ms: (used.user + used.system) / 1000, heap: Math.max(peak, process.memoryUsage().heapUsed) - before };
  } finally {
    clearInterval(timer);
  }
}

const CHINESE = /[\u4e00-\u9fff]/;

describe.each(["import", "check"])("jixiao %s FILE with hostile files", (command) => {
  for (const c of fileCases()) {
    it(`${c.what} (${c.name})`, async () => {
      const file = path.join(dir, c.name);
      fs.writeFileSync(file, await c.bytes());
      const r = await run(command, file);
      if ("refuse" in c.expect) {
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(c.expect.refuse);
        expect(r.stderr).toMatch(CHINESE);
        expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
      } else {
        expect(r.code, r.stderr).not.toBe(2);
        if (command === "import") expect(r.stdout).toContain(`找到 ${c.expect.tables} 张绩效目标表`);
        else if (c.expect.tables > 0) expect(r.stdout).toContain(`共 ${c.expect.tables} 张表`);
      }
      expect(r.ms, `${c.name}: ${r.ms.toFixed(0)} ms CPU`).toBeLessThan(BOUND_MS);
      if (c.workbook) expect(r.heap).toBeLessThan(HEAP_BOUND);
    });
  }
});

describe.each(["check", "score", "monitor"])("jixiao %s FILE.json with hostile JSON", (command) => {
  for (const c of jsonCases()) {
    it(`${c.what} (${c.name})`, async () => {
      const file = path.join(dir, `${command}-${c.name}`);
      fs.writeFileSync(file, c.text());
      const r = await run(command, file);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(c.refuse);
      expect(r.stderr).toMatch(CHINESE);
      expect(r.ms, `${c.name}: ${r.ms.toFixed(0)} ms CPU`).toBeLessThan(BOUND_MS);
    });
  }

  it("a 60 MB JSON file is refused by its size, without being read", async () => {
    const file = path.join(dir, `${command}-enormous.json`);
    enormousJson(file);
    const r = await run(command, file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/过大（60\.\d MB）/);
    expect(r.ms).toBeLessThan(BOUND_MS);
    expect(r.heap).toBeLessThan(HEAP_BOUND);
  });

  it("JSON with a UTF-8 byte-order mark is read", async () => {
    const file = path.join(dir, `${command}-bom.json`);
    fs.writeFileSync(file, "\ufeff" + JSON.stringify(validProjectTable()));
    const r = await run(command, file);
    expect(r.code, r.stderr).not.toBe(2);
  });
});

describe("jixiao check --rules RULES.json with hostile JSON", () => {
  const table = path.join(dir, "rules-table.json");
  fs.writeFileSync(table, JSON.stringify(validProjectTable()));
  for (const c of jsonCases()) {
    it(`${c.what} (${c.name})`, async () => {
      const rules = path.join(dir, `rules-${c.name}`);
      fs.writeFileSync(rules, c.text());
      const r = await run("check", table, "--rules", rules);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/规则集文件/);
      expect(r.stderr).toMatch(CHINESE);
      expect(r.ms).toBeLessThan(BOUND_MS);
    });
  }
});
