// Prepared queries (app/models/prepared.server.ts) take the user's scope as placeholders
// (preparedProjectScope). For every demo user and every project, the prepared by-id reads
// must see exactly what projectScope lets them see, in their own region only; and the
// rounds' coverage read from the summary rows must equal the count over the tables.
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../app/auth/types";
import { getSessionUser } from "../../app/auth/session.server";
import { login, makeRequest, seedDemo } from "../helpers/app";

let users: CurrentUser[] = [];
let qijiang = 0;
const qijiangId = () => qijiang;

beforeAll(async () => {
  await seedDemo();
  const { sqlite } = await import("../../db/client.server");
  // Projects of another unit and of another department in 綦江区, which the demo unit and
  // department users must not see.
  const { commitImport } = await import("../../app/models/import.server");
  const { validProjectTable } = await import("../helpers/tables");
  qijiang = sqlite.prepare("select id from regions where slug = 'qijiang'").pluck().get() as number;
  const outsiders = [
    validProjectTable({ name: "另一单位项目", code: "X-1", unit: { code: "206099", name: "另一单位" } }),
    validProjectTable({ name: "另一部门项目", code: "X-2", department: { code: "299", name: "另一主管部门" }, unit: { code: "299001", name: "另一部门单位" } }),
  ];
  expect(commitImport({ id: null, regionId: qijiang }, {
        year: 2026,
        mode: "approved",
        tables: outsiders,
        choices: { 1: { kind: "create", code: "299", name: "另一主管部门" } },
        unitChoices: { 0: { kind: "create", code: "206099", name: "另一单位" }, 1: { kind: "create", code: "299001", name: "另一部门单位" } },
      }).created).toHaveLength(2);
  const names = sqlite.prepare("select username from users where role in ('finance', 'department', 'unit') order by username").pluck().all() as string[];
  expect(names.length).toBeGreaterThan(4);
  for (const name of names) users.push((await getSessionUser(makeRequest("/", { cookie: await login(name) })))!);
  users = users.filter(Boolean);
});

