// Downloads (.xlsx of one project, of a department or a region-year) and the print view:
// scoped like everything else, proper headers, the published layout, no N+1.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { EXCHANGE_FORMAT, type ExchangeTable } from "../../app/domain/schemas";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { indicator, validProjectTable } from "../helpers/tables";

const NANAN_DEPT = { code: "402", name: "重庆市南岸区经济和信息化委员会" };
const ids: Record<string, number> = {};

function departmentTable(): ExchangeTable {
  return {
    format: EXCHANGE_FORMAT,
    kind: "department",
    year: 2024,
    department: NANAN_DEPT,
    unit: null,
    project: null,
    overall: { budget: 12345.67, midTermGoal: null, annualGoal: "推动制造业高质量发展。" },
    budgetExecutionWeight: 10,
    indicators: [indicator({ level1: "产出指标", level2: "数量指标", name: "服务企业数", weight: 90, unit: "家", target: "200" })],
  };
}

beforeAll(async () => {
  await setupDatabase();
  const { db } = await import("../../db/client.server");
  const { departments, regions } = await import("../../db/schema");
  const { eq } = await import("drizzle-orm");
  const { commitImport } = await import("../../app/models/import.server");
  const region = (slug: string) => db.select().from(regions).where(eq(regions.slug, slug)).get()!;
  const nanan = region("nanan");
  const n = commitImport(
    { id: null, regionId: nanan.id },
    {
      year: 2024,
      mode: "approved",
      tables: [
        departmentTable(),
        validProjectTable({ year: 2024, name: "本级项目", code: "N-1", department: NANAN_DEPT, unit: { code: "402001", name: null } }),
        validProjectTable({ year: 2024, name: "中心项目", code: "N-2", department: NANAN_DEPT, unit: { code: "402002", name: null } }),
      ],
    },
  );
  expect(n.created).toHaveLength(3);
  ids.nananDepartmentTarget = n.created[0].id;
  ids.nananOwn = n.created[1].id;
  ids.nananOther = n.created[2].id;
  const old = commitImport(
    { id: null, regionId: nanan.id },
    { year: 2023, mode: "draft", tables: [validProjectTable({ year: 2023, name: "二〇二三年项目", code: "N-23", department: NANAN_DEPT })] },
  );
  ids.nanan2023 = old.created[0].id;
  const qijiang = region("qijiang");
  const q = commitImport({ id: null, regionId: qijiang.id }, { year: 2026, mode: "approved", tables: [validProjectTable()] });
  ids.qijiang = q.created[0].id;
  ids.qijiangDepartment = db.select().from(departments).where(eq(departments.regionId, qijiang.id)).get()!.id;
  ids.nananDepartment = db.select().from(departments).where(eq(departments.regionId, nanan.id)).get()!.id;
});

async function workbook(res: Response) {
  const { workbookToTables } = await import("../../app/io/xlsx");
  const bytes = new Uint8Array(await res.arrayBuffer());
  const ExcelJS = (await import("exceljs")).default;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return { sheets: wb.worksheets.map((w) => w.name), read: await workbookToTables(bytes), wb };
}

function dispositionName(res: Response): string {
  const header = res.headers.get("Content-Disposition") ?? "";
  const m = /filename\*=UTF-8''([^;]+)/.exec(header);
  return m ? decodeURIComponent(m[1]) : "";
}

describe("one project as .xlsx", () => {
  const get = async (id: number | string, who: string) => {
    const { loader } = await import("../../app/routes/projects.$projectId.xlsx");
    return call(loader, makeRequest(`/projects/${id}/xlsx`, { cookie: await login(who) }), { projectId: String(id) });
  };

  it("downloads the current table in the published layout with a UTF-8 file name", async () => {
    const res = await get(ids.nananOwn, "nanan.unit");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="jixiao-project-\d+\.xlsx"; filename\*=UTF-8''/);
    expect(dispositionName(res)).toBe("2024年项目支出绩效目标表-本级项目.xlsx");
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    const { sheets, read, wb } = await workbook(res);
    expect(sheets).toEqual(["本级项目"]);
    expect(wb.worksheets[0].getCell("A1").value).toBe("2024年项目支出绩效目标表");
    expect(read.tables).toHaveLength(1);
    const t = read.tables[0];
    expect(t.project).toMatchObject({ name: "本级项目", code: "N-1", budget: { total: 25.65, local: 25.65, superior: null } });
    expect(t.department).toEqual(NANAN_DEPT);
    expect(t.budgetExecutionWeight).toBe(10);
    expect(t.indicators.map((i) => [i.name, i.weight, i.operator, i.target, i.core])).toEqual(
      validProjectTable().indicators.map((i) => [i.name, i.weight, i.operator, i.target, i.core]),
    );
  });

  it("is a 404 outside the user's scope: another unit's project, another region's, a bad id", async () => {
    expect((await get(ids.nananOther, "nanan.unit")).status).toBe(404);
    expect((await get(ids.qijiang, "nanan.finance")).status).toBe(404);
    expect((await get("abc", "nanan.finance")).status).toBe(404);
    expect((await get(999999, "nanan.admin")).status).toBe(404);
    expect((await get(ids.nananOther, "nanan.dept")).status).toBe(200);
  });

  it("?version=N exports that version; an unknown or bad version is a 404", async () => {
    const { loader } = await import("../../app/routes/projects.$projectId.xlsx");
    const cookie = await login("nanan.finance");
    const at = (q: string) => call(loader, makeRequest(`/projects/${ids.nananOwn}/xlsx${q}`, { cookie }), { projectId: String(ids.nananOwn) });
    expect((await at("?version=1")).status).toBe(200);
    for (const q of ["?version=2", "?version=0", "?version=x"]) expect((await at(q)).status).toBe(404);
  });

  it("signed-out users are sent to the login page", async () => {
    const { loader } = await import("../../app/routes/projects.$projectId.xlsx");
    const res = await call(loader, makeRequest(`/projects/${ids.nananOwn}/xlsx`), { projectId: String(ids.nananOwn) });
    expect(res.status).toBe(302);
  });
});

