// db/search-tokens.ts: the tokens of the project search index (docs/decisions/028).
import { describe, expect, it } from "vitest";
import { searchDocument, searchPhrase, searchTokens } from "../../db/search-tokens";

describe("search tokens", () => {
  it("gives one token per letter or digit, prefixed by the region; punctuation and spaces give none", () => {
    expect(searchTokens(3, "慰问 (2024)")).toEqual(["r3z慰", "r3z问", "r3z2", "r3z0", "r3z2", "r3z4"]);
    expect(searchTokens(12, "—（）、 ")).toEqual([]);
  });

  it("folds full-width forms and case, as a person typing would expect", () => {
    expect(searchTokens(1, "ＡＢ１２")).toEqual(searchTokens(1, "ab12"));
  });

  it("keeps regions apart: the same text in two regions shares no token", () => {
    const a = new Set(searchTokens(1, "项目"));
    expect(searchTokens(2, "项目").some((t) => a.has(t))).toBe(false);
    // Region 1 with "2…" is not region 12: the z marks where the region ends.
    expect(searchTokens(1, "2项")[0]).not.toBe(searchTokens(12, "项")[0]);
  });

  it("separates name and code in the document, and quotes a query as one phrase", () => {
    expect(searchDocument(5, "项目", "T1")).toBe("r5z项 r5z目 r5sep r5zt r5z1");
    expect(searchPhrase(5, "项目")).toBe('"r5z项 r5z目"');
    expect(searchPhrase(5, "（—）")).toBeNull();
  });
});
