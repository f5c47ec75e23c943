// Importing exchange tables (from a published document, an .xlsx or the seeds) into a
// region: a preview that writes nothing, then one transaction that writes everything.
// Re-importing the same table does not duplicate it: a project matches on year + code,
// or year + department + name when it has no code; a department table on year + department.
import { and, eq, isNull } from "drizzle-orm";
import { db } from "../../db/client.server";
import { departments, departmentTargets, projects, reviews, units } from "../../db/schema";
import type { ExchangeTable } from "../domain/schemas";
import type { CurrentUser } from "../auth/types";
import type { Role } from "../../db/schema";
import { recordAudit } from "./audit.server";
import { insertTableVersion, projectHeaderToRow, tableStats, type Tx } from "./exchange.server";
import { historiesForImport } from "./results.server";
import { ruleSetFor } from "./rulesets.server";
import { wanToYuan } from "../utils/format";

export type DepartmentChoice = { kind: "existing"; departmentId: number } | { kind: "create"; code: string; name: string };

/**
 * Who imports: a signed-in user (with their role), or the system (seeds, id null). Only
 * finance may import tables as approved: that skips review and the checker, so it is
 * recorded as that user's approval.
 */
export type ImportActor = { id: null; regionId: number } | { id: number; regionId: number; role: Role };

function findDepartment(regionId: number, ref: ExchangeTable["department"]) {
  if (!ref) return undefined;
  const byCode = ref.code
    ? db.select().from(departments).where(and(eq(departments.regionId, regionId), eq(departments.code, ref.code))).get()
    : undefined;
  if (byCode) return byCode;
  return ref.name
    ? db.select().from(departments).where(and(eq(departments.regionId, regionId), eq(departments.name, ref.name))).get()
    : undefined;
}

function findUnit(regionId: number, ref: ExchangeTable["unit"]) {
  if (!ref) return undefined;
  const byCode = ref.code
    ? db.select().from(units).where(and(eq(units.regionId, regionId), eq(units.code, ref.code))).get()
    : undefined;
  if (byCode) return byCode;
  return ref.name ? db.select().from(units).where(and(eq(units.regionId, regionId), eq(units.name, ref.name))).get() : undefined;
}

function findExisting(regionId: number, year: number, departmentId: number | null, table: ExchangeTable) {
  if (table.kind === "department") {
    if (!departmentId) return undefined;
    return db
      .select({ id: departmentTargets.id })
      .from(departmentTargets)
      .where(
        and(
          eq(departmentTargets.regionId, regionId),
          eq(departmentTargets.year, year),
          eq(departmentTargets.departmentId, departmentId),
        ),
      )
      .get();
  }
  const code = table.project?.code;
  if (code) {
    return db
      .select({ id: projects.id })
      .from(projects)
      .where(and(eq(projects.regionId, regionId), eq(projects.year, year), eq(projects.code, code)))
      .get();
  }
  if (!departmentId) return undefined;
  const name = projectHeaderToRow(table).name;
  return db
    .select({ id: projects.id })
    .from(projects)
    .where(
      and(
        eq(projects.regionId, regionId),
        eq(projects.year, year),
        eq(projects.departmentId, departmentId),
        eq(projects.name, name),
        isNull(projects.code),
      ),
    )
    .get();
}

export type PreviewItem = {
  index: number;
  table: ExchangeTable;
  title: string;
  department: { id: number; code: string; name: string } | null;
  existingId: number | null;
  /**
   * The department of the existing row, when there is one: where the table already lives.
   * Without a choice, a project without a code whose department is not found is also looked
   * up by year + name alone; a single hit is reported here (and in existingId) as a suggestion.
   */
  existingDepartmentId: number | null;
  findings: ReturnType<typeof tableStats>["findings"];
};

export function tableTitle(t: ExchangeTable): string {
  if (t.kind === "department") return `${t.department?.name ?? "（未知部门）"} 部门整体绩效目标表`;
  return t.project?.name ?? "（项目名称缺失）";
}

