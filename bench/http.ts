// HTTP figures for `npm run bench -- http`: the built server (node server.js, NODE_ENV=production)
// on 127.0.0.1 over the generated region of bench/server.ts (10,000 projects), 10 signed-in
// clients per page, bounded autocannon runs. For each page:
//   - requests/s and p50/p99 latency with 10 connections (autocannon, DURATION_S seconds);
//   - server CPU per request: the CPU time (/proc) of the server process and its cluster workers
//     over the loaded run divided by the requests answered. On a shared machine this is the
//     steadier figure: wall times grow with other processes' load, CPU per request much less;
//     1000 / it is what one free core could serve;
//   - one client: the median wall time of one request with one client (no queueing);
//   - Remix: the CPU time of the same request through the build's request handler in this
//     process (no HTTP, no express): what the app and Remix cost, apart from the server;
//   - raw SQL: the CPU time of the same statements the server runs for that page (root and
//     route loaders, captured from one in-process request through the same build) executed
//     as plain better-sqlite3 prepared statements, prepared beforehand; and the ratio of the
//     server's CPU per request to it.
// Rounds (ROUNDS, default 3) repeat every measurement; the median of the rounds is printed last.
// Prints figures; asserts nothing except that every answer is a 200 page.
//
//   npm run bench -- http              the figures
//   npm run bench -- http --profile    also runs the server under --cpu-prof and prints the top
//                                      self-time functions of the profile
//   npm run bench -- http --explain    also prints each page's statements: time and query plan
// Environment: JIXIAO_BENCH_ROUNDS (3), JIXIAO_BENCH_SECONDS (4), JIXIAO_BENCH_ONLY (pages whose
// label contains it: "list", "project page", "工作台"); JIXIAO_WORKERS goes to the server as it is
// (unset: the server's default, one worker per core).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { generateRegion } from "./server";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BUILD = path.join(ROOT, "build", "index.js");
const CLIENTS = 10;
const ROUNDS = positive(process.env.JIXIAO_BENCH_ROUNDS, 3);
const DURATION_S = positive(process.env.JIXIAO_BENCH_SECONDS, 4);
const SERIAL_RUNS = 150;
const RAW_RUNS = 300;
const PASSWORD = "jixiao-demo";

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// ------------------------------------------------------------------ build

/** The newest file under `dir` (its mtime), skipping tests. */
function newest(dir: string): { file: string; mtime: number } {
  let best = { file: dir, mtime: 0 };
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const found = entry.isDirectory() ? newest(full) : { file: full, mtime: fs.statSync(full).mtimeMs };
    if (found.mtime > best.mtime) best = found;
  }
  return best;
}

/** Builds when build/ is missing or older than a source of the build. */
export function buildIsStale(): string | null {
  if (!fs.existsSync(BUILD)) return "build/index.js is missing";
  const built = fs.statSync(BUILD).mtimeMs;
  const sources = [newest(path.join(ROOT, "app")), newest(path.join(ROOT, "db")), { file: path.join(ROOT, "remix.config.js"), mtime: fs.statSync(path.join(ROOT, "remix.config.js")).mtimeMs }];
  const newer = sources.find((s) => s.mtime > built);
  return newer ? `${path.relative(ROOT, newer.file)} is newer than build/index.js` : null;
}

function ensureBuild() {
  const why = buildIsStale();
  if (!why) return;
  console.log(`building (${why}) …`);
  const res = spawnSync("npx", ["remix", "build"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, NODE_ENV: "production" } });
  if (res.status !== 0) throw new Error("bench/http: remix build failed");
}

// ------------------------------------------------------------------ server

type Server = { child: ChildProcess; base: string; stop: () => Promise<void> };

async function startServer(databaseFile: string, profileDir: string | null): Promise<Server> {
  const args = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, "server.js"] : ["server.js"];
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: "0", DATABASE_URL: databaseFile };
  delete env.JIXIAO_LOG_REQUESTS;
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "inherit"] });
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("bench/http: the server did not start within 30 s")), 30_000);
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /\[jixiao\] http:\/\/[^:\s]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    });
    child.once("exit", (code) => reject(new Error(`bench/http: the server exited (${code}) before listening:\n${out}`)));
  });
  child.stdout!.resume();
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const kill = setTimeout(() => child.kill("SIGKILL"), 15_000);
      child.once("exit", () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill("SIGTERM");
    });
  return { child, base, stop };
}

async function signIn(base: string, username: string): Promise<string> {
  // One at a time: the throttle counts concurrent attempts per account (at most 5).
  const res = await fetch(`${base}/login`, {
    method: "POST",
    headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username, password: PASSWORD, redirectTo: "/" }),
    redirect: "manual",
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("jixiao_session="));
  if (res.status !== 302 || !cookie) throw new Error(`bench/http: sign-in of ${username} failed (${res.status})`);
  return cookie.split(";")[0];
}

