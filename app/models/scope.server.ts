// The one place where tenancy and role scoping is decided. Every model query that reads
// tenant data adds one of these conditions; a forgotten scope would be a data leak.
//   unit       → their unit only
//   department → their 主管部门 and its units
//   finance/admin → their whole region
import { and, eq, sql, type SQL } from "drizzle-orm";
import { departments, departmentTargets, projectCounts, projects, units } from "../../db/schema";
import type { CurrentUser } from "../auth/types";

// A user whose scope column is missing sees nothing rather than everything.
const NOTHING = sql`0`;

export function projectScope(user: CurrentUser): SQL {
  const region = eq(projects.regionId, user.regionId);
  switch (user.role) {
    case "unit":
      return user.unitId ? and(region, eq(projects.unitId, user.unitId))! : NOTHING;
    case "department":
      return user.departmentId ? and(region, eq(projects.departmentId, user.departmentId))! : NOTHING;
    default:
      return region;
  }
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

export function departmentTargetScope(user: CurrentUser): SQL {
  const region = eq(departmentTargets.regionId, user.regionId);
  switch (user.role) {
    case "unit":
      return NOTHING;
    case "department":
      return user.departmentId ? and(region, eq(departmentTargets.departmentId, user.departmentId))! : NOTHING;
    default:
      return region;
  }
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
