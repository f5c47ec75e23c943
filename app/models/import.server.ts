// Importing exchange tables (from a published document, an .xlsx or the seeds) into a
// region: a preview that writes nothing, then one transaction that writes everything.
// Re-importing the same table does not duplicate it: a project matches on year + code,
// or year + department + name when it has no code; a department table on year + department.
import { and, asc, eq, isNull } from "drizzle-orm";
import { db } from "../../db/client.server";
import { departments, departmentTargets, projects, regions, reviews, units } from "../../db/schema";
import { matchOrg, regionPrefixes, unanimous, type MatchKind, type OrgSuggestion } from "../domain/org-match";
import type { ExchangeTable } from "../domain/schemas";
import type { CurrentUser } from "../auth/types";
import type { Role } from "../../db/schema";
import { recordAudit } from "./audit.server";
import { insertTableVersion, projectHeaderToRow, projectRowOf, tableStats, type Tx } from "./exchange.server";
import { historiesForImport } from "./results.server";
import { ruleSetFor } from "./rulesets.server";
import { wanToYuan } from "../utils/format";

export type DepartmentChoice = { kind: "existing"; departmentId: number } | { kind: "create"; code: string; name: string };
/** Where a project table goes below its department: no unit, an existing one, or a new one. */
export type UnitChoice = { kind: "none" } | { kind: "existing"; unitId: number } | { kind: "create"; code: string; name: string };

/**
 * Who imports: a signed-in user (with their role), or the system (seeds, id null). Only
 * finance may import tables as approved: that skips review and the checker, so it is
 * recorded as that user's approval.
 */
export type ImportActor = { id: null; regionId: number } | { id: number; regionId: number; role: Role };

function findDepartment(regionId: number, ref: ExchangeTable["department"]) {
  if (!ref) return undefined;
  const byCode = ref.code
    ? db.select().from(departments).where(and(eq(departments.regionId, regionId), eq(departments.code, ref.code))).get()
    : undefined;
  if (byCode) return byCode;
  return ref.name
    ? db.select().from(departments).where(and(eq(departments.regionId, regionId), eq(departments.name, ref.name))).get()
    : undefined;
}

function findExisting(regionId: number, year: number, departmentId: number | null, table: ExchangeTable) {
  if (table.kind === "department") {
    if (!departmentId) return undefined;
    return db
      .select({ id: departmentTargets.id })
      .from(departmentTargets)
      .where(
        and(
          eq(departmentTargets.regionId, regionId),
          eq(departmentTargets.year, year),
          eq(departmentTargets.departmentId, departmentId),
        ),
      )
      .get();
  }
  const code = table.project?.code;
  if (code) {
    return db
      .select({ id: projects.id })
      .from(projects)
      .where(and(eq(projects.regionId, regionId), eq(projects.year, year), eq(projects.code, code)))
      .get();
  }
  if (!departmentId) return undefined;
  const name = projectHeaderToRow(table).name;
  return db
    .select({ id: projects.id })
    .from(projects)
    .where(
      and(
        eq(projects.regionId, regionId),
        eq(projects.year, year),
        eq(projects.departmentId, departmentId),
        eq(projects.name, name),
        isNull(projects.code),
      ),
    )
    .get();
}

type Org = { id: number; code: string; name: string };
type UnitOrg = Org & { departmentId: number };

/** How a table's department was found: as the document named it, or from the document's other tables. */
export type DepartmentMatch = MatchKind | "document" | "chosen";
export type UnitMatch = MatchKind | "chosen";

/** The region's organisations and the name prefixes its documents use (for matching). */
function regionOrganisations(regionId: number) {
  const region = db.select({ name: regions.name }).from(regions).where(eq(regions.id, regionId)).get();
  return {
    prefixes: regionPrefixes(region?.name),
    departments: db
      .select({ id: departments.id, code: departments.code, name: departments.name })
      .from(departments)
      .where(eq(departments.regionId, regionId))
      .orderBy(asc(departments.code))
      .all(),
    units: db
      .select({ id: units.id, code: units.code, name: units.name, departmentId: units.departmentId })
      .from(units)
      .where(eq(units.regionId, regionId))
      .orderBy(asc(units.code))
      .all(),
  };
}

/**
 * Where each table of an upload would go (docs/domain.md, 「导入时的单位匹配」): the
 * organisations it names matched to the region's (code, exact name, or the same name after
 * normalisation), the closest names when nothing matches, and the automatic choice — the one
 * the preview pre-selects and the seed takes.
 */
