// Demo monitoring (issue 10 item 9): in each demo region-year, a closed round (Q1) with
// approved entries of every light colour and open 整改, and an open round (Q2, deadline 30
// days after the seed) with entries in every state. Nothing is typed in: every value is
// derived from the approved demo tables (seeded by db/seed-tables.ts) — each indicator's
// target and each project's budget — by a PRNG keyed by project id and period, so the same
// database always gets the same entries. Everything is written through the model functions
// the routes use (openRound, saveEntry, reviewEntry, closeRound, issueRectification…),
// acting as the region's demo users, so the seed obeys the rules the app enforces.
// Idempotent: a region-year that already has a monitoring round is left alone.
import { and, asc, eq, inArray } from "drizzle-orm";
import { db } from "../db/client.server";
import { readSeedRegions } from "../db/seed";
import { departmentTargets, projects, regions, rounds, users, type RoundKind } from "../db/schema";
import type { CurrentUser } from "../app/auth/types";
import { Dec } from "../app/domain/decimal";
import { DEVIATION_REASONS, isCumulativeIndicator, timeProgress, type DeviationReason, type Light, type Likelihood, type PeriodCode } from "../app/domain/monitoring";
import type { MonitoringForm, MonitoringRowForm } from "../app/domain/monitoring-form";
import type { ReportAction } from "../app/domain/report-workflow";
import { numericTarget } from "../app/domain/rules";
import { allowedPeriods, shanghaiDate, shanghaiDay } from "../app/domain/rounds";
import { isQuantitative } from "../app/domain/taxonomy";
import { mulberry32 } from "../app/utils/prng";
import { answerRectification, issueRectification } from "../app/models/rectifications.server";
import { findReport, loadEntry, reviewEntry, saveEntry, type EntryView, type OwnerRef } from "../app/models/reports.server";
import { closeRound, getRound, openRound, type Round } from "../app/models/rounds.server";
import { ruleSetFor } from "../app/models/rulesets.server";

const DAY = 24 * 60 * 60 * 1000;

type Rand = () => number;
const between = (r: Rand, lo: number, hi: number) => lo + (hi - lo) * r();
const pick = <T,>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** How a project stands in a round: every light green, one or two yellow, or one red. */
type Profile = "on" | "slight" | "off";

const REASON_TEXT: Record<DeviationReason, string> = {
  经费保障: "部分资金尚未拨付到位，相关工作推迟开展",
  制度保障: "配套管理办法尚在修订，部分事项暂缓实施",
  人员保障: "项目经办人员调整，工作衔接需要时间",
  硬件条件保障: "场地和设备尚未到位，影响实施进度",
  其他: "受申报企业数量和审核周期影响，进度慢于计划",
};
const MEASURES = ["加快资金拨付和项目审核，按月调度实施进度", "倒排工期，每月向主管部门报送进展", "增配经办人员，压实岗位责任", "协调场地和设备提前到位，分批组织实施"];
const BUDGET_REASONS = ["部分项目尚未完成验收，资金按合同节点支付", "补助资金待企业申报审核后集中拨付", "政府采购程序尚未完成，合同款暂未支付"];
const BUDGET_MEASURES = ["督促加快验收和支付进度，按月通报执行情况", "压缩审核时限，审核一批拨付一批", "加快采购进度，合同签订后及时支付"];
const QUALITATIVE_ACTUAL: Record<Light, string> = { green: "按计划推进", yellow: "部分工作滞后于计划", red: "进度明显滞后" };
const LIKELIHOOD: Record<Light, Likelihood> = { green: "确定能", yellow: "有可能", red: "完全不可能" };

/** A decimal with `places` decimals from a count of 10^-places steps. */
const stepsToText = (steps: number, places: number) => Dec.fraction(steps, 10 ** places).toString();

/**
 * 全年预计完成值 aimed at a light: the target (green), within 10% of it (yellow; when no
 * value of the target's precision fits, the target with 「有可能」 makes it yellow), or well
 * short of it (red, with 「完全不可能」). The server computes the light itself.
 */
