// Exact decimal arithmetic for weights, money and scores (no float drift).
//
// A `Dec` is an exact rational number n/d over BigInt. Sums of decimal weights
// (2.5 + 7.5 + …) and money (25.65 + 0.35) are exact; scoring divides (actual / target ×
// weight) and stays exact too, so a total is rounded exactly once, when it is shown
// (`toFixed(2)`, half away from zero). See docs/decisions/001-exact-decimals.md.
//
// Pure TypeScript: no I/O, runs in the browser.

const TEN = 10n;

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

const POW10: bigint[] = [];
/** 10^k as a BigInt (cached). */
function pow10(k: number): bigint {
  let p = POW10[k];
  if (p === undefined) {
    p = TEN ** BigInt(k);
    if (k < 64) POW10[k] = p;
  }
  return p;
}

/**
 * Converts full-width ASCII (０-９, ．, ，, ＋, －, ％, ＞, ＝ …) to half-width and the
 * ideographic space to a space. Other characters are left alone.
 */
export function toHalfWidth(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else if (c === 0x3000 || c === 0x00a0) out += " ";
    else if (c === 0x2212 || c === 0x2013) out += "-"; // minus sign, en dash used as minus
    else out += text[i];
  }
  return out;
}

const PLAIN_DECIMAL = /^-?\d+(?:\.\d+)?$/;
const DECIMAL_RE = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?$/;

/**
 * Parses a number as written in a table into a canonical exact decimal string, or null.
 * Accepts thousands separators (`1,300.00` → "1300"), stray spaces (`30. 85` → "30.85"),
 * full-width digits (`１２` → "12") and a sign. Rejects anything else (units, `%`,
 * badly grouped separators such as `1,30`): the caller reports it, nothing is guessed.
 * Canonical form: no leading zeros, no trailing fractional zeros, "0" for zero.
 */
export function parseDecimal(text: string): string | null {
  if (typeof text !== "string") return null;
  if (PLAIN_DECIMAL.test(text)) {
    const neg = text.charCodeAt(0) === 45;
    const body = neg ? text.slice(1) : text;
    const dot = body.indexOf(".");
    return canonical(neg, dot < 0 ? body : body.slice(0, dot), dot < 0 ? "" : body.slice(dot + 1));
  }
  const s = toHalfWidth(text).replace(/\s+/g, "");
  const m = DECIMAL_RE.exec(s);
  if (!m) return null;
  const intDigits = m[2].replace(/,/g, "");
  const frac = m[3] ?? "";
  if (intDigits === "" && frac === "") return null;
  return canonical(m[1] === "-", intDigits, frac);
}

