// Issue 9 (9): moving a 预算单位 to another 主管部门 (admin 预算单位 page) moves, in one
// audited transaction, its users' department scope and its open projects (current version
// not final); projects whose current version is approved or rejected stay where they were
// decided, adjustments included, and no version or review row changes.
// docs/decisions/012-unit-moves.md has the reasoning.
import { beforeAll, describe, expect, it } from "vitest";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { validProjectTable } from "../helpers/tables";

const UNIT = { code: "206001", name: null };
const cookies: Record<string, string> = {};
let regionId = 0;
let unitId = 0;
let oldDept = 0;
let newDept = 0;
/** Project ids by the state of their tables. */
const P: Record<string, number> = {};

async function m() {
  const { db } = await import("../../db/client.server");
  const schema = await import("../../db/schema");
  const orm = await import("drizzle-orm");
  return { db, ...schema, ...orm };
}

async function listed(who: string): Promise<number[]> {
  const { loader } = await import("../../app/routes/projects._index");
  const body = await jsonOf(await call(loader, makeRequest("/projects?year=2026", { cookie: cookies[who] })));
  return body.result.rows.map((r: { id: number }) => r.id).sort((a: number, b: number) => a - b);
}

async function moveUnit(departmentId: number) {
  const { action } = await import("../../app/routes/admin.units");
  return call(action, makeRequest("/admin/units", { cookie: cookies.admin, form: { id: String(unitId), code: "206001", name: "綦江区经信委本级", departmentId: String(departmentId) } }));
}

/** Everything a move may touch, and the history it must not. */
async function snapshot() {
  const { db, units, users, projects, targetTables, reviews, auditEvents, eq, asc } = await m();
  return JSON.stringify({
    unit: db.select().from(units).where(eq(units.id, unitId)).get(),
    users: db.select().from(users).where(eq(users.unitId, unitId)).orderBy(asc(users.id)).all(),
    projects: db.select().from(projects).where(eq(projects.unitId, unitId)).orderBy(asc(projects.id)).all(),
    tables: db.select().from(targetTables).orderBy(asc(targetTables.id)).all(),
    reviews: db.select().from(reviews).orderBy(asc(reviews.id)).all(),
    audit: db.select().from(auditEvents).orderBy(asc(auditEvents.id)).all(),
  });
}

beforeAll(async () => {
  await setupDatabase();
  const { db, regions, departments, units, targetTables, eq, and } = await m();
  regionId = db.select().from(regions).where(eq(regions.slug, "qijiang")).get()!.id;
  oldDept = db.select().from(departments).where(and(eq(departments.regionId, regionId), eq(departments.code, "206"))).get()!.id;
  unitId = db.select().from(units).where(and(eq(units.regionId, regionId), eq(units.code, "206001"))).get()!.id;
  for (const who of ["admin", "dept", "unit", "finance"]) cookies[who] = await login(`qijiang.${who}`);

  // The new department and its reviewer.
  const depts = await import("../../app/routes/admin.departments");
  await call(depts.action, makeRequest("/admin/departments", { cookie: cookies.admin, form: { code: "207", name: "重庆市綦江区教育委员会" } }));
  newDept = db.select().from(departments).where(and(eq(departments.regionId, regionId), eq(departments.code, "207"))).get()!.id;
  const usersRoute = await import("../../app/routes/admin.users._index");
  const made = await call(
    usersRoute.action,
    makeRequest("/admin/users", { cookie: cookies.admin, form: { username: "qijiang.jiaowei", displayName: "教委审核", role: "department", departmentId: String(newDept), unitId: "", password: "secret-123" } }),
  );
  expect(made.status).toBe(302);
  cookies.newDept = await login("qijiang.jiaowei", "secret-123");

  // The unit's projects, one per state of their tables.
  const { commitImport } = await import("../../app/models/import.server");
  const table = (code: string) => validProjectTable({ name: `项目 ${code}`, code, unit: UNIT });
  const open = ["draft", "returned", "pending_department", "pending_finance", "rejected"] as const;
  const drafts = commitImport({ id: null, regionId }, { year: 2026, mode: "draft", tables: open.map((s) => table(s)) });
  open.forEach((s, i) => (P[s] = drafts.created[i].id));
  for (const s of open) db.update(targetTables).set({ status: s }).where(eq(targetTables.projectId, P[s])).run();
  const approved = commitImport({ id: null, regionId }, { year: 2026, mode: "approved", tables: [table("approved"), table("adjusting")] });
  P.approved = approved.created[0].id;
  P.adjusting = approved.created[1].id;
  // An approved project with an adjustment (version 2) in progress.
  const page = await import("../../app/routes/projects.$projectId");
  const v1 = db.select().from(targetTables).where(eq(targetTables.projectId, P.adjusting)).get()!;
  const adj = await call(page.action, makeRequest(`/projects/${P.adjusting}`, { cookie: cookies.unit, form: { intent: "request_adjustment", tableId: String(v1.id), comment: "调整" } }), {
    projectId: String(P.adjusting),
  });
  expect(adj.status).toBe(302);
  // Another unit's project of the old department, untouched by the move.
  P.otherUnit = commitImport({ id: null, regionId }, { year: 2026, mode: "draft", tables: [validProjectTable({ name: "别的单位", code: "OTHER", unit: { code: "206002", name: null } })] }).created[0].id;
});