function projectedFor(operator: string, target: Dec, want: Light): string {
  const places = target.isInteger() ? 0 : 2;
  const t = Math.round(target.toNumber() * 10 ** places);
  const up = operator === "≤" || operator === "<";
  const exact = operator === ">" ? t + 1 : operator === "<" ? t - 1 : t;
  if (want === "green") return stepsToText(exact, places);
  if (want === "yellow") {
    const c = up ? Math.ceil(t * 1.05) : Math.floor(t * 0.95);
    const inside = up ? c > t && c <= t * 1.1 : c < t && c >= t * 0.9;
    return stepsToText(inside ? c : exact, places);
  }
  return stepsToText(up ? Math.max(Math.ceil(t * 1.5), t + 1) : Math.floor(t * 0.6), places);
}

/** One indicator's row of the form, aimed at a light. */
function rowFor(ind: EntryView["indicators"][number], want: Light, period: PeriodCode, r: Rand, cumulative: boolean): MonitoringRowForm {
  const target = numericTarget(ind.target);
  let actual: string;
  let projected = "";
  if (!isQuantitative(ind.operator) || target === null) {
    actual = QUALITATIVE_ACTUAL[want];
    if (isQuantitative(ind.operator)) projected = ind.target ?? "";
  } else {
    projected = projectedFor(ind.operator, target, want);
    if (cumulative) {
      // An amount accumulates over the year: about 序时进度 of the projection so far, rounded
      // up, so it never sits below half of target × 序时进度 (no 「进度与预计不符」 on purpose).
      const places = target.isInteger() ? 0 : 2;
      const so = Number(projected) * timeProgress(period).toNumber() * between(r, 0.85, 1.15);
      actual = stepsToText(Math.ceil(so * 10 ** places), places);
    } else {
      actual = projected;
    }
  }
  const off = want !== "green";
  const reasons: DeviationReason[] = off ? [pick(r, DEVIATION_REASONS)] : [];
  return {
    actual,
    projected,
    likelihood: LIKELIHOOD[want],
    reasons,
    reasonText: off ? REASON_TEXT[reasons[0]] : "",
    measures: off ? pick(r, MEASURES) : "",
  };
}

/** The whole entry for a profile: indicator lights, budget execution against 序时进度. */
function entryFor(view: EntryView, period: PeriodCode, profile: Profile, r: Rand, complete: boolean, cumulative: (i: EntryView["indicators"][number]) => boolean): MonitoringForm {
  const n = view.indicators.length;
  const wants: Light[] = view.indicators.map(() => "green");
  if (profile !== "on" && n > 0) {
    const first = Math.floor(r() * n);
    wants[first] = profile === "off" ? "red" : "yellow";
    if (n >= 6) wants[(first + 1 + Math.floor(r() * (n - 1))) % n] = "yellow";
  }
  const budgetWant: Light = profile === "on" ? "green" : profile === "slight" ? (r() < 0.6 ? "yellow" : "green") : r() < 0.7 ? "red" : "yellow";
  // 执行率 in percent: within 10 points of 序时进度 (green), 12–18 behind (yellow), 22+ behind (red).
  const tp = timeProgress(period).toNumber() * 100;
  const rate = budgetWant === "green" ? tp + between(r, -7, 6) : budgetWant === "yellow" ? tp - between(r, 12, 18) : Math.max(0, tp - between(r, 22, 32));
  const annual = view.owner.budget ?? 0;
  const executed = Math.round((annual * rate) / 100);
  const rows = view.indicators.map((ind, i) => rowFor(ind, wants[i], period, r, cumulative(ind)));
  // A draft is work in progress: the last indicator not filled in yet.
  if (!complete && rows.length > 1) rows[rows.length - 1] = { actual: "", projected: "", likelihood: "", reasons: [], reasonText: "", measures: "" };
  const budgetOff = budgetWant !== "green";
  return {
    budgetAnnual: view.form.budgetAnnual,
    budgetExecuted: Dec.fraction(executed, 10000).toString(),
    budgetReason: budgetOff ? pick(r, BUDGET_REASONS) : "",
    budgetMeasures: budgetOff ? pick(r, BUDGET_MEASURES) : "",
    summary: "",
    rows,
  };
}

