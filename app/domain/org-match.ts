// Matching the 主管部门 / 编制单位 named in an imported table to the organisations of a region
// (docs/domain.md, 「导入时的单位匹配」). Published documents spell the same organisation in
// many ways (「万盛经开区经济信息局」 and 「重庆市万盛经济技术开发区经济和信息化局」), so names
// are compared after normalisation, by the Dice coefficient of their character bigrams.
// Pure: runs in the browser and in the seed alike.

export type OrgCandidate = { id: number; code: string; name: string };
export type OrgSuggestion<T extends OrgCandidate = OrgCandidate> = T & { score: number };
export type OrgRef = { code?: string | null; name?: string | null } | null | undefined;

/** How a table's organisation was found: its code, its exact name, or a name equal after normalisation. */
export type MatchKind = "code" | "name" | "same_name";

export type OrgMatch<T extends OrgCandidate = OrgCandidate> = {
  match: T | null;
  how: MatchKind | null;
  /** The closest candidates, best first (empty when matched by code or exact name). */
  suggestions: OrgSuggestion<T>[];
};

/** Below this score a candidate is not worth offering. */
export const MIN_SUGGESTION_SCORE = 0.3;
export const MAX_SUGGESTIONS = 5;

/**
 * Well-known abbreviations, each long form → its short form, so both spellings compare equal.
 * Longest first: 「经济和信息化」 must win over 「经济信息」.
 */
const ABBREVIATIONS: [string, string][] = [
  ["人力资源和社会保障", "人社"],
  ["经济技术开发区", "经开区"],
  ["住房和城乡建设", "住建"],
  ["经济和信息化", "经信"],
  ["规划和自然资源", "规资"],
  ["发展和改革", "发改"],
  ["经济信息", "经信"],
  ["委员会", "委"],
  ["办公室", "办"],
  ["服务中心", "中心"],
  ["事务中心", "中心"],
];

/** Suffixes of a place name (longest first): 「南岸区」 is also written 「南岸」. */
const PLACE_SUFFIXES = ["经济技术开发区", "高新技术产业开发区", "经开区", "高新区", "新区", "自治县", "县", "区", "市"];

/** Full-width to half-width, then no whitespace, punctuation or brackets, and no 「（本级）」. */
function clean(name: string): string {
  return name
    .normalize("NFKC")
    .replace(/[(\[【〔]\s*本级\s*[)\]】〕]/g, "")
    .replace(/本级$/, "")
    .replace(/[\s\p{P}\p{S}]/gu, "");
}

/**
 * The prefixes a name of this region may start with: the region's name, its city or province
 * (「重庆市」), its local part in full and abbreviated (「万盛经济技术开发区」, 「万盛经开区」,
 * 「万盛」), and their combinations. Longest first.
 */
export function regionPrefixes(regionName: string | null | undefined): string[] {
  const full = clean(regionName ?? "");
  if (!full) return [];
  const m = /^(.{2,6}?(?:省|自治区|市))(.{2,})$/u.exec(full);
  const upper = m ? [m[1]] : [];
  const local = m ? m[2] : full;
  const locals = new Set<string>([local]);
  const abbreviated = local.replace("经济技术开发区", "经开区");
  locals.add(abbreviated);
  for (const s of PLACE_SUFFIXES) {
    if (local.endsWith(s) && local.length - s.length >= 2) {
      const bare = local.slice(0, -s.length);
      locals.add(bare);
      locals.add(`${bare}区`);
      break;
    }
  }
  const out = new Set<string>([full, ...upper, ...locals]);
  for (const u of upper) for (const l of locals) out.add(u + l);
  return [...out].filter(Boolean).sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
}

/**
 * The name as compared: cleaned, without the region's prefixes (as long as two characters
 * remain), with the abbreviations applied. 「重庆市南岸区经济和信息化委员会（本级）」 → 「经信委」.
 */
export function normaliseOrgName(name: string, prefixes: readonly string[] = []): string {
  let s = clean(name);
  for (let stripped = true; stripped; ) {
    stripped = false;
    for (const p of prefixes) {
      if (s.startsWith(p) && s.length - p.length >= 2) {
        s = s.slice(p.length);
        stripped = true;
        break;
      }
    }
  }
  for (const [long, short] of ABBREVIATIONS) s = s.split(long).join(short);
  return s;
}

function bigrams(s: string): Map<string, number> {
  const chars = [...s];
  const out = new Map<string, number>();
  for (let i = 0; i + 1 < chars.length; i++) {
    const g = chars[i] + chars[i + 1];
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/** Dice coefficient of the character bigrams (as multisets), 0–1; 1 only for equal strings. */
export function diceSimilarity(a: string, b: string): number {
  if (a === b) return a.length ? 1 : 0;
  const x = bigrams(a);
  const y = bigrams(b);
  let nx = 0;
  let ny = 0;
  let common = 0;
  for (const n of x.values()) nx += n;
  for (const [g, n] of y) {
    ny += n;
    common += Math.min(n, x.get(g) ?? 0);
  }
  return nx + ny === 0 ? 0 : (2 * common) / (nx + ny);
}

/** Similarity of two organisation names of the same region, 0–1. */
export function orgNameSimilarity(a: string, b: string, prefixes: readonly string[] = []): number {
  return diceSimilarity(normaliseOrgName(a, prefixes), normaliseOrgName(b, prefixes));
}

/**
 * Finds the organisation a table names among `candidates`: by code, else by exact name, else
 * by a name equal after normalisation when exactly one candidate has it. Otherwise (and for
 * the same-name match, to show what was compared) the closest candidates are suggested.
 */
export function matchOrg<T extends OrgCandidate>(
  ref: OrgRef,
  candidates: readonly T[],
  prefixes: readonly string[] = [],
): OrgMatch<T> {
  const code = ref?.code?.trim();
  const name = ref?.name?.trim();
  if (code) {
    const byCode = candidates.find((c) => c.code === code);
    if (byCode) return { match: byCode, how: "code", suggestions: [] };
  }
  if (!name) return { match: null, how: null, suggestions: [] };
  const byName = candidates.find((c) => c.name.trim() === name);
  if (byName) return { match: byName, how: "name", suggestions: [] };
  const target = normaliseOrgName(name, prefixes);
  const scored = candidates
    .map((c) => ({ c, score: round(diceSimilarity(target, normaliseOrgName(c.name, prefixes))) }))
    .filter((x) => x.score >= MIN_SUGGESTION_SCORE)
    .sort((a, b) => b.score - a.score || compareCodes(a.c.code, b.c.code) || a.c.id - b.c.id);
  const same = scored.filter((x) => x.score === 1);
  const suggestions = scored.slice(0, MAX_SUGGESTIONS).map((x) => ({ ...x.c, score: x.score }));
  if (same.length === 1) return { match: same[0].c, how: "same_name", suggestions };
  return { match: null, how: null, suggestions };
}

/** The one value every given entry agrees on (nulls ignored), else null. */
export function unanimous<T>(values: readonly (T | null | undefined)[]): T | null {
  let found: T | null = null;
  for (const v of values) {
    if (v == null) continue;
    if (found !== null && v !== found) return null;
    found = v;
  }
  return found;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
