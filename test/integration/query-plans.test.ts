// Issue 13: every list, count and overview a finance or department user opens must cost what
// its page costs, not what the region holds. Each statement these reads run is captured and
// checked with EXPLAIN QUERY PLAN: no full scan of a table (or whole index) that grows with
// the region, and the project list's pages come out of an index in the order shown. A
// dropped or mistyped index fails here. docs/decisions/028-province-scale.md.
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../app/auth/types";
import { login, makeRequest, seedDemo } from "../helpers/app";

type Sqlite = typeof import("../../db/client.server").sqlite;
let sqlite: Sqlite;
const users: Record<string, CurrentUser> = {};

beforeAll(async () => {
  await seedDemo();
  ({ sqlite } = await import("../../db/client.server"));
  const { getSessionUser } = await import("../../app/auth/session.server");
  for (const name of ["qijiang.finance", "qijiang.dept", "qijiang.unit"]) {
    users[name] = (await getSessionUser(makeRequest("/", { cookie: await login(name) })))!;
  }
});

// Tables that grow with the region (and the years it keeps). Summary tables, organisations
// and rounds are small whatever the region's size.
const LARGE = ["projects", "target_tables", "indicators", "reports", "report_rows", "reviews", "report_reviews", "score_adjustments", "rectifications", "audit_events", "project_search"];

type Plan = { sql: string; params: unknown[]; plan: string[] };

/**
 * Runs `read` and returns the query plan of every statement it executed. Recorded where
 * statements run (their prototype), not where they are prepared: the app's connection
 * hands out cached statements (db/connection.ts).
 */
function plansOf(read: () => unknown): Plan[] {
  const seen: { sql: string; params: unknown[] }[] = [];
  const proto = Object.getPrototypeOf(sqlite.prepare("select 1")) as Record<string, (...a: unknown[]) => unknown>;
  const originals = new Map<string, (...a: unknown[]) => unknown>();
  for (const method of ["all", "get", "run", "iterate"]) {
    const original = proto[method];
    originals.set(method, original);
    proto[method] = function (this: { source: string }, ...params: unknown[]) {
      seen.push({ sql: this.source, params });
      return original.apply(this, params);
    };
  }
  try {
    read();
  } finally {
    for (const [method, original] of originals) proto[method] = original;
  }
  expect(seen.length).toBeGreaterThan(0);
  return seen.map((s) => ({
    ...s,
    plan: (sqlite.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(...(s.params as [{}])) as { detail: string }[]).map((r) => r.detail),
  }));
}

/** The plan lines that read a large table (or a whole index of one) from end to end. */
function fullScans(plans: Plan[]): string[] {
  return plans.flatMap((p) =>
    p.plan
      .filter((line) => {
        const m = /^SCAN (\w+)/.exec(line);
        return m && LARGE.includes(m[1]) && !/VIRTUAL TABLE INDEX \d+:M/.test(line);
      })
      .map((line) => `${line}   in: ${p.sql.slice(0, 160)}`),
  );
}

describe("query plans of the lists and overviews", () => {
  it("the project list scans nothing whole, for every filter and sort, and reads its page in index order", async () => {
    const { listProjects, PROJECT_SORTS } = await import("../../app/models/projects.server");
    const finance = users["qijiang.finance"];
    const year = finance.currentYear;
    const department = (sqlite.prepare("select department_id from projects where region_id = ? and year = ? limit 1").get(finance.regionId, year) as { department_id: number }).department_id;
    const filters = [{}, { departmentId: department }, { status: "approved" as const }, { status: "none" as const }, { category: "一般性项目" }, { q: "补助" }, { q: "50011" }];
    for (const sort of Object.keys(PROJECT_SORTS) as (keyof typeof PROJECT_SORTS)[]) {
      for (const filter of filters) {
        for (const who of Object.values(users)) {
          const plans = plansOf(() => {
            // The list counts per status (its tabs) as it pages.
            listProjects(who, { year, sort, page: 2, ...filter });
          });
          expect(fullScans(plans), `${who.username} ${sort} ${JSON.stringify(filter)}`).toEqual([]);
        }
      }
      // Without a filter that needs another index, finance's page is read in the order shown.
      const page = plansOf(() => listProjects(finance, { year, sort, page: 3 })).find((p) => /^select "id" from "projects"/.test(p.sql))!;
      expect(page.plan.join("\n"), sort).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
      expect(page.plan.join("\n"), sort).toMatch(/USING (COVERING )?INDEX projects_region_year_/);
    }
  });

  it("the 工作台 and the filter choices add up summary rows", async () => {
    const { getDashboard } = await import("../../app/models/dashboard.server");
    const { listFilterChoices } = await import("../../app/models/projects.server");
    for (const who of Object.values(users)) {
      const plans = plansOf(() => {
        getDashboard(who);
        listFilterChoices(who);
      });
      expect(fullScans(plans), who.username).toEqual([]);
      expect(plans.some((p) => /from "project_counts"/.test(p.sql)), who.username).toBe(true);
    }
  });

  it("the monitoring and self-evaluation overviews, with every drill-down, scan nothing whole", async () => {
    const mo = await import("../../app/models/monitoring-overview.server");
    const eo = await import("../../app/models/evaluation-overview.server");
    const { getRound } = await import("../../app/models/rounds.server");
    const finance = users["qijiang.finance"];
    const rounds = sqlite.prepare("select id, kind from rounds where region_id = ?").all(finance.regionId) as { id: number; kind: "monitoring" | "evaluation" }[];
    expect(rounds.map((r) => r.kind).sort()).toEqual(expect.arrayContaining(["evaluation", "monitoring"]));
    const filters = [{}, { status: "approved" }, { status: "not_started" }, { status: "overdue" }, { light: "any_red" }, { grade: "差" }, { page: 2 }];
    for (const who of [users["qijiang.finance"], users["qijiang.dept"]]) {
      for (const r of rounds) {
        const round = getRound(who, r.id, r.kind)!;
        const plans = plansOf(() => {
          mo.roundOverview(who, round);
          for (const f of filters) mo.listRoundEntries(who, round, f);
          if (r.kind === "monitoring") {
            mo.executionScatter(who, round);
            mo.redItems(who, round);
          } else {
            eo.gradeOverview(who, round);
            eo.largestDeductions(who, round);
            eo.scoreAgainstBudget(who, round);
            eo.categoriesOf(who, round.year);
          }
        });
        expect(fullScans(plans), `${who.username} round ${r.id}`).toEqual([]);
      }
    }
  });
});
