// Exact decimal arithmetic for weights, money and scores (no float drift).
//
// A `Dec` is an exact rational number n/d over BigInt. Sums of decimal weights
// (2.5 + 7.5 + …) and money (25.65 + 0.35) are exact; scoring divides (actual / target ×
// weight) and stays exact too, so a total is rounded exactly once, when it is shown
// (`toFixed(2)`, half away from zero). See docs/decisions/0002-exact-decimals.md.
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
  const f = frac.replace(/0+$/, "");
  const body = f ? `${i}.${f}` : i;
  return negative && body !== "0" ? `-${body}` : body;
}

/**
 * An exact rational number. Immutable. Build with `Dec.of` ("2.5", 2.5, 10n) or
 * `Dec.parse` (table text, returns null when it is not a number).
 */
export class Dec {
  /** numerator; the denominator `d` is always > 0 (not necessarily reduced). */
  readonly n: bigint;
  readonly d: bigint;

  private constructor(n: bigint, d: bigint) {
    this.n = n;
    this.d = d;
  }

  static readonly ZERO = new Dec(0n, 1n);
  static readonly ONE = new Dec(1n, 1n);
  static readonly HUNDRED = new Dec(100n, 1n);

  /** n/d, reduced. Throws on a zero denominator. */
  static fraction(n: bigint, d: bigint): Dec {
    if (d === 0n) throw new RangeError("division by zero");
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    const g = gcd(n, d);
    return g > 1n ? new Dec(n / g, d / g) : new Dec(n, d);
  }

  /** From a canonical or table-written decimal string; null when not a number. */
  static parse(text: string): Dec | null {
    const c = parseDecimal(text);
    return c === null ? null : Dec.fromCanonical(c);
  }

  private static fromCanonical(c: string): Dec {
    const neg = c.startsWith("-");
    const body = neg ? c.slice(1) : c;
    const dot = body.indexOf(".");
    let n: bigint;
    let d: bigint;
    if (dot < 0) {
      n = BigInt(body);
      d = 1n;
    } else {
      const frac = body.slice(dot + 1);
      n = BigInt(body.slice(0, dot) + frac);
      d = pow10(frac.length);
    }
    return Dec.fraction(neg ? -n : n, d);
  }

  /**
   * From a JS number, using its shortest round-trip text (so 2.5 → 2.5 and 0.1 → 1/10,
   * exactly what the user typed), or from a decimal string or a BigInt. Throws on NaN,
   * Infinity or text that is not a number.
   */
  static of(x: Dec | string | number | bigint): Dec {
    if (x instanceof Dec) return x;
    if (typeof x === "bigint") return new Dec(x, 1n);
    if (typeof x === "number") {
      if (Number.isInteger(x) && Number.isSafeInteger(x)) return new Dec(BigInt(x), 1n);
      return Dec.fromCanonical(decimalFromNumber(x));
    }
    const d = Dec.parse(x);
    if (d === null) throw new RangeError(`not a decimal number: ${JSON.stringify(x)}`);
    return d;
  }

  add(o: Dec): Dec {
    if (this.d === o.d) return new Dec(this.n + o.n, this.d);
    return Dec.fraction(this.n * o.d + o.n * this.d, this.d * o.d);
  }
  sub(o: Dec): Dec {
    if (this.d === o.d) return new Dec(this.n - o.n, this.d);
    return Dec.fraction(this.n * o.d - o.n * this.d, this.d * o.d);
  }
  mul(o: Dec): Dec {
    if (this.d === 1n && o.d === 1n) return new Dec(this.n * o.n, 1n);
    return Dec.fraction(this.n * o.n, this.d * o.d);
  }
  /** Exact division; throws RangeError on division by zero. */
  div(o: Dec): Dec {
    if (o.n === 0n) throw new RangeError("division by zero");
    return Dec.fraction(this.n * o.d, this.d * o.n);
  }
  neg(): Dec {
    return new Dec(-this.n, this.d);
  }
  abs(): Dec {
    return this.n < 0n ? new Dec(-this.n, this.d) : this;
  }
  /** -1, 0 or 1. */
  sign(): number {
    return this.n === 0n ? 0 : this.n < 0n ? -1 : 1;
  }
  isZero(): boolean {
    return this.n === 0n;
  }
  /** -1, 0 or 1 as this <, =, > o. */
  cmp(o: Dec): number {
    const l = this.d === o.d ? this.n : this.n * o.d;
    const r = this.d === o.d ? o.n : o.n * this.d;
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
    return this.n % this.d === 0n;
  }

  /**
   * Rounded to `places` decimals, half away from zero, always with exactly `places`
   * fractional digits ("90.00").
   */
  toFixed(places = 2): string {
    const scale = pow10(places);
    const neg = this.n < 0n;
    const a = neg ? -this.n : this.n;
    const q = (2n * a * scale + this.d) / (2n * this.d);
    let digits = q.toString();
    if (places > 0) {
      digits = digits.padStart(places + 1, "0");
      digits = `${digits.slice(0, -places)}.${digits.slice(-places)}`;
    }
    return neg && q !== 0n ? `-${digits}` : digits;
  }

  /** Rounded to `places` decimals, as a Dec. */
  round(places = 2): Dec {
    return Dec.fromCanonical(parseDecimal(this.toFixed(places))!);
  }

  /**
   * Canonical decimal text ("2.5", "1300", "-0.25"). Exact whenever the value has a
   * finite decimal expansion; otherwise rounded to 12 decimals (trailing zeros removed).
   */
  toString(): string {
    const r = Dec.fraction(this.n, this.d);
    let d = r.d;
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
    const k = d === 1n ? Math.max(twos, fives) : 12;
    const s = r.toFixed(k);
    const neg = s.startsWith("-");
    const body = neg ? s.slice(1) : s;
    const dot = body.indexOf(".");
    return canonical(neg, dot < 0 ? body : body.slice(0, dot), dot < 0 ? "" : body.slice(dot + 1));
  }

  /** Nearest JS number (for display widths, charts; never for sums). */
  toNumber(): number {
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
