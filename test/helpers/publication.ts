// Shared by the 绩效公开 tests (test/integration/publication*.test.ts, publish-cli.test.ts).
import type { ExchangeTable } from "../../app/domain/schemas";

/** What a table says, without where it was read from (as test/io/docx.test.ts compares). */
export function comparable(t: ExchangeTable) {
  const { source: _s, warnings: _w, ...rest } = t;
  return { ...rest, unit: rest.unit ?? null, overall: rest.overall ?? null, indicators: rest.indicators.map(({ line: _l, raw: _r, ...i }) => i) };
}
