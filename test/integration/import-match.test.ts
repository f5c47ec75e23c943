// Web import, organisations the document names that match none of the region's: the preview
// offers the closest names and 「新建」, the confirmation files each table where the user
// chose (creating the 主管部门 / 预算单位, audited) in the import's transaction, and a refused
// confirmation changes nothing and keeps the choices. 万盛 (one department, 531), year 2023.
import { beforeAll, describe, expect, it } from "vitest";
import { BASE, call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { validProjectTable } from "../helpers/tables";
import type { ExchangeTable } from "../../app/domain/schemas";

let finance: string;
let regionId: number;
const ids: Record<string, number> = {};

beforeAll(async () => {
  await setupDatabase();
  finance = await login("wansheng.finance");
  const { db } = await import("../../db/client.server");
  const { departments, regions, units } = await import("../../db/schema");
  const { eq } = await import("drizzle-orm");
  regionId = db.select().from(regions).where(eq(regions.slug, "wansheng")).get()!.id;
  for (const d of db.select().from(departments).where(eq(departments.regionId, regionId)).all()) ids[d.code] = d.id;
  for (const u of db.select().from(units).where(eq(units.regionId, regionId)).all()) ids[u.code] = u.id;
});

function table(code: string, department: ExchangeTable["department"], unit: ExchangeTable["unit"]): ExchangeTable {
  return validProjectTable({ year: 2023, code, name: `匹配测试${code}`, department, unit });
}

/** The document's spelling of 531 (the same name, written differently), a department only similar to it, and a table naming none. */
const TABLES = [
  table("M-1", { code: null, name: "万盛经开区经济信息局" }, { code: null, name: "万盛经开区大数据中心" }),
  table("M-2", { code: "532", name: "万盛经开区经信委" }, { code: "532001", name: "万盛经开区经信委（本级）" }),
  table("M-3", null, null),
];

async function upload(tables: ExchangeTable[]) {
  const { tablesToWorkbook } = await import("../../app/io/xlsx");
  const form = new FormData();
  const type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  form.set("file", new File([new Uint8Array(await tablesToWorkbook(tables))], "匹配.xlsx", { type }));
  const { action } = await import("../../app/routes/import");
  const res = await call(action, new Request(`${BASE}/import`, { method: "POST", headers: { Cookie: finance }, body: form }));
  expect(res.status).toBe(200);
  return jsonOf(res);
}

function confirmForm(preview: any, changes: Record<string, string> = {}, intent = "confirm"): Record<string, string> {
  const payload = JSON.stringify({ file: preview.file, warnings: preview.warnings, tables: preview.items.map((i: any) => i.table) });
  return { ...preview.values, intent, payload, ...changes };
}

async function submit(form: Record<string, string>) {
  const { action } = await import("../../app/routes/import");
  const res = await call(action, makeRequest("/import", { cookie: finance, form }));
  return { status: res.status, body: await jsonOf(res) };
}

async function counts() {
  const { sqlite } = await import("../../db/client.server");
  const n = (t: string) => (sqlite.prepare(`select count(*) n from ${t}`).get() as { n: number }).n;
  return { departments: n("departments"), units: n("units"), projects: n("projects"), tables: n("target_tables"), audit: n("audit_events") };
}

let preview: any;

describe("the preview of tables whose organisations match none of the region's", () => {
  it("matches a name written differently, suggests the closest names, offers 新建, and places a table naming none", async () => {
    const before = await counts();
    preview = await upload(TABLES);
    const [same, similar, none] = preview.items;
    // 「万盛经开区经济信息局」 is 531 written differently: matched and pre-selected.
    expect([same.departmentMatch, same.department.code, preview.values["department-0"]]).toEqual(["same_name", "531", String(ids["531"])]);
    // Its 编制单位 「万盛经开区大数据中心」 is only close to 531003: suggested, not pre-selected (and no code to create it with).
    expect(same.unitSuggestions.map((s: any) => [s.code, s.score])).toEqual([["531003", 0.6]]);
    expect(same.unit).toBeNull();
    expect(preview.values["unit-0"]).toBe("");
    // 「万盛经开区经信委」 (532) is only similar: suggested, and 「新建」 pre-filled from the document.
    expect(similar.department).toBeNull();
    expect(similar.departmentSuggestions.map((s: any) => [s.code, s.score])).toEqual([["531", 0.5]]);
    expect(preview.values).toMatchObject({ "department-1": "new", "newCode-1": "532", "newName-1": "万盛经开区经信委" });
    expect(preview.values).toMatchObject({ "unit-1": "new", "newUnitCode-1": "532001", "newUnitName-1": "万盛经开区经信委（本级）" });
    // No department named: the one the document's other tables name.
    expect([none.departmentMatch, none.department.code, preview.values["department-2"], preview.values["unit-2"]]).toEqual(["document", "531", String(ids["531"]), ""]);
    expect(await counts()).toEqual(before);
  });

  it("a re-check follows the choices: units are suggested among the chosen department's", async () => {
    const { status, body } = await submit(confirmForm(preview, { "department-1": String(ids["531"]), "unit-1": String(ids["531003"]) }, "preview"));
    expect(status).toBe(200);
    expect([body.items[1].departmentMatch, body.items[1].department.code, body.items[1].unitMatch, body.items[1].unit.code]).toEqual(["chosen", "531", "chosen", "531003"]);
    // 「万盛经开区经信委（本级）」 is close to 531's 本级 unit 「万盛经开区经济信息局（本级）」 (经信委 / 经信局), not the same.
    expect(body.items[1].unitSuggestions.map((s: any) => s.code)).toContain("531001");
  });
});

describe("a refused confirmation changes nothing and keeps the choices", () => {
  it("a unit of another department, a new department's existing unit, a new unit without a code", async () => {
    const before = await counts();
    const chosen = {
      "department-1": "new",
      "unit-1": String(ids["531003"]),
      "unit-2": "new",
      "newUnitCode-2": "",
      "newUnitName-2": "某中心",
    };
    const { status, body } = await submit(confirmForm(preview, chosen));
    expect(status).toBe(400);
    expect(body.errors).toEqual({
      "unit-1": "新建的主管部门还没有预算单位：请选择“新建预算单位”，或不指定预算单位",
      "newUnitCode-2": "请填写新预算单位的编码",
    });
    expect(body.formError).toMatch(/尚未导入任何数据/);
    expect(body.values).toMatchObject(chosen);
    expect(body.values["department-0"]).toBe(String(ids["531"]));
    expect(await counts()).toEqual(before);
  });

  it("a refusal inside the transaction (one new unit code under two departments) rolls back the new department too", async () => {
    const before = await counts();
    const chosen = {
      "unit-0": "new",
      "newUnitCode-0": "539001",
      "newUnitName-0": "万盛经开区大数据中心",
      "unit-1": "new",
      "newUnitCode-1": "539001",
      "newUnitName-1": "万盛经开区大数据中心",
    };
    const { status, body } = await submit(confirmForm(preview, chosen));
    expect(status).toBe(400);
    expect(body.formError).toBe("编码 539001 已是其他主管部门的预算单位「万盛经开区大数据中心」。尚未导入任何数据。");
    expect(body.values).toMatchObject(chosen);
    expect(await counts()).toEqual(before);
  });
});

describe("confirming files each table where the user chose", () => {
  it("an existing department and unit, a new unit (audited), or none", async () => {
    const before = await counts();
    const { status, body } = await submit(
      confirmForm(preview, {
        "unit-0": "new",
        "newUnitCode-0": "531009",
        "newUnitName-0": "万盛经开区大数据中心",
        "department-1": String(ids["531"]),
        "unit-1": String(ids["531003"]),
      }),
    );
    expect(status).toBe(200);
    expect(body.created).toHaveLength(3);
    const after = await counts();
    expect([after.departments - before.departments, after.units - before.units, after.projects - before.projects]).toEqual([0, 1, 3]);

    const { db } = await import("../../db/client.server");
    const { auditEvents, projects, units } = await import("../../db/schema");
    const { and, eq, inArray } = await import("drizzle-orm");
    const created = db.select().from(units).where(and(eq(units.regionId, regionId), eq(units.code, "531009"))).get()!;
    expect(created).toMatchObject({ name: "万盛经开区大数据中心", departmentId: ids["531"] });
    const audit = db.select().from(auditEvents).where(and(eq(auditEvents.entity, "unit"), eq(auditEvents.entityId, created.id))).all();
    expect(audit.map((a) => [a.action, a.actorId !== null, JSON.parse(a.after!)])).toEqual([
      ["create", true, { code: "531009", name: "万盛经开区大数据中心", departmentId: ids["531"], via: "import" }],
    ]);
    const rows = db
      .select({ code: projects.code, departmentId: projects.departmentId, unitId: projects.unitId })
      .from(projects)
      .where(inArray(projects.code, ["M-1", "M-2", "M-3"]))
      .orderBy(projects.code)
      .all();
    expect(rows).toEqual([
      { code: "M-1", departmentId: ids["531"], unitId: created.id },
      { code: "M-2", departmentId: ids["531"], unitId: ids["531003"] },
      { code: "M-3", departmentId: ids["531"], unitId: null },
    ]);
  });

  it("「新建主管部门」 with 「新建预算单位」: both created in the import, the unit under the new department", async () => {
    const fresh = await upload([table("M-4", { code: "533", name: "万盛经开区商务局" }, { code: "533001", name: "万盛经开区商务局（本级）" })]);
    expect(fresh.values).toMatchObject({ "department-0": "new", "newCode-0": "533", "unit-0": "new", "newUnitCode-0": "533001" });
    const before = await counts();
    const { status, body } = await submit(confirmForm(fresh));
    expect(status).toBe(200);
    const after = await counts();
    expect([after.departments - before.departments, after.units - before.units, after.projects - before.projects]).toEqual([1, 1, 1]);
    const { db } = await import("../../db/client.server");
    const { departments, projects, units } = await import("../../db/schema");
    const { and, eq } = await import("drizzle-orm");
    const dept = db.select().from(departments).where(and(eq(departments.regionId, regionId), eq(departments.code, "533"))).get()!;
    const unit = db.select().from(units).where(and(eq(units.regionId, regionId), eq(units.code, "533001"))).get()!;
    expect(unit.departmentId).toBe(dept.id);
    expect(db.select().from(projects).where(eq(projects.id, body.created[0].id)).get()).toMatchObject({ departmentId: dept.id, unitId: unit.id });
  });

  it("a 部门 or unit id of another region is a 404 and writes nothing", async () => {
    const { db } = await import("../../db/client.server");
    const { departments, regions, units } = await import("../../db/schema");
    const { eq } = await import("drizzle-orm");
    const nanan = db.select().from(regions).where(eq(regions.slug, "nanan")).get()!;
    const foreignDept = db.select().from(departments).where(eq(departments.regionId, nanan.id)).get()!.id;
    const foreignUnit = db.select().from(units).where(eq(units.regionId, nanan.id)).get()!.id;
    const again = await upload([table("M-5", null, null), table("M-6", { code: "531", name: null }, null)]);
    const attempts: Record<string, string>[] = [{ "department-0": String(foreignDept) }, { "unit-1": String(foreignUnit) }];
    for (const changes of attempts) {
      const before = await counts();
      const { action } = await import("../../app/routes/import");
      const res = await call(action, makeRequest("/import", { cookie: finance, form: confirmForm(again, changes) }));
      expect(res.status).toBe(404);
      expect(await counts()).toEqual(before);
    }
  });
});
