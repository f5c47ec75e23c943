// The demo tables (db/seed-tables.ts) go through the import's matching: every published
// table of the demo documents is filed, none skipped, each under the organisation it names
// (or, naming none, the department of its document), and a second run adds nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { setupDatabase } from "../helpers/app";

let report: { added: number; skipped: { file: string; title: string }[] };

beforeAll(async () => {
  await setupDatabase();
  const { db } = await import("../../db/client.server");
  const { seedPublishedTablesReport } = await import("../../db/seed-tables");
  report = seedPublishedTablesReport(db);
});

async function dbRows() {
  const { db } = await import("../../db/client.server");
  const schema = await import("../../db/schema");
  const { eq } = await import("drizzle-orm");
  const regionOf = new Map(db.select().from(schema.regions).all().map((r) => [r.id, r]));
  const deptOf = new Map(db.select().from(schema.departments).all().map((d) => [d.id, d]));
  const unitOf = new Map(db.select().from(schema.units).all().map((u) => [u.id, u]));
  const projects = db.select().from(schema.projects).all();
  const targets = db.select().from(schema.departmentTargets).all();
  const current = db.select().from(schema.targetTables).where(eq(schema.targetTables.isCurrent, true)).all();
  return { regionOf, deptOf, unitOf, projects, targets, current };
}

describe("the demo's published tables", () => {
  it("are all filed: nothing skipped, one row per published table of a demo year", async () => {
    const { readPublishedSeeds } = await import("../../db/seed-tables");
    const { readSeedRegions } = await import("../../db/seed");
    const years = new Set(readSeedRegions().map((r) => r.year));
    const published = readPublishedSeeds().flatMap((f) => f.tables.filter((t) => t.year != null && years.has(t.year)));
    expect(published.length).toBe(28);
    expect(report.skipped).toEqual([]);
    expect(report.added).toBe(published.length);
    const { projects, targets, current } = await dbRows();
    expect(projects.length + targets.length).toBe(published.length);
    expect(current.filter((t) => t.status === "approved")).toHaveLength(published.length);
    // Projects by code where they have one.
    const codes = published.flatMap((t) => (t.project?.code ? [t.project.code] : []));
    expect(projects.map((p) => p.code).filter(Boolean).sort()).toEqual(codes.sort());
  });

  it("a 部门整体 table named differently, or not at all, reaches its department; every project reaches a unit", async () => {
    const { regionOf, deptOf, unitOf, projects, targets } = await dbRows();
    // 万盛's document calls its department 「万盛经开区经济信息局」; 綦江's names none for it.
    expect(targets.map((t) => [regionOf.get(t.regionId)!.slug, deptOf.get(t.departmentId)!.code]).sort()).toEqual([
      ["nanan", "402"],
      ["qijiang", "206"],
      ["wansheng", "531"],
    ]);
    // 綦江's project whose header was lost at a page break names no department: its document's.
    const unnamed = projects.find((p) => p.name === "（未命名项目）")!;
    expect([regionOf.get(unnamed.regionId)!.slug, deptOf.get(unnamed.departmentId)!.code, unitOf.get(unnamed.unitId!)!.code]).toEqual([
      "qijiang",
      "206",
      "206001",
    ]);
    // 南岸's tables name the department as their 编制单位: its 本级 unit; 万盛's name none: the 本级 unit too.
    const unitsBySlug = (slug: string) =>
      [...new Set(projects.filter((p) => regionOf.get(p.regionId)!.slug === slug).map((p) => (p.unitId ? unitOf.get(p.unitId)!.code : null)))];
    expect(unitsBySlug("nanan")).toEqual(["402001"]);
    expect(unitsBySlug("wansheng")).toEqual(["531001"]);
    expect(unitsBySlug("qijiang")).toEqual(["206001"]);
  });

  it("creates no organisation and a second run adds nothing", async () => {
    const { db } = await import("../../db/client.server");
    const { seedPublishedTablesReport, readPublishedSeeds } = await import("../../db/seed-tables");
    const { readSeedRegions } = await import("../../db/seed");
    const { departments, units } = await import("../../db/schema");
    const seeded = readSeedRegions().flatMap((r) => r.departments);
    expect(db.select().from(departments).all()).toHaveLength(seeded.length);
    expect(db.select().from(units).all()).toHaveLength(seeded.reduce((n, d) => n + d.units.length, 0));
    expect(seedPublishedTablesReport(db)).toEqual({ added: 0, skipped: [] });
    expect(readPublishedSeeds().length).toBe(3);
  });
});