export type OrgPlacement = {
  /** The department the table goes to as things stand (the chosen one, else the matched one). */
  department: Org | null;
  departmentMatch: DepartmentMatch | null;
  departmentSuggestions: OrgSuggestion[];
  /** For project tables: the unit below that department, when chosen or matched. */
  unit: UnitOrg | null;
  unitMatch: UnitMatch | null;
  unitSuggestions: OrgSuggestion<UnitOrg>[];
  existingId: number | null;
  existingDepartmentId: number | null;
  proposed: { department: DepartmentChoice | null; unit: UnitChoice };
};

export type PlacementOptions = {
  choices?: Record<number, DepartmentChoice>;
  unitChoices?: Record<number, UnitChoice>;
  /** A project table that names no unit goes to its department's first unit by code (the 本级 unit; the seed). */
  unitlessToFirstUnit?: boolean;
};

export function placeTables(regionId: number, year: number, tables: ExchangeTable[], opts: PlacementOptions = {}): OrgPlacement[] {
  const orgs = regionOrganisations(regionId);
  const byId = new Map(orgs.departments.map((d) => [d.id, d]));
  const matches = tables.map((t) => matchOrg(t.department, orgs.departments, orgs.prefixes));
  // A table that names no department belongs to the one every other table of the document names.
  const documentDepartment = unanimous(matches.map((m) => m.match?.id));
  return tables.map((table, index) => {
    const m = matches[index];
    const namesDepartment = Boolean(table.department?.code?.trim() || table.department?.name?.trim());
    const choice = opts.choices?.[index];
    const automatic: Org | null =
      m.match ?? (!namesDepartment && documentDepartment != null ? (byId.get(documentDepartment) ?? null) : null);
    const dept: Org | null = choice ? (chosenDepartment(regionId, choice) ?? null) : automatic;
    const departmentMatch: DepartmentMatch | null = !dept ? null : choice ? "chosen" : (m.how ?? "document");
    let existing: { id: number; departmentId: number } | undefined;
    const found = findExisting(regionId, year, dept?.id ?? null, table);
    if (found) existing = { id: found.id, departmentId: ownerDepartmentId(table.kind, found.id) };
    else if (!choice && !dept && table.kind === "project" && !table.project?.code) existing = sameNameProject(regionId, year, table);

    const proposedDepartment: DepartmentChoice | null = existing
      ? { kind: "existing", departmentId: existing.departmentId }
      : automatic
        ? { kind: "existing", departmentId: automatic.id }
        : table.department?.code?.trim() && table.department?.name?.trim()
          ? { kind: "create", code: table.department.code.trim(), name: table.department.name.trim() }
          : null;

    // Units: only project tables have one, and it must be a unit of the table's department.
    const unitDepartmentId = dept?.id ?? (proposedDepartment?.kind === "existing" ? proposedDepartment.departmentId : null);
    const candidates = unitDepartmentId == null ? [] : orgs.units.filter((u) => u.departmentId === unitDepartmentId);
    const um = table.kind === "project" ? matchOrg(table.unit, candidates, orgs.prefixes) : { match: null, how: null, suggestions: [] };
    let proposedUnit: UnitChoice = { kind: "none" };
    if (table.kind === "project") {
      const code = table.unit?.code?.trim();
      const name = table.unit?.name?.trim();
      if (um.match) proposedUnit = { kind: "existing", unitId: um.match.id };
      else if (!code && !name) {
        if (opts.unitlessToFirstUnit && candidates[0]) proposedUnit = { kind: "existing", unitId: candidates[0].id };
      } else if (code && name && !orgs.units.some((u) => u.code === code)) proposedUnit = { kind: "create", code, name };
    }
    const unitChoice = opts.unitChoices?.[index];
    let unit: UnitOrg | null = null;
    let unitMatch: UnitMatch | null = null;
    if (unitChoice) {
      unit = unitChoice.kind === "existing" ? (orgs.units.find((u) => u.id === unitChoice.unitId) ?? null) : null;
      unitMatch = unit ? "chosen" : null;
    } else if (um.match) {
      unit = um.match;
      unitMatch = um.how;
    }
    return {
      department: dept,
      departmentMatch,
      departmentSuggestions: m.how === "code" || m.how === "name" ? [] : m.suggestions,
      unit,
      unitMatch,
      unitSuggestions: um.how === "code" || um.how === "name" ? [] : um.suggestions,
      existingId: existing?.id ?? null,
      existingDepartmentId: existing?.departmentId ?? null,
      proposed: { department: proposedDepartment, unit: proposedUnit },
    };
  });
}

/** Without a department: a project without a code that exists once under this year + name. */
function sameNameProject(regionId: number, year: number, table: ExchangeTable) {
  const sameName = db
    .select({ id: projects.id, departmentId: projects.departmentId })
    .from(projects)
    .where(
      and(
        eq(projects.regionId, regionId),
        eq(projects.year, year),
        eq(projects.name, projectHeaderToRow(table).name),
        isNull(projects.code),
      ),
    )
    .limit(2)
    .all();
  return sameName.length === 1 ? sameName[0] : undefined;
}

