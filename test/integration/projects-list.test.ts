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
  // Names with LIKE's wildcards, in another year so the counts above stay 12.
  const literal = ["覆盖率100%项目", "覆盖率1000项目", "A_1 专项", "AB1 专项", "路径\\备份"].map((name, i) =>
    validProjectTable({ year: 2025, code: `W-${i}`, project: { ...emptyProjectHeader(), code: `W-${i}`, name, budget: { total: 1, local: null, superior: null } } }),
  );
  commitImport({ id: null, regionId: region.id }, { year: 2025, mode: "draft", tables: literal });
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

  it("searches %, _ and \\ literally (LIKE … ESCAPE)", async () => {
    const names = async (q: string) =>
      (await list(`year=2025&q=${encodeURIComponent(q)}`)).result.rows.map((r: { name: string }) => r.name);
    expect(await names("100%")).toEqual(["覆盖率100%项目"]);
    expect(await names("A_1")).toEqual(["A_1 专项"]);
    expect(await names("路径\\")).toEqual(["路径\\备份"]);
    expect(await names("%")).toEqual(["覆盖率100%项目"]);
    expect(await names("_")).toEqual(["A_1 专项"]);
  });

  it("any page number gives a clean page, never a 500", async () => {
    const { loader } = await import("../../app/routes/projects._index");
    for (const page of ["1e300", "-1", "abc", "99999999999999999999", "0", "1.5", "Infinity", "NaN", "9007199254740993", "", "%00"]) {
      const res = await call(loader, makeRequest(`/projects?year=2026&page=${encodeURIComponent(page)}`, { cookie }));
      expect(res.status, page).toBe(200);
      const body = await jsonOf(res);
      expect(body.result.total, page).toBe(12);
      expect(Number.isSafeInteger(body.result.page), page).toBe(true);
      expect(body.result.page, page).toBeGreaterThanOrEqual(1);
    }
    // A page past the end is the last page, not an empty list.
    for (const page of ["2", "1000000"]) {
      const body = await list(`year=2026&page=${page}`);
      expect(body.result.page).toBe(1);
      expect(body.result.rows).toHaveLength(12);
    }
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

  it("offers the scope's departments, units, years and categories, with only what the filter shows", async () => {
    const body = await list("year=2026");
    expect(body.years).toEqual(expect.arrayContaining([2026, 2025]));
    expect(body.categories).toEqual(["一般性项目", "重点专项"]);
    expect(body.departments.length).toBeGreaterThan(0);
    for (const d of body.departments) expect(Object.keys(d).sort()).toEqual(["code", "id", "name"]);
    expect(body.units.length).toBeGreaterThan(0);
    for (const u of body.units) expect(Object.keys(u).sort()).toEqual(["id", "name"]);
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

describe("page numbers in every list give a clean page, never a 500 (issue 9 item 10)", () => {
  const BAD = ["1e300", "-1", "abc", "99999999999999999999", "0", "2.5", "Infinity", "NaN", "9007199254740993", "", "1%00"];
  const cases = [
    { route: "audit", path: "/audit", who: "qijiang.finance", rows: (b: any) => b.result.rows, page: (b: any) => b.result.page },
    { route: "library", path: "/library", who: "qijiang.unit", rows: (b: any) => b.list.rows, page: (b: any) => b.list.page },
    { route: "department-targets._index", path: "/department-targets", who: "qijiang.finance", rows: (b: any) => b.targets, page: () => 1 },
  ] as const;
  for (const c of cases) {
    it(`${c.path}`, async () => {
      const { loader } = await import(`../../app/routes/${c.route}.tsx`);
      const cookie = await login(c.who);
      const first = await jsonOf(await call(loader, makeRequest(c.path, { cookie })));
      for (const page of BAD) {
        const res = await call(loader, makeRequest(`${c.path}?page=${encodeURIComponent(page)}`, { cookie }));
        expect(res.status, `${c.path}?page=${page}`).toBe(200);
        const body = await jsonOf(res);
        expect(c.page(body), page).toBe(1);
        expect(c.rows(body), page).toEqual(c.rows(first));
      }
    });
  }

  it("other numbers in the project list's query are ignored when out of range", async () => {
    for (const q of ["year=1e300", "departmentId=99999999999999999999", "unitId=-1", "year=2026&departmentId=1e300&page=1e300"]) {
      const res = await call((await import("../../app/routes/projects._index")).loader, makeRequest(`/projects?${q}`, { cookie }));
      expect(res.status, q).toBe(200);
      expect((await jsonOf(res)).result.total, q).toBe(12);
    }
  });
});

// Issue 13: search goes through the region's FTS index (db/search-tokens.ts) and then the
// exact LIKE; it must find what LIKE alone found, and nothing of another region.
describe("project search through the index", () => {
  const names = async (q: string, year = 2026) =>
    (await list(`year=${year}&q=${encodeURIComponent(q)}`)).result.rows.map((r: { name: string }) => r.name).sort();

  it("finds two-character and one-character Chinese, codes in any case, and a name after a rename", async () => {
    expect(await names("项目")).toHaveLength(12);
    expect(await names("目0")).toEqual(["列表项目01", "列表项目02", "列表项目03", "列表项目04", "列表项目05", "列表项目06", "列表项目07", "列表项目08", "列表项目09"]);
    expect(await names("l-1")).toEqual(["列表项目10", "列表项目11", "列表项目12"]);
    expect(await names("覆", 2025)).toEqual(["覆盖率100%项目", "覆盖率1000项目"]);
    const { sqlite } = await import("../../db/client.server");
    sqlite.prepare("update projects set name = '改名后的慰问项目' where code = 'L-05'").run();
    expect(await names("慰问")).toEqual(["改名后的慰问项目"]);
    expect(await names("列表项目05")).toEqual([]);
    sqlite.prepare("update projects set name = '列表项目05' where code = 'L-05'").run();
  });

  it("keeps LIKE's meaning where the index is looser: punctuation, and never across name and code", async () => {
    // The index drops the "-": the LIKE on the candidates keeps "L03" from finding "L-03".
    expect(await names("L03")).toEqual([]);
    // A name's end and the code's start are not one string.
    expect(await names("目01L")).toEqual([]);
    // Only punctuation: no index to ask, the LIKE decides.
    expect(await names("-")).toHaveLength(12);
    expect(await names("（")).toEqual([]);
  });

  it("finds nothing of another region, whatever its names", async () => {
    const { sqlite } = await import("../../db/client.server");
    const nanan = sqlite.prepare("select d.id, d.region_id from departments d join regions r on r.id = d.region_id where r.slug = 'nanan' limit 1").get() as { id: number; region_id: number };
    sqlite.prepare("insert into projects (region_id, year, department_id, code, name) values (?, 2026, ?, 'L-99', '列表项目99')").run(nanan.region_id, nanan.id);
    expect(await names("列表项目99")).toEqual([]);
    expect(await names("项目")).toHaveLength(12);
  });
});
