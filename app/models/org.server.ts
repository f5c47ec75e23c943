// 主管部门 and 预算单位 of a region. Reads are scoped by role; writes are admin-only (the
// route guards the role, these functions keep everything inside the admin's region).
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { db } from "../../db/client.server";
import { departments, projects, regions, targetTables, units, users } from "../../db/schema";
import { isLocked, STATES } from "../domain/workflow";
import type { Tx } from "./exchange.server";
import type { CurrentUser } from "../auth/types";
import { recordAudit } from "./audit.server";
import { departmentScope, unitScope } from "./scope.server";

export function listDepartments(user: CurrentUser) {
  return db
    .select({
      id: departments.id,
      code: departments.code,
      name: departments.name,
      unitCount: sql<number>`(select count(*) from ${units} where ${units.departmentId} = ${departments.id})`,
    })
    .from(departments)
    .where(departmentScope(user))
    .orderBy(asc(departments.code))
    .all();
}

export function listUnits(user: CurrentUser) {
  return db
    .select({
      id: units.id,
      code: units.code,
      name: units.name,
      departmentId: units.departmentId,
      departmentCode: departments.code,
      departmentName: departments.name,
    })
    .from(units)
    .innerJoin(departments, eq(departments.id, units.departmentId))
    .where(unitScope(user))
    .orderBy(asc(units.code))
    .all();
}

export type OrgResult = { ok: true; id: number } | { ok: false; errors: Partial<Record<"code" | "name" | "departmentId", string>> };

export function saveDepartment(admin: CurrentUser, input: { id?: number | null; code: string; name: string }): OrgResult | null {
  const code = input.code.trim();
  const name = input.name.trim();
  const before = input.id
    ? db.select().from(departments).where(and(eq(departments.id, input.id), eq(departments.regionId, admin.regionId))).get()
    : undefined;
  if (input.id && !before) return null;
  const clash = db
    .select({ id: departments.id })
    .from(departments)
    .where(
      and(
        eq(departments.regionId, admin.regionId),
        eq(departments.code, code),
        before ? ne(departments.id, before.id) : undefined,
      ),
    )
    .get();
  if (clash) return { ok: false, errors: { code: `编码 ${code} 已被其他主管部门使用` } };
  const id = db.transaction((tx) => {
    const id = before
      ? (tx.update(departments).set({ code, name }).where(eq(departments.id, before.id)).run(), before.id)
      : tx.insert(departments).values({ regionId: admin.regionId, code, name }).returning({ id: departments.id }).get().id;
    recordAudit(tx, {
      actor: admin,
      entity: "department",
      entityId: id,
      action: before ? "update" : "create",
      before: before ? { code: before.code, name: before.name } : undefined,
      after: { code, name },
    });
    return id;
  });
  return { ok: true, id };
}

export function saveUnit(
  admin: CurrentUser,
  input: { id?: number | null; code: string; name: string; departmentId: number },
): OrgResult | null {
  const code = input.code.trim();
  const name = input.name.trim();
  const before = input.id
    ? db.select().from(units).where(and(eq(units.id, input.id), eq(units.regionId, admin.regionId))).get()
    : undefined;
  if (input.id && !before) return null;
  const dept = db
    .select({ id: departments.id })
    .from(departments)
    .where(and(eq(departments.id, input.departmentId), eq(departments.regionId, admin.regionId)))
    .get();
  if (!dept) return { ok: false, errors: { departmentId: "请选择主管部门" } };
  const clash = db
    .select({ id: units.id })
    .from(units)
    .where(and(eq(units.regionId, admin.regionId), eq(units.code, code), before ? ne(units.id, before.id) : undefined))
    .get();
  if (clash) return { ok: false, errors: { code: `编码 ${code} 已被其他单位使用` } };
  const id = db.transaction((tx) => {
    const values = { code, name, departmentId: dept.id };
    const id = before
      ? (tx.update(units).set(values).where(eq(units.id, before.id)).run(), before.id)
      : tx.insert(units).values({ regionId: admin.regionId, ...values }).returning({ id: units.id }).get().id;
    const move = before && before.departmentId !== dept.id ? moveUnitContents(tx, admin, before.id, dept.id) : null;
    recordAudit(tx, {
      actor: admin,
      entity: "unit",
      entityId: id,
      action: before ? "update" : "create",
      before: before ? { code: before.code, name: before.name, departmentId: before.departmentId } : undefined,
      after: move ? { ...values, moved: move.moved, kept: move.kept } : values,
    });
    return id;
  });
  return { ok: true, id };
}

