// Builds the app, migrates and seeds a fresh database in a temp dir, starts the server on
// a free port, and hands the URL to the tests. Without Chromium it says so and the tests
// skip (test/run-all.mjs makes that loud; CI installs Chromium so they always run).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { freePort, waitForServer } from "../helpers/net";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let server: ChildProcess | undefined;
let dir: string | undefined;

export default async function setup(project: TestProject) {
  if (!fs.existsSync(CHROMIUM)) {
    console.log(`\n*** BROWSER TESTS SKIPPED: Chromium not found at ${CHROMIUM} (apt-get install -y chromium) ***\n`);
    project.provide("baseURL", "");
    return;
  }
  const root = path.resolve(__dirname, "../..");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-e2e-"));
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: path.join(dir, "e2e.db"), NODE_ENV: "production" };
  execFileSync("npx", ["remix", "build"], { cwd: root, env, stdio: "inherit" });
  execFileSync("npx", ["tsx", "db/setup.ts"], { cwd: root, env, stdio: "inherit" });
  const port = await freePort();
  // node itself, not npx: one process to stop. Its output goes to a file, not the report.
  const log = fs.openSync(path.join(dir, "server.log"), "a");
  server = spawn(process.execPath, [path.join(root, "server.js")], {
    cwd: root,
    env: { ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", log, "inherit"],
  });
  const baseURL = `http://127.0.0.1:${port}`;
  await waitForServer(`${baseURL}/login`, 60000);
  project.provide("baseURL", baseURL);
  project.provide("databaseUrl", env.DATABASE_URL!);
  return teardown;
}

async function teardown() {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
    databaseUrl: string;
  }
}
