// Document importer figures for `npm run bench`: import time of the three published
// documents, and of generated documents of 1, 2, 5 and 10 MB (time should grow linearly;
// MB/s is printed). Asserts nothing.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument } from "../app/io/document";

const here = path.dirname(fileURLToPath(import.meta.url));
const PUBLISHED = path.resolve(here, "../../shared/published");
const MB = 1024 * 1024;

/** Small deterministic PRNG (mulberry32). */
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
  ["满意度指标", "服务对象满意度指标"],
];
const NAMES = ["补助人数", "按时发放率", "人均补助标准", "政策知晓率", "服务对象满意度", "项目完成率", "培训次数", "覆盖企业数"];
const UNITS = ["人", "%", "元", "家", "次", "万元", "个工作日"];
const PROSE = "围绕年度重点工作，加强资金管理，规范项目实施，确保资金使用安全高效，按时完成各项目标任务。";

/**
 * A document of about `bytes` UTF-8 bytes in the published styles: tab-separated and
 * Markdown project tables, prose, financial tables, page-break debris.
 */
export function generateDocument(bytes: number, seed = 7): string {
  const r = rng(seed);
  const parts: string[] = ["示例区某某委员会", "", "2026 年单位预算情况说明", ""];
  let size = 0;
  let k = 0;
  const push = (s: string) => {
    parts.push(s);
    size += Buffer.byteLength(s) + 1;
  };
  while (size < bytes) {
    k++;
    const code = `50011026T${String(100000000000 + k).slice(1)}`;
    const n = 4 + Math.floor(r() * 6);
    const markdown = r() < 0.3;
    push("");
    push("2026年项目支出绩效目标表");
    push("编制单位：206001-示例区某某委员会（本级）");
    push("单位：万元");
    const budget = (Math.floor(r() * 1000000) / 100).toFixed(2);
    if (markdown) {
      push("| | | | | | | |");
      push("|---|---|---|---|---|---|---|");
      push(`| 项目名称 | ${code}-示例项目${k} | | 主管部门 | 206-示例区某某委员会 | | |`);
      push(`| 当年预算 | ${Number(budget).toLocaleString("en-US", { minimumFractionDigits: 2 })} | | | | | |`);
      push(`| 项目概况 | <p>${PROSE}</p> <p>${PROSE}</p> | | | | | |`);
      push(`| 当年绩效目标 | ${PROSE} | | | | | |`);
      push("| 绩效 指标 | 指标名称 | 指标权重 | 指标性 质 | 指标 值 | 计量单 位 | 是否核 心 |");
      for (let i = 0; i < n; i++) {
        const q = r() < 0.1;
        push(`| | ${NAMES[i % NAMES.length]}${k}-${i} | ${10 + Math.floor(r() * 20)} | ${q ? "定性" : "≥"} | ${q ? "优" : Math.floor(r() * 500)} | ${q ? "" : UNITS[i % UNITS.length]} | ${i < 2 ? "是" : "否"} |`);
      }
    } else {
      push(["项目名称", `${code}-示例项目${k}`, "", "", "业务主管部门", "示例区某某委员会", "", ""].join("\t"));
      push(["预算执行率 权重", "10", "", "", "项目分类", "一般性项目", "", ""].join("\t"));
      push(["当年预算 （万元）", budget, "", "", "本级安排 （万元）", budget, "", ""].join("\t"));
      push(["", "", "", "", "上级补助 （万元）", "", "", ""].join("\t"));
      push(["项目概述", PROSE + PROSE, "", "", "", "", "", ""].join("\t"));
      push(["立项依据", "三定方案及相关文件依据", "", "", "", "", "", ""].join("\t"));
      push(["当年绩效目标", PROSE, "", "", "", "", "", ""].join("\t"));
      push(["绩效指标", "一级指标", "二级指标", "三级指标", "指标权重", "计量单位", "指标性质", "指标值", "是否核心指标"].join("\t"));
      for (let i = 0; i < n; i++) {
        const [l1, l2] = LEVELS[Math.floor(r() * LEVELS.length)];
        if (i === 3 && r() < 0.3) {
          push("");
          push(`- ${k} -`);
          push("");
        }
        push(["", l1, l2, `${NAMES[i % NAMES.length]}${k}-${i}`, String(10 + Math.floor(r() * 20)), UNITS[i % UNITS.length], "≥", String(Math.floor(r() * 500)), i < 2 ? "是" : "否"].join("\t"));
      }
    }
    if (r() < 0.2) {
      push("");
      push("部门支出总表");
      push("单位：万元");
      push(["科目编码", "科目名称", "总计", "基本支出", "项目支出"].join("\t"));
      for (let i = 0; i < 8; i++) push([String(2080501 + i), "行政事业单位养老支出", "1, 234. 56", "", "1, 234. 56"].join("\t"));
    }
    if (r() < 0.3) {
      push("");
      push(PROSE.repeat(3));
    }
  }
  return parts.join("\n");
}

function time(fn: () => void, minMs = 300, maxRuns = 50): number {
  fn(); // warm-up
  const times: number[] = [];
  const start = performance.now();
  while (times.length < maxRuns && (times.length < 3 || performance.now() - start < minMs)) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
const rate = (bytes: number, ms: number) => `${(bytes / MB / (ms / 1000)).toFixed(1)} MB/s`;

export async function run(): Promise<void> {
  // Warm the JIT up first, so the first figures are not the compiler's.
  const warm = generateDocument(MB, 99);
  for (let i = 0; i < 3; i++) parseDocument(warm);
  console.log("Published documents (median of repeated runs):");
  if (fs.existsSync(PUBLISHED)) {
    for (const f of fs.readdirSync(PUBLISHED).filter((x) => x.endsWith(".txt")).sort()) {
      const text = fs.readFileSync(path.join(PUBLISHED, f), "utf8");
      const bytes = Buffer.byteLength(text);
      let doc = parseDocument(text, { file: f });
      const ms = time(() => {
        doc = parseDocument(text, { file: f });
      });
      const n = doc.tables.reduce((s, t) => s + t.indicators.length, 0);
      console.log(`  ${f}  ${(bytes / 1024).toFixed(1)} KB  ${doc.tables.length} tables, ${n} indicators  ${fmt(ms)}  ${rate(bytes, ms)}`);
    }
  } else {
    console.log(`  (${PUBLISHED} not found)`);
  }

  console.log("Generated documents (linear growth expected):");
  let base: { bytes: number; ms: number } | null = null;
  for (const size of [1, 2, 5, 10]) {
    const text = generateDocument(size * MB);
    const bytes = Buffer.byteLength(text);
    let doc = parseDocument(text);
    const ms = time(
      () => {
        doc = parseDocument(text);
      },
      size >= 5 ? 0 : 500,
      size >= 5 ? 3 : 10,
    );
    const n = doc.tables.reduce((s, t) => s + t.indicators.length, 0);
    base ??= { bytes, ms };
    const scale = (ms / base.ms) / (bytes / base.bytes);
    console.log(
      `  ${(bytes / MB).toFixed(1)} MB  ${doc.tables.length} tables, ${n} indicators, ${doc.warnings.length} warnings  ${fmt(ms)}  ${rate(bytes, ms)}  (time per MB ×${scale.toFixed(2)} vs 1 MB)`,
    );
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await run();
