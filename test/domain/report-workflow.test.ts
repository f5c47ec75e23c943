import { describe, expect, it } from "vitest";
import { isReportEditable, reportTransition, reviewActions, type ReportActionContext } from "../../app/domain/report-workflow";
import {
  allowedPeriods,
  daysLeft,
  effectiveDue,
  isEntryOpen,
  isOverdue,
  roundPhase,
  shanghaiDate,
  shanghaiDay,
  type Reopening,
} from "../../app/domain/rounds";

const project: ReportActionContext = { owner: "project", skipDepartmentReview: false, entryOpen: true };

describe("report workflow", () => {
  it("happy path: 草稿 → 待主管部门审核 → 待财政审核 → 已审核", () => {
    expect(reportTransition("draft", "submit", "unit", project)).toEqual({ ok: true, from: "draft", to: "pending_department", action: "submit" });
    expect(reportTransition("pending_department", "approve", "department", project)).toMatchObject({ ok: true, to: "pending_finance" });
    expect(reportTransition("pending_finance", "approve", "finance", project)).toMatchObject({ ok: true, to: "approved" });
  });
  it("skips the department review when the region says so, and for 部门整体 reports", () => {
    expect(reportTransition("draft", "submit", "unit", { ...project, skipDepartmentReview: true })).toMatchObject({ ok: true, to: "pending_finance" });
    expect(reportTransition("draft", "submit", "department", { ...project, owner: "department" })).toMatchObject({ ok: true, to: "pending_finance" });
    expect(reportTransition("draft", "submit", "unit", { ...project, owner: "department" })).toMatchObject({ ok: false, reason: "只有主管部门可以提交部门整体的填报" });
  });
  it("submit: wrong role, wrong state, closed round, missing fields", () => {
    expect(reportTransition("draft", "submit", "department", project)).toMatchObject({ ok: false, reason: "只有项目单位可以提交" });
    expect(reportTransition("draft", "submit", "admin", project)).toMatchObject({ ok: false });
    expect(reportTransition("pending_finance", "submit", "unit", project)).toMatchObject({ ok: false, reason: "「待财政审核」状态不能提交，只有草稿或退回修改的可以提交" });
    expect(reportTransition("approved", "submit", "unit", project)).toMatchObject({ ok: false });
    expect(reportTransition("draft", "submit", "unit", { ...project, entryOpen: false })).toMatchObject({ ok: false, reason: "本轮任务未开放或已关闭，不能提交" });
    const r = reportTransition("returned", "submit", "unit", { ...project, missing: ["a", "b", "c", "d"] });
    expect(r).toMatchObject({ ok: false, reason: "还有 4 项必填内容未完成：a；b；c……" });
    expect(reportTransition("returned", "submit", "unit", project)).toMatchObject({ ok: true, to: "pending_department" });
  });
  it("approve and return need the right reviewer; return needs a comment", () => {
    expect(reportTransition("pending_department", "approve", "finance", project)).toMatchObject({ ok: false });
    expect(reportTransition("pending_finance", "approve", "department", project)).toMatchObject({ ok: false });
    expect(reportTransition("draft", "approve", "finance", project)).toMatchObject({ ok: false });
    expect(reportTransition("pending_department", "return", "department", { ...project, comment: " " })).toMatchObject({ ok: false, reason: "退回修改须填写审核意见" });
    expect(reportTransition("pending_department", "return", "department", { ...project, comment: "补充原因" })).toMatchObject({ ok: true, to: "returned" });
    expect(reportTransition("pending_finance", "return", "department", { ...project, comment: "x" })).toMatchObject({ ok: false });
    expect(reportTransition("approved", "return", "finance", { ...project, comment: "x" })).toMatchObject({ ok: false });
  });
  it("editable states and offered review actions", () => {
    expect(["draft", "returned"].every((s) => isReportEditable(s as never))).toBe(true);
    expect(isReportEditable("pending_department")).toBe(false);
    expect(isReportEditable("approved")).toBe(false);
    expect(reviewActions("pending_department", "department")).toEqual(["approve", "return"]);
    expect(reviewActions("pending_department", "finance")).toEqual([]);
    expect(reviewActions("pending_finance", "finance")).toEqual(["approve", "return"]);
    expect(reviewActions("draft", "finance")).toEqual([]);
  });
});

