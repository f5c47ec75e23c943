// Demo 绩效自评 (seeds/evaluation.ts): 南岸 2024 finished (every grade, a deduction with its
// reason, closed) with a 2025 draft of the 差 project flagged on the 2025 list; 綦江 2026 open
// with entries in every state; values derived from the approved tables; for every demo
// evaluation the stored score and grade are the domain's (and `jixiao score`'s on its JSON
// export); a refusal skips the region with a warning; a second run adds nothing; db/setup.ts
// seeds it only with the demo.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, asc, eq, inArray } from "drizzle-orm";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { countIn, runSetup } from "../helpers/setup-process";

type Result = { rounds: number; reports: number; adjustments: number; nextYearTables: number };
let refusedRun: Result;
let refusedWarnings: string[] = [];
let second: Result;
const region: Record<string, number> = {};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-seed-evaluation-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  await setupDatabase();
  const { db } = await import("../../db/client.server");
  const { indicators, projects, regions, targetTables } = await import("../../db/schema");
  const { seedPublishedTables } = await import("../../db/seed-tables");
  const { seedMonitoringDemo } = await import("../../seeds/monitoring");
  const { seedEvaluationDemo } = await import("../../seeds/evaluation");
  seedPublishedTables(db);
  seedMonitoringDemo();
  for (const r of db.select().from(regions).all()) region[r.slug] = r.id;

  // An approved 南岸 table the app cannot score (an indicator without a weight): its
  // submission is refused, so 南岸 is skipped with a warning and 綦江 is seeded all the same;
  // the next run, with the weight back, seeds 南岸.
  const first = db
    .select({ id: indicators.id, weight: indicators.weight })
    .from(indicators)
    .innerJoin(targetTables, eq(targetTables.id, indicators.tableId))
    .innerJoin(projects, eq(projects.id, targetTables.projectId))
    .where(eq(projects.regionId, region.nanan))
    .orderBy(asc(projects.id), asc(indicators.position))
    .get()!;
  db.update(indicators).set({ weight: null }).where(eq(indicators.id, first.id)).run();
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  refusedRun = seedEvaluationDemo();
  refusedWarnings = warn.mock.calls.map((c) => String(c[0]));
  warn.mockRestore();
  db.update(indicators).set({ weight: first.weight }).where(eq(indicators.id, first.id)).run();
  second = seedEvaluationDemo();
});

async function evaluationRound(slug: string) {
  const { db } = await import("../../db/client.server");
  const { rounds } = await import("../../db/schema");
  return db
    .select()
    .from(rounds)
    .where(and(eq(rounds.regionId, region[slug]), eq(rounds.kind, "evaluation")))
    .all();
}

async function reportsOf(roundId: number) {
  const { db } = await import("../../db/client.server");
  const { reports } = await import("../../db/schema");
  return db.select().from(reports).where(eq(reports.roundId, roundId)).orderBy(asc(reports.id)).all();
}

