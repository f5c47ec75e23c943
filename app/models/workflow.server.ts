// Filling and reviewing target tables: load a table in the user's scope, save a draft
// (optimistic concurrency on `revision`), and take workflow actions. Who may do what in
// which state is decided by app/domain/workflow.ts; this file adds scope, persistence,
// the review record and the audit trail, each action in one transaction.
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { db } from "../../db/client.server";
import {
  departments,
  departmentTargets,
  projectHeaders,
  projects,
  reviews,
  targetTables,
  units,
} from "../../db/schema";
import type { CurrentUser } from "../auth/types";
import type { ExchangeTable } from "../domain/schemas";
import { emptyProjectHeader, EXCHANGE_FORMAT } from "../domain/schemas";
import {
  formToTable,
  moneyToNumber,
  type ProjectHeaderForm,
  type TableForm,
} from "../domain/table-form";
import {
  fillerRole,
  isEditable,
  transition,
  type Rating,
  type TableKind,
  type WorkflowAction,
} from "../domain/workflow";
import { recordAudit } from "./audit.server";
import {
  departmentTargetToExchange,
  insertTableVersion,
  projectHeaderToRow,
  projectRowOf,
  projectToExchange,
  replaceTableContent,
  tableStats,
  type Tx,
} from "./exchange.server";
import { historyForStoredTable } from "./results.server";
import { ruleSetFor } from "./rulesets.server";
import { preparedOnce, preparedPerShape } from "./prepared.server";
import { departmentTargetScope, preparedProjectScope, projectScope, scopeParams, scopeShape, type ScopeShape } from "./scope.server";
import { listIndicators } from "./tables.server";
import { toHundredths, wanToYuan } from "../utils/format";

type TableRow = typeof targetTables.$inferSelect;

export type TableContext = {
  table: TableRow;
  kind: TableKind;
  year: number;
  ownerId: number;
  departmentId: number;
  unitId: number | null;
  /** Where the table is shown in the app. */
  href: string;
};

/** A table version in the user's scope, or null (→ 404). */
export function getTableInScope(user: CurrentUser, tableId: number): TableContext | null {
  if (!Number.isInteger(tableId)) return null;
  const p = projectTableById(scopeShape(user)).get({ tableId, ...scopeParams(user) });
  if (p) {
    return {
      table: p.table,
      kind: "project",
      year: p.year,
      ownerId: p.table.projectId!,
      departmentId: p.departmentId,
      unitId: p.unitId,
      href: `/projects/${p.table.projectId}?version=${p.table.version}`,
    };
  }
  const d = db
    .select({ table: targetTables, year: departmentTargets.year, departmentId: departmentTargets.departmentId })
    .from(targetTables)
    .innerJoin(departmentTargets, eq(departmentTargets.id, targetTables.departmentTargetId))
    .where(and(eq(targetTables.id, tableId), departmentTargetScope(user)))
    .get();
  if (d) {
    return {
      table: d.table,
      kind: "department",
      year: d.year,
      ownerId: d.table.departmentTargetId!,
      departmentId: d.departmentId,
      unitId: null,
      href: `/department-targets/${d.table.departmentTargetId}?version=${d.table.version}`,
    };
  }
  return null;
}

const projectTableById = preparedPerShape((shape: ScopeShape) =>
  db
    .select({ table: targetTables, year: projects.year, departmentId: projects.departmentId, unitId: projects.unitId })
    .from(targetTables)
    .innerJoin(projects, eq(projects.id, targetTables.projectId))
    .where(and(eq(targetTables.id, sql.placeholder("tableId")), preparedProjectScope(shape)))
    .prepare(),
);

const headerOfVersion = preparedOnce(() => db.select().from(projectHeaders).where(eq(projectHeaders.tableId, sql.placeholder("tableId"))).prepare());

const projectWithOrganisations = preparedOnce(() =>
  db
    .select({ project: projects, dept: departments, unit: units })
    .from(projects)
    .innerJoin(departments, eq(departments.id, projects.departmentId))
    .leftJoin(units, eq(units.id, projects.unitId))
    .where(eq(projects.id, sql.placeholder("id")))
    .prepare(),
);

