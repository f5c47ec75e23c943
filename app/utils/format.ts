// Display helpers for the stored integers: money in 元 → 万元, weights in hundredths.

// Built once: toLocaleString with options builds a new Intl.NumberFormat on every call,
// which cost a list page a few percent of its CPU (bench/http.ts --profile).
const wanTwo = new Intl.NumberFormat("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const wanFour = new Intl.NumberFormat("zh-CN", { minimumFractionDigits: 4, maximumFractionDigits: 4 });

/**
 * The one formatter of amounts: 万元 as a number (exchange format) → "1,300.00", with four
 * decimals only when the amount needs them (0.1234); `empty` for nothing.
 */
export function formatWanNumber(wan: number | null | undefined, empty = ""): string {
  if (wan === null || wan === undefined || !Number.isFinite(wan)) return empty;
  return (Math.round(wan * 10000) % 100 !== 0 ? wanFour : wanTwo).format(wan);
}

/** 元 (the stored integer) → "1,300.00" 万元, as formatWanNumber; "—" for nothing. */
export function formatWan(yuan: number | null | undefined): string {
  if (yuan === null || yuan === undefined) return "—";
  return formatWanNumber(yuan / 10000, "—");
}

/** Hundredths → "2.5", "90". */
export function formatHundredths(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const sign = value < 0 ? "-" : "";
  const abs = Math.abs(value);
  const whole = Math.floor(abs / 100);
  const frac = abs % 100;
  if (frac === 0) return `${sign}${whole}`;
  return `${sign}${whole}.${String(frac).padStart(2, "0").replace(/0$/, "")}`;
}

/** 万元 as a JS number (exchange format) → integer 元, exactly. */
export function wanToYuan(wan: number | null | undefined): number | null {
  if (wan === null || wan === undefined) return null;
  return Math.round(wan * 10000);
}

export function yuanToWan(yuan: number | null | undefined): number | null {
  if (yuan === null || yuan === undefined) return null;
  return yuan / 10000;
}

/** Points as a JS number → integer hundredths, exactly (2.5 → 250). */
export function toHundredths(n: number | null | undefined): number | null {
  if (n === null || n === undefined) return null;
  return Math.round(n * 100);
}

export function fromHundredths(n: number | null | undefined): number | null {
  if (n === null || n === undefined) return null;
  return n / 100;
}

/**
 * Times are shown in China's zone, whatever the zone of the server or the browser, so the
 * server's HTML and the browser's hydration print the same text. China has kept UTC+8
 * without summer time since 1991.
 */
export const TIME_ZONE = "Asia/Shanghai";

// One formatter for every call: building an Intl object per row is slow.
const dateTimeParts = new Intl.DateTimeFormat("en-US", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** "2024-03-01 08:30" in Asia/Shanghai; "—" for nothing or an invalid date. */
export function formatDateTime(d: Date | string | number | null | undefined): string {
  if (d === null || d === undefined) return "—";
  const date = new Date(d);
  if (Number.isNaN(date.getTime())) return "—";
  const p: Record<string, string> = {};
  for (const { type, value } of dateTimeParts.formatToParts(date)) p[type] = value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** The instant a day ("2024-03-01") starts in Asia/Shanghai (UTC+8, see TIME_ZONE). */
export function shanghaiDayStart(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}
