// Issue 9 (10): times are shown in Asia/Shanghai whatever the server's zone (and the
// browser's): the same instant gives the same text under TZ=UTC and TZ=America/New_York,
// so the server's HTML and the browser's hydration agree. The audit log's day filter
// means a Shanghai day too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderToString } from "react-dom/server";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";

const ZONES = ["UTC", "America/New_York"] as const;
const savedTz = process.env.TZ;

/** Runs `fn` with the process's local zone set to `tz` (Node applies TZ at once). */
function inZone<T>(tz: string, fn: () => T): T {
  process.env.TZ = tz;
  return fn();
}

// 2024-02-29 16:30 UTC = 2024-03-01 00:30 in Shanghai: another day in UTC and New York.
const LATE_UTC = Date.UTC(2024, 1, 29, 16, 30);
// 2024-07-01 00:30 UTC = 08:30 in Shanghai; New York is on summer time then.
const SUMMER = Date.UTC(2024, 6, 1, 0, 30);

beforeAll(setupDatabase);
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

describe("formatDateTime", () => {
  it("the zone really changes between the runs (so the next tests can fail)", () => {
    const offsets = ZONES.map((tz) => inZone(tz, () => new Date(LATE_UTC).getTimezoneOffset()));
    expect(offsets).toEqual([0, 300]);
  });

  it("gives Shanghai time under every server zone, for Date, ISO string and milliseconds", async () => {
    const { formatDateTime } = await import("../../app/utils/format");
    for (const tz of ZONES) {
      inZone(tz, () => {
        expect(formatDateTime(new Date(LATE_UTC))).toBe("2024-03-01 00:30");
        expect(formatDateTime(new Date(LATE_UTC).toISOString())).toBe("2024-03-01 00:30");
        expect(formatDateTime(SUMMER)).toBe("2024-07-01 08:30");
        expect(formatDateTime(Date.UTC(2024, 11, 31, 15, 59))).toBe("2024-12-31 23:59");
        expect(formatDateTime(Date.UTC(2024, 11, 31, 16, 0))).toBe("2025-01-01 00:00");
      });
    }
    expect(formatDateTime(null)).toBe("—");
    expect(formatDateTime("not a date")).toBe("—");
  });

  it("a rendered review history is the same HTML under both zones", async () => {
    const { ReviewHistory } = await import("../../app/components/TableReview");
    const review = {
      id: 1,
      tableId: 7,
      fromStatus: "pending_finance" as const,
      toStatus: "approved" as const,
      action: "approve",
      rating: "良",
      comment: null,
      indicatorComments: null,
      // As a loader's JSON brings it to the browser.
      createdAt: new Date(LATE_UTC).toISOString(),
      actorName: "财政",
    };
    const html = ZONES.map((tz) => inZone(tz, () => renderToString(<ReviewHistory reviews={[review]} versions={[{ id: 7, version: 1 }]} />)));
    expect(html[0]).toBe(html[1]);
    expect(html[0]).toContain("2024-03-01 00:30");
  });
});

describe("the review history", () => {
  it("names an import as approved for what it is (no review took place)", async () => {
    const { ReviewHistory } = await import("../../app/components/TableReview");
    const row = (toStatus: "approved" | "draft") => ({
      id: toStatus === "approved" ? 1 : 2,
      tableId: 7,
      fromStatus: "draft" as const,
      toStatus,
      action: "import",
      rating: null,
      comment: null,
      indicatorComments: null,
      createdAt: new Date(SUMMER).toISOString(),
      actorName: "财政",
    });
    const html = renderToString(<ReviewHistory reviews={[row("approved"), row("draft")]} versions={[{ id: 7, version: 1 }]} />);
    expect(html).toContain("导入为已批复");
    expect(html.match(/<strong>导入<\/strong>/g)).toHaveLength(1);
  });
});

describe("the audit log's day filter", () => {
  it("from/to are Shanghai days, whatever the server's zone", async () => {
    const { db } = await import("../../db/client.server");
    const { auditEvents, regions } = await import("../../db/schema");
    const { eq } = await import("drizzle-orm");
    const nanan = db.select().from(regions).where(eq(regions.slug, "nanan")).get()!;
    const at = (ms: number, entityId: number) =>
      db.insert(auditEvents).values({ regionId: nanan.id, entity: "tz_probe", entityId, action: "probe", createdAt: new Date(ms) }).run();
    at(Date.UTC(2024, 1, 29, 15, 59), 1); // 2024-02-29 23:59 Shanghai
    at(LATE_UTC, 2); // 2024-03-01 00:30 Shanghai
    at(Date.UTC(2024, 2, 1, 15, 59), 3); // 2024-03-01 23:59 Shanghai
    at(Date.UTC(2024, 2, 1, 16, 0), 4); // 2024-03-02 00:00 Shanghai
    const { loader } = await import("../../app/routes/audit");
    const cookie = await login("nanan.finance");
    for (const tz of ZONES) {
      process.env.TZ = tz;
      const body = await jsonOf(await call(loader, makeRequest("/audit?entity=tz_probe&from=2024-03-01&to=2024-03-01", { cookie })));
      expect(body.result.rows.map((r: { entityId: number }) => r.entityId).sort()).toEqual([2, 3]);
    }
  });
});
