// 绩效公开 (issue 14): publishing approved 绩效目标表 as Word, recorded and audited; the round
// trip (publish → import the .docx, and the print view's HTML → the same exchange tables as
// the approved data) for every demo department; scope; the public page, which shows only what
// a region that switched it on has published.
import { renderToStaticMarkup } from "react-dom/server";
import { createElement } from "react";
import { beforeAll, describe, expect, it } from "vitest";
import type { ExchangeTable } from "../../app/domain/schemas";
import { BASE, call, jsonOf, login, makeRequest } from "../helpers/app";
import { seedDemo } from "../helpers/app";
import { comparable } from "../helpers/publication";
import { validProjectTable } from "../helpers/tables";

type Region = { id: number; slug: string; currentYear: number; departmentId: number; departmentCode: string; departmentName: string };
const regions: Record<string, Region> = {};
const cookies: Record<string, string> = {};
let draftName: string;

beforeAll(async () => {
  await seedDemo();
  const { db } = await import("../../db/client.server");
  const schema = await import("../../db/schema");
  const { eq } = await import("drizzle-orm");
  for (const r of db.select().from(schema.regions).all()) {
    const d = db.select().from(schema.departments).where(eq(schema.departments.regionId, r.id)).get()!;
    regions[r.slug] = { id: r.id, slug: r.slug, currentYear: r.currentYear, departmentId: d.id, departmentCode: d.code, departmentName: d.name };
  }
  for (const u of ["nanan.finance", "nanan.dept", "nanan.unit", "nanan.admin", "qijiang.finance", "qijiang.dept", "wansheng.finance"]) cookies[u] = await login(u);
  // A draft in nanan's department: never published, never shown.
  const { commitImport } = await import("../../app/models/import.server");
  draftName = "草稿项目不应公开";
  const nanan = regions.nanan;
  commitImport(
    { id: null, regionId: nanan.id },
    {
      year: nanan.currentYear,
      mode: "draft",
      tables: [validProjectTable({ year: nanan.currentYear, name: draftName, code: "DRAFT-1", department: { code: nanan.departmentCode, name: nanan.departmentName } })],
    },
  );
});

async function index() {
  return import("../../app/routes/publications._index");
}

async function publish(cookie: string, year: number, departmentId: number) {
  const { action } = await index();
  return call(action, makeRequest("/publications", { cookie, form: { intent: "publish", year: String(year), departmentId: String(departmentId) } }));
}

async function latestPublicationId(regionId: number): Promise<number> {
  const { db } = await import("../../db/client.server");
  const { publications } = await import("../../db/schema");
  const { desc, eq } = await import("drizzle-orm");
  return db.select({ id: publications.id }).from(publications).where(eq(publications.regionId, regionId)).orderBy(desc(publications.id)).get()!.id;
}

async function approvedTables(username: string, year: number, departmentId: number): Promise<ExchangeTable[]> {
  const { getScopeExport } = await import("../../app/models/export.server");
  const { getSessionUser } = await import("../../app/auth/session.server");
  const user = (await getSessionUser(makeRequest("/", { cookie: cookies[username] })))!;
  return getScopeExport(user, { year, departmentId })!.tables.filter((t) => t.status === "approved").map((t) => t.table);
}

async function downloadDocx(path: string, cookie: string | null, loaderModule: string, params: Record<string, string>) {
  const { loader } = await import(loaderModule);
  return call(loader, makeRequest(path, { cookie }), params);
}

