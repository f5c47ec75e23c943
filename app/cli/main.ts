// The command line: `npx jixiao check|score|monitor|rules|import|publish|backup …` (see docs/cli.md).
// Reads exchange JSON (jixiao.table/v1: one table, an array, or {"tables": [...]}),
// runs the pure domain engine and prints a Chinese report or stable JSON.
import fs from "node:fs";
import { checkTables, countBySeverity, defaultRuleSetName, getRuleSet, listRuleSets, parseRuleSet, type Finding, type RuleSet } from "../domain/rules";
import { scoreEvaluation, type ScoreIssue, type ScoreResult } from "../domain/scoring";
import { parseExchangeFile, type ExchangeTable, type UnknownKey } from "../domain/schemas";
import { JsonInputError, parseJsonInput } from "../io/json-input";
import { ImportError, checkJsonFileSize, importDocument, isPublishedDocument, runImport } from "./import";
import { MONITOR_FORMAT, monitorTable } from "./monitor";
import { overrideIndexIssues, splitScoreInput, type ScoreExtras } from "./score";
import { formatCheckReport, formatFileWarnings, formatMonitorReport, formatScoreReport, formatRuleSetList } from "./report";

/** Where the CLI writes; tests pass their own. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile: (path: string) => string;
}

const defaultIO: CliIO = {
  stdout: (t) => process.stdout.write(t.endsWith("\n") ? t : `${t}\n`),
  stderr: (t) => process.stderr.write(t.endsWith("\n") ? t : `${t}\n`),
  readFile: (p) => fs.readFileSync(p, "utf8"),
};

export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

const USAGE = `用法：
  jixiao import FILE… [--rules NAME] [--json]            从公开文档（文本/Markdown/HTML、.xlsx）导入绩效目标表并审核
  jixiao check FILE [--rules NAME|RULES.json] [--json]   按规则集审核绩效目标表（有错误时退出码为 1）
  jixiao score FILE [--rules NAME|RULES.json] [--json]   绩效自评计分
  jixiao monitor FILE [--rules NAME|RULES.json] [--json] 绩效运行监控：红黄绿灯与必填项（填报不完整时退出码为 1）
  jixiao rules [NAME]                                     列出内置规则集，或以 JSON 输出一个规则集
  jixiao publish --region SLUG --year YEAR [--department CODE] [--kind targets|results] [--format docx|html] --out PATH
                                                          从数据库（DATABASE_URL）发布绩效公开文件（jixiao publish --help）
  jixiao backup DEST [--force]                            在线备份数据库（DATABASE_URL）

FILE 为交换格式 JSON（jixiao.table/v1）：一张表、表的数组，或 {"tables": [...]}；
check 也接受公开文档（同 import）。
默认规则集：交换格式 JSON 用 national；公开文档按其年度用地区默认规则集
（2024 年起 chongqing-2024，之前 chongqing-2022）。`;

class UsageError extends Error {}

interface Parsed {
  command: string | undefined;
  positional: string[];
  json: boolean;
  rules: string | null;
}

function parseArgs(argv: string[]): Parsed {
  const positional: string[] = [];
  let json = false;
  let rules: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") json = true;
    else if (a === "--rules") {
      const v = argv[++i];
      if (!v) throw new UsageError("--rules 后须给出规则集名称");
      rules = v;
    } else if (a.startsWith("--rules=")) rules = a.slice("--rules=".length);
    else if (a === "-h" || a === "--help") positional.unshift("help");
    else if (a.startsWith("-")) throw new UsageError(`未知选项：${a}`);
    else positional.push(a);
  }
  return { command: positional.shift(), positional, json, rules };
}

function loadRuleSet(name: string | null, io: CliIO): RuleSet {
  const n = name ?? "national";
  if (n.endsWith(".json")) {
    let data: unknown;
    checkJsonFileSize(n);
    try {
      data = parseJsonInput(io.readFile(n));
    } catch (e) {
      throw new UsageError(`无法读取规则集文件 ${n}：${(e as Error).message}`);
    }
    const r = parseRuleSet(data);
    if (!r.ok) throw new UsageError(`规则集文件 ${n} 无效：\n  ${r.errors.join("\n  ")}`);
    // A rule set of the regex era: say what was converted (never run), on stderr.
    for (const note of r.notes) io.stderr(`jixiao: 规则集文件 ${n}：${note}`);
    return r.ruleSet;
  }
  const rs = getRuleSet(n);
  if (!rs) {
    throw new UsageError(`没有名为「${n}」的规则集。可用：${listRuleSets().map((r) => r.name).join("、")}`);
  }
  return rs;
}

interface Loaded {
  tables: ExchangeTable[];
  /** Keys the format does not know: ignored, reported as warnings (docs/cli.md). */
  unknownKeys: UnknownKey[];
}

