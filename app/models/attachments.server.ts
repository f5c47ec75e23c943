// 佐证材料: files attached to a self-evaluation (report) as a whole or to one of its indicator
// rows, stored in the database (attachments.data) with their sha256. Only the filler (the unit
// for a project, the department for 部门整体) adds or removes them, while the report is
// editable and entry is open; anyone who may see the owner downloads them. Scope comes from
// the report's owner (getOwner), so another region's or unit's file is a 404. The type is
// decided by app/domain/attachment-types.ts. See docs/decisions/017-attachments.md.
import { createHash } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { db } from "../../db/client.server";
import { attachments, reports, users } from "../../db/schema";
import type { CurrentUser } from "../auth/types";
import {
  MAX_ATTACHMENT_TOTAL_BYTES,
  MAX_ATTACHMENT_TOTAL_MB,
  MAX_ATTACHMENTS_PER_REPORT,
  MAX_FILES_PER_UPLOAD,
  detectAttachmentType,
} from "../domain/attachment-types";
import { isReportEditable, type ReportState } from "../domain/report-workflow";
import { safeFileName } from "../utils/download";
import { recordAudit } from "./audit.server";
import { entryContext, getOwner, type EntryContext, type OwnerRef } from "./reports.server";
import type { Round } from "./rounds.server";

export type AttachmentItem = {
  id: number;
  position: number | null;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  createdAt: Date;
  uploaderName: string | null;
};

export type AttachmentResult = { ok: true; ids: number[] } | { ok: false; status: 400 | 403 | 404 | 409 | 413; reason: string };
type Refusal = Extract<AttachmentResult, { ok: false }>;

/** A report's files (never their bytes), 整体 first, then by indicator, oldest first. */
export function listAttachments(reportId: number | null): AttachmentItem[] {
  if (reportId === null) return [];
  return db
    .select({
      id: attachments.id,
      position: attachments.position,
      name: attachments.name,
      contentType: attachments.contentType,
      size: attachments.size,
      sha256: attachments.sha256,
      createdAt: attachments.createdAt,
      uploaderName: users.displayName,
    })
    .from(attachments)
    .leftJoin(users, eq(users.id, attachments.uploadedBy))
    .where(eq(attachments.reportId, reportId))
    .orderBy(sql`${attachments.position} is not null`, asc(attachments.position), asc(attachments.createdAt), asc(attachments.id))
    .all();
}

/**
 * Who may add or remove files now: the owner in scope (else 404), the filler (403), a saved
 * report (409: save the draft first), entry open and the report editable (409).
 */
export function guardAttachmentChange(user: CurrentUser, round: Round, ref: OwnerRef, now = new Date()): (EntryContext & { report: NonNullable<EntryContext["report"]> }) | Refusal {
  const ctx = entryContext(user, round, ref, now);
  if (!ctx) return { ok: false, status: 404, reason: "未找到" };
  if (!ctx.filler) return { ok: false, status: 403, reason: ref.kind === "project" ? "只有项目单位可以上传或删除佐证材料" : "只有主管部门可以上传或删除部门整体的佐证材料" };
  if (!ctx.report) return { ok: false, status: 409, reason: "请先点击“保存草稿”保存自评，再上传佐证材料" };
  if (!ctx.entryOpen) return { ok: false, status: 409, reason: "本轮任务未开放或已关闭，不能上传或删除佐证材料" };
  if (!isReportEditable(ctx.status)) return { ok: false, status: 409, reason: "已提交或已审核的自评不能再上传或删除佐证材料" };
  return ctx as EntryContext & { report: NonNullable<EntryContext["report"]> };
}

const EDITABLE: ReportState[] = ["draft", "returned"];

class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.reason);
  }
}

/**
 * Attaches files to the report of `ref` in `round` (position null: the evaluation as a whole;
 * else an indicator's position). All or nothing: one refused file refuses the upload, with
 * the reason in Chinese. Limits: per file, per report (count and total), per upload.
 */
