// Conversion between the exchange format (app/domain/schemas.ts) and database rows, and
// the one function that writes a table version with its indicators and list statistics.
import { eq } from "drizzle-orm";
import type { DB } from "../../db/client.server";
import { indicators, projectHeaders, targetTables, type TableStatus } from "../../db/schema";
import { EXCHANGE_FORMAT, type ExchangeTable, type Indicator } from "../domain/schemas";
import { checkTable, type RuleSet } from "../domain/rules";
import { fromHundredths, toHundredths, wanToYuan, yuanToWan } from "../utils/format";
import { historyForProject, historyForStoredTable } from "./results.server";

export type Tx = Parameters<Parameters<DB["transaction"]>[0]>[0];

export type IndicatorRowInput = Omit<typeof indicators.$inferInsert, "id" | "tableId">;

export function indicatorToRow(ind: Indicator, position: number): IndicatorRowInput {
  return {
    position,
    level1: ind.level1,
    level2: ind.level2,
    name: ind.name,
    weight: toHundredths(ind.weight),
    unit: ind.unit,
    operator: ind.operator,
    target: ind.target,
    core: ind.core,
    explanation: ind.explanation ?? null,
    raw: ind.raw && Object.keys(ind.raw).length ? JSON.stringify(ind.raw) : null,
  };
}

export function rowToIndicator(row: typeof indicators.$inferSelect): Indicator {
  const ind: Indicator = {
    level1: row.level1,
    level2: row.level2,
    name: row.name,
    weight: fromHundredths(row.weight),
    unit: row.unit,
    operator: (row.operator as Indicator["operator"]) ?? null,
    target: row.target,
    core: row.core,
  };
  if (row.raw) ind.raw = JSON.parse(row.raw);
  if (row.explanation) ind.explanation = row.explanation;
  return ind;
}

/**
 * Statistics kept on target_tables so lists never recompute findings (no N+1). `history`:
 * last year's evaluated table of the project (results.server.ts), for below_last_actual.
 */
export function tableStats(table: ExchangeTable, ruleSet: RuleSet, history?: ExchangeTable[]) {
  const findings = checkTable(table, ruleSet, history);
  return {
    weightTotal: table.indicators.reduce((s, i) => s + (toHundredths(i.weight) ?? 0), 0),
    indicatorCount: table.indicators.length,
    errorCount: findings.filter((f) => f.severity === "error").length,
    warningCount: findings.filter((f) => f.severity === "warning").length,
    findings,
  };
}

/** Inserts a table version and its indicators. Call inside a transaction. */
export function insertTableVersion(
  tx: Tx,
  input: {
    regionId: number;
    owner: { projectId: number } | { departmentTargetId: number };
    version: number;
    status: TableStatus;
    isCurrent: boolean;
    table: ExchangeTable;
    ruleSet: RuleSet;
    actorId: number | null;
  },
): number {
  const history = "projectId" in input.owner ? historyForProject(input.owner.projectId, input.table, tx) : undefined;
  const stats = tableStats(input.table, input.ruleSet, history);
  const row = tx
    .insert(targetTables)
    .values({
      regionId: input.regionId,
      ...input.owner,
      version: input.version,
      status: input.status,
      isCurrent: input.isCurrent,
      budgetExecutionWeight: toHundredths(input.table.budgetExecutionWeight),
      weightTotal: stats.weightTotal,
      indicatorCount: stats.indicatorCount,
      errorCount: stats.errorCount,
      warningCount: stats.warningCount,
      updatedBy: input.actorId,
    })
    .returning({ id: targetTables.id })
    .get();
  if (input.table.indicators.length) {
    tx.insert(indicators)
      .values(input.table.indicators.map((ind, i) => ({ ...indicatorToRow(ind, i), tableId: row.id })))
      .run();
  }
  // Each version of a project carries its own header (docs/decisions/026).
  if ("projectId" in input.owner) tx.insert(projectHeaders).values({ tableId: row.id, ...projectHeaderToRow(input.table) }).run();
  return row.id;
}