function get(base: string, p: string, cookie: string, agent: http.Agent | false = false): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(p, base), { agent, headers: { Cookie: cookie, Accept: "text/html" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

/** The child processes of `pid` (every thread's children); [] where /proc is not there. */
function childrenOf(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(" "))
      .filter((p) => p.trim() !== "")
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * CPU time (user + system) so far of a process and all its descendants (the cluster's
 * workers), in ms; null where /proc is not there. A descendant that has exited is not counted.
 */
const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;
function cpuMs(pid: number): number | null {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const own = ((Number(fields[11]) + Number(fields[12])) / CLK_TCK) * 1000;
    return childrenOf(pid).reduce((sum, child) => sum + (cpuMs(child) ?? 0), own);
  } catch {
    return null;
  }
}

/** Median time of one request with one client (one kept-alive connection), after a warm-up. */
async function serialTime(base: string, p: string, cookie: string): Promise<number> {
  // A fresh connection: one left idle in a pool may be closed by the server's keep-alive timeout.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const times: number[] = [];
    for (let i = 0; i < SERIAL_RUNS + 20; i++) {
      const t = performance.now();
      const res = await get(base, p, cookie, agent);
      if (i >= 20) times.push(performance.now() - t);
      if (res.status !== 200) throw new Error(`bench/http: ${p} answered ${res.status}`);
    }
    return median(times);
  } finally {
    agent.destroy();
  }
}

function load(base: string, p: string, cookies: string[]) {
  let next = 0;
  return autocannon({
    url: base + p,
    connections: CLIENTS,
    duration: DURATION_S,
    headers: { Accept: "text/html" },
    // One signed-in client per connection.
    setupClient: (client) => client.setHeaders({ Accept: "text/html", Cookie: cookies[next++ % cookies.length] }),
  });
}

// ------------------------------------------------------------------ raw SQL

type Sqlite = typeof import("../db/client.server").sqlite;
type Captured = { source: string; args: unknown[]; reader: boolean };

/**
 * Runs one in-process document request through the same build the server runs (its db client
 * reuses this process's connection, db/client.server.ts) and records every statement executed.
 */
async function captureStatements(sqlite: Sqlite, handle: (r: Request) => Promise<Response>, url: string, cookie: string): Promise<Captured[]> {
  const proto = Object.getPrototypeOf(sqlite.prepare("select 1")) as Record<string, (...a: unknown[]) => unknown>;
  const names = ["all", "get", "run", "iterate"] as const;
  const originals = names.map((n) => proto[n]);
  const captured: Captured[] = [];
  names.forEach((n, i) => {
    proto[n] = function (this: { source: string; reader: boolean }, ...args: unknown[]) {
      captured.push({ source: this.source, args, reader: this.reader });
      return originals[i].apply(this, args);
    };
  });
  try {
    const res = await handle(new Request(url, { headers: { Cookie: cookie, Accept: "text/html" } }));
    await res.text();
    if (res.status !== 200) throw new Error(`bench/http: in-process ${url} answered ${res.status}`);
  } finally {
    names.forEach((n, i) => (proto[n] = originals[i]));
  }
  if (captured.some((c) => !c.reader)) throw new Error(`bench/http: ${url} writes to the database on a GET`);
  return captured;
}

/** CPU time (ms) of one run of the captured statements as plain prepared statements, averaged. */
function rawTime(sqlite: Sqlite, statements: Captured[]): number {
  const prepared = statements.map((s) => ({ stmt: sqlite.prepare(s.source), args: s.args }));
  const once = () => {
    for (const { stmt, args } of prepared) stmt.all(...args);
  };
  for (let i = 0; i < 20; i++) once();
  const before = process.cpuUsage();
  for (let i = 0; i < RAW_RUNS; i++) once();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / RAW_RUNS;
}

/** Each captured statement's median time and SQLite's plan (`--explain`), slowest first. */
function explain(sqlite: Sqlite, label: string, statements: Captured[]) {
  console.log(`\n${label}`);
  const rows = statements.map((s) => {
    const stmt = sqlite.prepare(s.source);
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      stmt.all(...s.args);
      times.push(performance.now() - t);
    }
    const plan = (sqlite.prepare(`explain query plan ${s.source}`).all(...s.args) as { detail: string }[]).map((r) => r.detail);
    return { ms: median(times), source: s.source, plan };
  });
  for (const r of rows.sort((a, b) => b.ms - a.ms)) {
    console.log(`  ${r.ms.toFixed(2).padStart(7)} ms  ${r.source.replace(/\s+/g, " ").slice(0, 400)}`);
    for (const d of r.plan) console.log(`             ${d}`);
  }
}