export type DemoUsers = Record<"finance" | "department" | "unit", CurrentUser>;

/** The region's demo users as the session would give them (app/auth/session.server.ts). */
function demoUsers(slug: string): DemoUsers | null {
  // The user names db/seed.ts gives the demo users of a region.
  const names = ["finance", "dept", "unit"].map((suffix) => `${slug}.${suffix}`);
  // Typed as CurrentUser: a field the session adds later is a compile error here.
  const rows = db
    .select({ u: users, r: regions })
    .from(users)
    .innerJoin(regions, eq(regions.id, users.regionId))
    .where(and(inArray(users.username, names), eq(users.active, true)))
    .all()
    .map(({ u, r }): CurrentUser => ({ id: u.id, username: u.username, displayName: u.displayName, role: u.role, regionId: u.regionId, departmentId: u.departmentId, unitId: u.unitId,
      regionName: r.name, regionSlug: r.slug, currentYear: r.currentYear, skipDepartmentReview: r.skipDepartmentReview }));
  const by = (role: string) => rows.find((u) => u.role === role);
  const finance = by("finance");
  const department = by("department");
  const unit = by("unit");
  return finance && department && unit ? { finance, department, unit } : null;
}

export class SeedRefused extends Error {}
export const must = <T extends { ok: boolean }>(what: string, r: T): T => {
  if (!r.ok) throw new SeedRefused(`${what}: ${JSON.stringify(r)}`);
  return r;
};

/** A report's status now (after a transition). */
export const statusOf = (round: Round, ref: OwnerRef) => findReport(round.id, ref)?.status ?? null;

export function review(who: CurrentUser, round: Round, ref: OwnerRef, action: ReportAction, comment = "", rowComments: Array<{ position: number; comment: string }> = []) {
  must(`${action} ${ref.kind} ${ref.id}`, reviewEntry(who, round, ref, { action, comment, rowComments, revision: null }));
}

/** Reviews a submitted report up to `until` (pending_finance or approved) as the reviewers would. */
export function approveUpTo(u: DemoUsers, round: Round, ref: OwnerRef, until: "pending_finance" | "approved") {
  for (let guard = 0; guard < 3; guard++) {
    const s = statusOf(round, ref);
    if (s === until || s === "approved") return;
    if (s === "pending_department") review(u.department, round, ref, "approve", "同意。");
    else if (s === "pending_finance") review(u.finance, round, ref, "approve", "审核通过。");
    else return;
  }
}

export type MonitoringSeedResult = { rounds: number; reports: number; rectifications: number };

/**
 * Runs `seed` for every demo region whose current year has no round of `kind` yet, each
 * region in one transaction (all or nothing); a refusal skips the region with a warning.
 * Returns what each seeded region added. Shared with seeds/evaluation.ts.
 */
export function seedDemoRegions<R>(kind: RoundKind, what: string, seed: (u: DemoUsers, year: number, slug: string) => R): R[] {
  const out: R[] = [];
  for (const seedRegion of readSeedRegions()) {
    const region = db.select().from(regions).where(eq(regions.slug, seedRegion.slug)).get();
    if (!region) continue;
    const year = region.currentYear;
    const exists = db
      .select({ id: rounds.id })
      .from(rounds)
      .where(and(eq(rounds.regionId, region.id), eq(rounds.year, year), eq(rounds.kind, kind)))
      .get();
    if (exists) continue;
    const u = demoUsers(region.slug);
    if (!u) continue;
    try {
      out.push(db.transaction(() => seed(u, year, region.slug)));
    } catch (e) {
      // A refusal means the demo no longer fits the app's rules: start without it, say why.
      if (!(e instanceof SeedRefused)) throw e;
      console.warn(`jixiao: demo ${what} for ${region.slug} not seeded (${e.message})`);
    }
  }
  return out;
}