describe("publish → .docx → import, for every demo department", () => {
  for (const [slug, finance] of [
    ["wansheng", "wansheng.finance"],
    ["nanan", "nanan.finance"],
    ["qijiang", "qijiang.finance"],
  ] as const) {
    it(`${slug}: the Word file and the print view read back as the approved tables`, async () => {
      const r = regions[slug];
      const res = await publish(cookies[finance], r.currentYear, r.departmentId);
      expect(res.status).toBe(200);
      const body = await jsonOf(res);
      expect(body.ok).toBe(true);
      const id = await latestPublicationId(r.id);
      const approved = await approvedTables(finance, r.currentYear, r.departmentId);
      expect(approved.length).toBeGreaterThan(0);

      const file = await downloadDocx(`/publications/${id}/docx`, cookies[finance], "../../app/routes/publications.$publicationId.docx", { publicationId: String(id) });
      expect(file.status).toBe(200);
      expect(file.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
      expect(file.headers.get("Content-Disposition")).toMatch(/filename\*=UTF-8''/);
      const { docxToText } = await import("../../app/io/docx");
      const { parseDocument } = await import("../../app/io/document");
      const fromWord = parseDocument(await docxToText(new Uint8Array(await file.arrayBuffer()), "p.docx"));
      expect(fromWord.tables.map(comparable)).toEqual(approved.map(comparable));
      const unnamed = approved.filter((t) => t.kind === "project" && !t.project?.name).length;
      expect(fromWord.warnings.map((w) => w.code)).toEqual(Array(unnamed).fill("name_missing"));
      expect(fromWord.year).toBe(r.currentYear);

      // The print view's HTML, read by the same importer.
      const { PublishedTable } = await import("../../app/components/PublishedTable");
      const html = approved.map((t) => renderToStaticMarkup(createElement(PublishedTable, { table: t }))).join("\n");
      const fromPrint = parseDocument(html.replace(/></g, ">\n<"));
      expect(fromPrint.tables.map(comparable)).toEqual(approved.map(comparable));
    });
  }
});

describe("what a publication records", () => {
  it("each table's version and approval date, who and when, the file (downloadable again, same bytes), audited", async () => {
    const r = regions.nanan;
    const { db } = await import("../../db/client.server");
    const { auditEvents, publications, users } = await import("../../db/schema");
    const { and, eq } = await import("drizzle-orm");
    const res = await publish(cookies["nanan.dept"], r.currentYear, r.departmentId);
    expect((await jsonOf(res)).ok).toBe(true);
    const id = await latestPublicationId(r.id);
    const row = db.select().from(publications).where(eq(publications.id, id)).get()!;
    const dept = db.select().from(users).where(eq(users.username, "nanan.dept")).get()!;
    expect(row.createdBy).toBe(dept.id);
    expect(row.departmentId).toBe(r.departmentId);
    const tables = JSON.parse(row.tables) as Array<{ tableId: number; version: number; approvedAt: number; name: string; table: ExchangeTable }>;
    expect(tables.length).toBe(row.tableCount);
    for (const t of tables) {
      expect(t.version).toBeGreaterThanOrEqual(1);
      expect(t.approvedAt).toBeGreaterThan(Date.UTC(2020, 0, 1));
    }
    expect(tables.map((t) => t.name)).not.toContain(draftName);
    const audit = db.select().from(auditEvents).where(and(eq(auditEvents.entity, "publication"), eq(auditEvents.entityId, id))).get()!;
    expect(audit.actorId).toBe(dept.id);
    expect(JSON.parse(audit.after!).tables.map((t: { tableId: number }) => t.tableId)).toEqual(tables.map((t) => t.tableId));

    const a = await downloadDocx(`/publications/${id}/docx`, cookies["nanan.dept"], "../../app/routes/publications.$publicationId.docx", { publicationId: String(id) });
    const b = await downloadDocx(`/publications/${id}/docx`, cookies["nanan.finance"], "../../app/routes/publications.$publicationId.docx", { publicationId: String(id) });
    const bytes = Buffer.from(await a.arrayBuffer());
    expect(Buffer.from(await b.arrayBuffer()).equals(bytes)).toBe(true);
    expect(bytes.equals(row.data)).toBe(true);

    const view = await import("../../app/routes/publications.$publicationId");
    const page = await jsonOf(await call(view.loader, makeRequest(`/publications/${id}`, { cookie: cookies["nanan.dept"] }), { publicationId: String(id) }));
    expect(page.publication.tables.map((t: { version: number }) => t.version)).toEqual(tables.map((t) => t.version));

    const list = await jsonOf(await call((await index()).loader, makeRequest(`/publications?year=${r.currentYear}`, { cookie: cookies["nanan.dept"] })));
    expect(list.publications.map((p: { id: number }) => p.id)).toContain(id);
    expect(list.departments).toEqual([expect.objectContaining({ id: r.departmentId, approved: tables.length, other: 1 })]);
  });

  it("refuses a department with nothing approved, in Chinese", async () => {
    const r = regions.nanan;
    const res = await publish(cookies["nanan.finance"], 2001, r.departmentId);
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).message).toMatch(/2001年没有已批复的绩效目标表，无法发布/);
  });

  it("finance publishes the whole region (one file per department) and downloads the year as a zip", async () => {
    const r = regions.qijiang;
    const { action } = await index();
    const res = await call(action, makeRequest("/publications", { cookie: cookies["qijiang.finance"], form: { intent: "publishAll", year: String(r.currentYear) } }));
    expect((await jsonOf(res)).message).toMatch(/^已发布 1 个部门，共 \d+ 张表$/);
    const zip = await downloadDocx(`/publications/zip?year=${r.currentYear}`, cookies["qijiang.finance"], "../../app/routes/publications.zip", {});
    expect(zip.status).toBe(200);
    const { unzipSync } = await import("fflate");
    const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    expect(Object.keys(files)).toEqual([`${r.departmentName}${r.currentYear}年绩效目标公开.docx`]);
  });
});