/** CPU time (ms) of one document request through the Remix handler in this process, no HTTP. */
async function handlerTime(handle: (r: Request) => Promise<Response>, url: string, cookie: string): Promise<number> {
  const once = async () => {
    const res = await handle(new Request(url, { headers: { Cookie: cookie, Accept: "text/html" }, signal: new AbortController().signal }));
    await res.text();
  };
  for (let i = 0; i < 20; i++) await once();
  const runs = 100;
  const before = process.cpuUsage();
  for (let i = 0; i < runs; i++) await once();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / runs;
}

// ------------------------------------------------------------------ profile

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

/** Where a frame's code lives: a package, the app build, node's own code, or the VM. */
function moduleOf(url: string): string {
  if (!url) return "(vm / native)";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.includes("/build/")) return "app (build/index.js)";
  if (url.startsWith("node:")) return "node:*";
  return path.relative(ROOT, fileURLToPath(url.startsWith("file:") ? url : pathToFileURL(url)));
}

/** Self time per function and per module of a .cpuprofile, the top ones printed. */
export function summariseProfile(profile: Profile, top = 25): { functions: [string, number][]; modules: [string, number][]; totalMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const functions = new Map<string, number>();
  const modules = new Map<string, number>();
  let totalMs = 0;
  for (const [id, ms] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const where = url ? `${path.basename(url)}:${lineNumber + 1}` : "";
    const key = `${functionName || "(anonymous)"} ${where}`.trim();
    functions.set(key, (functions.get(key) ?? 0) + ms);
    const mod = ["(idle)", "(program)", "(garbage collector)"].includes(functionName) ? functionName : moduleOf(url);
    modules.set(mod, (modules.get(mod) ?? 0) + ms);
    totalMs += ms;
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { functions: sorted(functions), modules: sorted(modules), totalMs };
}

function printProfile(file: string) {
  const { functions, modules, totalMs } = summariseProfile(JSON.parse(fs.readFileSync(file, "utf8")) as Profile);
  const busy = totalMs - (modules.find(([m]) => m === "(idle)")?.[1] ?? 0);
  const line = ([name, ms]: [string, number]) =>
    `  ${ms.toFixed(0).padStart(7)} ms ${((ms / busy) * 100).toFixed(1).padStart(5)} %  ${name}`;
  console.log(`\nprofile ${file}\n${(totalMs / 1000).toFixed(1)} s sampled, ${(busy / 1000).toFixed(1)} s not idle (percentages of that)`);
  console.log("\nself time by module:");
  modules.forEach((m) => console.log(line(m)));
  console.log("\ntop self-time functions:");
  functions.forEach((f) => console.log(line(f)));
}

// ------------------------------------------------------------------ run

type Page = { label: string; path: string; cookies: string[]; raw: number; handler: number };
type Figures = { rps: number; p50: number; p99: number; serial: number; cpu: number };

export async function run(): Promise<void> {
  const profile = process.argv.includes("--profile");
  ensureBuild();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-http-"));
  const file = path.join(dir, "bench.db");
  const previousUrl = process.env.DATABASE_URL;
  process.env.DATABASE_URL = file;
  const { db, sqlite } = await import("../db/client.server");
  let server: Server | null = null;
  try {
    if (path.resolve(sqlite.name) !== path.resolve(file)) {
      throw new Error(`bench/http: the database connection was opened before the bench set DATABASE_URL (${sqlite.name})`);
    }
    const { year, special } = await generateRegion(db, sqlite, file);
    server = await startServer(file, profile ? dir : null);
    // HTTP processes: the cluster's workers (JIXIAO_WORKERS, passed through), or the server alone.
    const workers = Math.max(1, childrenOf(server.child.pid!).length);
    console.log(`server ${server.base} (NODE_ENV=production, ${workers} worker${workers === 1 ? "" : "s"}${profile ? ", --cpu-prof" : ""}); signing in ${CLIENTS} clients per user …`);
    const finance: string[] = [];
    const unit: string[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      finance.push(await signIn(server.base, "qijiang.finance"));
      unit.push(await signIn(server.base, "qijiang.unit"));
    }

    // The same build in this process, to capture each page's statements.
    // React picks its build when first loaded: the server's is the production one.
    process.env.NODE_ENV = "production";
    const reactDev = Object.keys(createRequire(import.meta.url).cache).some((k) => /react-dom.*development/.test(k));
    if (reactDev) console.log("(React was loaded in development mode by an earlier bench part: the Remix column is slower than the server)");
    const { createRequestHandler, installGlobals } = await import("@remix-run/node");
    const build = await import(pathToFileURL(BUILD).href);
    // The globals server.js installs (its Request keeps the signal it is given).
    installGlobals({ nativeFetch: build.future.v3_singleFetch });
    const handler = createRequestHandler(build, "production");
    const handle = (r: Request) => handler(r, {});

    const pages: Page[] = [];
    const only = process.env.JIXIAO_BENCH_ONLY;
    const add = async (label: string, p: string, cookies: string[]) => {
      if (only && !label.includes(only)) return;
      const statements = await captureStatements(sqlite, handle, `http://127.0.0.1${p}`, cookies[0]);
      if (process.argv.includes("--explain")) explain(sqlite, label, statements);
      pages.push({
        label: `${label} (${statements.length} statements)`,
        path: p,
        cookies,
        raw: rawTime(sqlite, statements),
        handler: await handlerTime(handle, `http://127.0.0.1${p}`, cookies[0]),
      });
    };
    const listRows = (await get(server.base, "/projects", finance[0])).body.match(/href="\/projects\/\d+"/g)?.length ?? 0;
    await add(`project list, finance, ${year}, ${listRows} rows`, "/projects", finance);
    await add("project page, 30 indicators, unit (editor)", `/projects/${special.projectId}`, unit);
    await add("project page, 30 indicators, finance (view)", `/projects/${special.projectId}`, finance);
    await add("工作台, finance", "/", finance);
    // The floor: a page with no data and no session (the same Remix, React and server).
    await add("sign-in page (no session, no data)", "/login", [""]);

    const rounds: Figures[][] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const figures: Figures[] = [];
      for (const page of pages) {
        const serial = await serialTime(server.base, page.path, page.cookies[0]);
        const cpu0 = cpuMs(server.child.pid!);
        const res = await load(server.base, page.path, page.cookies);
        const cpu1 = cpuMs(server.child.pid!);
        if (res.non2xx || res.errors || res.timeouts) {
          throw new Error(`bench/http: ${page.path}: ${res.non2xx} non-2xx, ${res.errors} errors, ${res.timeouts} timeouts`);
        }
        const cpu = cpu0 === null || cpu1 === null ? NaN : (cpu1 - cpu0) / res.requests.total;
        figures.push({ rps: res.requests.average, p50: res.latency.p50, p99: res.latency.p99, serial, cpu });
      }
      rounds.push(figures);
      console.log(`\nround ${r + 1} of ${ROUNDS}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
      printTable(pages, figures);
    }
    const medians = pages.map((_, i) => {
      const of = (k: keyof Figures) => median(rounds.map((f) => f[i][k]));
      return { rps: of("rps"), p50: of("p50"), p99: of("p99"), serial: of("serial"), cpu: of("cpu") };
    });
    console.log(`\nmedian of ${ROUNDS} rounds (${CLIENTS} connections, ${DURATION_S} s each), ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
    printTable(pages, medians);
    console.log("\ntarget: ≥ 500 req/s for the 25-row list, ≥ 300 for a project page, p99 < 100 ms, server time ≤ 3× raw SQL");
  } finally {
    await server?.stop();
    sqlite.close();
    delete (globalThis as { __jixiaoDb?: unknown }).__jixiaoDb;
    if (previousUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previousUrl;
    if (profile) {
      const written = fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
      for (const f of written) {
        const kept = path.join(os.tmpdir(), `jixiao-http-${Date.now()}.cpuprofile`);
        fs.copyFileSync(path.join(dir, f), kept);
        printProfile(kept);
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function printTable(pages: Page[], figures: Figures[]) {
  const f1 = (x: number) => x.toFixed(1).padStart(6);
  const f2 = (x: number) => x.toFixed(2).padStart(6);
  console.log(`${"page".padEnd(58)} ${"req/s".padStart(6)} ${"p50".padStart(6)} ${"p99".padStart(6)}  1 client |  CPU/req  (1 core) | Remix  raw SQL  ratio`);
  pages.forEach((p, i) => {
    const f = figures[i];
    console.log(
      `${p.label.padEnd(58)} ${f.rps.toFixed(0).padStart(6)} ${f1(f.p50)} ${f1(f.p99)}    ${f1(f.serial)} |  ${f2(f.cpu)}  ${(1000 / f.cpu).toFixed(0).padStart(6)}/s  | ${f2(p.handler)} ${f2(p.raw)} ${p.raw >= 0.005 ? `${(f.cpu / p.raw).toFixed(1).padStart(5)}×` : "    —"}`,
    );
  });
  console.log(
    "(ms; req/s, p50, p99: 10 connections; 1 client: median wall time of one request alone; CPU/req: the server's CPU per\n" +
      " request under load, and 1000 / it; Remix: CPU of the same request through the build's handler in this process, no\n" +
      " HTTP; raw SQL: CPU of the page's statements (from a cold request), prepared; ratio: CPU/req ÷ raw SQL)",
  );
}
