// Every regular expression written in app/io/ is checked for catastrophic backtracking
// (issue 9): each is run against long runs of the characters it mentions, followed by a
// character that makes the match fail, at two lengths; a pattern whose time grows faster
// than linearly is reported with the input that shows it. New patterns are checked too.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, process.env.REGEX_AUDIT_DIR ?? "../../app/io");

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sources(p);
    return /\.tsx?$/.test(d.name) ? [p] : [];
  });
}

/** Regular-expression literals of a TypeScript source (strings, comments and divisions skipped). */
export function regexLiterals(src: string): Array<{ source: string; flags: string; line: number }> {
  const out: Array<{ source: string; flags: string; line: number }> = [];
  let prev = ""; // last significant character outside strings and comments
  let prevWord = "";
  let i = 0;
  let line = 1;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    if (c === "\n") line++;
    if (c === "/" && src[i + 1] === "/") {
      const e = src.indexOf("\n", i);
      i = e < 0 ? n : e;
      continue;
    }
    if (c === "/" && src[i + 1] === "*") {
      const e = src.indexOf("*/", i + 2);
      const end = e < 0 ? n : e + 2;
      for (let k = i; k < end; k++) if (src[k] === "\n") line++;
      i = end;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") {
      let k = i + 1;
      while (k < n && src[k] !== c) {
        if (src[k] === "\\") k++;
        if (src[k] === "\n") line++;
        k++;
      }
      i = k + 1;
      prev = c;
      prevWord = "";
      continue;
    }
    if (c === "/") {
      const regexAllowed = prev === "" || "(,=:[!&|?{};+-*%<>~^".includes(prev) || ["return", "typeof", "case", "of", "in"].includes(prevWord);
      if (regexAllowed) {
        let k = i + 1;
        let inClass = false;
        while (k < n) {
          const d = src[k];
          if (d === "\\") {
            k += 2;
            continue;
          }
          if (d === "[") inClass = true;
          else if (d === "]") inClass = false;
          else if (d === "/" && !inClass) break;
          else if (d === "\n") break;
          k++;
        }
        if (src[k] === "/") {
          let f = k + 1;
          while (f < n && /[a-z]/.test(src[f])) f++;
          out.push({ source: src.slice(i + 1, k), flags: src.slice(k + 1, f), line });
          i = f;
          prev = "/";
          prevWord = "";
          continue;
        }
      }
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[A-Za-z0-9_$]/.test(c)) {
      let k = i;
      while (k < n && /[A-Za-z0-9_$]/.test(src[k])) k++;
      prevWord = src.slice(i, k);
      prev = "w";
      i = k;
      continue;
    }
    prev = c;
    prevWord = "";
    i++;
  }
  return out;
}

/** Characters a pattern mentions (literals and a few members of its classes), plus usual suspects. */
function alphabet(source: string): string[] {
  const chars = new Set<string>([" ", "\t", "\n", "1", "a", "A", "中", "-", ":", "：", ",", ".", "<", ">", "|", "%", "("]);
  for (const ch of source.replace(/\\[dswDSWbBnrtuxp]/g, "")) if (!"\\^$*+?{}[]()|".includes(ch)) chars.add(ch);
  return [...chars];
}

function timeOf(re: RegExp, input: string): number {
  const t = performance.now();
  re.lastIndex = 0;
  if (re.global || re.sticky) input.replace(re, "");
  else re.test(input);
  return performance.now() - t;
}

/** Inputs made of runs of one or two characters, ending in a character that breaks the match. */
function inputs(source: string, size: number): string[] {
  const a = alphabet(source);
  const out: string[] = [];
  const tails = ["\u0001", "x\u0001"];
  for (const c of a) for (const t of tails) out.push(c.repeat(size) + t);
  for (const c of a) for (const d of a) if (c < d) out.push((c + d).repeat(size / 2) + "\u0001");
  return out;
}

const ALL = sources(ROOT).flatMap((file) =>
  regexLiterals(fs.readFileSync(file, "utf8")).map((r) => ({ ...r, file: path.relative(path.resolve(__dirname, "../.."), file) })),
);

describe("regular expressions in app/io", () => {
  it("are found (the scanner works)", () => {
    expect(ALL.length).toBeGreaterThan(50);
    expect(ALL.some((r) => r.source.includes("绩效目标表"))).toBe(true);
  });

  it("none backtracks catastrophically on long runs of the characters it mentions", () => {
    const SMALL = 2000;
    const bad: string[] = [];
    for (const r of ALL) {
      const re = new RegExp(r.source, r.flags);
      for (const small of inputs(r.source, SMALL)) {
        // Linear patterns take microseconds at 2,000 characters; a suspect is measured at 4×.
        if (timeOf(re, small) < 1) continue;
        const ts = Math.min(timeOf(re, small), timeOf(re, small));
        const big = small.slice(0, -1).repeat(4) + small.slice(-1);
        const tb = Math.min(timeOf(re, big), timeOf(re, big));
        if (tb > 8 * ts && tb > 10) {
          bad.push(`${r.file}:${r.line} /${r.source}/${r.flags} on ${JSON.stringify(big.slice(0, 6))}… ×${big.length}: ${ts.toFixed(1)} → ${tb.toFixed(1)} ms`);
          break;
        }
      }
    }
    expect(bad).toEqual([]);
  });
});
