// The checker's regression corpus (docs/decisions/027-checker-registry.md): every input that
// rules.test.ts, published.test.ts and below-last-actual.test.ts gave checkTable (the tables
// of the published documents and of fixtures.ts, with their rule sets and history), recorded
// once into test/fixtures/checker/corpus.json; findings.json holds what the checker answered
// before it became a registry. `npx tsx test/domain/checker-corpus.ts --write` rewrites
// findings.json from today's checker: only for a deliberate change of output.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checkTable, type Finding, type RuleSet } from "../../app/domain/rules";
import type { ExchangeTable } from "../../app/domain/schemas";

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/checker");
export const FINDINGS_FILE = path.join(DIR, "findings.json");

interface Corpus {
  ruleSets: RuleSet[];
  tables: ExchangeTable[];
  cases: { table: number; ruleSet: number; history: number[] | null }[];
}

export function readCorpus(): Corpus {
  return JSON.parse(fs.readFileSync(path.join(DIR, "corpus.json"), "utf8")) as Corpus;
}

/** The checker's findings for every case of the corpus, in case order. */
export function runCorpus(corpus: Corpus = readCorpus()): Finding[][] {
  return corpus.cases.map((c) =>
    checkTable(corpus.tables[c.table], corpus.ruleSets[c.ruleSet], c.history ? c.history.map((h) => corpus.tables[h]) : undefined),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url) && process.argv.includes("--write")) {
  const out = runCorpus();
  fs.writeFileSync(FINDINGS_FILE, `[\n${out.map((fs) => JSON.stringify(fs)).join(",\n")}\n]\n`);
  console.log(`${out.length} cases, ${out.reduce((n, f) => n + f.length, 0)} findings → ${FINDINGS_FILE}`);
}
