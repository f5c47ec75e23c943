// Demo tables: the published 绩效目标表 kept as exchange JSON in seeds/published/, filed
// as approved targets under the demo region of their year, matched as the web import does.
import fs from "node:fs";
import path from "node:path";
import { asc } from "drizzle-orm";
import { exchangeFileSchema, type ExchangeTable } from "../app/domain/schemas";
import { commitImport, placeTables, tableTitle, type DepartmentChoice, type UnitChoice } from "../app/models/import.server";
import type { DB } from "./client.server";
import { regions } from "./schema";
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

export type SeedReport = { added: number; skipped: { file: string; title: string }[] };

/**
 * Files each document's tables under the demo region of its year, through the import's own
 * matching (placeTables): the organisation each table names, else the department the
 * document's other tables name; projects naming no 编制单位 go to the department's first
 * (本级) unit, so the demo unit user has projects to work with. A document none of whose
 * tables names one of the region's departments is not that region's. Returns the tables added
 * (0 on a second run) and the tables that could not be placed.
 */
export function seedPublishedTablesReport(db: DB): SeedReport {
  const report: SeedReport = { added: 0, skipped: [] };
  for (const { file, tables } of readPublishedSeeds()) {
    for (const region of db.select().from(regions).orderBy(asc(regions.id)).all()) {
      const mine = tables.filter((t) => t.year === region.currentYear);
      if (mine.length === 0) continue;
      const placements = placeTables(region.id, region.currentYear, mine, { unitlessToFirstUnit: true });
      if (!placements.some((p) => p.departmentMatch && p.departmentMatch !== "document")) continue;
      const placed: ExchangeTable[] = [];
      const choices: Record<number, DepartmentChoice> = {};
      const unitChoices: Record<number, UnitChoice> = {};
      mine.forEach((t, i) => {
        const { department, unit } = placements[i].proposed;
        if (!department) {
          report.skipped.push({ file, title: tableTitle(t) });
          return;
        }
        choices[placed.length] = department;
        unitChoices[placed.length] = unit;
        placed.push(t);
      });
      const result = commitImport(
        { id: null, regionId: region.id },
        { year: region.currentYear, mode: "approved", tables: placed, choices, unitChoices, source: file },
      );
      report.added += result.created.length;
    }
  }
  return report;
}

/** Returns the number of tables added (0 on a second run). */
export function seedPublishedTables(db: DB): number {
  const { added, skipped } = seedPublishedTablesReport(db);
  for (const s of skipped) console.warn(`jixiao: demo table 「${s.title}」 of ${s.file} not seeded: its department matches none of the region's`);
  return added;
}