describe("rounds", () => {
  const round = { opensAt: new Date("2026-07-01T00:00:00Z"), dueAt: new Date("2026-07-15T15:59:59Z"), closedAt: null as Date | null };
  const owner = { departmentId: 5, projectId: 50, departmentTargetId: null };
  const reopen = (r: Partial<Reopening>): Reopening => ({ departmentId: null, projectId: null, departmentTargetId: null, dueAt: null, closedAt: null, ...r });

  it("phases: scheduled before it opens, open until closed, the deadline does not close it", () => {
    expect(roundPhase(round, new Date("2026-06-30T23:00:00Z"))).toBe("scheduled");
    expect(roundPhase(round, new Date("2026-07-01T00:00:00Z"))).toBe("open");
    expect(roundPhase(round, new Date("2026-08-01T00:00:00Z"))).toBe("open");
    const closed = { ...round, closedAt: new Date("2026-07-20T00:00:00Z") };
    expect(roundPhase(closed, new Date("2026-07-19T23:59:59Z"))).toBe("open");
    expect(roundPhase(closed, new Date("2026-07-20T00:00:00Z"))).toBe("closed");
  });
  it("a closed round accepts entries only where a live reopening covers the owner", () => {
    const closed = { ...round, closedAt: new Date("2026-07-20T00:00:00Z") };
    const now = new Date("2026-07-25T00:00:00Z");
    expect(isEntryOpen(closed, [], owner, now)).toBe(false);
    expect(isEntryOpen(closed, [reopen({ departmentId: 5 })], owner, now)).toBe(true);
    expect(isEntryOpen(closed, [reopen({ departmentId: 6 })], owner, now)).toBe(false);
    expect(isEntryOpen(closed, [reopen({ projectId: 50 })], owner, now)).toBe(true);
    expect(isEntryOpen(closed, [reopen({ projectId: 51 })], owner, now)).toBe(false);
    expect(isEntryOpen(closed, [reopen({ departmentTargetId: 50 })], owner, now)).toBe(false);
    expect(isEntryOpen(closed, [reopen({ projectId: 50, closedAt: new Date("2026-07-24T00:00:00Z") })], owner, now)).toBe(false);
    expect(isEntryOpen(round, [], owner, new Date("2026-06-01T00:00:00Z"))).toBe(false);
  });
  it("a reopening's own deadline applies to its owner", () => {
    const due = new Date("2026-08-01T15:59:59Z");
    expect(effectiveDue(round, [reopen({ projectId: 50, dueAt: due })], owner, new Date("2026-07-25T00:00:00Z"))).toEqual(due);
    expect(effectiveDue(round, [reopen({ projectId: 51, dueAt: due })], owner, new Date("2026-07-25T00:00:00Z"))).toEqual(round.dueAt);
  });
  it("days left and overdue are counted in Asia/Shanghai calendar days", () => {
    const due = shanghaiDay("2026-07-15", "end")!;
    expect(due.toISOString()).toBe("2026-07-15T15:59:59.999Z");
    expect(daysLeft(due, new Date("2026-07-15T00:00:00Z"))).toBe(0);
    expect(daysLeft(due, new Date("2026-07-14T15:59:59Z"))).toBe(1);
    expect(daysLeft(due, new Date("2026-07-14T16:00:00Z"))).toBe(0);
    expect(daysLeft(due, new Date("2026-07-16T00:00:00Z"))).toBe(-1);
    expect(isOverdue("draft", due, new Date("2026-07-15T16:00:00Z"))).toBe(true);
    expect(isOverdue(null, due, new Date("2026-07-15T16:00:00Z"))).toBe(true);
    expect(isOverdue("returned", due, new Date("2026-07-15T15:00:00Z"))).toBe(false);
    expect(isOverdue("pending_department", due, new Date("2026-07-20T00:00:00Z"))).toBe(false);
  });
  it("dates: real calendar days only", () => {
    expect(shanghaiDay("2026-02-30", "end")).toBeNull();
    expect(shanghaiDay("2026-7-1", "end")).toBeNull();
    expect(shanghaiDay("2026-07-01", "start")!.toISOString()).toBe("2026-06-30T16:00:00.000Z");
    expect(shanghaiDate(new Date("2026-06-30T16:00:00Z"))).toBe("2026-07-01");
    expect(shanghaiDate(new Date("2026-06-30T15:59:59Z"))).toBe("2026-06-30");
  });
  it("periods allowed by the rule set", () => {
    expect(allowedPeriods(["Q2", "H1"])).toEqual(["Q2", "H1"]);
    expect(allowedPeriods(undefined)).toEqual(["Q1", "Q2", "Q3", "Q4", "H1", "M7"]);
  });
});