export function uploadAttachments(
  user: CurrentUser,
  round: Round,
  ref: OwnerRef,
  input: { position: number | null; files: Array<{ name: string; bytes: Uint8Array }> },
  now = new Date(),
): AttachmentResult {
  const ctx = guardAttachmentChange(user, round, ref, now);
  if ("ok" in ctx) return ctx;
  if (input.position !== null && !ctx.inds.some((i) => i.position === input.position)) return { ok: false, status: 400, reason: "请选择佐证材料对应的指标（或“整体”）" };
  if (input.files.length === 0) return { ok: false, status: 400, reason: "请选择要上传的文件" };
  if (input.files.length > MAX_FILES_PER_UPLOAD) return { ok: false, status: 400, reason: `一次最多上传 ${MAX_FILES_PER_UPLOAD} 个文件` };

  const files: Array<{ name: string; contentType: string; size: number; sha256: string; data: Buffer }> = [];
  for (const f of input.files) {
    const name = safeFileName(f.name, 120);
    if (!name) return { ok: false, status: 400, reason: "文件名无效，请重命名后再上传" };
    const type = detectAttachmentType(name, f.bytes);
    if (!type.ok) return { ok: false, status: type.code === "too_large" ? 413 : 400, reason: type.message };
    files.push({ name, contentType: type.contentType, size: f.bytes.byteLength, sha256: createHash("sha256").update(f.bytes).digest("hex"), data: Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength) });
  }
  const reportId = ctx.report.id;
  try {
    // better-sqlite3 runs this synchronously: the counts below cannot change under us.
    return db.transaction((tx) => {
      const report = tx.select({ status: reports.status }).from(reports).where(and(eq(reports.id, reportId), inArray(reports.status, EDITABLE))).get();
      if (!report) throw new Refused({ ok: false, status: 409, reason: "已提交或已审核的自评不能再上传或删除佐证材料" });
      const existing = tx.select({ size: attachments.size, sha256: attachments.sha256, position: attachments.position, name: attachments.name }).from(attachments).where(eq(attachments.reportId, reportId)).all();
      if (existing.length + files.length > MAX_ATTACHMENTS_PER_REPORT) {
        throw new Refused({ ok: false, status: 400, reason: `每份自评最多上传 ${MAX_ATTACHMENTS_PER_REPORT} 个佐证材料（已有 ${existing.length} 个），请删除不需要的文件或合并后再上传` });
      }
      const total = existing.reduce((n, a) => n + a.size, 0) + files.reduce((n, f) => n + f.size, 0);
      if (total > MAX_ATTACHMENT_TOTAL_BYTES) {
        throw new Refused({ ok: false, status: 400, reason: `每份自评的佐证材料合计不能超过 ${MAX_ATTACHMENT_TOTAL_MB} MB，请删除不需要的文件或压缩后再上传` });
      }
      // The same file twice on the same row is a double submission (a reloaded no-JS form).
      for (const [i, f] of files.entries()) {
        const twin = existing.find((a) => a.sha256 === f.sha256 && a.position === input.position) ?? files.slice(0, i).find((g) => g.sha256 === f.sha256);
        if (twin) throw new Refused({ ok: false, status: 409, reason: `文件「${f.name}」与已上传的「${twin.name}」内容相同，无需重复上传` });
      }
      const ids: number[] = [];
      for (const f of files) {
        const row = tx
          .insert(attachments)
          .values({ regionId: user.regionId, reportId, position: input.position, ...f, uploadedBy: user.id, createdAt: now })
          .returning({ id: attachments.id })
          .get();
        ids.push(row.id);
        const { data: _, ...meta } = f;
        recordAudit(tx, { actor: user, entity: "attachment", entityId: row.id, action: "upload", after: { reportId, position: input.position, ...meta } });
      }
      return { ok: true as const, ids };
    });
  } catch (e) {
    if (e instanceof Refused) return e.refusal;
    throw e;
  }
}

/** Removes one file of the report (the filler, while editable); audited with what it was. */
export function deleteAttachment(user: CurrentUser, round: Round, ref: OwnerRef, attachmentId: number, now = new Date()): AttachmentResult {
  const ctx = guardAttachmentChange(user, round, ref, now);
  if ("ok" in ctx) return ctx;
  if (!Number.isSafeInteger(attachmentId)) return { ok: false, status: 404, reason: "未找到这个佐证材料" };
  const reportId = ctx.report.id;
  try {
    return db.transaction((tx) => {
      const report = tx.select({ status: reports.status }).from(reports).where(and(eq(reports.id, reportId), inArray(reports.status, EDITABLE))).get();
      if (!report) throw new Refused({ ok: false, status: 409, reason: "已提交或已审核的自评不能再上传或删除佐证材料" });
      const a = tx
        .select({ id: attachments.id, position: attachments.position, name: attachments.name, contentType: attachments.contentType, size: attachments.size, sha256: attachments.sha256 })
        .from(attachments)
        .where(and(eq(attachments.id, attachmentId), eq(attachments.reportId, reportId)))
        .get();
      if (!a) throw new Refused({ ok: false, status: 404, reason: "未找到这个佐证材料（可能已被删除）" });
      tx.delete(attachments).where(eq(attachments.id, a.id)).run();
      recordAudit(tx, { actor: user, entity: "attachment", entityId: a.id, action: "delete", before: { reportId, ...a } });
      return { ok: true as const, ids: [a.id] };
    });
  } catch (e) {
    if (e instanceof Refused) return e.refusal;
    throw e;
  }
}

/** The file with its bytes when the user may see its report's owner; null (→ 404) otherwise. */
export function getAttachmentForDownload(user: CurrentUser, attachmentId: number) {
  if (!Number.isSafeInteger(attachmentId)) return null;
  const row = db
    .select({ a: attachments, projectId: reports.projectId, departmentTargetId: reports.departmentTargetId })
    .from(attachments)
    .innerJoin(reports, eq(reports.id, attachments.reportId))
    .where(and(eq(attachments.id, attachmentId), eq(attachments.regionId, user.regionId)))
    .get();
  if (!row) return null;
  const ref: OwnerRef | null = row.projectId !== null ? { kind: "project", id: row.projectId } : row.departmentTargetId !== null ? { kind: "department", id: row.departmentTargetId } : null;
  if (!ref || !getOwner(user, ref)) return null;
  const { a } = row;
  return { id: a.id, name: a.name, contentType: a.contentType, size: a.size, sha256: a.sha256, data: a.data };
}
