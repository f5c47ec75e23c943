// Excel and print for 监控填报 (issue 10 item 7): the data of the 项目支出绩效运行监控表 for one
// entry or a round, and the import of a filled-in workbook (preview → confirm).
//
// Everything goes through reports.server.ts: loadEntry decides scope (a foreign or
// out-of-scope owner is "not found") and gives the form values, saveEntry with intent "save"
// is the only writer, so the entry page's rules (filler role, open round, lock after
// submission, optimistic revision) apply to imports unchanged. The importer saves as the
// signed-in user: a sheet that user may not fill is an error row of the preview
// (docs/decisions/015-monitoring-import-as-filler.md).
import type { CurrentUser } from "../auth/types";
import type { Light } from "../domain/monitoring";
import { emptyMonitoringRow, type MonitoringForm } from "../domain/monitoring-form";
import { isReportEditable, REPORT_STATE_LABELS, reportFillerRole } from "../domain/report-workflow";
import { periodLabel } from "../domain/rounds";
import { MAX_MONITORING_SHEETS, TooManySheetsError } from "../io/xlsx/monitoring-export";
import { checkFormValues, sameForm, sheetToForm, type ImportIssue, type ParsedWorkbook } from "../io/xlsx/monitoring-import";
import type { MonitoringSheetData } from "../io/xlsx/monitoring-layout";
import { db } from "../../db/client.server";
import { recordAudit } from "./audit.server";
import { listRoundEntries } from "./monitoring-overview.server";
import { listDepartments } from "./org.server";
import { assessMonitoringForm, loadEntry, saveEntry, type EntryView, type OwnerRef } from "./reports.server";
import type { Round } from "./rounds.server";

function lightsOf(user: CurrentUser, round: Round, view: EntryView, form: MonitoringForm) {
  return assessMonitoringForm(round, view.indicators, form, user);
}

function sheetData(user: CurrentUser, round: Round, view: EntryView): MonitoringSheetData {
  const o = view.owner;
  return {
    roundId: round.id,
    year: round.year,
    periodLabel: view.round.label,
    ownerKind: o.kind,
    ownerId: o.id,
    tableId: view.table.id,
    name: o.name,
    code: o.code,
    departmentName: o.departmentName,
    unitName: o.unitName,
    status: view.report ? view.status : null,
    editable: view.canEdit,
    budgetInitial: o.budget,
    form: view.form,
    indicators: view.indicators.map((i) => ({ id: i.id, position: i.position, level1: i.level1, level2: i.level2, name: i.name, operator: i.operator, target: i.target, unit: i.unit })),
    assessment: lightsOf(user, round, view, view.form),
  };
}

/** One entry's sheet (the saved report, else the blank form prefilled as on the entry page); null → 404. */
export function entrySheet(user: CurrentUser, round: Round, ref: OwnerRef, now = new Date()): MonitoringSheetData | null {
  const view = loadEntry(user, round, ref, now);
  return view ? sheetData(user, round, view) : null;
}

/**
 * Every entry of a round in the user's scope (or of one department in it) as sheets, in the
 * order of the round page's list. null when the department is not in the user's scope (→ 404);
 * more than MAX_MONITORING_SHEETS throws TooManySheetsError before anything is loaded.
 */
export function roundSheets(user: CurrentUser, round: Round, departmentId: number | null, now = new Date()) {
  const department = departmentId === null ? null : listDepartments(user).find((d) => d.id === departmentId);
  if (department === undefined) return null;
  const first = listRoundEntries(user, round, { departmentId, page: 1 }, now);
  if (first.total > MAX_MONITORING_SHEETS) throw new TooManySheetsError(first.total);
  const owners = [...first.rows];
  for (let page = 2; owners.length < first.total; page++) {
    const next = listRoundEntries(user, round, { departmentId, page }, now).rows;
    if (next.length === 0) break;
    owners.push(...next);
  }
  const sheets: MonitoringSheetData[] = [];
  for (const o of owners) {
    const s = entrySheet(user, round, { kind: o.kind, id: o.ownerId }, now);
    if (s) sheets.push(s);
  }
  return { department, sheets };
}

// ---------------------------------------------------------------------------------------
// Import

/** What confirmation saves for one sheet; travels through the preview page and is re-checked. */
export interface ImportCandidate {
  sheet: string;
  ownerKind: OwnerRef["kind"];
  ownerId: number;
  tableId: number;
  /** The report's revision seen by the preview (null: not started): a save in between is a 409. */
  revision: number | null;
  form: MonitoringForm;
}