// ---------------------------------------------------------------------------------------
// Moving a unit to another 主管部门 (docs/decisions/012-unit-moves.md): its users' scope and
// its open projects go with it; a project whose current version is final (approved or
// rejected, adjustments in progress included) stays with the department that decided it.
// Versions and review rows are never touched.

const OPEN_STATES = STATES.filter((s) => !isLocked(s));

/** The unit's projects, each with whether it is open (moves) or final (stays). */
function unitProjects(tx: Tx | typeof db, regionId: number, unitId: number) {
  return tx
    .select({ id: projects.id, departmentId: projects.departmentId, status: targetTables.status })
    .from(projects)
    .leftJoin(targetTables, and(eq(targetTables.projectId, projects.id), eq(targetTables.isCurrent, true)))
    .where(and(eq(projects.regionId, regionId), eq(projects.unitId, unitId)))
    .orderBy(asc(projects.id))
    .all()
    .map((p) => ({ id: p.id, departmentId: p.departmentId, open: p.status === null || OPEN_STATES.includes(p.status) }));
}

/** What moving the unit would carry along, for the edit form; null when not in the admin's region. */
export function unitMoveImpact(admin: CurrentUser, unitId: number) {
  const unit = db.select({ id: units.id }).from(units).where(and(eq(units.id, unitId), eq(units.regionId, admin.regionId))).get();
  if (!unit) return null;
  const list = unitProjects(db, admin.regionId, unit.id);
  const userCount = db.select({ n: sql<number>`count(*)` }).from(users).where(eq(users.unitId, unit.id)).get()!.n;
  return { users: userCount, openProjects: list.filter((p) => p.open).length, finalProjects: list.filter((p) => !p.open).length };
}

function moveUnitContents(tx: Tx, admin: CurrentUser, unitId: number, departmentId: number) {
  const unitUsers = tx
    .select({ id: users.id, departmentId: users.departmentId })
    .from(users)
    .where(and(eq(users.unitId, unitId), eq(users.regionId, admin.regionId)))
    .all();
  if (unitUsers.length) {
    tx.update(users)
      .set({ departmentId })
      .where(inArray(users.id, unitUsers.map((u) => u.id)))
      .run();
  }
  const list = unitProjects(tx, admin.regionId, unitId);
  const moving = list.filter((p) => p.open && p.departmentId !== departmentId);
  if (moving.length) {
    tx.update(projects)
      .set({ departmentId, updatedAt: new Date() })
      .where(inArray(projects.id, moving.map((p) => p.id)))
      .run();
  }
  const moved = [...unitUsers.map((u) => ({ entity: "user", ...u })), ...moving.map((p) => ({ entity: "project", ...p }))];
  for (const r of moved) {
    recordAudit(tx, { actor: admin, entity: r.entity, entityId: r.id, action: "move_department", before: { departmentId: r.departmentId }, after: { departmentId, unitId } });
  }
  return {
    moved: { users: unitUsers.map((u) => u.id), projects: moving.map((p) => p.id) },
    kept: { projects: list.filter((p) => !p.open).map((p) => p.id) },
  };
}

export function getRegionSettings(user: CurrentUser) {
  return db
    .select({ name: regions.name, currentYear: regions.currentYear, skipDepartmentReview: regions.skipDepartmentReview })
    .from(regions)
    .where(eq(regions.id, user.regionId))
    .get()!;
}

/** The region's working year and whether project tables skip the 主管部门 review. */
export function updateRegionSettings(admin: CurrentUser, input: { currentYear: number; skipDepartmentReview: boolean }): void {
  db.transaction((tx) => {
    const before = tx
      .select({ currentYear: regions.currentYear, skipDepartmentReview: regions.skipDepartmentReview })
      .from(regions)
      .where(eq(regions.id, admin.regionId))
      .get();
    tx.update(regions).set(input).where(eq(regions.id, admin.regionId)).run();
    recordAudit(tx, { actor: admin, entity: "region", entityId: admin.regionId, action: "update", before, after: input });
  });
}
