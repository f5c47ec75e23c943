// Word files of 绩效公开 are generated in a worker thread (app/io/docx/worker.server.ts,
// docs/decisions/024-publish-command.md): the server keeps answering other requests while a
// whole region is published, and the worker's files are those write.ts makes.
import { beforeAll, describe, expect, it } from "vitest";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { indicator, validProjectTable } from "../helpers/tables";

const YEAR = 2031;
const DEPARTMENTS = 3;
const TABLES_PER_DEPARTMENT = 60;
let finance: string;

beforeAll(async () => {
  await setupDatabase();
  const { db } = await import("../../db/client.server");
  const { regions } = await import("../../db/schema");
  const { eq } = await import("drizzle-orm");
  const region = db.select().from(regions).where(eq(regions.slug, "wansheng")).get()!;
  // A large region-year: several departments with many approved tables each.
  const { commitImport } = await import("../../app/models/import.server");
  for (let d = 0; d < DEPARTMENTS; d++) {
    const department = { code: `9${d}0`, name: `测试部门${d + 1}` };
    const tables = Array.from({ length: TABLES_PER_DEPARTMENT }, (_, i) =>
      validProjectTable({
        year: YEAR,
        name: `测试项目${d + 1}-${i + 1}`,
        code: `5001089${d}T0000000000${String(i).padStart(3, "0")}`,
        department,
        unit: null,
        indicators: Array.from({ length: 9 }, (_, k) => indicator({ name: `指标${k + 1}`, weight: 10 })),
      }),
    );
    const choices = Object.fromEntries(tables.map((_, i) => [i, { kind: "create" as const, ...department }]));
    expect(commitImport({ id: null, regionId: region.id }, { year: YEAR, mode: "approved", tables, choices }).created).toHaveLength(TABLES_PER_DEPARTMENT);
  }
  finance = await login("wansheng.finance");
});

describe("publishing a whole region does not stop the server", () => {
  it("other requests are answered while the Word files are generated", async () => {
    const page = await import("../../app/routes/publications._index");
    let published = false;
    const publishing = call(page.action, makeRequest("/publications", { cookie: finance, form: { intent: "publishAll", year: String(YEAR) } })).finally(
      () => (published = true),
    );
    let answeredMeanwhile = 0;
    while (!published) {
      // Each request arrives as its own I/O event (a macrotask), as on a real server. A
      // publication generated on this thread lets none in before it ends.
      await new Promise((resolve) => setImmediate(resolve));
      const res = await call(page.loader, makeRequest(`/publications?year=${YEAR}`, { cookie: finance }));
      expect(res.status).toBe(200);
      expect((await jsonOf(res)).departments).toHaveLength(DEPARTMENTS + 1);
      if (!published) answeredMeanwhile++;
    }
    const body = await jsonOf(await publishing);
    expect(body).toMatchObject({ ok: true, message: `已发布 ${DEPARTMENTS} 个部门，共 ${DEPARTMENTS * TABLES_PER_DEPARTMENT} 张表` });
    // Answered throughout the publication (one file per department), not once after it.
    expect(answeredMeanwhile).toBeGreaterThanOrEqual(DEPARTMENTS);
  });
});

describe("the worker's Word files", () => {
  it("are write.ts's: read back alike; several asked at once each get their own", async () => {
    const { layoutsToDocx, tableLayout, docxToText } = await import("../../app/io/docx");
    const { layoutsToDocxOffThread } = await import("../../app/io/docx/worker.server");
    const tables = ["甲", "乙", "丙"].map((n, i) => validProjectTable({ name: `项目${n}`, code: `50010822T00000000000${i}` }));
    const files = await Promise.all(tables.map((t, i) => layoutsToDocxOffThread([tableLayout(t)], { heading: `第${i + 1}个文件` })));
    for (const [i, file] of files.entries()) {
      const here = await layoutsToDocx([tableLayout(tables[i])], { heading: `第${i + 1}个文件` });
      expect(await docxToText(file)).toBe(await docxToText(here));
      expect(await docxToText(file)).toContain(`项目${["甲", "乙", "丙"][i]}`);
    }
  });
});
