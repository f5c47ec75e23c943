// The checker gives the very findings it gave before it became a registry of checks:
// same codes, order, messages, severities and places, over the tables of the published
// documents and of the domain fixtures (test/domain/checker-corpus.ts).
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { CHECK_CODES } from "../../app/domain/rules";
import { FINDINGS_FILE, readCorpus, runCorpus } from "./checker-corpus";

describe("checker regression corpus", () => {
  const corpus = readCorpus();
  const expected = JSON.parse(fs.readFileSync(FINDINGS_FILE, "utf8"));

  it("covers every check code and the published tables", () => {
    const seen = new Set(expected.flat().map((f: { code: string }) => f.code));
    expect([...CHECK_CODES].filter((c) => !seen.has(c))).toEqual([]);
    expect(corpus.cases.length).toBe(expected.length);
    expect(corpus.tables.reduce((n, t) => n + t.indicators.length, 0)).toBeGreaterThan(300);
  });

  it("gives the recorded findings for every case", () => {
    const actual = runCorpus(corpus);
    actual.forEach((findings, i) => expect(findings, `case ${i}`).toEqual(expected[i]));
  });
});
