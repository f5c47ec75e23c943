// Rounds (监控任务 / 自评任务), docs/monitoring.md: a round is open for entry from its open
// date until finance closes it; its deadline only marks entries as overdue. A closed round
// can be reopened for one department or one owner with a written reason. Pure TypeScript.
import { PERIODS, type PeriodCode } from "./monitoring";

export const EVALUATION_PERIOD = "Y";

export interface RoundTimes {
  opensAt: Date;
  dueAt: Date;
  closedAt: Date | null;
}

export interface Reopening {
  departmentId: number | null;
  projectId: number | null;
  departmentTargetId: number | null;
  dueAt: Date | null;
  closedAt: Date | null;
}

export interface EntryOwner {
  departmentId: number;
  projectId: number | null;
  departmentTargetId: number | null;
}

export type RoundPhase = "scheduled" | "open" | "closed";

export const ROUND_PHASE_LABELS: Record<RoundPhase, string> = { scheduled: "未开始", open: "进行中", closed: "已关闭" };

export function roundPhase(round: RoundTimes, now: Date): RoundPhase {
  if (round.closedAt && round.closedAt <= now) return "closed";
  return now < round.opensAt ? "scheduled" : "open";
}

/** Does a reopening apply to this owner (its department, or the owner itself) and is it still open? */
export function reopeningApplies(r: Reopening, owner: EntryOwner, now: Date): boolean {
  if (r.closedAt && r.closedAt <= now) return false;
  if (r.projectId !== null) return r.projectId === owner.projectId;
  if (r.departmentTargetId !== null) return r.departmentTargetId === owner.departmentTargetId;
  return r.departmentId !== null && r.departmentId === owner.departmentId;
}

/** Is entry possible for this owner now: the round is open, or a reopening covers the owner. */
export function isEntryOpen(round: RoundTimes, reopenings: readonly Reopening[], owner: EntryOwner, now: Date): boolean {
  const phase = roundPhase(round, now);
  if (phase === "open") return true;
  if (phase === "scheduled") return false;
  return reopenings.some((r) => reopeningApplies(r, owner, now));
}

/** The deadline that applies to an owner: a reopening's own deadline, else the round's. */
export function effectiveDue(round: RoundTimes, reopenings: readonly Reopening[], owner: EntryOwner, now: Date): Date {
  const r = reopenings.find((x) => reopeningApplies(x, owner, now) && x.dueAt);
  return r?.dueAt ?? round.dueAt;
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * Whole days left until the deadline (0 on the last day, negative when overdue), counted in
 * calendar days of Asia/Shanghai so every server and browser agrees.
 */
export function daysLeft(due: Date, now: Date): number {
  const shanghaiDay = (d: Date) => Math.floor((d.getTime() + 8 * 60 * 60 * 1000) / DAY);
  return shanghaiDay(due) - shanghaiDay(now);
}

/** An entry not yet submitted (draft, returned or not started) after the deadline is overdue. */
export function isOverdue(status: string | null, due: Date, now: Date): boolean {
  const submitted = status === "pending_department" || status === "pending_finance" || status === "approved";
  return !submitted && now > due;
}

export function periodLabel(kind: "monitoring" | "evaluation", period: string): string {
  if (kind === "evaluation") return "年度自评";
  return period in PERIODS ? PERIODS[period as PeriodCode].label : period;
}

/** The monitoring periods a region's rule set allows (all of them unless it narrows them). */
export function allowedPeriods(configured: readonly string[] | undefined): PeriodCode[] {
  const all = Object.keys(PERIODS) as PeriodCode[];
  if (!configured || configured.length === 0) return all;
  return all.filter((p) => configured.includes(p));
}

/**
 * Parses a calendar day "YYYY-MM-DD" as the end (23:59:59.999) or start of that day in
 * Asia/Shanghai; null when it is not a real date.
 */
export function shanghaiDay(text: string, edge: "start" | "end"): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(y, mo - 1, d);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  const start = utc - 8 * 60 * 60 * 1000;
  return new Date(edge === "start" ? start : start + DAY - 1);
}

/** The Asia/Shanghai calendar day of an instant, "YYYY-MM-DD". */
export function shanghaiDate(d: Date): string {
  return new Date(d.getTime() + 8 * 60 * 60 * 1000).toISOString().slice(0, 10);
}
