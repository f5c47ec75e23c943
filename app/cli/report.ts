// Human-readable Chinese reports for the command line.
import type { Finding, RuleSet, Severity } from "../domain/rules";
import { countBySeverity } from "../domain/rules";
import type { ScoreIssue, ScoreResult } from "../domain/scoring";
import type { ExchangeTable, UnknownKey } from "../domain/schemas";
import { FIELD_LABELS, lightLabel, periodLabel, type MonitorTableReport } from "./monitor";

const SEVERITY_LABEL: Record<Severity, string> = { error: "✗ 错误", warning: "! 警告", info: "i 提示" };

/** One-line description of a table: 项目编码-名称（项目，2026 年，来源 002.txt 第 307 行）. */
export function describeTable(t: ExchangeTable, index: number): string {
  const p = t.project;
  let name: string;
  if (t.kind === "department") {
    name = `${t.department?.name ?? t.unit?.name ?? "（未知部门）"} 部门整体绩效目标表`;
  } else {
    const code = p?.code ? `${p.code}-` : "";
    name = `${code}${p?.name ?? "（未命名项目）"}`;
  }
  const bits = [t.kind === "department" ? "部门整体" : "项目"];
  if (t.year != null) bits.push(`${t.year} 年`);
  if (t.source?.file) bits.push(`来源 ${t.source.file}${t.source.line != null ? ` 第 ${t.source.line} 行` : ""}`);
  return `表 ${index + 1}：${name}（${bits.join("，")}）`;
}

/** Unknown keys outside any table, printed before the report (empty string when none). */
export function formatFileWarnings(unknownKeys: UnknownKey[]): string {
  const lines = unknownKeys.filter((k) => k.table === null).map((k) => `${SEVERITY_LABEL.warning} [unknown_key] 文件：${k.message}`);
  return lines.length ? `${lines.join("\n")}\n\n` : "";
}

/** Findings, plus input warnings (unknown_key) shaped like them. */
export function formatCheckReport(tables: ExchangeTable[], results: (Finding | ScoreIssue)[][], ruleSet: RuleSet): string {
  const lines: string[] = [`规则集：${ruleSet.name}（${ruleSet.title}）`, ""];
  tables.forEach((t, i) => {
    lines.push(describeTable(t, i));
    const fs = results[i];
    if (fs.length === 0) lines.push("  ✓ 未发现问题");
    for (const f of fs) {
      const line = f.where.line != null ? `（第 ${f.where.line} 行）` : "";
      lines.push(`  ${SEVERITY_LABEL[f.severity]} [${f.code}] ${f.message}${line}`);
    }
    lines.push("");
  });
  const c = countBySeverity(results.flat());
  const failed = results.filter((r) => r.some((f) => f.severity === "error")).length;
  lines.push(
    `共 ${tables.length} 张表，${failed} 张有错误：错误 ${c.error} 个，警告 ${c.warning} 个，提示 ${c.info} 个。` +
      (c.error > 0 ? "有错误的表不能提交审核。" : ""),
  );
  return lines.join("\n");
}

export function formatScoreReport(tables: ExchangeTable[], results: ScoreResult[], ruleSet: RuleSet): string {
  const lines: string[] = [`规则集：${ruleSet.name}（${ruleSet.title}）`, ""];
  tables.forEach((t, i) => {
    const r = results[i];
    lines.push(describeTable(t, i));
    lines.push(`  总分 ${r.totalText}，等级「${r.grade}」${r.complete ? "" : "（数据不完整，分数为暂计）"}`);
    lines.push(`  ${r.formula}`);
    lines.push(`  预算执行率（权重 ${r.budget.weight}）：${r.budget.formula}`);
    for (const x of r.indicators) {
      const score = x.score == null ? "不适用" : `${x.score.toFixed(2)} / ${x.weight}`;
      const flags = x.flags.filter((f) => f !== "not_applicable");
      const notes: string[] = [];
      if (flags.includes("over_achievement")) notes.push("超额较多，须分析原因");
      if (flags.includes("explanation_missing")) notes.push("须填写偏差原因分析");
      else if (flags.includes("explanation_required")) notes.push("已说明偏差原因");
      lines.push(`  ${x.index + 1}. ${x.name ?? "（未命名）"}：${score}  —— ${x.formula}${notes.length ? `【${notes.join("；")}】` : ""}`);
    }
    for (const is of r.issues) lines.push(`  ${SEVERITY_LABEL[is.severity]} [${is.code}] ${is.message}`);
    lines.push("");
  });
  return lines.join("\n");
}

export function formatMonitorReport(tables: ExchangeTable[], reports: MonitorTableReport[], ruleSet: RuleSet): string {
  const lines: string[] = [`规则集：${ruleSet.name}（${ruleSet.title}）`, ""];
  const names = (fields: string[]) => fields.map((f) => FIELD_LABELS[f] ?? f).join("、");
  tables.forEach((t, i) => {
    const r = reports[i];
    lines.push(describeTable(t, i));
    lines.push(r.period == null ? "  监控期间：未填写" : `  监控期间：${periodLabel(r.period)}，序时进度 ${r.timeProgress!.toFixed(2)}%`);
    const amounts =
      r.budget.annual != null || r.budget.executed != null
        ? `全年预算 ${r.budget.annual ?? "（未填）"} 万元，截至本期执行 ${r.budget.executed ?? "（未填）"} 万元 —— `
        : "";
    lines.push(`  预算执行：${amounts}${r.budget.message}`);
    const c = r.counts;
    lines.push(`  指标：绿灯 ${c.green} 个，黄灯 ${c.yellow} 个，红灯 ${c.red} 个，无灯 ${c.none} 个`);
    for (const x of r.indicators) {
      const missing = x.missing.length ? `【须填写：${names(x.missing)}】` : "";
      lines.push(`  ${x.index + 1}. ${x.name ?? "（未命名）"}：${lightLabel(x.light)} —— ${x.message}${missing}`);
    }
    for (const is of r.issues) lines.push(`  ${SEVERITY_LABEL[is.severity]} [${is.code}] ${is.message}`);
    lines.push(r.complete ? "  ✓ 填报完整，可以提交监控" : "  ✗ 填报不完整，不能提交监控");
    lines.push("");
  });
  const incomplete = reports.filter((r) => !r.complete).length;
  lines.push(`共 ${tables.length} 张表，${incomplete} 张填报不完整。`);
  return lines.join("\n");
}

export function formatRuleSetList(list: Array<{ name: string; title: string; description: string }>): string {
  return ["内置规则集：", ...list.map((r) => `  ${r.name.padEnd(16)} ${r.title}\n  ${" ".repeat(16)} ${r.description}`), "", "用 jixiao rules NAME 以 JSON 查看一个规则集。"].join("\n");
}