/** The header of one project version (docs/decisions/026), or null. */
export function versionHeader(tableId: number) {
  const h = headerOfVersion().get({ tableId });
  if (!h) return null;
  const { tableId: _, ...header } = h;
  return header;
}

/** The table version as exchange JSON (identity from its owner, header from the version). */
export function tableToExchange(ctx: TableContext): ExchangeTable {
  const rows = listIndicators(ctx.table.id);
  if (ctx.kind === "project") {
    const r = projectWithOrganisations().get({ id: ctx.ownerId })!;
    return projectToExchange(r.project, versionHeader(ctx.table.id), r.dept, r.unit, ctx.table, rows);
  }
  const r = db
    .select({ target: departmentTargets, dept: departments })
    .from(departmentTargets)
    .innerJoin(departments, eq(departments.id, departmentTargets.departmentId))
    .where(eq(departmentTargets.id, ctx.ownerId))
    .get()!;
  return departmentTargetToExchange(r.target, r.dept, ctx.table, rows);
}

export type SaveResult =
  | { ok: true; revision: number; errorCount: number; warningCount: number }
  | { ok: false; status: 403 | 409; reason: string; conflict?: boolean };

class Conflict extends Error {}

/**
 * Saves the form as the table's new content. Refused unless the user is the filler of an
 * editable (草稿 / 退回修改) table; a stale `revision` (someone saved in between) is a
 * conflict and writes nothing. A project version's header is saved with it, also on an
 * adjustment (docs/decisions/026); the project code is identity, set only on version 1.
 */
export function saveDraft(
  user: CurrentUser,
  ctx: TableContext,
  input: { revision: number; form: TableForm; header?: ProjectHeaderForm | null },
): SaveResult {
  if (user.role !== fillerRole(ctx.kind)) return { ok: false, status: 403, reason: "只有填报单位可以修改绩效目标表" };
  if (!isEditable(ctx.table.status)) {
    return { ok: false, status: 409, reason: "此表已提交或已批复，不能修改" };
  }
  const before = tableToExchange(ctx);
  const ruleSet = ruleSetFor(user.regionId, ctx.year);
  const header = ctx.kind === "project" && input.header ? input.header : null;
  const codeAllowed = ctx.table.version === 1;
  const after = formToTable(input.form, header ? applyHeader(before, header, codeAllowed) : before);
  try {
    return db.transaction((tx) => {
      const stats = replaceTableContent(tx, ctx.table.id, after, ruleSet, user.id);
      const updated = tx
        .update(targetTables)
        .set({
          revision: sql`${targetTables.revision} + 1`,
          budgetExecutionWeight: toHundredths(after.budgetExecutionWeight),
          weightTotal: stats.weightTotal,
          indicatorCount: stats.indicatorCount,
          errorCount: stats.errorCount,
          warningCount: stats.warningCount,
          updatedBy: user.id,
          updatedAt: new Date(),
        })
        .where(
          and(
            eq(targetTables.id, ctx.table.id),
            eq(targetTables.revision, input.revision),
            inArray(targetTables.status, ["draft", "returned"]),
          ),
        )
        .returning({ revision: targetTables.revision })
        .get();
      if (!updated) throw new Conflict();
      if (header) {
        const row = projectHeaderToRow(after);
        tx.insert(projectHeaders)
          .values({ tableId: ctx.table.id, ...row })
          .onConflictDoUpdate({ target: projectHeaders.tableId, set: row })
          .run();
        if (codeAllowed) tx.update(projects).set({ code: after.project?.code ?? null }).where(eq(projects.id, ctx.ownerId)).run();
      }
      recordAudit(tx, {
        actor: user,
        entity: "table",
        entityId: ctx.table.id,
        action: "save_draft",
        before: { budgetExecutionWeight: before.budgetExecutionWeight, project: before.project, indicators: before.indicators },
        after: { budgetExecutionWeight: after.budgetExecutionWeight, project: after.project, indicators: after.indicators },
      });
      return { ok: true as const, revision: updated.revision, errorCount: stats.errorCount, warningCount: stats.warningCount };
    });
  } catch (e) {
    if (e instanceof Conflict) {
      return { ok: false, status: 409, conflict: true, reason: "保存失败：在您编辑期间，他人已保存了这张表。您填写的内容仍保留在下方，请查看最新版本后再保存。" };
    }
    throw e;
  }
}

