// 绩效公开 (issue 14): publishing a department's approved 绩效目标表 of a year — the
// 部门整体绩效目标表 and every 项目绩效目标表 whose version in force is approved — as a Word
// file in the published layout (app/io/docx), recorded with the version and approval date
// of each table, who and when, audited, and downloadable again later. A publication is never
// changed: publishing again (after an adjustment) adds a new one.
//
// Finance publishes any department of its region (or all of them, one file each); a
// department user only its own. The public page (routes/public.*) reads only what this
// module returns for a region that switched it on: published snapshots, no drafts, no
// reviews, no user names. docs/decisions/021-publication.md.
import { createHash } from "node:crypto";
import { and, asc, count, desc, eq, inArray, max, ne, sql } from "drizzle-orm";
import { zipSync } from "fflate";
import { db } from "../../db/client.server";
import { departments, departmentTargets, projects, publications, regions, reviews, rounds, targetTables, type PublicationKind } from "../../db/schema";
import type { CurrentUser } from "../auth/types";
import { exchangeTableSchema, type ExchangeTable } from "../domain/schemas";
import { evaluationLayout, publicSheet, type PublicSheet } from "../io/docx/evaluation";
import { publishedName, tableLayout, type TableLayout } from "../io/docx";
import { DocxGenerationError, layoutsToDocxOffThread } from "../io/docx/worker.server";
import { KIND_LABELS } from "../io/docx/layout";
import { TooManyEvaluationsError } from "../io/xlsx/evaluation-export";
import { roundEvaluationSheets } from "./evaluation-export.server";
import { findReport } from "./reports.server";
import { safeFileName } from "../utils/download";
import { recordAudit } from "./audit.server";
import { getScopeExport } from "./export.server";
import { departmentScope, departmentTargetScope, projectScope } from "./scope.server";

/** Tables in one publication at most (one Word file; its XML stays within what the importer reads back). */
export const MAX_PUBLICATION_TABLES = 500;
/** Files in one region-year zip at most. */
export const MAX_ZIP_FILES = 500;

export const DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

export { KIND_LABELS };

export class PublicationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PublicationError";
  }
}

/** One table of a publication, as recorded. */
export interface PublishedTable {
  kind: ExchangeTable["kind"];
  /** Project id or department-target id. */
  ownerId: number;
  /** The target_tables row (the approved version) and its number. */
  tableId: number;
  version: number;
  /** When that version was approved (ms). */
  approvedAt: number;
  name: string;
  /** Targets: the exchange JSON that was published. */
  table?: ExchangeTable;
  /** Results: the 自评表 that was published (final scores, no reviewer). */
  sheet?: PublicSheet;
}

/**
 * Who publishes: a signed-in user, or `jixiao publish` (docs/cli.md), which has finance's
 * scope of one region and is no user: its publications have no creator, their audit events
 * no actor and `via: "命令行"` (docs/decisions/024-publish-command.md). Its `id` is never
 * written anywhere.
 */
export type Publisher = CurrentUser & { commandLine?: true };

export const COMMAND_LINE = "命令行";

/** The command line's publisher for the region of `slug`, or null when there is none. */
export function commandLinePublisher(slug: string): Publisher | null {
  const r = db.select().from(regions).where(eq(regions.slug, slug)).get();
  if (!r) return null;
  return {
    id: 0,
    username: COMMAND_LINE,
    displayName: COMMAND_LINE,
    role: "finance",
    regionId: r.id,
    regionName: r.name,
    regionSlug: r.slug,
    currentYear: r.currentYear,
    skipDepartmentReview: r.skipDepartmentReview,
    departmentId: null,
    unitId: null,
    commandLine: true,
  };
}

/** A department of the publisher's region by its code (the command line's --department), or null. */
export function departmentByCode(user: Publisher, code: string): { id: number; code: string; name: string } | null {
  return (
    db
      .select({ id: departments.id, code: departments.code, name: departments.name })
      .from(departments)
      .where(and(eq(departments.code, code), departmentScope(user)))
      .get() ?? null
  );
}

