// `jixiao score` input beyond the exchange format (docs/cli.md, "Scoring an exported
// evaluation"): the file the web exports for one evaluation carries, beside the table,
//   - per table `overrides`: finance's adjustments in force, [{indicator, score, reason}]
//     (ScoreOverride of app/domain/scoring.ts), and
//   - at the top of {"tables": [...]} a `ruleSet`: the rule set the web scored with,
// so that `jixiao score FILE` gives the web's total and grade. Both are taken out before the
// exchange format reads the file (they are not unknown keys to score).
import { z } from "zod";
import { parseRuleSet, type RuleSet } from "../domain/rules";
import type { ScoreIssue, ScoreOverride } from "../domain/scoring";
import { zodIssueText } from "../domain/schemas";

const overrideSchema = z.object({
  indicator: z.number().int().min(0),
  score: z.union([z.number().finite(), z.string().trim().min(1)]),
  reason: z.string().max(2000).default(""),
});
const overridesSchema = z.array(overrideSchema).max(500);

export interface ScoreExtras {
  /** The rule set the file carries (null: none). */
  ruleSet: RuleSet | null;
  /** What was converted in an old rule set (see parseRuleSet). */
  ruleSetNotes: string[];
  /** Overrides per table index. */
  overrides: Map<number, ScoreOverride[]>;
}

export type SplitResult = { ok: true; data: unknown; extras: ScoreExtras } | { ok: false; errors: string[] };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Takes `ruleSet` and each table's `overrides` out of parsed JSON (one table, an array, or
 * {"tables": [...]}) and validates them; returns the rest for parseExchangeFile.
 */
export function splitScoreInput(data: unknown): SplitResult {
  const extras: ScoreExtras = { ruleSet: null, ruleSetNotes: [], overrides: new Map() };
  const errors: string[] = [];
  let out = data;
  let list: unknown[] | null = null;
  let prefix = (i: number) => `${i}`;
  if (Array.isArray(data)) {
    list = [...data];
    out = list;
  } else if (isObject(data) && "tables" in data && !("format" in data)) {
    const { ruleSet, ...rest } = data;
    if (ruleSet !== undefined) {
      const r = parseRuleSet(ruleSet);
      if (r.ok) {
        extras.ruleSet = r.ruleSet;
        extras.ruleSetNotes = r.notes;
      } else errors.push(...r.errors.map((e) => `ruleSet.${e}`));
    }
    if (Array.isArray(rest.tables)) {
      list = [...rest.tables];
      prefix = (i) => `tables.${i}`;
    }
    out = list ? { ...rest, tables: list } : rest;
  } else if (isObject(data)) {
    list = [data];
    prefix = () => "";
  }
  list?.forEach((t, i) => {
    if (!isObject(t) || !("overrides" in t)) return;
    const { overrides, ...table } = t;
    list![i] = table;
    const r = overridesSchema.safeParse(overrides);
    if (!r.success) {
      for (const issue of r.error.issues) errors.push(`${[prefix(i), "overrides", ...issue.path].filter((p) => p !== "").join(".")}：${zodIssueText(issue)}`);
      return;
    }
    extras.overrides.set(i, r.data);
  });
  if (isObject(data) && list && !("tables" in data)) out = list[0];
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, data: out, extras };
}

/** An override naming an indicator the table does not have: not applied, said as an issue. */
export function overrideIndexIssues(overrides: ScoreOverride[], indicatorCount: number, table: number): ScoreIssue[] {
  return overrides
    .filter((o) => o.indicator >= indicatorCount)
    .map((o) => ({
      severity: "error" as const,
      code: "override_invalid",
      message: `人工调整分数指向第 ${o.indicator + 1} 个指标，表中只有 ${indicatorCount} 个指标，未采用`,
      where: { table, indicator: o.indicator, field: "overrides", line: null },
    }));
}
