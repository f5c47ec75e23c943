import { beforeAll, describe, expect, it } from "vitest";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { validProjectTable } from "../helpers/tables";

// Projects in two regions and two units of one region.
const ids: Record<string, number> = {};

beforeAll(async () => {
  await setupDatabase();
  const { db } = await import("../../db/client.server");
  const { regions, units } = await import("../../db/schema");
  const { eq } = await import("drizzle-orm");
  const { commitImport } = await import("../../app/models/import.server");
  const region = (slug: string) => db.select().from(regions).where(eq(regions.slug, slug)).get()!;
  const unit = (code: string) => db.select().from(units).where(eq(units.code, code)).get()!;

  const qijiang = region("qijiang");
  const q = commitImport({ id: null, regionId: qijiang.id }, { year: 2026, mode: "approved", tables: [validProjectTable()] });
  ids.qijiang = q.created[0].id;

  const nanan = region("nanan");
  const dept = { code: "402", name: "重庆市南岸区经济和信息化委员会" };
  const n = commitImport(
    { id: null, regionId: nanan.id },
    {
      year: 2024,
      mode: "draft",
      tables: [
        validProjectTable({ year: 2024, name: "本级项目", code: "N-1", department: dept, unit: { code: "402001", name: null } }),
        validProjectTable({ year: 2024, name: "中心项目", code: "N-2", department: dept, unit: { code: "402002", name: null } }),
      ],
    },
  );
  ids.nananOwn = n.created[0].id;
  ids.nananOther = n.created[1].id;
  expect(unit("402001")).toBeTruthy();
});

describe("cross-region access", () => {
  it("a 南岸区 unit user opening a 綦江区 project gets 404", async () => {
    const cookie = await login("nanan.unit");
    const { loader } = await import("../../app/routes/projects.$projectId");
    const res = await call(loader, makeRequest(`/projects/${ids.qijiang}`, { cookie }), { projectId: String(ids.qijiang) });
    expect(res.status).toBe(404);
  });

  it("even finance and admin of 南岸区 get 404 for a 綦江区 project", async () => {
    const { loader } = await import("../../app/routes/projects.$projectId");
    for (const who of ["nanan.finance", "nanan.admin"]) {
      const cookie = await login(who);
      const res = await call(loader, makeRequest(`/projects/${ids.qijiang}`, { cookie }), { projectId: String(ids.qijiang) });
      expect(res.status).toBe(404);
    }
  });

  it("a 綦江区 user sees their project", async () => {
    const cookie = await login("qijiang.unit");
    const { loader } = await import("../../app/routes/projects.$projectId");
    const res = await call(loader, makeRequest(`/projects/${ids.qijiang}`, { cookie }), { projectId: String(ids.qijiang) });
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(body.project.name).toBe("参战参核军人生活补助");
    expect(body.view.exchange.indicators).toHaveLength(5);
  });

  it("a non-numeric or unknown id is a 404 too", async () => {
    const cookie = await login("qijiang.finance");
    const { loader } = await import("../../app/routes/projects.$projectId");
    for (const id of ["abc", "999999"]) {
      expect((await call(loader, makeRequest(`/projects/${id}`, { cookie }), { projectId: id })).status).toBe(404);
    }
  });
});

describe("role scoping inside a region", () => {
  it("a unit user lists only their unit's projects; a unit user of another unit gets 404", async () => {
    const { loader } = await import("../../app/routes/projects._index");
    const cookie = await login("nanan.unit"); // scoped to 402001
    const body = await jsonOf(await call(loader, makeRequest("/projects?year=2024", { cookie })));
    expect(body.result.rows.map((r: { name: string }) => r.name)).toEqual(["本级项目"]);
    const detail = await import("../../app/routes/projects.$projectId");
    const res = await call(detail.loader, makeRequest(`/projects/${ids.nananOther}`, { cookie }), {
      projectId: String(ids.nananOther),
    });
    expect(res.status).toBe(404);
  });

  it("department and finance users see the whole department / region", async () => {
    const { loader } = await import("../../app/routes/projects._index");
    for (const who of ["nanan.dept", "nanan.finance"]) {
      const body = await jsonOf(await call(loader, makeRequest("/projects?year=2024", { cookie: await login(who) })));
      expect(body.result.rows.map((r: { name: string }) => r.name).sort()).toEqual(["中心项目", "本级项目"]);
    }
  });

  it("the list never shows another region's projects, whatever the filter", async () => {
    const { loader } = await import("../../app/routes/projects._index");
    const body = await jsonOf(await call(loader, makeRequest("/projects?year=2026&q=参战", { cookie: await login("nanan.finance") })));
    expect(body.result.total).toBe(0);
  });

  it("the list shows status, budget, weights and finding counts per row", async () => {
    const { loader } = await import("../../app/routes/projects._index");
    const body = await jsonOf(await call(loader, makeRequest("/projects?year=2026", { cookie: await login("qijiang.finance") })));
    expect(body.result.rows[0]).toMatchObject({
      status: "approved",
      budgetTotal: 256500,
      indicatorCount: 5,
      weightTotal: 9000,
      budgetExecutionWeight: 1000,
      errorCount: 0,
    });
  });
});

