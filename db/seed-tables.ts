// Demo tables: the published 绩效目标表 kept as exchange JSON in seeds/published/, filed
// as approved targets under the demo region whose year and department they match.
import fs from "node:fs";
import path from "node:path";
import { and, asc, eq, or } from "drizzle-orm";
import { exchangeFileSchema, type ExchangeTable } from "../app/domain/schemas";
import { commitImport } from "../app/models/import.server";
import type { DB } from "./client.server";
import { departments, regions, units } from "./schema";
import { SEEDS_DIR } from "./seed";

export function readPublishedSeeds(dir = path.join(SEEDS_DIR, "published")): { file: string; tables: ExchangeTable[] }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => {
      const parsed = exchangeFileSchema.safeParse(JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")));
      if (!parsed.success) throw new Error(`seeds/published/${file}: ${parsed.error.issues[0]?.message}`);
      return { file, tables: parsed.data };
    });
}

/** Returns the number of tables added (0 on a second run). */
export function seedPublishedTables(db: DB): number {
  let added = 0;
  for (const { file, tables } of readPublishedSeeds()) {
    for (const region of db.select().from(regions).all()) {
      const mine = tables.filter((t) => {
        if (t.year !== region.currentYear || !t.department) return false;
        const { code, name } = t.department;
        return Boolean(
          db
            .select({ id: departments.id })
            .from(departments)
            .where(
              and(
                eq(departments.regionId, region.id),
                or(code ? eq(departments.code, code) : undefined, name ? eq(departments.name, name) : undefined),
              ),
            )
            .get(),
        );
      });
      if (mine.length === 0) continue;
      // Tables whose 编制单位 is not given go to the department's first (本级) unit, so the
      // demo unit user has projects to work with.
      const defaultUnitByDepartment: Record<number, number> = {};
      for (const u of db.select().from(units).where(eq(units.regionId, region.id)).orderBy(asc(units.code)).all()) {
        defaultUnitByDepartment[u.departmentId] ??= u.id;
      }
      const result = commitImport(
        { id: null, regionId: region.id },
        { year: region.currentYear, mode: "approved", tables: mine, defaultUnitByDepartment, source: file },
      );
      added += result.created.length;
    }
  }
  return added;
}
