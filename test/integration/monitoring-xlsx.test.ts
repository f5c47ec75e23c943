// 监控 Excel and print through the real routes on real SQLite: a unit exports its project's
// 监控表, fills it in with exceljs as in Excel, uploads it, sees the preview and confirms; the
// entry then holds the values with their lights. Re-importing changes nothing; errors are
// reported per sheet and row; foreign and other units' ids, locked entries, other rounds and
// closed rounds are refused; a department's round workbook has one sheet per entry.
import ExcelJS from "exceljs";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ID_COLUMN, MONITORING_COLUMNS } from "../../app/io/xlsx/monitoring-layout";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { indicator, validProjectTable } from "../helpers/tables";

const cookies: Record<string, string> = {};
let projectId = 0;
let otherUnitProjectId = 0;
let deptTargetId = 0;
let roundId = 0;
let departmentId = 0;

beforeAll(async () => {
  await setupDatabase();
  const { db } = await import("../../db/client.server");
  const { regions, units } = await import("../../db/schema");
  const { commitImport } = await import("../../app/models/import.server");
  const qijiang = db.select().from(regions).where(eq(regions.slug, "qijiang")).get()!;
  const actor = { id: null, regionId: qijiang.id };
  projectId = commitImport(actor, { year: 2026, mode: "approved", tables: [validProjectTable({ name: "监控导入项目", code: "XL-1" })] }).created[0].id;
  const first = db.select().from(units).where(eq(units.regionId, qijiang.id)).get()!;
  departmentId = first.departmentId;
  const second = db.insert(units).values({ regionId: qijiang.id, departmentId: first.departmentId, code: "206098", name: "导入测试第二单位" }).returning().get();
  otherUnitProjectId = commitImport(actor, {
    year: 2026,
    mode: "approved",
    tables: [validProjectTable({ name: "他单位导入项目", code: "XL-2", unit: { code: second.code, name: second.name } })],
  }).created[0].id;
  deptTargetId = commitImport(actor, {
    year: 2026,
    mode: "approved",
    tables: [
      {
        ...validProjectTable({ name: "x" }),
        kind: "department",
        project: null,
        overall: { budget: 100, midTermGoal: null, annualGoal: "部门整体目标" },
        budgetExecutionWeight: null,
        indicators: [indicator({ name: "服务企业数", weight: 50, core: null }), indicator({ level1: "效益指标", level2: "社会效益指标", name: "企业满意度", weight: 50, unit: "%", target: "90", core: null })],
      },
    ],
  }).created[0].id;
  for (const u of ["qijiang.unit", "qijiang.dept", "qijiang.finance", "nanan.finance", "nanan.unit"]) cookies[u] = await login(u);
  const { action } = await route("monitoring._index");
  const opened = await call(action, makeRequest("/monitoring", { cookie: cookies["qijiang.finance"], form: { year: "2026", period: "Q2", opensOn: "2026-01-01", dueOn: "2099-07-15" } }));
  expect(opened.status).toBe(302);
  roundId = Number(opened.headers.get("Location")!.split("/").pop());
});

async function route(path: string) {
  return import(`../../app/routes/${path}`);
}

async function projectXlsx(who: string, id = projectId, rid = roundId) {
  const { loader } = await route("monitoring.$roundId.p.$ownerId.xlsx");
  return call(loader, makeRequest(`/monitoring/${rid}/p/${id}/xlsx`, { cookie: cookies[who] }), { roundId: String(rid), ownerId: String(id) });
}

async function roundXlsx(who: string, query = "", rid = roundId) {
  const { loader } = await route("monitoring.$roundId.xlsx");
  return call(loader, makeRequest(`/monitoring/${rid}/xlsx${query}`, { cookie: cookies[who] }), { roundId: String(rid) });
}

