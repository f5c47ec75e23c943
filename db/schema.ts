// The data model of the domain described in docs/domain.md. Conventions:
// - every tenant-owned row carries region_id, and lists filter by it first;
// - money is stored as integer 元 (万元 × 10000), weights and scores as integer hundredths,
//   so sums are exact (see docs/decisions/006-stored-numbers.md);
// - timestamps are integer milliseconds.
import { relations, sql } from "drizzle-orm";
import { blob, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { REPORT_STATES, type ReportState } from "../app/domain/report-workflow";
import { ROLES, STATES, type Role, type TableState } from "../app/domain/workflow";

const id = () => integer("id").primaryKey({ autoIncrement: true });
const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);
const updatedAt = () =>
  integer("updated_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

// Roles and states are defined once, in app/domain (the browser imports them from there).
export { ROLES, type Role };

/** Workflow states of a target table: the states of app/domain/workflow.ts (docs/domain.md §7). */
export const TABLE_STATUSES = STATES;
export type TableStatus = TableState;

export const regions = sqliteTable("regions", {
  id: id(),
  /** Short slug used in usernames and URLs of the demo, e.g. "nanan". */
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  /** The year the region is working on by default. */
  currentYear: integer("current_year").notNull(),
  /** Region setting: tables go from submission straight to finance. */
  skipDepartmentReview: integer("skip_department_review", { mode: "boolean" }).notNull().default(false),
  /** Region setting: the 绩效公开 page (/public/:slug) shows what the region has published, without login. */
  publicPageEnabled: integer("public_page_enabled", { mode: "boolean" }).notNull().default(false),
  createdAt: createdAt(),
});

export const departments = sqliteTable(
  "departments",
  {
    id: id(),
    regionId: integer("region_id").notNull().references(() => regions.id),
    code: text("code").notNull(),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("departments_region_code").on(t.regionId, t.code)],
);

export const units = sqliteTable(
  "units",
  {
    id: id(),
    regionId: integer("region_id").notNull().references(() => regions.id),
    departmentId: integer("department_id").notNull().references(() => departments.id),
    code: text("code").notNull(),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("units_region_code").on(t.regionId, t.code),
    index("units_department").on(t.departmentId),
  ],
);

export const users = sqliteTable(
  "users",
  {
    id: id(),
    regionId: integer("region_id").notNull().references(() => regions.id),
    username: text("username").notNull().unique(),
    displayName: text("display_name").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    /** Scope of a `department` user, and the department of a `unit` user's unit. */
    departmentId: integer("department_id").references(() => departments.id),
    /** Scope of a `unit` user. */
    unitId: integer("unit_id").references(() => units.id),
    /** scrypt$N$r$p$salt$hash, see app/auth/password.server.ts */
    passwordHash: text("password_hash").notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index("users_region").on(t.regionId)],
);

/** Failed logins per username (also for names that do not exist, so the lock reveals nothing). */
export const loginThrottle = sqliteTable("login_throttle", {
  username: text("username").primaryKey(),
  failures: integer("failures").notNull().default(0),
  lockedUntil: integer("locked_until", { mode: "timestamp_ms" }),
  lastFailureAt: integer("last_failure_at", { mode: "timestamp_ms" }),
});

export const sessions = sqliteTable(
  "sessions",
  {
    /** sha256 of the cookie token: a leaked database does not leak live sessions. */
    tokenHash: text("token_hash").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

export const ruleSets = sqliteTable(
  "rule_sets",
  {
    id: id(),
    regionId: integer("region_id").notNull().references(() => regions.id),
    year: integer("year").notNull(),
    /** The built-in rule set it started from, e.g. "chongqing-2024". */
    baseName: text("base_name").notNull(),
    /** The rule set as JSON, validated by the zod schema of app/domain/rules.ts. */
    config: text("config").notNull(),
    updatedBy: integer("updated_by").references(() => users.id),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("rule_sets_region_year").on(t.regionId, t.year)],
);

export const projects = sqliteTable(
  "projects",
  {
    id: id(),
    regionId: integer("region_id").notNull().references(() => regions.id),
    year: integer("year").notNull(),
    departmentId: integer("department_id").notNull().references(() => departments.id),
    unitId: integer("unit_id").references(() => units.id),
    /** Identity: the code does not change with an adjustment (docs/decisions/026). */
    code: text("code"),
    /**
     * A copy of the header of the version in force (project_headers of the is_current table),
     * for lists, search and sorting; written by the triggers of drizzle/0012 (docs/decisions/026).
     */
    name: text("name").notNull(),
    category: text("category"),
    /** 当年预算 of the version in force, integer 元 (万元 × 10000). */
    budgetTotal: integer("budget_total"),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /**
     * Mirrors of the version in force, written only by database triggers on target_tables
     * (drizzle/0008_scale_triggers.sql), never by the app: its status (null: no table), its
     * findings, and the status of an adjustment under way. Lists filter and sort on them
     * without a join, and project_counts is kept from them. docs/decisions/028-province-scale.md.
     */
    status: text("status", { enum: TABLE_STATUSES }),
    errorCount: integer("error_count").notNull().default(0),
    warningCount: integer("warning_count").notNull().default(0),
    adjustmentStatus: text("adjustment_status", { enum: TABLE_STATUSES }),
  },
  (t) => [
    index("projects_region_year_department").on(t.regionId, t.year, t.departmentId, t.name),
    index("projects_region_year_unit").on(t.regionId, t.year, t.unitId, t.name),
    index("projects_region_code").on(t.regionId, t.code),
    // One index per sort of the list (and per status filter for the default sort): a page
    // reads its 25 rows in index order instead of sorting the region-year.
    index("projects_region_year_name").on(t.regionId, t.year, t.name),
    index("projects_region_year_code").on(t.regionId, t.year, t.code),
    index("projects_region_year_budget").on(t.regionId, t.year, t.budgetTotal),
    index("projects_region_year_updated").on(t.regionId, t.year, t.updatedAt),
    index("projects_region_year_findings").on(t.regionId, t.year, t.errorCount, t.warningCount),
    index("projects_region_year_status_name").on(t.regionId, t.year, t.status, t.name),
    // A search's matches are looked up by id: this covers what the filters and the exact
    // LIKE read, so each match costs an index entry, not a whole project row.
    index("projects_search_cover").on(t.id, t.regionId, t.year, t.status, t.departmentId, t.unitId, t.category, t.name, t.code),
  ],
);

/**
 * How many projects there are per region, year, department, unit, category and status (of
 * the version in force; 'none' without a table) and adjustment under way ('' for none),
 * with their findings. Kept by triggers on projects in the same transaction as every
 * change, so the list's tabs and the 工作台 add up a few hundred rows instead of counting a
 * region. unit_id 0 and category '' stand for none (NULLs would not meet in the key).
 */
export const projectCounts = sqliteTable(
  "project_counts",
  {
    regionId: integer("region_id").notNull(),
    year: integer("year").notNull(),
    departmentId: integer("department_id").notNull(),
    unitId: integer("unit_id").notNull(),
    category: text("category").notNull(),
    status: text("status").notNull(),
    adjustmentStatus: text("adjustment_status").notNull(),
    n: integer("n").notNull(),
    errors: integer("errors").notNull(),
    warnings: integer("warnings").notNull(),
  },
  (t) => [uniqueIndex("project_counts_key").on(t.regionId, t.year, t.departmentId, t.unitId, t.category, t.status, t.adjustmentStatus)],
);

/** 部门（单位）整体绩效目标 of a department and year. */
export const departmentTargets = sqliteTable(
  "department_targets",
  {
    id: id(),
    regionId: integer("region_id").notNull().references(() => regions.id),
    year: integer("year").notNull(),
    departmentId: integer("department_id").notNull().references(() => departments.id),
    /** 部门支出预算数, integer 元. */
    budget: integer("budget"),
    midTermGoal: text("mid_term_goal"),
    annualGoal: text("annual_goal"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("department_targets_region_year_department").on(t.regionId, t.year, t.departmentId)],
);

/**
 * A version of a 绩效目标表. Exactly one of projectId / departmentTargetId is set.
 * Approved and rejected versions are immutable; an adjustment is a new version.
 */
export const targetTables = sqliteTable(
  "target_tables",
  {
    id: id(),
    regionId: integer("region_id").notNull().references(() => regions.id),
    projectId: integer("project_id").references(() => projects.id),
    departmentTargetId: integer("department_target_id").references(() => departmentTargets.id),
    version: integer("version").notNull().default(1),
    status: text("status", { enum: TABLE_STATUSES }).notNull().default("draft"),
    /** The version in force: the approved one, or the only one before approval. */
    isCurrent: integer("is_current", { mode: "boolean" }).notNull().default(true),
    /** 预算执行率权重 in hundredths; null when the table states none. */
    budgetExecutionWeight: integer("budget_execution_weight"),
    /** Finance's rating 优/良/中/差 at the last finance review. */
    rating: text("rating"),
    /** Optimistic concurrency: bumped on every save; a stale save is a conflict. */
    revision: integer("revision").notNull().default(1),
    /** Denormalised for lists: Σ indicator weights (hundredths), counts of findings. */
    weightTotal: integer("weight_total").notNull().default(0),
    indicatorCount: integer("indicator_count").notNull().default(0),
    errorCount: integer("error_count").notNull().default(0),
    warningCount: integer("warning_count").notNull().default(0),
    updatedBy: integer("updated_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("target_tables_region_status").on(t.regionId, t.status),
    // One row per (owner, version), and at most one version in force per owner: enforced by
    // the database, not only by the code that writes them.
    uniqueIndex("target_tables_project_version").on(t.projectId, t.version),
    uniqueIndex("target_tables_department_target_version").on(t.departmentTargetId, t.version),
    uniqueIndex("target_tables_project_current")
      .on(t.projectId)
      .where(sql`is_current = 1 AND project_id IS NOT NULL`),
    uniqueIndex("target_tables_department_target_current")
      .on(t.departmentTargetId)
      .where(sql`is_current = 1 AND department_target_id IS NOT NULL`),
    // Round overviews join every project of a year to its version in force and its status.
    index("target_tables_project_current_status")
      .on(t.projectId, t.status)
      .where(sql`is_current = 1 AND project_id IS NOT NULL`),
  ],
);

/**
 * The project header of one version of a project's 绩效目标表 (docs/domain.md §3 Header):
 * 申请调整 copies it with the indicators and may change it (docs/decisions/026). Versions of
 * 部门整体 tables have none.
 */
export const projectHeaders = sqliteTable("project_headers", {
  tableId: integer("table_id")
    .primaryKey()
    .references(() => targetTables.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  category: text("category"),
  financeOfficeCode: text("finance_office_code"),
  financeOfficeName: text("finance_office_name"),
  /** 当年预算 / 本级安排 / 上级补助, integer 元 (万元 × 10000). */
  budgetTotal: integer("budget_total"),
  budgetLocal: integer("budget_local"),
  budgetSuperior: integer("budget_superior"),
  overview: text("overview"),
  basis: text("basis"),
  schedule: text("schedule"),
  measures: text("measures"),
  midTermGoal: text("mid_term_goal"),
  annualGoal: text("annual_goal"),
});

export const indicators = sqliteTable(
  "indicators",
  {
    id: id(),
    tableId: integer("table_id")
      .notNull()
      .references(() => targetTables.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    level1: text("level1"),
    level2: text("level2"),
    name: text("name"),
    /** Hundredths of a point; null when the table gives no weight. */
    weight: integer("weight"),
    unit: text("unit"),
    operator: text("operator"),
    /** As entered: an exact decimal string, or the 定性 level. */
    target: text("target"),
    core: integer("core", { mode: "boolean" }),
    explanation: text("explanation"),
    /** The source's wording before normalisation (JSON), for reviewers. */
    raw: text("raw"),
  },
  (t) => [index("indicators_table_position").on(t.tableId, t.position), index("indicators_name").on(t.name)],
);

export const REVIEW_ACTIONS = ["submit", "approve", "return", "reject", "request_adjustment", "import"] as const;

export const reviews = sqliteTable(
  "reviews",
  {
    id: id(),
    regionId: integer("region_id").notNull().references(() => regions.id),
    tableId: integer("table_id")
      .notNull()
      .references(() => targetTables.id, { onDelete: "cascade" }),
    /** The state the table was in when the action was taken. */
    fromStatus: text("from_status", { enum: TABLE_STATUSES }).notNull(),
    toStatus: text("to_status", { enum: TABLE_STATUSES }).notNull(),
    action: text("action", { enum: REVIEW_ACTIONS }).notNull(),
    rating: text("rating"),
    comment: text("comment"),
    /** Per-indicator comments as JSON: [{ position, comment }]. */
    indicatorComments: text("indicator_comments"),
    actorId: integer("actor_id").references(() => users.id),
    createdAt: createdAt(),
  },
  // reviews_region_time: the 工作台's latest reviews walk the region's newest first.
  (t) => [index("reviews_table").on(t.tableId, t.createdAt), index("reviews_region_time").on(t.regionId, t.createdAt)],
);

/** Append-only: no route updates or deletes a row. */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: id(),
    regionId: integer("region_id").references(() => regions.id),
    actorId: integer("actor_id").references(() => users.id),
    entity: text("entity").notNull(),
    entityId: integer("entity_id"),
    action: text("action").notNull(),
    before: text("before"),
    after: text("after"),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_region_time").on(t.regionId, t.createdAt),
    index("audit_entity").on(t.entity, t.entityId),
  ],
);

/** 指标库: curated indicators of a region (suggestions from approved tables are computed). */
export const libraryIndicators = sqliteTable(
  "library_indicators",
  {
    id: id(),
    regionId: integer("region_id").notNull().references(() => regions.id),
    level1: text("level1"),
    level2: text("level2"),
    name: text("name").notNull(),
    unit: text("unit"),
    operator: text("operator"),
    targetHint: text("target_hint"),
    note: text("note"),
    retired: integer("retired", { mode: "boolean" }).notNull().default(false),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("library_region_name").on(t.regionId, t.name)],
);

/**
 * 监控任务 and 自评任务 share one shape (docs/monitoring.md): a round of a region and year —
 * a monitoring period (Q1–Q4, H1, M7) or the year-end self-evaluation — open from `opensAt`
 * until finance closes it; `dueAt` is the deadline after which entries are overdue.
 */
export const ROUND_KINDS = ["monitoring", "evaluation"] as const;
export type RoundKind = (typeof ROUND_KINDS)[number];

export const rounds = sqliteTable(
  "rounds",
  {
    id: id(),
    regionId: integer("region_id").notNull().references(() => regions.id),
    year: integer("year").notNull(),
    kind: text("kind", { enum: ROUND_KINDS }).notNull(),
    /** Monitoring period code (Q1–Q4, H1, M7); "Y" for the year-end evaluation. */
    period: text("period").notNull(),
    opensAt: integer("opens_at", { mode: "timestamp_ms" }).notNull(),
    dueAt: integer("due_at", { mode: "timestamp_ms" }).notNull(),
    closedAt: integer("closed_at", { mode: "timestamp_ms" }),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("rounds_region_year_kind_period").on(t.regionId, t.year, t.kind, t.period)],
);

/** A closed round reopened for one department or one owner (project / 部门整体), with a reason. */
export const roundReopenings = sqliteTable(
  "round_reopenings",
  {
    id: id(),
    regionId: integer("region_id").notNull().references(() => regions.id),
    roundId: integer("round_id")
      .notNull()
      .references(() => rounds.id, { onDelete: "cascade" }),
    departmentId: integer("department_id").references(() => departments.id),
    projectId: integer("project_id").references(() => projects.id),
    departmentTargetId: integer("department_target_id").references(() => departmentTargets.id),
    reason: text("reason").notNull(),
    dueAt: integer("due_at", { mode: "timestamp_ms" }),
    closedAt: integer("closed_at", { mode: "timestamp_ms" }),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index("round_reopenings_round").on(t.roundId)],
);

/** Review states of a report: those of app/domain/report-workflow.ts (docs/domain.md §7). */
export const REPORT_STATUSES = REPORT_STATES;
export type ReportStatus = ReportState;

/**
 * One entry (监控填报 / 绩效自评) per owner per round, pinned to the target-table version it
 * was started on. Money in integer 元; lights and counts denormalised for overviews.
 */
export const reports = sqliteTable(
  "reports",
  {
    id: id(),
    regionId: integer("region_id").notNull().references(() => regions.id),
    roundId: integer("round_id")
      .notNull()
      .references(() => rounds.id),
    projectId: integer("project_id").references(() => projects.id),
    departmentTargetId: integer("department_target_id").references(() => departmentTargets.id),
    /** Owner's department and unit at the time the entry was started (scope and lists). */
    departmentId: integer("department_id").notNull().references(() => departments.id),
    unitId: integer("unit_id").references(() => units.id),
    tableId: integer("table_id")
      .notNull()
      .references(() => targetTables.id),
    status: text("status", { enum: REPORT_STATUSES }).notNull().default("draft"),
    revision: integer("revision").notNull().default(1),
    /** 全年预算数 / 截至本期执行数 (元). */
    budgetAnnual: integer("budget_annual"),
    budgetExecuted: integer("budget_executed"),
    budgetReason: text("budget_reason"),
    budgetMeasures: text("budget_measures"),
    budgetLight: text("budget_light"),
    /** 执行率 in hundredths of a percent. */
    executionRate: integer("execution_rate"),
    /** 总体目标完成情况 (self-evaluation) or a general note (monitoring). */
    summary: text("summary"),
    green: integer("green").notNull().default(0),
    yellow: integer("yellow").notNull().default(0),
    red: integer("red").notNull().default(0),
    unlit: integer("unlit").notNull().default(0),
    warningCount: integer("warning_count").notNull().default(0),
    /** Self-evaluation total in hundredths of a point, and its grade (优/良/中/差), finance's adjustments included. */
    score: integer("score"),
    grade: text("grade"),
    submittedAt: integer("submitted_at", { mode: "timestamp_ms" }),
    approvedAt: integer("approved_at", { mode: "timestamp_ms" }),
    /**
     * Self-evaluation: the most points one row lost (indicator weight − row score, hundredths),
     * kept by triggers on report_rows: the 扣分最多 list reads the first reports in this order
     * and only their rows, not every row of the round. Null without a scored row.
     */
    maxLost: integer("max_lost"),
    updatedBy: integer("updated_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("reports_round_project").on(t.roundId, t.projectId),
    // Covers the round overviews' per-owner lookup (status, lights, grade, 执行率 for the
    // scatter) without reading the row.
    index("reports_round_project_lights").on(t.roundId, t.projectId, t.status, t.budgetLight, t.green, t.yellow, t.red, t.grade, t.score, t.executionRate),
    uniqueIndex("reports_round_department_target").on(t.roundId, t.departmentTargetId),
    index("reports_round_department_status").on(t.roundId, t.departmentId, t.status),
    index("reports_region_status").on(t.regionId, t.status),
    index("reports_project").on(t.projectId),
    index("reports_unit_status").on(t.unitId, t.status),
    index("reports_round_status_max_lost").on(t.roundId, t.status, t.maxLost),
    // A round's list filtered by grade (the 差 drill-down) starts from the few entries with it.
    index("reports_round_department_grade").on(t.roundId, t.departmentId, t.grade),
  ],
);

/**
 * How many entries a round has per department, status, budget light and grade, and whether
 * they have green / yellow / red rows, with their light and score sums. Kept by triggers on
 * reports in the same transaction as every change (drizzle/0008_scale_triggers.sql), so a
 * round's overview adds up a few hundred rows however many projects the region has.
 * budget_light and grade '' stand for none.
 */
export const reportCounts = sqliteTable(
  "report_counts",
  {
    roundId: integer("round_id").notNull(),
    departmentId: integer("department_id").notNull(),
    isProject: integer("is_project").notNull(),
    status: text("status").notNull(),
    budgetLight: text("budget_light").notNull(),
    grade: text("grade").notNull(),
    hasGreen: integer("has_green").notNull(),
    hasYellow: integer("has_yellow").notNull(),
    hasRed: integer("has_red").notNull(),
    n: integer("n").notNull(),
    green: integer("green").notNull(),
    yellow: integer("yellow").notNull(),
    red: integer("red").notNull(),
    scoreSum: integer("score_sum").notNull(),
  },
  (t) => [uniqueIndex("report_counts_key").on(t.roundId, t.departmentId, t.isProject, t.status, t.budgetLight, t.grade, t.hasGreen, t.hasYellow, t.hasRed)],
);

/** One row per indicator of the pinned table: the values of the report's kind. */
export const reportRows = sqliteTable(
  "report_rows",
  {
    id: id(),
    reportId: integer("report_id")
      .notNull()
      .references(() => reports.id, { onDelete: "cascade" }),
    indicatorId: integer("indicator_id")
      .notNull()
      .references(() => indicators.id),
    position: integer("position").notNull(),
    /** Decimal text as entered: 截至本期完成值 (monitoring) / 全年实际完成值 (evaluation). */
    actual: text("actual"),
    /** 全年预计完成值 */
    projected: text("projected"),
    likelihood: text("likelihood"),
    /** 偏差原因 as a JSON array of DEVIATION_REASONS. */
    reasons: text("reasons"),
    reasonText: text("reason_text"),
    measures: text("measures"),
    light: text("light"),
    /** Self-evaluation: 定性 tier and percentage inside it, 不适用 with a reason, score. */
    tier: text("tier"),
    tierPercent: text("tier_percent"),
    notApplicable: integer("not_applicable", { mode: "boolean" }).notNull().default(false),
    /** Why the indicator does not apply (不适用), required with it. */
    naReason: text("na_reason"),
    /** Computed score in hundredths of a point (finance's adjustments are their own rows). */
    score: integer("score"),
  },
  (t) => [uniqueIndex("report_rows_report_position").on(t.reportId, t.position)],
);

export const REPORT_ACTIONS = ["submit", "approve", "return", "reopen"] as const;

export const reportReviews = sqliteTable(
  "report_reviews",
  {
    id: id(),
    regionId: integer("region_id").notNull().references(() => regions.id),
    reportId: integer("report_id")
      .notNull()
      .references(() => reports.id, { onDelete: "cascade" }),
    fromStatus: text("from_status", { enum: REPORT_STATUSES }).notNull(),
    toStatus: text("to_status", { enum: REPORT_STATUSES }).notNull(),
    action: text("action", { enum: REPORT_ACTIONS }).notNull(),
    comment: text("comment"),
    /** Per-row comments as JSON: [{ position, comment }]. */
    rowComments: text("row_comments"),
    actorId: integer("actor_id").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index("report_reviews_report").on(t.reportId, t.createdAt)],
);

/**
 * Finance's change of one row's score during 财政复核: its own row (who, why, before, after),
 * never an overwrite of the computed score. The latest adjustment of a row is the one in force.
 */
export const scoreAdjustments = sqliteTable(
  "score_adjustments",
  {
    id: id(),
    regionId: integer("region_id").notNull().references(() => regions.id),
    reportId: integer("report_id")
      .notNull()
      .references(() => reports.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    /** Scores in hundredths of a point. */
    before: integer("before").notNull(),
    after: integer("after").notNull(),
    reason: text("reason").notNull(),
    actorId: integer("actor_id").references(() => users.id),
    createdAt: createdAt(),
  },
  // score_adjustments_region_time: the overview's latest deductions walk the region's newest first.
  (t) => [index("score_adjustments_report").on(t.reportId, t.position), index("score_adjustments_region_time").on(t.regionId, t.createdAt)],
);

/** 佐证材料: a file attached to a report, or to one of its rows (position). Stored in the database. */
export const attachments = sqliteTable(
  "attachments",
  {
    id: id(),
    regionId: integer("region_id").notNull().references(() => regions.id),
    reportId: integer("report_id")
      .notNull()
      .references(() => reports.id, { onDelete: "cascade" }),
    /** The indicator row it supports; null for the evaluation as a whole. */
    position: integer("position"),
    name: text("name").notNull(),
    /** The content type we decided from the file's own bytes and extension, never the browser's. */
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    data: blob("data", { mode: "buffer" }).notNull(),
    uploadedBy: integer("uploaded_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index("attachments_report").on(t.reportId)],
);

export const RECTIFICATION_STATUSES = ["open", "answered", "closed"] as const;
export type RectificationStatus = (typeof RECTIFICATION_STATUSES)[number];

/** 整改通知: finance's requirement on a red report, the unit's answer, finance closes or returns it. */
export const rectifications = sqliteTable(
  "rectifications",
  {
    id: id(),
    regionId: integer("region_id").notNull().references(() => regions.id),
    reportId: integer("report_id")
      .notNull()
      .references(() => reports.id),
    requirement: text("requirement").notNull(),
    /** Due date as YYYY-MM-DD (a calendar day in Asia/Shanghai). */
    dueDate: text("due_date").notNull(),
    answer: text("answer"),
    /** Finance's note when it closes or sends the answer back. */
    financeNote: text("finance_note"),
    status: text("status", { enum: RECTIFICATION_STATUSES }).notNull().default("open"),
    revision: integer("revision").notNull().default(1),
    issuedBy: integer("issued_by").references(() => users.id),
    answeredBy: integer("answered_by").references(() => users.id),
    answeredAt: integer("answered_at", { mode: "timestamp_ms" }),
    closedBy: integer("closed_by").references(() => users.id),
    closedAt: integer("closed_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [index("rectifications_region_status").on(t.regionId, t.status), index("rectifications_report").on(t.reportId)],
);

export const PUBLICATION_KINDS = ["targets", "results"] as const;
export type PublicationKind = (typeof PUBLICATION_KINDS)[number];

/**
 * 绩效公开: one department's published tables of a year (targets: 部门整体 and 项目绩效目标表;
 * results: 自评表), as the Word file that was generated, kept to be downloaded again. `tables`
 * is JSON: per table its owner, version id, version number and approval date, and the
 * exchange JSON that was published (what the public page shows). Never updated.
 */
export const publications = sqliteTable(
  "publications",
  {
    id: id(),
    regionId: integer("region_id").notNull().references(() => regions.id),
    year: integer("year").notNull(),
    departmentId: integer("department_id").notNull().references(() => departments.id),
    kind: text("kind", { enum: PUBLICATION_KINDS }).notNull(),
    tables: text("tables").notNull(),
    tableCount: integer("table_count").notNull(),
    fileName: text("file_name").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    data: blob("data", { mode: "buffer" }).notNull(),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index("publications_region_year_department").on(t.regionId, t.year, t.departmentId, t.kind)],
);

export const regionsRelations = relations(regions, ({ many }) => ({
  departments: many(departments),
  users: many(users),
}));
export const departmentsRelations = relations(departments, ({ one, many }) => ({
  region: one(regions, { fields: [departments.regionId], references: [regions.id] }),
  units: many(units),
}));
export const unitsRelations = relations(units, ({ one }) => ({
  department: one(departments, { fields: [units.departmentId], references: [departments.id] }),
}));
export const targetTablesRelations = relations(targetTables, ({ many }) => ({
  indicators: many(indicators),
  reviews: many(reviews),
}));
export const indicatorsRelations = relations(indicators, ({ one }) => ({
  table: one(targetTables, { fields: [indicators.tableId], references: [targetTables.id] }),
}));
export const reviewsRelations = relations(reviews, ({ one }) => ({
  table: one(targetTables, { fields: [reviews.tableId], references: [targetTables.id] }),
}));