/** `prepare` sees the parsed JSON before the exchange format does (score takes its extras out). */
function loadTables(file: string | undefined, io: CliIO, prepare?: (data: unknown) => unknown): Loaded {
  if (!file) throw new UsageError("缺少文件参数 FILE");
  let text: string;
  checkJsonFileSize(file);
  try {
    text = io.readFile(file);
  } catch (e) {
    throw new UsageError(`无法读取文件 ${file}：${(e as Error).message}`);
  }
  let data: unknown;
  try {
    data = parseJsonInput(text); // bounded depth and size, UTF-8 (issue 9)
  } catch (e) {
    if (e instanceof JsonInputError) throw new UsageError(`${file}：${e.message}`);
    throw new UsageError(`${file} 不是 JSON。请先用 jixiao import FILE --json 转为交换格式（jixiao.table/v1）`);
  }
  if (prepare) data = prepare(data);
  const r = parseExchangeFile(data);
  if (!r.ok) throw new UsageError(`${file} 不是有效的交换格式（jixiao.table/v1）：\n  ${r.errors.join("\n  ")}`);
  return { tables: r.tables, unknownKeys: r.unknownKeys };
}

/** Unknown keys outside any table, as the top-level `warnings` of the JSON outputs. */
function fileWarnings(unknownKeys: UnknownKey[]) {
  return unknownKeys
    .filter((k) => k.table === null)
    .map((k) => ({ severity: "warning" as const, code: "unknown_key", message: k.message, where: { table: null, indicator: null, field: k.path, line: null } }));
}

/** Unknown keys of table `i`, shaped like findings and score issues (code `unknown_key`, severity warning). */
function unknownKeyFindings(unknownKeys: UnknownKey[], i: number): ScoreIssue[] {
  return unknownKeys
    .filter((k) => k.table === i)
    .map((k) => ({ severity: "warning", code: "unknown_key", message: k.message, where: { table: i, indicator: k.indicator, field: k.path, line: null } }));
}

/** JSON form of a finding: exactly the documented keys. */
function findingJson(f: Finding | ScoreIssue) {
  return { severity: f.severity, code: f.code, message: f.message, where: f.where };
}

function tableHeader(t: ExchangeTable, index: number) {
  return {
    table: index,
    kind: t.kind,
    year: t.year,
    project: { code: t.project?.code ?? null, name: t.project?.name ?? null },
    department: t.department ? { code: t.department.code, name: t.department.name } : null,
    source: t.source ?? null,
  };
}

async function runCheck(p: Parsed, io: CliIO): Promise<number> {
  const file = p.positional[0];
  // A published document (not exchange JSON) is imported first; its year picks the default rules.
  const doc = file && isPublishedDocument(file) ? await importDocument(file) : null;
  const ruleSet = doc && !p.rules ? loadRuleSet(defaultRuleSetName(doc.year), io) : loadRuleSet(p.rules, io);
  const { tables, unknownKeys } = doc ? { tables: doc.tables, unknownKeys: [] } : loadTables(file, io);
  const checked = checkTables(tables, ruleSet);
  // Unknown keys are warnings beside the checker's findings (code unknown_key).
  const results: (Finding | ScoreIssue)[][] = checked.map((fs, i) => [...fs, ...unknownKeyFindings(unknownKeys, i)]);
  const all = results.flat();
  const counts = countBySeverity(all);
  if (p.json) {
    io.stdout(
      JSON.stringify(
        {
          format: "jixiao.check/v1",
          ruleSet: ruleSet.name,
          ok: counts.error === 0,
          counts,
          warnings: fileWarnings(unknownKeys),
          tables: tables.map((t, i) => ({
            ...tableHeader(t, i),
            counts: countBySeverity(results[i]),
            findings: results[i].map(findingJson),
          })),
        },
        null,
        2,
      ),
    );
  } else {
    io.stdout(formatFileWarnings(unknownKeys) + formatCheckReport(tables, results, ruleSet));
  }
  return counts.error > 0 ? EXIT.findings : EXIT.ok;
}

function scoreJson(r: ScoreResult) {
  return {
    total: r.total,
    totalText: r.totalText,
    grade: r.grade,
    complete: r.complete,
    formula: r.formula,
    rawTotal: r.rawTotal,
    maxPoints: r.maxPoints,
    budget: r.budget,
    indicators: r.indicators.map((x) => ({
      index: x.index,
      name: x.name,
      operator: x.operator,
      target: x.target,
      actual: x.actual,
      unit: x.unit,
      weight: x.weight,
      applicable: x.applicable,
      score: x.score,
      tier: x.tier,
      percent: x.percent,
      formula: x.formula,
      flags: x.flags,
      explanationRequired: x.explanationRequired,
    })),
    issues: r.issues,
  };
}