/** The header as typed over the stored one; fields the editor does not show are kept. */
function applyHeader(table: ExchangeTable, h: ProjectHeaderForm, codeAllowed = true): ExchangeTable {
  const t = (s: string) => (s.trim() === "" ? null : s.trim());
  const p = table.project ?? emptyProjectHeader();
  return {
    ...table,
    project: {
      ...p,
      name: h.name.trim(),
      code: codeAllowed ? t(h.code) : p.code,
      category: t(h.category),
      budget: { total: moneyToNumber(h.budgetTotal), local: moneyToNumber(h.budgetLocal), superior: moneyToNumber(h.budgetSuperior) },
      overview: t(h.overview),
      basis: t(h.basis),
      midTermGoal: t(h.midTermGoal),
      annualGoal: t(h.annualGoal),
    },
  };
}

/** 新建项目: a unit user's new project with an empty draft table (version 1). */
export function createProject(user: CurrentUser, header: ProjectHeaderForm, form: TableForm): { ok: true; projectId: number } | { ok: false; reason: string } {
  if (user.role !== "unit" || !user.unitId || !user.departmentId) return { ok: false, reason: "只有项目单位填报人可以新建项目" };
  const year = user.currentYear;
  const ruleSet = ruleSetFor(user.regionId, year);
  const base: ExchangeTable = {
    format: EXCHANGE_FORMAT,
    kind: "project",
    year,
    department: null,
    unit: null,
    project: emptyProjectHeader(),
    overall: null,
    budgetExecutionWeight: null,
    indicators: [],
  };
  const table = formToTable(form, applyHeader(base, header));
  const projectId = db.transaction((tx) => {
    const project = tx
      .insert(projects)
      .values({
        regionId: user.regionId,
        year,
        departmentId: user.departmentId!,
        unitId: user.unitId,
        ...projectRowOf(table),
        createdBy: user.id,
      })
      .returning({ id: projects.id })
      .get();
    const tableId = insertTableVersion(tx, {
      regionId: user.regionId,
      owner: { projectId: project.id },
      version: 1,
      status: "draft",
      isCurrent: true,
      table,
      ruleSet,
      actorId: user.id,
    });
    recordAudit(tx, { actor: user, entity: "project", entityId: project.id, action: "create", after: { code: table.project?.code ?? null, ...projectHeaderToRow(table), tableId } });
    return project.id;
  });
  return { ok: true, projectId };
}

export type ActionInput = {
  action: WorkflowAction;
  comment?: string | null;
  rating?: Rating | null;
  indicatorComments?: { position: number; comment: string }[];
};

export type ActionResult =
  | { ok: true; to: string; tableId: number; newTableId?: number }
  | { ok: false; status: 400 | 403 | 409; reason: string };

/**
 * Takes a workflow action on a table in the user's scope. Submitting re-runs the checker
 * on the stored table: the browser's findings are a convenience, this is the final word.
 */
