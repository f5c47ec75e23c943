// Demo 绩效自评 (issue 11 item 9), derived from the approved demo tables (db/seed-tables.ts):
//   - 南岸区 2024 (a past year): a finished self-evaluation — every project of the demo unit
//     and the 部门整体 target filled, reviewed and approved with every grade 优/良/中/差
//     present, one returned once before approval, one deduction by finance with its reason,
//     the task closed — and a 2025 draft of the project graded 差 (same name and unit), so
//     结果应用 flags it on the 2025 project list;
//   - 綦江区 2026 (the year under way): an open one, due in 30 days, with entries in every
//     state; its units can still fill the rest (the browser tests use it too).
// Why these two: docs/decisions/022-demo-self-evaluation.md.
// Nothing is typed in: each project gets a grade to aim at (the first ones fixed so every
// grade shows, the rest drawn by a PRNG keyed by project id), and its actuals are derived
// from its targets so the official score lands in that grade (优: targets met; 差: well
// below), checked with the same domain code the server uses; explanations are short sentences
// built from the numbers. Everything is written through the model functions the routes use
// (openRound, saveEvaluation, reviewEntry, adjustScore, closeRound, commitImport) acting as
// the region's demo users, so the seed obeys the rules the app enforces (docs/evaluation.md).
// Idempotent: a region-year that already has an evaluation round is left alone.
import { and, asc, eq } from "drizzle-orm";
import { db } from "../db/client.server";
import { departments, indicators, projectHeaders, projects, targetTables, units } from "../db/schema";
import { Dec } from "../app/domain/decimal";
import { assessEvaluationEntry, emptyEvaluationRow, type EvaluationForm, type EvaluationIndicator, type EvaluationRowForm } from "../app/domain/evaluation-form";
import type { RuleSet } from "../app/domain/rules";
import { numericTarget } from "../app/domain/rules";
import { shanghaiDate, shanghaiDay } from "../app/domain/rounds";
import { scoreQuantitative, type Grade, type ScoreOverride } from "../app/domain/scoring";
import { isQuantitative } from "../app/domain/taxonomy";
import { mulberry32 } from "../app/utils/prng";
import { adjustScore, loadEvaluation, saveEvaluation } from "../app/models/evaluations.server";
import { projectToExchange } from "../app/models/exchange.server";
import { commitImport, ImportError } from "../app/models/import.server";
import { wanTextToYuan, type OwnerRef } from "../app/models/reports.server";
import { closeRound, getRound, openRound, type Round } from "../app/models/rounds.server";
import { ruleSetFor } from "../app/models/rulesets.server";
import { approveUpTo, demoOwners, must, review, SeedRefused, seedDemoRegions, statusOf, type DemoUsers } from "./monitoring";

const DAY = 24 * 60 * 60 * 1000;

type Rand = () => number;
const between = (r: Rand, lo: number, hi: number) => lo + (hi - lo) * r();
const pick = <T,>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/**
 * Which demo region-year gets which self-evaluation: the past year's is finished, the current
 * year's is under way (test/e2e/evaluation.e2e.ts needs 綦江 2026's task 进行中). The
 * finished one needs four projects of the demo unit (every grade), the open one five (every
 * state): 南岸 has 7, 綦江 15, 万盛 2.
 */
const PLAN: Record<string, "finished" | "open"> = { nanan: "finished", qijiang: "open" };

const REASONS = [
  "部分资金拨付晚于计划，相关工作推迟开展",
  "符合条件的申报对象少于年初预计",
  "政策调整，部分事项暂缓实施",
  "项目经办人员调整，工作衔接不够及时",
  "受市场环境影响，企业投资和参与意愿下降",
];
const MEASURES = [
  "加强资金调度，按月通报执行进度",
  "提前做好项目储备，加大政策宣传力度",
  "完善工作机制，压实岗位责任",
  "结合实际科学设定下年度绩效目标，加强过程监控",
];
const SUMMARY: Record<Grade, string> = {
  优: "年度绩效目标全面完成",
  良: "年度绩效目标基本完成",
  中: "年度绩效目标部分完成",
  差: "年度绩效目标大部分未完成",
};
/** Budget 执行率 drawn per grade aimed at. */
const RATE: Record<Grade, [number, number]> = { 优: [0.96, 1], 良: [0.9, 0.98], 中: [0.8, 0.92], 差: [0.55, 0.78] };

