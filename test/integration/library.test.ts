// 指标库: suggestions from the region's approved tables and curated entries, the page,
// and finance-only writes (audited).
import { beforeAll, describe, expect, it } from "vitest";
import type { Indicator } from "../../app/domain/schemas";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { indicator, validProjectTable } from "../helpers/tables";

const NANAN_DEPT = { code: "402", name: "重庆市南岸区经济和信息化委员会" };

/** A valid 2024 南岸区 table whose last indicator is replaced by `extra`. */
function nananTable(code: string, extra: Partial<Indicator>[]) {
  const base = validProjectTable({ year: 2024, name: `项目 ${code}`, code, department: NANAN_DEPT, unit: { code: "402001", name: null } });
  // Keep the weights valid: the extra rows share the 20 points of the 时效 row.
  const rows = base.indicators.slice(0, 4);
  const each = 20 / extra.length;
  return { ...base, indicators: [...rows, ...extra.map((e) => indicator({ core: false, weight: each, ...e }))] };
}

async function suggest(cookie: string, query: string) {
  const { loader } = await import("../../app/routes/library.suggest");
  const res = await call(loader, makeRequest(`/library/suggest?${query}`, { cookie }));
  expect(res.status).toBe(200);
  return (await jsonOf<{ suggestions: any[] }>(res)).suggestions;
}

async function post(cookie: string | null, form: Record<string, string>) {
  const { action } = await import("../../app/routes/library");
  return call(action, makeRequest("/library", { cookie, form }));
}

beforeAll(async () => {
  await setupDatabase();
  const { db } = await import("../../db/client.server");
  const { regions } = await import("../../db/schema");
  const { eq } = await import("drizzle-orm");
  const { commitImport } = await import("../../app/models/import.server");
  const region = (slug: string) => db.select().from(regions).where(eq(regions.slug, slug)).get()!;
  const nanan = region("nanan");
  const rate = (target: string) => ({ level1: "产出指标", level2: "时效指标", name: "资金拨付及时率", unit: "%", operator: "≥" as const, target });
  commitImport(
    { id: null, regionId: nanan.id },
    {
      year: 2024,
      mode: "approved",
      tables: [
        nananTable("A-1", [rate("90"), { name: "培训人次", level2: "数量指标", unit: "人次", operator: "≥", target: "120" }]),
        nananTable("A-2", [rate("100"), { name: "培训人次", level2: "数量指标", unit: "人次", operator: "≥", target: "150" }]),
        // A variant spelling (full-width space) of the same name groups with it.
        nananTable("A-3", [{ ...rate("95"), name: "资金拨付　及时率" }]),
        nananTable("A-4", [{ name: "设备完好率", level2: "质量指标", unit: "%", operator: "≥", target: "98" }]),
      ],
    },
  );
  // Never suggested: a draft of the same region, and another region's approved table.
  commitImport(
    { id: null, regionId: nanan.id },
    { year: 2024, mode: "draft", tables: [nananTable("D-1", [{ name: "草稿中的拨付指标", unit: "%", operator: "≥", target: "50" }])] },
  );
  const qijiang = region("qijiang");
  commitImport(
    { id: null, regionId: qijiang.id },
    {
      year: 2026,
      mode: "approved",
      tables: [
        {
          ...validProjectTable({ code: "Q-1" }),
          indicators: [
            ...validProjectTable().indicators.slice(0, 4),
            indicator({ name: "綦江拨付专用指标", weight: 20, core: false, unit: "%", operator: "≥", target: "10" }),
          ],
        },
      ],
    },
  );
});

