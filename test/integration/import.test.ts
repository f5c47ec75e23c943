// Web import (/import): upload → preview (writes nothing) → confirm (one transaction),
// idempotent re-import, and malformed uploads refused with Chinese messages.
import { beforeAll, describe, expect, it } from "vitest";
import { BASE, call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { validProjectTable } from "../helpers/tables";
import type { ExchangeTable } from "../../app/domain/schemas";

// A published-style document of 南岸区 (2024): a project of the existing department 402
// (with a code) and one of a department 403 the region does not have yet (without a code,
// with an unreadable indicator value).
const DOCUMENT = `重庆市南岸区经济和信息化委员会 2024 年部门预算情况说明

一、部门基本情况（略）

2024年项目支出绩效目标表
编制单位：402001-重庆市南岸区经济和信息化委员会（本级）
单位：万元
项目名称\t50010824T000000099001-中小企业服务券补助\t\t\t业务主管部门\t402-重庆市南岸区经济和信息化委员会\t\t
预算执行率 权重\t10\t\t\t项目分类\t一般性项目\t\t
当年预算 （万元）\t120.00\t\t\t本级安排 （万元）\t120.00\t\t
\t\t\t\t上级补助 （万元）\t\t\t
项目概况\t向中小企业发放服务券，购买专业服务。\t\t\t\t\t\t
立项依据\t区政府关于支持中小企业发展的意见。\t\t\t\t\t\t
当年绩效目标\t服务企业不少于200家，企业满意度不低于90%。\t\t\t\t\t\t
绩效指标\t一级指标\t二级指标\t三级指标\t指标权重\t指标值\t指标性质\t计量单位\t是否核心指标
\t产出指标\t数量指标\t服务企业数\t30\t200\t≥\t家\t是
\t产出指标\t质量指标\t服务券兑付准确率\t20\t100\t＝\t%\t是
\t成本指标\t经济成本指标\t户均补助标准\t20\t6000\t≤\t元/户\t否
\t效益指标\t社会效益指标\t企业经营成本降低\t10\t有效降低\t定性\t\t是
\t满意度指标\t服务对象满意度指标\t企业满意度\t10\t90\t≥\t%\t否

2024年项目支出绩效目标表
编制单位：403001-重庆市南岸区商务委员会（本级）
单位：万元
项目名称\t消费券发放活动\t\t\t业务主管部门\t403-重庆市南岸区商务委员会\t\t
预算执行率 权重\t10\t\t\t项目分类\t一般性项目\t\t
当年预算 （万元）\t50.00\t\t\t本级安排 （万元）\t50.00\t\t
\t\t\t\t上级补助 （万元）\t\t\t
项目概况\t组织消费券发放活动。\t\t\t\t\t\t
立项依据\t促进消费工作方案。\t\t\t\t\t\t
当年绩效目标\t拉动消费。\t\t\t\t\t\t
绩效指标\t一级指标\t二级指标\t三级指标\t指标权重\t指标值\t指标性质\t计量单位\t是否核心指标
\t产出指标\t数量指标\t发放场次\t40\t4\t≥\t场\t是
\t效益指标\t经济效益指标\t带动消费金额\t40\t500\t≥\t万元\t是
\t满意度指标\t服务对象满意度指标\t市民满意度\t10\tabc\t≥\t%\t否
`;

type Preview = {
  stage: "preview";
  file: string;
  year: number;
  documentYear: number | null;
  warnings: unknown[];
  items: {
    index: number;
    title: string;
    table: any;
    department: { id: number; code: string; name: string } | null;
    existingId: number | null;
    findings: { severity: string; message: string }[];
  }[];
  values: Record<string, string>;
  errors: Record<string, string>;
  formError: string | null;
};

const NANAN_402 = { code: "402", name: "重庆市南岸区经济和信息化委员会" };
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async function workbookOf(...tables: ExchangeTable[]): Promise<Buffer> {
  const { tablesToWorkbook } = await import("../../app/io/xlsx");
  return Buffer.from(await tablesToWorkbook(tables));
}

let finance: string;
let nananRegionId: number;
let qijiangDepartmentId: number;

beforeAll(async () => {
  await setupDatabase();
  finance = await login("nanan.finance");
  const { db } = await import("../../db/client.server");
  const { departments, regions } = await import("../../db/schema");
  const { eq } = await import("drizzle-orm");
  nananRegionId = db.select().from(regions).where(eq(regions.slug, "nanan")).get()!.id;
  const qijiang = db.select().from(regions).where(eq(regions.slug, "qijiang")).get()!;
  qijiangDepartmentId = db.select().from(departments).where(eq(departments.regionId, qijiang.id)).get()!.id;
});

async function route() {
  return import("../../app/routes/import");
}

function uploadRequest(cookie: string, name: string, content: string | Uint8Array, type = "text/plain"): Request {
  const form = new FormData();
  form.set("file", new File([content as BlobPart], name, { type }));
  return new Request(`${BASE}/import`, { method: "POST", headers: { Cookie: cookie }, body: form });
}

async function upload(name: string, content: string | Uint8Array, cookie = finance, type?: string) {
  const { action } = await route();
  const res = await call(action, uploadRequest(cookie, name, content, type));
  return { status: res.status, body: await jsonOf(res) };
}

/** The confirmation form as the preview page submits it, with `changes` applied. */
function confirmForm(preview: Preview, changes: Record<string, string> = {}, intent = "confirm"): Record<string, string> {
  const payload = JSON.stringify({ file: preview.file, warnings: preview.warnings, tables: preview.items.map((i) => i.table) });
  return { ...preview.values, intent, payload, ...changes };
}

async function submit(form: Record<string, string>, cookie = finance) {
  const { action } = await route();
  const res = await call(action, makeRequest("/import", { cookie, form }));
  return { status: res.status, body: await jsonOf(res) };
}

/** Rows that an import writes, counted in the whole database. */
async function counts() {
  const { db } = await import("../../db/client.server");
  const { sql } = await import("drizzle-orm");
  const n = (table: string) => (db.get(sql.raw(`select count(*) as n from ${table}`)) as { n: number }).n;
  return {
    departments: n("departments"),
    projects: n("projects"),
    departmentTargets: n("department_targets"),
    tables: n("target_tables"),
    indicators: n("indicators"),
    reviews: n("reviews"),
    audit: n("audit_events"),
  };
}

describe("who may import", () => {
  it("unit and department users get 403 on the page and on the action; finance and admin see the page", async () => {
    const { loader, action } = await route();
    for (const who of ["nanan.unit", "nanan.dept"]) {
      const cookie = await login(who);
      expect((await call(loader, makeRequest("/import", { cookie }))).status).toBe(403);
      expect((await call(action, uploadRequest(cookie, "a.txt", DOCUMENT))).status).toBe(403);
    }
    for (const who of ["nanan.finance", "nanan.admin"]) {
      const res = await call(loader, makeRequest("/import", { cookie: await login(who) }));
      expect(res.status).toBe(200);
      const body = await jsonOf(res);
      expect(body.maxMb).toBe(20);
      expect(body.departments.map((d: { code: string }) => d.code)).toEqual(["402"]);
    }
  });

  it("only finance may import tables as approved: admins are offered drafts only and a forged mode=approved is a 403", async () => {
    const { loader } = await route();
    const modes = async (who: string) => (await jsonOf(await call(loader, makeRequest("/import", { cookie: await login(who) })))).modes;
    expect(await modes("nanan.finance")).toEqual(["approved", "draft"]);
    expect(await modes("nanan.admin")).toEqual(["draft"]);
    const admin = await login("nanan.admin");
    const { body } = await upload("只给管理员.xlsx", new Uint8Array(await workbookOf(validProjectTable({ year: 2024, code: "ADM-1", department: NANAN_402 }))), admin, XLSX);
    expect(body.values.mode).toBe("draft");
    const before = await counts();
    const { action } = await route();
    for (const intent of ["confirm", "preview"]) {
      const res = await call(action, makeRequest("/import", { cookie: admin, form: confirmForm(body, { mode: "approved" }, intent) }));
      expect(res.status).toBe(403);
    }
    // As a draft, the admin's import goes through.
    expect((await submit(confirmForm(body), admin)).body.created).toHaveLength(1);
    const after = await counts();
    expect(after.projects).toBe(before.projects + 1);
  });

  it("an import as approved is recorded as that finance user's approval (audit entry and review row)", async () => {
    const { body } = await upload("批复导入.xlsx", new Uint8Array(await workbookOf(validProjectTable({ year: 2024, code: "FIN-1", department: NANAN_402 }))), finance, XLSX);
    expect(body.values.mode).toBe("approved");
    const { body: done } = await submit(confirmForm(body));
    expect(done.created).toHaveLength(1);
    const { db } = await import("../../db/client.server");
    const { auditEvents, reviews, targetTables, users } = await import("../../db/schema");
    const { and, eq } = await import("drizzle-orm");
    const me = db.select().from(users).where(eq(users.username, "nanan.finance")).get()!;
    const t = db.select().from(targetTables).where(eq(targetTables.projectId, done.created[0].id)).get()!;
    expect(t.status).toBe("approved");
    const approval = db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entity, "table"), eq(auditEvents.entityId, t.id), eq(auditEvents.action, "approve")))
      .all();
    expect(approval).toHaveLength(1);
    expect(approval[0].actorId).toBe(me.id);
    expect(JSON.parse(approval[0].before!)).toEqual({ status: "draft" });
    expect(JSON.parse(approval[0].after!)).toMatchObject({ status: "approved", via: "import", source: "批复导入.xlsx" });
    const review = db.select().from(reviews).where(eq(reviews.tableId, t.id)).get()!;
    expect(review).toMatchObject({ action: "import", fromStatus: "draft", toStatus: "approved", actorId: me.id });
  });

  it("commitImport itself refuses approved tables for a signed-in user who is not finance", async () => {
    const { commitImport, ImportError } = await import("../../app/models/import.server");
    const { db } = await import("../../db/client.server");
    const { users } = await import("../../db/schema");
    const { eq } = await import("drizzle-orm");
    const admin = db.select().from(users).where(eq(users.username, "nanan.admin")).get()!;
    const before = await counts();
    expect(() =>
      commitImport(
        { id: admin.id, regionId: nananRegionId, role: "admin" },
        { year: 2024, mode: "approved", tables: [validProjectTable({ year: 2024, code: "ADM-2", department: NANAN_402 })] },
      ),
    ).toThrow(ImportError);
    expect(await counts()).toEqual(before);
  });

  it("signed-out users are sent to the login page", async () => {
    const { loader } = await route();
    const res = await call(loader, makeRequest("/import"));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(/^\/login/);
  });
});

