// The 项目 list: filters, search, sort, pagination and the counts per status.
import { beforeAll, describe, expect, it } from "vitest";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { validProjectTable } from "../helpers/tables";
import { emptyProjectHeader } from "../../app/domain/schemas";

let cookie = "";

async function list(query: string) {
  const { loader } = await import("../../app/routes/projects._index");
  return jsonOf(await call(loader, makeRequest(`/projects?${query}`, { cookie })));
}

beforeAll(async () => {
  await setupDatabase();
  const { db } = await import("../../db/client.server");
  const { regions } = await import("../../db/schema");
  const { eq } = await import("drizzle-orm");
  const { commitImport } = await import("../../app/models/import.server");
  const region = db.select().from(regions).where(eq(regions.slug, "qijiang")).get()!;
  const table = (i: number, category: string) =>
    validProjectTable({
      code: `L-${String(i).padStart(2, "0")}`,
      project: { ...emptyProjectHeader(), code: `L-${String(i).padStart(2, "0")}`, name: `列表项目${String(i).padStart(2, "0")}`, category, budget: { total: i * 10, local: null, superior: null } },
    });
  const drafts = Array.from({ length: 7 }, (_, i) => table(i + 1, "一般性项目"));
  const approved = Array.from({ length: 5 }, (_, i) => table(i + 8, "重点专项"));
  commitImport({ id: null, regionId: region.id }, { year: 2026, mode: "draft", tables: drafts });
  commitImport({ id: null, regionId: region.id }, { year: 2026, mode: "approved", tables: approved });
  cookie = await login("qijiang.finance");
});

describe("project list", () => {
  it("counts projects per status within the other filters", async () => {
    const body = await list("year=2026");
    expect(body.result.total).toBe(12);
    expect(body.counts).toEqual({ draft: 7, approved: 5 });
    const filtered = await list("year=2026&category=重点专项");
    expect(filtered.counts).toEqual({ approved: 5 });
  });

  it("filters by status and category, and searches name or code", async () => {
    expect((await list("year=2026&status=approved")).result.total).toBe(5);
    expect((await list("year=2026&status=draft&category=重点专项")).result.total).toBe(0);
    expect((await list("year=2026&q=L-03")).result.rows.map((r: { name: string }) => r.name)).toEqual(["列表项目03"]);
    expect((await list("year=2026&q=列表项目1")).result.total).toBe(3);
    // LIKE wildcards are searched literally.
    expect((await list("year=2026&q=%25")).result.total).toBe(0);
  });

  it("sorts and paginates", async () => {
    const byBudget = await list("year=2026&sort=budget_desc&page=1");
    expect(byBudget.result.rows.slice(0, 3).map((r: { budgetTotal: number }) => r.budgetTotal)).toEqual([1200000, 1100000, 1000000]);
    const byCode = await list("year=2026&sort=code");
    expect(byCode.result.rows[0].code).toBe("L-01");
    expect(byCode.result.pageSize).toBe(25);
    // Unknown values fall back to defaults instead of failing.
    const odd = await list("year=2026&sort=drop_table&status=nonsense&page=-3");
    expect(odd.result.total).toBe(12);
    expect(odd.result.page).toBe(1);
  });

  it("pages through a filter", async () => {
    const { listProjects } = await import("../../app/models/projects.server");
    const { getSessionUser } = await import("../../app/auth/session.server");
    const user = (await getSessionUser(makeRequest("/", { cookie })))!;
    const page1 = listProjects(user, { year: 2026, sort: "code", pageSize: 5, page: 1 });
    const page3 = listProjects(user, { year: 2026, sort: "code", pageSize: 5, page: 3 });
    expect(page1.rows.map((r) => r.code)).toEqual(["L-01", "L-02", "L-03", "L-04", "L-05"]);
    expect(page3.rows.map((r) => r.code)).toEqual(["L-11", "L-12"]);
    expect(page3.total).toBe(12);
  });
});
