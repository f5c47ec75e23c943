// What a page showing a target table needs, for 项目 and 部门整体 alike: the chosen
// version, its findings, the diff to the previous version, the review history and what
// the user may do with it.
import type { CurrentUser } from "../auth/types";
import { diffTables } from "../domain/diff";
import { checkTable } from "../domain/rules";
import { EMPTY_INDICATOR, isBlankRow, tableToForm, type TableForm } from "../domain/table-form";
import { availableActions, fillerRole, isEditable, type TableKind } from "../domain/workflow";
import { ruleSetFor } from "./rulesets.server";
import type { ProjectInScope } from "./projects.server";
import { historyForStoredTable, priorAndHistory } from "./results.server";
import { listReviews } from "./tables.server";
import { getTableInScope, tableToExchange } from "./workflow.server";
import type { targetTables } from "../../db/schema";

type Version = typeof targetTables.$inferSelect;

/**
 * `project`: a project page's project (as getProject found it), so that its 红灯预警 and the
 * checker's history come from one lookup (results.server.ts, priorAndHistory).
 */
export function loadTableView(user: CurrentUser, kind: TableKind, year: number, versions: Version[], wantedVersion: number | null, project?: ProjectInScope["project"]) {
  const selected = versions.find((v) => v.version === wantedVersion) ?? versions[0] ?? null;
  if (!selected) return null;
  const ctx = getTableInScope(user, selected.id);
  if (!ctx) return null;
  const exchange = tableToExchange(ctx);
  const ruleSet = ruleSetFor(user.regionId, year);
  const previous = versions.find((v) => v.version === selected.version - 1);
  const previousCtx = previous ? getTableInScope(user, previous.id) : null;
  const canEdit = user.role === fillerRole(kind) && isEditable(selected.status);
  // Last year's approved self-evaluation of the project, for below_last_actual (结果应用).
  const prior = project ? priorAndHistory(project, exchange) : { lastYear: undefined, history: historyForStoredTable(selected.id, exchange) };
  const history = prior.history;
  return {
    table: selected,
    exchange,
    findings: checkTable(exchange, ruleSet, history),
    history: canEdit ? history : [],
    reviews: listReviews(versions.map((v) => v.id)),
    // Submitting happens from the editor; the panel offers the reviewers' actions.
    actions: availableActions(selected.status, user.role, kind).filter((a) => a !== "submit"),
    canEdit,
    // A project version's header is edited with it, adjustments included (docs/decisions/026);
    // 部门整体's header still lives on its owner and is edited on version 1 only.
    headerEditable: canEdit && (kind === "project" || selected.version === 1),
    codeEditable: canEdit && selected.version === 1,
    ruleSet: canEdit ? ruleSet : null,
    editorDefaults: canEdit ? withSpareRows(tableToForm(exchange)) : null,
    diff: previousCtx ? diffTables(tableToExchange(previousCtx), exchange) : null,
    role: user.role,
    /** The project's 红灯预警 (undefined without `project`). */
    lastYear: prior.lastYear,
  };
}

/**
 * Blank rows are never stored, so the editor offers them: at least three rows, and always
 * one blank row at the end (where a browser without JavaScript adds the next indicator).
 */
export function withSpareRows(form: TableForm): TableForm {
  const rows = [...form.indicators];
  while (rows.length < 3) rows.push({ ...EMPTY_INDICATOR });
  if (!isBlankRow(rows[rows.length - 1])) rows.push({ ...EMPTY_INDICATOR });
  return { ...form, indicators: rows };
}
