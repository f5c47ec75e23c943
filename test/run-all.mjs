#!/usr/bin/env node
// `npm test`: unit + integration tests, then browser tests. Says loudly when the browser
// tests cannot run because Chromium is missing (CI installs it, so there they always run).
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const run = (args) => spawnSync("npx", ["vitest", "run", ...args], { stdio: "inherit" }).status ?? 1;

const unit = run([]);
let e2e = 0;
if (fs.existsSync(chromium)) {
  e2e = run(["-c", "vitest.e2e.config.ts"]);
} else {
  console.log(`\n*** BROWSER TESTS SKIPPED: Chromium not found at ${chromium}. Install it with: apt-get install -y chromium ***\n`);
  if (process.env.CI) {
    console.log("CI is set: browser tests must run here, failing.");
    e2e = 1;
  }
}
process.exit(unit || e2e);
