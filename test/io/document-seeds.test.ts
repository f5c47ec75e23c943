// seeds/published/*.json must match what the importer reads from ../shared/published (prose
// fields aside), and must not carry the documents' prose.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exchangeFileSchema } from "~/domain/schemas";
import { parseDocument } from "~/io/document";
import { SUMMARIES, seedOf, summaryKey, withoutProse, type SeedFile } from "../../seeds/build-published";
import { PUBLISHED_DIR } from "../helpers/shared";

const PUBLISHED = PUBLISHED_DIR;
const SEEDS = path.resolve(__dirname, "../../seeds/published");
const FILES = ["000_fec630cfd683dd92.txt", "001_9e32bcde27c9bb9e.txt", "002_2b7b38b2db384d80.txt"];

describe("seeds/published", () => {
  it("has one seed per published document and nothing else", () => {
    expect(fs.readdirSync(SEEDS).sort()).toEqual(FILES.map((f) => f.replace(/\.txt$/, ".json")));
  });

  for (const file of FILES) {
    describe(file, () => {
      const text = fs.readFileSync(path.join(PUBLISHED, file), "utf8");
      const seed = JSON.parse(fs.readFileSync(path.join(SEEDS, file.replace(/\.txt$/, ".json")), "utf8")) as SeedFile;
      const doc = parseDocument(text, { file });

      it("matches the importer's output, prose fields aside", () => {
        expect(seed.source).toBe(file);
        expect(seed.year).toBe(doc.year);
        expect(seed.tables.map((t) => withoutProse(t, null))).toEqual(doc.tables.map((t) => withoutProse(t, null)));
        // and is exactly what the build script writes today
        expect(seed).toEqual(seedOf(file, text).seed);
      });

      it("is valid exchange JSON for the demo seed loader", () => {
        const r = exchangeFileSchema.safeParse(seed);
        expect(r.success).toBe(true);
        expect(r.success && r.data.length).toBe(doc.tables.length);
      });

      it("carries one-line summaries of our own, never the documents' prose", () => {
        for (const t of seed.tables) {
          const fields = t.project
            ? { overview: t.project.overview, basis: t.project.basis, schedule: t.project.schedule, measures: t.project.measures, midTermGoal: t.project.midTermGoal, annualGoal: t.project.annualGoal }
            : { midTermGoal: t.overall!.midTermGoal, annualGoal: t.overall!.annualGoal };
          for (const [k, v] of Object.entries(fields)) {
            if (v === null) continue;
            expect(v, k).toBe(SUMMARIES[summaryKey(t, file)]);
            expect(v).not.toContain("\n");
            expect(v.length).toBeLessThanOrEqual(60);
            expect(text.includes(v), `summary copied from the document: ${v}`).toBe(false);
          }
        }
        const json = JSON.stringify(seed);
        for (const t of doc.tables) {
          const prose = t.project
            ? [t.project.overview, t.project.basis, t.project.schedule, t.project.measures, t.project.midTermGoal, t.project.annualGoal]
            : [t.overall?.midTermGoal, t.overall?.annualGoal];
          for (const p of prose) if (p && p.length > 30) expect(json.includes(p.slice(0, 30))).toBe(false);
        }
      });

      it("keeps every fact: names, codes, departments, amounts, indicators", () => {
        expect(seed.tables.map((t) => [t.project?.code ?? null, t.project?.name ?? null, t.department, t.project?.budget ?? t.overall?.budget, t.indicators.length])).toEqual(
          doc.tables.map((t) => [t.project?.code ?? null, t.project?.name ?? null, t.department, t.project?.budget ?? t.overall?.budget, t.indicators.length]),
        );
        expect(seed.tables.flatMap((t) => t.indicators)).toEqual(doc.tables.flatMap((t) => t.indicators));
      });
    });
  }

  it("has a summary for every table of the documents that has prose", () => {
    const keys = FILES.flatMap((file) => {
      const doc = parseDocument(fs.readFileSync(path.join(PUBLISHED, file), "utf8"), { file });
      return doc.tables.filter((t) => t.project || t.overall?.annualGoal).map((t) => summaryKey(t, file));
    });
    expect(keys.filter((k) => !(k in SUMMARIES))).toEqual([]);
    expect(Object.keys(SUMMARIES).filter((k) => !keys.includes(k))).toEqual([]);
  });
});