const OPEN = ["draft", "returned", "pending_department", "pending_finance"];
// An approved project with an adjustment in progress stays with the department that approved it.
const FINAL = ["approved", "adjusting", "rejected"];
const ids = (keys: string[]) => keys.map((k) => P[k]).sort((a, b) => a - b);

describe("moving a 预算单位 to another 主管部门", () => {
  it("the edit form says what a move would carry along", async () => {
    const { loader } = await import("../../app/routes/admin.units");
    const body = await jsonOf(await call(loader, makeRequest(`/admin/units?edit=${unitId}`, { cookie: cookies.admin })));
    expect(body.moveImpact).toEqual({ users: 1, openProjects: 4, finalProjects: 3 });
  });

  it("a failure half-way changes nothing", async () => {
    const { db, sql } = await m();
    const before = await snapshot();
    // The last open project refuses to move: the unit and its users are updated by then.
    db.run(
      sql.raw(
        `CREATE TEMP TRIGGER refuse_move BEFORE UPDATE OF department_id ON projects WHEN NEW.id = ${Math.max(...ids(OPEN))} BEGIN SELECT RAISE(ABORT, 'refused by test'); END`,
      ),
    );
    try {
      await expect(moveUnit(newDept)).rejects.toThrow(/refused by test/);
    } finally {
      db.run(sql.raw("DROP TRIGGER refuse_move"));
    }
    expect(await snapshot()).toBe(before);
  });

  it("moves the unit's users and open projects; final projects and all history stay", async () => {
    const { db, projects, users, targetTables, reviews, eq, asc } = await m();
    const history = () =>
      JSON.stringify({
        tables: db.select().from(targetTables).orderBy(asc(targetTables.id)).all(),
        reviews: db.select().from(reviews).orderBy(asc(reviews.id)).all(),
      });
    const before = history();
    expect(await listed("dept")).toEqual(ids([...OPEN, ...FINAL, "otherUnit"]));

    const res = await moveUnit(newDept);
    expect(res.status).toBe(302);

    const dept = (id: number) => db.select().from(projects).where(eq(projects.id, id)).get()!.departmentId;
    for (const k of OPEN) expect([k, dept(P[k])]).toEqual([k, newDept]);
    for (const k of [...FINAL, "otherUnit"]) expect([k, dept(P[k])]).toEqual([k, oldDept]);
    expect(db.select().from(users).where(eq(users.username, "qijiang.unit")).get()!.departmentId).toBe(newDept);
    expect(db.select().from(users).where(eq(users.username, "qijiang.dept")).get()!.departmentId).toBe(oldDept);
    expect(history()).toBe(before);
  });

  it("the old department no longer sees the moved projects, the new one does, the unit sees all of its own", async () => {
    expect(await listed("dept")).toEqual(ids([...FINAL, "otherUnit"]));
    expect(await listed("newDept")).toEqual(ids(OPEN));
    expect(await listed("unit")).toEqual(ids([...OPEN, ...FINAL]));
    const { loader } = await import("../../app/routes/projects.$projectId");
    const open = (who: string) => call(loader, makeRequest(`/projects/${P.draft}`, { cookie: cookies[who] }), { projectId: String(P.draft) });
    expect((await open("dept")).status).toBe(404);
    expect((await open("newDept")).status).toBe(200);
  });

  it("a table pending the department review is now reviewed by the new department only", async () => {
    const { db, targetTables, eq } = await m();
    const t = db.select().from(targetTables).where(eq(targetTables.projectId, P.pending_department)).get()!;
    const { action } = await import("../../app/routes/projects.$projectId");
    const approve = (who: string) =>
      call(action, makeRequest(`/projects/${P.pending_department}`, { cookie: cookies[who], form: { intent: "approve", tableId: String(t.id) } }), {
        projectId: String(P.pending_department),
      });
    expect((await approve("dept")).status).toBe(404);
    expect((await approve("newDept")).status).toBe(302);
    expect(db.select().from(targetTables).where(eq(targetTables.id, t.id)).get()!.status).toBe("pending_finance");
  });

  it("the unit's next project is filed under the new department", async () => {
    const { action } = await import("../../app/routes/projects.new");
    const res = await call(action, makeRequest("/projects/new", { cookie: cookies.unit, form: { name: "转隶后的新项目" } }));
    expect(res.status).toBe(302);
    const id = Number(res.headers.get("Location")!.split("/").pop());
    const { db, projects, eq } = await m();
    expect(db.select().from(projects).where(eq(projects.id, id)).get()!.departmentId).toBe(newDept);
  });

  it("the audit log has the move of the unit, of each user and of each project", async () => {
    const { db, auditEvents, users, and, eq } = await m();
    const entries = (entity: string, id: number) =>
      db.select().from(auditEvents).where(and(eq(auditEvents.entity, entity), eq(auditEvents.entityId, id))).all();
    const unitEntry = entries("unit", unitId).at(-1)!;
    expect(unitEntry.action).toBe("update");
    expect(JSON.parse(unitEntry.before!)).toMatchObject({ departmentId: oldDept });
    expect(JSON.parse(unitEntry.after!)).toMatchObject({
      departmentId: newDept,
      moved: { users: [expect.any(Number)], projects: ids(OPEN) },
      kept: { projects: ids(FINAL) },
    });
    const unitUser = db.select().from(users).where(eq(users.username, "qijiang.unit")).get()!;
    const userEntry = entries("user", unitUser.id).at(-1)!;
    expect(userEntry).toMatchObject({ action: "move_department", before: JSON.stringify({ departmentId: oldDept }) });
    expect(JSON.parse(userEntry.after!)).toEqual({ departmentId: newDept, unitId });
    for (const k of OPEN) {
      const e = entries("project", P[k]).filter((x) => x.action === "move_department");
      expect([k, e.length]).toEqual([k, 1]);
      expect(JSON.parse(e[0].after!)).toEqual({ departmentId: newDept, unitId });
    }
    for (const k of FINAL) expect(entries("project", P[k]).filter((x) => x.action === "move_department")).toEqual([]);
  });

  it("saving the unit without changing its department moves nothing", async () => {
    const { db, auditEvents, eq } = await m();
    const before = await snapshot();
    expect((await moveUnit(newDept)).status).toBe(302);
    const after = JSON.parse(await snapshot());
    expect(after.projects).toEqual(JSON.parse(before).projects);
    const moves = db.select().from(auditEvents).where(eq(auditEvents.action, "move_department")).all();
    expect(moves).toHaveLength(OPEN.length + 1);
  });
});
