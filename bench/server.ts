// Server figures for `npm run bench`: a generated region of 10,000 projects (about 100,000
// indicators) in a temporary SQLite file, then the server time of
//   - the project list (finance with filters, page 3; a unit user's default list),
//   - a project page with a 30-indicator table (the filler's editor, finance's view),
//   - saving a 30-indicator table (保存草稿),
// then, with the year's tables approved and four monitoring rounds of entries generated in
// bulk SQL (Q1–Q3 closed, Q4 open; issue 10 item 11):
//   - finance's round overview (counts per department, chart data, red items, the list),
//   - a unit's 30-indicator entry page (prefilled from the previous round),
//   - saving a 30-indicator entry (保存草稿),
// then the year's self-evaluation round (open, most entries approved, finance's deductions on
// some) generated in bulk SQL (issue 11 item 11):
//   - finance's evaluation overview (coverage, grades per department, largest deductions,
//     score against budget, the list) and its drill-down to the 差 list,
//   - a unit's 30-indicator evaluation page,
//   - saving a 30-indicator evaluation (保存草稿),
// each through the real route modules with real Requests and a session cookie, as the
// integration tests do. Server time = loader/action + JSON serialisation of its data
// (what Remix sends for a data request); React's HTML render is not included.
// Targets: project figures under 100 ms (issue 6), monitoring and self-evaluation figures
// under 50 ms (issues 10 and 11), at the median. Prints figures; asserts nothing.
// `npm run bench -- server monitoring` (or `evaluation`) runs only those figures (the region
// is generated either way).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { ExchangeTable, Indicator } from "../app/domain/schemas";
import { mulberry32 } from "../app/utils/prng";

const DEPARTMENTS = 20;
const UNITS_PER_DEPARTMENT = 3;
const RUNS = 50;
const WARMUP = 5;

// A deterministic PRNG so every run measures the same region.
const rng = mulberry32;

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

type Only = "monitoring" | "evaluation" | undefined;
const onlyArg = (): Only => (["monitoring", "evaluation"] as const).find((a) => process.argv.slice(2).includes(a));

/**
 * The size of the generated database (issue 13): `--projects N` per region (default 10,000),
 * `--regions R` (default 1: only 綦江 is generated; the others get N projects each, with
 * their own departments and units, so a region's pages can be compared with a database of
 * that region alone), `--years Y` (default: 80 % this year, 20 % last year; with --years,
 * spread evenly over this year and the Y - 1 before). `--keep` keeps the database file.
 */
export type Size = { projects: number; regions: number; years: number | null; keep: boolean };

