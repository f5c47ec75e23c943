// Target tables (versions) and their indicators. Version lists are scoped through their
// owner (project or department target); the functions taking table ids expect ids that
// came from such a scoped query.
import { asc, desc, eq, inArray, and, sql } from "drizzle-orm";
import { db } from "../../db/client.server";
import { departmentTargets, indicators, projects, reviews, targetTables, users } from "../../db/schema";
import type { CurrentUser } from "../auth/types";
import { preparedOnce, preparedPerShape } from "./prepared.server";
import { departmentTargetScope, preparedProjectScope, scopeParams, scopeShape, type ScopeShape } from "./scope.server";

/** The versions of a project's table, newest first; empty when the project is out of scope. */
export function listProjectVersions(user: CurrentUser, projectId: number) {
  return projectVersions(scopeShape(user))
    .all({ projectId, ...scopeParams(user) })
    .map((r) => r.table);
}

const projectVersions = preparedPerShape((shape: ScopeShape) =>
  db
    .select({ table: targetTables })
    .from(targetTables)
    .innerJoin(projects, eq(projects.id, targetTables.projectId))
    .where(and(eq(targetTables.projectId, sql.placeholder("projectId")), preparedProjectScope(shape)))
    .orderBy(desc(targetTables.version))
    .prepare(),
);

export function listDepartmentTargetVersions(user: CurrentUser, departmentTargetId: number) {
  return db
    .select({ table: targetTables })
    .from(targetTables)
    .innerJoin(departmentTargets, eq(departmentTargets.id, targetTables.departmentTargetId))
    .where(and(eq(targetTables.departmentTargetId, departmentTargetId), departmentTargetScope(user)))
    .orderBy(desc(targetTables.version))
    .all()
    .map((r) => r.table);
}

export function listIndicators(tableId: number) {
  return indicatorsOfTable().all({ tableId });
}

const indicatorsOfTable = preparedOnce(() =>
  db.select().from(indicators).where(eq(indicators.tableId, sql.placeholder("tableId"))).orderBy(asc(indicators.position)).prepare(),
);

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
  return reviewsOfTables().all({ tableIds: JSON.stringify(tableIds) });
}

// The ids (already scoped by the caller) as JSON: one statement for any number of versions.
const reviewsOfTables = preparedOnce(() =>
  db
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
    .where(sql`${reviews.tableId} in (select value from json_each(${sql.placeholder("tableIds")}))`)
    .orderBy(desc(reviews.createdAt), desc(reviews.id))
    .prepare(),
);