describe("prepared scope", () => {
  it("getProject, the version list and the table lookup see what projectScope sees, per user", async () => {
    const { db } = await import("../../db/client.server");
    const { projects, targetTables } = await import("../../db/schema");
    const { projectScope } = await import("../../app/models/scope.server");
    const { getProject } = await import("../../app/models/projects.server");
    const { listProjectVersions } = await import("../../app/models/tables.server");
    const { getTableInScope } = await import("../../app/models/workflow.server");
    const all = db.select({ id: projects.id, regionId: projects.regionId }).from(projects).all();
    const tables = db.select({ id: targetTables.id, projectId: targetTables.projectId }).from(targetTables).where(sql`${targetTables.projectId} is not null`).all();
    expect(all.length).toBeGreaterThan(20);
    let seen = 0;
    for (const user of users) {
      const visible = new Set(db.select({ id: projects.id }).from(projects).where(projectScope(user)).all().map((r) => r.id));
      const region = all.filter((p) => p.regionId === user.regionId).length;
      if (user.role !== "finance" && user.regionId === qijiangId()) expect(visible.size, user.username).toBeLessThan(region);
      for (const p of all) {
        const found = getProject(user, p.id);
        expect(found !== null, `${user.username} → project ${p.id}`).toBe(visible.has(p.id));
        if (found) {
          expect(found.project.id).toBe(p.id);
          expect(found.project.regionId).toBe(user.regionId);
          seen++;
        }
        expect(listProjectVersions(user, p.id).length > 0).toBe(visible.has(p.id));
      }
      for (const t of tables) expect(getTableInScope(user, t.id) !== null, `${user.username} → table ${t.id}`).toBe(visible.has(t.projectId!));
    }
    expect(seen).toBeGreaterThan(0);
  });

  it("the project list's pages (prepared without a search) are the filter's projects in projectScope, in order, per user", async () => {
    const { db } = await import("../../db/client.server");
    const { projects } = await import("../../db/schema");
    const { projectScope } = await import("../../app/models/scope.server");
    const { listProjects, PROJECT_SORTS } = await import("../../app/models/projects.server");
    type Sort = keyof typeof PROJECT_SORTS;
    let rows = 0;
    for (const user of users) {
      const visible = db.select().from(projects).where(and(projectScope(user), eq(projects.year, 2026))).all();
      const someDepartment = visible[0]?.departmentId;
      const filters = [{}, { departmentId: someDepartment }, { status: "draft" as const }, { status: "none" as const }, { category: "一般性项目" }];
      for (const filter of filters) {
        const expected = visible.filter(
          (p) =>
            (!filter.departmentId || p.departmentId === filter.departmentId) &&
            (!filter.category || p.category === filter.category) &&
            (!filter.status || (filter.status === "none" ? p.status === null : p.status === filter.status)),
        );
        for (const sort of ["name", "code"] as Sort[]) {
          const key = (p: { name: string; code: string | null; id: number }) => (sort === "name" ? p.name : (p.code ?? ""));
          const ordered = [...expected].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id - b.id)).map((p) => p.id);
          const pages: number[] = [];
          for (let page = 1; page <= Math.ceil(ordered.length / 4); page++) {
            pages.push(...listProjects(user, { year: 2026, sort, page, pageSize: 4, ...filter }).rows.map((r) => r.id));
          }
          expect(pages, `${user.username} ${sort} ${JSON.stringify(filter)}`).toEqual(ordered);
          rows += pages.length;
        }
      }
    }
    expect(rows).toBeGreaterThan(50);
  });

  it("the prepared 部门整体 scope sees what departmentTargetScope sees, per user", async () => {
    const { db } = await import("../../db/client.server");
    const { departmentTargets } = await import("../../db/schema");
    const { departmentTargetScope, preparedDepartmentTargetScope, scopeParams, scopeShape } = await import("../../app/models/scope.server");
    const ids = (rows: { id: number }[]) => rows.map((r) => r.id).sort((a, b) => a - b);
    let seen = 0;
    for (const user of users) {
      const expected = ids(db.select({ id: departmentTargets.id }).from(departmentTargets).where(departmentTargetScope(user)).all());
      const prepared = db.select({ id: departmentTargets.id }).from(departmentTargets).where(preparedDepartmentTargetScope(scopeShape(user))).prepare();
      expect(ids(prepared.all(scopeParams(user))), user.username).toEqual(expected);
      if (user.role === "unit") expect(expected).toEqual([]);
      seen += expected.length;
    }
    expect(seen).toBeGreaterThan(0);
  });

  it("a round's coverage from the summary rows is the count over the tables in force, per user", async () => {
    const { db } = await import("../../db/client.server");
    const { departmentTargets, projects, targetTables } = await import("../../db/schema");
    const { departmentTargetScope, projectScope } = await import("../../app/models/scope.server");
    const { coveredCount } = await import("../../app/models/rounds.server");
    const years = [...new Set(db.select({ year: projects.year }).from(projects).all().map((r) => r.year))];
    let nonZero = 0;
    for (const user of users) {
      for (const year of years) {
        const counted = db
          .select({ n: sql<number>`count(*)` })
          .from(projects)
          .innerJoin(targetTables, and(eq(targetTables.projectId, projects.id), eq(targetTables.isCurrent, true)))
          .where(and(projectScope(user), eq(projects.year, year), eq(targetTables.status, "approved")))
          .get()!.n;
        const departmentCounted = db
          .select({ n: sql<number>`count(*)` })
          .from(departmentTargets)
          .innerJoin(targetTables, and(eq(targetTables.departmentTargetId, departmentTargets.id), eq(targetTables.isCurrent, true)))
          .where(and(departmentTargetScope(user), eq(departmentTargets.year, year), eq(targetTables.status, "approved")))
          .get()!.n;
        expect(coveredCount(user, year), `${user.username} ${year}`).toBe(counted + departmentCounted);
        if (counted > 0) nonZero++;
      }
    }
    expect(nonZero).toBeGreaterThan(0);
  });
});