describe("suggestions from approved tables", () => {
  it("groups a name's uses and gives its usual levels, unit, operator and exact median and range", async () => {
    const list = await suggest(await login("nanan.unit"), "q=拨付");
    expect(list.map((s) => s.name)).toEqual(["资金拨付及时率"]);
    expect(list[0]).toEqual({
      source: "history",
      name: "资金拨付及时率",
      level1: "产出指标",
      level2: "时效指标",
      unit: "%",
      operator: "≥",
      targetHint: "100",
      uses: 3,
      median: "95",
      min: "90",
      max: "100",
      // No approved self-evaluation of the year before in this region (结果应用).
      lastYear: null,
    });
  });

  it("the median of an even number of targets is exact (120, 150 → 135)", async () => {
    const [s] = await suggest(await login("nanan.dept"), "q=培训");
    expect(s).toMatchObject({ name: "培训人次", unit: "人次", uses: 2, median: "135", min: "120", max: "150" });
  });

  it("an empty query gives the most used names, names starting with the query come first", async () => {
    const cookie = await login("nanan.unit");
    const all = await suggest(cookie, "q=");
    // 补助人数 etc. are in all four approved tables.
    expect(all[0].uses).toBe(4);
    expect(all.every((s) => s.source === "history")).toBe(true);
    const rates = await suggest(cookie, "q=资金");
    expect(rates[0].name).toBe("资金拨付及时率");
    const contains = await suggest(cookie, "q=率");
    expect(contains.map((s) => s.name)).toEqual(expect.arrayContaining(["资金拨付及时率", "设备完好率", "补助政策知晓率"]));
  });

  it("never suggests drafts or another region's approved tables", async () => {
    const nanan = await suggest(await login("nanan.finance"), "q=拨付");
    expect(nanan.map((s) => s.name)).not.toContain("草稿中的拨付指标");
    expect(nanan.map((s) => s.name)).not.toContain("綦江拨付专用指标");
    const qijiang = await suggest(await login("qijiang.unit"), "q=拨付");
    expect(qijiang.map((s) => s.name)).toEqual(["綦江拨付专用指标"]);
  });

  it("filters by 一级 (variants accepted) and honours the limit", async () => {
    const cookie = await login("nanan.unit");
    const sat = await suggest(cookie, `q=&level1=${encodeURIComponent("满意度")}`);
    expect(sat.map((s) => s.name)).toEqual(["受益人群满意度"]);
    expect(await suggest(cookie, "q=&limit=2")).toHaveLength(2);
    expect((await suggest(cookie, "q=&limit=abc")).length).toBeGreaterThan(2);
  });

  it("requires a signed-in user", async () => {
    const { loader } = await import("../../app/routes/library.suggest");
    const res = await call(loader, makeRequest("/library/suggest?q=率"));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(/^\/login/);
  });
});