/** The total to aim at inside a grade's band of the rule set, away from its edges. */
function band(grade: Grade, rs: RuleSet): [number, number] {
  const g = rs.scoring.grades;
  if (grade === "优") return [g.优 + 2, 99];
  if (grade === "良") return [g.良 + 2, g.优 - 2];
  if (grade === "中") return [g.中 + 3, g.良 - 3];
  return [Math.max(5, g.中 - 25), g.中 - 5];
}

/** Decimals a value is written with (at most 2), so an actual reads like its target. */
const placesOf = (d: Dec) => Math.min(2, (d.toString().split(".")[1] ?? "").length);
const stepsToText = (steps: number, places: number) => Dec.fraction(steps, 10 ** places).toString();

/** An actual scoring about `ratio` (0–1) of the weight, or null when the indicator cannot lose only part of it. */
function shortActual(ind: EvaluationIndicator, ratio: number): string | null {
  const target = numericTarget(ind.target);
  if (!target || !isQuantitative(ind.operator)) return null;
  const p = placesOf(target);
  const t = Math.round(target.toNumber() * 10 ** p);
  if (ind.operator === "≥" || ind.operator === ">") {
    if (t <= 1) return null;
    return stepsToText(Math.max(1, Math.min(t - 1, Math.floor(t * ratio))), p);
  }
  if (ind.operator === "≤" || ind.operator === "<") {
    if (t <= 0) return null;
    return stepsToText(Math.max(t + 1, Math.ceil(t / Math.max(ratio, 0.05))), p);
  }
  // "=": below the target; a zero target is all or nothing.
  if (t === 0) return ratio < 0.2 ? "1" : null;
  return stepsToText(Math.max(0, Math.min(t - 1, Math.floor(t * ratio))), p);
}

/** An actual meeting the target: the target itself, or a little better. */
function fullActual(ind: EvaluationIndicator, r: Rand): string {
  const target = numericTarget(ind.target);
  if (!target || !isQuantitative(ind.operator)) return ind.target ?? "";
  const p = placesOf(target);
  const t = Math.round(target.toNumber() * 10 ** p);
  if ((ind.operator === "≥" || ind.operator === ">") && t > 0 && r() < 0.4) return stepsToText(Math.max(t, Math.floor(t * between(r, 1.02, 1.12))), p);
  return stepsToText(t, p);
}

/** An actual above a ≥ target by 30–50% (over the rule set's threshold: must be analysed). */
function overActual(ind: EvaluationIndicator, r: Rand, rs: RuleSet): string | null {
  const target = numericTarget(ind.target);
  if (!target || (ind.operator !== "≥" && ind.operator !== ">") || target.sign() <= 0) return null;
  const p = placesOf(target);
  const t = Math.round(target.toNumber() * 10 ** p);
  const steps = Math.max(Math.floor(t * (1 + rs.scoring.overAchievementThreshold)) + 1, Math.ceil(t * between(r, 1.3, 1.5)));
  return stepsToText(steps, p);
}

/** The points a row scores (the official formula), for steering the generator. */
function rowScore(ind: EvaluationIndicator, row: EvaluationRowForm, rs: RuleSet): number {
  const w = ind.weight ?? 0;
  if (ind.operator === "定性") return (Number(row.percent || 100) / 100) * w;
  const target = numericTarget(ind.target);
  const actual = numericTarget(row.actual);
  if (!target || !actual || !isQuantitative(ind.operator)) return w;
  return scoreQuantitative(ind.operator, target, actual, Dec.of(w), rs).score.toNumber();
}

const withUnit = (v: string, unit: string | null) => `${v}${unit ?? ""}`;

/** 偏差原因分析及改进措施 for a row below full marks, from its numbers. */
function shortfallText(ind: EvaluationIndicator, row: EvaluationRowForm, r: Rand): string {
  const why = `原因：${pick(r, REASONS)}；改进措施：${pick(r, MEASURES)}。`;
  if (ind.operator === "定性") return `完成程度为「${row.actual}」（${row.percent}%），${why}`;
  const a = withUnit(row.actual, ind.unit);
  const t = withUnit(ind.target ?? "", ind.unit);
  if (ind.operator === "≤" || ind.operator === "<") return `实际完成 ${a}，高于目标上限 ${t}，${why}`;
  if (ind.operator === "=") return `实际完成 ${a}，与目标 ${t} 不一致，${why}`;
  return `实际完成 ${a}，低于目标 ${t}，${why}`;
}

/** What one generated evaluation aims at. */
type Aim = { grade: Grade; overAchieve: boolean; complete: boolean };
type Generated = { form: EvaluationForm; grade: Grade; over: { index: number; score: string; reason: string } | null };
type View = NonNullable<ReturnType<typeof loadEvaluation>>;