export type PreviewItem = OrgPlacement & {
  index: number;
  table: ExchangeTable;
  title: string;
  findings: ReturnType<typeof tableStats>["findings"];
};

export function tableTitle(t: ExchangeTable): string {
  if (t.kind === "department") return `${t.department?.name ?? "（未知部门）"} 部门整体绩效目标表`;
  return t.project?.name ?? "（项目名称缺失）";
}

function ownerDepartmentId(kind: ExchangeTable["kind"], id: number): number {
  const row =
    kind === "department"
      ? db.select({ departmentId: departmentTargets.departmentId }).from(departmentTargets).where(eq(departmentTargets.id, id)).get()
      : db.select({ departmentId: projects.departmentId }).from(projects).where(eq(projects.id, id)).get();
  return row!.departmentId;
}

/** The department a choice points to, read-only (a department to be created may already exist by code). */
function chosenDepartment(regionId: number, choice: DepartmentChoice): Org | undefined {
  if (choice.kind === "existing") {
    return db
      .select({ id: departments.id, code: departments.code, name: departments.name })
      .from(departments)
      .where(and(eq(departments.id, choice.departmentId), eq(departments.regionId, regionId)))
      .get();
  }
  return findDepartment(regionId, { code: choice.code.trim(), name: null });
}

/**
 * What an import would do. Writes nothing. With `choices` (as given to commitImport), a
 * table's department is the chosen one, so duplicates are found where the table would go.
 */
export function previewImport(
  user: CurrentUser,
  year: number,
  tables: ExchangeTable[],
  choices?: Record<number, DepartmentChoice>,
  unitChoices?: Record<number, UnitChoice>,
): PreviewItem[] {
  const ruleSet = ruleSetFor(user.regionId, year);
  // Last year's approved self-evaluations, for below_last_actual (结果应用).
  const histories = historiesForImport(user.regionId, year, tables);
  const placements = placeTables(user.regionId, year, tables, { choices, unitChoices });
  return tables.map((table, index) => ({
    index,
    table,
    title: tableTitle(table),
    ...placements[index],
    findings: tableStats({ ...table, year }, ruleSet, histories[index]).findings,
  }));
}

export type ImportResult = {
  created: { index: number; kind: ExchangeTable["kind"]; id: number; title: string }[];
  existing: { index: number; id: number; title: string }[];
};

/**
 * Writes the tables in one transaction. `choices[i]` says where table i goes; a table
 * without a choice uses the department it names, which must exist. Tables already present
 * are reported in `existing` and left untouched.
 */
