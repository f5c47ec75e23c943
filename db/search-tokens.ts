// Project search without scanning a region's names (docs/decisions/028-province-scale.md).
// SQLite's FTS5 tokenizers do not split Chinese into characters (unicode61 keeps a run of
// CJK as one token; trigram cannot find the two-character words people type most, 教育 or
// 慰问). So the text indexed for a project is one token per letter or digit of its name and
// code, each prefixed by the region ("r12z教"): a phrase of the query's tokens is then a
// substring match, and its posting lists hold only that region's projects, so a search
// costs what the region's matches cost, not the whole database. Punctuation and spaces give
// no token; the list keeps an exact LIKE on the candidates, so the answer is what LIKE gives.
// The same function runs in SQL (registered on every connection by db/connection.ts, used by
// the triggers of drizzle/0008) and in the query builder.

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** The tokens of `texts` in a region: "r{region}z{char}" per letter or digit, NFKC, lower case. */
export function searchTokens(regionId: number, ...texts: (string | null | undefined)[]): string[] {
  const out: string[] = [];
  for (const text of texts) {
    if (!text) continue;
    for (const ch of text.normalize("NFKC").toLowerCase()) {
      if (LETTER_OR_DIGIT.test(ch)) out.push(`r${regionId}z${ch}`);
    }
  }
  return out;
}

/**
 * The indexed text of a project: name and code tokens, the two separated by a token no
 * query produces, so a phrase never runs from the end of the name into the code.
 */
export function searchDocument(regionId: number, name: string | null, code: string | null): string {
  return [...searchTokens(regionId, name), `r${regionId}sep`, ...searchTokens(regionId, code)].join(" ");
}

/** An FTS5 MATCH expression for a query typed in the search box, or null when it has no letter or digit. */
export function searchPhrase(regionId: number, query: string): string | null {
  const tokens = searchTokens(regionId, query);
  // Tokens are letters, digits and the r/z markers only: nothing to escape inside the quotes.
  return tokens.length ? `"${tokens.join(" ")}"` : null;
}