/** The years of the region that have 绩效目标表 (targets) or a 自评任务 (results), newest first. */
export function yearsWithData(user: Publisher, kind: PublicationKind): number[] {
  const years =
    kind === "results"
      ? db.selectDistinct({ year: rounds.year }).from(rounds).where(and(eq(rounds.regionId, user.regionId), eq(rounds.kind, "evaluation"))).all()
      : [
          ...db.selectDistinct({ year: projects.year }).from(projects).where(projectScope(user)).all(),
          ...db.selectDistinct({ year: departmentTargets.year }).from(departmentTargets).where(departmentTargetScope(user)).all(),
        ];
  return [...new Set(years.map((y) => y.year))].sort((x, y) => y - x);
}

export function canPublish(user: CurrentUser): boolean {
  return user.role === "finance" || (user.role === "department" && user.departmentId != null);
}

// ---------------------------------------------------------------------------------------
// Publishing

/**
 * The approval date of each table version: its latest review into `approved` from another
 * state. 申请调整 is recorded as a review from approved to approved on the version in force
 * (app/domain/workflow.ts): it approves nothing, so it never moves the date.
 */
function approvalDates(tableIds: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 0; i < tableIds.length; i += 500) {
    const rows = db
      .select({ tableId: reviews.tableId, at: max(reviews.createdAt) })
      .from(reviews)
      .where(and(inArray(reviews.tableId, tableIds.slice(i, i + 500)), eq(reviews.toStatus, "approved"), ne(reviews.fromStatus, "approved")))
      .groupBy(reviews.tableId)
      .all();
    for (const r of rows) if (r.at != null) out.set(r.tableId, r.at instanceof Date ? r.at.getTime() : Number(r.at));
  }
  // A version approved without a review row (none should be): its last change.
  const missing = tableIds.filter((id) => !out.has(id));
  if (missing.length) {
    for (const r of db.select({ id: targetTables.id, at: targetTables.updatedAt }).from(targetTables).where(inArray(targetTables.id, missing)).all()) {
      out.set(r.id, r.at.getTime());
    }
  }
  return out;
}

function day(ms: number): string {
  return new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 10); // Asia/Shanghai
}

/** The approved tables of a department and year that `user` may publish, or a PublicationError. */
export function publishableTables(user: CurrentUser, input: { year: number; departmentId: number }) {
  if (!canPublish(user)) throw new PublicationError("您的角色不能发布绩效目标");
  const scope = getScopeExport(user, { year: input.year, departmentId: input.departmentId });
  if (!scope || !scope.department) return null;
  // Only the version in force, and only once it is approved (an adjustment under way keeps
  // the approved version in force until the new one is approved).
  const approved = scope.tables.filter((t) => t.status === "approved" && t.tableId != null && t.version != null);
  return { department: scope.department, tables: approved };
}

export type PublicationSummary = {
  id: number;
  year: number;
  kind: PublicationKind;
  department: { id: number; code: string; name: string };
  tableCount: number;
  fileName: string;
  size: number;
  createdAt: number;
};

/**
 * Publishes the approved tables of one department and year: generates the Word file, records
 * it with each table's version and approval date, audits it. Returns null when the
 * department is not the user's to publish (the route's 404); throws PublicationError (Chinese)
 * when there is nothing approved or too much.
 */
export async function publishDepartment(user: Publisher, input: { year: number; departmentId: number }): Promise<PublicationSummary | null> {
  const found = publishableTables(user, input);
  if (!found) return null;
  const { department, tables } = found;
  if (tables.length === 0) throw new PublicationError(`${department.name}${input.year}年没有已批复的绩效目标表，无法发布`);
  if (tables.length > MAX_PUBLICATION_TABLES) {
    throw new PublicationError(`${department.name}${input.year}年有 ${tables.length} 张已批复的表，一次最多发布 ${MAX_PUBLICATION_TABLES} 张`);
  }
  const approvedAt = approvalDates(tables.map((t) => t.tableId!));
  const published: PublishedTable[] = tables.map((t) => ({
    kind: t.kind,
    ownerId: t.id,
    tableId: t.tableId!,
    version: t.version!,
    approvedAt: approvedAt.get(t.tableId!)!,
    name: publishedName(t.table),
    table: t.table,
  }));
  const projects = published.filter((t) => t.kind === "project").length;
  return record(user, {
    year: input.year,
    department,
    kind: "targets",
    heading: `${department.name}${input.year}年绩效目标公开`,
    summary: `部门整体绩效目标 ${published.length - projects} 张，项目绩效目标 ${projects} 张`,
    published,
    layouts: published.map((t) => tableLayout(t.table!)),
  });
}