export function commitImport(
  actor: ImportActor,
  input: {
    year: number;
    mode: "approved" | "draft";
    tables: ExchangeTable[];
    choices?: Record<number, DepartmentChoice>;
    /** Where project table i goes below its department; without, the unit it names when that is one of the department's. */
    unitChoices?: Record<number, UnitChoice>;
    source?: string;
  },
): ImportResult {
  if (input.mode === "approved" && actor.id !== null && actor.role !== "finance") {
    throw new ImportError("只有财政局可以将绩效目标表导入为已批复");
  }
  const ruleSet = ruleSetFor(actor.regionId, input.year);
  const result: ImportResult = { created: [], existing: [] };
  const orgs = regionOrganisations(actor.regionId);
  db.transaction((tx) => {
    const createdDepartments = new Map<string, number>();
    const resolveDepartment = (table: ExchangeTable, index: number): number => {
      const choice = input.choices?.[index];
      if (choice?.kind === "existing") {
        const dept = tx
          .select({ id: departments.id })
          .from(departments)
          .where(and(eq(departments.id, choice.departmentId), eq(departments.regionId, actor.regionId)))
          .get();
        if (!dept) throw new ImportError(`第 ${index + 1} 张表选择的主管部门不存在`);
        return dept.id;
      }
      if (choice?.kind === "create") {
        const key = choice.code.trim();
        const known = createdDepartments.get(key) ?? findDepartment(actor.regionId, { code: key, name: null })?.id;
        if (known) return known;
        const id = tx
          .insert(departments)
          .values({ regionId: actor.regionId, code: key, name: choice.name.trim() })
          .returning({ id: departments.id })
          .get().id;
        recordAudit(tx, {
          actor,
          regionId: actor.regionId,
          entity: "department",
          entityId: id,
          action: "create",
          after: { code: key, name: choice.name, via: "import" },
        });
        createdDepartments.set(key, id);
        return id;
      }
      const found = findDepartment(actor.regionId, table.department);
      if (!found) throw new ImportError(`「${tableTitle(table)}」的主管部门未对应到本地区的主管部门，请选择或新建`);
      return found.id;
    };

    const resolveUnit = (table: ExchangeTable, index: number, departmentId: number): number | null => {
      const choice = input.unitChoices?.[index];
      if (!choice) {
        const mine = orgs.units.filter((u) => u.departmentId === departmentId);
        return matchOrg(table.unit, mine, orgs.prefixes).match?.id ?? null;
      }
      if (choice.kind === "none") return null;
      if (choice.kind === "existing") {
        const unit = tx
          .select({ id: units.id, name: units.name, departmentId: units.departmentId })
          .from(units)
          .where(and(eq(units.id, choice.unitId), eq(units.regionId, actor.regionId)))
          .get();
        if (!unit) throw new ImportError(`第 ${index + 1} 张表选择的预算单位不存在`);
        if (unit.departmentId !== departmentId) throw new ImportError(`第 ${index + 1} 张表选择的预算单位「${unit.name}」不属于所选主管部门`);
        return unit.id;
      }
      const code = choice.code.trim();
      const known = tx
        .select({ id: units.id, name: units.name, departmentId: units.departmentId })
        .from(units)
        .where(and(eq(units.regionId, actor.regionId), eq(units.code, code)))
        .get();
      if (known) {
        // The same new unit named by several tables of the upload is created once.
        if (known.departmentId !== departmentId) throw new ImportError(`编码 ${code} 已是其他主管部门的预算单位「${known.name}」`);
        return known.id;
      }
      const values = { regionId: actor.regionId, departmentId, code, name: choice.name.trim() };
      const id = tx.insert(units).values(values).returning({ id: units.id }).get().id;
      recordAudit(tx, {
        actor,
        regionId: actor.regionId,
        entity: "unit",
        entityId: id,
        action: "create",
        after: { code, name: values.name, departmentId, via: "import" },
      });
      return id;
    };

    input.tables.forEach((raw, index) => {
      const table: ExchangeTable = { ...raw, year: input.year };
      const departmentId = resolveDepartment(table, index);
      const title = tableTitle(table);
      const existing = findExisting(actor.regionId, input.year, departmentId, table);
      if (existing) {
        result.existing.push({ index, id: existing.id, title });
        return;
      }
      const status = input.mode === "approved" ? "approved" : "draft";
      // The owner first (a 部门整体 target or a project), then its version 1.
      let ownerId: number;
      if (table.kind === "department") {
        ownerId = tx
          .insert(departmentTargets)
          .values({
            regionId: actor.regionId,
            year: input.year,
            departmentId,
            budget: wanToYuan(table.overall?.budget),
            midTermGoal: table.overall?.midTermGoal ?? null,
            annualGoal: table.overall?.annualGoal ?? null,
          })
          .returning({ id: departmentTargets.id })
          .get().id;
      } else {
        const unitId = resolveUnit(table, index, departmentId);
        ownerId = tx
          .insert(projects)
          .values({
            regionId: actor.regionId,
            year: input.year,
            departmentId,
            unitId,
            ...projectRowOf(table),
            createdBy: actor.id,
          })
          .returning({ id: projects.id })
          .get().id;
      }
      const tableId = insertTableVersion(tx, {
        regionId: actor.regionId,
        owner: table.kind === "department" ? { departmentTargetId: ownerId } : { projectId: ownerId },
        version: 1,
        status,
        isCurrent: true,
        table,
        ruleSet,
        actorId: actor.id,
      });
      logImport(tx, actor, tableId, status, table.kind === "department" ? "department_target" : "project", ownerId, title, input.source);
      result.created.push({ index, kind: table.kind, id: ownerId, title });
    });
  });
  return result;
}

function logImport(
  tx: Tx,
  actor: ImportActor,
  tableId: number,
  status: "approved" | "draft",
  entity: string,
  entityId: number,
  title: string,
  source: string | undefined,
) {
  tx.insert(reviews)
    .values({
      regionId: actor.regionId,
      tableId,
      fromStatus: "draft",
      toStatus: status,
      action: "import",
      comment: (source ? `导入自 ${source}` : "导入") + (status === "approved" ? "，作为已批复的历史目标（未经审核）" : ""),
      actorId: actor.id,
    })
    .run();
  if (status === "approved") {
    // Importing as approved stands in for the reviews: the importer's approval.
    recordAudit(tx, {
      actor,
      regionId: actor.regionId,
      entity: "table",
      entityId: tableId,
      action: "approve",
      before: { status: "draft" },
      after: { status: "approved", via: "import", source: source ?? null },
    });
  }
  recordAudit(tx, {
    actor,
    regionId: actor.regionId,
    entity,
    entityId,
    action: "import",
    after: { title, status, tableId, source: source ?? null },
  });
}

/** A refusal that aborts the import transaction with a message for the user. */
export class ImportError extends Error {}
