// Target tables (versions) and their indicators. Access goes through the owning project
// or department target, so scope is inherited from projects.server / department scope.
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { db } from "../../db/client.server";
import { indicators, reviews, targetTables, users } from "../../db/schema";

export function listProjectVersions(projectId: number) {
  return db
    .select()
    .from(targetTables)
    .where(eq(targetTables.projectId, projectId))
    .orderBy(desc(targetTables.version))
    .all();
}

export function listDepartmentTargetVersions(departmentTargetId: number) {
  return db
    .select()
    .from(targetTables)
    .where(eq(targetTables.departmentTargetId, departmentTargetId))
    .orderBy(desc(targetTables.version))
    .all();
}

export function listIndicators(tableId: number) {
  return db.select().from(indicators).where(eq(indicators.tableId, tableId)).orderBy(asc(indicators.position)).all();
}

export function listIndicatorsOf(tableIds: number[]) {
  if (tableIds.length === 0) return [];
  return db
    .select()
    .from(indicators)
    .where(inArray(indicators.tableId, tableIds))
    .orderBy(asc(indicators.tableId), asc(indicators.position))
    .all();
}

export function listReviews(tableIds: number[]) {
  if (tableIds.length === 0) return [];
  return db
    .select({
      id: reviews.id,
      tableId: reviews.tableId,
      fromStatus: reviews.fromStatus,
      toStatus: reviews.toStatus,
      action: reviews.action,
      rating: reviews.rating,
      comment: reviews.comment,
      indicatorComments: reviews.indicatorComments,
      createdAt: reviews.createdAt,
      actorName: users.displayName,
    })
    .from(reviews)
    .leftJoin(users, eq(users.id, reviews.actorId))
    .where(inArray(reviews.tableId, tableIds))
    .orderBy(desc(reviews.createdAt), desc(reviews.id))
    .all();
}

export function getTableRow(tableId: number, regionId: number) {
  return db
    .select()
    .from(targetTables)
    .where(and(eq(targetTables.id, tableId), eq(targetTables.regionId, regionId)))
    .get();
}
