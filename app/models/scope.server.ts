// The one place where tenancy and role scoping is decided. Every model query that reads
// tenant data adds one of these conditions; a forgotten scope would be a data leak.
//   unit       → their unit only
//   department → their 主管部门 and its units
//   finance/admin → their whole region
import { and, eq, sql, type Placeholder, type SQL } from "drizzle-orm";
import { departments, departmentTargets, projectCounts, projects, units } from "../../db/schema";
import type { CurrentUser } from "../auth/types";

// A user whose scope column is missing sees nothing rather than everything.
const NOTHING = sql`0`;

/** Which of the scope conditions applies to a user; a prepared query is built once per shape. */
export type ScopeShape = "region" | "department" | "unit" | "nothing";

export function scopeShape(user: CurrentUser): ScopeShape {
  switch (user.role) {
    case "unit":
      return user.unitId ? "unit" : "nothing";
    case "department":
      return user.departmentId ? "department" : "nothing";
    default:
      return "region";
  }
}

type ScopeValues = { region: number | Placeholder; department: number | Placeholder; unit: number | Placeholder };

function projectCondition(shape: ScopeShape, v: ScopeValues): SQL {
  if (shape === "nothing") return NOTHING;
  const region = eq(projects.regionId, v.region);
  if (shape === "unit") return and(region, eq(projects.unitId, v.unit))!;
  if (shape === "department") return and(region, eq(projects.departmentId, v.department))!;
  return region;
}

export function projectScope(user: CurrentUser): SQL {
  return projectCondition(scopeShape(user), { region: user.regionId, department: user.departmentId ?? 0, unit: user.unitId ?? 0 });
}

/**
 * projectScope in a prepared query (app/models/prepared.server.ts): the same condition with
 * placeholders, filled by scopeParams(user) when the query runs.
 */
export function preparedProjectScope(shape: ScopeShape): SQL {
  return projectCondition(shape, SCOPE_PLACEHOLDERS);
}

const SCOPE_PLACEHOLDERS: ScopeValues = {
  region: sql.placeholder("scopeRegion"),
  department: sql.placeholder("scopeDepartment"),
  unit: sql.placeholder("scopeUnit"),
};

export function scopeParams(user: CurrentUser) {
  return { scopeRegion: user.regionId, scopeDepartment: user.departmentId ?? 0, scopeUnit: user.unitId ?? 0 };
}

/** projectScope on the summary rows of project_counts (their columns are the projects'). */
export function projectCountScope(user: CurrentUser): SQL {
  const region = eq(projectCounts.regionId, user.regionId);
  switch (user.role) {
    case "unit":
      return user.unitId ? and(region, eq(projectCounts.unitId, user.unitId))! : NOTHING;
    case "department":
      return user.departmentId ? and(region, eq(projectCounts.departmentId, user.departmentId))! : NOTHING;
    default:
      return region;
  }
}

function departmentTargetCondition(shape: ScopeShape, v: ScopeValues): SQL {
  // A unit has no 部门整体 table.
  if (shape === "nothing" || shape === "unit") return NOTHING;
  const region = eq(departmentTargets.regionId, v.region);
  if (shape === "department") return and(region, eq(departmentTargets.departmentId, v.department))!;
  return region;
}

export function departmentTargetScope(user: CurrentUser): SQL {
  return departmentTargetCondition(scopeShape(user), { region: user.regionId, department: user.departmentId ?? 0, unit: user.unitId ?? 0 });
}

/** departmentTargetScope in a prepared query, as preparedProjectScope. */
export function preparedDepartmentTargetScope(shape: ScopeShape): SQL {
  return departmentTargetCondition(shape, SCOPE_PLACEHOLDERS);
}

export function departmentScope(user: CurrentUser): SQL {
  const region = eq(departments.regionId, user.regionId);
  if (user.role === "department" || user.role === "unit") {
    return user.departmentId ? and(region, eq(departments.id, user.departmentId))! : NOTHING;
  }
  return region;
}

export function unitScope(user: CurrentUser): SQL {
  const region = eq(units.regionId, user.regionId);
  switch (user.role) {
    case "unit":
      return user.unitId ? and(region, eq(units.id, user.unitId))! : NOTHING;
    case "department":
      return user.departmentId ? and(region, eq(units.departmentId, user.departmentId))! : NOTHING;
    default:
      return region;
  }
}