/** The approved projects of the demo unit (the demo unit user fills them) and the demo department's 部门整体 target. */
export function demoOwners(u: DemoUsers, year: number): { projectIds: number[]; deptTarget: { id: number } | undefined } {
  const projectIds = db
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.regionId, u.unit.regionId), eq(projects.year, year), eq(projects.unitId, u.unit.unitId ?? -1)))
    .orderBy(asc(projects.id))
    .all()
    .map((p) => p.id);
  const deptTarget = db
    .select({ id: departmentTargets.id })
    .from(departmentTargets)
    .where(and(eq(departmentTargets.regionId, u.department.regionId), eq(departmentTargets.year, year), eq(departmentTargets.departmentId, u.department.departmentId ?? -1)))
    .get();
  return { projectIds, deptTarget };
}

/**
 * Seeds demo monitoring in every demo region whose current year has no monitoring round
 * yet; each region in one transaction (all or nothing). Returns what was added.
 */
export function seedMonitoringDemo(now = new Date()): MonitoringSeedResult {
  const added: MonitoringSeedResult = { rounds: 0, reports: 0, rectifications: 0 };
  for (const r of seedDemoRegions("monitoring", "monitoring", (u, year) => seedRegionYear(u, year, now))) {
    added.rounds += r.rounds;
    added.reports += r.reports;
    added.rectifications += r.rectifications;
  }
  return added;
}

