// Server figures for `npm run bench`: a generated region of 10,000 projects (about 100,000
// indicators) in a temporary SQLite file, then the server time of
//   - the project list (finance with filters, page 3; a unit user's default list),
//   - a project page with a 30-indicator table (the filler's editor, finance's view),
//   - saving a 30-indicator table (保存草稿),
// each through the real route modules with real Requests and a session cookie, as the
// integration tests do. Server time = loader/action + JSON serialisation of its data
// (what Remix sends for a data request); React's HTML render is not included.
// Target (from the issue): each under 100 ms at the median. Prints figures; asserts nothing.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { ExchangeTable, Indicator } from "../app/domain/schemas";

const PROJECTS = 10_000;
const DEPARTMENTS = 20;
const UNITS_PER_DEPARTMENT = 3;
const RUNS = 50;
const WARMUP = 5;

/** Small deterministic PRNG (mulberry32) so every run measures the same region. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STEMS = [
  "工业和信息化产业发展专项",
  "参战参核军人生活补助",
  "困难企业、骨干企业慰问费",
  "行业服务发展专项",
  "中小企业服务能力提升",
  "安全生产监管工作经费",
  "节能监察工作经费",
  "信息化建设运维经费",
  "重点产业招商引资专项",
  "盐业监管工作经费",
];
const LEVELS: [string, string][] = [
  ["产出指标", "数量指标"],
  ["产出指标", "质量指标"],
  ["产出指标", "时效指标"],
  ["成本指标", "经济成本指标"],
  ["效益指标", "社会效益指标"],
  ["效益指标", "经济效益指标"],
  ["满意度指标", "服务对象满意度指标"],
];
const NAMES = ["补助人数", "按时发放率", "人均补助标准", "政策知晓率", "服务对象满意度", "项目完成率", "培训次数", "覆盖企业数", "隐患排查率", "新增企业数"];
const UNITS = ["人", "%", "元", "家", "次", "万元", "个"];
// Mixed statuses, one version each (no adjustments in the generated region).
const STATUS_MIX: [string, number][] = [
  ["draft", 0.35],
  ["returned", 0.05],
  ["pending_department", 0.15],
  ["pending_finance", 0.15],
  ["approved", 0.25],
  ["rejected", 0.05],
];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

function status(r: () => number): string {
  let x = r();
  for (const [s, p] of STATUS_MIX) if ((x -= p) < 0) return s;
  return "draft";
}

/** n indicators whose weights add up to 90 (in whole points), as a clean table would. */
function generateIndicators(r: () => number, n: number, tag = ""): Indicator[] {
  const out: Indicator[] = [];
  let left = 90;
  for (let i = 0; i < n; i++) {
    const w = i === n - 1 ? left : Math.max(1, Math.min(left - (n - i - 1), Math.round(90 / n + (r() - 0.5) * 4)));
    left -= w;
    const [level1, level2] = i === n - 1 ? LEVELS[6] : pick(r, LEVELS);
    const qualitative = r() < 0.1;
    out.push({
      level1,
      level2,
      name: `${NAMES[i % NAMES.length]}${tag}${i + 1}`,
      weight: w,
      unit: qualitative ? null : pick(r, UNITS),
      operator: qualitative ? "定性" : pick(r, ["≥", "≥", "≤", "="] as const),
      target: qualitative ? "达标" : String(Math.floor(r() * 1000)),
      core: r() < 0.4,
    });
  }
  return out;
}

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { median: q(0.5), p90: q(0.9), max: s[s.length - 1] };
}

