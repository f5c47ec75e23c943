// Text clean-ups that regular expressions would do with quadratic backtracking on long
// hostile input (`<[^>]*>` on "<<<<…", `0+$` on "000…1", `\s*\n\s*` on long runs of
// spaces): the same results in one forward pass. Imported documents feed cell text of any
// length to the domain parsers (issue 9, docs/decisions/016-hostile-input.md). Browser-safe.

/**
 * Replaces every tag by `by`, as `s.replace(/<[^>]*>/g, by)` does: a tag runs from `<` to
 * the first `>` after it; a `<` with no `>` after it is text (and so is all that follows).
 */
export function replaceTags(s: string, by = ""): string {
  let lt = s.indexOf("<");
  if (lt < 0) return s;
  let out = "";
  let i = 0;
  while (lt >= 0) {
    const gt = s.indexOf(">", lt + 1);
    if (gt < 0) break;
    out += s.slice(i, lt) + by;
    i = gt + 1;
    lt = s.indexOf("<", i);
  }
  return out + s.slice(i);
}

/** The text without the trailing characters found in `chars` (as `/[…]+$/` would remove). */
export function trimEndOf(s: string, chars: string): string {
  let end = s.length;
  while (end > 0 && chars.includes(s[end - 1])) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** Like `trimEndOf`, also removing trailing whitespace (`/[\s,]+$/` is `trimEndWith(s, ",")`). */
export function trimEndWith(s: string, chars: string): string {
  let end = s.length;
  while (end > 0 && (chars.includes(s[end - 1]) || /\s/.test(s[end - 1]))) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** Every run of whitespace that holds a line break becomes `by` (as the pattern `\s*\n\s*` with the g flag). */
export function replaceBreaks(s: string, by: string): string {
  if (s.indexOf("\n") < 0) return s;
  return s.replace(/\s+/g, (w) => (w.indexOf("\n") >= 0 ? by : w));
}