describe("upload → preview → confirm", () => {
  let preview: Preview;

  it("the preview lists every table with its department, findings and warnings, and writes nothing", async () => {
    const before = await counts();
    const { status, body } = await upload("南岸区经信委2024.txt", DOCUMENT);
    expect(status).toBe(200);
    preview = body;
    expect(preview.stage).toBe("preview");
    expect(preview.file).toBe("南岸区经信委2024.txt");
    expect(preview.year).toBe(2024);
    expect(preview.items.map((i) => i.title)).toEqual(["中小企业服务券补助", "消费券发放活动"]);
    // Matched by code: pre-selected. Unknown department: "create it" pre-filled from the document.
    expect(preview.items[0].department?.code).toBe("402");
    expect(preview.values["department-0"]).toBe(String(preview.items[0].department!.id));
    expect(preview.items[1].department).toBeNull();
    expect(preview.values).toMatchObject({ "department-1": "new", "newCode-1": "403", "newName-1": "重庆市南岸区商务委员会", mode: "approved", year: "2024" });
    // The 编制单位: 402001 exists under 402; 403001 does not exist anywhere, so "create it".
    expect(preview.values["unit-0"]).toBe(String(await unitId("402001")));
    expect(preview.values).toMatchObject({ "unit-1": "new", "newUnitCode-1": "403001", "newUnitName-1": "重庆市南岸区商务委员会（本级）" });
    expect(preview.items.every((i) => i.existingId === null)).toBe(true);
    // The second table's weights do not add up and one value is unreadable.
    expect(preview.items[1].findings.some((f) => f.severity === "error")).toBe(true);
    expect(preview.items[1].table.warnings[0]).toMatchObject({ line: 35, code: "value_unreadable" });
    expect(await counts()).toEqual(before);
  });

  it("confirming writes both tables, creates the new department, and records the import", async () => {
    const before = await counts();
    const { status, body } = await submit(confirmForm(preview));
    expect(status).toBe(200);
    expect(body.stage).toBe("done");
    expect(body.created.map((c: { title: string }) => c.title)).toEqual(["中小企业服务券补助", "消费券发放活动"]);
    expect(body.existing).toEqual([]);
    const after = await counts();
    expect(after.departments).toBe(before.departments + 1);
    expect(after.projects).toBe(before.projects + 2);
    expect(after.tables).toBe(before.tables + 2);
    expect(after.indicators).toBe(before.indicators + 8);
    expect(after.audit).toBeGreaterThan(before.audit);

    const { db } = await import("../../db/client.server");
    const { departments, projects, targetTables, units, auditEvents } = await import("../../db/schema");
    const { eq, and } = await import("drizzle-orm");
    const created = db.select().from(departments).where(and(eq(departments.regionId, nananRegionId), eq(departments.code, "403"))).get();
    expect(created?.name).toBe("重庆市南岸区商务委员会");
    const p = db.select().from(projects).where(eq(projects.id, body.created[0].id)).get()!;
    expect(p).toMatchObject({ regionId: nananRegionId, year: 2024, code: "50010824T000000099001", budgetTotal: 1200000 });
    // The document's 编制单位 402001 is a unit of 402: the project is filed under it.
    expect(p.unitId).toBe(db.select().from(units).where(eq(units.code, "402001")).get()!.id);
    // 403001 was created under the new 403, audited, and the second project filed under it.
    const newUnit = db.select().from(units).where(and(eq(units.regionId, nananRegionId), eq(units.code, "403001"))).get()!;
    expect(newUnit).toMatchObject({ name: "重庆市南岸区商务委员会（本级）", departmentId: created!.id });
    expect(db.select().from(projects).where(eq(projects.id, body.created[1].id)).get()!.unitId).toBe(newUnit.id);
    const unitAudit = db.select().from(auditEvents).where(and(eq(auditEvents.entity, "unit"), eq(auditEvents.entityId, newUnit.id))).all();
    expect(unitAudit.map((a) => [a.action, JSON.parse(a.after!).via])).toEqual([["create", "import"]]);
    const t = db.select().from(targetTables).where(eq(targetTables.projectId, p.id)).get()!;
    expect(t).toMatchObject({ status: "approved", isCurrent: true, indicatorCount: 5 });
    const audit = db.select().from(auditEvents).where(and(eq(auditEvents.entity, "project"), eq(auditEvents.entityId, p.id))).all();
    expect(audit.map((a) => a.action)).toContain("import");
    expect(JSON.parse(audit[0].after!)).toMatchObject({ source: "南岸区经信委2024.txt", status: "approved" });
  });

  it("importing the same document again duplicates nothing: the preview and the result report what exists", async () => {
    const before = await counts();
    const { body } = await upload("南岸区经信委2024.txt", DOCUMENT);
    const again = body as Preview;
    // Now both departments exist; the project without a code matches on year + department + name.
    expect(again.items.map((i) => i.department?.code)).toEqual(["402", "403"]);
    expect(again.items.every((i) => i.existingId !== null)).toBe(true);
    const { status, body: done } = await submit(confirmForm(again));
    expect(status).toBe(200);
    expect(done.created).toEqual([]);
    expect(done.existing.map((e: { title: string; kind: string }) => [e.title, e.kind])).toEqual([
      ["中小企业服务券补助", "project"],
      ["消费券发放活动", "project"],
    ]);
    expect(await counts()).toEqual(before);
  });

  it("replaying the first confirmation (the same hidden payload and choices) duplicates nothing either", async () => {
    const before = await counts();
    // The department 403 exists now, so "create 403" is refused with a pointer to the existing one…
    const refused = await submit(confirmForm(preview));
    expect(refused.status).toBe(400);
    expect(refused.body.errors["newCode-1"]).toMatch(/已是主管部门「重庆市南岸区商务委员会」/);
    // …and choosing it reports both tables as existing.
    // (the preview already shows the table as existing under the department the document names)
    expect(refused.body.items.map((i: { existingId: number | null }) => i.existingId !== null)).toEqual([true, true]);
    expect(refused.body.errors["newUnitCode-1"]).toMatch(/已是预算单位「重庆市南岸区商务委员会（本级）」/);
    const { body } = await submit(confirmForm(preview, { "department-1": String(await departmentId("403")), "unit-1": String(await unitId("403001")) }));
    expect(body.created).toEqual([]);
    expect(body.existing).toHaveLength(2);
    expect(await counts()).toEqual(before);
  });

  it("a re-import whose document names an unknown department pre-selects where the tables already live", async () => {
    const before = await counts();
    const renamed = DOCUMENT.replace("402-重庆市南岸区经济和信息化委员会", "477-南岸区另一个局").replace(
      "403-重庆市南岸区商务委员会",
      "488-南岸区某中心",
    );
    const { body } = await upload("改名.txt", renamed);
    const p = body as Preview;
    expect(p.items.map((i) => i.department)).toEqual([null, null]);
    // By code (first) and, without a code, by year + name (second): both exist.
    expect(p.items.map((i) => i.existingId !== null)).toEqual([true, true]);
    expect(p.values["department-0"]).toBe(String(await departmentId("402")));
    expect(p.values["department-1"]).toBe(String(await departmentId("403")));
    const { body: done } = await submit(confirmForm(p));
    expect(done.created).toEqual([]);
    expect(done.existing).toHaveLength(2);
    expect(await counts()).toEqual(before); // no department 477 or 488 either
  });

  it("the year can be changed: the same document imported as 2023 drafts is new for 2023", async () => {
    const { body } = await upload("南岸区经信委2024.txt", DOCUMENT);
    const rechecked = await submit(confirmForm(body, { year: "2023" }, "preview"));
    expect(rechecked.status).toBe(200);
    expect(rechecked.body.year).toBe(2023);
    expect(rechecked.body.items.every((i: { existingId: number | null }) => i.existingId === null)).toBe(true);
    const { body: done } = await submit(confirmForm(rechecked.body, { year: "2023", mode: "draft" }));
    expect(done.stage).toBe("done");
    expect(done.created).toHaveLength(2);
    const { db } = await import("../../db/client.server");
    const { projects, targetTables } = await import("../../db/schema");
    const { eq } = await import("drizzle-orm");
    const row = db
      .select({ year: projects.year, status: targetTables.status })
      .from(projects)
      .innerJoin(targetTables, eq(targetTables.projectId, projects.id))
      .where(eq(projects.id, done.created[0].id))
      .get();
    expect(row).toEqual({ year: 2023, status: "draft" });
  });

  it("an .xlsx workbook is imported the same way", async () => {
    const { tablesToWorkbook } = await import("../../app/io/xlsx");
    const xlsx = await tablesToWorkbook([
      validProjectTable({
        year: 2024,
        code: "50010824T000000099777",
        name: "工业互联网平台培育",
        department: { code: "402", name: "重庆市南岸区经济和信息化委员会" },
        unit: { code: "402002", name: "重庆市南岸区中小企业服务中心" },
      }),
    ]);
    const type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    const { status, body } = await upload("平台培育.xlsx", new Uint8Array(xlsx), finance, type);
    expect(status).toBe(200);
    expect(body.items.map((i: { title: string }) => i.title)).toEqual(["工业互联网平台培育"]);
    expect(body.items[0].findings.filter((f: { severity: string }) => f.severity === "error")).toEqual([]);
    const { body: done } = await submit(confirmForm(body));
    expect(done.created).toHaveLength(1);
    const again = await upload("平台培育.xlsx", new Uint8Array(xlsx), finance, type);
    expect(again.body.items[0].existingId).toBe(done.created[0].id);
  });
});