function canonical(negative: boolean, intDigits: string, frac: string): string {
  const i = intDigits.replace(/^0+/, "") || "0";
  let e = frac.length;
  while (e > 0 && frac[e - 1] === "0") e--; // not /0+$/: quadratic on "000…1"
  const f = frac.slice(0, e);
  const body = f ? `${i}.${f}` : i;
  return negative && body !== "0" ? `-${body}` : body;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const isSafe = Number.isSafeInteger;
const POW10_NUM: number[] = [];
for (let k = 0, p = 1; k <= 15; k++, p *= 10) POW10_NUM.push(p);

function gcdNum(a: number, b: number): number {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** floor(a / b) for safe non-negative integers with a + b ≤ MAX_SAFE, exactly. */
function floorDivNum(a: number, b: number): number {
  let q = Math.floor(a / b);
  while (q * b > a) q--;
  while ((q + 1) * b <= a) q++;
  return q;
}

const SIMPLE_DECIMAL = /^-?\d+(?:\.\d+)?$/;

/** Inserts the decimal point into the digits of a rounded quotient. */
function placeDigits(q: string, places: number, negative: boolean): string {
  let digits = q;
  if (places > 0) {
    digits = digits.padStart(places + 1, "0");
    digits = `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  }
  return negative && q !== "0" && /[1-9]/.test(q) ? `-${digits}` : digits;
}

const NUMBER_CACHE = new Map<number, Dec>();

/**
 * An exact rational number. Immutable. Build with `Dec.of` ("2.5", 2.5, 10n) or
 * `Dec.parse` (table text, returns null when it is not a number).
 *
 * Values are kept as a reduced fraction of JS safe integers while they fit (fast) and
 * switch to BigInt when an intermediate result would not (exact either way).
 */
export class Dec {
  /** Small form: sn / sd with safe integers, sd > 0, reduced; valid when bn === null. */
  private readonly sn: number;
  private readonly sd: number;
  /** Big form: bn / bd, bd > 0, reduced. */
  private readonly bn: bigint | null;
  private readonly bd: bigint | null;

  private constructor(sn: number, sd: number, bn: bigint | null, bd: bigint | null) {
    this.sn = sn;
    this.sd = sd;
    this.bn = bn;
    this.bd = bd;
  }

  /** A reduced small fraction (n, d safe, d ≠ 0). */
  private static small(n: number, d: number): Dec {
    if (d < 0) {
      n = -n;
      d = -d;
    }
    if (d !== 1) {
      const g = gcdNum(n, d);
      if (g > 1) {
        n /= g;
        d /= g;
      }
    }
    return new Dec(n === 0 ? 0 : n, d, null, null);
  }

  /** A reduced fraction of BigInts, demoted to the small form when it fits. */
  private static big(n: bigint, d: bigint): Dec {
    if (d === 0n) throw new RangeError("division by zero");
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    const g = gcd(n, d);
    if (g > 1n) {
      n /= g;
      d /= g;
    }
    if (d <= BigInt(MAX_SAFE) && n <= BigInt(MAX_SAFE) && n >= -BigInt(MAX_SAFE)) {
      return new Dec(Number(n), Number(d), null, null);
    }
    return new Dec(0, 1, n, d);
  }

  /** Numerator as a BigInt (reduced). */
  get n(): bigint {
    return this.bn ?? BigInt(this.sn);
  }
  /** Denominator as a BigInt (reduced, > 0). */
  get d(): bigint {
    return this.bd ?? BigInt(this.sd);
  }

  static readonly ZERO = new Dec(0, 1, null, null);
  static readonly ONE = new Dec(1, 1, null, null);
  static readonly HUNDRED = new Dec(100, 1, null, null);

  /** n/d, reduced. Throws on a zero denominator. */
  static fraction(n: bigint | number, d: bigint | number): Dec {
    if (typeof n === "number" && typeof d === "number" && isSafe(n) && isSafe(d)) {
      if (d === 0) throw new RangeError("division by zero");
      return Dec.small(n, d);
    }
    return Dec.big(BigInt(n), BigInt(d));
  }

  /** From a canonical or table-written decimal string; null when not a number. */
  static parse(text: string): Dec | null {
    if (SIMPLE_DECIMAL.test(text)) return Dec.fromCanonical(text);
    const c = parseDecimal(text);
    return c === null ? null : Dec.fromCanonical(c);
  }

  /** From plain decimal text "-12.50" (sign, digits, optional fraction). */
  private static fromCanonical(c: string): Dec {
    const dot = c.indexOf(".");
    const fracLen = dot < 0 ? 0 : c.length - dot - 1;
    const digits = dot < 0 ? c : c.slice(0, dot) + c.slice(dot + 1);
    if (digits.length <= 15 && fracLen <= 15) return Dec.small(Number(digits), POW10_NUM[fracLen]);
    return Dec.big(BigInt(digits), pow10(fracLen));
  }

  /**
   * From a JS number, using its shortest round-trip text (so 2.5 → 2.5 and 0.1 → 1/10,
   * exactly what the user typed), or from a decimal string or a BigInt. Throws on NaN,
   * Infinity or text that is not a number.
   */
  static of(x: Dec | string | number | bigint): Dec {
    if (x instanceof Dec) return x;
    if (typeof x === "number") {
      if (isSafe(x)) return new Dec(x === 0 ? 0 : x, 1, null, null);
      let c = NUMBER_CACHE.get(x);
      if (!c) {
        c = Dec.fromCanonical(decimalFromNumber(x));
        if (NUMBER_CACHE.size > 4096) NUMBER_CACHE.clear();
        NUMBER_CACHE.set(x, c);
      }
      return c;
    }
    if (typeof x === "bigint") return Dec.big(x, 1n);
    const d = Dec.parse(x);
    if (d === null) throw new RangeError(`not a decimal number: ${JSON.stringify(x)}`);
    return d;
  }

  add(o: Dec): Dec {
    if (this.bn === null && o.bn === null) {
      if (this.sd === o.sd) {
        const n = this.sn + o.sn;
        if (isSafe(n)) return this.sd === 1 ? new Dec(n, 1, null, null) : Dec.small(n, this.sd);
      } else {
        const x = this.sn * o.sd;
        const y = o.sn * this.sd;
        const d = this.sd * o.sd;
        const n = x + y;
        if (isSafe(x) && isSafe(y) && isSafe(d) && isSafe(n)) return Dec.small(n, d);
      }
    }
    return Dec.big(this.n * o.d + o.n * this.d, this.d * o.d);
  }
  sub(o: Dec): Dec {
    return this.add(o.neg());
  }
  mul(o: Dec): Dec {
    if (this.bn === null && o.bn === null) {
      // Cross-reduce first so the product stays small and reduced.
      const g1 = gcdNum(this.sn, o.sd) || 1;
      const g2 = gcdNum(o.sn, this.sd) || 1;
      const n = (this.sn / g1) * (o.sn / g2);
      const d = (this.sd / g2) * (o.sd / g1);
      if (isSafe(n) && isSafe(d)) return new Dec(n === 0 ? 0 : n, n === 0 ? 1 : d, null, null);
    }
    return Dec.big(this.n * o.n, this.d * o.d);
  }
  /** Exact division; throws RangeError on division by zero. */
  div(o: Dec): Dec {
    if (o.isZero()) throw new RangeError("division by zero");
    return this.mul(o.inverse());
  }
  private inverse(): Dec {
    if (this.bn === null) return this.sn < 0 ? new Dec(-this.sd, -this.sn, null, null) : new Dec(this.sd, this.sn, null, null);
    return this.bn < 0n ? new Dec(0, 1, -this.bd!, -this.bn) : new Dec(0, 1, this.bd!, this.bn);
  }
  neg(): Dec {
    if (this.bn === null) return new Dec(this.sn === 0 ? 0 : -this.sn, this.sd, null, null);
    return new Dec(0, 1, -this.bn, this.bd);
  }
  abs(): Dec {
    return this.sign() < 0 ? this.neg() : this;
  }
  /** -1, 0 or 1. */
  sign(): number {
    if (this.bn === null) return this.sn === 0 ? 0 : this.sn < 0 ? -1 : 1;
    return this.bn === 0n ? 0 : this.bn < 0n ? -1 : 1;
  }
  isZero(): boolean {
    return this.bn === null ? this.sn === 0 : this.bn === 0n;
  }
  /** -1, 0 or 1 as this <, =, > o. */
  cmp(o: Dec): number {
    if (this.bn === null && o.bn === null) {
      if (this.sd === o.sd) return this.sn === o.sn ? 0 : this.sn < o.sn ? -1 : 1;
      const l = this.sn * o.sd;
      const r = o.sn * this.sd;
      if (isSafe(l) && isSafe(r)) return l === r ? 0 : l < r ? -1 : 1;
    }
    const l = this.n * o.d;
    const r = o.n * this.d;
    return l === r ? 0 : l < r ? -1 : 1;
  }
  eq(o: Dec): boolean {
    return this.cmp(o) === 0;
  }
  lt(o: Dec): boolean {
    return this.cmp(o) < 0;
  }
  lte(o: Dec): boolean {
    return this.cmp(o) <= 0;
  }
  gt(o: Dec): boolean {
    return this.cmp(o) > 0;
  }
  gte(o: Dec): boolean {
    return this.cmp(o) >= 0;
  }
  min(o: Dec): Dec {
    return this.cmp(o) <= 0 ? this : o;
  }
  max(o: Dec): Dec {
    return this.cmp(o) >= 0 ? this : o;
  }
  isInteger(): boolean {
    return this.bn === null ? this.sd === 1 : this.bd === 1n;
  }

  /**
   * Rounded to `places` decimals, half away from zero, always with exactly `places`
   * fractional digits ("90.00").
   */
  toFixed(places = 2): string {
    if (this.bn === null) {
      const neg = this.sn < 0;
      const a = neg ? -this.sn : this.sn;
      if (this.sd === 1 && places <= 15) {
        return (neg ? "-" : "") + (places > 0 ? `${a}.${"0".repeat(places)}` : String(a));
      }
      if (places <= 15) {
        const num = 2 * a * POW10_NUM[places] + this.sd;
        const den = 2 * this.sd;
        if (isSafe(num) && isSafe(den) && num + den <= MAX_SAFE) {
          return placeDigits(String(floorDivNum(num, den)), places, neg);
        }
      }
    }
    const n = this.n;
    const d = this.d;
    const neg = n < 0n;
    const a = neg ? -n : n;
    const q = (2n * a * pow10(places) + d) / (2n * d);
    return placeDigits(q.toString(), places, neg);
  }

  /** Rounded to `places` decimals (half away from zero), as a Dec. */
  round(places = 2): Dec {
    if (this.bn === null && places <= 15) {
      if (this.sd === 1) return this;
      const neg = this.sn < 0;
      const a = neg ? -this.sn : this.sn;
      const num = 2 * a * POW10_NUM[places] + this.sd;
      const den = 2 * this.sd;
      if (isSafe(num) && isSafe(den) && num + den <= MAX_SAFE) {
        const q = floorDivNum(num, den);
        return Dec.small(neg ? -q : q, POW10_NUM[places]);
      }
    }
    return Dec.fromCanonical(this.toFixed(places));
  }

  /**
   * Canonical decimal text ("2.5", "1300", "-0.25"). Exact whenever the value has a
   * finite decimal expansion; otherwise rounded to 12 decimals (trailing zeros removed).
   */
  toString(): string {
    if (this.bn === null && this.sd === 1) return String(this.sn);
    let k: number;
    if (this.bn === null) {
      let d = this.sd;
      let twos = 0;
      let fives = 0;
      while (d % 2 === 0) {
        d /= 2;
        twos++;
      }
      while (d % 5 === 0) {
        d /= 5;
        fives++;
      }
      k = d === 1 ? Math.max(twos, fives) : 12;
      if (d === 1 && k <= 15) {
        // Terminating: sn × (10^k / sd) is an integer; print it with the point inserted.
        const m = this.sn * (POW10_NUM[k] / this.sd);
        if (isSafe(m)) {
          const neg = m < 0;
          const digits = placeDigits(String(neg ? -m : m), k, false);
          // As /\.?0+$/ would, without rescanning runs of zeros: trailing zeros and a point before them.
          let e = digits.length;
          while (e > 0 && digits[e - 1] === "0") e--;
          if (e < digits.length && digits[e - 1] === ".") e--;
          const trimmed = digits.slice(0, e);
          return neg ? `-${trimmed}` : trimmed;
        }
      }
    } else {
      let d = this.bd!;
      let twos = 0;
      let fives = 0;
      while (d % 2n === 0n) {
        d /= 2n;
        twos++;
      }
      while (d % 5n === 0n) {
        d /= 5n;
        fives++;
      }
      k = d === 1n ? Math.max(twos, fives) : 12;
    }
    const s = this.toFixed(k);
    const neg = s.startsWith("-");
    const body = neg ? s.slice(1) : s;
    const dot = body.indexOf(".");
    return canonical(neg, dot < 0 ? body : body.slice(0, dot), dot < 0 ? "" : body.slice(dot + 1));
  }

  /** Nearest JS number (for display widths, charts; never for sums). */
  toNumber(): number {
    // Safe integers divide to the correctly rounded double.
    if (this.bn === null) return this.sn / this.sd;
    return Number(this.toString());
  }

  toJSON(): string {
    return this.toString();
  }
}

/**
 * The exact decimal a JS number stands for, as canonical text, using the shortest
 * round-trip representation (2.5 → "2.5", 0.1 → "0.1", 1e21 → "1000000000000000000000").
 * Throws on NaN and Infinity.
 */
export function decimalFromNumber(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  const s = String(x);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(s);
  if (!m) throw new RangeError(`unexpected number text: ${s}`);
  let int = m[2];
  let frac = m[3] ?? "";
  const exp = m[4] ? Number(m[4]) : 0;
  if (exp > 0) {
    frac = frac.padEnd(exp, "0");
    int += frac.slice(0, exp);
    frac = frac.slice(exp);
  } else if (exp < 0) {
    int = int.padStart(-exp + 1, "0");
    frac = int.slice(exp) + frac;
    int = int.slice(0, exp);
  }
  return canonical(m[1] === "-", int, frac);
}

/** Exact sum of decimals (numbers, decimal strings or Decs). */
export function sum(values: Iterable<Dec | number | string>): Dec {
  let acc = Dec.ZERO;
  for (const v of values) acc = acc.add(Dec.of(v));
  return acc;
}

/** Formats an exact value for a Chinese message: canonical text, at most 4 decimals. */
export function fmt(x: Dec | number | string): string {
  const d = Dec.of(x);
  const s = d.toString();
  const dot = s.indexOf(".");
  if (dot >= 0 && s.length - dot - 1 > 4) return Dec.of(d.toFixed(4)).toString();
  return s;
}
