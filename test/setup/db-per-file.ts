// Each test file gets its own freshly migrated SQLite file: DATABASE_URL is set before
// any app module opens the connection (vitest runs every file in its own module graph).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-test-"));
process.env.DATABASE_URL = path.join(dir, "test.db");
process.env.JIXIAO_TEST = "1";

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});