describe("a 部门（单位）整体绩效目标表", () => {
  it("is imported under a new department and found again on re-import (year + department)", async () => {
    const fs = await import("node:fs");
    const text = fs.readFileSync(new URL("../fixtures/documents/department.txt", import.meta.url), "utf8");
    const admin = await login("nanan.admin");
    const { body } = await upload("department.txt", text, admin);
    const p = body as Preview;
    expect(p.items.map((i) => [i.table.kind, i.title, i.existingId])).toEqual([["department", "示例区卫生健康委员会 部门整体绩效目标表", null]]);
    expect(p.values).toMatchObject({ "department-0": "new", "newCode-0": "502", year: "2025" });
    const { body: done } = await submit(confirmForm(p), admin);
    expect(done.created).toEqual([{ index: 0, kind: "department", id: expect.any(Number), title: "示例区卫生健康委员会 部门整体绩效目标表" }]);
    const before = await counts();
    const again = (await upload("department.txt", text, admin)).body as Preview;
    expect(again.items[0].existingId).toBe(done.created[0].id);
    expect(again.values["department-0"]).toBe(String(await departmentId("502")));
    const { body: second } = await submit(confirmForm(again), admin);
    expect(second.created).toEqual([]);
    expect(second.existing).toEqual([{ index: 0, kind: "department", id: done.created[0].id, title: "示例区卫生健康委员会 部门整体绩效目标表" }]);
    expect(await counts()).toEqual(before);
  });
});

