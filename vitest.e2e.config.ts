import { defineConfig } from "vitest/config";

// Browser tests: the built app on a free port with its own database, driven in Debian's
// Chromium through playwright-core. See test/e2e/global-setup.ts.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.ts"],
    globalSetup: ["test/e2e/global-setup.ts"],
    testTimeout: 60000,
    hookTimeout: 180000,
    // One browser and one server; files run one after another.
    fileParallelism: false,
    pool: "forks",
  },
});