export function sizeArgs(argv = process.argv.slice(2)): Size {
  const num = (flag: string, fallback: number | null, min: number, max: number): number | null => {
    const i = argv.indexOf(flag);
    if (i === -1) return fallback;
    const n = Number(argv[i + 1]);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag}: expected a whole number from ${min} to ${max}, got ${argv[i + 1] ?? "nothing"}`);
    return n;
  };
  return {
    projects: num("--projects", 10_000, 1, 2_000_000)!,
    regions: num("--regions", 1, 1, 100)!,
    years: num("--years", null, 1, 20),
    keep: argv.includes("--keep"),
  };
}

/** With "monitoring" or "evaluation" (`npm run bench -- server evaluation`), only those figures. */
export async function run(only: Only = onlyArg(), size: Size = sizeArgs()): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-bench-"));
  const file = path.join(dir, "bench.db");
  const previousUrl = process.env.DATABASE_URL;
  // Before any app module is imported: the db client opens its connection on import.
  process.env.DATABASE_URL = file;
  // Figures are of the queries, not of the read cache (which would answer every run after the
  // first from memory until a write): the first request after any save costs this much.
  const previousCache = process.env.JIXIAO_READ_CACHE;
  process.env.JIXIAO_READ_CACHE = "0";
  const { db, sqlite } = await import("../db/client.server");
  try {
    if (path.resolve(sqlite.name) !== path.resolve(file)) {
      throw new Error(`bench/server: the database connection was opened before the bench set DATABASE_URL (${sqlite.name}); refusing to fill it`);
    }
    await bench(db, sqlite, file, only, size);
  } finally {
    sqlite.close();
    delete (globalThis as { __jixiaoDb?: unknown }).__jixiaoDb;
    if (previousUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previousUrl;
    if (previousCache === undefined) delete process.env.JIXIAO_READ_CACHE;
    else process.env.JIXIAO_READ_CACHE = previousCache;
    if (size.keep) console.log(`\nkept the database: ${file}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

type Sqlite = typeof import("../db/client.server").sqlite;
type Db = typeof import("../db/client.server").db;

/**
 * Migrates and seeds the empty database at `file`, then generates the region (qijiang):
 * `size.projects` projects (and as many in each further region) plus `special`, the unit user's 30-indicator draft. Also used by bench/http.ts.
 * No ANALYZE: the app plans without statistics (db/statistics.ts, docs/decisions/031).
 */
export async function generateRegion(
  db: Db,
  sqlite: Sqlite,
  file: string,
  size: Pick<Size, "projects" | "regions" | "years"> = { projects: 10_000, regions: 1, years: null },
): Promise<{ year: number; special: { projectId: number; tableId: number } }> {
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
  const ruleSets = new Map<number, ReturnType<typeof ruleSetFor>>();
  const ruleSetOf = (y: number) => ruleSets.get(y) ?? ruleSets.set(y, ruleSetFor(region.id, y)).get(y)!;
  const r = rng(2026);

  const insertDept = sqlite.prepare("insert into departments (region_id, code, name) values (?, ?, ?)");
  const insertUnit = sqlite.prepare("insert into units (region_id, department_id, code, name) values (?, ?, ?, ?)");
  const insertProject = sqlite.prepare(
    `insert into projects (region_id, year, department_id, unit_id, code, name, category, budget_total, created_by, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Each version's header (docs/decisions/026).
  const insertHeader = sqlite.prepare(
    `insert into project_headers (table_id, name, category, budget_total, budget_local, budget_superior, overview, basis, annual_goal)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
  const addProject = (p: { regionId: number; year: number; departmentId: number; unitId: number; code: string; name: string; status: string; indicators: Indicator[]; at: number }) => {
    const budget = Math.round(r() * 500000) / 100; // 万元, 2 decimals
    const t = exchange(p.name, p.code, budget, p.indicators, p.year);
    const c0 = performance.now();
    const s = tableStats(t, ruleSetOf(p.year));
    checkMs += performance.now() - c0;
    const yuan = Math.round(budget * 10000);
    const category = pick(r, ["一般性项目", "重点专项"]);
    const projectId = insertProject.run(p.regionId, p.year, p.departmentId, p.unitId, p.code, p.name, category, yuan, null, p.at).lastInsertRowid as number;
    const rating = p.status === "approved" ? pick(r, ["优", "良"]) : p.status === "rejected" ? "差" : null;
    const tableId = insertTable.run(
      p.regionId, projectId, p.status, rating, s.weightTotal, s.indicatorCount, s.errorCount, s.warningCount, null, p.at,
    ).lastInsertRowid as number;
    insertHeader.run(
      tableId, p.name, category, yuan, yuan, null,
      "此笔款项为财政专项资金，已持续支付多年。", "我委三定方案及相关文件", "按时足额发放到人，落实政策。",
    );
    p.indicators.forEach((ind, i) =>
      insertIndicator.run(tableId, i, ind.level1, ind.level2, ind.name, ind.weight === null ? null : Math.round(ind.weight * 100), ind.unit, ind.operator, ind.target, ind.core === null ? null : ind.core ? 1 : 0),
    );
    indicatorTotal += p.indicators.length;
    return { projectId, tableId };
  };

  let special!: { projectId: number; tableId: number };
  const insertRegion = sqlite.prepare("insert into regions (slug, name, current_year) values (?, ?, ?)");
  const yearOf = (): number => (size.years === null ? (r() < 0.8 ? year : year - 1) : year - Math.floor(r() * size.years));
  /** 20 departments × 3 units in the region (in 綦江 the seed's 206 / 206001 is the first of them), then its projects. */
  const fillRegion = (regionId: number, regionName: string) => {
    const units: { id: number; departmentId: number }[] = [];
    const seedDept = sqlite.prepare("select id from departments where region_id = ? order by id limit 1").get(regionId) as { id: number } | undefined;
    for (let d = 0; d < DEPARTMENTS; d++) {
      const code = String(206 + d);
      const departmentId = d === 0 && seedDept ? seedDept.id : (insertDept.run(regionId, code, `${regionName}第${d + 1}部门`).lastInsertRowid as number);
      for (let u = 0; u < UNITS_PER_DEPARTMENT; u++) {
        const unitCode = `${code}${String(u + 1).padStart(3, "0")}`;
        const existing = sqlite.prepare("select id from units where region_id = ? and code = ?").get(regionId, unitCode) as { id: number } | undefined;
        const id = existing?.id ?? (insertUnit.run(regionId, departmentId, unitCode, `${code}部门所属单位${u + 1}`).lastInsertRowid as number);
        units.push({ id, departmentId });
      }
    }
    const start = Date.now() - 200 * 24 * 3600 * 1000;
    for (let k = 0; k < size.projects; k++) {
      const unit = units[k % units.length];
      const y = yearOf();
      addProject({
        regionId,
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
  };
  // One transaction per region: a 100,000-project region is a few hundred MB of writes.
  sqlite.transaction(() => {
    fillRegion(region.id, "重庆市綦江区");
    // The project the page and save figures use: the unit user's, a draft of 30 indicators.
    special = addProject({
      regionId: region.id,
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
  for (let n = 1; n < size.regions; n++) {
    sqlite.transaction(() => {
      const id = insertRegion.run(`bench${n}`, `基准测试区${n}`, year).lastInsertRowid as number;
      fillRegion(id, `基准测试区${n}`);
    })();
  }
  const genMs = performance.now() - t0;
  const projectCount = (sqlite.prepare("select count(*) n from projects").get() as { n: number }).n;
  console.log(
    `generated ${projectCount} projects, ${indicatorTotal} indicators in ${(genMs / 1000).toFixed(1)} s ` +
      `(of which checker for the stats columns ${(checkMs / 1000).toFixed(1)} s); database ${(fs.statSync(file).size / 1024 / 1024).toFixed(0)} MB`,
  );
  return { year, special };
}

async function bench(db: Db, sqlite: Sqlite, file: string, only: Only, size: Size) {
  const { year, special } = await generateRegion(db, sqlite, file, size);

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

  const figures: { label: string; median: number; p90: number; max: number; cpuMedian: number; note: string }[] = [];
  const measure = async (label: string, once: () => Promise<{ status: number; body: string; note?: string }>, before?: () => Promise<void>) => {
    let note = "";
    for (let i = 0; i < WARMUP; i++) {
      if (before) await before();
      await once();
    }
    const times: number[] = [];
    // CPU time of this process too: on a shared machine the wall time includes waiting for a core.
    const cpu: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      if (before) await before();
      const c = process.cpuUsage();
      const a = performance.now();
      const res = await once();
      times.push(performance.now() - a);
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000);
      if (res.status >= 400 && res.status !== 404) throw new Error(`${label}: status ${res.status} ${res.body.slice(0, 200)}`);
      note = res.note ?? `${res.status}, ${(res.body.length / 1024).toFixed(0)} KB`;
    }
    const s = stats(times);
    const c = stats(cpu);
    figures.push({ label, ...s, cpuMedian: c.median, note });
    console.log(`${label.padEnd(58)} median ${ms(s.median)} ms   p90 ${ms(s.p90)} ms   max ${ms(s.max)} ms   cpu median ${ms(c.median)} ms   (${note})`);
  };

  console.log(`\n${RUNS} runs each after ${WARMUP} warm-up runs; server time = loader/action + JSON of its data\n`);
  if (!only) {
    // The 綦江 department with the most 专项 drafts, so the filtered list has rows to show.
    const busiest = sqlite
      .prepare(
        `select p.department_id as id, count(*) n from projects p join regions r on r.id = p.region_id
         where r.slug = 'qijiang' and p.year = ? and p.status = 'draft' and p.name like '%专项%' group by p.department_id order by n desc limit 1`,
      )
      .get(year) as { id: number; n: number };

    const listOf = async (cookie: string, query: string) => {
      const res = await call(list.loader as Fn, makeRequest(`/projects${query}`, { cookie }));
      const data = JSON.parse(res.body);
      return { ...res, note: `${res.status}, ${data.result.rows.length} rows of ${data.result.total}, ${(res.body.length / 1024).toFixed(0)} KB` };
    };

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
  }

  const slow = figures.filter((f) => f.median > 100);
  if (!only) console.log(slow.length ? `\nover the 100 ms target at the median: ${slow.map((f) => f.label).join("; ")}` : "\nevery median is under the 100 ms target");

  const regionId = (sqlite.prepare("select id from regions where slug = 'qijiang'").get() as { id: number }).id;
  const ctx = { sqlite, regionId, year, special, measure, call, makeRequest, finance, unit };
  const targetLine = (what: string, from: number) => {
    const slowOnes = figures.slice(from).filter((f) => f.median > 50);
    console.log(slowOnes.length ? `\nover the 50 ms ${what} target at the median: ${slowOnes.map((f) => f.label).join("; ")}` : `\nevery ${what} median is under the 50 ms target`);
  };
  if (only !== "evaluation") {
    const before = figures.length;
    await monitoringFigures(ctx);
    targetLine("monitoring", before);
  }
  if (only !== "monitoring") {
    const before = figures.length;
    await evaluationFigures(ctx);
    targetLine("self-evaluation", before);
  }
  console.log(`\ndatabase at the end: ${(fs.statSync(file).size / 1024 / 1024).toFixed(0)} MB`);
}

// ---------------------------------------------------------------------------------------
// Monitoring (issue 10 item 11): four rounds of entries over the generated region.

type Measure = (label: string, once: () => Promise<{ status: number; body: string; note?: string }>, before?: () => Promise<void>) => Promise<void>;
type Call = (fn: (a: LoaderFunctionArgs & ActionFunctionArgs) => unknown, request: Request, params?: Record<string, string>) => Promise<{ status: number; body: string }>;

const DAY = 24 * 60 * 60 * 1000;

/**
 * A bucket 0–999 from an SQL integer expression and a salt: two rounds of multiplicative
 * hashing, kept below 2^63 so SQLite stays in integers. Deterministic, so every run
 * generates the same entries.
 */
const bucket = (expr: string, salt: number) => `((((${expr}) * 2654435761 + ${salt} * 1013904223) % 2147483648) * 2246822519 % 2147483648 % 1000)`;

// Shares (of 1000) behind the generated entries: how many owners have started an entry, and
// the status of a started one, in a closed round (most approved, a few late) and in the
// open round (under way); budget light from the gap to 序时进度; indicator lights.
const STARTED = { closed: 970, open: 600 };
const STATUS_SQL = {
  closed: (h: string) => `case when ${h} < 920 then 'approved' when ${h} < 950 then 'pending_finance' when ${h} < 970 then 'pending_department' when ${h} < 985 then 'returned' else 'draft' end`,
  open: (h: string) => `case when ${h} < 400 then 'draft' when ${h} < 650 then 'pending_department' when ${h} < 850 then 'pending_finance' when ${h} < 920 then 'returned' else 'approved' end`,
};

/** The review trail of each submitted entry of a round: submit, the department's decision, finance's. */
function insertReviewTrail(sqlite: Sqlite, users: { unit: number; department: number; finance: number }, roundId: number, opens: number, returnComment: string) {
  const review = sqlite.prepare(
    `insert into report_reviews (region_id, report_id, from_status, to_status, action, comment, actor_id, created_at)
     select region_id, id, @from, @to, @action, @comment, @actor, @at from reports where round_id = @round and status in (select value from json_each(@statuses))`,
  );
  const trail = [
    { from: "draft", to: "pending_department", action: "submit", actor: users.unit, statuses: ["pending_department", "pending_finance", "approved", "returned"], comment: null },
    { from: "pending_department", to: "pending_finance", action: "approve", actor: users.department, statuses: ["pending_finance", "approved"], comment: "同意。" },
    { from: "pending_department", to: "returned", action: "return", actor: users.department, statuses: ["returned"], comment: returnComment },
    { from: "pending_finance", to: "approved", action: "approve", actor: users.finance, statuses: ["approved"], comment: "审核通过。" },
  ];
  trail.forEach((t, n) => review.run({ ...t, statuses: JSON.stringify(t.statuses), round: roundId, at: opens + (7 + n) * DAY }));
}

/**
 * Approves the year's tables (monitoring covers approved tables; by Q1 a region's budget
 * tables are approved), then opens Q1–Q4 (Q1–Q3 closed, Q4 open) with entries, rows,
 * reviews and 整改, in bulk SQL in one transaction. The 30-indicator project of the unit
 * user has an approved entry in every closed round and a draft in Q4.
 */
export function generateMonitoring(sqlite: Sqlite, p: { regionId: number; year: number; specialProjectId: number; users: { unit: number; department: number; finance: number } }) {
  const now = Date.now();
  const rounds: { id: number; period: string; open: boolean }[] = [];
  sqlite.transaction(() => {
    sqlite
      .prepare("update target_tables set status = 'approved' where is_current = 1 and project_id in (select id from projects where region_id = ? and year = ?)")
      .run(p.regionId, p.year);
    const insertRound = sqlite.prepare(
      "insert into rounds (region_id, year, kind, period, opens_at, due_at, closed_at, created_by, created_at) values (?, ?, 'monitoring', ?, ?, ?, ?, ?, ?)",
    );
    const plan = [
      { period: "Q1", tp: 2500, opens: now - 270 * DAY },
      { period: "Q2", tp: 5000, opens: now - 180 * DAY },
      { period: "Q3", tp: 7500, opens: now - 90 * DAY },
      { period: "Q4", tp: 10000, opens: now - 10 * DAY },
    ];
    plan.forEach((r, k) => {
      const open = k === plan.length - 1;
      const id = insertRound.run(p.regionId, p.year, r.period, r.opens, r.opens + (open ? 30 : 15) * DAY, open ? null : r.opens + 30 * DAY, p.users.finance, r.opens).lastInsertRowid as number;
      rounds.push({ id, period: r.period, open });
      const phase = open ? "open" : "closed";
      const [h1, h2, h3] = [1, 2, 3].map((s) => bucket("p.id", k * 10 + s));
      // gap = 序时进度 − 执行率 in hundredths of a point: 70% within 10 points (green), 20%
      // 10–20 behind (yellow), 10% more (red); the rule set's default thresholds.
      sqlite
        .prepare(
          `insert into reports (region_id, round_id, project_id, department_id, unit_id, table_id, status, revision, budget_annual, budget_executed,
             budget_reason, budget_measures, budget_light, execution_rate, submitted_at, approved_at, updated_by, created_at, updated_at)
           select region_id, @round, id, department_id, unit_id, table_id, status, case status when 'draft' then 1 when 'pending_department' then 2 when 'pending_finance' then 3 else 4 end,
             budget, budget * rate / 10000,
             case when light <> 'green' then '部分项目尚未完成验收，资金按合同节点支付' end,
             case when light <> 'green' then '督促加快验收和支付进度，按月通报执行情况' end,
             light, rate,
             case when status <> 'draft' then @opens + 7 * ${DAY} end, case when status = 'approved' then @opens + 12 * ${DAY} end,
             @unitUser, @opens + 3 * ${DAY}, @opens + 7 * ${DAY}
           from (
             select p.region_id, p.id, p.department_id, p.unit_id, t.id as table_id, p.budget_total as budget,
               case when p.id = @special then (case when @open then 'draft' else 'approved' end) else ${STATUS_SQL[phase](h2)} end as status,
               max(0, @tp - gap) as rate,
               case when gap <= 1000 then 'green' when gap <= 2000 then 'yellow' else 'red' end as light
             from (
               select p.*, ${h1} as h1,
                 case when ${h3} < 700 then (${h3} % 170) * 10 - 700 when ${h3} < 900 then 1001 + (${h3} % 100) * 10 else 2001 + (${h3} % 200) * 10 end as gap
               from projects p where p.region_id = @region and p.year = @year
             ) p
             join target_tables t on t.project_id = p.id and t.is_current = 1 and t.status = 'approved'
             where p.h1 < @started or p.id = @special
           )`,
        )
        .run({ round: id, opens: r.opens, unitUser: p.users.unit, special: p.specialProjectId, open: open ? 1 : 0, tp: r.tp, region: p.regionId, year: p.year, started: STARTED[phase] });
      // One row per indicator: 75% green, 17% yellow, 8% red; the projection follows the light.
      const hr = bucket("r.id * 64 + i.position", 7);
      sqlite
        .prepare(
          `insert into report_rows (report_id, indicator_id, position, actual, projected, likelihood, reasons, reason_text, measures, light)
           select id, iid, position,
             case when op = '定性' then '达标' else printf('%g', round(proj * @tp / 10000.0, 2)) end,
             case when op = '定性' then null else printf('%g', round(proj, 2)) end,
             case light when 'green' then '确定能' when 'yellow' then '有可能' else '完全不可能' end,
             case when light <> 'green' then '["经费保障"]' end,
             case when light <> 'green' then '部分资金尚未拨付到位，相关工作推迟开展' end,
             case when light <> 'green' then '加快资金拨付和项目审核，按月调度实施进度' end,
             light
           from (
             select id, iid, position, op, light,
               case when light = 'green' then t when op = '≤' then t * (case light when 'yellow' then 1.05 else 1.5 end) else t * (case light when 'yellow' then 0.95 else 0.6 end) end as proj
             from (
               select r.id, i.id as iid, i.position, i.operator as op, cast(i.target as real) as t,
                 case when ${hr} < 750 then 'green' when ${hr} < 920 then 'yellow' else 'red' end as light
               from reports r join indicators i on i.table_id = r.table_id where r.round_id = @round
             )
           )`,
        )
        .run({ round: id, tp: r.tp });
      sqlite
        .prepare(
          `update reports set green = c.g, yellow = c.y, red = c.r
           from (select report_id, sum(light = 'green') as g, sum(light = 'yellow') as y, sum(light = 'red') as r
                 from report_rows where report_id in (select id from reports where round_id = @round) group by report_id) as c
           where c.report_id = reports.id`,
        )
        .run({ round: id });
      insertReviewTrail(sqlite, p.users, id, r.opens, "请补充偏差原因的具体说明。");
      // 整改 on about a third of the approved red budgets; the last closed round's still open.
      if (!open) {
        sqlite
          .prepare(
            `insert into rectifications (region_id, report_id, requirement, due_date, answer, status, issued_by, answered_by, created_at)
             select region_id, id, '请报送整改方案，说明资金拨付计划。', date(@opens / 1000 + 60 * 86400, 'unixepoch'),
               case when @last and ${bucket("id", 9)} % 2 = 0 then null else '已制定整改方案，按月报送进展。' end,
               case when not @last then 'closed' when ${bucket("id", 9)} % 2 = 0 then 'open' else 'answered' end,
               @finance, @unitUser, @opens + 35 * ${DAY}
             from reports where round_id = @round and status = 'approved' and budget_light = 'red' and ${bucket("id", 9)} < 330`,
          )
          .run({ round: id, opens: r.opens, last: k === plan.length - 2 ? 1 : 0, finance: p.users.finance, unitUser: p.users.unit });
      }
    });
  })();
  const count = (sql: string) => (sqlite.prepare(sql).get() as { n: number }).n;
  return {
    rounds,
    reports: count("select count(*) n from reports"),
    rows: count("select count(*) n from report_rows"),
    reviews: count("select count(*) n from report_reviews"),
    rectifications: count("select count(*) n from rectifications"),
  };
}

async function monitoringFigures(ctx: {
  sqlite: Sqlite;
  regionId: number;
  year: number;
  special: { projectId: number; tableId: number };
  measure: Measure;
  call: Call;
  makeRequest: (p: string, opts: { cookie: string; form?: Record<string, string> }) => Request;
  finance: string;
  unit: string;
}) {
  const { sqlite, measure, call, makeRequest, finance, unit } = ctx;
  const userId = (name: string) => (sqlite.prepare("select id from users where username = ?").get(name) as { id: number }).id;
  const t0 = performance.now();
  const g = generateMonitoring(sqlite, {
    regionId: ctx.regionId,
    year: ctx.year,
    specialProjectId: ctx.special.projectId,
    users: { unit: userId("qijiang.unit"), department: userId("qijiang.dept"), finance: userId("qijiang.finance") },
  });
  const perRound = sqlite
    .prepare("select r.period, count(p.id) n, sum(p.status = 'approved') approved, sum(p.budget_light = 'red') red from rounds r left join reports p on p.round_id = r.id group by r.id order by r.id")
    .all() as { period: string; n: number; approved: number; red: number }[];
  console.log(
    `\nmonitoring: 4 rounds (${perRound.map((r) => `${r.period} ${r.n} entries, ${r.approved} approved, ${r.red} red budgets`).join("; ")}), ` +
      `${g.rows} indicator rows, ${g.reviews} reviews, ${g.rectifications} 整改, generated in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );

  type Fn = (a: LoaderFunctionArgs & ActionFunctionArgs) => unknown;
  const overview = await import("../app/routes/monitoring.$roundId._index");
  const entry = await import("../app/routes/monitoring.$roundId.p.$ownerId");
  const closedRound = g.rounds.find((r) => r.period === "Q3")!;
  const openRound = g.rounds.find((r) => r.open)!;

  const overviewOf = async (roundId: number) => {
    const res = await call(overview.loader as Fn, makeRequest(`/monitoring/${roundId}`, { cookie: finance }), { roundId: String(roundId) });
    const data = JSON.parse(res.body);
    return { ...res, note: `${res.status}, ${data.overview.departments.length} departments, ${data.entries.total} owners, ${data.scatter.points.length} points, ${data.red.indicators.length} red rows, ${(res.body.length / 1024).toFixed(0)} KB` };
  };
  await measure("monitoring overview, finance, Q3 (closed, 97% filed)", () => overviewOf(closedRound.id));
  await measure("monitoring overview, finance, Q4 (open, 60% started)", () => overviewOf(openRound.id));

  const entryParams = { roundId: String(openRound.id), ownerId: String(ctx.special.projectId) };
  const entryPath = `/monitoring/${openRound.id}/p/${ctx.special.projectId}`;
  const entryOf = () => call(entry.loader as Fn, makeRequest(entryPath, { cookie: unit }), entryParams);
  await measure("monitoring entry page, unit user, 30 indicators", async () => {
    const res = await entryOf();
    const data = JSON.parse(res.body);
    return { ...res, note: `${res.status}, ${data.indicators.length} rows, previous ${data.previous?.label ?? "none"}, ${(res.body.length / 1024).toFixed(0)} KB` };
  });

  // 保存草稿 of the 30-indicator entry: every indicator on target but the first (yellow, with
  // reasons); the revision is read from the page (not timed) before each save.
  const view = JSON.parse((await entryOf()).body) as { form: { budgetAnnual: string }; indicators: { operator: string | null; target: string | null }[] };
  let revision = 0;
  let n = 0;
  await measure(
    "save 30-indicator monitoring entry (intent=save)",
    async () => {
      n++;
      const form: Record<string, string> = { intent: "save", revision: String(revision), budgetAnnual: view.form.budgetAnnual, budgetExecuted: String(n % 100) };
      view.indicators.forEach((ind, i) => {
        const qualitative = ind.operator === "定性";
        const target = Number(ind.target ?? 0);
        const projected = i === 0 && !qualitative ? String(Math.floor(target * 0.95)) : qualitative ? "" : String(target);
        Object.assign(form, {
          [`rows.${i}.actual`]: qualitative ? "按计划推进" : String(Math.floor(target * 0.75)),
          [`rows.${i}.projected`]: projected,
          [`rows.${i}.likelihood`]: i === 0 ? "有可能" : "确定能",
          ...(i === 0 ? { [`rows.${i}.reasons`]: "经费保障", [`rows.${i}.reasonText`]: "资金拨付晚于计划", [`rows.${i}.measures`]: `按月调度（第 ${n} 次保存）` } : {}),
        });
      });
      const res = await call(entry.action as Fn, makeRequest(entryPath, { cookie: unit, form }), entryParams);
      if (res.status !== 302) throw new Error(`monitoring save: status ${res.status} ${res.body.slice(0, 300)}`);
      return { ...res, note: `${res.status} redirect` };
    },
    async () => {
      revision = JSON.parse((await entryOf()).body).report?.revision ?? 0;
    },
  );
}

// ---------------------------------------------------------------------------------------
// Self-evaluation (issue 11 item 11): the year's evaluation round over the generated region.

// Shares (of 1000): owners who started their self-evaluation, and the status of a started one
// (the round is open, most entries already reviewed); indicator rows below full marks; the
// approved evaluations finance deducted points on.
const EVALUATION = {
  started: 900,
  status: (h: string) =>
    `case when ${h} < 600 then 'approved' when ${h} < 700 then 'pending_finance' when ${h} < 800 then 'pending_department' when ${h} < 850 then 'returned' else 'draft' end`,
  short: 280,
  deducted: 50,
};

/**
 * Approves the year's tables (a self-evaluation covers approved tables) and opens the year's
 * self-evaluation (due in 40 days) with entries, rows scored by the official formulas (a row
 * below full marks scores weight × its completion ratio, the formulas' value for ≥, ≤ and =),
 * finance's deductions, the totals and grades (rule set defaults) and the review trail, in
 * bulk SQL in one transaction. The unit user's 30-indicator project has a draft.
 */
export function generateEvaluation(sqlite: Sqlite, p: { regionId: number; year: number; specialProjectId: number; users: { unit: number; department: number; finance: number } }) {
  const now = Date.now();
  const opens = now - 20 * DAY;
  let roundId = 0;
  sqlite.transaction(() => {
    sqlite
      .prepare("update target_tables set status = 'approved' where is_current = 1 and project_id in (select id from projects where region_id = ? and year = ?)")
      .run(p.regionId, p.year);
    roundId = sqlite
      .prepare("insert into rounds (region_id, year, kind, period, opens_at, due_at, created_by, created_at) values (?, ?, 'evaluation', 'Y', ?, ?, ?, ?)")
      .run(p.regionId, p.year, opens, now + 40 * DAY, p.users.finance, opens).lastInsertRowid as number;
    const [h1, h2, h3] = [1, 2, 3].map((s) => bucket("p.id", 100 + s));
    // 执行率 70–100% (hundredths of a percent).
    sqlite
      .prepare(
        `insert into reports (region_id, round_id, project_id, department_id, unit_id, table_id, status, revision, budget_annual, budget_executed,
           execution_rate, summary, submitted_at, approved_at, updated_by, created_at, updated_at)
         select region_id, @round, id, department_id, unit_id, table_id, status, case status when 'draft' then 1 when 'pending_department' then 2 when 'pending_finance' then 3 else 4 end,
           budget, budget * rate / 10000, rate, '年度绩效目标基本完成，未完成指标的原因及改进措施见各指标说明。',
           case when status <> 'draft' then @opens + 7 * ${DAY} end, case when status = 'approved' then @opens + 12 * ${DAY} end,
           @unitUser, @opens + 3 * ${DAY}, @opens + 7 * ${DAY}
         from (
           select p.region_id, p.id, p.department_id, p.unit_id, t.id as table_id, p.budget_total as budget,
             case when p.id = @special then 'draft' else ${EVALUATION.status(h2)} end as status,
             10000 - (${h3} * 3) as rate
           from (select p.*, ${h1} as h1 from projects p where p.region_id = @region and p.year = @year) p
           join target_tables t on t.project_id = p.id and t.is_current = 1 and t.status = 'approved'
           where p.h1 < @started or p.id = @special
         )`,
      )
      .run({ round: roundId, opens, unitUser: p.users.unit, special: p.specialProjectId, region: p.regionId, year: p.year, started: EVALUATION.started });
    // One row per indicator: full marks (actual = target), or a completion ratio of 30–99%.
    const hr = bucket("r.id * 64 + i.position", 17);
    sqlite
      .prepare(
        `insert into report_rows (report_id, indicator_id, position, actual, tier, tier_percent, reason_text, score)
         select id, iid, position,
           case when op = '定性' then null when full then target when op = '≤' then printf('%g', round(t * 100.0 / ratio, 2)) else printf('%g', round(t * ratio / 100.0, 2)) end,
           case when op <> '定性' then null when full then '达成' when ratio >= 60 then '部分达成' else '未达成' end,
           case when op = '定性' and not full then cast(ratio as text) end,
           case when not full then '实际完成低于目标，原因：部分资金拨付晚于计划；改进措施：加强资金调度，按月通报执行进度。' end,
           case when full then weight else weight * ratio / 100 end
         from (
           select r.id, i.id as iid, i.position, i.operator as op, i.target, cast(i.target as real) as t, i.weight,
             ${hr} >= ${EVALUATION.short} as full, 30 + ${hr} % 70 as ratio
           from reports r join indicators i on i.table_id = r.table_id where r.round_id = @round
         )`,
      )
      .run({ round: roundId });
    // Finance's deductions: on some approved evaluations, the first row down to 80% of its score.
    sqlite
      .prepare(
        `insert into score_adjustments (region_id, report_id, position, before, after, reason, actor_id, created_at)
         select r.region_id, r.id, rr.position, rr.score, rr.score * 4 / 5, '佐证材料不足以支撑实际完成值，按复核结果扣减。', @finance, r.approved_at - ${DAY}
         from reports r join report_rows rr on rr.report_id = r.id and rr.position = 0
         where r.round_id = @round and r.status = 'approved' and ${bucket("r.id", 19)} < ${EVALUATION.deducted}`,
      )
      .run({ round: roundId, finance: p.users.finance });
    sqlite
      .prepare(
        `update report_rows set score = a.after from score_adjustments a
         where a.report_id = report_rows.report_id and a.position = report_rows.position and a.report_id in (select id from reports where round_id = @round)`,
      )
      .run({ round: roundId });
    // Total = (budget score + Σ row scores) × 100 ÷ (W + Σ weights), all in hundredths; grades at 90 / 80 / 60.
    sqlite
      .prepare(
        `update reports set score = c.total, grade = case when c.total >= 9000 then '优' when c.total >= 8000 then '良' when c.total >= 6000 then '中' else '差' end
         from (
           select rr.report_id, (min(r.execution_rate, 10000) * t.budget_execution_weight / 10000 + sum(rr.score)) * 10000 / (t.budget_execution_weight + sum(i.weight)) as total
           from report_rows rr join reports r on r.id = rr.report_id join target_tables t on t.id = r.table_id join indicators i on i.id = rr.indicator_id
           where r.round_id = @round group by rr.report_id
         ) as c
         where c.report_id = reports.id`,
      )
      .run({ round: roundId });
    insertReviewTrail(sqlite, p.users, roundId, opens, "请补充偏差原因分析。");
  })();
  const one = <T,>(sql: string) => sqlite.prepare(sql).get(roundId) as T;
  return {
    roundId,
    reports: one<{ n: number }>("select count(*) n from reports where round_id = ?").n,
    approved: one<{ n: number }>("select count(*) n from reports where round_id = ? and status = 'approved'").n,
    rows: one<{ n: number }>("select count(*) n from report_rows where report_id in (select id from reports where round_id = ?)").n,
    adjustments: one<{ n: number }>("select count(*) n from score_adjustments where report_id in (select id from reports where round_id = ?)").n,
    grades: sqlite.prepare("select grade, count(*) n from reports where round_id = ? and status = 'approved' group by grade order by grade").all(roundId) as { grade: string; n: number }[],
  };
}

async function evaluationFigures(ctx: Parameters<typeof monitoringFigures>[0]) {
  const { sqlite, measure, call, makeRequest, finance, unit } = ctx;
  const userId = (name: string) => (sqlite.prepare("select id from users where username = ?").get(name) as { id: number }).id;
  const t0 = performance.now();
  const g = generateEvaluation(sqlite, {
    regionId: ctx.regionId,
    year: ctx.year,
    specialProjectId: ctx.special.projectId,
    users: { unit: userId("qijiang.unit"), department: userId("qijiang.dept"), finance: userId("qijiang.finance") },
  });
  console.log(
    `\nself-evaluation: ${g.reports} entries (${g.approved} approved: ${g.grades.map((x) => `${x.grade} ${x.n}`).join(", ")}), ` +
      `${g.rows} indicator rows, ${g.adjustments} deductions, generated in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );

  type Fn = (a: LoaderFunctionArgs & ActionFunctionArgs) => unknown;
  const overview = await import("../app/routes/evaluations.$roundId._index");
  const entry = await import("../app/routes/evaluations.$roundId.p.$ownerId");
  const params = { roundId: String(g.roundId) };
  const overviewOf = async (query: string) => {
    const res = await call(overview.loader as Fn, makeRequest(`/evaluations/${g.roundId}${query}`, { cookie: finance }), params);
    const data = JSON.parse(res.body);
    return {
      ...res,
      note: `${res.status}, ${data.grades.departments.length} departments, ${data.grades.region.count} graded, ${data.scatter.length} points, ${data.deductions.rows.length} rows lost most, ${data.entries.total} listed, ${(res.body.length / 1024).toFixed(0)} KB`,
    };
  };
  await measure("evaluation overview, finance (open, 60% approved)", () => overviewOf(""));
  await measure("evaluation overview, finance, drill-down grade=差", () => overviewOf(`?grade=${encodeURIComponent("差")}`));

  const entryParams = { roundId: String(g.roundId), ownerId: String(ctx.special.projectId) };
  const entryPath = `/evaluations/${g.roundId}/p/${ctx.special.projectId}`;
  const entryOf = () => call(entry.loader as Fn, makeRequest(entryPath, { cookie: unit }), entryParams);
  await measure("evaluation page, unit user, 30 indicators", async () => {
    const res = await entryOf();
    const data = JSON.parse(res.body);
    return { ...res, note: `${res.status}, ${data.evaluationIndicators.length} rows, score ${(data.report?.score ?? 0) / 100}, ${(res.body.length / 1024).toFixed(0)} KB` };
  });

  // 保存草稿 of the 30-indicator evaluation: every indicator on target but the first (below,
  // explained); the revision is read from the page (not timed) before each save.
  const view = JSON.parse((await entryOf()).body) as { form: { budgetAnnual: string }; evaluationIndicators: { operator: string | null; target: string | null }[] };
  let revision = 0;
  let n = 0;
  await measure(
    "save 30-indicator evaluation (intent=save)",
    async () => {
      n++;
      const form: Record<string, string> = { intent: "save", revision: String(revision), budgetAnnual: view.form.budgetAnnual, budgetExecuted: String(n % 100), summary: `年度目标基本完成（第 ${n} 次保存）` };
      view.evaluationIndicators.forEach((ind, i) => {
        const qualitative = ind.operator === "定性";
        const target = Number(ind.target ?? 0);
        form[`rows.${i}.actual`] = qualitative ? "达成" : i === 0 ? String(Math.floor(target * 0.8)) : String(target);
        if (i === 0) form[`rows.${i}.explanation`] = "部分资金拨付晚于计划，相关工作推迟开展";
      });
      const res = await call(entry.action as Fn, makeRequest(entryPath, { cookie: unit, form }), entryParams);
      if (res.status !== 302) throw new Error(`evaluation save: status ${res.status} ${res.body.slice(0, 300)}`);
      return { ...res, note: `${res.status} redirect` };
    },
    async () => {
      revision = JSON.parse((await entryOf()).body).report?.revision ?? 0;
    },
  );
}