describe("the preview's findings", () => {
  it("come from the region's rule set for the chosen year", async () => {
    // 南岸 requires 6 core indicators in 2024; 2023 has no regional rule set (built-in default).
    const { saveRuleSet, ruleSetFor } = await import("../../app/models/rulesets.server");
    const { getSessionUser } = await import("../../app/auth/session.server");
    const user = (await getSessionUser(makeRequest("/", { cookie: finance })))!;
    const base = ruleSetFor(nananRegionId, 2024);
    expect(saveRuleSet(user, 2024, "chongqing-2024", { ...base, project: { ...base.project, core: { ...base.project.core, minCount: 6 } } }).ok).toBe(true);
    const table = validProjectTable({ year: 2024, code: "RULE-1", name: "规则项目", department: NANAN_402 });
    const { body } = await upload("规则.xlsx", new Uint8Array(await workbookOf(table)), finance, XLSX);
    const messages = (p: Preview) => p.items[0].findings.filter((f) => f.severity === "error").map((f) => f.message);
    expect(body.year).toBe(2024);
    expect(messages(body)).toContain("核心指标 3 个，至少应有 6 个");
    const in2025 = await submit(confirmForm(body, { year: "2025" }, "preview"));
    expect(in2025.status).toBe(200);
    expect(messages(in2025.body)).not.toContain("核心指标 3 个，至少应有 6 个");
    // Another region's rule set for the same year does not apply.
    const other = await upload("规则.xlsx", new Uint8Array(await workbookOf(table)), await login("qijiang.finance"), XLSX);
    expect(messages(other.body)).not.toContain("核心指标 3 个，至少应有 6 个");
  });
});