describe("curated entries", () => {
  let curatedId = 0;

  it("finance adds an entry (audited); it comes first with the statistics of its name", async () => {
    const cookie = await login("nanan.finance");
    const res = await post(cookie, {
      intent: "save",
      name: "资金拨付及时率",
      level1: "产出指标",
      level2: "时效指标",
      unit: "%",
      operator: "≥",
      targetHint: "≥95",
      note: "财政资金按规定时限拨付",
    });
    expect(res.status).toBe(302);
    const second = await post(cookie, { intent: "save", name: "拨付资金到位率", level1: "产出指标", unit: "%", operator: "≥", targetHint: "100" });
    expect(second.status).toBe(302);

    const list = await suggest(await login("nanan.unit"), "q=拨付");
    expect(list.map((s) => [s.source, s.name])).toEqual([
      ["curated", "拨付资金到位率"],
      ["curated", "资金拨付及时率"],
    ]);
    expect(list[1]).toMatchObject({ targetHint: "≥95", uses: 3, median: "95", min: "90", max: "100" });
    expect(list[0]).toMatchObject({ uses: 0, median: null });

    const { db } = await import("../../db/client.server");
    const { auditEvents, libraryIndicators } = await import("../../db/schema");
    const { eq } = await import("drizzle-orm");
    const row = db.select().from(libraryIndicators).where(eq(libraryIndicators.name, "资金拨付及时率")).get()!;
    curatedId = row.id;
    const events = db.select().from(auditEvents).where(eq(auditEvents.entity, "library_indicator")).all();
    expect(events.map((e) => e.action)).toEqual(["create", "create"]);
    expect(JSON.parse(events[0].after!)).toMatchObject({ name: "资金拨付及时率", targetHint: "≥95" });
  });

  it("a duplicate name under the same 一级 is a field error and keeps the input", async () => {
    const res = await post(await login("nanan.finance"), {
      intent: "save",
      name: " 资金拨付 及时率 ",
      level1: "产出",
      unit: "%",
      operator: "≥",
      targetHint: "≥99",
      note: "重复",
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors.name[0]).toMatch(/已有同名指标「资金拨付及时率」/);
    expect(body.values).toMatchObject({ name: " 资金拨付 及时率 ", targetHint: "≥99", note: "重复" });
  });

  it("validation errors are Chinese and keep the input; a wrong 二级 is refused", async () => {
    const cookie = await login("nanan.finance");
    const empty = await post(cookie, { intent: "save", name: "", unit: "%" });
    expect(empty.status).toBe(400);
    expect((await empty.json()).errors.name[0]).toBe("请填写指标名称");
    const wrong = await post(cookie, { intent: "save", name: "新指标", level1: "成本指标", level2: "数量指标", unit: "元" });
    expect(wrong.status).toBe(400);
    const body = await wrong.json();
    expect(body.errors.level2[0]).toMatch(/不属于一级指标「成本指标」/);
    expect(body.values.name).toBe("新指标");
  });

  it("finance edits an entry (audited with before and after)", async () => {
    const cookie = await login("nanan.finance");
    const res = await post(cookie, {
      intent: "save",
      id: String(curatedId),
      name: "资金拨付及时率",
      level1: "产出指标",
      level2: "时效指标",
      unit: "%",
      operator: "≥",
      targetHint: "100",
      note: "",
    });
    expect(res.status).toBe(302);
    const { db } = await import("../../db/client.server");
    const { auditEvents } = await import("../../db/schema");
    const { desc, eq } = await import("drizzle-orm");
    const last = db.select().from(auditEvents).where(eq(auditEvents.entity, "library_indicator")).orderBy(desc(auditEvents.id)).get()!;
    expect(last).toMatchObject({ action: "update", entityId: curatedId });
    expect(JSON.parse(last.before!).targetHint).toBe("≥95");
    expect(JSON.parse(last.after!)).toMatchObject({ targetHint: "100", note: null });
  });

  it("retired entries are hidden from suggestions and the default list, and can be restored", async () => {
    const cookie = await login("nanan.finance");
    expect((await post(cookie, { intent: "retire", id: String(curatedId) })).status).toBe(302);
    const list = await suggest(await login("nanan.unit"), "q=拨付");
    expect(list.map((s) => [s.source, s.name])).toEqual([
      ["curated", "拨付资金到位率"],
      ["history", "资金拨付及时率"],
    ]);
    const { loader } = await import("../../app/routes/library");
    const page = await jsonOf(await call(loader, makeRequest("/library", { cookie })));
    expect(page.list.rows.map((r: { name: string }) => r.name)).toEqual(["拨付资金到位率"]);
    const withRetired = await jsonOf(await call(loader, makeRequest("/library?retired=1", { cookie })));
    expect(withRetired.list.rows.find((r: { id: number }) => r.id === curatedId)).toMatchObject({ retired: true });

    // A new entry of the retired name is refused: restore the old one instead.
    const dup = await post(cookie, { intent: "save", name: "资金拨付及时率", level1: "产出指标" });
    expect(dup.status).toBe(400);
    expect((await dup.json()).errors.name[0]).toMatch(/已停用/);

    expect((await post(cookie, { intent: "restore", id: String(curatedId) })).status).toBe(302);
    expect((await suggest(cookie, "q=拨付")).map((s) => s.source)).toEqual(["curated", "curated"]);
    const { db } = await import("../../db/client.server");
    const { auditEvents } = await import("../../db/schema");
    const { eq } = await import("drizzle-orm");
    const actions = db.select().from(auditEvents).where(eq(auditEvents.entityId, curatedId)).all().filter((e) => e.entity === "library_indicator");
    expect(actions.map((e) => e.action)).toEqual(["create", "update", "retire", "restore"]);
  });

  it("only finance writes: other roles get 403 and nothing changes", async () => {
    const { db } = await import("../../db/client.server");
    const { libraryIndicators } = await import("../../db/schema");
    const count = () => db.select().from(libraryIndicators).all().length;
    const before = count();
    for (const who of ["nanan.unit", "nanan.dept", "nanan.admin"]) {
      const cookie = await login(who);
      expect((await post(cookie, { intent: "save", name: `${who} 的指标` })).status).toBe(403);
      expect((await post(cookie, { intent: "retire", id: String(curatedId) })).status).toBe(403);
    }
    expect(count()).toBe(before);
    expect((await post(null, { intent: "save", name: "匿名" })).status).toBe(302);
  });

  it("another region's entry is a 404 for edit, retire and the edit form", async () => {
    const cookie = await login("qijiang.finance");
    const edit = await post(cookie, { intent: "save", id: String(curatedId), name: "改名" });
    expect(edit.status).toBe(404);
    expect((await post(cookie, { intent: "retire", id: String(curatedId) })).status).toBe(404);
    const { loader } = await import("../../app/routes/library");
    expect((await call(loader, makeRequest(`/library?edit=${curatedId}`, { cookie }))).status).toBe(404);
    const { db } = await import("../../db/client.server");
    const { libraryIndicators } = await import("../../db/schema");
    const { eq } = await import("drizzle-orm");
    expect(db.select().from(libraryIndicators).where(eq(libraryIndicators.id, curatedId)).get()).toMatchObject({ name: "资金拨付及时率", retired: false });
    // …and another region never sees it.
    expect((await suggest(cookie, "q=拨付")).map((s) => s.name)).toEqual(["綦江拨付专用指标"]);
  });

  it("an unknown intent is a 400; a non-POST action is a 405", async () => {
    const cookie = await login("nanan.finance");
    expect((await post(cookie, { intent: "delete", id: String(curatedId) })).status).toBe(400);
    const { action } = await import("../../app/routes/library");
    const res = await call(action, makeRequest("/library", { cookie, method: "PUT", body: "intent=save&name=x", headers: { "Content-Type": "application/x-www-form-urlencoded" } }));
    expect(res.status).toBe(405);
  });
});

describe("the 指标库 page", () => {
  it("everyone in the region reads it: curated entries with usage, and the most used indicators", async () => {
    const { loader } = await import("../../app/routes/library");
    const page = await jsonOf(await call(loader, makeRequest("/library?q=拨付", { cookie: await login("nanan.unit") })));
    expect(page.canEdit).toBe(false);
    expect(page.list.rows.map((r: { name: string }) => r.name)).toEqual(["拨付资金到位率", "资金拨付及时率"]);
    expect(page.list.rows[1]).toMatchObject({ uses: 3, median: "95", min: "90", max: "100" });
    expect(page.list.history).toEqual([expect.objectContaining({ name: "资金拨付及时率", uses: 3, curated: true })]);
    // Retired entries are finance's business.
    const retired = await jsonOf(await call(loader, makeRequest("/library?retired=1", { cookie: await login("nanan.unit") })));
    expect(retired.list.rows.every((r: { retired: boolean }) => !r.retired)).toBe(true);
  });

  it("finance gets the edit form; a 收录 link pre-fills it", async () => {
    const { loader } = await import("../../app/routes/library");
    const cookie = await login("nanan.finance");
    const page = await jsonOf(await call(loader, makeRequest(`/library?add=1&name=${encodeURIComponent("设备完好率")}&unit=%25`, { cookie })));
    expect(page.canEdit).toBe(true);
    expect(page.prefill).toMatchObject({ name: "设备完好率", unit: "%" });
    expect(Object.keys(page.taxonomy)).toContain("产出指标");
  });
});

describe("search text", () => {
  it("LIKE wildcards are searched for literally (curated entries exist by now)", async () => {
    const cookie = await login("nanan.unit");
    expect((await suggest(cookie, "q=")).some((s) => s.source === "curated")).toBe(true);
    for (const q of ["%", "_", "%_\\"]) expect(await suggest(cookie, `q=${encodeURIComponent(q)}`)).toEqual([]);
    const { loader } = await import("../../app/routes/library");
    const page = await jsonOf(await call(loader, makeRequest(`/library?q=${encodeURIComponent("%")}`, { cookie })));
    expect(page.list.rows).toEqual([]);
  });
});

// How fast this is, is bench/'s business; here: the answers on a region of 100,000 approved
// indicators are the right ones (counts, ranges, ranking, the limit).
describe("a large region", () => {
  it("suggests from 100,000 approved indicators: the most used matching names, each with its true count and range", async () => {
    const { db, sqlite } = await import("../../db/client.server");
    const { regions } = await import("../../db/schema");
    const { eq } = await import("drizzle-orm");
    const { suggestIndicators, SUGGEST_DEFAULT_LIMIT } = await import("../../app/models/library.server");
    const wansheng = db.select().from(regions).where(eq(regions.slug, "wansheng")).get()!;
    const insertTable = sqlite.prepare("insert into target_tables (region_id, status, is_current) values (?, 'approved', 1)");
    const insertIndicator = sqlite.prepare(
      "insert into indicators (table_id, position, level1, level2, name, weight, unit, operator, target) values (?, ?, '产出指标', '数量指标', ?, 1000, '%', '≥', ?)",
    );
    const nameOf = (t: number, p: number) => `指标${(t * 7 + p * 13) % 3000}完成率`;
    const targetOf = (t: number, p: number) => 80 + ((t + p) % 21);
    // What the suggestions must say, counted here from the rows inserted.
    const expected = new Map<string, { uses: number; min: number; max: number }>();
    sqlite.transaction(() => {
      for (let t = 0; t < 10_000; t++) {
        const id = insertTable.run(wansheng.id).lastInsertRowid;
        for (let p = 0; p < 10; p++) {
          const name = nameOf(t, p);
          const target = targetOf(t, p);
          insertIndicator.run(id, p, name, String(target));
          const e = expected.get(name) ?? { uses: 0, min: Infinity, max: -Infinity };
          expected.set(name, { uses: e.uses + 1, min: Math.min(e.min, target), max: Math.max(e.max, target) });
        }
      }
    })();
    const user = { id: 0, regionId: wansheng.id, role: "unit", currentYear: wansheng.currentYear } as Parameters<typeof suggestIndicators>[0];

    const list = suggestIndicators(user, "指标12");
    const matching = [...expected.entries()].filter(([name]) => name.startsWith("指标12"));
    expect(matching.length).toBeGreaterThan(SUGGEST_DEFAULT_LIMIT);
    expect(list).toHaveLength(SUGGEST_DEFAULT_LIMIT);
    for (const s of list) {
      expect(s.source).toBe("history");
      expect(s.name.startsWith("指标12"), s.name).toBe(true);
      const e = expected.get(s.name)!;
      expect({ name: s.name, uses: s.uses, min: s.min, max: s.max }).toEqual({ name: s.name, uses: e.uses, min: String(e.min), max: String(e.max) });
    }
    // Most used first, and none left out that is used more than the last one shown.
    const uses = list.map((s) => s.uses);
    expect(uses).toEqual([...uses].sort((a, b) => b - a));
    const shown = new Set(list.map((s) => s.name));
    const leftOut = Math.max(...matching.filter(([name]) => !shown.has(name)).map(([, e]) => e.uses));
    expect(leftOut).toBeLessThanOrEqual(uses[uses.length - 1]);

    expect(suggestIndicators(user, "完成率").every((s) => s.name.includes("完成率"))).toBe(true);
    expect(suggestIndicators(user, "不存在")).toEqual([]);
  });
});
