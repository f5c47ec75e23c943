// Integration-test helpers: a migrated, seeded SQLite file per test file (DATABASE_URL is
// set by test/setup/db-per-file.ts), real Requests, and sign-in through the real action.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { expect } from "vitest";

let ready: Promise<void> | undefined;

/** Migrates and seeds this test file's database once. */
export function setupDatabase(): Promise<void> {
  return (ready ??= (async () => {
    const { db } = await import("../../db/client.server");
    const { migrateDatabase } = await import("../../db/migrate");
    const { seedOrganisation } = await import("../../db/seed");
    migrateDatabase(db);
    await seedOrganisation(db);
  })());
}

export const BASE = "http://localhost";

export function makeRequest(
  path: string,
  opts: { method?: string; cookie?: string | null; form?: Record<string, string | string[]>; body?: BodyInit; headers?: Record<string, string> } = {},
): Request {
  const headers = new Headers(opts.headers);
  if (opts.cookie) headers.set("Cookie", opts.cookie);
  let body: BodyInit | undefined = opts.body;
  if (opts.form) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.form)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
    body = params;
    headers.set("Content-Type", "application/x-www-form-urlencoded");
  }
  return new Request(BASE + path, { method: opts.method ?? (body ? "POST" : "GET"), headers, body });
}

/** Signs in through the login route's action and returns the Cookie header to send. */
export async function login(username: string, password = "jixiao-demo"): Promise<string> {
  const { action } = await import("../../app/routes/login");
  const response = (await action(args(makeRequest("/login", { form: { username, password } })))) as Response;
  const setCookie = response.headers.get("Set-Cookie");
  if (response.status !== 302 || !setCookie) throw new Error(`login failed for ${username}: ${response.status}`);
  return setCookie.split(";")[0];
}

export function args(request: Request, params: Record<string, string> = {}): LoaderFunctionArgs & ActionFunctionArgs {
  return { request, params, context: {} };
}

/**
 * Runs a loader or action and returns its Response, whether it was returned or thrown
 * (guards throw redirects and 404s).
 */
export async function call(
  fn: (a: LoaderFunctionArgs & ActionFunctionArgs) => unknown,
  request: Request,
  params: Record<string, string> = {},
): Promise<Response> {
  try {
    const result = await fn(args(request, params));
    if (result instanceof Response) return result;
    return new Response(JSON.stringify(result), { status: 200, headers: { "Content-Type": "application/json" } });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

export async function jsonOf<T = any>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** The demo as `npm start` seeds it: the published tables, monitoring, and self-evaluations (南岸 2024 finished, with a finance deduction). */
export async function seedDemo(): Promise<void> {
  await setupDatabase();
  const { db } = await import("../../db/client.server");
  const { seedPublishedTables } = await import("../../db/seed-tables");
  expect(seedPublishedTables(db)).toBeGreaterThan(0);
  const { seedMonitoringDemo } = await import("../../seeds/monitoring");
  const { seedEvaluationDemo } = await import("../../seeds/evaluation");
  seedMonitoringDemo();
  expect(seedEvaluationDemo().reports).toBeGreaterThan(0);
}