async function unitId(code: string): Promise<number> {
  const { db } = await import("../../db/client.server");
  const { units } = await import("../../db/schema");
  const { and, eq } = await import("drizzle-orm");
  return db.select().from(units).where(and(eq(units.regionId, nananRegionId), eq(units.code, code))).get()!.id;
}

async function departmentId(code: string): Promise<number> {
  const { db } = await import("../../db/client.server");
  const { departments } = await import("../../db/schema");
  const { and, eq } = await import("drizzle-orm");
  return db.select().from(departments).where(and(eq(departments.regionId, nananRegionId), eq(departments.code, code))).get()!.id;
}

describe("malformed uploads: a clear Chinese error, nothing written", () => {
  const cases: [string, () => Promise<{ status: number; body: any }>, RegExp, number][] = [
    ["an empty file", () => upload("empty.txt", ""), /文件「empty\.txt」是空文件/, 400],
    ["a file of blanks", () => upload("blank.txt", " \n\t\n"), /只有空白/, 400],
    ["a PDF", () => upload("report.pdf", new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0, 1, 2])), /不是文本文档.*PDF/, 400],
    ["binary bytes", () => upload("data.bin", new Uint8Array([0x01, 0x02, 0x00, 0x03, 0xff, 0xfe, 0x00, 0x10])), /不是文本文档/, 400],
    ["a broken .docx", () => upload("说明.docx", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4])), /文件「说明\.docx」不是有效的 Word 文档（\.docx），可能已损坏/, 400],
    ["a broken .xlsx", () => upload("broken.xlsx", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 9, 9, 9, 9, 9, 9])), /不是有效的 Excel 工作簿/, 400],
    ["an old .xls", () => upload("old.xls", new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])), /旧版/, 400],
    [
      "a document without tables",
      () => upload("说明.txt", "示例区某局 2024 年部门预算情况说明\n\n一、部门基本情况\n本部门主要职责是……\n"),
      /文件「说明\.txt」中没有找到项目绩效目标表或部门（单位）整体绩效目标表/,
      400,
    ],
    ["a workbook without tables", async () => upload("空表.xlsx", new Uint8Array(await emptyWorkbook())), /没有找到绩效目标表/, 400],
    ["a file larger than 20 MB", () => upload("big.txt", new Uint8Array(20 * 1024 * 1024 + 1).fill(0x41)), /过大.*不能超过 20 MB/, 413],
  ];
  for (const [what, run, message, status] of cases) {
    it(`${what} is refused`, async () => {
      const before = await counts();
      const res = await run();
      expect(res.status).toBe(status);
      expect(res.body).toEqual({ stage: "upload", error: expect.stringMatching(message) });
      expect(await counts()).toEqual(before);
    });
  }

  it("a submission without a file asks for one", async () => {
    const { action } = await route();
    const form = new FormData();
    form.set("file", new File([], "", { type: "application/octet-stream" }));
    const res = await call(action, new Request(`${BASE}/import`, { method: "POST", headers: { Cookie: finance }, body: form }));
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).error).toBe("请选择要导入的文件");
  });

  it("a request that declares more than 20 MB is refused before it is read", async () => {
    const { action } = await route();
    const req = new Request(`${BASE}/import`, {
      method: "POST",
      headers: { Cookie: finance, "Content-Type": "multipart/form-data; boundary=x", "Content-Length": String(30 * 1024 * 1024) },
      body: "--x--",
    });
    const res = await call(action, req);
    expect(res.status).toBe(413);
    expect((await jsonOf(res)).error).toMatch(/不能超过 20 MB/);
  });
});