describe("who may publish and see publications", () => {
  it("a department only its own; a unit not at all; another region's finance gets 404", async () => {
    const nanan = regions.nanan;
    const qijiang = regions.qijiang;
    expect((await publish(cookies["qijiang.dept"], nanan.currentYear, nanan.departmentId)).status).toBe(404);
    expect((await publish(cookies["qijiang.finance"], nanan.currentYear, nanan.departmentId)).status).toBe(404);
    const { loader } = await index();
    expect((await call(loader, makeRequest("/publications", { cookie: cookies["nanan.unit"] }))).status).toBe(403);
    expect((await publish(cookies["nanan.unit"], nanan.currentYear, nanan.departmentId)).status).toBe(403);
    const adminPublish = await publish(cookies["nanan.admin"], nanan.currentYear, nanan.departmentId);
    expect(adminPublish.status).toBe(403);

    const id = await latestPublicationId(nanan.id);
    for (const who of ["qijiang.finance", "qijiang.dept"]) {
      const view = await import("../../app/routes/publications.$publicationId");
      expect((await call(view.loader, makeRequest(`/publications/${id}`, { cookie: cookies[who] }), { publicationId: String(id) })).status).toBe(404);
      const file = await downloadDocx(`/publications/${id}/docx`, cookies[who], "../../app/routes/publications.$publicationId.docx", { publicationId: String(id) });
      expect(file.status).toBe(404);
    }
    const list = await jsonOf(await call(loader, makeRequest(`/publications?year=${nanan.currentYear}`, { cookie: cookies["qijiang.finance"] })));
    expect(list.publications.every((p: { department: { id: number } }) => p.department.id === qijiang.departmentId)).toBe(true);
  });
});