/** Generates the Word file and records the publication with its audit event, in one transaction. */
async function record(
  user: Publisher,
  p: {
    year: number;
    department: { id: number; code: string; name: string };
    kind: PublicationKind;
    heading: string;
    summary: string;
    published: PublishedTable[];
    layouts: TableLayout[];
  },
): Promise<PublicationSummary> {
  const now = Date.now();
  let bytes: Uint8Array;
  try {
    bytes = await layoutsToDocxOffThread(p.layouts, { heading: p.heading, notes: [`共 ${p.published.length} 张表：${p.summary}`, `发布日期：${day(now)}`] });
  } catch (e) {
    if (e instanceof DocxGenerationError) throw new PublicationError(e.message);
    throw e;
  }
  const actorId = user.commandLine ? null : user.id;
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fileName = safeFileName(`${p.heading}.docx`);
  const sha256 = createHash("sha256").update(data).digest("hex");
  const row = db.transaction((tx) => {
    const inserted = tx
      .insert(publications)
      .values({
        regionId: user.regionId,
        year: p.year,
        departmentId: p.department.id,
        kind: p.kind,
        tables: JSON.stringify(p.published),
        tableCount: p.published.length,
        fileName,
        size: data.byteLength,
        sha256,
        data,
        createdBy: actorId,
        createdAt: new Date(now),
      })
      .returning({ id: publications.id })
      .get();
    recordAudit(tx, {
      actor: { id: actorId, regionId: user.regionId },
      entity: "publication",
      entityId: inserted.id,
      action: "publish",
      after: {
        year: p.year,
        departmentId: p.department.id,
        kind: p.kind,
        tables: p.published.map((t) => ({ kind: t.kind, ownerId: t.ownerId, tableId: t.tableId, version: t.version, approvedAt: t.approvedAt })),
        size: data.byteLength,
        sha256,
        ...(user.commandLine ? { via: COMMAND_LINE } : {}),
      },
    });
    return inserted;
  });
  return { id: row.id, year: p.year, kind: p.kind, department: p.department, tableCount: p.published.length, fileName, size: data.byteLength, createdAt: now };
}

/**
 * Publishes the approved 绩效自评 of one department and year (部门决算公开): the 自评表 of every
 * approved evaluation of the year's 自评任务, final scores with finance's adjustments, without
 * who reviewed. Null when the department is not the user's; PublicationError when nothing is
 * approved.
 */
export async function publishResults(user: Publisher, input: { year: number; departmentId: number }): Promise<PublicationSummary | null> {
  if (!canPublish(user)) throw new PublicationError("您的角色不能发布绩效自评结果");
  const department = db
    .select({ id: departments.id, code: departments.code, name: departments.name })
    .from(departments)
    .where(and(eq(departments.id, input.departmentId), departmentScope(user)))
    .get();
  if (!department) return null;
  const round = db
    .select()
    .from(rounds)
    .where(and(eq(rounds.regionId, user.regionId), eq(rounds.kind, "evaluation"), eq(rounds.year, input.year)))
    .get();
  const none = new PublicationError(`${department.name}${input.year}年没有已审核通过的绩效自评，无法发布`);
  if (!round) throw none;
  let sheets;
  try {
    sheets = roundEvaluationSheets(user, round, department.id);
  } catch (e) {
    if (e instanceof TooManyEvaluationsError) throw new PublicationError(e.message);
    throw e;
  }
  const published: PublishedTable[] = [];
  for (const s of sheets?.sheets ?? []) {
    if (s.status !== "approved") continue;
    const report = findReport(round.id, { kind: s.ownerKind, id: s.ownerId });
    if (!report || report.status !== "approved") continue;
    published.push({
      kind: s.ownerKind,
      ownerId: s.ownerId,
      tableId: report.tableId,
      version: s.tableVersion,
      approvedAt: (report.approvedAt ?? report.updatedAt).getTime(),
      name: s.ownerKind === "department" ? `${s.departmentName}部门整体支出绩效自评` : s.name,
      sheet: publicSheet(s),
    });
  }
  if (published.length === 0) throw none;
  if (published.length > MAX_PUBLICATION_TABLES) {
    throw new PublicationError(`${department.name}${input.year}年有 ${published.length} 张自评表，一次最多发布 ${MAX_PUBLICATION_TABLES} 张`);
  }
  const projects = published.filter((t) => t.kind === "project").length;
  return record(user, {
    year: input.year,
    department,
    kind: "results",
    heading: `${department.name}${input.year}年绩效自评结果公开`,
    summary: `部门整体支出绩效自评 ${published.length - projects} 张，项目支出绩效自评 ${projects} 张`,
    published,
    layouts: published.map((t) => evaluationLayout(t.sheet!)),
  });
}

