// Each test file gets its own freshly migrated SQLite file: DATABASE_URL is set before
// any app module opens the connection (vitest runs every file in its own module graph).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { setHashCostForTests } from "../../app/auth/password.server";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-test-"));
process.env.DATABASE_URL = path.join(dir, "test.db");
process.env.JIXIAO_TEST = "1";

// Test databases hash passwords at a low scrypt cost: at the production N = 2^17 every seed and
// every sign-in would take ~0.5 s. JIXIAO_TEST_SCRYPT_N=131072 runs the suite at full cost.
// test/integration/auth-password.test.ts checks the production default and upgrades across costs.
setHashCostForTests({ N: Number(process.env.JIXIAO_TEST_SCRYPT_N ?? 1024), r: 8, p: 1 });

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});
