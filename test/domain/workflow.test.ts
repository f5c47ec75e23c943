import { describe, expect, it } from "vitest";
import { actionForRating, availableActions, isEditable, transition, type ActionContext } from "../../app/domain/workflow";

const project: ActionContext = { kind: "project" };

describe("target-table workflow", () => {
  it("happy path: 草稿 → 待主管部门审核 → 待财政审核 → 已批复", () => {
    const a = transition("draft", "submit", "unit", project);
    expect(a).toEqual({ ok: true, from: "draft", to: "pending_department", action: "submit", effects: [] });
    const b = transition("pending_department", "approve", "department", project);
    expect(b).toMatchObject({ ok: true, to: "pending_finance" });
    const c = transition("pending_finance", "approve", "finance", { ...project, rating: "良" });
    expect(c).toMatchObject({ ok: true, to: "approved", effects: ["lock"] });
  });
  it("a department's own 部门整体 table goes straight to finance", () => {
    expect(transition("draft", "submit", "department", { kind: "department" })).toMatchObject({ ok: true, to: "pending_finance" });
    expect(transition("draft", "submit", "unit", { kind: "department" })).toMatchObject({ ok: false });
  });
  it("submit is refused with errors, in the wrong state, or by the wrong role", () => {
    expect(transition("draft", "submit", "unit", { ...project, errorCount: 3 })).toMatchObject({
      ok: false,
      reason: "还有 3 个错误，改正后才能提交审核",
    });
    expect(transition("approved", "submit", "unit", project)).toMatchObject({
      ok: false,
      reason: "「已批复」状态的表不能提交，只有草稿或退回修改的表可以提交",
    });
    expect(transition("draft", "submit", "finance", project)).toMatchObject({ ok: false, reason: "只有项目单位填报人可以提交项目绩效目标表" });
    expect(transition("returned", "submit", "unit", project)).toMatchObject({ ok: true, to: "pending_department" });
  });
  it("return needs the right reviewer and a comment", () => {
    expect(transition("pending_department", "return", "department", { ...project, comment: "补充依据" })).toMatchObject({ ok: true, to: "returned" });
    expect(transition("pending_department", "return", "department", { ...project, comment: " " })).toMatchObject({
      ok: false,
      reason: "退回修改须填写审核意见",
    });
    expect(transition("pending_department", "return", "finance", { ...project, comment: "x" })).toMatchObject({
      ok: false,
      reason: "待主管部门审核的表只能由主管部门退回",
    });
    expect(transition("pending_finance", "return", "finance", { ...project, comment: "x", rating: "中" })).toMatchObject({ ok: true, to: "returned" });
    expect(transition("draft", "return", "department", { ...project, comment: "x" })).toMatchObject({ ok: false });
  });
  it("finance ratings: 中 must be returned, 差 is rejected (不予安排)", () => {
    expect(transition("pending_finance", "approve", "finance", { ...project, rating: "中" })).toMatchObject({
      ok: false,
      reason: "评级为「中」的绩效目标须退回修改，不能审核通过",
    });
    expect(transition("pending_finance", "approve", "finance", { ...project, rating: "差" })).toMatchObject({ ok: false });
    expect(transition("pending_finance", "approve", "finance", project)).toMatchObject({
      ok: false,
      reason: "财政审核通过前须给出审核评级（优/良/中/差）",
    });
    expect(transition("pending_finance", "reject", "finance", { ...project, rating: "差", comment: "不予安排" })).toMatchObject({
      ok: true,
      to: "rejected",
    });
    expect(transition("pending_finance", "reject", "finance", { ...project, rating: "中", comment: "x" })).toMatchObject({ ok: false });
    expect(transition("pending_finance", "return", "finance", { ...project, rating: "差", comment: "x" })).toMatchObject({ ok: false });
    expect(actionForRating("优")).toBe("approve");
    expect(actionForRating("中")).toBe("return");
    expect(actionForRating("差")).toBe("reject");
  });
  it("adjustment of an approved table creates a new version; its approval supersedes the old one", () => {
    expect(transition("approved", "request_adjustment", "unit", { ...project, comment: "任务调整" })).toEqual({
      ok: true,
      from: "approved",
      to: "approved",
      action: "request_adjustment",
      effects: ["create_version"],
    });
    expect(transition("approved", "request_adjustment", "unit", project)).toMatchObject({ ok: false, reason: "申请调整须说明调整理由" });
    expect(transition("draft", "request_adjustment", "unit", { ...project, comment: "x" })).toMatchObject({ ok: false });
    expect(transition("pending_finance", "approve", "finance", { ...project, rating: "优", isAdjustment: true })).toMatchObject({
      ok: true,
      effects: ["lock", "supersede_previous"],
    });
  });
  it("admins take no part", () => {
    expect(transition("draft", "submit", "admin", project)).toMatchObject({ ok: false, reason: "系统管理员不参与绩效目标的填报和审核" });
    expect(availableActions("pending_finance", "admin", "project")).toEqual([]);
  });
  it("availableActions and editability", () => {
    expect(availableActions("draft", "unit", "project")).toEqual(["submit"]);
    expect(availableActions("pending_department", "department", "project")).toEqual(["approve", "return"]);
    expect(availableActions("pending_finance", "finance", "project")).toEqual(["approve", "return", "reject"]);
    expect(availableActions("approved", "unit", "project")).toEqual(["request_adjustment"]);
    expect(availableActions("approved", "finance", "project")).toEqual([]);
    expect(isEditable("returned")).toBe(true);
    expect(isEditable("pending_finance")).toBe(false);
  });
});
