// Reading query-string values that users (and bots) may mangle: anything unreadable falls
// back to a sane default, never a 500. Page numbers: app/utils/pages.ts.

/** A year 2000–2100, else the fallback. */
export function parseYear(value: string | null | undefined, fallback: number): number {
  if (!value || !/^\d{4}$/.test(value.trim())) return fallback;
  const y = Number(value);
  return y >= 2000 && y <= 2100 ? y : fallback;
}

/** A positive integer id, else null. */
export function parseId(value: string | null | undefined): number | null {
  if (!value || !/^\d{1,12}$/.test(value.trim())) return null;
  const n = Number(value);
  return n >= 1 ? n : null;
}
