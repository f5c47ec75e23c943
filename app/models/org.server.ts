// 主管部门 and 预算单位 of a region. Reads are scoped by role; writes are admin-only (the
// route guards the role, these functions keep everything inside the admin's region).
import { and, asc, eq, ne, sql } from "drizzle-orm";
import { db } from "../../db/client.server";
import { departments, regions, units } from "../../db/schema";
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
    recordAudit(tx, {
      actor: admin,
      entity: "unit",
      entityId: id,
      action: before ? "update" : "create",
      before: before ? { code: before.code, name: before.name, departmentId: before.departmentId } : undefined,
      after: values,
    });
    return id;
  });
  return { ok: true, id };
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
