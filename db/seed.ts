// Demo data: the regions, departments and units named in the published documents, four
// users per region, and (when present) the published tables in seeds/published/*.json.
// Idempotent: rows are matched on their natural keys and never duplicated.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { and, eq } from "drizzle-orm";
import { hashPassword } from "../app/auth/password.server";
import type { DB } from "./client.server";
import { departments, regions, users, units, type Role } from "./schema";

const here = path.dirname(fileURLToPath(import.meta.url));
export const SEEDS_DIR = path.resolve(here, "..", "seeds");
export const DEMO_PASSWORD = "jixiao-demo";

type SeedRegion = {
  slug: string;
  name: string;
  year: number;
  departments: { code: string; name: string; units: { code: string; name: string }[] }[];
};

const DEMO_ROLES: { suffix: string; role: Role; label: string }[] = [
  { suffix: "admin", role: "admin", label: "系统管理员" },
  { suffix: "finance", role: "finance", label: "财政局绩效科" },
  { suffix: "dept", role: "department", label: "主管部门审核人" },
  { suffix: "unit", role: "unit", label: "项目单位填报人" },
];

export function readSeedRegions(): SeedRegion[] {
  return JSON.parse(fs.readFileSync(path.join(SEEDS_DIR, "regions.json"), "utf8")).regions;
}

/** Seeds regions, departments, units and demo users. Returns the number of rows created. */
export async function seedOrganisation(db: DB): Promise<number> {
  let created = 0;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const r of readSeedRegions()) {
    let region = db.select().from(regions).where(eq(regions.slug, r.slug)).get();
    if (!region) {
      region = db.insert(regions).values({ slug: r.slug, name: r.name, currentYear: r.year }).returning().get();
      created++;
    }
    let firstDepartmentId: number | null = null;
    let firstUnitId: number | null = null;
    for (const d of r.departments) {
      let dept = db
        .select()
        .from(departments)
        .where(and(eq(departments.regionId, region.id), eq(departments.code, d.code)))
        .get();
      if (!dept) {
        dept = db.insert(departments).values({ regionId: region.id, code: d.code, name: d.name }).returning().get();
        created++;
      }
      firstDepartmentId ??= dept.id;
      for (const u of d.units) {
        let unit = db.select().from(units).where(and(eq(units.regionId, region.id), eq(units.code, u.code))).get();
        if (!unit) {
          unit = db
            .insert(units)
            .values({ regionId: region.id, departmentId: dept.id, code: u.code, name: u.name })
            .returning()
            .get();
          created++;
        }
        firstUnitId ??= unit.id;
      }
    }
    for (const { suffix, role, label } of DEMO_ROLES) {
      const username = `${r.slug}.${suffix}`;
      if (db.select({ id: users.id }).from(users).where(eq(users.username, username)).get()) continue;
      db.insert(users)
        .values({
          regionId: region.id,
          username,
          displayName: `${label}（演示）`,
          role,
          departmentId: role === "department" || role === "unit" ? firstDepartmentId : null,
          unitId: role === "unit" ? firstUnitId : null,
          passwordHash,
        })
        .run();
      created++;
    }
  }
  return created;
}

/** For JIXIAO_DEMO=0: one region and one admin from the environment, nothing else. */
export async function ensureAdmin(db: DB, username: string, password: string, regionName: string): Promise<boolean> {
  if (db.select({ id: users.id }).from(users).where(eq(users.username, username.toLowerCase())).get()) return false;
  let region = db.select().from(regions).where(eq(regions.slug, "default")).get();
  region ??= db
    .insert(regions)
    .values({ slug: "default", name: regionName, currentYear: new Date().getFullYear() })
    .returning()
    .get();
  db.insert(users)
    .values({
      regionId: region.id,
      username: username.toLowerCase(),
      displayName: "系统管理员",
      role: "admin",
      passwordHash: await hashPassword(password),
    })
    .run();
  return true;
}