function ownerDepartmentId(kind: ExchangeTable["kind"], id: number): number {
  const row =
    kind === "department"
      ? db.select({ departmentId: departmentTargets.departmentId }).from(departmentTargets).where(eq(departmentTargets.id, id)).get()
      : db.select({ departmentId: projects.departmentId }).from(projects).where(eq(projects.id, id)).get();
  return row!.departmentId;
}

/** The department a choice points to, read-only (a department to be created may already exist by code). */
function chosenDepartment(regionId: number, choice: DepartmentChoice) {
  if (choice.kind === "existing") {
    return db
      .select()
      .from(departments)
      .where(and(eq(departments.id, choice.departmentId), eq(departments.regionId, regionId)))
      .get();
  }
  return findDepartment(regionId, { code: choice.code.trim(), name: null });
}

/**
 * What an import would do. Writes nothing. With `choices` (as given to commitImport), a
 * table's department is the chosen one, so duplicates are found where the table would go.
 */
export function previewImport(
  user: CurrentUser,
  year: number,
  tables: ExchangeTable[],
  choices?: Record<number, DepartmentChoice>,
): PreviewItem[] {
  const ruleSet = ruleSetFor(user.regionId, year);
  // Last year's approved self-evaluations, for below_last_actual (结果应用).
  const histories = historiesForImport(user.regionId, year, tables);
  return tables.map((table, index) => {
    const choice = choices?.[index];
    const dept = choice ? chosenDepartment(user.regionId, choice) : findDepartment(user.regionId, table.department);
    let existing: { id: number; departmentId: number } | undefined;
    const found = findExisting(user.regionId, year, dept?.id ?? null, table);
    if (found) existing = { id: found.id, departmentId: ownerDepartmentId(table.kind, found.id) };
    else if (!choice && !dept && table.kind === "project" && !table.project?.code) {
      const sameName = db
        .select({ id: projects.id, departmentId: projects.departmentId })
        .from(projects)
        .where(
          and(
            eq(projects.regionId, user.regionId),
            eq(projects.year, year),
            eq(projects.name, projectHeaderToRow(table).name),
            isNull(projects.code),
          ),
        )
        .limit(2)
        .all();
      if (sameName.length === 1) existing = sameName[0];
    }
    return {
      index,
      table,
      title: tableTitle(table),
      department: dept ? { id: dept.id, code: dept.code, name: dept.name } : null,
      existingId: existing?.id ?? null,
      existingDepartmentId: existing?.departmentId ?? null,
      findings: tableStats({ ...table, year }, ruleSet, histories[index]).findings,
    };
  });
}

export type ImportResult = {
  created: { index: number; kind: ExchangeTable["kind"]; id: number; title: string }[];
  existing: { index: number; id: number; title: string }[];
};

/**
 * Writes the tables in one transaction. `choices[i]` says where table i goes; a table
 * without a choice uses the department it names, which must exist. Tables already present
 * are reported in `existing` and left untouched.
 */