export function performAction(user: CurrentUser, ctx: TableContext, input: ActionInput): ActionResult {
  // Only finance rates; the review page offers the field to finance only, so a
  // rating from another role is a forged form: refused, nothing written.
  if (input.rating && user.role !== "finance") return { ok: false, status: 403, reason: "只有财政局审核时可以给出评级" };
  const ruleSet = ruleSetFor(user.regionId, ctx.year);
  // Only submitting (re-check) and 申请调整 (copy) need the table's content.
  const exchange = input.action === "submit" || input.action === "request_adjustment" ? tableToExchange(ctx) : null;
  const errorCount =
    exchange && input.action === "submit" ? tableStats(exchange, ruleSet, historyForStoredTable(ctx.table.id, exchange)).errorCount : ctx.table.errorCount;
  const result = transition(ctx.table.status, input.action, user.role, {
    kind: ctx.kind,
    errorCount,
    comment: input.comment ?? null,
    rating: input.rating ?? null,
    isAdjustment: ctx.table.version > 1,
  });
  if (!result.ok) return { ok: false, status: user.role === "admin" ? 403 : 400, reason: result.reason };

  let to = result.to;
  // Region setting: project tables go straight to finance.
  if (input.action === "submit" && to === "pending_department" && user.skipDepartmentReview) to = "pending_finance";

  if (result.effects.includes("create_version")) {
    const open = db
      .select({ id: targetTables.id })
      .from(targetTables)
      .where(and(ownerCondition(ctx), sql`${targetTables.version} > ${ctx.table.version}`, inArray(targetTables.status, ["draft", "returned", "pending_department", "pending_finance"])))
      .get();
    if (open) return { ok: false, status: 409, reason: "已有一个调整版本正在填报或审核中" };
  }

  return db.transaction((tx) => {
    let newTableId: number | undefined;
    if (to !== ctx.table.status) {
      const changed = tx
        .update(targetTables)
        .set({
          status: to,
          rating: user.role === "finance" ? (input.rating ?? ctx.table.rating) : ctx.table.rating,
          errorCount: input.action === "submit" ? errorCount : ctx.table.errorCount,
          updatedBy: user.id,
          updatedAt: new Date(),
          revision: sql`${targetTables.revision} + 1`,
        })
        .where(and(eq(targetTables.id, ctx.table.id), eq(targetTables.status, ctx.table.status)))
        .run();
      if (changed.changes !== 1) return { ok: false as const, status: 409 as const, reason: "此表状态已被他人改变，请刷新后重试" };
    }
    if (result.effects.includes("supersede_previous")) {
      tx.update(targetTables)
        .set({ status: "superseded", isCurrent: false })
        .where(and(ownerCondition(ctx), eq(targetTables.isCurrent, true), sql`${targetTables.id} <> ${ctx.table.id}`))
        .run();
      tx.update(targetTables).set({ isCurrent: true }).where(eq(targetTables.id, ctx.table.id)).run();
      // The approved adjustment's header is now the one lists show: projects' copy follows by
      // trigger (drizzle/0012, docs/decisions/026).
    }
    if (result.effects.includes("create_version")) {
      const latest = tx
        .select({ version: targetTables.version })
        .from(targetTables)
        .where(ownerCondition(ctx))
        .orderBy(desc(targetTables.version))
        .get()!;
      newTableId = insertTableVersion(tx, {
        regionId: user.regionId,
        owner: ctx.kind === "project" ? { projectId: ctx.ownerId } : { departmentTargetId: ctx.ownerId },
        version: latest.version + 1,
        status: "draft",
        isCurrent: false,
        table: exchange!,
        ruleSet,
        actorId: user.id,
      });
    }
    tx.insert(reviews)
      .values({
        regionId: user.regionId,
        tableId: ctx.table.id,
        fromStatus: ctx.table.status,
        toStatus: to,
        action: input.action,
        rating: input.rating ?? null,
        comment: input.comment?.trim() || null,
        indicatorComments: input.indicatorComments?.length ? JSON.stringify(input.indicatorComments) : null,
        actorId: user.id,
      })
      .run();
    recordAudit(tx, {
      actor: user,
      entity: "table",
      entityId: ctx.table.id,
      action: input.action,
      before: { status: ctx.table.status },
      after: { status: to, rating: input.rating ?? null, comment: input.comment ?? null, newTableId: newTableId ?? null },
    });
    return { ok: true as const, to, tableId: ctx.table.id, newTableId };
  });
}

function ownerCondition(ctx: TableContext) {
  return ctx.kind === "project" ? eq(targetTables.projectId, ctx.ownerId) : eq(targetTables.departmentTargetId, ctx.ownerId);
}

