// The review workflow of a report (监控填报 or 绩效自评), docs/monitoring.md:
//   草稿 → 待主管部门审核 → 待财政审核 → 已审核 (locked)
//   退回修改 from either review returns the report to its filler with the reviewer's comment.
// Like target tables, but without ratings, rejection or adjustment. A 部门整体 report and
// regions that skip the department review go from submission straight to finance.
// Who may act on *which* report (tenant and scope) is checked by the server. Pure TypeScript.
import type { Role, TableKind } from "./workflow";

export const REPORT_STATES = ["draft", "pending_department", "pending_finance", "approved", "returned"] as const;
export type ReportState = (typeof REPORT_STATES)[number];

export const REPORT_STATE_LABELS: Record<ReportState, string> = {
  draft: "草稿",
  pending_department: "待主管部门审核",
  pending_finance: "待财政审核",
  approved: "已审核",
  returned: "退回修改",
};

export const REPORT_ACTIONS = ["submit", "approve", "return"] as const;
export type ReportAction = (typeof REPORT_ACTIONS)[number];

export type ReportKind = "monitoring" | "evaluation";

export function submitLabel(kind: ReportKind): string {
  return kind === "monitoring" ? "提交监控" : "提交自评";
}

export const REPORT_ACTION_LABELS: Record<ReportAction, string> = {
  submit: "提交",
  approve: "审核通过",
  return: "退回修改",
};

export interface ReportActionContext {
  /** Whose report: a project's (filled by its unit) or a 部门整体 one (by the department). */
  owner: TableKind;
  /** Region setting: submissions go straight to finance. */
  skipDepartmentReview: boolean;
  /** Required to return. */
  comment?: string | null;
  /** Reasons the report may not be submitted yet (missing required fields); empty when complete. */
  missing?: readonly string[];
  /** Is entry possible now (round open, or reopened for this owner)? Needed to submit. */
  entryOpen: boolean;
}

export type ReportTransition =
  | { ok: true; from: ReportState; to: ReportState; action: ReportAction }
  | { ok: false; from: ReportState; action: ReportAction; reason: string };

export function reportFillerRole(owner: TableKind): Role {
  return owner === "project" ? "unit" : "department";
}

/** The filler may change the report only in 草稿 and 退回修改. */
export function isReportEditable(state: ReportState): boolean {
  return state === "draft" || state === "returned";
}

export function reportTransition(state: ReportState, action: ReportAction, role: Role, ctx: ReportActionContext): ReportTransition {
  const refuse = (reason: string): ReportTransition => ({ ok: false, from: state, action, reason });
  const go = (to: ReportState): ReportTransition => ({ ok: true, from: state, to, action });
  const label = REPORT_STATE_LABELS[state];
  if (role === "admin") return refuse("系统管理员不参与填报和审核");

  switch (action) {
    case "submit": {
      if (role !== reportFillerRole(ctx.owner)) {
        return refuse(ctx.owner === "project" ? "只有项目单位可以提交" : "只有主管部门可以提交部门整体的填报");
      }
      if (!isReportEditable(state)) return refuse(`「${label}」状态不能提交，只有草稿或退回修改的可以提交`);
      if (!ctx.entryOpen) return refuse("本轮任务未开放或已关闭，不能提交");
      const missing = ctx.missing ?? [];
      if (missing.length > 0) return refuse(`还有 ${missing.length} 项必填内容未完成：${missing.slice(0, 3).join("；")}${missing.length > 3 ? "……" : ""}`);
      const direct = ctx.owner === "department" || ctx.skipDepartmentReview;
      return go(direct ? "pending_finance" : "pending_department");
    }
    case "approve": {
      if (state === "pending_department") {
        if (role !== "department") return refuse("待主管部门审核的只能由主管部门审核");
        return go("pending_finance");
      }
      if (state === "pending_finance") {
        if (role !== "finance") return refuse("待财政审核的只能由财政局审核");
        return go("approved");
      }
      return refuse(`「${label}」状态不在审核中，不能审核通过`);
    }
    case "return": {
      const reviewer = state === "pending_department" ? "department" : state === "pending_finance" ? "finance" : null;
      if (!reviewer) return refuse(`「${label}」状态不在审核中，不能退回`);
      if (role !== reviewer) return refuse(`${label}的只能由${reviewer === "department" ? "主管部门" : "财政局"}退回`);
      if (!ctx.comment || ctx.comment.trim() === "") return refuse("退回修改须填写审核意见");
      return go("returned");
    }
  }
}

/** The review actions a role may take in a state (submit is offered separately on the entry form). */
export function reviewActions(state: ReportState, role: Role): ReportAction[] {
  return (["approve", "return"] as const).filter(
    (a) => reportTransition(state, a, role, { owner: "project", skipDepartmentReview: false, comment: "x", entryOpen: true }).ok,
  );
}
