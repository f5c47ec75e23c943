// Page numbers of the lists (项目, 审计日志, 指标库, …) read from the query string. Any value
// gives a clean page, never a 500: page=1e300, -1, abc or 99999999999999999999 must not
// reach SQLite as an OFFSET it cannot bind (issue 9, item 10).
import { z } from "zod";

/** The largest page number a list accepts; larger ones are read as this (then clamped to the last page). */
export const MAX_PAGE = 1_000_000;

/** A page number from the query string: digits only (≥ 1), else 1; capped at MAX_PAGE. */
export function parsePage(raw: unknown): number {
  if (typeof raw !== "string" || !/^\s*\d{1,30}\s*$/.test(raw)) return 1;
  const n = Number(raw.trim());
  return n >= 1 ? Math.min(n, MAX_PAGE) : 1;
}

/** For a list's zod query schema: `page: pageParam`. Never fails. */
export const pageParam = z.unknown().transform(parsePage);

/** The page to show: the one asked for, or the last one when it is past the end. */
export function clampPage(page: number | null | undefined, total: number, pageSize: number): number {
  const last = Math.max(1, Math.ceil(total / pageSize));
  const p = page != null && Number.isFinite(page) ? Math.trunc(page) : 1;
  return Math.min(Math.max(1, p), last);
}
