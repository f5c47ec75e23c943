import { defineConfig } from "vitest/config";
import path from "node:path";
import { findPublishedDir } from "./test/helpers/shared";

// Tests built on the published documents need them; without them (a clone with no
// ../shared) those files are left out, and the run says so.
const NEED_PUBLISHED = ["test/domain/published.test.ts", "test/io/document-published.test.ts", "test/io/document-seeds.test.ts"];
const hasPublished = findPublishedDir() !== null;
if (!hasPublished) {
  console.log("\n*** PUBLISHED-DOCUMENT TESTS SKIPPED: ../shared/published not found (set JIXIAO_SHARED_DIR) ***\n");
}

// Unit and integration tests. Browser tests live in vitest.e2e.config.ts.
export default defineConfig({
  resolve: { alias: { "~": path.resolve(__dirname, "app") } },
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    exclude: ["test/e2e/**", "node_modules/**", ...(hasPublished ? [] : NEED_PUBLISHED)],
    environment: "node",
    setupFiles: ["test/setup/db-per-file.ts"],
    testTimeout: 20000,
    pool: "forks",
  },
});