/**
 * Finance publishes every department of the region that has approved tables of the year:
 * one publication (one Word file) per department. Returns what was published and the
 * departments skipped with their reason.
 */
export async function publishRegion(user: Publisher, year: number, kind: PublicationKind = "targets") {
  if (user.role !== "finance") throw new PublicationError("只有财政可以发布全地区的绩效目标");
  const depts = db
    .select({ id: departments.id, name: departments.name })
    .from(departments)
    .where(departmentScope(user))
    .orderBy(asc(departments.code))
    .all();
  const done: PublicationSummary[] = [];
  const skipped: Array<{ name: string; reason: string }> = [];
  for (const d of depts) {
    try {
      const p = kind === "results" ? await publishResults(user, { year, departmentId: d.id }) : await publishDepartment(user, { year, departmentId: d.id });
      if (p) done.push(p);
    } catch (e) {
      if (!(e instanceof PublicationError)) throw e;
      skipped.push({ name: d.name, reason: e.message });
    }
  }
  return { done, skipped };
}

// ---------------------------------------------------------------------------------------
// Reading (signed-in users: their scope)

function scopeOf(user: CurrentUser) {
  const region = eq(publications.regionId, user.regionId);
  if (user.role === "finance" || user.role === "admin") return region;
  if (user.role === "department" && user.departmentId != null) return and(region, eq(publications.departmentId, user.departmentId))!;
  return sql`0`;
}

const summaryColumns = {
  id: publications.id,
  year: publications.year,
  kind: publications.kind,
  tableCount: publications.tableCount,
  fileName: publications.fileName,
  size: publications.size,
  createdAt: publications.createdAt,
  departmentId: departments.id,
  departmentCode: departments.code,
  departmentName: departments.name,
};

type SummaryRow = { [K in keyof typeof summaryColumns]: (typeof summaryColumns)[K]["_"]["data"] };

function toSummary(r: SummaryRow): PublicationSummary {
  return {
    id: r.id,
    year: r.year,
    kind: r.kind,
    tableCount: r.tableCount,
    fileName: r.fileName,
    size: r.size,
    createdAt: r.createdAt.getTime(),
    department: { id: r.departmentId, code: r.departmentCode, name: r.departmentName },
  };
}

/** The publications of a year the user may see, newest first (at most 1,000). */
export function listPublications(user: CurrentUser, year: number): PublicationSummary[] {
  return db
    .select(summaryColumns)
    .from(publications)
    .innerJoin(departments, eq(departments.id, publications.departmentId))
    .where(and(scopeOf(user), eq(publications.year, year)))
    .orderBy(desc(publications.createdAt), desc(publications.id))
    .limit(1000)
    .all()
    .map(toSummary);
}

/** What each department of the year has approved and may be published (the page's list). */
export function publishableDepartments(user: CurrentUser, year: number) {
  if (!canPublish(user)) return [];
  const depts = db
    .select({ id: departments.id, code: departments.code, name: departments.name })
    .from(departments)
    .where(departmentScope(user))
    .orderBy(asc(departments.code))
    .limit(1000)
    .all();
  // Counts only (one grouped query per kind of owner), never the tables themselves: a region
  // may have thousands of projects.
  const counts = new Map<number, { approved: number; other: number }>();
  const add = (rows: Array<{ departmentId: number; approved: boolean; n: number }>) => {
    for (const r of rows) {
      const c = counts.get(r.departmentId) ?? { approved: 0, other: 0 };
      if (r.approved) c.approved += r.n;
      else c.other += r.n;
      counts.set(r.departmentId, c);
    }
  };
  const approved = sql<boolean>`coalesce(${targetTables.status} = 'approved', 0)`.mapWith(Boolean);
  add(
    db
      .select({ departmentId: projects.departmentId, approved, n: count() })
      .from(projects)
      .leftJoin(targetTables, and(eq(targetTables.projectId, projects.id), eq(targetTables.isCurrent, true)))
      .where(and(projectScope(user), eq(projects.year, year)))
      .groupBy(projects.departmentId, approved)
      .all(),
  );
  add(
    db
      .select({ departmentId: departmentTargets.departmentId, approved, n: count() })
      .from(departmentTargets)
      .leftJoin(targetTables, and(eq(targetTables.departmentTargetId, departmentTargets.id), eq(targetTables.isCurrent, true)))
      .where(and(departmentTargetScope(user), eq(departmentTargets.year, year)))
      .groupBy(departmentTargets.departmentId, approved)
      .all(),
  );
  return depts.map((d) => ({ ...d, ...(counts.get(d.id) ?? { approved: 0, other: 0 }) }));
}