/** One attempt: a total drawn in the grade's band, its points lost by the budget and by drawn rows. */
function attempt(view: View, aim: Aim, rs: RuleSet, r: Rand): Generated {
  const inds = view.evaluationIndicators;
  const rows: EvaluationRowForm[] = inds.map((ind) => ({ ...emptyEvaluationRow(), actual: ind.operator === "定性" ? "达成" : fullActual(ind, r) }));
  const [lo, hi] = band(aim.grade, rs);
  const W = view.budgetExecutionWeight ?? 0;
  const maxPoints = W + inds.reduce((s, i) => s + (i.weight ?? 0), 0);
  const rate = between(r, ...RATE[aim.grade]);
  let rest = ((100 - between(r, lo, hi)) / 100) * maxPoints - W * (1 - rate);
  const order = inds.map((_, i) => i).sort(() => r() - 0.5);
  const short = new Set<number>();
  for (const i of order) {
    const ind = inds[i];
    const w = ind.weight ?? 0;
    if (rest < 0.25 || w <= 0) continue;
    const lose = Math.min(rest, w * between(r, 0.25, aim.grade === "差" ? 0.95 : 0.6));
    const ratio = 1 - lose / w;
    if (ind.operator === "定性") {
      const percent = Math.max(1, Math.round(ratio * 100));
      rows[i] = { ...rows[i], actual: percent >= 80 ? "达成" : percent >= 60 ? "部分达成" : "未达成", percent: String(percent) };
    } else {
      const actual = shortActual(ind, ratio);
      if (actual === null) continue;
      rows[i] = { ...rows[i], actual };
    }
    const lost = w - rowScore(ind, rows[i], rs);
    if (lost <= 0) continue;
    rest -= lost;
    short.add(i);
  }
  for (const i of short) rows[i] = { ...rows[i], explanation: shortfallText(inds[i], rows[i], r) };

  // Over-achievement on a row kept at full marks: explained by the unit, deducted by finance.
  let over: Generated["over"] = null;
  if (aim.overAchieve) {
    const i = order.find((k) => !short.has(k) && overActual(inds[k], r, rs) !== null);
    if (i !== undefined) {
      const ind = inds[i];
      const actual = overActual(ind, r, rs)!;
      const pct = Math.round((Number(actual) / Number(numericTarget(ind.target)!.toNumber()) - 1) * 100);
      rows[i] = {
        ...rows[i],
        actual,
        explanation: `实际完成 ${withUnit(actual, ind.unit)}，超过目标 ${withUnit(ind.target ?? "", ind.unit)} 约 ${pct}%，原因：年初对申报规模估计偏保守；经分析指标值设定偏低，下年度将据实调高。`,
      };
      const w = Dec.of(ind.weight ?? 0);
      const score = w.mul(Dec.fraction(3, 4)).round(2);
      over = {
        index: i,
        score: score.toString(),
        reason: `实际完成值超过指标值约 ${pct}%，年初指标值设定明显偏低，按自评管理办法扣减 ${w.sub(score).toString()} 分。`,
      };
    }
  }

  const annual = wanTextToYuan(view.form.budgetAnnual);
  const annualYuan = typeof annual === "number" ? annual : (view.owner.budget ?? 0);
  const form: EvaluationForm = {
    budgetAnnual: Dec.fraction(annualYuan, 10000).toString(),
    // Executed to the hundred 元, as a treasury report would round it.
    budgetExecuted: Dec.fraction(Math.round((annualYuan * rate) / 100) * 100, 10000).toString(),
    summary: "",
    rows,
  };
  const overrides: ScoreOverride[] = over ? [{ indicator: over.index, score: over.score, reason: over.reason }] : [];
  const input = { indicators: inds, budgetExecutionWeight: view.budgetExecutionWeight, budgetInitial: view.budgetInitial, kind: view.owner.kind, form };
  const a = assessEvaluationEntry({ ...input, overrides }, rs);
  const met = a.score.indicators.filter((s) => s.weight !== null && s.score !== null && s.score >= s.weight).length;
  form.summary =
    `${SUMMARY[a.score.grade]}。全年预算 ${form.budgetAnnual} 万元，执行 ${form.budgetExecuted} 万元，执行率 ${annualYuan > 0 ? ((Number(form.budgetExecuted) / Number(form.budgetAnnual)) * 100).toFixed(2) : "—"}%；` +
    `${inds.length} 项指标中 ${met} 项达到目标值` +
    (met < inds.length ? `，其余 ${inds.length - met} 项的偏差原因及改进措施见各指标说明。` : "。");
  if (!aim.complete) {
    // Work in progress: the last row and the summary not filled in yet.
    if (rows.length > 1) rows[rows.length - 1] = emptyEvaluationRow();
    form.summary = "";
  }
  return { form, grade: a.score.grade, over };
}

