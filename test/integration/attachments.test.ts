// 佐证材料 of a self-evaluation through the real loaders and actions, with multipart bodies
// built from FormData/Blob: upload and list, download with its headers, the refusals (too
// large, a forbidden or disguised type, limits, a duplicate, before the draft is saved, after
// submission, wrong role), scope (another unit, another region → 404) and the audit trail.
import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { BASE, call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { departmentTable, indicator, validProjectTable } from "../helpers/tables";

const cookies: Record<string, string> = {};
let projectId = 0;
let otherProjectId = 0;
let roundId = 0;

const route = (path: string) => import(`../../app/routes/${path}`);
const enc = (s: string) => new TextEncoder().encode(s);
const PDF = enc("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3]);
const EXE = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff]);
const SVG = enc('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

type Part = { name: string; bytes: Uint8Array; type?: string };

function multipart(path: string, who: string, fields: Record<string, string>, files: Part[] = []): Request {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  for (const f of files) fd.append("file", new Blob([f.bytes as Uint8Array<ArrayBuffer>], { type: f.type ?? "application/octet-stream" }), f.name);
  return new Request(BASE + path, { method: "POST", headers: { Cookie: cookies[who] }, body: fd });
}

const attachPath = (kind = "p", id = projectId) => `/evaluations/${roundId}/${kind}/${id}/attachments`;
const params = (kind = "p", id = projectId) => ({ roundId: String(roundId), kind, ownerId: String(id) });

async function upload(who: string, files: Part[], position = "", id = projectId) {
  const { action } = await route("evaluations.$roundId.$kind.$ownerId.attachments");
  return call(action, multipart(attachPath("p", id), who, { intent: "upload", position }, files), params("p", id));
}
async function remove(who: string, attachmentId: number, id = projectId) {
  const { action } = await route("evaluations.$roundId.$kind.$ownerId.attachments");
  return call(action, makeRequest(attachPath("p", id), { cookie: cookies[who], form: { intent: "delete", attachmentId: String(attachmentId) } }), params("p", id));
}
async function download(who: string, attachmentId: number | string) {
  const { loader } = await route("attachments.$attachmentId");
  return call(loader, makeRequest(`/attachments/${attachmentId}`, { cookie: cookies[who] }), { attachmentId: String(attachmentId) });
}
async function entry(who: string, id = projectId) {
  const { loader } = await route("evaluations.$roundId.p.$ownerId");
  return jsonOf(await call(loader, makeRequest(`/evaluations/${roundId}/p/${id}`, { cookie: cookies[who] }), { roundId: String(roundId), ownerId: String(id) }));
}
async function saveEntry(who: string, form: Record<string, string>, id = projectId) {
  const { action } = await route("evaluations.$roundId.p.$ownerId");
  return call(action, makeRequest(`/evaluations/${roundId}/p/${id}`, { cookie: cookies[who], form }), { roundId: String(roundId), ownerId: String(id) });
}
const draft = (revision: string) => ({ intent: "save", revision, budgetAnnual: "25.65", budgetExecuted: "25.65", summary: "", "rows.0.actual": "40", "rows.1.actual": "95" });

async function auditOf(action: string) {
  const { db } = await import("../../db/client.server");
  const { auditEvents } = await import("../../db/schema");
  return db.select().from(auditEvents).where(and(eq(auditEvents.entity, "attachment"), eq(auditEvents.action, action))).all();
}

beforeAll(async () => {
  await setupDatabase();
  const { db } = await import("../../db/client.server");
  const { regions, units, users } = await import("../../db/schema");
  const { commitImport } = await import("../../app/models/import.server");
  const qijiang = db.select().from(regions).where(eq(regions.slug, "qijiang")).get()!;
  const actor = { id: null, regionId: qijiang.id };
  const inds = [indicator({ name: "补助人数", weight: 45, operator: "≥", target: "40", unit: "人", core: true }), indicator({ level1: "满意度指标", level2: "服务对象满意度指标", name: "满意度", weight: 45, operator: "≥", target: "90", unit: "%", core: true })];
  projectId = commitImport(actor, { year: 2026, mode: "approved", tables: [validProjectTable({ name: "佐证测试项目", code: "ATT-1", indicators: inds })] }).created[0].id;
  const first = db.select().from(units).where(eq(units.regionId, qijiang.id)).get()!;
  const second = db.insert(units).values({ regionId: qijiang.id, departmentId: first.departmentId, code: "206098", name: "佐证测试第二单位" }).returning().get();
  otherProjectId = commitImport(actor, {
    year: 2026,
    mode: "approved",
    tables: [validProjectTable({ name: "他单位佐证项目", code: "ATT-2", indicators: inds, unit: { code: second.code, name: second.name } })],
  }).created[0].id;
  const demo = db.select().from(users).where(eq(users.username, "qijiang.unit")).get()!;
  db.insert(users).values({ regionId: qijiang.id, username: "qijiang.unit2", displayName: "第二单位", role: "unit", departmentId: first.departmentId, unitId: second.id, passwordHash: demo.passwordHash }).run();
  for (const u of ["qijiang.unit", "qijiang.unit2", "qijiang.dept", "qijiang.finance", "nanan.finance", "nanan.unit"]) cookies[u] = await login(u);
  const { action } = await route("evaluations._index");
  const opened = await call(action, makeRequest("/evaluations", { cookie: cookies["qijiang.finance"], form: { year: "2026", opensOn: "2026-01-01", dueOn: "2099-03-31" } }));
  roundId = Number(opened.headers.get("Location")!.split("/").pop());
});

describe("before the draft is saved", () => {
  it("asks to 保存草稿 first, and shows no upload form", async () => {
    const res = await upload("qijiang.unit", [{ name: "报告.pdf", bytes: PDF }]);
    expect(res.status).toBe(409);
    expect((await jsonOf(res)).reason).toBe("请先点击“保存草稿”保存自评，再上传佐证材料");
    const view = await entry("qijiang.unit");
    expect(view.report).toBeNull();
    expect(view.attachments).toEqual([]);
    expect((await saveEntry("qijiang.unit", draft(""))).status).toBe(302);
    expect((await saveEntry("qijiang.unit2", draft(""), otherProjectId)).status).toBe(302);
  });
});

describe("upload and download", () => {
  let pdfId = 0;
  it("uploads to the whole evaluation and to an indicator; both are listed", async () => {
    const res = await upload("qijiang.unit", [{ name: "年度绩效自评报告.pdf", bytes: PDF, type: "text/html" }]);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/evaluations/${roundId}/p/${projectId}?saved=attach#attachments`);
    expect((await upload("qijiang.unit", [{ name: "现场照片.png", bytes: PNG }], "1")).status).toBe(302);
    const list = (await entry("qijiang.unit")).attachments;
    expect(list.map((a: { name: string; position: number | null; contentType: string; size: number }) => [a.name, a.position, a.contentType, a.size])).toEqual([
      ["年度绩效自评报告.pdf", null, "application/pdf", PDF.length],
      ["现场照片.png", 1, "image/png", PNG.length],
    ]);
    const { createHash } = await import("node:crypto");
    expect(list[0].sha256).toBe(createHash("sha256").update(PDF).digest("hex"));
    expect(list[0]).not.toHaveProperty("data");
    pdfId = list[0].id;
    // The page of its own (where a no-JS refusal shows) lists the same.
    const { loader } = await route("evaluations.$roundId.$kind.$ownerId.attachments");
    const page = await jsonOf(await call(loader, makeRequest(attachPath(), { cookie: cookies["qijiang.unit"] }), params()));
    expect(page.attachments.map((a: { id: number }) => a.id)).toEqual(list.map((a: { id: number }) => a.id));
    expect(page.canEdit).toBe(true);
    const [audit] = await auditOf("upload");
    expect(JSON.parse(audit.after!)).toMatchObject({ name: "年度绩效自评报告.pdf", position: null, contentType: "application/pdf", size: PDF.length });
  });
  it("several files at once are one upload", async () => {
    const res = await upload("qijiang.unit", [
      { name: "说明.txt", bytes: enc("佐证说明：全年补助 40 人。\n") },
      { name: "台账.csv", bytes: enc("姓名,金额\n张三,100\n") },
    ]);
    expect(res.status).toBe(302);
    const list = (await entry("qijiang.unit")).attachments;
    expect(list.map((a: { name: string; contentType: string }) => [a.name, a.contentType]).slice(1, 3)).toEqual([
      ["说明.txt", "text/plain; charset=utf-8"],
      ["台账.csv", "text/csv; charset=utf-8"],
    ]);
  });
  it("an .xlsx made by Excel's library is accepted as a workbook", async () => {
    const ExcelJS = (await import("exceljs")).default;
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("台账").addRow(["项目", "金额"]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    expect((await upload("qijiang.unit", [{ name: "台账.xlsx", bytes }], "0")).status).toBe(302);
    const list = (await entry("qijiang.unit")).attachments;
    expect(list.find((a: { name: string }) => a.name === "台账.xlsx")).toMatchObject({ position: 0, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" });
  });
  it("downloads the bytes as an attachment, never inline, for everyone who may see the project", async () => {
    for (const who of ["qijiang.unit", "qijiang.dept", "qijiang.finance"]) {
      const res = await download(who, pdfId);
      expect(res.status).toBe(200);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(PDF);
      expect(res.headers.get("Content-Type")).toBe("application/pdf");
      expect(res.headers.get("Content-Disposition")).toBe(
        `attachment; filename="attachment-${pdfId}.pdf"; filename*=UTF-8''${encodeURIComponent("年度绩效自评报告.pdf")}`,
      );
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(res.headers.get("Content-Security-Policy")).toMatch(/^sandbox/);
      expect(res.headers.get("Content-Length")).toBe(String(PDF.length));
    }
  });
  it("another unit, another region, and ids that do not exist are 404", async () => {
    expect((await download("qijiang.unit2", pdfId)).status).toBe(404);
    expect((await download("nanan.finance", pdfId)).status).toBe(404);
    expect((await download("nanan.unit", pdfId)).status).toBe(404);
    expect((await download("qijiang.unit", 999999)).status).toBe(404);
    expect((await download("qijiang.unit", "1e3")).status).toBe(404);
    // The other unit's file is just as invisible to this unit.
    expect((await upload("qijiang.unit2", [{ name: "他单位.pdf", bytes: PDF }], "", otherProjectId)).status).toBe(302);
    const theirs = (await entry("qijiang.unit2", otherProjectId)).attachments[0].id;
    expect((await download("qijiang.unit2", theirs)).status).toBe(200);
    expect((await download("qijiang.unit", theirs)).status).toBe(404);
    // Nor can it be deleted through this unit's own evaluation.
    expect((await remove("qijiang.unit", theirs)).status).toBe(404);
    expect((await download("qijiang.unit2", theirs)).status).toBe(200);
  });
  it("uploading to another unit's or region's evaluation is 404; a reviewer may not upload (403)", async () => {
    expect((await upload("qijiang.unit", [{ name: "a.pdf", bytes: PDF }], "", otherProjectId)).status).toBe(404);
    expect((await upload("nanan.unit", [{ name: "a.pdf", bytes: PDF }])).status).toBe(404);
    expect((await upload("nanan.finance", [{ name: "a.pdf", bytes: PDF }])).status).toBe(404);
    const res = await upload("qijiang.dept", [{ name: "a.pdf", bytes: PDF }]);
    expect(res.status).toBe(403);
    expect((await jsonOf(res)).reason).toBe("只有项目单位可以上传或删除佐证材料");
    const { loader } = await route("evaluations.$roundId.$kind.$ownerId.attachments");
    expect((await call(loader, makeRequest(attachPath("p", otherProjectId), { cookie: cookies["qijiang.unit"] }), params("p", otherProjectId))).status).toBe(404);
    expect((await call(loader, makeRequest(attachPath("x"), { cookie: cookies["qijiang.unit"] }), params("x"))).status).toBe(404);
  });
});

describe("refusals", () => {
  const count = async () => (await entry("qijiang.unit")).attachments.length;
  it("a file over the limit is refused with the limit in Chinese", async () => {
    const { MAX_ATTACHMENT_BYTES } = await import("../../app/domain/attachment-types");
    const before = await count();
    const big = new Uint8Array(MAX_ATTACHMENT_BYTES + 1);
    big.set(PDF);
    const res = await upload("qijiang.unit", [{ name: "扫描件.pdf", bytes: big }], "1");
    expect(res.status).toBe(413);
    const body = await jsonOf(res);
    expect(body.reason).toBe("上传的文件过大：每个佐证材料不能超过 10 MB，请压缩或拆分后再上传");
    expect(body.values.position).toBe("1");
    expect(await count()).toBe(before);
  });
  it("a file at the limit is accepted", async () => {
    const { MAX_ATTACHMENT_BYTES } = await import("../../app/domain/attachment-types");
    const exact = new Uint8Array(MAX_ATTACHMENT_BYTES);
    exact.set(PDF);
    expect((await upload("qijiang.unit", [{ name: "扫描件.pdf", bytes: exact }])).status).toBe(302);
  });
  it("refuses an .exe renamed .pdf, an SVG (under any name), HTML as text, and other types", async () => {
    const before = await count();
    const refused = async (name: string, bytes: Uint8Array, type?: string) => {
      const res = await upload("qijiang.unit", [{ name, bytes, type }]);
      expect(res.status, name).toBe(400);
      return (await jsonOf(res)).reason as string;
    };
    expect(await refused("报告.pdf", EXE, "application/pdf")).toBe("文件「报告.pdf」的内容不是PDF，与扩展名 .pdf 不符（或文件已损坏），不能上传");
    expect(await refused("图.svg", SVG, "image/svg+xml")).toBe("文件「图.svg」是网页或 SVG 等标记文件，可能含有脚本，不能作为佐证材料上传；请另存为 PDF 或 PNG 图片后再上传");
    expect(await refused("图.png", SVG, "image/png")).toMatch(/SVG 等标记文件/);
    expect(await refused("页面.txt", enc("<!DOCTYPE html><html><script>alert(1)</script></html>"))).toMatch(/可能含有脚本/);
    expect(await refused("页面.html", enc("hello"))).toMatch(/可能含有脚本/);
    expect(await refused("setup.exe", EXE)).toMatch(/^文件「setup.exe」的类型不允许上传：佐证材料只能是 PDF/);
    expect(await refused("无扩展名", PDF)).toMatch(/类型不允许上传/);
    expect(await refused("照片.jpg", PNG)).toBe("文件「照片.jpg」的内容不是JPEG 图片，与扩展名 .jpg 不符（或文件已损坏），不能上传");
    expect(await refused("数据.txt", EXE)).toMatch(/不是可读的文本文件/);
    // A zip that is not a Word document, and a legacy-Office header without a Word stream.
    expect(await refused("文档.docx", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toMatch(/不是Word 文档/);
    expect(await refused("文档.doc", new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(1024).fill(0)]))).toMatch(/不是Word 文档/);
    expect(await refused("空.pdf", new Uint8Array(0))).toBe("文件「空.pdf」是空文件，不能上传");
    // One refused file refuses the whole upload.
    const res = await upload("qijiang.unit", [
      { name: "好.pdf", bytes: enc("%PDF-1.4 good") },
      { name: "坏.pdf", bytes: EXE },
    ]);
    expect(res.status).toBe(400);
    expect(await count()).toBe(before);
  });
  it("no file, an unknown row, a duplicate", async () => {
    const none = await call(
      (await route("evaluations.$roundId.$kind.$ownerId.attachments")).action,
      multipart(attachPath(), "qijiang.unit", { intent: "upload", position: "" }),
      params(),
    );
    expect(none.status).toBe(400);
    expect((await jsonOf(none)).reason).toBe("请选择要上传的文件");
    expect((await upload("qijiang.unit", [{ name: "a.pdf", bytes: enc("%PDF-1.4 a") }], "7")).status).toBe(400);
    expect((await upload("qijiang.unit", [{ name: "a.pdf", bytes: enc("%PDF-1.4 a") }], "x")).status).toBe(400);
    const dup = await upload("qijiang.unit", [{ name: "副本.pdf", bytes: PDF }]);
    expect(dup.status).toBe(409);
    expect((await jsonOf(dup)).reason).toBe("文件「副本.pdf」与已上传的「年度绩效自评报告.pdf」内容相同，无需重复上传");
  });
  it("at most 50 files and 100 MB per evaluation", async () => {
    const { db } = await import("../../db/client.server");
    const { attachments, reports } = await import("../../db/schema");
    const { MAX_ATTACHMENTS_PER_REPORT, MAX_ATTACHMENT_TOTAL_BYTES } = await import("../../app/domain/attachment-types");
    const report = db.select().from(reports).where(eq(reports.projectId, otherProjectId)).get()!;
    const have = db.select().from(attachments).where(eq(attachments.reportId, report.id)).all().length;
    const batch = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ name: `第${from + i}号.txt`, bytes: enc(`佐证 ${from + i}`) }));
    for (let k = have; k < MAX_ATTACHMENTS_PER_REPORT; k += 10) {
      expect((await upload("qijiang.unit2", batch(k, Math.min(10, MAX_ATTACHMENTS_PER_REPORT - k)), "", otherProjectId)).status).toBe(302);
    }
    const tooMany = await upload("qijiang.unit2", batch(100, 1), "", otherProjectId);
    expect(tooMany.status).toBe(400);
    expect((await jsonOf(tooMany)).reason).toBe("每份自评最多上传 50 个佐证材料（已有 50 个），请删除不需要的文件或合并后再上传");
    // The total counts the stored sizes: one stored file standing for nearly all of it.
    const first = db.select().from(attachments).where(eq(attachments.reportId, report.id)).get()!;
    db.update(attachments).set({ size: MAX_ATTACHMENT_TOTAL_BYTES - 10 }).where(eq(attachments.id, first.id)).run();
    expect((await remove("qijiang.unit2", db.select().from(attachments).where(eq(attachments.reportId, report.id)).all()[1].id, otherProjectId)).status).toBe(302);
    const over = await upload("qijiang.unit2", [{ name: "小.txt", bytes: enc("十一个字节以上的内容") }], "", otherProjectId);
    expect(over.status).toBe(400);
    expect((await jsonOf(over)).reason).toBe("每份自评的佐证材料合计不能超过 100 MB，请删除不需要的文件或压缩后再上传");
  });
});

describe("deletion and the locked evaluation", () => {
  it("the filler deletes a file; the deletion is audited with what it was", async () => {
    const list = (await entry("qijiang.unit")).attachments;
    const png = list.find((a: { name: string }) => a.name === "现场照片.png");
    expect((await remove("qijiang.dept", png.id)).status).toBe(403);
    const res = await remove("qijiang.unit", png.id);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/evaluations/${roundId}/p/${projectId}?saved=attach-delete#attachments`);
    expect((await entry("qijiang.unit")).attachments.map((a: { id: number }) => a.id)).not.toContain(png.id);
    expect((await download("qijiang.unit", png.id)).status).toBe(404);
    const deleted = (await auditOf("delete")).find((e) => e.entityId === png.id)!;
    expect(JSON.parse(deleted.before!)).toMatchObject({ name: "现场照片.png", position: 1, size: PNG.length, sha256: png.sha256 });
    expect((await remove("qijiang.unit", png.id)).status).toBe(404);
  });
  it("after 提交自评 nothing is added or removed (409), and downloads go on", async () => {
    const view = await entry("qijiang.unit");
    const submit = { ...draft(String(view.report.revision)), intent: "submit", "rows.0.actual": "40", "rows.1.actual": "95", summary: "完成" };
    expect((await saveEntry("qijiang.unit", submit)).status).toBe(302);
    const res = await upload("qijiang.unit", [{ name: "补充.pdf", bytes: enc("%PDF-1.4 late") }]);
    expect(res.status).toBe(409);
    expect((await jsonOf(res)).reason).toBe("已提交或已审核的自评不能再上传或删除佐证材料");
    const pdf = (await entry("qijiang.unit")).attachments[0];
    expect((await remove("qijiang.unit", pdf.id)).status).toBe(409);
    expect((await download("qijiang.dept", pdf.id)).status).toBe(200);
    expect((await entry("qijiang.unit")).canEdit).toBe(false);
  });
});

describe("部门整体", () => {
  it("the department attaches to its own evaluation; a unit neither uploads nor downloads (404)", async () => {
    const { db } = await import("../../db/client.server");
    const { regions } = await import("../../db/schema");
    const { commitImport } = await import("../../app/models/import.server");
    const qijiang = db.select().from(regions).where(eq(regions.slug, "qijiang")).get()!;
    const table = departmentTable([indicator({ name: "服务企业数", weight: 90, core: null, target: "10", unit: "家" })]);
    const id = commitImport({ id: null, regionId: qijiang.id }, { year: 2026, mode: "approved", tables: [table] }).created[0].id;
    const { action } = await route("evaluations.$roundId.d.$ownerId");
    const save = { intent: "save", revision: "", budgetAnnual: "200", budgetExecuted: "", summary: "", "rows.0.actual": "" };
    expect((await call(action, makeRequest(`/evaluations/${roundId}/d/${id}`, { cookie: cookies["qijiang.dept"], form: save }), { roundId: String(roundId), ownerId: String(id) })).status).toBe(302);
    const attach = (await route("evaluations.$roundId.$kind.$ownerId.attachments")).action;
    const post = (who: string) => call(attach, multipart(attachPath("d", id), who, { intent: "upload", position: "0" }, [{ name: "部门报告.pdf", bytes: enc("%PDF-1.5 dept") }]), params("d", id));
    expect((await post("qijiang.unit")).status).toBe(404);
    const finance = await post("qijiang.finance");
    expect(finance.status).toBe(403);
    expect((await jsonOf(finance)).reason).toBe("只有主管部门可以上传或删除部门整体的佐证材料");
    expect((await post("qijiang.dept")).status).toBe(302);
    const { reports, attachments } = await import("../../db/schema");
    const report = db.select().from(reports).where(eq(reports.departmentTargetId, id)).get()!;
    const file = db.select({ id: attachments.id, position: attachments.position }).from(attachments).where(eq(attachments.reportId, report.id)).get()!;
    expect(file.position).toBe(0);
    expect((await download("qijiang.finance", file.id)).status).toBe(200);
    expect((await download("qijiang.dept", file.id)).status).toBe(200);
    expect((await download("qijiang.unit", file.id)).status).toBe(404);
    expect((await download("nanan.finance", file.id)).status).toBe(404);
  });
});
