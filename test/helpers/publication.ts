// Shared by the 绩效公开 tests (test/integration/publication*.test.ts, publish-cli.test.ts).
import { expect } from "vitest";
import type { ExchangeTable } from "../../app/domain/schemas";
import { setupDatabase } from "./app";

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

/** What a table says, without where it was read from (as test/io/docx.test.ts compares). */
export function comparable(t: ExchangeTable) {
  const { source: _s, warnings: _w, ...rest } = t;
  return { ...rest, unit: rest.unit ?? null, overall: rest.overall ?? null, indicators: rest.indicators.map(({ line: _l, raw: _r, ...i }) => i) };
}