function runScore(p: Parsed, io: CliIO): number {
  const explicit = p.rules ? loadRuleSet(p.rules, io) : null;
  // A file exported by the web carries overrides and its rule set (app/cli/score.ts).
  let extras: ScoreExtras = { ruleSet: null, ruleSetNotes: [], overrides: new Map() };
  const file = p.positional[0];
  const { tables, unknownKeys } = loadTables(file, io, (data) => {
    const split = splitScoreInput(data);
    if (!split.ok) throw new UsageError(`${file} 中的 ruleSet 或 overrides 无效：\n  ${split.errors.join("\n  ")}`);
    extras = split.extras;
    return split.data;
  });
  if (explicit && extras.ruleSet) io.stderr(`jixiao: 使用 --rules 指定的规则集，文件中的规则集「${extras.ruleSet.name}」未采用`);
  for (const note of explicit ? [] : extras.ruleSetNotes) io.stderr(`jixiao: 文件中的规则集：${note}`);
  const ruleSet = explicit ?? extras.ruleSet ?? loadRuleSet(null, io);
  const results = tables.map((t, i) => {
    const overrides = extras.overrides.get(i) ?? [];
    const r = scoreEvaluation(t, ruleSet, { overrides });
    const stray = overrideIndexIssues(overrides, t.indicators.length, i);
    return { ...r, complete: r.complete && stray.length === 0, issues: [...r.issues, ...stray, ...unknownKeyFindings(unknownKeys, i)] };
  });
  if (p.json) {
    io.stdout(
      JSON.stringify(
        {
          format: "jixiao.score/v1",
          ruleSet: ruleSet.name,
          warnings: fileWarnings(unknownKeys),
          tables: tables.map((t, i) => ({ ...tableHeader(t, i), ...scoreJson(results[i]) })),
        },
        null,
        2,
      ),
    );
  } else {
    io.stdout(formatFileWarnings(unknownKeys) + formatScoreReport(tables, results, ruleSet));
  }
  return EXIT.ok;
}

function runMonitor(p: Parsed, io: CliIO): number {
  const ruleSet = loadRuleSet(p.rules, io);
  const { tables, unknownKeys } = loadTables(p.positional[0], io);
  const reports = tables.map((t, i) => monitorTable(t, i, ruleSet, unknownKeys));
  if (p.json) {
    io.stdout(JSON.stringify({ format: MONITOR_FORMAT, ruleSet: ruleSet.name, warnings: fileWarnings(unknownKeys), tables: reports }, null, 2));
  } else {
    io.stdout(formatFileWarnings(unknownKeys) + formatMonitorReport(tables, reports, ruleSet));
  }
  // Like check: 1 when an entry could not be submitted (something required is missing).
  return reports.every((r) => r.complete) ? EXIT.ok : EXIT.findings;
}

function runRules(p: Parsed, io: CliIO): number {
  const name = p.positional[0];
  if (!name) {
    const list = listRuleSets();
    io.stdout(p.json ? JSON.stringify(list, null, 2) : formatRuleSetList(list));
    return EXIT.ok;
  }
  io.stdout(JSON.stringify(loadRuleSet(name, io), null, 2));
  return EXIT.ok;
}

/** Entry point of `npx jixiao`; returns the process exit code (0 ok, 1 errors found, 2 usage/input error). */
export async function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  try {
    if (argv[0] === "backup") return await (await import("../../db/backup")).backupCommand(argv.slice(1), io);
    // Opens the database of DATABASE_URL: loaded only for this command.
    if (argv[0] === "publish") return await (await import("./publish")).publishCommand(argv.slice(1), io);
    const p = parseArgs(argv);
    switch (p.command) {
      case "import":
        return await runImport(p.positional, { json: p.json, rules: p.rules }, io);
      case "check":
        return await runCheck(p, io);
      case "score":
        return runScore(p, io);
      case "monitor":
        return runMonitor(p, io);
      case "rules":
        return runRules(p, io);
      case undefined:
      case "help":
        io.stdout(USAGE);
        return p.command ? EXIT.ok : EXIT.usage;
      default:
        throw new UsageError(`未知命令：${p.command}`);
    }
  } catch (e) {
    if (e instanceof ImportError) {
      io.stderr(`jixiao: ${e.message}`);
      return EXIT.usage;
    }
    if (e instanceof UsageError) {
      io.stderr(`jixiao: ${e.message}`);
      if (/未知命令|未知选项|缺少文件/.test(e.message)) io.stderr(USAGE);
      return EXIT.usage;
    }
    throw e;
  }
}
