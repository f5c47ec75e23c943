// Issue 13: the summary rows the lists and overviews add up (project_counts, report_counts),
// the projects' mirrors of their version in force, reports.max_lost and the search index are
// kept by triggers (drizzle/0008). They must equal what counting the source rows gives after
// every kind of change: the demo seed (imports, every workflow transition, monitoring and
// self-evaluation rounds with reviews and deductions), then an adjustment, a unit move and a
// deletion through raw SQL. docs/decisions/028-province-scale.md.
import { beforeAll, describe, expect, it } from "vitest";
import { searchDocument } from "../../db/search-tokens";
import { call, login, makeRequest, seedDemo } from "../helpers/app";

type Sqlite = typeof import("../../db/client.server").sqlite;
let sqlite: Sqlite;

beforeAll(async () => {
  await seedDemo();
  ({ sqlite } = await import("../../db/client.server"));
});

const all = (sql: string, ...params: unknown[]) => sqlite.prepare(sql).all(...params) as Record<string, unknown>[];

/** Every summary against a count of the source rows (never against the mirrors it is kept from). */
function expectSummariesExact() {
  // The mirrors, from target_tables directly.
  expect(
    all(`select p.id, p.status, p.error_count, p.warning_count, p.adjustment_status from projects p order by p.id`),
  ).toEqual(
    all(`select p.id,
           (select t.status from target_tables t where t.project_id = p.id and t.is_current = 1) status,
           coalesce((select t.error_count from target_tables t where t.project_id = p.id and t.is_current = 1), 0) error_count,
           coalesce((select t.warning_count from target_tables t where t.project_id = p.id and t.is_current = 1), 0) warning_count,
           (select t.status from target_tables t where t.project_id = p.id and t.is_current = 0
              and t.status in ('draft', 'returned', 'pending_department', 'pending_finance') order by t.version desc limit 1) adjustment_status
         from projects p order by p.id`),
  );
  // The list columns, from the header of the version in force (drizzle/0012).
  expect(all(`select p.id, p.name, p.category, p.budget_total from projects p join target_tables t on t.project_id = p.id and t.is_current = 1 join project_headers h on h.table_id = t.id order by p.id`)).toEqual(
    all(`select p.id, h.name, h.category, h.budget_total from projects p join target_tables t on t.project_id = p.id and t.is_current = 1 join project_headers h on h.table_id = t.id order by p.id`),
  );
  // project_counts, from projects joined to target_tables.
  expect(all(`select region_id, year, department_id, unit_id, category, status, adjustment_status, n, errors, warnings from project_counts order by 1, 2, 3, 4, 5, 6, 7`)).toEqual(
    all(`select p.region_id, p.year, p.department_id, coalesce(p.unit_id, 0) unit_id, coalesce(p.category, '') category, coalesce(t.status, 'none') status,
           coalesce((select a.status from target_tables a where a.project_id = p.id and a.is_current = 0
              and a.status in ('draft', 'returned', 'pending_department', 'pending_finance') order by a.version desc limit 1), '') adjustment_status,
           count(*) n, coalesce(sum(t.error_count), 0) errors, coalesce(sum(t.warning_count), 0) warnings
         from projects p left join target_tables t on t.project_id = p.id and t.is_current = 1
         group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7`),
  );
  // report_counts, from reports.
  expect(all(`select * from report_counts order by round_id, department_id, is_project, status, budget_light, grade, has_green, has_yellow, has_red`)).toEqual(
    all(`select round_id, department_id, project_id is not null is_project, status, coalesce(budget_light, '') budget_light, coalesce(grade, '') grade,
           green > 0 has_green, yellow > 0 has_yellow, red > 0 has_red, count(*) n, sum(green) green, sum(yellow) yellow, sum(red) red, sum(coalesce(score, 0)) score_sum
         from reports group by 1, 2, 3, 4, 5, 6, 7, 8, 9 order by 1, 2, 3, 4, 5, 6, 7, 8, 9`),
  );
  // max_lost, from the rows and their indicators.
  expect(all(`select id, max_lost from reports order by id`)).toEqual(
    all(`select r.id, (select max(i.weight - rr.score) from report_rows rr join indicators i on i.id = rr.indicator_id
           where rr.report_id = r.id and rr.score is not null and i.weight is not null) max_lost from reports r order by r.id`),
  );
  // The search index holds one document per project, the one its name and code give.
  const indexed = new Map(all(`select rowid id, tokens from project_search`).map((r) => [r.id as number, r.tokens as string]));
  const projects = all(`select id, region_id, name, code from projects`);
  expect(indexed.size).toBe(projects.length);
  for (const p of projects) expect(indexed.get(p.id as number)).toBe(searchDocument(p.region_id as number, p.name as string, p.code as string | null));
}