export type ImportItem = {
  sheet: string;
  /** save: will be saved as a draft; unchanged: same as what is saved (nothing written); error: not imported. */
  outcome: "save" | "unchanged" | "error";
  name: string | null;
  href: string | null;
  issues: ImportIssue[];
  /** What the import changes, in words (at most 12 lines). */
  changes: string[];
  /** The lights after the import. */
  lights: { budget: Light | null; green: number; yellow: number; red: number; none: number } | null;
  candidate: ImportCandidate | null;
};

const roundLabel = (round: Round) => periodLabel(round.kind, round.period);

const hrefOf = (round: Round, kind: OwnerRef["kind"], id: number) => `/monitoring/${round.id}/${kind === "project" ? "p" : "d"}/${id}`;

const STALE_TABLE = "该项目的绩效目标表已调整为新的版本，此表是按旧版本导出的：请重新导出后填写";

/**
 * Why this user may not save this entry now, or null: the same checks as saveEntry, in words
 * for a preview row (saveEntry re-checks all of it when saving). Asked only of a sheet that
 * changes something: an unchanged sheet of a locked entry, or of another filler's entry the
 * user may see, is simply "无变化".
 */
function refusal(user: CurrentUser, view: EntryView): string | null {
  const kind = view.owner.kind;
  if (user.role !== reportFillerRole(kind)) {
    return kind === "project"
      ? "只有项目单位可以填报项目的监控表，请由项目单位导入（导入按当前登录的用户保存，主管部门和财政不能代为填报）"
      : "只有主管部门可以填报部门整体的监控表";
  }
  if (!view.entryOpen) return "本轮任务未开放或已关闭，不能填报";
  if (!view.report || isReportEditable(view.status)) return null;
  const state = view.status === "approved" ? "已审核" : `已提交（${REPORT_STATE_LABELS[view.status]}）`;
  return `该填报${state}，已锁定，不能通过导入修改`;
}

function describeChanges(view: EntryView, before: MonitoringForm, after: MonitoringForm): string[] {
  const out: string[] = [];
  const diff = (label: string, a: string, b: string) => {
    if (a.trim() !== b.trim()) out.push(`${label}：${a.trim() || "（空）"} → ${b.trim() || "（空）"}`);
  };
  diff("全年预算数", before.budgetAnnual, after.budgetAnnual);
  diff("截至本期执行数", before.budgetExecuted, after.budgetExecuted);
  diff("预算执行偏差原因", before.budgetReason, after.budgetReason);
  diff("预算执行纠偏措施", before.budgetMeasures, after.budgetMeasures);
  view.indicators.forEach((ind, i) => {
    const a = before.rows[i] ?? emptyMonitoringRow();
    const b = after.rows[i] ?? emptyMonitoringRow();
    const name = `「${ind.name ?? "（未命名）"}」`;
    diff(`${name}截至本期完成值`, a.actual, b.actual);
    diff(`${name}全年预计完成值`, a.projected, b.projected);
    diff(`${name}完成目标可能性`, a.likelihood, b.likelihood);
    diff(`${name}偏差原因`, a.reasons.join("、"), b.reasons.join("、"));
    diff(`${name}原因说明`, a.reasonText, b.reasonText);
    diff(`${name}纠偏措施`, a.measures, b.measures);
  });
  return out.length > 12 ? [...out.slice(0, 12), `……共 ${out.length} 处修改`] : out;
}

const sheetError = (sheet: string, message: string): ImportIssue => ({ sheet, row: null, severity: "error", message: `工作表「${sheet}」：${message}` });