describe("the public page", () => {
  const publicLoader = async (path: string, module: string, params: Record<string, string>) => {
    const { loader } = await import(module);
    return call(loader, new Request(BASE + path), params);
  };
  const indexOf = (slug: string) => publicLoader(`/public/${slug}`, "../../app/routes/public.$regionSlug._index", { regionSlug: slug });
  const pubOf = (slug: string, id: number | string) =>
    publicLoader(`/public/${slug}/${id}`, "../../app/routes/public.$regionSlug.$publicationId", { regionSlug: slug, publicationId: String(id) });
  const fileOf = (slug: string, id: number | string) =>
    publicLoader(`/public/${slug}/${id}/docx`, "../../app/routes/public.$regionSlug.$publicationId.docx", { regionSlug: slug, publicationId: String(id) });
  const tableOf = (slug: string, id: number | string, n: string) =>
    publicLoader(`/public/${slug}/${id}/${n}`, "../../app/routes/public.$regionSlug.$publicationId_.$n", { regionSlug: slug, publicationId: String(id), n });
  const tableFileOf = (slug: string, id: number | string, n: string) =>
    publicLoader(`/public/${slug}/${id}/${n}/docx`, "../../app/routes/public.$regionSlug.$publicationId_.$n.docx", { regionSlug: slug, publicationId: String(id), n });

  async function switchPage(cookie: string, enabled: boolean) {
    const { action } = await index();
    const res = await call(action, makeRequest("/publications", { cookie, form: { intent: "publicPage", enabled: enabled ? "1" : "0" } }));
    expect(res.status).toBe(302);
  }

  it("is a 404 until the region switches it on, then shows only its publications, without login", async () => {
    const nanan = regions.nanan;
    const id = await latestPublicationId(nanan.id);
    expect((await indexOf("nanan")).status).toBe(404);
    expect((await pubOf("nanan", id)).status).toBe(404);
    expect((await fileOf("nanan", id)).status).toBe(404);

    // A department cannot switch it; finance can (audited).
    const { action } = await index();
    const denied = await call(action, makeRequest("/publications", { cookie: cookies["nanan.dept"], form: { intent: "publicPage", enabled: "1" } }));
    expect(denied.status).toBe(403);
    await switchPage(cookies["nanan.finance"], true);
    const { db } = await import("../../db/client.server");
    const { auditEvents } = await import("../../db/schema");
    const { and, eq } = await import("drizzle-orm");
    expect(db.select().from(auditEvents).where(and(eq(auditEvents.entity, "region"), eq(auditEvents.action, "public_page"))).all().length).toBe(1);

    const list = await indexOf("nanan");
    expect(list.status).toBe(200);
    const data = await jsonOf(list);
    expect(data.years.flatMap((y: { items: Array<{ id: number }> }) => y.items.map((p) => p.id))).toContain(id);
    expect(JSON.stringify(data)).not.toMatch(/createdBy|username|displayName|nanan\.|tableId|ownerId/);

    const page = await pubOf("nanan", id);
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).not.toContain(draftName);
    expect(text).not.toMatch(/createdBy|username|displayName|tableId|ownerId|"status"|review/);
    const pub = JSON.parse(text);
    expect(Object.keys(pub.publication.tables[0]).sort()).toEqual(["approvedAt", "kind", "name", "table", "version"]);

    const file = await fileOf("nanan", id);
    expect(file.status).toBe(200);
    expect(file.headers.get("Cache-Control")).toBe("public, max-age=300");

    const one = await tableOf("nanan", id, "1");
    expect(one.status).toBe(200);
    const oneFile = await tableFileOf("nanan", id, "1");
    expect(oneFile.status).toBe(200);
    const { docxToText } = await import("../../app/io/docx");
    const { parseDocument } = await import("../../app/io/document");
    const parsed = parseDocument(await docxToText(new Uint8Array(await oneFile.arrayBuffer())));
    expect(parsed.tables.map(comparable)).toEqual([comparable(pub.publication.tables[0].table)]);
  });

  it("reaches nothing else: other regions' slugs and ids, unknown ids, tables out of range, drafts", async () => {
    const nanan = regions.nanan;
    const qijiang = regions.qijiang;
    const nananId = await latestPublicationId(nanan.id);
    const qijiangId = await latestPublicationId(qijiang.id);
    // qijiang has publications but its page is off.
    expect((await indexOf("qijiang")).status).toBe(404);
    expect((await pubOf("qijiang", qijiangId)).status).toBe(404);
    // nanan's page is on, but qijiang's publication is not nanan's.
    expect((await pubOf("nanan", qijiangId)).status).toBe(404);
    expect((await fileOf("nanan", qijiangId)).status).toBe(404);
    expect((await tableOf("nanan", qijiangId, "1")).status).toBe(404);
    expect((await tableFileOf("nanan", qijiangId, "1")).status).toBe(404);
    // Ids that are no publication (a project, a table version, a draft's id), and nonsense.
    const { db } = await import("../../db/client.server");
    const { projects, targetTables } = await import("../../db/schema");
    const { eq } = await import("drizzle-orm");
    const draft = db.select().from(projects).where(eq(projects.name, draftName)).get()!;
    const draftTable = db.select().from(targetTables).where(eq(targetTables.projectId, draft.id)).get()!;
    for (const bad of [999999, draft.id + 100000, draftTable.id + 100000, "1e3", "-1", "abc", "0x10", ""]) {
      expect((await pubOf("nanan", bad)).status).toBe(404);
      expect((await fileOf("nanan", bad)).status).toBe(404);
    }
    for (const n of ["0", "999", "-1", "x", "1.5"]) {
      expect((await tableOf("nanan", nananId, n)).status).toBe(404);
      expect((await tableFileOf("nanan", nananId, n)).status).toBe(404);
    }
    for (const slug of ["nobody", "NANAN", "nanan%00", "../nanan", ""]) expect((await indexOf(slug)).status).toBe(404);
    // The private routes still need a login.
    const view = await import("../../app/routes/publications.$publicationId");
    const anon = await call(view.loader, new Request(`${BASE}/publications/${nananId}`), { publicationId: String(nananId) });
    expect(anon.status).toBe(302);
    expect(anon.headers.get("Location")).toMatch(/^\/login/);
  });

  it("is a 404 again once switched off", async () => {
    await switchPage(cookies["nanan.admin"], false);
    expect((await indexOf("nanan")).status).toBe(404);
    expect((await pubOf("nanan", await latestPublicationId(regions.nanan.id))).status).toBe(404);
  });
});

