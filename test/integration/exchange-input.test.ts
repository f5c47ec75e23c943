// Exchange JSON as people write it reaches the web import (issue 9 item 11): keys that may
// be null may be left out, both in the preview's hidden payload and at confirmation.
import { beforeAll, describe, expect, it } from "vitest";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { validProjectTable } from "../helpers/tables";

let finance = "";
let departmentId = 0;

beforeAll(async () => {
  await setupDatabase();
  finance = await login("nanan.finance");
  const { db } = await import("../../db/client.server");
  const { departments, regions } = await import("../../db/schema");
  const { and, eq } = await import("drizzle-orm");
  const region = db.select().from(regions).where(eq(regions.slug, "nanan")).get()!;
  departmentId = db.select().from(departments).where(and(eq(departments.regionId, region.id), eq(departments.code, "402"))).get()!.id;
});

/** A valid table without any of the keys that may be null (they read as null). */
function sparseTable() {
  const t: any = validProjectTable({ year: 2024, code: "HAND-1", name: "手写的项目", department: { code: "402", name: "重庆市南岸区经济和信息化委员会" } });
  for (const k of ["financeOffice", "overview", "basis", "schedule", "measures", "midTermGoal", "annualGoal", "category"]) delete t.project[k];
  delete t.unit;
  delete t.overall;
  for (const x of t.indicators) delete x.level2;
  return t;
}

async function post(form: Record<string, string>) {
  const { action } = await import("../../app/routes/import");
  const res = await call(action, makeRequest("/import", { cookie: finance, form }));
  return { status: res.status, body: await jsonOf(res) };
}

describe("web import of sparse exchange tables", () => {
  it("previews and confirms a table that omits financeOffice, overview, schedule and other nullable keys", async () => {
    const payload = JSON.stringify({ file: "手写.json", warnings: [], tables: [sparseTable()] });
    const form = { payload, year: "2024", mode: "draft", "department-0": String(departmentId) };
    const preview = await post({ ...form, intent: "preview" });
    expect(preview.status).toBe(200);
    expect(preview.body.stage).toBe("preview");
    const table = preview.body.items[0].table;
    expect(table.project).toMatchObject({ code: "HAND-1", financeOffice: null, overview: null, schedule: null, category: null });

    const done = await post({ ...form, intent: "confirm" });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ stage: "done", created: [{ index: 0, kind: "project" }] });
    const { db } = await import("../../db/client.server");
    const { projects } = await import("../../db/schema");
    const { eq } = await import("drizzle-orm");
    expect(db.select().from(projects).where(eq(projects.code, "HAND-1")).get()).toMatchObject({ name: "手写的项目", category: null });
  });

  it("a payload missing a required key (format) is still refused", async () => {
    const { format: _, ...noFormat } = sparseTable();
    const res = await post({ payload: JSON.stringify({ file: "x.json", warnings: [], tables: [noFormat] }), year: "2024", mode: "draft", intent: "preview" });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/导入数据无效/);
  });
});
