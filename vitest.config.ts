import { defineConfig } from "vitest/config";
import path from "node:path";

// Unit and integration tests. Browser tests live in vitest.e2e.config.ts.
export default defineConfig({
  resolve: { alias: { "~": path.resolve(__dirname, "app") } },
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    exclude: ["test/e2e/**", "node_modules/**"],
    environment: "node",
    setupFiles: ["test/setup/db-per-file.ts"],
    testTimeout: 20000,
    pool: "forks",
  },
});
