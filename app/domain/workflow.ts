// The workflow of a target table (docs/domain.md §7) as pure functions:
//   草稿 → 待主管部门审核 → 待财政审核 → 已批复 (locked)
//   退回修改 from either review returns the table to its filler (with comments);
//   finance rates 优/良/中/差: 中 must be returned, 差 is rejected (不予安排);
//   an approved table can be adjusted (申请调整): a new version starts as 草稿 and goes
//   through the same reviews; the approved version stays readable until the new one is
//   approved, then it is 已被调整 (superseded).
// Who may act on *which* table (tenant, department, unit scope) is checked by the server;
// here only role × state × action. Pure TypeScript: no I/O.

export const STATES = ["draft", "pending_department", "pending_finance", "approved", "returned", "rejected", "superseded"] as const;
export type TableState = (typeof STATES)[number];

export const STATE_LABELS: Record<TableState, string> = {
  draft: "草稿",
  pending_department: "待主管部门审核",
  pending_finance: "待财政审核",
  approved: "已批复",
  returned: "退回修改",
  rejected: "不予安排",
  superseded: "已调整",
};

export const ROLES = ["unit", "department", "finance", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = ["submit", "approve", "return", "reject", "request_adjustment"] as const;
export type WorkflowAction = (typeof ACTIONS)[number];

export const ACTION_LABELS: Record<WorkflowAction, string> = {
  submit: "提交审核",
  approve: "审核通过",
  return: "退回修改",
  reject: "不予安排",
  request_adjustment: "申请调整",
};

export const RATINGS = ["优", "良", "中", "差"] as const;
export type Rating = (typeof RATINGS)[number];

/** Whose table it is: a project table is filled by a unit, a 部门整体 table by its department. */
export type TableKind = "project" | "department";

export interface ActionContext {
  kind: TableKind;
  /** Number of error findings of the checker; submit is refused while > 0. */
  errorCount?: number;
  /** 审核意见 / reason. Required to return, reject and request an adjustment. */
  comment?: string | null;
  /** Finance's review rating; required when finance approves or rejects. */
  rating?: Rating | null;
  /** True when this version is an adjustment of an approved one. */
  isAdjustment?: boolean;
}

export type ActionEffect =
  /** request_adjustment: create a new version (state draft) copying this one; this one stays approved. */
  | "create_version"
  /** the table is now final (approved or rejected): no more edits. */
  | "lock"
  /** approval of an adjustment version: the previously approved version becomes superseded. */
  | "supersede_previous";

export type TransitionResult =
  | { ok: true; from: TableState; to: TableState; action: WorkflowAction; effects: ActionEffect[] }
  | { ok: false; from: TableState; action: WorkflowAction; reason: string };

/** The role that fills (and submits) tables of a kind. */
export function fillerRole(kind: TableKind): Role {
  return kind === "project" ? "unit" : "department";
}

/** Is the table editable by its filler in this state? (草稿 and 退回修改 only.) */
export function isEditable(state: TableState): boolean {
  return state === "draft" || state === "returned";
}

/** Is this state a final, locked one (approved, rejected, superseded)? */
export function isLocked(state: TableState): boolean {
  return state === "approved" || state === "rejected" || state === "superseded";
}

const blank = (s: string | null | undefined) => s == null || s.trim() === "";

/**
 * Decides an action: `{ok: true, to, effects}` with the next state, or `{ok: false, reason}`
 * with a Chinese reason why it is refused. For request_adjustment the table itself stays
 * 已批复 (`to` = "approved") and the effect `create_version` asks the caller to create
 * the new draft version.
 */
export function transition(state: TableState, action: WorkflowAction, role: Role, ctx: ActionContext): TransitionResult {
  const refuse = (reason: string): TransitionResult => ({ ok: false, from: state, action, reason });
  const go = (to: TableState, effects: ActionEffect[] = []): TransitionResult => ({ ok: true, from: state, to, action, effects });
  const filler = fillerRole(ctx.kind);
  const stateLabel = STATE_LABELS[state];

  if (role === "admin") return refuse("系统管理员不参与绩效目标的填报和审核");

  switch (action) {
    case "submit": {
      if (role !== filler) {
        return refuse(ctx.kind === "project" ? "只有项目单位填报人可以提交项目绩效目标表" : "只有主管部门可以提交部门整体绩效目标表");
      }
      if (!isEditable(state)) return refuse(`「${stateLabel}」状态的表不能提交，只有草稿或退回修改的表可以提交`);
      if ((ctx.errorCount ?? 0) > 0) return refuse(`还有 ${ctx.errorCount} 个错误，改正后才能提交审核`);
      // A department's own 部门整体 table skips the department review.
      return go(ctx.kind === "project" ? "pending_department" : "pending_finance");
    }
    case "approve": {
      if (state === "pending_department") {
        if (role !== "department") return refuse("待主管部门审核的表只能由主管部门审核");
        return go("pending_finance");
      }
      if (state === "pending_finance") {
        if (role !== "finance") return refuse("待财政审核的表只能由财政局审核");
        if (!ctx.rating) return refuse("财政审核通过前须给出审核评级（优/良/中/差）");
        if (ctx.rating === "中") return refuse("评级为「中」的绩效目标须退回修改，不能审核通过");
        if (ctx.rating === "差") return refuse("评级为「差」的绩效目标应不予安排，不能审核通过");
        return go("approved", ctx.isAdjustment ? ["lock", "supersede_previous"] : ["lock"]);
      }
      return refuse(`「${stateLabel}」状态的表不在审核中，不能审核通过`);
    }
    case "return": {
      const reviewer = state === "pending_department" ? "department" : state === "pending_finance" ? "finance" : null;
      if (!reviewer) return refuse(`「${stateLabel}」状态的表不在审核中，不能退回`);
      if (role !== reviewer) return refuse(`${STATE_LABELS[state]}的表只能由${reviewer === "department" ? "主管部门" : "财政局"}退回`);
      if (blank(ctx.comment)) return refuse("退回修改须填写审核意见");
      if (reviewer === "finance" && ctx.rating === "差") return refuse("评级为「差」的绩效目标应不予安排，而不是退回修改");
      return go("returned");
    }
    case "reject": {
      if (state !== "pending_finance") return refuse(`只有待财政审核的表可以不予安排（当前为「${stateLabel}」）`);
      if (role !== "finance") return refuse("只有财政局可以不予安排");
      if (ctx.rating !== "差") return refuse("只有评级为「差」的绩效目标才不予安排；评级为「中」的应退回修改");
      if (blank(ctx.comment)) return refuse("不予安排须填写审核意见");
      return go("rejected", ["lock"]);
    }
    case "request_adjustment": {
      if (state !== "approved") return refuse(`只有已批复的表可以申请调整（当前为「${stateLabel}」）`);
      if (role !== filler) return refuse("只有填报单位可以申请调整");
      if (blank(ctx.comment)) return refuse("申请调整须说明调整理由");
      return go("approved", ["create_version"]);
    }
  }
}

/** The actions a role may take on a table in a state (ignoring comment/rating, which the form asks for). */
export function availableActions(state: TableState, role: Role, kind: TableKind): WorkflowAction[] {
  return ACTIONS.filter((a) => {
    const r = transition(state, a, role, { kind, errorCount: 0, comment: "x", rating: a === "reject" ? "差" : "优" });
    return r.ok;
  });
}

/** Finance's rating decides the action: 优/良 approve, 中 return, 差 reject. */
export function actionForRating(rating: Rating): WorkflowAction {
  return rating === "中" ? "return" : rating === "差" ? "reject" : "approve";
}