/** An evaluation whose official total falls in the grade aimed at (deterministic tries). */
function evaluationFor(view: View, aim: Aim, rs: RuleSet, key: number): Generated {
  let last!: Generated;
  for (let k = 0; k < 40; k++) {
    last = attempt(view, aim, rs, mulberry32(key * 41 + k));
    if (last.grade === aim.grade && (!aim.overAchieve || last.over)) return last;
  }
  return last;
}

export type EvaluationSeedResult = { rounds: number; reports: number; adjustments: number; nextYearTables: number };

/**
 * Seeds the demo self-evaluations (PLAN) in every demo region whose current year has no
 * evaluation round yet; each region in one transaction (all or nothing). Returns what was added.
 */
export function seedEvaluationDemo(now = new Date()): EvaluationSeedResult {
  const added: EvaluationSeedResult = { rounds: 0, reports: 0, adjustments: 0, nextYearTables: 0 };
  const seeded = seedDemoRegions("evaluation", "self-evaluation", (u, year, slug) => (PLAN[slug] ? seedRegionYear(u, year, PLAN[slug], now) : null));
  for (const r of seeded) {
    if (!r) continue;
    added.rounds += r.rounds;
    added.reports += r.reports;
    added.adjustments += r.adjustments;
    added.nextYearTables += r.nextYearTables;
  }
  return added;
}