/** The preview of an import: per sheet, what confirmation would do, with every problem found. */
export function previewMonitoringImport(user: CurrentUser, round: Round, parsed: ParsedWorkbook, now = new Date()): ImportItem[] {
  const seen = new Map<string, string>();
  return parsed.sheets.map((s): ImportItem => {
    const item: ImportItem = { sheet: s.sheet, outcome: "error", name: null, href: null, issues: [...s.issues], changes: [], lights: null, candidate: null };
    const fail = (message: string) => {
      item.issues.push(sheetError(s.sheet, message));
      return item;
    };
    if (!s.ids) return item;
    const { roundId, ownerKind, ownerId, tableId } = s.ids;
    const what = ownerKind === "project" ? "项目" : "部门整体目标";
    if (roundId !== round.id) return fail(`此表属于另一轮监控任务（任务编号 ${roundId}），不能导入到本轮（${round.year} 年度${roundLabel(round)}）`);
    const view = loadEntry(user, round, { kind: ownerKind, id: ownerId }, now);
    if (!view) return fail(`未找到${what}（系统编号 ${ownerId}），或不在您的填报范围内`);
    item.name = view.owner.name;
    item.href = hrefOf(round, ownerKind, ownerId);
    const key = `${ownerKind}:${ownerId}`;
    if (seen.has(key)) return fail(`与工作表「${seen.get(key)}」是同一${what}的监控表，只导入第一张`);
    seen.set(key, s.sheet);
    if (tableId !== view.table.id) return fail(STALE_TABLE);
    const { form, issues } = sheetToForm(s, { indicators: view.indicators, current: view.form });
    item.issues.push(...issues);
    const a = lightsOf(user, round, view, form);
    item.lights = { budget: a.budget.light, ...a.counts };
    if (item.issues.some((i) => i.severity === "error")) return item;
    if (sameForm(form, view.form)) {
      // The saved entry, or the blank form as exported (then nothing is started).
      item.outcome = "unchanged";
      return item;
    }
    const refused = refusal(user, view);
    if (refused) return fail(refused);
    item.outcome = "save";
    item.changes = describeChanges(view, view.form, form);
    item.candidate = { sheet: s.sheet, ownerKind, ownerId, tableId, revision: view.report?.revision ?? null, form };
    return item;
  });
}

export type CommitResult = {
  saved: Array<{ sheet: string; name: string; href: string; reportId: number }>;
  unchanged: Array<{ sheet: string; name: string; href: string }>;
  failed: Array<{ sheet: string; name: string | null; href: string | null; reason: string }>;
};

/**
 * Saves each candidate as a draft through saveEntry (intent "save"), after checking again
 * what the preview checked: the owner in scope, the filler, the table version, the open
 * round, the lock, the values. A candidate equal to what is saved writes nothing, so
 * importing the same workbook twice gives no new revision. Each sheet is saved on its own:
 * one refused sheet does not stop the others.
 */
export function commitMonitoringImport(user: CurrentUser, round: Round, candidates: ImportCandidate[], file: string, now = new Date()): CommitResult {
  const out: CommitResult = { saved: [], unchanged: [], failed: [] };
  const done = new Set<string>();
  for (const c of candidates) {
    const ref: OwnerRef = { kind: c.ownerKind, id: c.ownerId };
    const view = loadEntry(user, round, ref, now);
    if (!view) {
      out.failed.push({ sheet: c.sheet, name: null, href: null, reason: "未找到，或不在您的填报范围内" });
      continue;
    }
    const name = view.owner.name;
    const href = hrefOf(round, c.ownerKind, c.ownerId);
    const key = `${c.ownerKind}:${c.ownerId}`;
    const invalid = done.has(key)
      ? "同一项目的监控表重复"
      : c.tableId !== view.table.id
        ? STALE_TABLE
        : c.form.rows.length !== view.indicators.length
          ? "指标行数与绩效目标表不符，请重新上传"
          : checkFormValues(c.form, view.indicators, { sheet: c.sheet, budgetRow: null, rowOf: () => null })[0]?.message ?? null;
    done.add(key);
    if (invalid) {
      out.failed.push({ sheet: c.sheet, name, href, reason: invalid });
      continue;
    }
    if (sameForm(c.form, view.form)) {
      out.unchanged.push({ sheet: c.sheet, name, href });
      continue;
    }
    const refused = refusal(user, view);
    if (refused) {
      out.failed.push({ sheet: c.sheet, name, href, reason: refused });
      continue;
    }
    const r = saveEntry(user, round, ref, { intent: "save", revision: c.revision, raw: c.form }, now);
    if (r.ok) out.saved.push({ sheet: c.sheet, name, href, reportId: r.reportId });
    else {
      const reason = r.status === 409 && /他人已保存/.test(r.reason) ? "预览之后这份填报已被修改（可能是在网页上保存的），请重新上传后再确认" : r.reason;
      out.failed.push({ sheet: c.sheet, name, href, reason });
    }
  }
  if (out.saved.length > 0) {
    recordAudit(db, {
      actor: user,
      entity: "round",
      entityId: round.id,
      action: "import_xlsx",
      after: { file, saved: out.saved.map((s) => s.reportId), unchanged: out.unchanged.length, failed: out.failed.length },
    });
  }
  return out;
}