describe("summary rows kept by triggers", () => {
  it("the demo seed leaves every summary equal to a count of its source rows", () => {
    expect((sqlite.prepare("select count(*) n from reports").get() as { n: number }).n).toBeGreaterThan(20);
    expect((sqlite.prepare("select count(*) n from reports where max_lost > 0").get() as { n: number }).n).toBeGreaterThan(0);
    expectSummariesExact();
  });

  it("the round overviews and entry lists from the summary rows equal those counted from the entries, for every filter", async () => {
    const { roundOverview, roundOverviewCounted, listRoundEntries, ENTRY_FILTERS } = await import("../../app/models/monitoring-overview.server");
    const { getRound } = await import("../../app/models/rounds.server");
    const { userFromSession } = await sessionUsers();
    const rounds = all("select id, kind, region_id from rounds");
    expect(rounds.length).toBeGreaterThan(2);
    let compared = 0;
    for (const username of ["qijiang.finance", "qijiang.dept", "nanan.finance", "nanan.dept"]) {
      const user = await userFromSession(username);
      for (const r of rounds.filter((x) => x.region_id === user.regionId)) {
        const round = getRound(user, r.id as number, r.kind as "monitoring" | "evaluation")!;
        // Before and after the deadline: "overdue" depends on the clock.
        for (const now of [new Date(round.dueAt.getTime() - 1), new Date(round.dueAt.getTime() + 1)]) {
          expect(roundOverview(user, round, now)).toEqual(roundOverviewCounted(user, round, now));
          const filters = [
            {},
            ...ENTRY_FILTERS.status.map((status) => ({ status })),
            ...ENTRY_FILTERS.light.map((light) => ({ light })),
            ...["优", "良", "中", "差"].map((grade) => ({ grade })),
            { status: "overdue", light: "budget_red" },
            { status: "not_started", grade: "优" },
          ];
          for (const filter of filters) {
            const fromSummary = listRoundEntries(user, round, filter, now);
            const counted = listRoundEntries(user, round, filter, now, "counted");
            expect({ filter, total: fromSummary.total, rows: fromSummary.rows.map((x) => x.href) }).toEqual({ filter, total: counted.total, rows: counted.rows.map((x) => x.href) });
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it("an adjustment under way, its approval, a unit move and deletions keep them exact", async () => {
    const cookies = { unit: await login("qijiang.unit"), dept: await login("qijiang.dept"), finance: await login("qijiang.finance"), admin: await login("qijiang.admin") };
    const approved = sqlite
      .prepare(
        `select p.id projectId, t.id tableId from projects p join target_tables t on t.project_id = p.id and t.is_current = 1 and t.status = 'approved'
         join users u on u.unit_id = p.unit_id and u.username = 'qijiang.unit' order by p.id limit 1`,
      )
      .get() as { projectId: number; tableId: number };
    const { action } = await import("../../app/routes/projects.$projectId");
    const post = (who: keyof typeof cookies, form: Record<string, string>) =>
      call(action, makeRequest(`/projects/${approved.projectId}`, { cookie: cookies[who], form }), { projectId: String(approved.projectId) });
    expect((await post("unit", { intent: "request_adjustment", tableId: String(approved.tableId), comment: "预算调整" })).status).toBe(302);
    expect(all("select adjustment_status from projects where id = ?", approved.projectId)).toEqual([{ adjustment_status: "draft" }]);
    expectSummariesExact();

    const v2 = sqlite.prepare("select id, revision from target_tables where project_id = ? and version = 2").get(approved.projectId) as { id: number; revision: number };
    // The adjusted version's header is not what the lists show while it is under way…
    sqlite.prepare("update project_headers set name = '调整后的名称', budget_total = 123 where table_id = ?").run(v2.id);
    expect(all("select name from projects where id = ?", approved.projectId)).not.toEqual([{ name: "调整后的名称" }]);
    // …and is once it is in force: the adjusted version approved as the workflow leaves it (v1 superseded, v2 in force).
    void v2.revision;
    sqlite.transaction(() => {
      sqlite.prepare("update target_tables set status = 'superseded', is_current = 0 where project_id = ? and version = 1").run(approved.projectId);
      sqlite.prepare("update target_tables set status = 'approved', is_current = 1, error_count = 2, warning_count = 3 where id = ?").run(v2.id);
    })();
    expect(all("select name, budget_total from projects where id = ?", approved.projectId)).toEqual([{ name: "调整后的名称", budget_total: 123 }]);
    expect(all("select status, error_count, warning_count, adjustment_status from projects where id = ?", approved.projectId)).toEqual([
      { status: "approved", error_count: 2, warning_count: 3, adjustment_status: null },
    ]);
    expectSummariesExact();

    // A unit moved to another department carries its open projects (docs/decisions/012).
    const unit = sqlite
      .prepare("select u.id, u.code, u.name, u.region_id, u.department_id from units u join regions r on r.id = u.region_id where r.slug = 'qijiang' order by u.id limit 1")
      .get() as { id: number; code: string; name: string; region_id: number; department_id: number };
    // An open project of the unit (a draft), which the move carries along.
    const open = sqlite
      .prepare("insert into projects (region_id, year, department_id, unit_id, code, name) values (?, 2026, ?, ?, 'MOVE-1', '随单位迁移的草稿项目')")
      .run(unit.region_id, unit.department_id, unit.id).lastInsertRowid as number;
    sqlite.prepare("insert into target_tables (region_id, project_id, status) values (?, ?, 'draft')").run(unit.region_id, open);
    const other = sqlite.prepare("select d.id from departments d join regions r on r.id = d.region_id where r.slug = 'qijiang' and d.id <> (select department_id from units where id = ?) order by d.id limit 1").get(unit.id) as
      | { id: number }
      | undefined;
    const otherDepartment =
      other?.id ??
      (sqlite.prepare("insert into departments (region_id, code, name) select id, '999', '测试部门' from regions where slug = 'qijiang'").run().lastInsertRowid as number);
    const admin = await import("../../app/routes/admin.units");
    const moved = await call(admin.action, makeRequest("/admin/units", { cookie: cookies.admin, form: { id: String(unit.id), code: unit.code, name: unit.name, departmentId: String(otherDepartment) } }));
    expect(moved.status).toBeLessThan(400);
    expect(all("select department_id from projects where id = ?", open)).toEqual([{ department_id: otherDepartment }]);
    expectSummariesExact();

    // Deletions (the app keeps its rows; an operator's SQL must not leave the summaries behind).
    sqlite.transaction(() => {
      // A project and its table written and removed by SQL alone.
      const dept = sqlite.prepare("select id, region_id from departments order by id limit 1").get() as { id: number; region_id: number };
      const projectId = sqlite
        .prepare("insert into projects (region_id, year, department_id, code, name, category) values (?, 2026, ?, 'SQL-1', 'SQL 写入的项目', '重点专项')")
        .run(dept.region_id, dept.id).lastInsertRowid as number;
      sqlite.prepare("insert into target_tables (region_id, project_id, status, error_count, warning_count) values (?, ?, 'pending_finance', 4, 1)").run(dept.region_id, projectId);
      expect(all("select status, error_count from projects where id = ?", projectId)).toEqual([{ status: "pending_finance", error_count: 4 }]);
      sqlite.prepare("update projects set name = 'SQL 改名的项目', category = null where id = ?").run(projectId);
      sqlite.prepare("delete from target_tables where project_id = ?").run(projectId);
      sqlite.prepare("delete from projects where id = ?").run(projectId);
      const report = sqlite.prepare("select id from reports where max_lost > 0 order by id limit 1").get() as { id: number };
      sqlite.prepare("delete from report_rows where report_id = ? and position = (select min(position) from report_rows where report_id = ?)").run(report.id, report.id);
      sqlite.prepare("update report_rows set score = score - 100 where report_id = (select max(id) from reports where max_lost is not null)").run();
    })();
    expectSummariesExact();
  });
});

/** CurrentUser objects for demo usernames, as the session gives them after signing in. */
async function sessionUsers() {
  const { getSessionUser } = await import("../../app/auth/session.server");
  return { userFromSession: async (username: string) => (await getSessionUser(makeRequest("/", { cookie: await login(username) })))! };
}
