// The rule set in force for a region and year: the region's own (rule_sets row, edited by
// finance) or, when it has none, the built-in default for that year.
import { and, eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { ruleSets } from "../../db/schema";
import { getRuleSet, parseRuleSet, type RuleSet } from "../domain/rules";

/** Built-in default by year: Chongqing's 2024 rules from 2024 on, its 2022 rules before. */
export function defaultRuleSetName(year: number): string {
  return year >= 2024 ? "chongqing-2024" : "chongqing-2022";
}

// Parsed rule sets by row, refreshed when the row's updated_at changes.
const cache = new Map<number, { updatedAt: number; ruleSet: RuleSet }>();

export function ruleSetFor(regionId: number, year: number): RuleSet {
  const row = db
    .select()
    .from(ruleSets)
    .where(and(eq(ruleSets.regionId, regionId), eq(ruleSets.year, year)))
    .get();
  if (row) {
    const hit = cache.get(row.id);
    if (hit && hit.updatedAt === row.updatedAt.getTime()) return hit.ruleSet;
    const parsed = parseRuleSet(JSON.parse(row.config));
    if (parsed.ok) {
      cache.set(row.id, { updatedAt: row.updatedAt.getTime(), ruleSet: parsed.ruleSet });
      return parsed.ruleSet;
    }
    // A stored rule set that no longer validates must not silently disable checks.
    console.error(`rule set ${row.id} is invalid: ${parsed.errors.join("; ")}; using the built-in default`);
  }
  return getRuleSet(defaultRuleSetName(year))!;
}
