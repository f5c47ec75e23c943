// The database itself refuses a second row for the same (owner, version) and a second
// version in force for one owner (issue: at most one current version per owner).
import { beforeAll, describe, expect, it } from "vitest";
import { setupDatabase } from "../helpers/app";

let db: typeof import("../../db/client.server").db;
let schema: typeof import("../../db/schema");

beforeAll(async () => {
  await setupDatabase();
  ({ db } = await import("../../db/client.server"));
  schema = await import("../../db/schema");
});

function anyCurrentProjectTable() {
  const { departments, projects, targetTables } = schema;
  const dept = db.select().from(departments).get()!;
  const project = db.insert(projects).values({ regionId: dept.regionId, year: 2026, departmentId: dept.id, name: "约束测试项目" }).returning().get();
  return db.insert(targetTables).values({ regionId: dept.regionId, projectId: project.id, version: 1, status: "approved", isCurrent: true }).returning().get();
}

describe("target_tables constraints", () => {
  it("refuses a duplicate (project, version)", () => {
    const t = anyCurrentProjectTable();
    expect(() =>
      db.insert(schema.targetTables).values({ regionId: t.regionId, projectId: t.projectId, version: t.version, status: "draft", isCurrent: false }).run(),
    ).toThrow(/UNIQUE/);
  });

  it("refuses a second current version of one project", () => {
    const t = anyCurrentProjectTable();
    expect(() =>
      db.insert(schema.targetTables).values({ regionId: t.regionId, projectId: t.projectId, version: t.version + 50, status: "draft", isCurrent: true }).run(),
    ).toThrow(/UNIQUE/);
  });

  it("accepts a further version that is not current", () => {
    const t = anyCurrentProjectTable();
    const r = db.insert(schema.targetTables).values({ regionId: t.regionId, projectId: t.projectId, version: t.version + 60, status: "draft", isCurrent: false }).run();
    expect(r.changes).toBe(1);
  });
});