async function workbookOf(res: Response) {
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toMatch(/spreadsheetml/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
  return wb;
}

async function bytesOf(wb: ExcelJS.Workbook) {
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

async function importPost(who: string, form: FormData, rid = roundId) {
  const { action } = await route("monitoring.$roundId.import");
  return call(action, makeRequest(`/monitoring/${rid}/import`, { cookie: cookies[who], body: form }), { roundId: String(rid) });
}

async function upload(who: string, bytes: Uint8Array, rid = roundId) {
  const form = new FormData();
  form.set("file", new File([bytes as Uint8Array<ArrayBuffer>], "监控表.xlsx"));
  return importPost(who, form, rid);
}

async function confirm(who: string, payload: string) {
  const form = new FormData();
  form.set("intent", "confirm");
  form.set("payload", payload);
  const res = await importPost(who, form);
  expect(res.status).toBe(200);
  return (await jsonOf(res)).result;
}

async function entry(who: string, id = projectId, kind: "p" | "d" = "p") {
  const { loader } = await route(kind === "p" ? "monitoring.$roundId.p.$ownerId" : "monitoring.$roundId.d.$ownerId");
  return jsonOf(await call(loader, makeRequest(`/monitoring/${roundId}/${kind}/${id}`, { cookie: cookies[who] }), { roundId: String(roundId), ownerId: String(id) }));
}

const col = (key: string) => MONITORING_COLUMNS.findIndex((c) => c.key === key) + 1;
function rowsById(ws: ExcelJS.Worksheet): number[] {
  const out: number[] = [];
  for (let r = 1; r <= ws.rowCount; r++) if (String(ws.getCell(r, ID_COLUMN).value ?? "").startsWith("indicator=")) out.push(r);
  return out;
}

/** Fills a project sheet as a unit would in Excel: the second indicator (人均补助标准 ≤ 556) off track. */
function fill(ws: ExcelJS.Worksheet) {
  ws.getCell("F6").value = 12.9;
  const rows = rowsById(ws);
  const values: Array<Record<string, ExcelJS.CellValue>> = [
    { actual: 20, projected: 39, likelihood: "确定能" },
    { actual: 400, projected: 700, likelihood: "完全不可能", 经费保障: "√", 其他: "√", reasonText: "标准上调", measures: "申请调整预算" },
    { actual: 92, projected: 95, likelihood: "确定能" },
    { actual: 91, projected: 93, likelihood: "确定能" },
    { actual: 100, projected: 100, likelihood: "确定能" },
  ];
  rows.forEach((r, i) => {
    for (const [k, v] of Object.entries(values[i])) ws.getCell(r, col(k)).value = v;
  });
}

describe("export", () => {
  it("one project's 监控表: the blank form prefilled as on the entry page, with hidden identifiers", async () => {
    const wb = await workbookOf(await projectXlsx("qijiang.unit"));
    expect(wb.worksheets).toHaveLength(1);
    const ws = wb.worksheets[0];
    expect(ws.getCell("A1").value).toBe("2026年项目支出绩效运行监控表");
    expect(ws.getCell("B3").value).toBe("XL-1-监控导入项目");
    expect(ws.getCell("D6").value).toBe(25.65);
    expect(ws.getCell("F6").value).toBeNull();
    expect(rowsById(ws)).toHaveLength(5);
    expect(ws.getCell(2, ID_COLUMN).value).toBe(`round=${roundId}`);
    expect(ws.getCell(3, ID_COLUMN).value).toBe(`owner=project:${projectId}`);
    // GET starts nothing.
    expect((await entry("qijiang.unit")).report).toBeNull();
  });

  it("another region, another unit, an unknown project or round: 404", async () => {
    expect((await projectXlsx("nanan.unit")).status).toBe(404);
    expect((await projectXlsx("nanan.finance")).status).toBe(404);
    expect((await projectXlsx("qijiang.unit", otherUnitProjectId)).status).toBe(404);
    expect((await projectXlsx("qijiang.unit", 999999)).status).toBe(404);
    expect((await projectXlsx("qijiang.unit", projectId, 999999)).status).toBe(404);
    expect((await roundXlsx("nanan.finance")).status).toBe(404);
  });

  it("a department's round: an index sheet and one sheet per entry of its scope; ?department outside the scope is a 404", async () => {
    const wb = await workbookOf(await roundXlsx("qijiang.dept"));
    const sheets = wb.worksheets.map((w) => w.name);
    expect(sheets[0]).toBe("目录");
    const owners = wb.worksheets.slice(1).map((w) => w.getCell(3, ID_COLUMN).value);
    expect(owners).toEqual(expect.arrayContaining([`owner=project:${projectId}`, `owner=project:${otherUnitProjectId}`, `owner=department:${deptTargetId}`]));
    const { loader } = await route("monitoring.$roundId._index");
    const page = await jsonOf(await call(loader, makeRequest(`/monitoring/${roundId}`, { cookie: cookies["qijiang.dept"] }), { roundId: String(roundId) }));
    expect(owners).toHaveLength(page.entries.total);
    expect(new Set(sheets).size).toBe(sheets.length);
    const finance = await workbookOf(await roundXlsx("qijiang.finance", `?department=${departmentId}`));
    expect(finance.worksheets).toHaveLength(owners.length + 1);
    const unit = await workbookOf(await roundXlsx("qijiang.unit"));
    expect(unit.worksheets.slice(1).map((w) => w.getCell(3, ID_COLUMN).value)).toEqual([`owner=project:${projectId}`]);
    const { db } = await import("../../db/client.server");
    const { departments } = await import("../../db/schema");
    const other = db.select().from(departments).all().find((d) => d.id !== departmentId)!;
    expect((await roundXlsx("qijiang.dept", `?department=${other.id}`)).status).toBe(404);
    expect((await roundXlsx("qijiang.finance", "?department=abc")).status).toBe(404);
  });

  it("the print view renders the same form for the browser (A4), 404 outside the scope", async () => {
    const { loader } = await route("monitoring.$roundId.p.$ownerId_.print");
    const get = (who: string, id = projectId) => call(loader, makeRequest(`/monitoring/${roundId}/p/${id}/print`, { cookie: cookies[who] }), { roundId: String(roundId), ownerId: String(id) });
    const ok = await jsonOf(await get("qijiang.dept"));
    expect(ok.sheet.name).toBe("监控导入项目");
    expect(ok.sheet.indicators).toHaveLength(5);
    expect((await get("nanan.finance")).status).toBe(404);
    expect((await get("qijiang.unit", otherUnitProjectId)).status).toBe(404);
  });
});

describe("import", () => {
  let filled: Uint8Array;
  let firstPayload = "";

  it("round trip: export → fill in → preview → confirm; the entry holds the values and its lights", async () => {
    const wb = await workbookOf(await projectXlsx("qijiang.unit"));
    fill(wb.worksheets[0]);
    filled = await bytesOf(wb);
    const res = await upload("qijiang.unit", filled);
    expect(res.status).toBe(200);
    const preview = await jsonOf(res);
    expect(preview.stage).toBe("preview");
    expect(preview.items).toHaveLength(1);
    const item = preview.items[0];
    expect(item.outcome).toBe("save");
    expect(item.issues).toEqual([]);
    expect(item.lights).toMatchObject({ budget: "green", red: 1, green: 4 });
    expect(item.changes).toContain("截至本期执行数：（空） → 12.9");
    // Nothing is written by the preview.
    expect((await entry("qijiang.unit")).report).toBeNull();
    firstPayload = preview.payload;
    const result = await confirm("qijiang.unit", preview.payload);
    expect(result.saved.map((s: { name: string }) => s.name)).toEqual(["监控导入项目"]);
    const view = await entry("qijiang.unit");
    expect(view.report).toMatchObject({ status: "draft", budgetLight: "green", red: 1, green: 4, revision: 1 });
    expect(view.form.budgetExecuted).toBe("12.9");
    expect(view.form.rows[1]).toEqual({ actual: "400", projected: "700", likelihood: "完全不可能", reasons: ["经费保障", "其他"], reasonText: "标准上调", measures: "申请调整预算" });
  });

  it("re-importing the same workbook, or confirming the same preview again, writes nothing", async () => {
    const { db } = await import("../../db/client.server");
    const { auditEvents } = await import("../../db/schema");
    const audits = () => db.select().from(auditEvents).all().filter((e) => e.entity === "report").length;
    const before = audits();
    const again = await jsonOf(await upload("qijiang.unit", filled));
    expect(again.items[0].outcome).toBe("unchanged");
    expect(again.payload).toBeNull();
    // The re-exported, saved entry is unchanged too.
    const reexported = await bytesOf(await workbookOf(await projectXlsx("qijiang.unit")));
    expect((await jsonOf(await upload("qijiang.unit", reexported))).items[0].outcome).toBe("unchanged");
    // The first preview's confirmation, posted a second time (its revision is stale by now).
    const twice = await confirm("qijiang.unit", firstPayload);
    expect(twice.saved).toEqual([]);
    expect(twice.unchanged.map((u: { name: string }) => u.name)).toEqual(["监控导入项目"]);
    expect(audits()).toBe(before);
    expect((await entry("qijiang.unit")).report.revision).toBe(1);
  });

  it("errors are reported per sheet and row in Chinese; a sheet with errors is not saved", async () => {
    const wb = await workbookOf(await projectXlsx("qijiang.unit"));
    const ws = wb.worksheets[0];
    const rows = rowsById(ws);
    ws.getCell(rows[0], col("actual")).value = "二十";
    ws.getCell(rows[2], col("likelihood")).value = "大概能";
    ws.getCell("F6").value = "很多";
    const preview = await jsonOf(await upload("qijiang.unit", await bytesOf(wb)));
    const item = preview.items[0];
    expect(item.outcome).toBe("error");
    const messages = item.issues.map((i: { message: string }) => i.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        `工作表「${ws.name}」第 ${rows[2]} 行：指标「受益人群满意度」的完成目标可能性「大概能」无法识别，应为「确定能」「有可能」或「完全不可能」`,
        `工作表「${ws.name}」第 ${rows[0]} 行：指标「补助人数」的截至本期完成值「二十」不是数字（定量指标请填数字，单位为人）`,
        `工作表「${ws.name}」第 6 行：截至本期执行数「很多」应为不小于 0 的数字（万元，最多 4 位小数）`,
      ]),
    );
    expect(preview.payload).toBeNull();
  });

  it("another unit's project, another round, an unknown id in the hidden identifiers: error rows; another region's round: 404", async () => {
    const wb = await workbookOf(await projectXlsx("qijiang.unit"));
    const base = wb.worksheets[0];
    const copy = (name: string, tag: [number, string]) => {
      const ws = wb.addWorksheet(name);
      ws.model = { ...base.model, name } as ExcelJS.WorksheetModel;
      ws.getCell(tag[0], ID_COLUMN).value = tag[1];
    };
    copy("他单位", [3, `owner=project:${otherUnitProjectId}`]);
    copy("别的任务", [2, `round=${roundId + 1000}`]);
    copy("不存在", [3, "owner=project:999999"]);
    copy("重复", [1, "jixiao.monitoring/v1"]);
    const preview = await jsonOf(await upload("qijiang.unit", await bytesOf(wb)));
    const bySheet = Object.fromEntries(preview.items.map((i: { sheet: string }) => [i.sheet, i]));
    expect(bySheet["他单位"].outcome).toBe("error");
    expect(bySheet["他单位"].issues[0].message).toBe(`工作表「他单位」：未找到项目（系统编号 ${otherUnitProjectId}），或不在您的填报范围内`);
    expect(bySheet["别的任务"].issues[0].message).toMatch(/^工作表「别的任务」：此表属于另一轮监控任务/);
    expect(bySheet["不存在"].issues[0].message).toMatch(/未找到项目（系统编号 999999）/);
    expect(bySheet["重复"].issues[0].message).toMatch(/同一项目的监控表，只导入第一张/);
    expect((await upload("nanan.unit", await bytesOf(wb))).status).toBe(404);
    expect((await upload("nanan.finance", await bytesOf(wb))).status).toBe(404);
  });

  it("a tampered confirmation is re-checked: another unit's project is refused, nothing written", async () => {
    const view = await entry("qijiang.unit");
    const payload = JSON.stringify({
      file: "x.xlsx",
      candidates: [{ sheet: "x", ownerKind: "project", ownerId: otherUnitProjectId, tableId: view.table.id, revision: null, form: { ...view.form, budgetExecuted: "1" } }],
    });
    const result = await confirm("qijiang.unit", payload);
    expect(result.saved).toEqual([]);
    expect(result.failed[0].reason).toMatch(/未找到/);
    const { db } = await import("../../db/client.server");
    const { reports } = await import("../../db/schema");
    expect(db.select().from(reports).where(eq(reports.projectId, otherUnitProjectId)).get()).toBeUndefined();
    const bad = new FormData();
    bad.set("intent", "confirm");
    bad.set("payload", "{not json");
    expect((await importPost("qijiang.unit", bad)).status).toBe(400);
  });

  it("a department imports its round workbook: its 部门整体 sheet is saved, a changed project sheet is reported as the unit's to fill, unchanged ones are 无变化", async () => {
    const wb = await workbookOf(await roundXlsx("qijiang.dept"));
    const dept = wb.worksheets.find((w) => w.getCell(3, ID_COLUMN).value === `owner=department:${deptTargetId}`)!;
    const mine = wb.worksheets.find((w) => w.getCell(3, ID_COLUMN).value === `owner=project:${projectId}`)!;
    mine.getCell("F6").value = 13;
    dept.getCell("F6").value = 50;
    const rows = rowsById(dept);
    for (const [i, v] of [
      [0, { actual: 20, projected: 39, likelihood: "确定能" }],
      [1, { actual: 90, projected: 95, likelihood: "确定能" }],
    ] as const) {
      for (const [k, x] of Object.entries(v)) dept.getCell(rows[i], col(k)).value = x;
    }
    const preview = await jsonOf(await upload("qijiang.dept", await bytesOf(wb)));
    const outcomes = Object.fromEntries(preview.items.map((i: { sheet: string; outcome: string }) => [i.sheet, i.outcome]));
    expect(outcomes[dept.name]).toBe("save");
    const projectItem = preview.items.find((i: { name: string }) => i.name === "监控导入项目");
    expect(projectItem.outcome).toBe("error");
    expect(projectItem.issues[0].message).toMatch(/只有项目单位可以填报项目的监控表/);
    expect(preview.items.find((i: { name: string }) => i.name === "他单位导入项目").outcome).toBe("unchanged");
    const result = await confirm("qijiang.dept", preview.payload);
    expect(result.saved).toHaveLength(1);
    const view = await entry("qijiang.dept", deptTargetId, "d");
    expect(view.report).toMatchObject({ status: "draft", budgetLight: "green", green: 2 });
  });

  it("a submitted entry is locked against the import (its unchanged sheet is 无变化)", async () => {
    const view = await entry("qijiang.unit");
    const { action } = await route("monitoring.$roundId.p.$ownerId");
    const form: Record<string, string | string[]> = { intent: "submit", revision: String(view.report.revision), budgetAnnual: view.form.budgetAnnual, budgetExecuted: view.form.budgetExecuted };
    view.form.rows.forEach((r: Record<string, string | string[]>, i: number) => {
      for (const [k, v] of Object.entries(r)) form[`rows.${i}.${k}`] = v;
    });
    const submitted = await call(action, makeRequest(`/monitoring/${roundId}/p/${projectId}`, { cookie: cookies["qijiang.unit"], form }), { roundId: String(roundId), ownerId: String(projectId) });
    expect(submitted.status).toBe(302);
    const wb = await workbookOf(await projectXlsx("qijiang.unit"));
    expect((await jsonOf(await upload("qijiang.unit", await bytesOf(wb)))).items[0].outcome).toBe("unchanged");
    wb.worksheets[0].getCell("F6").value = 20;
    const preview = await jsonOf(await upload("qijiang.unit", await bytesOf(wb)));
    expect(preview.items[0].outcome).toBe("error");
    expect(preview.items[0].issues[0].message).toMatch(/已提交（待主管部门审核），已锁定，不能通过导入修改/);
  });

  it("a closed round refuses the import; a non-workbook upload is a 400 with a reason", async () => {
    const wb = await workbookOf(await roundXlsx("qijiang.dept"));
    wb.worksheets.find((w) => w.getCell(3, ID_COLUMN).value === `owner=department:${deptTargetId}`)!.getCell("F6").value = 60;
    const { action } = await route("monitoring.$roundId._index");
    expect((await call(action, makeRequest(`/monitoring/${roundId}`, { cookie: cookies["qijiang.finance"], form: { intent: "close" } }), { roundId: String(roundId) })).status).toBe(302);
    const preview = await jsonOf(await upload("qijiang.dept", await bytesOf(wb)));
    const dept = preview.items.find((i: { name: string }) => i.name?.endsWith("部门整体"));
    expect(dept.issues[0].message).toMatch(/本轮任务未开放或已关闭/);
    const notXlsx = await upload("qijiang.unit", new TextEncoder().encode("a,b,c"));
    expect(notXlsx.status).toBe(400);
    expect((await jsonOf(notXlsx)).error).toMatch(/不是 Excel 工作簿/);
  });
});