describe("guards", () => {
  it("non-admins get 403 on admin pages", async () => {
    const { loader } = await import("../../app/routes/admin.departments");
    for (const who of ["nanan.unit", "nanan.dept", "nanan.finance"]) {
      expect((await call(loader, makeRequest("/admin/departments", { cookie: await login(who) }))).status).toBe(403);
    }
  });

  it("audit log is for finance and admin only", async () => {
    const { loader } = await import("../../app/routes/audit");
    expect((await call(loader, makeRequest("/audit", { cookie: await login("nanan.unit") }))).status).toBe(403);
    expect((await call(loader, makeRequest("/audit", { cookie: await login("nanan.finance") }))).status).toBe(200);
  });
});

describe("绩效公开 across regions", () => {
  it("a 綦江区 publication is nowhere in 南岸区: not listed, viewed, downloaded, zipped or shown publicly; nor published by it", async () => {
    const { db } = await import("../../db/client.server");
    const { departments, projects, regions } = await import("../../db/schema");
    const { eq } = await import("drizzle-orm");
    const page = await import("../../app/routes/publications._index");
    const qDept = db.select({ departmentId: projects.departmentId }).from(projects).where(eq(projects.id, ids.qijiang)).get()!.departmentId;
    const qCode = db.select({ code: departments.code }).from(departments).where(eq(departments.id, qDept)).get()!.code;
    const published = await call(page.action, makeRequest("/publications", { cookie: await login("qijiang.finance"), form: { intent: "publish", year: "2026", departmentId: String(qDept) } }));
    expect((await jsonOf(published)).ok).toBe(true);
    const { publications } = await import("../../db/schema");
    const id = String(db.select({ id: publications.id }).from(publications).get()!.id);

    // Signed in to 南岸区, in every role that sees publications.
    for (const who of ["nanan.finance", "nanan.admin", "nanan.dept"]) {
      const cookie = await login(who);
      const list = await jsonOf(await call(page.loader, makeRequest("/publications?year=2026", { cookie })));
      expect(list.publications).toEqual([]);
      expect(list.departments.map((d: { id: number }) => d.id)).not.toContain(qDept);
      const view = await import("../../app/routes/publications.$publicationId");
      expect((await call(view.loader, makeRequest(`/publications/${id}`, { cookie }), { publicationId: id })).status).toBe(404);
      const file = await import("../../app/routes/publications.$publicationId.docx");
      expect((await call(file.loader, makeRequest(`/publications/${id}/docx`, { cookie }), { publicationId: id })).status).toBe(404);
      const zip = await import("../../app/routes/publications.zip");
      expect((await call(zip.loader, makeRequest("/publications/zip?year=2026", { cookie }))).status).toBe(404);
      if (who !== "nanan.admin") {
        const res = await call(page.action, makeRequest("/publications", { cookie, form: { intent: "publish", year: "2026", departmentId: String(qDept) } }));
        expect(res.status).toBe(404);
      }
    }

    // 南岸区's public page on: still none of 綦江区's, whose own page is off.
    db.update(regions).set({ publicPageEnabled: true }).where(eq(regions.slug, "nanan")).run();
    const pub = (module: string, path: string, params: Record<string, string>) =>
      import(module).then(({ loader }) => call(loader, new Request(`http://localhost${path}`), params));
    const index = await pub("../../app/routes/public.$regionSlug._index", "/public/nanan", { regionSlug: "nanan" });
    expect(index.status).toBe(200);
    expect(JSON.stringify(await jsonOf(index))).not.toContain("綦江");
    for (const [module, suffix, extra] of [
      ["../../app/routes/public.$regionSlug.$publicationId", "", {}],
      ["../../app/routes/public.$regionSlug.$publicationId.docx", "/docx", {}],
      ["../../app/routes/public.$regionSlug.$publicationId_.$n", "/1", { n: "1" }],
      ["../../app/routes/public.$regionSlug.$publicationId_.$n.docx", "/1/docx", { n: "1" }],
    ] as const) {
      for (const slug of ["nanan", "qijiang"]) {
        expect((await pub(module, `/public/${slug}/${id}${suffix}`, { regionSlug: slug, publicationId: id, ...extra })).status).toBe(404);
      }
    }

    // The command line publishes within the region it names only.
    const { commandLinePublisher, departmentByCode } = await import("../../app/models/publication.server");
    expect(departmentByCode(commandLinePublisher("nanan")!, qCode)).toBeNull();
    expect(departmentByCode(commandLinePublisher("qijiang")!, qCode)).toMatchObject({ id: qDept });
  });
});