describe("publishing self-evaluation results (部门决算公开)", () => {
  it("publishes the approved 自评表 with final scores, without reviewers' names, and shows them publicly", async () => {
    const r = regions.nanan;
    const { db } = await import("../../db/client.server");
    const { publications, reports, rounds, users, regions: regionTable } = await import("../../db/schema");
    const { and, eq } = await import("drizzle-orm");
    const round = db.select().from(rounds).where(and(eq(rounds.regionId, r.id), eq(rounds.kind, "evaluation"), eq(rounds.year, r.currentYear))).get()!;
    const approved = db.select().from(reports).where(and(eq(reports.roundId, round.id), eq(reports.status, "approved"))).all();
    expect(approved.length).toBeGreaterThan(0);

    const { action } = await index();
    const res = await call(
      action,
      makeRequest("/publications", { cookie: cookies["nanan.dept"], form: { intent: "publish", kind: "results", year: String(r.currentYear), departmentId: String(r.departmentId) } }),
    );
    expect(await jsonOf(res)).toEqual(expect.objectContaining({ ok: true, message: expect.stringMatching(/^已发布绩效自评结果：/) }));
    const id = await latestPublicationId(r.id);
    const row = db.select().from(publications).where(eq(publications.id, id)).get()!;
    expect(row.kind).toBe("results");
    const tables = JSON.parse(row.tables) as Array<{ kind: string; version: number; approvedAt: number; sheet: { total: number; grade: string; rows: unknown[] } }>;
    expect(tables.length).toBe(approved.length);
    expect(tables.map((t) => t.approvedAt).sort()).toEqual(approved.map((a) => a.approvedAt!.getTime()).sort());
    for (const t of tables) expect(t.sheet.grade).toMatch(/^[优良中差]$/);
    // Final scores as stored with the approval (finance's deductions included), and nobody's name.
    expect(tables.map((t) => Math.round(t.sheet.total * 100)).sort()).toEqual(approved.map((a) => a.score).sort());
    const names = db.select({ u: users.username, d: users.displayName }).from(users).where(eq(users.regionId, r.id)).all();
    const { docxToText } = await import("../../app/io/docx");
    const text = await docxToText(new Uint8Array(row.data));
    expect(text).toContain("项目支出绩效自评表");
    expect(text).toContain("总分");
    for (const n of names) {
      expect(row.tables).not.toContain(n.d);
      expect(text).not.toContain(n.d);
    }
    expect(row.tables).not.toMatch(/"adjustment"|"roundId"|"status"/);

    // On the public page, beside the targets.
    db.update(regionTable).set({ publicPageEnabled: true }).where(eq(regionTable.id, r.id)).run();
    try {
      const { loader } = await import("../../app/routes/public.$regionSlug.$publicationId");
      const page = await call(loader, new Request(`${BASE}/public/nanan/${id}`), { regionSlug: "nanan", publicationId: String(id) });
      expect(page.status).toBe(200);
      const body = await page.text();
      for (const n of names) expect(body).not.toContain(n.d);
      const data = JSON.parse(body);
      expect(Object.keys(data.publication.tables[0]).sort()).toEqual(["approvedAt", "kind", "name", "sheet", "version"]);
      const { PublicationTables } = await import("../../app/components/PublishedTable");
      const html = renderToStaticMarkup(createElement(PublicationTables, { heading: "x", tables: data.publication.tables }));
      expect(html).toContain("自评等级");
      const one = await import("../../app/routes/public.$regionSlug.$publicationId_.$n.docx");
      const file = await call(one.loader, new Request(`${BASE}/public/nanan/${id}/1/docx`), { regionSlug: "nanan", publicationId: String(id), n: "1" });
      expect(file.status).toBe(200);
      expect(await docxToText(new Uint8Array(await file.arrayBuffer()))).toContain("总分");
    } finally {
      db.update(regionTable).set({ publicPageEnabled: false }).where(eq(regionTable.id, r.id)).run();
    }
  });

  it("refuses a year without an approved self-evaluation, in Chinese", async () => {
    const { action } = await index();
    const res = await call(
      action,
      makeRequest("/publications", { cookie: cookies["qijiang.finance"], form: { intent: "publish", kind: "results", year: "2001", departmentId: String(regions.qijiang.departmentId) } }),
    );
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).message).toMatch(/2001年没有已审核通过的绩效自评，无法发布/);
  });
});

describe("Word in on the web import", () => {
  it("a published .docx uploads to a preview of its tables", async () => {
    const r = regions.wansheng;
    const id = (await (async () => {
      const { db } = await import("../../db/client.server");
      const { publications } = await import("../../db/schema");
      const { eq } = await import("drizzle-orm");
      return db.select({ id: publications.id, data: publications.data }).from(publications).where(eq(publications.regionId, r.id)).get()!;
    })())!;
    const form = new FormData();
    form.set("file", new File([new Uint8Array(id.data)], "公开.docx", { type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" }));
    const { action } = await import("../../app/routes/import");
    const res = await call(action, new Request(`${BASE}/import`, { method: "POST", headers: { Cookie: cookies["wansheng.finance"] }, body: form }));
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(body.stage).toBe("preview");
    const approved = await approvedTables("wansheng.finance", r.currentYear, r.departmentId);
    expect(body.items.map((i: { table: ExchangeTable }) => comparable(i.table))).toEqual(approved.map(comparable));
  });
});
