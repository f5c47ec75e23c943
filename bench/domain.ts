// Domain engine figures for `npm run bench`: check 10,000 generated tables of 5–40
// indicators, and score 10,000 evaluations. Prints times; asserts nothing.
import { checkTable, getRuleSet } from "../app/domain/rules";
import { EXCHANGE_FORMAT, emptyProjectHeader, type ExchangeTable, type Indicator } from "../app/domain/schemas";
import { scoreEvaluation } from "../app/domain/scoring";
import { parseValue } from "../app/domain/values";

/** Small deterministic PRNG (mulberry32) so every run measures the same tables. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LEVELS: Array<[string, string]> = [
  ["产出指标", "数量指标"],
  ["产出指标", "质量指标"],
  ["产出指标", "时效指标"],
  ["成本指标", "经济成本指标"],
  ["效益指标", "社会效益指标"],
  ["效益指标", "经济效益指标"],
  ["满意度指标", "服务对象满意度指标"],
  ["产出指标", "效果指标"], // a mismatch now and then
];
const NAMES = ["补助人数", "按时发放率", "人均补助标准", "政策知晓率", "服务对象满意度", "项目完成率", "培训次数", "覆盖企业数"];
const OPS = ["≥", "≤", "=", "定性"] as const;

export function generateTables(count: number, seed = 42): ExchangeTable[] {
  const r = rng(seed);
  const tables: ExchangeTable[] = [];
  for (let k = 0; k < count; k++) {
    const n = 5 + Math.floor(r() * 36); // 5–40 indicators
    // weights: n − 1 random tenths, the last one makes 90 most of the time
    const indicators: Indicator[] = [];
    let left = 900; // tenths
    for (let i = 0; i < n; i++) {
      const w = i === n - 1 ? Math.max(left, 1) : Math.max(1, Math.min(left - (n - i - 1), Math.floor((r() * 2 * left) / (n - i))));
      left -= w;
      const [level1, level2] = LEVELS[Math.floor(r() * LEVELS.length)];
      const op = OPS[Math.floor(r() * OPS.length)];
      const target = op === "定性" ? "达标" : String(Math.floor(r() * 1000) / 10);
      const actualNum = op === "定性" ? null : String(Math.floor(r() * 1200) / 10);
      indicators.push({
        level1,
        level2,
        name: `${NAMES[i % NAMES.length]}${i}`,
        weight: w / 10,
        unit: op === "定性" ? null : r() < 0.5 ? "%" : "个",
        operator: op,
        target,
        core: r() < 0.3,
        actual: op === "定性" ? (["达成", "部分达成", "未达成"] as const)[Math.floor(r() * 3)] : actualNum,
        explanation: r() < 0.5 ? "已说明" : null,
        applicable: r() < 0.95,
      });
    }
    if (r() < 0.2) indicators[0].weight = (indicators[0].weight ?? 0) + 0.5; // some totals are off
    tables.push({
      format: EXCHANGE_FORMAT,
      kind: "project",
      year: 2026,
      department: { code: "206001", name: "部门" },
      project: {
        ...emptyProjectHeader(),
        code: `P${k}`,
        name: `项目${k}`,
        budget: { total: 100.5, local: 60.25, superior: 40.25 },
      },
      budgetExecutionWeight: 10,
      indicators,
      evaluation: { budgetInitial: 100, budgetAnnual: 100.5, budgetExecuted: Math.floor(r() * 11000) / 100 },
    });
  }
  return tables;
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

function time<T>(f: () => T): [T, Timing] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const v = f();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return [v, { wallMs, cpuMs: (c.user + c.system) / 1000 }];
}

/** Runs `f` `runs` times; reports the best and the median wall time, and the CPU time of the best. */
function measure<T>(runs: number, f: () => T): [T, { best: Timing; medianWallMs: number }] {
  let value!: T;
  const all: Timing[] = [];
  for (let k = 0; k < runs; k++) {
    const [v, t] = time(f);
    value = v;
    all.push(t);
  }
  const sorted = [...all].sort((a, b) => a.wallMs - b.wallMs);
  return [value, { best: sorted[0], medianWallMs: sorted[Math.floor(sorted.length / 2)].wallMs }];
}

const fmtT = (m: { best: Timing; medianWallMs: number }) =>
  `${m.best.wallMs.toFixed(0).padStart(5)} ms best (median ${m.medianWallMs.toFixed(0)} ms, cpu ${m.best.cpuMs.toFixed(0)} ms)`;

export async function run(): Promise<void> {
  const rs = getRuleSet("chongqing-2024")!;
  const [tables, gen] = time(() => generateTables(10_000));
  const indicators = tables.reduce((n, t) => n + t.indicators.length, 0);
  console.log(
    `generated 10,000 tables, ${indicators.toLocaleString("en")} indicators (5–40 per table) in ${gen.wallMs.toFixed(0)} ms`,
  );
  console.log(`(each figure: best of 3 runs; the load of other processes on this machine inflates wall time)`);

  // warm-up (JIT), not counted
  for (const t of tables.slice(0, 500)) {
    checkTable(t, rs);
    scoreEvaluation(t, rs);
  }

  const [findings, check] = measure(3, () => tables.reduce((n, t) => n + checkTable(t, rs).length, 0));
  console.log(`check  10,000 tables:      ${fmtT(check)}  (${findings.toLocaleString("en")} findings)`);

  const [total, score] = measure(3, () => tables.reduce((s, t) => s + scoreEvaluation(t, rs).total, 0));
  console.log(`score  10,000 evaluations: ${fmtT(score)}  (mean total ${(total / tables.length).toFixed(2)})`);

  const samples = ["≥15 家", "≤2500 万", "100%", "$\\geq 90\\%$", "1800 个", "1,300.00", "30. 85", "合规", "不低于95%"];
  const [, parse] = measure(3, () => {
    for (let i = 0; i < 100_000; i++) parseValue(samples[i % samples.length]);
  });
  console.log(`parse  100,000 values:     ${fmtT(parse)}`);
  console.log(`target: check and score each under 1,000 ms`);
}