/** Replaces a table's indicators and refreshes its statistics (a draft save). */
export function replaceTableContent(tx: Tx, tableId: number, table: ExchangeTable, ruleSet: RuleSet, actorId: number) {
  const stats = tableStats(table, ruleSet, historyForStoredTable(tableId, table, tx));
  tx.delete(indicators).where(eq(indicators.tableId, tableId)).run();
  if (table.indicators.length) {
    tx.insert(indicators)
      .values(table.indicators.map((ind, i) => ({ ...indicatorToRow(ind, i), tableId })))
      .run();
  }
  return stats;
}

export type ProjectHeaderRow = Omit<typeof projectHeaders.$inferSelect, "tableId">;

/** A version's header as stored in project_headers (the code is the project's, not the version's). */
export function projectHeaderToRow(t: ExchangeTable): ProjectHeaderRow {
  return headerRowOf(t.project);
}

function headerRowOf(p: ExchangeTable["project"]): ProjectHeaderRow {
  return {
    name: p?.name ?? "（未命名项目）",
    category: p?.category ?? null,
    financeOfficeCode: p?.financeOffice?.code ?? null,
    financeOfficeName: p?.financeOffice?.name ?? null,
    budgetTotal: wanToYuan(p?.budget.total),
    budgetLocal: wanToYuan(p?.budget.local),
    budgetSuperior: wanToYuan(p?.budget.superior),
    overview: p?.overview ?? null,
    basis: p?.basis ?? null,
    schedule: p?.schedule ?? null,
    measures: p?.measures ?? null,
    midTermGoal: p?.midTermGoal ?? null,
    annualGoal: p?.annualGoal ?? null,
  };
}

/** The projects row of a new project: its identity and the list columns of its version 1. */
export function projectRowOf(t: ExchangeTable) {
  const h = projectHeaderToRow(t);
  return { code: t.project?.code ?? null, name: h.name, category: h.category, budgetTotal: h.budgetTotal };
}

/**
 * A project version as exchange JSON (used by export, the checker and the editor): the
 * identity from the project, the header from the version (docs/decisions/026).
 */
export function projectToExchange(
  project: { year: number; code: string | null; name: string },
  header: ProjectHeaderRow | null,
  department: { code: string; name: string },
  unit: { code: string; name: string } | null,
  table: { budgetExecutionWeight: number | null } | null,
  rows: (typeof indicators.$inferSelect)[],
): ExchangeTable {
  // A version without a header row (none is written without one) shows the project's name only.
  const h = header ?? { ...headerRowOf(null), name: project.name };
  return {
    format: EXCHANGE_FORMAT,
    kind: "project",
    year: project.year,
    department: { code: department.code, name: department.name },
    unit: unit ? { code: unit.code, name: unit.name } : null,
    project: {
      code: project.code,
      name: h.name,
      category: h.category,
      financeOffice: h.financeOfficeCode || h.financeOfficeName ? { code: h.financeOfficeCode, name: h.financeOfficeName } : null,
      budget: {
        total: yuanToWan(h.budgetTotal),
        local: yuanToWan(h.budgetLocal),
        superior: yuanToWan(h.budgetSuperior),
      },
      overview: h.overview,
      basis: h.basis,
      schedule: h.schedule,
      measures: h.measures,
      midTermGoal: h.midTermGoal,
      annualGoal: h.annualGoal,
    },
    overall: null,
    budgetExecutionWeight: fromHundredths(table?.budgetExecutionWeight),
    indicators: rows.map(rowToIndicator),
  };
}

export function departmentTargetToExchange(
  target: { year: number; budget: number | null; midTermGoal: string | null; annualGoal: string | null },
  department: { code: string; name: string },
  table: { budgetExecutionWeight: number | null } | null,
  rows: (typeof indicators.$inferSelect)[],
): ExchangeTable {
  return {
    format: EXCHANGE_FORMAT,
    kind: "department",
    year: target.year,
    department: { code: department.code, name: department.name },
    unit: null,
    project: null,
    overall: { budget: yuanToWan(target.budget), midTermGoal: target.midTermGoal, annualGoal: target.annualGoal },
    budgetExecutionWeight: fromHundredths(table?.budgetExecutionWeight),
    indicators: rows.map(rowToIndicator),
  };
}