function seedRegionYear(u: DemoUsers, year: number, now: Date): MonitoringSeedResult {
  const out: MonitoringSeedResult = { rounds: 0, reports: 0, rectifications: 0 };
  const ruleSet = ruleSetFor(u.finance.regionId, year);
  const periods = allowedPeriods(ruleSet.monitoring.periods);
  const closedPeriod: PeriodCode = periods.includes("Q1") ? "Q1" : periods[0];
  const openPeriod = (["Q2", "H1", "M7", "Q3", "Q4"] as const).find((p) => p !== closedPeriod && periods.includes(p));
  if (!closedPeriod || !openPeriod) return out;
  const today = shanghaiDate(now);
  const daysFrom = (d: number) => shanghaiDate(new Date(now.getTime() + d * DAY));
  const isPast = (day: string) => shanghaiDay(day, "end")!.getTime() < now.getTime() - DAY;

  const { projectIds, deptTarget } = demoOwners(u, year);
  const cumulative = (i: EntryView["indicators"][number]) => isCumulativeIndicator(i, ruleSet);

  // ------------------------------------------------ closed round: Q1, everything reviewed
  const q1Open = `${year}-04-01`;
  const q1Due = `${year}-04-15`;
  const closed = must(
    "open closed round",
    openRound(u.finance, { year, kind: "monitoring", period: closedPeriod, opensOn: isPast(q1Due) ? q1Open : daysFrom(-30), dueOn: isPast(q1Due) ? q1Due : daysFrom(-16) }),
  ) as { ok: true; id: number };
  out.rounds++;
  const q1 = getRound(u.finance, closed.id)!;
  const viewOf = (round: Round, ref: OwnerRef) => {
    const who = ref.kind === "project" ? u.unit : u.department;
    const v = loadEntry(who, round, ref, now);
    return v && v.owner.budget ? v : null;
  };
  const fill = (round: Round, ref: OwnerRef, profile: Profile, intent: "save" | "submit", key: number) => {
    const view = viewOf(round, ref);
    if (!view) return false;
    const who = ref.kind === "project" ? u.unit : u.department;
    const raw = entryFor(view, round.period as PeriodCode, profile, mulberry32(key), intent === "submit", cumulative);
    must(`${intent} ${ref.kind} ${ref.id}`, saveEntry(who, round, ref, { intent, revision: view.report?.revision ?? null, raw }, now));
    out.reports += view.report ? 0 : 1;
    return true;
  };

  /** The reviewer the submitted entry waits for sends it back (the department, or finance when it is skipped). */
  const returnEntry = (round: Round, ref: OwnerRef, comment: string, rowComments: Array<{ position: number; comment: string }> = []) => {
    const s = statusOf(round, ref);
    if (s === "pending_department") review(u.department, round, ref, "return", comment, rowComments);
    else if (s === "pending_finance") review(u.finance, round, ref, "return", comment, rowComments);
  };

  // The first three projects are off, slightly off and on track, so every light shows; the
  // others draw their profile. With four or more projects the last one never entered (逾期).
  const drawProfile = (r: Rand): Profile => {
    const x = r();
    return x < 0.6 ? "on" : x < 0.85 ? "slight" : "off";
  };
  const entered = projectIds.length >= 4 ? projectIds.slice(0, -1) : projectIds;
  entered.forEach((id, i) => {
    const profile: Profile = i === 0 ? "off" : i === 1 ? "slight" : i === 2 ? "on" : drawProfile(mulberry32(id * 7 + 1));
    const ref: OwnerRef = { kind: "project", id };
    if (!fill(q1, ref, profile, "submit", id * 100 + 1)) return;
    if (i === 1) {
      // One entry went back once before it was approved: a review history to look at.
      returnEntry(q1, ref, "请补充偏差原因的具体说明，并明确纠偏措施的完成时限。");
      fill(q1, ref, profile, "submit", id * 100 + 2);
    }
    approveUpTo(u, q1, ref, "approved");
  });
  if (deptTarget) {
    const ref: OwnerRef = { kind: "department", id: deptTarget.id };
    if (fill(q1, ref, "on", "submit", deptTarget.id * 100 + 51)) approveUpTo(u, q1, ref, "approved");
  }
  // 整改: on the red projects, the first left open, the second answered (waiting for finance).
  const red = entered.filter((id) => {
    const rep = findReport(q1.id, { kind: "project", id });
    return rep && rep.status === "approved" && (rep.red > 0 || rep.budgetLight === "red");
  });
  red.slice(0, 2).forEach((id, i) => {
    const ref: OwnerRef = { kind: "project", id };
    const issued = must(
      `rectify ${id}`,
      issueRectification(u.finance, q1, ref, { requirement: "该项目指标完成或预算执行亮红灯。请在整改期限前报送整改方案，说明资金拨付计划和指标完成措施。", dueOn: daysFrom(30) }),
    ) as { ok: true; id: number };
    out.rectifications++;
    if (i === 1) must(`answer ${id}`, answerRectification(u.unit, issued.id, { answer: "已制定整改方案：调整实施计划，加快资金拨付，下季度起按月报送进展。", revision: null }, now));
  });
  must("close round", closeRound(u.finance, q1, now));

  // ------------------------------------------------ open round: Q2, entries in every state
  const opensOn = isPast(`${year}-07-01`) ? `${year}-07-01` : today;
  const opened = must("open round", openRound(u.finance, { year, kind: "monitoring", period: openPeriod, opensOn, dueOn: daysFrom(30) })) as { ok: true; id: number };
  out.rounds++;
  const q2 = getRound(u.finance, opened.id)!;
  const STATES = ["returned", "pending_department", "draft", "pending_finance", "approved", "none"] as const;
  projectIds.forEach((id, i) => {
    const state = STATES[i % STATES.length];
    if (state === "none") return;
    const ref: OwnerRef = { kind: "project", id };
    // The project under 整改 is still off; the others draw again.
    const profile: Profile = i === 0 ? "off" : drawProfile(mulberry32(id * 7 + 2));
    if (!fill(q2, ref, profile, state === "draft" ? "save" : "submit", id * 100 + 3)) return;
    if (state === "returned") {
      const view = viewOf(q2, ref)!;
      const flagged = view.form.rows.findIndex((row) => row.likelihood !== "确定能");
      returnEntry(
        q2,
        ref,
        "请核实全年预计完成值，并补充纠偏措施的完成时限。",
        flagged >= 0 ? [{ position: view.indicators[flagged].position, comment: "预计完成值与上期相比变化较大，请说明依据。" }] : [],
      );
    } else if (state === "pending_finance" || state === "approved") {
      approveUpTo(u, q2, ref, state);
    }
  });
  if (deptTarget) fill(q2, { kind: "department", id: deptTarget.id }, "on", "save", deptTarget.id * 100 + 52);
  return out;
}