describe("the confirmation re-checks everything and writes nothing on any error", () => {
  let preview: Preview;
  beforeAll(async () => {
    const table = validProjectTable({ year: 2024, code: "CHK-1", name: "复核项目", department: { code: "499", name: "重庆市南岸区某局" } });
    const other = validProjectTable({ year: 2024, code: "CHK-2", name: "复核项目二", department: { code: "402", name: "重庆市南岸区经济和信息化委员会" } });
    const { tablesToWorkbook } = await import("../../app/io/xlsx");
    const { body } = await upload("复核.xlsx", new Uint8Array(await tablesToWorkbook([other, table])));
    preview = body;
    expect(preview.items.map((i) => i.title)).toEqual(["复核项目二", "复核项目"]);
  });

  async function refused(form: Record<string, string>) {
    const before = await counts();
    const res = await submit(form);
    expect(res.status).toBe(400);
    expect(await counts()).toEqual(before);
    return res.body;
  }

  it("a table without a department choice", async () => {
    const body = await refused(confirmForm(preview, { "department-1": "" }));
    expect(body.stage).toBe("preview");
    expect(body.errors["department-1"]).toBe("请选择主管部门，或选择“新建主管部门”");
    expect(body.formError).toMatch(/尚未导入任何数据/);
    // What the user chose is kept.
    expect(body.values["department-0"]).toBe(preview.values["department-0"]);
  });

  it("another region's department or unit: 404, nothing written", async () => {
    const { db } = await import("../../db/client.server");
    const { units } = await import("../../db/schema");
    const { eq } = await import("drizzle-orm");
    const qijiangUnit = db.select().from(units).where(eq(units.departmentId, qijiangDepartmentId)).get()!.id;
    const attempts: Record<string, string>[] = [{ "department-1": String(qijiangDepartmentId) }, { "unit-0": String(qijiangUnit) }, { "department-0": "999999" }];
    for (const changes of attempts) {
      const before = await counts();
      const { action } = await route();
      const res = await call(action, makeRequest("/import", { cookie: finance, form: confirmForm(preview, changes) }));
      expect(res.status).toBe(404);
      expect(await counts()).toEqual(before);
    }
    // Not an id at all: the field's error.
    const body = await refused(confirmForm(preview, { "department-1": "abc" }));
    expect(body.errors["department-1"]).toMatch(/不存在/);
  });

  it("a new department without a code or name, or with a bad code", async () => {
    let body = await refused(confirmForm(preview, { "department-1": "new", "newCode-1": "", "newName-1": "" }));
    expect(body.errors).toMatchObject({ "newCode-1": "请填写新主管部门的编码", "newName-1": "请填写新主管部门的名称" });
    body = await refused(confirmForm(preview, { "department-1": "new", "newCode-1": "4 99" }));
    expect(body.errors["newCode-1"]).toMatch(/编码只能包含/);
  });

  it("a year out of range or a missing mode", async () => {
    const body = await refused(confirmForm(preview, { year: "1800", mode: "" }));
    expect(body.errors).toMatchObject({ year: "年度须在 2000–2100 之间", mode: "请选择导入方式" });
  });

  it("a tampered or broken hidden payload", async () => {
    for (const payload of ["", "{not json", JSON.stringify({ file: "x", warnings: [], tables: [] })]) {
      const body = await refused({ ...confirmForm(preview), payload });
      expect(body).toEqual({ stage: "upload", error: "导入数据无效或已损坏，请重新上传文件" });
    }
    const tables = preview.items.map((i) => i.table);
    const bad = [{ ...tables[0], indicators: [{ ...tables[0].indicators[0], weight: "很多" }] }, tables[1]];
    const body = await refused({ ...confirmForm(preview), payload: JSON.stringify({ file: "x", warnings: [], tables: bad }) });
    expect(body.error).toMatch(/导入数据无效/);
  });

  it("after all that, a valid confirmation writes exactly the two tables", async () => {
    const before = await counts();
    const { status, body } = await submit(confirmForm(preview));
    expect(status).toBe(200);
    expect(body.created).toHaveLength(2);
    const after = await counts();
    expect(after.projects - before.projects).toBe(2);
    expect(after.departments - before.departments).toBe(1);
  });
});

async function emptyWorkbook(): Promise<Buffer> {
  const ExcelJS = (await import("exceljs")).default;
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet("Sheet1").getCell("A1").value = "这不是绩效目标表";
  return Buffer.from(await wb.xlsx.writeBuffer());
}