function seedRegionYear(u: DemoUsers, year: number, plan: "finished" | "open", now: Date): EvaluationSeedResult {
  const out: EvaluationSeedResult = { rounds: 0, reports: 0, adjustments: 0, nextYearTables: 0 };
  const rs = ruleSetFor(u.finance.regionId, year);
  const daysFrom = (d: number) => shanghaiDate(new Date(now.getTime() + d * DAY));
  const isPast = (day: string) => shanghaiDay(day, "end")!.getTime() < now.getTime() - DAY;
  // The year-end self-evaluation runs in the first quarter of the next year; when that is
  // still ahead, the demo's dates are around today instead.
  const [natOpen, natDue] = [`${year + 1}-01-01`, `${year + 1}-03-31`];
  const dates =
    plan === "finished"
      ? isPast(natDue) ? { opensOn: natOpen, dueOn: natDue } : { opensOn: daysFrom(-45), dueOn: daysFrom(-15) }
      : { opensOn: isPast(natOpen) ? natOpen : shanghaiDate(now), dueOn: daysFrom(30) };
  const opened = must("open self-evaluation", openRound(u.finance, { year, kind: "evaluation", period: "Y", ...dates })) as { ok: true; id: number };
  out.rounds++;
  const round = getRound(u.finance, opened.id)!;

  const { projectIds, deptTarget } = demoOwners(u, year);

  const fillerOf = (ref: OwnerRef) => (ref.kind === "project" ? u.unit : u.department);
  const viewOf = (ref: OwnerRef) => {
    const v = loadEvaluation(fillerOf(ref), round, ref, now);
    return v && v.owner.budget ? v : null;
  };
  /** The filler saves or submits a generated evaluation; the generation is returned. */
  const fill = (ref: OwnerRef, aim: Aim, intent: "save" | "submit", key: number): Generated | null => {
    const view = viewOf(ref);
    if (!view) return null;
    const g = evaluationFor(view, aim, rs, key);
    must(`${intent} ${ref.kind} ${ref.id}`, saveEvaluation(fillerOf(ref), round, ref, { intent, revision: view.report?.revision ?? null, raw: g.form }, now));
    out.reports += view.report ? 0 : 1;
    return g;
  };
  /** The reviewer the submitted entry waits for sends it back, commenting on a row below full marks. */
  const returnEntry = (ref: OwnerRef, g: Generated, comment: string) => {
    const view = viewOf(ref)!;
    const k = g.form.rows.findIndex((row) => row.explanation !== "");
    const rowComments = k >= 0 ? [{ position: view.evaluationIndicators[k].position, comment: "请量化说明偏差原因，并明确改进措施的完成时限。" }] : [];
    const s = statusOf(round, ref);
    if (s === "pending_department") review(u.department, round, ref, "return", comment, rowComments);
    else if (s === "pending_finance") review(u.finance, round, ref, "return", comment, rowComments);
  };
  const drawGrade = (r: Rand): Grade => {
    const x = r();
    return x < 0.45 ? "优" : x < 0.8 ? "良" : x < 0.96 ? "中" : "差";
  };

  if (plan === "finished") {
    // The first four show every grade (the 4th over-achieves and is deducted); the others draw.
    const FIXED: Grade[] = ["差", "中", "良", "优"];
    let poor: number | null = null;
    projectIds.forEach((id, i) => {
      const ref: OwnerRef = { kind: "project", id };
      const aim: Aim = { grade: FIXED[i] ?? drawGrade(mulberry32(id * 7 + 11)), overAchieve: i === 3, complete: true };
      const g = fill(ref, aim, "submit", id * 100 + 11);
      if (!g) return;
      if (i === 1) {
        // Sent back once before approval: a review history to look at.
        returnEntry(ref, g, "请补充未完成指标的具体原因和整改措施。");
        fill(ref, aim, "submit", id * 100 + 12);
      }
      approveUpTo(u, round, ref, "pending_finance");
      if (g.over && statusOf(round, ref) === "pending_finance") {
        const position = viewOf(ref)!.evaluationIndicators[g.over.index].position;
        must(`adjust ${id}`, adjustScore(u.finance, round, ref, { position, score: g.over.score, reason: g.over.reason, revision: null }, now));
        out.adjustments++;
      }
      approveUpTo(u, round, ref, "approved");
      if (aim.grade === "差" && poor === null) poor = id;
    });
    if (deptTarget) {
      const ref: OwnerRef = { kind: "department", id: deptTarget.id };
      if (fill(ref, { grade: "良", overAchieve: false, complete: true }, "submit", deptTarget.id * 100 + 51)) approveUpTo(u, round, ref, "approved");
    }
    must("close self-evaluation", closeRound(u.finance, round, now));
    if (poor !== null) out.nextYearTables += copyToNextYear(u.finance.regionId, poor);
    return out;
  }

  // Open: entries in every state (and one owner not started).
  const STATES = ["approved", "pending_finance", "pending_department", "returned", "draft", "none"] as const;
  projectIds.forEach((id, i) => {
    const state = STATES[i % STATES.length];
    if (state === "none") return;
    const ref: OwnerRef = { kind: "project", id };
    const aim: Aim = { grade: drawGrade(mulberry32(id * 7 + 13)), overAchieve: false, complete: state !== "draft" };
    const g = fill(ref, aim, state === "draft" ? "save" : "submit", id * 100 + 13);
    if (!g) return;
    if (state === "returned") returnEntry(ref, g, "部分指标偏差原因分析不充分，请补充后重新提交。");
    else if (state === "pending_finance" || state === "approved") approveUpTo(u, round, ref, state);
  });
  if (deptTarget) fill({ kind: "department", id: deptTarget.id }, { grade: "良", overAchieve: false, complete: true }, "submit", deptTarget.id * 100 + 53);
  return out;
}

/**
 * Next year's draft of a project (same code, name, unit and indicators), filed as an import
 * would file it, so the project list of year + 1 shows last year's 差 (结果应用). Returns 1
 * when it was added, 0 when that year already has it.
 */
function copyToNextYear(regionId: number, projectId: number): number {
  const row = db
    .select({ project: projects, header: projectHeaders, dept: departments, unit: units, table: targetTables })
    .from(projects)
    .innerJoin(departments, eq(departments.id, projects.departmentId))
    .leftJoin(units, eq(units.id, projects.unitId))
    .innerJoin(targetTables, and(eq(targetTables.projectId, projects.id), eq(targetTables.isCurrent, true)))
    .leftJoin(projectHeaders, eq(projectHeaders.tableId, targetTables.id))
    .where(eq(projects.id, projectId))
    .get();
  if (!row) return 0;
  const rows = db.select().from(indicators).where(eq(indicators.tableId, row.table.id)).orderBy(asc(indicators.position)).all();
  const table = projectToExchange(row.project, row.header, row.dept, row.unit, row.table, rows);
  try {
    const result = commitImport({ id: null, regionId }, { year: row.project.year + 1, mode: "draft", tables: [table], source: `${row.project.year} 年度项目（演示数据）` });
    return result.created.length;
  } catch (e) {
    if (e instanceof ImportError) throw new SeedRefused(`copy to ${row.project.year + 1}: ${e.message}`);
    throw e;
  }
}