export function commitImport(
  actor: ImportActor,
  input: {
    year: number;
    mode: "approved" | "draft";
    tables: ExchangeTable[];
    choices?: Record<number, DepartmentChoice>;
    /** For a table whose 编制单位 is unknown: the unit to file it under (seeds use the 本级 unit). */
    defaultUnitByDepartment?: Record<number, number>;
    source?: string;
  },
): ImportResult {
  if (input.mode === "approved" && actor.id !== null && actor.role !== "finance") {
    throw new ImportError("只有财政局可以将绩效目标表导入为已批复");
  }
  const ruleSet = ruleSetFor(actor.regionId, input.year);
  const result: ImportResult = { created: [], existing: [] };
  db.transaction((tx) => {
    const createdDepartments = new Map<string, number>();
    const resolveDepartment = (table: ExchangeTable, index: number): number => {
      const choice = input.choices?.[index];
      if (choice?.kind === "existing") {
        const dept = tx
          .select({ id: departments.id })
          .from(departments)
          .where(and(eq(departments.id, choice.departmentId), eq(departments.regionId, actor.regionId)))
          .get();
        if (!dept) throw new ImportError(`第 ${index + 1} 张表选择的主管部门不存在`);
        return dept.id;
      }
      if (choice?.kind === "create") {
        const key = choice.code.trim();
        const known = createdDepartments.get(key) ?? findDepartment(actor.regionId, { code: key, name: null })?.id;
        if (known) return known;
        const id = tx
          .insert(departments)
          .values({ regionId: actor.regionId, code: key, name: choice.name.trim() })
          .returning({ id: departments.id })
          .get().id;
        recordAudit(tx, {
          actor,
          regionId: actor.regionId,
          entity: "department",
          entityId: id,
          action: "create",
          after: { code: key, name: choice.name, via: "import" },
        });
        createdDepartments.set(key, id);
        return id;
      }
      const found = findDepartment(actor.regionId, table.department);
      if (!found) throw new ImportError(`「${tableTitle(table)}」的主管部门未对应到本地区的主管部门，请选择或新建`);
      return found.id;
    };

    input.tables.forEach((raw, index) => {
      const table: ExchangeTable = { ...raw, year: input.year };
      const departmentId = resolveDepartment(table, index);
      const title = tableTitle(table);
      const existing = findExisting(actor.regionId, input.year, departmentId, table);
      if (existing) {
        result.existing.push({ index, id: existing.id, title });
        return;
      }
      const status = input.mode === "approved" ? "approved" : "draft";
      // The owner first (a 部门整体 target or a project), then its version 1.
      let ownerId: number;
      if (table.kind === "department") {
        ownerId = tx
          .insert(departmentTargets)
          .values({
            regionId: actor.regionId,
            year: input.year,
            departmentId,
            budget: wanToYuan(table.overall?.budget),
            midTermGoal: table.overall?.midTermGoal ?? null,
            annualGoal: table.overall?.annualGoal ?? null,
          })
          .returning({ id: departmentTargets.id })
          .get().id;
      } else {
        const unit = findUnit(actor.regionId, table.unit);
        const unitId =
          unit && unit.departmentId === departmentId ? unit.id : (input.defaultUnitByDepartment?.[departmentId] ?? null);
        ownerId = tx
          .insert(projects)
          .values({
            regionId: actor.regionId,
            year: input.year,
            departmentId,
            unitId,
            ...projectHeaderToRow(table),
            createdBy: actor.id,
          })
          .returning({ id: projects.id })
          .get().id;
      }
      const tableId = insertTableVersion(tx, {
        regionId: actor.regionId,
        owner: table.kind === "department" ? { departmentTargetId: ownerId } : { projectId: ownerId },
        version: 1,
        status,
        isCurrent: true,
        table,
        ruleSet,
        actorId: actor.id,
      });
      logImport(tx, actor, tableId, status, table.kind === "department" ? "department_target" : "project", ownerId, title, input.source);
      result.created.push({ index, kind: table.kind, id: ownerId, title });
    });
  });
  return result;
}

function logImport(
  tx: Tx,
  actor: ImportActor,
  tableId: number,
  status: "approved" | "draft",
  entity: string,
  entityId: number,
  title: string,
  source: string | undefined,
) {
  tx.insert(reviews)
    .values({
      regionId: actor.regionId,
      tableId,
      fromStatus: "draft",
      toStatus: status,
      action: "import",
      comment: (source ? `导入自 ${source}` : "导入") + (status === "approved" ? "，作为已批复的历史目标（未经审核）" : ""),
      actorId: actor.id,
    })
    .run();
  if (status === "approved") {
    // Importing as approved stands in for the reviews: the importer's approval.
    recordAudit(tx, {
      actor,
      regionId: actor.regionId,
      entity: "table",
      entityId: tableId,
      action: "approve",
      before: { status: "draft" },
      after: { status: "approved", via: "import", source: source ?? null },
    });
  }
  recordAudit(tx, {
    actor,
    regionId: actor.regionId,
    entity,
    entityId,
    action: "import",
    after: { title, status, tableId, source: source ?? null },
  });
}

/** A refusal that aborts the import transaction with a message for the user. */
export class ImportError extends Error {}