function parseTables(json: string): PublishedTable[] {
  const raw = JSON.parse(json) as PublishedTable[];
  return raw.map((t) => (t.table ? { ...t, table: exchangeTableSchema.parse(t.table) } : t));
}

/** One publication with its tables, or null when it is not in the user's scope. */
export function getPublication(user: CurrentUser, id: number) {
  if (!Number.isSafeInteger(id)) return null;
  const row = db
    .select({ ...summaryColumns, tables: publications.tables, createdBy: publications.createdBy })
    .from(publications)
    .innerJoin(departments, eq(departments.id, publications.departmentId))
    .where(and(scopeOf(user), eq(publications.id, id)))
    .get();
  if (!row) return null;
  return { ...toSummary(row), tables: parseTables(row.tables) };
}

/** The stored Word file of a publication in the user's scope, or null. */
export function getPublicationFile(user: CurrentUser, id: number) {
  if (!Number.isSafeInteger(id)) return null;
  return (
    db
      .select({ id: publications.id, fileName: publications.fileName, sha256: publications.sha256, data: publications.data })
      .from(publications)
      .where(and(scopeOf(user), eq(publications.id, id)))
      .get() ?? null
  );
}

/** The latest publication of each department and kind of a year in the user's scope, as one zip. */
export function publicationsZip(user: CurrentUser, year: number): { name: string; data: Uint8Array; count: number } | null {
  const latest = db
    .select({ id: max(publications.id) })
    .from(publications)
    .where(and(scopeOf(user), eq(publications.year, year)))
    .groupBy(publications.departmentId, publications.kind)
    .limit(MAX_ZIP_FILES)
    .all()
    .map((r) => r.id)
    .filter((id): id is number => id != null);
  if (latest.length === 0) return null;
  const files: Record<string, Uint8Array> = {};
  const rows = db.select({ fileName: publications.fileName, data: publications.data, id: publications.id }).from(publications).where(inArray(publications.id, latest)).all();
  for (const r of rows) {
    let name = r.fileName;
    if (files[name]) name = name.replace(/\.docx$/, `-${r.id}.docx`);
    files[name] = new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength);
  }
  // Word files are already deflated: stored as they are.
  return { name: safeFileName(`${user.regionName}${year}年绩效公开.zip`), data: zipSync(files, { level: 0 }), count: rows.length };
}

// ---------------------------------------------------------------------------------------
// The region's switch for the public page

export function getPublicPageSetting(user: CurrentUser): { enabled: boolean; slug: string } {
  const r = db.select({ enabled: regions.publicPageEnabled, slug: regions.slug }).from(regions).where(eq(regions.id, user.regionId)).get()!;
  return { enabled: r.enabled, slug: r.slug };
}

/** Finance or admin switches the public page on or off (audited). */
export function setPublicPage(user: CurrentUser, enabled: boolean): void {
  if (user.role !== "finance" && user.role !== "admin") throw new PublicationError("只有财政或系统管理员可以开关绩效公开页面");
  db.transaction((tx) => {
    const before = tx.select({ enabled: regions.publicPageEnabled }).from(regions).where(eq(regions.id, user.regionId)).get();
    tx.update(regions).set({ publicPageEnabled: enabled }).where(eq(regions.id, user.regionId)).run();
    recordAudit(tx, { actor: user, entity: "region", entityId: user.regionId, action: "public_page", before: { publicPageEnabled: before?.enabled ?? false }, after: { publicPageEnabled: enabled } });
  });
}

// ---------------------------------------------------------------------------------------
// The public page (no login): only a region that switched it on, only its publications.

