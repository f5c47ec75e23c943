// Display helpers for the stored integers: money in 元 → 万元, weights in hundredths.

/** 元 (integer) → "1,300.00" 万元; four decimals only when the amount needs them. */
export function formatWan(yuan: number | null | undefined): string {
  if (yuan === null || yuan === undefined) return "—";
  const needsFour = yuan % 100 !== 0;
  return (yuan / 10000).toLocaleString("zh-CN", {
    minimumFractionDigits: needsFour ? 4 : 2,
    maximumFractionDigits: needsFour ? 4 : 2,
  });
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

export function formatDateTime(d: Date | string | number | null | undefined): string {
  if (d === null || d === undefined) return "—";
  const date = new Date(d);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