/** 部门整体绩效目标: a department user's table for their department and the current year. */
export function createDepartmentTarget(user: CurrentUser): { ok: true; id: number } | { ok: false; reason: string } {
  if (user.role !== "department" || !user.departmentId) return { ok: false, reason: "只有主管部门可以填报部门整体绩效目标表" };
  const year = user.currentYear;
  const existing = db
    .select({ id: departmentTargets.id })
    .from(departmentTargets)
    .where(and(eq(departmentTargets.regionId, user.regionId), eq(departmentTargets.year, year), eq(departmentTargets.departmentId, user.departmentId)))
    .get();
  if (existing) return { ok: true, id: existing.id };
  const ruleSet = ruleSetFor(user.regionId, year);
  const id = db.transaction((tx) => {
    const target = tx
      .insert(departmentTargets)
      .values({ regionId: user.regionId, year, departmentId: user.departmentId! })
      .returning({ id: departmentTargets.id })
      .get();
    const table: ExchangeTable = {
      format: EXCHANGE_FORMAT,
      kind: "department",
      year,
      department: null,
      unit: null,
      project: null,
      overall: { budget: null, midTermGoal: null, annualGoal: null },
      budgetExecutionWeight: null,
      indicators: [],
    };
    const tableId = insertTableVersion(tx, {
      regionId: user.regionId,
      owner: { departmentTargetId: target.id },
      version: 1,
      status: "draft",
      isCurrent: true,
      table,
      ruleSet,
      actorId: user.id,
    });
    recordAudit(tx, { actor: user, entity: "department_target", entityId: target.id, action: "create", after: { year, tableId } });
    return target.id;
  });
  return { ok: true, id };
}

/** 部门支出预算数 and 当年整体绩效目标, editable by the department while its table is editable. */
export function updateDepartmentTargetHeader(
  user: CurrentUser,
  ctx: TableContext,
  input: { budget: number | null; annualGoal: string | null },
): { ok: true } | { ok: false; status: 403 | 409; reason: string } {
  if (ctx.kind !== "department" || user.role !== "department") return { ok: false, status: 403, reason: "只有主管部门可以修改" };
  if (!isEditable(ctx.table.status) || ctx.table.version !== 1) return { ok: false, status: 409, reason: "此表已提交或已批复，不能修改" };
  db.transaction((tx) => {
    const before = tx.select().from(departmentTargets).where(eq(departmentTargets.id, ctx.ownerId)).get()!;
    const after = { budget: wanToYuan(input.budget), annualGoal: input.annualGoal };
    tx.update(departmentTargets).set({ ...after, updatedAt: new Date() }).where(eq(departmentTargets.id, ctx.ownerId)).run();
    recordAudit(tx, {
      actor: user,
      entity: "department_target",
      entityId: ctx.ownerId,
      action: "update",
      before: { budget: before.budget, annualGoal: before.annualGoal },
      after,
    });
  });
  return { ok: true };
}

/** The department targets in the user's scope, newest year first, with their current table. */
export function listDepartmentTargets(user: CurrentUser) {
  return db
    .select({
      id: departmentTargets.id,
      year: departmentTargets.year,
      budget: departmentTargets.budget,
      departmentCode: departments.code,
      departmentName: departments.name,
      status: targetTables.status,
      version: targetTables.version,
      indicatorCount: targetTables.indicatorCount,
      errorCount: targetTables.errorCount,
      warningCount: targetTables.warningCount,
    })
    .from(departmentTargets)
    .innerJoin(departments, eq(departments.id, departmentTargets.departmentId))
    .leftJoin(targetTables, and(eq(targetTables.departmentTargetId, departmentTargets.id), eq(targetTables.isCurrent, true)))
    .where(departmentTargetScope(user))
    .orderBy(desc(departmentTargets.year), departments.code)
    .all();
}

/** One department target in scope with its department, or null. */
export function getDepartmentTarget(user: CurrentUser, id: number) {
  return (
    db
      .select({ target: departmentTargets, departmentCode: departments.code, departmentName: departments.name })
      .from(departmentTargets)
      .innerJoin(departments, eq(departments.id, departmentTargets.departmentId))
      .where(and(eq(departmentTargets.id, id), departmentTargetScope(user)))
      .get() ?? null
  );
}