describe("a department or region-year as one workbook", () => {
  const get = async (query: string, who: string) => {
    const { loader } = await import("../../app/routes/export.xlsx");
    return call(loader, makeRequest(`/export/xlsx${query}`, { cookie: await login(who) }));
  };

  it("finance gets the whole region-year: an index sheet, the department table, then the projects", async () => {
    const res = await get("?year=2024", "nanan.finance");
    expect(res.status).toBe(200);
    expect(dispositionName(res)).toBe("重庆市南岸区2024年绩效目标表.xlsx");
    expect(res.headers.get("Content-Disposition")).toContain('filename="jixiao-2024.xlsx"');
    const { sheets, read, wb } = await workbook(res);
    expect(sheets).toEqual(["目录", "1 整体-重庆市南岸区经济和信息化委员会", "2 本级项目", "3 中心项目"]);
    expect(wb.getWorksheet("目录")!.getCell("A1").value).toBe("重庆市南岸区2024年绩效目标表");
    expect(read.tables.map((t) => [t.kind, t.project?.name ?? t.department?.name])).toEqual([
      ["department", "重庆市南岸区经济和信息化委员会"],
      ["project", "本级项目"],
      ["project", "中心项目"],
    ]);
    expect(read.tables[0].overall).toMatchObject({ budget: 12345.67, annualGoal: "推动制造业高质量发展。" });
  });

  it("the year defaults to the region's current year; other years are separate", async () => {
    expect((await workbook(await get("", "nanan.finance"))).sheets).toHaveLength(4); // 南岸区 works on 2024
    expect((await workbook(await get("?year=2023", "nanan.finance"))).read.tables.map((t) => t.project?.name)).toEqual(["二〇二三年项目"]);
  });

  it("a department's workbook; a unit user gets only their unit's projects", async () => {
    const dept = await get(`?year=2024&departmentId=${ids.nananDepartment}`, "nanan.dept");
    expect(dept.status).toBe(200);
    expect(dispositionName(dept)).toBe("重庆市南岸区经济和信息化委员会2024年绩效目标表.xlsx");
    expect((await workbook(dept)).sheets).toHaveLength(4);

    const unit = await get("?year=2024", "nanan.unit");
    expect(dispositionName(unit)).toBe("重庆市南岸区经济和信息化委员会（本级）2024年绩效目标表.xlsx");
    const { read } = await workbook(unit);
    expect(read.tables.map((t) => t.project?.name)).toEqual(["本级项目"]);
  });

  it("another region's department is a 404, a bad query a 400", async () => {
    expect((await get(`?year=2024&departmentId=${ids.qijiangDepartment}`, "nanan.finance")).status).toBe(404);
    expect((await get(`?departmentId=${ids.qijiangDepartment}`, "nanan.unit")).status).toBe(404);
    expect((await get("?year=abc", "nanan.finance")).status).toBe(400);
    expect((await get("?departmentId=-1", "nanan.finance")).status).toBe(400);
  });

  it("an empty scope still gives a valid workbook with its index", async () => {
    const res = await get("?year=2030", "nanan.finance");
    expect(res.status).toBe(200);
    expect((await workbook(res)).sheets).toEqual(["目录"]);
  });

  it("loads a whole scope in a constant number of queries (no N+1)", async () => {
    const { sqlite } = await import("../../db/client.server");
    const { getScopeExport } = await import("../../app/models/export.server");
    const { getSessionUser } = await import("../../app/auth/session.server");
    const user = (await getSessionUser(makeRequest("/", { cookie: await login("nanan.finance") })))!;
    const queries = (fn: () => unknown) => {
      const spy = vi.spyOn(sqlite, "prepare");
      try {
        fn();
        return spy.mock.calls.length;
      } finally {
        spy.mockRestore();
      }
    };
    const small = queries(() => expect(getScopeExport(user, { year: 2023 })!.tables).toHaveLength(1));
    const large = queries(() => expect(getScopeExport(user, { year: 2024 })!.tables).toHaveLength(3));
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(3);
  });
});

describe("print view", () => {
  const get = async (id: number | string, who: string) => {
    const { loader } = await import("../../app/routes/projects.$projectId_.print");
    return call(loader, makeRequest(`/projects/${id}/print`, { cookie: await login(who) }), { projectId: String(id) });
  };

  it("gives the current table as exchange JSON for the official layout", async () => {
    const res = await get(ids.nananOwn, "nanan.unit");
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(body).toMatchObject({ projectId: ids.nananOwn, status: "approved", version: 1 });
    expect(body.table).toMatchObject({ kind: "project", year: 2024, project: { name: "本级项目" } });
    expect(body.table.indicators).toHaveLength(5);
  });

  it("is a 404 outside the user's scope", async () => {
    expect((await get(ids.nananOther, "nanan.unit")).status).toBe(404);
    expect((await get(ids.qijiang, "nanan.admin")).status).toBe(404);
  });
});