/** A region whose public page is on, by slug; null otherwise (the route's 404). */
export function getPublicRegion(slug: string): { id: number; slug: string; name: string } | null {
  if (!/^[a-z0-9-]{1,64}$/.test(slug)) return null;
  return (
    db
      .select({ id: regions.id, slug: regions.slug, name: regions.name })
      .from(regions)
      .where(and(eq(regions.slug, slug), eq(regions.publicPageEnabled, true)))
      .get() ?? null
  );
}

/** What the public sees of a table: its kind, name, version and approval date, and the table. */
export interface PublicTable {
  kind: ExchangeTable["kind"];
  name: string;
  version: number;
  approvedAt: number;
  table?: ExchangeTable;
  sheet?: PublicSheet;
}

function publicTables(json: string): PublicTable[] {
  return parseTables(json).map((t) => {
    const out: PublicTable = { kind: t.kind, name: t.name, version: t.version, approvedAt: t.approvedAt };
    if (t.table) out.table = t.table;
    if (t.sheet) out.sheet = t.sheet;
    return out;
  });
}

/** The region's publications, newest first, without tables or files (at most 2,000). */
export function listPublicPublications(regionId: number) {
  return db
    .select({
      id: publications.id,
      year: publications.year,
      kind: publications.kind,
      tableCount: publications.tableCount,
      size: publications.size,
      createdAt: publications.createdAt,
      departmentCode: departments.code,
      departmentName: departments.name,
    })
    .from(publications)
    .innerJoin(departments, eq(departments.id, publications.departmentId))
    .where(eq(publications.regionId, regionId))
    .orderBy(desc(publications.year), asc(departments.code), desc(publications.createdAt), desc(publications.id))
    .limit(2000)
    .all()
    .map((r) => ({ ...r, createdAt: r.createdAt.getTime() }));
}

/** One publication of the region with the tables the public may see, or null. */
export function getPublicPublication(regionId: number, id: number) {
  if (!Number.isSafeInteger(id)) return null;
  const row = db
    .select({
      id: publications.id,
      year: publications.year,
      kind: publications.kind,
      createdAt: publications.createdAt,
      fileName: publications.fileName,
      tables: publications.tables,
      departmentName: departments.name,
    })
    .from(publications)
    .innerJoin(departments, eq(departments.id, publications.departmentId))
    .where(and(eq(publications.regionId, regionId), eq(publications.id, id)))
    .get();
  if (!row) return null;
  return { ...row, createdAt: row.createdAt.getTime(), tables: publicTables(row.tables) };
}

/** The region (page on), the publication and its n-th table (1-based) from route params, or null (→ 404). */
export function publicTableOf(params: Record<string, string | undefined>) {
  const region = getPublicRegion(params.regionSlug ?? "");
  const rawId = params.publicationId ?? "";
  const rawN = params.n ?? "";
  const publication = region && /^\d{1,15}$/.test(rawId) ? getPublicPublication(region.id, Number(rawId)) : null;
  const n = /^\d{1,6}$/.test(rawN) ? Number(rawN) : 0;
  const table = publication && n >= 1 ? publication.tables[n - 1] : undefined;
  if (!region || !publication || !table) return null;
  return { region, publication, n, table };
}

/** The stored Word file of one of the region's publications, or null. */
export function getPublicPublicationFile(regionId: number, id: number) {
  if (!Number.isSafeInteger(id)) return null;
  return (
    db
      .select({ id: publications.id, fileName: publications.fileName, sha256: publications.sha256, data: publications.data })
      .from(publications)
      .where(and(eq(publications.regionId, regionId), eq(publications.id, id)))
      .get() ?? null
  );
}

// One table of a publication as its own Word file, made on demand from the recorded snapshot
// (publications never change): the last few are kept, so that a public link opened many
// times costs one generation.
const singleCache = new Map<string, Uint8Array>();
const SINGLE_CACHE_SIZE = 50;

export async function singleTableDocx(publicationId: number, index: number, t: { table?: ExchangeTable; sheet?: PublicSheet }): Promise<Uint8Array> {
  const key = `${publicationId}:${index}`;
  const hit = singleCache.get(key);
  if (hit) return hit;
  const bytes = await layoutsToDocxOffThread([t.sheet ? evaluationLayout(t.sheet) : tableLayout(t.table!)]);
  if (singleCache.size >= SINGLE_CACHE_SIZE) singleCache.delete(singleCache.keys().next().value!);
  singleCache.set(key, bytes);
  return bytes;
}
