// 绩效公开 publishes the version in force once approved (issue 14, item 1;
// docs/decisions/021-publication.md): while an adjustment is under way the approved version
// is published, never the draft; once the adjustment is approved a new publication carries
// version 2, and the earlier publication's file stays as it was.
import { beforeAll, describe, expect, it } from "vitest";
import type { ExchangeTable } from "../../app/domain/schemas";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { validProjectTable } from "../helpers/tables";

const NAME = "调整中的公开项目";
const cookies: Record<string, string> = {};
let projectId: number;
let departmentId: number;

beforeAll(async () => {
  await setupDatabase();
  const { db } = await import("../../db/client.server");
  const { regions } = await import("../../db/schema");
  const { eq } = await import("drizzle-orm");
  const region = db.select().from(regions).where(eq(regions.slug, "qijiang")).get()!;
  const { commitImport } = await import("../../app/models/import.server");
  const created = commitImport({ id: null, regionId: region.id }, { year: 2026, mode: "approved", tables: [validProjectTable({ name: NAME, code: "50011021T000000099999" })] });
  projectId = created.created[0].id;
  const { projects } = await import("../../db/schema");
  departmentId = db.select().from(projects).where(eq(projects.id, projectId)).get()!.departmentId;
  for (const role of ["unit", "dept", "finance"]) cookies[role] = await login(`qijiang.${role}`);
});

async function project(who: string, form?: Record<string, string>) {
  const route = await import("../../app/routes/projects.$projectId");
  const request = makeRequest(`/projects/${projectId}`, { cookie: cookies[who], form });
  return call(form ? route.action : route.loader, request, { projectId: String(projectId) });
}

async function currentTable(): Promise<{ id: number; revision: number; version: number }> {
  return (await jsonOf(await project("unit"))).view.table;
}

/** Publishes the department and returns what the publication holds of our project. */
async function publishOurs() {
  const page = await import("../../app/routes/publications._index");
  const res = await call(page.action, makeRequest("/publications", { cookie: cookies.dept, form: { intent: "publish", year: "2026", departmentId: String(departmentId) } }));
  expect((await jsonOf(res)).ok).toBe(true);
  const { db } = await import("../../db/client.server");
  const { publications } = await import("../../db/schema");
  const { desc } = await import("drizzle-orm");
  const row = db.select().from(publications).orderBy(desc(publications.id)).get()!;
  const ours = (JSON.parse(row.tables) as Array<{ ownerId: number; version: number; approvedAt: number; table: ExchangeTable }>).filter((t) => t.ownerId === projectId);
  expect(ours).toHaveLength(1);
  return { id: row.id, data: row.data, ...ours[0] };
}

const target = (t: ExchangeTable) => t.indicators.find((i) => i.name === "补助人数")!.target;

describe("publishing through an adjustment", () => {
  it("the approved version while the adjustment is a draft; version 2 once it is approved; the first file unchanged", async () => {
    const first = await publishOurs();
    expect(first).toMatchObject({ version: 1 });
    expect(target(first.table)).toBe("39");

    const v1 = await currentTable();
    expect((await project("unit", { intent: "request_adjustment", tableId: String(v1.id), comment: "补助人数调整" })).status).toBe(302);
    const v2 = await currentTable();
    expect(v2.version).toBe(2);
    // The draft of version 2 changes the target: not published until approved.
    const form: Record<string, string> = { intent: "submit", tableId: String(v2.id), revision: String(v2.revision), budgetExecutionWeight: "10" };
    validProjectTable().indicators.forEach((ind, i) => {
      const values = { ...ind, target: ind.name === "补助人数" ? "45" : ind.target, weight: String(ind.weight), core: ind.core ? "是" : "否" };
      for (const k of ["level1", "level2", "name", "weight", "unit", "operator", "target", "core"] as const) form[`indicators.${i}.${k}`] = String(values[k] ?? "");
    });
    expect((await project("unit", form)).status).toBe(302);
    const during = await publishOurs();
    expect(during).toMatchObject({ version: 1, approvedAt: first.approvedAt });
    expect(target(during.table)).toBe("39");

    expect((await project("dept", { intent: "approve", tableId: String(v2.id) })).status).toBe(302);
    expect((await project("finance", { intent: "approve", tableId: String(v2.id), rating: "优" })).status).toBe(302);
    const after = await publishOurs();
    expect(after.version).toBe(2);
    expect(after.approvedAt).toBeGreaterThan(first.approvedAt);
    expect(target(after.table)).toBe("45");

    // The first publication is a record: its file is the one published then.
    const file = await import("../../app/routes/publications.$publicationId.docx");
    const res = await call(file.loader, makeRequest(`/publications/${first.id}/docx`, { cookie: cookies.finance }), { publicationId: String(first.id) });
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.equals(first.data)).toBe(true);
    const { docxToText } = await import("../../app/io/docx");
    const { parseDocument } = await import("../../app/io/document");
    const back = parseDocument(await docxToText(new Uint8Array(bytes)));
    expect(target(back.tables.find((t) => t.project?.name === NAME)!)).toBe("39");
  });
});