const ms = (x: number) => x.toFixed(1).padStart(7);

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-bench-"));
  const file = path.join(dir, "bench.db");
  const previousUrl = process.env.DATABASE_URL;
  // Before any app module is imported: the db client opens its connection on import.
  process.env.DATABASE_URL = file;
  const { db, sqlite } = await import("../db/client.server");
  try {
    if (path.resolve(sqlite.name) !== path.resolve(file)) {
      throw new Error(`bench/server: the database connection was opened before the bench set DATABASE_URL (${sqlite.name}); refusing to fill it`);
    }
    await bench(db, sqlite, file);
  } finally {
    sqlite.close();
    delete (globalThis as { __jixiaoDb?: unknown }).__jixiaoDb;
    if (previousUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previousUrl;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

type Sqlite = typeof import("../db/client.server").sqlite;
type Db = typeof import("../db/client.server").db;

/**
 * Migrates and seeds the empty database at `file`, then generates the region (qijiang):
 * PROJECTS projects plus `special`, the unit user's 30-indicator draft. Also used by bench/http.ts.
 */
export async function generateRegion(db: Db, sqlite: Sqlite, file: string): Promise<{ year: number; special: { projectId: number; tableId: number } }> {
  const { migrateDatabase } = await import("../db/migrate");
  const { seedOrganisation } = await import("../db/seed");
  const { EXCHANGE_FORMAT, emptyProjectHeader } = await import("../app/domain/schemas");
  const { tableStats } = await import("../app/models/exchange.server");
  const { ruleSetFor } = await import("../app/models/rulesets.server");

  migrateDatabase(db);
  await seedOrganisation(db);

  // ---------------------------------------------------------------- generate the region
  const t0 = performance.now();
  const region = sqlite.prepare("select id, current_year as year from regions where slug = 'qijiang'").get() as { id: number; year: number };
  const year = region.year;
  const unitUser = sqlite.prepare("select id, unit_id as unitId, department_id as departmentId from users where username = 'qijiang.unit'").get() as {
    id: number;
    unitId: number;
    departmentId: number;
  };
  const ruleSets = new Map([year, year - 1].map((y) => [y, ruleSetFor(region.id, y)]));
  const r = rng(2026);

  const insertDept = sqlite.prepare("insert into departments (region_id, code, name) values (?, ?, ?)");
  const insertUnit = sqlite.prepare("insert into units (region_id, department_id, code, name) values (?, ?, ?, ?)");
  const insertProject = sqlite.prepare(
    `insert into projects (region_id, year, department_id, unit_id, code, name, category, budget_total, budget_local, budget_superior,
       overview, basis, annual_goal, created_by, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertTable = sqlite.prepare(
    `insert into target_tables (region_id, project_id, version, status, is_current, budget_execution_weight, rating, revision,
       weight_total, indicator_count, error_count, warning_count, updated_by, created_at) values (?, ?, 1, ?, 1, 1000, ?, 1, ?, ?, ?, ?, ?, ?)`,
  );
  const insertIndicator = sqlite.prepare(
    `insert into indicators (table_id, position, level1, level2, name, weight, unit, operator, target, core) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  const exchange = (name: string, code: string, budget: number, indicators: Indicator[], y: number): ExchangeTable => ({
    format: EXCHANGE_FORMAT,
    kind: "project",
    year: y,
    department: null,
    unit: null,
    project: { ...emptyProjectHeader(), code, name, category: "一般性项目", budget: { total: budget, local: budget, superior: null } },
    overall: null,
    budgetExecutionWeight: 10,
    indicators,
  });

  let indicatorTotal = 0;
  let checkMs = 0;
  const addProject = (p: { year: number; departmentId: number; unitId: number; code: string; name: string; status: string; indicators: Indicator[]; at: number }) => {
    const budget = Math.round(r() * 500000) / 100; // 万元, 2 decimals
    const t = exchange(p.name, p.code, budget, p.indicators, p.year);
    const c0 = performance.now();
    const s = tableStats(t, ruleSets.get(p.year)!);
    checkMs += performance.now() - c0;
    const yuan = Math.round(budget * 10000);
    const projectId = insertProject.run(
      region.id, p.year, p.departmentId, p.unitId, p.code, p.name, pick(r, ["一般性项目", "重点专项"]), yuan, yuan, null,
      "此笔款项为财政专项资金，已持续支付多年。", "我委三定方案及相关文件", "按时足额发放到人，落实政策。", null, p.at,
    ).lastInsertRowid as number;
    const rating = p.status === "approved" ? pick(r, ["优", "良"]) : p.status === "rejected" ? "差" : null;
    const tableId = insertTable.run(
      region.id, projectId, p.status, rating, s.weightTotal, s.indicatorCount, s.errorCount, s.warningCount, null, p.at,
    ).lastInsertRowid as number;
    p.indicators.forEach((ind, i) =>
      insertIndicator.run(tableId, i, ind.level1, ind.level2, ind.name, ind.weight === null ? null : Math.round(ind.weight * 100), ind.unit, ind.operator, ind.target, ind.core === null ? null : ind.core ? 1 : 0),
    );
    indicatorTotal += p.indicators.length;
    return { projectId, tableId };
  };

  let special!: { projectId: number; tableId: number };
  sqlite.transaction(() => {
    // 20 departments × 3 units in 綦江 (the seed's 206 / 206001 is the first of them).
    const units: { id: number; departmentId: number }[] = [];
    const seedDept = sqlite.prepare("select id from departments where region_id = ? order by id limit 1").get(region.id) as { id: number };
    for (let d = 0; d < DEPARTMENTS; d++) {
      const code = String(206 + d);
      const departmentId =
        d === 0 ? seedDept.id : (insertDept.run(region.id, code, `重庆市綦江区第${d + 1}部门`).lastInsertRowid as number);
      for (let u = 0; u < UNITS_PER_DEPARTMENT; u++) {
        const unitCode = `${code}${String(u + 1).padStart(3, "0")}`;
        const existing = sqlite.prepare("select id from units where region_id = ? and code = ?").get(region.id, unitCode) as { id: number } | undefined;
        const id = existing?.id ?? (insertUnit.run(region.id, departmentId, unitCode, `${code}部门所属单位${u + 1}`).lastInsertRowid as number);
        units.push({ id, departmentId });
      }
    }
    const start = Date.now() - 200 * 24 * 3600 * 1000;
    for (let k = 0; k < PROJECTS; k++) {
      const unit = units[k % units.length];
      const y = r() < 0.8 ? year : year - 1;
      addProject({
        year: y,
        departmentId: unit.departmentId,
        unitId: unit.id,
        code: `500110${String(y).slice(2)}T${String(k + 1).padStart(12, "0")}`,
        name: `${STEMS[k % STEMS.length]}（${k + 1}）`,
        status: status(r),
        indicators: generateIndicators(r, 5 + Math.floor(r() * 11)),
        at: start + k * 1000,
      });
    }
    // The project the page and save figures use: the unit user's, a draft of 30 indicators.
    special = addProject({
      year,
      departmentId: unitUser.departmentId,
      unitId: unitUser.unitId,
      code: "50011026T999999999999",
      name: "基准测试项目（30 个指标）",
      status: "draft",
      indicators: generateIndicators(r, 30),
      at: Date.now(),
    });
  })();
  sqlite.exec("analyze");
  const genMs = performance.now() - t0;
  const projectCount = (sqlite.prepare("select count(*) n from projects").get() as { n: number }).n;
  console.log(
    `generated ${projectCount} projects, ${indicatorTotal} indicators in ${(genMs / 1000).toFixed(1)} s ` +
      `(of which checker for the stats columns ${(checkMs / 1000).toFixed(1)} s); database ${(fs.statSync(file).size / 1024 / 1024).toFixed(0)} MB`,
  );
  return { year, special };
}

async function bench(db: Db, sqlite: Sqlite, file: string) {
  const { year, special } = await generateRegion(db, sqlite, file);

  // ---------------------------------------------------------------- requests
  const BASE = "http://localhost";
  const makeRequest = (p: string, opts: { cookie: string; form?: Record<string, string> }) => {
    const headers = new Headers({ Cookie: opts.cookie });
    let body: URLSearchParams | undefined;
    if (opts.form) {
      body = new URLSearchParams(opts.form);
      headers.set("Content-Type", "application/x-www-form-urlencoded");
    }
    return new Request(BASE + p, { method: body ? "POST" : "GET", headers, body });
  };
  type Fn = (a: LoaderFunctionArgs & ActionFunctionArgs) => unknown;
  /** Runs a loader or action as Remix would for a data request: the result serialised, or the thrown/returned Response. */
  const call = async (fn: Fn, request: Request, params: Record<string, string> = {}): Promise<{ status: number; body: string }> => {
    try {
      const result = await fn({ request, params, context: {} });
      if (result instanceof Response) return { status: result.status, body: await result.text() };
      return { status: 200, body: JSON.stringify(result) };
    } catch (thrown) {
      if (thrown instanceof Response) return { status: thrown.status, body: "" };
      throw thrown;
    }
  };

  const login = async (username: string) => {
    const { action } = await import("../app/routes/login");
    const res = (await action({ request: new Request(BASE + "/login", { method: "POST", body: new URLSearchParams({ username, password: "jixiao-demo" }) }), params: {}, context: {} })) as Response;
    const setCookie = res.headers.get("Set-Cookie");
    if (res.status !== 302 || !setCookie) throw new Error(`login failed for ${username}: ${res.status}`);
    return setCookie.split(";")[0];
  };

  const list = await import("../app/routes/projects._index");
  const page = await import("../app/routes/projects.$projectId");
  const finance = await login("qijiang.finance");
  const unit = await login("qijiang.unit");

  const busiest = sqlite
    .prepare("select department_id as id, count(*) n from projects where year = ? group by department_id order by n desc limit 1")
    .get(year) as { id: number; n: number };

  const figures: { label: string; median: number; p90: number; max: number; note: string }[] = [];
  const measure = async (label: string, once: () => Promise<{ status: number; body: string; note?: string }>, before?: () => Promise<void>) => {
    let note = "";
    for (let i = 0; i < WARMUP; i++) {
      if (before) await before();
      await once();
    }
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      if (before) await before();
      const a = performance.now();
      const res = await once();
      times.push(performance.now() - a);
      if (res.status >= 400 && res.status !== 404) throw new Error(`${label}: status ${res.status} ${res.body.slice(0, 200)}`);
      note = res.note ?? `${res.status}, ${(res.body.length / 1024).toFixed(0)} KB`;
    }
    const s = stats(times);
    figures.push({ label, ...s, note });
    console.log(`${label.padEnd(58)} median ${ms(s.median)} ms   p90 ${ms(s.p90)} ms   max ${ms(s.max)} ms   (${note})`);
  };

  const listOf = async (cookie: string, query: string) => {
    const res = await call(list.loader as Fn, makeRequest(`/projects${query}`, { cookie }));
    const data = JSON.parse(res.body);
    return { ...res, note: `${res.status}, ${data.result.rows.length} rows of ${data.result.total}, ${(res.body.length / 1024).toFixed(0)} KB` };
  };

  console.log(`\n${RUNS} runs each after ${WARMUP} warm-up runs; server time = loader/action + JSON of its data\n`);
  const filtered = `?year=${year}&departmentId=${busiest.id}&status=draft&q=${encodeURIComponent("专项")}&sort=budget_desc&page=3`;
  await measure("project list, finance, year+dept+status+q, by budget, page 3", () => listOf(finance, filtered));
  await measure("project list, finance, no filter (year), page 1", () => listOf(finance, ""));
  await measure("project list, finance, q=慰问 over the region, page 1", () => listOf(finance, `?q=${encodeURIComponent("慰问")}`));
  await measure("project list, finance, 问题最多 sort, page 3", () => listOf(finance, `?sort=findings_desc&page=3`));
  await measure("project list, unit user (default)", () => listOf(unit, ""));

  const params = { projectId: String(special.projectId) };
  const pageOf = (cookie: string) => call(page.loader as Fn, makeRequest(`/projects/${special.projectId}`, { cookie }), params);
  await measure("project page, 30 indicators, unit user (editor)", () => pageOf(unit));
  await measure("project page, 30 indicators, finance (view)", () => pageOf(finance));

  // 保存草稿 of the 30-indicator table: the revision changes on every save, so it is read
  // from the page (not timed) before each save; each save changes a weight and a target.
  let revision = 0;
  let n = 0;
  const base = generateIndicators(rng(7), 30);
  await measure(
    "save 30-indicator table (intent=save)",
    async () => {
      n++;
      const form: Record<string, string> = { intent: "save", tableId: String(special.tableId), revision: String(revision), budgetExecutionWeight: "10" };
      base.forEach((ind, i) => {
        const weight = i === 0 ? ind.weight! + (n % 2 ? 0.5 : 0) : i === 1 ? ind.weight! - (n % 2 ? 0.5 : 0) : ind.weight!;
        const fields: Record<string, string> = {
          level1: ind.level1 ?? "",
          level2: ind.level2 ?? "",
          name: ind.name ?? "",
          weight: String(weight),
          unit: ind.unit ?? "",
          operator: ind.operator ?? "",
          target: i === 2 && ind.operator !== "定性" ? String(n) : (ind.target ?? ""),
          core: ind.core === null ? "" : ind.core ? "是" : "否",
        };
        for (const [k, v] of Object.entries(fields)) form[`indicators.${i}.${k}`] = v;
      });
      const res = await call(page.action as Fn, makeRequest(`/projects/${special.projectId}`, { cookie: unit, form }), params);
      if (res.status !== 302) throw new Error(`save: status ${res.status} ${res.body.slice(0, 300)}`);
      return { ...res, note: `${res.status} redirect` };
    },
    async () => {
      const res = await pageOf(unit);
      revision = JSON.parse(res.body).view.table.revision;
    },
  );

  const slow = figures.filter((f) => f.median > 100);
  console.log(slow.length ? `\nover the 100 ms target at the median: ${slow.map((f) => f.label).join("; ")}` : "\nevery median is under the 100 ms target");
}
