// GET /library/suggest?q=<text>&level1=<一级>&limit=<n>&year=<年度> — indicator suggestions while typing
// a name (resource route: loader only, for the indicator editor's grid). Any signed-in
// user of the region (region scope: docs/decisions/005-library-scope.md).
//
//   q       the text typed so far (cut to 50 characters; empty → the most used names)
//   level1  optional 一级 (产出指标 / 产出 …): only entries of it (curated entries without a
//           一级 too) and only rows of it count
//   limit   optional, 1–50, default 20
//   year    optional, the year being filled (default: the user's working year); `lastYear`
//           comes from the region's approved self-evaluations of the year before
//
// Response 200, application/json — this shape is a contract, keep it:
//
//   { "suggestions": [
//       { "source": "curated" | "history",   // curated entries (not retired) come first
//         "name": string,                     // 三级指标 name
//         "level1": string | null,            // usual 一级 (curated: as entered)
//         "level2": string | null,            // usual 二级
//         "unit": string | null,              // usual 计量单位
//         "operator": "≥" | "≤" | "=" | ">" | "<" | "定性" | null,
//         "targetHint": string | null,        // curated: finance's hint; history: most common target
//         "uses": number,                     // uses in the region's approved current tables
//         "median": string | null,            // exact decimal strings ("92.5") over the numeric
//         "min": string | null,               //   targets in the entry's unit; null when none
//         "max": string | null,
//         "lastYear": {                        // last year's 全年实际完成值 of this name in the
//           "year": number,                    //   region's approved self-evaluations (不适用
//           "count": number,                   //   and 定性 rows left out), in the entry's unit
//           "unit": string | null,             //   when it has actuals there, else the most
//           "median": string,                  //   common one; exact decimal strings;
//           "min": string,                     //   null when there are none
//           "max": string } | null } ] }
//
// Not signed in: a redirect to /login (as every page). Nothing else is an error: a bad
// `limit` or `year` is ignored.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { z } from "zod";
import { requireUser } from "~/auth/permissions.server";
import { SUGGEST_DEFAULT_LIMIT, SUGGEST_MAX_LIMIT, suggestIndicators, type Suggestion } from "~/models/library.server";

const querySchema = z.object({
  q: z.string().max(1000).catch(""),
  level1: z.string().max(50).optional().catch(undefined),
  limit: z.coerce.number().int().min(1).max(SUGGEST_MAX_LIMIT).catch(SUGGEST_DEFAULT_LIMIT),
  year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const params = new URL(request.url).searchParams;
  const { q, level1, limit, year } = querySchema.parse({
    q: params.get("q") ?? "",
    level1: params.get("level1") || undefined,
    limit: params.get("limit") ?? undefined,
    year: params.get("year") || undefined,
  });
  const suggestions: Suggestion[] = suggestIndicators(user, q, { level1, limit, year });
  return json({ suggestions }, { headers: { "Cache-Control": "private, no-cache" } });
}