describe("demo self-evaluation", () => {
  it("a refused region is skipped with a warning, the others seeded; the next start seeds it", async () => {
    expect(refusedWarnings).toEqual([expect.stringMatching(/^jixiao: demo self-evaluation for nanan not seeded \(.*权重缺失或无效/)]);
    expect(refusedRun).toMatchObject({ rounds: 1, adjustments: 0, nextYearTables: 0 });
    expect(second).toMatchObject({ rounds: 1, adjustments: 1, nextYearTables: 1 });
    expect(refusedRun.reports + second.reports).toBeGreaterThan(20);
    expect(await evaluationRound("wansheng")).toEqual([]);
  });

  it("南岸 2024 is finished: closed, every entry approved (部门整体 too), every grade, a return in the history", async () => {
    const { db } = await import("../../db/client.server");
    const { projects, reportReviews, targetTables } = await import("../../db/schema");
    const [round] = await evaluationRound("nanan");
    expect(round).toMatchObject({ year: 2024, period: "Y" });
    expect(round.closedAt!.getTime()).toBeLessThanOrEqual(Date.now());
    const list = await reportsOf(round.id);
    // Every approved project of the year has its evaluation (coverage 100%).
    const approvedTables = db
      .select({ id: projects.id })
      .from(projects)
      .innerJoin(targetTables, and(eq(targetTables.projectId, projects.id), eq(targetTables.isCurrent, true), eq(targetTables.status, "approved")))
      .where(and(eq(projects.regionId, region.nanan), eq(projects.year, 2024)))
      .all();
    expect(list.filter((r) => r.projectId).map((r) => r.projectId).sort()).toEqual(approvedTables.map((p) => p.id).sort());
    expect(list.filter((r) => r.departmentTargetId)).toHaveLength(1);
    expect(new Set(list.map((r) => r.status))).toEqual(new Set(["approved"]));
    expect(new Set(list.map((r) => r.grade))).toEqual(new Set(["优", "良", "中", "差"]));
    const reviews = db.select().from(reportReviews).where(inArray(reportReviews.reportId, list.map((r) => r.id))).all();
    const returned = reviews.filter((r) => r.action === "return");
    expect(returned).toHaveLength(1);
    expect(returned[0].comment).toBeTruthy();
    expect(JSON.parse(returned[0].rowComments!)).toHaveLength(1);
  });

  it("南岸 2024: one deduction by finance with its reason, on an over-achieving row, in force in the stored score", async () => {
    const { db } = await import("../../db/client.server");
    const { auditEvents, reportRows, scoreAdjustments, users } = await import("../../db/schema");
    const [round] = await evaluationRound("nanan");
    const ids = (await reportsOf(round.id)).map((r) => r.id);
    const adj = db.select().from(scoreAdjustments).where(inArray(scoreAdjustments.reportId, ids)).all();
    expect(adj).toHaveLength(1);
    const a = adj[0];
    expect(a.after).toBeLessThan(a.before);
    expect(a.reason).toMatch(/超过指标值约 \d+%.*扣减 [\d.]+ 分/);
    expect(db.select().from(users).where(eq(users.id, a.actorId!)).get()!.username).toBe("nanan.finance");
    const row = db.select().from(reportRows).where(and(eq(reportRows.reportId, a.reportId), eq(reportRows.position, a.position))).get()!;
    expect(row.score).toBe(a.after);
    // The unit explained the over-achievement before finance deducted.
    expect(row.reasonText).toMatch(/^实际完成 .*超过目标 .*指标值设定偏低/);
    const audit = db.select().from(auditEvents).where(eq(auditEvents.action, "adjust_score")).all();
    expect(audit.map((e) => JSON.parse(e.after!).reason)).toEqual([a.reason]);
  });

  it("綦江 2026 is open, due in the future, with entries in every state", async () => {
    const { db } = await import("../../db/client.server");
    const { reportReviews } = await import("../../db/schema");
    const [round] = await evaluationRound("qijiang");
    expect(round).toMatchObject({ year: 2026, closedAt: null });
    expect(round.opensAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(round.dueAt.getTime()).toBeGreaterThan(Date.now());
    const list = await reportsOf(round.id);
    expect(new Set(list.map((r) => r.status))).toEqual(new Set(["draft", "pending_department", "pending_finance", "returned", "approved"]));
    const returned = list.find((r) => r.status === "returned")!;
    const last = db.select().from(reportReviews).where(eq(reportReviews.reportId, returned.id)).all().at(-1)!;
    expect(last).toMatchObject({ action: "return", toStatus: "returned", actorId: expect.any(Number) });
    expect([last.comment, JSON.parse(last.rowComments!).length]).toEqual([expect.stringContaining("偏差原因"), 1]);
  });

  it("every value comes from the approved tables: budgets, actuals against targets, explanations from the numbers", async () => {
    const { db } = await import("../../db/client.server");
    const { departmentTargets, indicators, projects, reportRows, reports, rounds } = await import("../../db/schema");
    const { numericTarget } = await import("../../app/domain/rules");
    const all = db.select({ r: reports }).from(reports).innerJoin(rounds, eq(rounds.id, reports.roundId)).where(eq(rounds.kind, "evaluation")).all().map((x) => x.r);
    expect(all.length).toBe(refusedRun.reports + second.reports);
    for (const r of all) {
      const budget = r.projectId
        ? db.select({ b: projects.budgetTotal }).from(projects).where(eq(projects.id, r.projectId)).get()!.b
        : db.select({ b: departmentTargets.budget }).from(departmentTargets).where(eq(departmentTargets.id, r.departmentTargetId!)).get()!.b;
      expect(r.budgetAnnual).toBe(budget);
      expect(r.budgetExecuted!).toBeLessThanOrEqual(budget!);
      expect(r.budgetExecuted!).toBeGreaterThan(budget! / 2);
    }
    const rows = db
      .select({ rr: reportRows, target: indicators.target, operator: indicators.operator, weight: indicators.weight })
      .from(reportRows)
      .innerJoin(indicators, eq(indicators.id, reportRows.indicatorId))
      .where(inArray(reportRows.reportId, all.map((r) => r.id)))
      .all();
    let full = 0;
    let short = 0;
    for (const { rr, target, operator, weight } of rows) {
      if (rr.actual === null || rr.score === null || operator === "定性") continue;
      const t = numericTarget(target)!;
      const a = numericTarget(rr.actual)!;
      const met = operator === "≥" ? a.gte(t) : operator === "≤" ? a.lte(t) : a.eq(t);
      if (rr.score === weight) {
        full++;
        expect(met).toBe(true);
      } else if (rr.reasonText && !rr.reasonText.includes("超过目标")) {
        short++;
        expect(met).toBe(false);
        expect(rr.reasonText).toContain(`实际完成 ${rr.actual}`);
        expect(rr.reasonText).toMatch(/原因：.+；改进措施：.+。$/);
      }
    }
    expect(full).toBeGreaterThan(50);
    expect(short).toBeGreaterThan(10);
  });
});

describe("web score = domain score for every demo evaluation", () => {
  it("the stored total, grade and row scores are scoring.ts's on the same inputs, and jixiao score's on the JSON export", async () => {
    const { db } = await import("../../db/client.server");
    const { reportRows, reports, rounds } = await import("../../db/schema");
    const { assessEvaluationEntry } = await import("../../app/domain/evaluation-form");
    const { ruleSetFor } = await import("../../app/models/rulesets.server");
    const { main } = await import("../../app/cli/main");
    const all = db.select({ r: reports, round: rounds }).from(reports).innerJoin(rounds, eq(rounds.id, reports.roundId)).where(eq(rounds.kind, "evaluation")).all();
    expect(all.length).toBeGreaterThan(20);
    const slugOf = Object.fromEntries(Object.entries(region).map(([slug, id]) => [id, slug]));
    const routes = {
      p: { page: await import("../../app/routes/evaluations.$roundId.p.$ownerId"), json: await import("../../app/routes/evaluations.$roundId.p.$ownerId.json") },
      d: { page: await import("../../app/routes/evaluations.$roundId.d.$ownerId"), json: await import("../../app/routes/evaluations.$roundId.d.$ownerId.json") },
    };
    const grades = new Set<string>();
    const cookies: Record<string, string> = {};
    for (const { r, round } of all) {
      const kind = r.projectId ? "p" : "d";
      const ownerId = String(r.projectId ?? r.departmentTargetId);
      const params = { roundId: String(round.id), ownerId };
      const who = `${slugOf[r.regionId]}.finance`;
      const cookie = (cookies[who] ??= await login(who));
      // The web: the entry page as finance sees it.
      const view = await jsonOf(await call(routes[kind].page.loader, makeRequest(`/evaluations/${round.id}/${kind}/${ownerId}`, { cookie }), params));
      expect(view.report.score).toBe(r.score);
      expect(view.report.grade).toBe(r.grade);
      // The domain on the same inputs, finance's adjustments in force included.
      const a = assessEvaluationEntry(
        {
          indicators: view.evaluationIndicators,
          budgetExecutionWeight: view.budgetExecutionWeight,
          budgetInitial: view.budgetInitial,
          kind: r.projectId ? "project" : "department",
          form: view.form,
          overrides: view.overrides,
        },
        ruleSetFor(r.regionId, round.year),
      );
      expect([Math.round(a.score.total * 100), a.score.grade]).toEqual([r.score, r.grade]);
      const stored = db.select().from(reportRows).where(eq(reportRows.reportId, r.id)).orderBy(asc(reportRows.position)).all();
      expect(stored.map((x) => x.score)).toEqual(a.score.indicators.map((s) => (s.score === null ? null : Math.round(s.score * 100))));
      grades.add(r.grade!);

      // `jixiao score` on the evaluation's JSON export.
      const res = await call(routes[kind].json.loader, makeRequest(`/evaluations/${round.id}/${kind}/${ownerId}/json`, { cookie }), params);
      expect(res.status).toBe(200);
      const file = path.join(dir, `evaluation-${r.id}.json`);
      fs.writeFileSync(file, await res.text());
      let stdout = "";
      let stderr = "";
      const code = await main(["score", file, "--json"], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readFile: (p) => fs.readFileSync(p, "utf8") });
      expect([code, stderr]).toEqual([0, ""]);
      const t = JSON.parse(stdout).tables[0];
      expect([Math.round(t.total * 100), t.grade]).toEqual([r.score, r.grade]);
    }
    expect([...grades].sort()).toEqual(["中", "优", "差", "良"].sort());
  });
});

describe("the demo in the app: 结果应用 and finance's overview", () => {
  it("the 差 project has a 2025 draft (same name and unit) flagged on nanan.unit's 2025 list with a link to the evaluation", async () => {
    const { db } = await import("../../db/client.server");
    const { projects, reports, targetTables } = await import("../../db/schema");
    const [round] = await evaluationRound("nanan");
    const poor = (await reportsOf(round.id)).filter((r) => r.grade === "差");
    expect(poor.length).toBeGreaterThanOrEqual(1);
    const next = db.select().from(projects).where(and(eq(projects.regionId, region.nanan), eq(projects.year, 2025))).all();
    expect(next).toHaveLength(1);
    const last = db.select().from(projects).where(eq(projects.id, poor[0].projectId!)).get()!;
    expect([next[0].code, next[0].name, next[0].unitId, next[0].budgetTotal]).toEqual([last.code, last.name, last.unitId, last.budgetTotal]);
    expect(db.select().from(targetTables).where(eq(targetTables.projectId, next[0].id)).get()!.status).toBe("draft");
    expect(db.select().from(reports).where(eq(reports.projectId, next[0].id)).all()).toEqual([]);

    const { loader } = await import("../../app/routes/projects._index");
    const cookie = await login("nanan.unit");
    const list = await jsonOf(await call(loader, makeRequest("/projects?year=2025", { cookie })));
    expect(list.years).toContain(2025);
    expect(list.result.rows.map((p: { name: string; lastYear: unknown }) => [p.name, p.lastYear])).toEqual([
      [last.name, expect.objectContaining({ year: 2024, grade: "差", href: `/evaluations/${round.id}/p/${last.id}` })],
    ]);
    // The region's own year (the default list) has no flags: 2023 has no evaluations.
    const current = await jsonOf(await call(loader, makeRequest("/projects", { cookie })));
    expect(current.filter.year).toBe(2024);
    expect(current.result.rows.length).toBeGreaterThan(0);
    expect(current.result.rows.every((p: { lastYear: unknown }) => p.lastYear === null)).toBe(true);
  });

  it("finance's overview of the finished round: every grade, the deduction, the 差 projects", async () => {
    const [round] = await evaluationRound("nanan");
    const { loader } = await import("../../app/routes/evaluations.$roundId._index");
    const cookie = await login("nanan.finance");
    const body = await jsonOf(await call(loader, makeRequest(`/evaluations/${round.id}`, { cookie }), { roundId: String(round.id) }));
    expect(body.round.phase).toBe("closed");
    for (const g of ["优", "良", "中", "差"]) expect(body.grades.region.grades[g]).toBeGreaterThan(0);
    expect(body.deductions.adjustments).toHaveLength(1);
    expect(body.deductions.adjustments[0].reason).toContain("扣减");
    const poor = await jsonOf(await call(loader, makeRequest(`/evaluations/${round.id}?grade=差`, { cookie }), { roundId: String(round.id) }));
    expect(poor.entries.total).toBe(body.grades.region.grades["差"]);
  });

  it("the overview's figures (kept until the next write) follow finance's deduction and approval at once", async () => {
    const [round] = await evaluationRound("qijiang");
    const overview = await import("../../app/routes/evaluations.$roundId._index");
    const entry = await import("../../app/routes/evaluations.$roundId.p.$ownerId");
    const cookie = await login("qijiang.finance");
    const load = async () => jsonOf(await call(overview.loader, makeRequest(`/evaluations/${round.id}`, { cookie }), { roundId: String(round.id) }));
    const before = await load();
    expect(await load()).toEqual(before);
    const waiting = (await reportsOf(round.id)).find((r) => r.status === "pending_finance")!;
    const params = { roundId: String(round.id), ownerId: String(waiting.projectId) };
    const path = `/evaluations/${round.id}/p/${waiting.projectId}`;
    const view = async () => jsonOf(await call(entry.loader, makeRequest(path, { cookie }), params));
    const post = (form: Record<string, string>) => call(entry.action, makeRequest(path, { cookie, form }), params);
    const first = (await view()).evaluationIndicators[0];
    const adjusted = await post({ intent: "adjust", position: String(first.position), score: "0", reason: "佐证材料缺失", revision: String((await view()).report.revision) });
    expect(adjusted.status).toBe(302);
    expect((await post({ intent: "approve", comment: "", revision: String((await view()).report.revision) })).status).toBe(302);
    const grade = (await view()).report.grade as "优" | "良" | "中" | "差";
    const after = await load();
    expect(after.grades.region.count).toBe(before.grades.region.count + 1);
    expect(after.grades.region.grades[grade]).toBe(before.grades.region.grades[grade] + 1);
    expect(after.scatter).toHaveLength(before.scatter.length + 1);
    expect(after.deductions.adjustments.map((a: { reason: string }) => a.reason)).toEqual(["佐证材料缺失", ...before.deductions.adjustments.map((a: { reason: string }) => a.reason)]);
    expect(after.deductions.rows[0]).toMatchObject({ ownerId: waiting.projectId, lost: first.weight * 100 });
  });

  it("a second run adds nothing and warns nothing", async () => {
    const { sqlite } = await import("../../db/client.server");
    const { seedEvaluationDemo } = await import("../../seeds/evaluation");
    const count = () =>
      ["rounds", "reports", "report_rows", "report_reviews", "score_adjustments", "projects", "target_tables", "audit_events"].map(
        (t) => (sqlite.prepare(`select count(*) n from ${t}`).get() as { n: number }).n,
      );
    const before = count();
    const warn = vi.spyOn(console, "warn");
    expect(seedEvaluationDemo()).toEqual({ rounds: 0, reports: 0, adjustments: 0, nextYearTables: 0 });
    expect(count()).toEqual(before);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});

describe("db/setup.ts", () => {
  const evaluationRounds = (file: string) => countIn(dir, file, "select count(*) n from rounds where kind = 'evaluation'");

  it("seeds the demo self-evaluation at the first start and nothing at the second", () => {
    const a = runSetup(dir, "demo.db");
    expect(a.status).toBe(0);
    expect(a.stdout).toMatch(/demo self-evaluation ready \(2 rounds, \d+ entries, 1 deductions, 1 next-year tables added\)/);
    expect(a.stderr).not.toContain("not seeded");
    const b = runSetup(dir, "demo.db");
    expect(b.stdout).toContain("demo self-evaluation ready (0 rounds, 0 entries, 0 deductions, 0 next-year tables added)");
    expect(b.stderr).not.toContain("not seeded");
    expect(evaluationRounds("demo.db")).toBe(2);
  });

  it("JIXIAO_DEMO=0 seeds no self-evaluation", () => {
    const r = runSetup(dir, "empty.db", { JIXIAO_DEMO: "0", JIXIAO_ADMIN_USER: "bureau.admin", JIXIAO_ADMIN_PASSWORD: "long-enough-1" });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain("self-evaluation");
    expect(evaluationRounds("empty.db")).toBe(0);
  });
});
