// 规则集 page: finance views and edits the region-year rule set; saves are validated,
// audited, picked up by ruleSetFor at once, and re-check the year's open tables.
import { beforeAll, describe, expect, it } from "vitest";
import type { ExchangeTable } from "../../app/domain/schemas";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { indicator, validProjectTable } from "../helpers/tables";

const NANAN_DEPT = { code: "402", name: "重庆市南岸区经济和信息化委员会" };
const tables: Record<string, number> = {};
let nananId = 0;

async function loadPage(cookie: string, query = "") {
  const { loader } = await import("../../app/routes/rules");
  return call(loader, makeRequest(`/rules${query}`, { cookie }));
}

/** The edit form exactly as the page renders it, with some fields changed. */
async function formWith(cookie: string, changes: Record<string, string | string[] | null>, query = "") {
  const page = await jsonOf(await loadPage(cookie, query));
  const form: Record<string, string | string[]> = {
    ...page.form,
    title: page.defaultTitle ?? page.form.title,
    intent: "save",
    year: String(page.info.year),
    updatedAt: page.info.updatedAt ? String(new Date(page.info.updatedAt).getTime()) : "",
  };
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete form[k];
    else form[k] = v;
  }
  return form;
}

async function post(cookie: string, form: Record<string, string | string[]>) {
  const { action } = await import("../../app/routes/rules");
  return call(action, makeRequest("/rules", { cookie, form }));
}

async function db() {
  const { db } = await import("../../db/client.server");
  const schema = await import("../../db/schema");
  const orm = await import("drizzle-orm");
  return { db, ...schema, ...orm };
}

async function counts(tableId: number) {
  const { db: d, targetTables, eq } = await db();
  const t = d.select().from(targetTables).where(eq(targetTables.id, tableId)).get()!;
  return { errors: t.errorCount, warnings: t.warningCount };
}

beforeAll(async () => {
  await setupDatabase();
  const { db: d, regions, targetTables, projects, departmentTargets, eq } = await db();
  const { commitImport } = await import("../../app/models/import.server");
  nananId = d.select().from(regions).where(eq(regions.slug, "nanan")).get()!.id;
  const project = (code: string) =>
    validProjectTable({ year: 2024, name: `项目 ${code}`, code, department: NANAN_DEPT, unit: { code: "402001", name: null } });
  const department: ExchangeTable = {
    ...validProjectTable({ year: 2024, department: NANAN_DEPT }),
    kind: "department",
    project: null,
    overall: { budget: 100, midTermGoal: null, annualGoal: "部门整体目标" },
    budgetExecutionWeight: null,
    indicators: [
      indicator({ name: "服务企业数", weight: 50, core: null }),
      indicator({ level1: "效益指标", level2: "社会效益指标", name: "企业满意度提升", weight: 50, unit: "%", target: "90", core: null }),
    ],
  };
  const actor = { id: null, regionId: nananId };
  const draft = commitImport(actor, { year: 2024, mode: "draft", tables: [project("D-1"), department] });
  const approved = commitImport(actor, { year: 2024, mode: "approved", tables: [project("A-1")] });
  const tableOf = (projectId: number) => d.select().from(targetTables).where(eq(targetTables.projectId, projectId)).get()!.id;
  tables.draft = tableOf(draft.created[0].id);
  tables.approved = tableOf(approved.created[0].id);
  tables.department = d
    .select()
    .from(targetTables)
    .where(eq(targetTables.departmentTargetId, draft.created[1].id))
    .get()!.id;
  // A table of another year is not re-checked.
  const other = commitImport(actor, { year: 2025, mode: "draft", tables: [{ ...project("D-2025"), year: 2025 }] });
  tables.otherYear = tableOf(other.created[0].id);
  expect(d.select().from(projects).all().length).toBeGreaterThan(0);
  expect(d.select().from(departmentTargets).all().length).toBe(1);
});

describe("access", () => {
  it("only finance: the page and its action are 403 for other roles", async () => {
    for (const who of ["nanan.unit", "nanan.dept", "nanan.admin"]) {
      const cookie = await login(who);
      expect((await loadPage(cookie)).status).toBe(403);
      expect((await post(cookie, { intent: "start", year: "2024", builtin: "national" })).status).toBe(403);
    }
    const { db: d, ruleSets } = await db();
    expect(d.select().from(ruleSets).all()).toHaveLength(0);
  });
});

describe("viewing", () => {
  it("defaults to the region's current year and shows the built-in default in force", async () => {
    const page = await jsonOf(await loadPage(await login("nanan.finance")));
    expect(page.info).toMatchObject({ year: 2024, source: "builtin", baseName: "chongqing-2024", updatedAt: null });
    expect(page.info.ruleSet.name).toBe("chongqing-2024");
    expect(page.form["project.core.minCount"]).toBe("2");
    expect(page.form["project.core.minWeightShare"]).toBe("50");
    expect(page.form["project.taxonomy"]).toContain("产出指标：数量指标、质量指标、时效指标");
    expect(page.years).toContain(2024);
    const older = await jsonOf(await loadPage(await login("nanan.finance"), "?year=2022"));
    expect(older.info).toMatchObject({ year: 2022, baseName: "chongqing-2022" });
  });
});

describe("saving", () => {
  it("an edit is saved, audited, used by ruleSetFor at once, and re-checks the year's open tables", async () => {
    const cookie = await login("nanan.finance");
    const before = { draft: await counts(tables.draft), approved: await counts(tables.approved), department: await counts(tables.department), otherYear: await counts(tables.otherYear) };
    expect(before.draft.errors).toBe(0);
    // The draft has 3 core indicators; requiring 4 makes core_min an error. The department
    // table has 2 indicators; requiring 3 makes no_indicators an error.
    const form = await formWith(cookie, {
      "project.core.minCount": "4",
      "department.minIndicators": "3",
      "severities.cost_operator": "off",
      "severities.weight_total": "error",
    });
    const res = await post(cookie, form);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/rules?year=2024&saved=1&rechecked=2&changed=2");

    const { ruleSetFor } = await import("../../app/models/rulesets.server");
    const rs = ruleSetFor(nananId, 2024);
    expect(rs).toMatchObject({ name: "nanan-2024", region: "nanan", year: 2024 });
    expect(rs.project.core.minCount).toBe(4);
    expect(rs.project.core.minWeightShare).toBe(0.5);
    // Only overrides of the default severities are stored.
    expect(rs.severities).toEqual({ cost_operator: "off" });

    expect(await counts(tables.draft)).toEqual({ errors: 1, warnings: before.draft.warnings });
    expect((await counts(tables.department)).errors).toBe(before.department.errors + 1);
    expect(await counts(tables.approved)).toEqual(before.approved);
    expect(await counts(tables.otherYear)).toEqual(before.otherYear);

    const { db: d, auditEvents, ruleSets, eq } = await db();
    const events = d.select().from(auditEvents).where(eq(auditEvents.entity, "rule_set")).all();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "create", regionId: nananId, before: null });
    const after = JSON.parse(events[0].after!);
    expect(after).toMatchObject({ year: 2024, baseName: "chongqing-2024", rechecked: 2, countsChanged: 2 });
    expect(after.ruleSet.project.core.minCount).toBe(4);
    const row = d.select().from(ruleSets).get()!;
    expect(row).toMatchObject({ baseName: "chongqing-2024", year: 2024 });

    const page = await jsonOf(await loadPage(cookie));
    expect(page.info).toMatchObject({ source: "region", updatedBy: "财政局绩效科（演示）" });
    expect(page.info.changes).toEqual(
      expect.arrayContaining([
        { path: "project.core.minCount", base: 2, value: 4 },
        { path: "severities.cost_operator", base: "warning", value: "off" },
      ]),
    );
  });

  it("a second save is audited with before and after; saving it unchanged writes nothing", async () => {
    const cookie = await login("nanan.finance");
    const res = await post(cookie, await formWith(cookie, { "project.core.minCount": "3" }));
    expect(res.status).toBe(302);
    const { ruleSetFor } = await import("../../app/models/rulesets.server");
    expect(ruleSetFor(nananId, 2024).project.core.minCount).toBe(3);
    expect(await counts(tables.draft)).toMatchObject({ errors: 0 });
    const { db: d, auditEvents, eq, desc } = await db();
    const last = d.select().from(auditEvents).where(eq(auditEvents.entity, "rule_set")).orderBy(desc(auditEvents.id)).get()!;
    expect(last.action).toBe("update");
    expect(JSON.parse(last.before!).ruleSet.project.core.minCount).toBe(4);
    expect(JSON.parse(last.after!).ruleSet.project.core.minCount).toBe(3);

    const n = d.select().from(auditEvents).all().length;
    const same = await post(cookie, await formWith(cookie, {}));
    expect(same.headers.get("Location")).toBe("/rules?year=2024&saved=0");
    expect(d.select().from(auditEvents).all().length).toBe(n);
  });

  it("ruleSetFor sees two saves made within the same millisecond", async () => {
    const { saveRuleSet, ruleSetFor } = await import("../../app/models/rulesets.server");
    const { getSessionUser } = await import("../../app/auth/session.server");
    const user = (await getSessionUser(makeRequest("/", { cookie: await login("nanan.finance") })))!;
    const base = ruleSetFor(nananId, 2024);
    const realNow = Date.now;
    const frozen = realNow();
    Date.now = () => frozen;
    try {
      for (const minCount of [5, 6]) {
        const r = saveRuleSet(user, 2024, "chongqing-2024", { ...base, project: { ...base.project, core: { ...base.project.core, minCount } } });
        expect(r.ok).toBe(true);
        expect(ruleSetFor(nananId, 2024).project.core.minCount).toBe(minCount);
      }
    } finally {
      Date.now = realNow;
    }
  });

  it("an invalid rule set is a 400 with Chinese messages by field, the input kept and nothing written", async () => {
    const cookie = await login("nanan.finance");
    const { db: d, auditEvents, ruleSets } = await db();
    const snapshot = () => ({ rows: JSON.stringify(d.select().from(ruleSets).all()), audit: d.select().from(auditEvents).all().length, draft: counts(tables.draft) });
    const before = snapshot();

    const res = await post(
      cookie,
      await formWith(cookie, {
        "project.budgetExecutionWeight": "150",
        "scoring.grades.良": "95",
        "project.requiredLevel1": ["产出指标", "效益指标", "绩效指标"],
        "monitoring.budget.green": "30",
      }),
    );
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors["project.budgetExecutionWeight"]).toContain("不能超过 100");
    expect(body.errors["scoring.grades"][0]).toMatch(/等级分数线须满足 100 ≥ 优 > 良 > 中 ≥ 0/);
    expect(body.errors["project.requiredLevel1"][0]).toMatch(/必备一级指标「绩效指标」不在该规则集的分类/);
    expect(body.errors["monitoring.budget"][0]).toBe("绿灯阈值不能大于黄灯阈值");
    expect(body.values["project.budgetExecutionWeight"]).toBe("150");
    expect(body.values["project.requiredLevel1"]).toEqual(["产出指标", "效益指标", "绩效指标"]);

    const after = snapshot();
    expect(after.rows).toBe(before.rows);
    expect(after.audit).toBe(before.audit);
    expect(await after.draft).toEqual(await before.draft);
  });

  it("input that is not even a number or a taxonomy line is refused before validation", async () => {
    const cookie = await login("nanan.finance");
    const res = await post(
      cookie,
      await formWith(cookie, {
        "project.minIndicators": "两个",
        "project.core.minCount": "2.5",
        "project.core.minWeightShare": "150",
        "department.taxonomy": "产出指标 数量指标",
        title: "",
      }),
    );
    expect(res.status).toBe(400);
    const { errors, values } = await res.json();
    expect(errors).toMatchObject({
      "project.minIndicators": ["「两个」不是数字"],
      "project.core.minCount": ["应为整数"],
      "project.core.minWeightShare": ["应在 0–100 之间"],
      "department.taxonomy": ["第 1 行应写作「一级指标：二级指标、二级指标」"],
      title: ["请填写名称"],
    });
    expect(values["project.minIndicators"]).toBe("两个");
  });

  it("a save over someone else's newer save is a conflict (409), nothing written", async () => {
    const cookie = await login("nanan.finance");
    const stale = await formWith(cookie, { "project.core.minCount": "1" });
    expect((await post(cookie, await formWith(cookie, { "satisfaction.maxWeight": "12" }))).status).toBe(302);
    const res = await post(cookie, stale);
    expect(res.status).toBe(409);
    expect((await res.json()).formErrors[0]).toMatch(/已被他人修改/);
    const { ruleSetFor } = await import("../../app/models/rulesets.server");
    expect(ruleSetFor(nananId, 2024).project.core.minCount).toBe(6);
  });

  it("starting from a built-in replaces the region-year rule set (audited)", async () => {
    const cookie = await login("nanan.finance");
    const res = await post(cookie, { intent: "start", year: "2024", builtin: "national" });
    expect(res.status).toBe(302);
    const { ruleSetFor } = await import("../../app/models/rulesets.server");
    const rs = ruleSetFor(nananId, 2024);
    expect(rs).toMatchObject({ name: "nanan-2024", region: "nanan", year: 2024 });
    expect(rs.allowedOperators).toContain(">");
    expect(rs.project.core.minCount).toBe(0);
    const page = await jsonOf(await loadPage(cookie));
    expect(page.info).toMatchObject({ source: "region", baseName: "national", changes: [] });

    const bad = await post(cookie, { intent: "start", year: "2024", builtin: "no-such-set" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors.builtin[0]).toBe("请选择内置规则集");
    const badYear = await post(cookie, { intent: "start", year: "二〇二四", builtin: "national" });
    expect(badYear.status).toBe(400);
  });

  it("rule sets are per region: another region's finance neither sees nor changes 南岸区's", async () => {
    const cookie = await login("qijiang.finance");
    const page = await jsonOf(await loadPage(cookie, "?year=2024"));
    expect(page.info.source).toBe("builtin");
    expect((await post(cookie, { intent: "start", year: "2024", builtin: "chongqing-2022" })).status).toBe(302);
    const { ruleSetFor } = await import("../../app/models/rulesets.server");
    expect(ruleSetFor(nananId, 2024).name).toBe("nanan-2024");
    expect(ruleSetFor(nananId, 2024).allowedOperators).toContain(">");
  });

  it("a stored rule set that no longer validates is shown with its errors; the default applies until it is saved again", async () => {
    const { db: d, ruleSets } = await db();
    d.insert(ruleSets).values({ regionId: nananId, year: 2023, baseName: "chongqing-2022", config: JSON.stringify({ name: "old", extra: 1 }) }).run();
    const cookie = await login("nanan.finance");
    const page = await jsonOf(await loadPage(cookie, "?year=2023"));
    expect(page.info).toMatchObject({ year: 2023, source: "builtin", baseName: "chongqing-2022" });
    expect(page.info.storedErrors.join("\n")).toMatch(/未知的字段：extra/);
    const { ruleSetFor } = await import("../../app/models/rulesets.server");
    expect(ruleSetFor(nananId, 2023).name).toBe("chongqing-2022");
    const res = await post(cookie, await formWith(cookie, { "satisfaction.maxWeight": "15" }, "?year=2023"));
    expect(res.status).toBe(302);
    expect(ruleSetFor(nananId, 2023)).toMatchObject({ name: "nanan-2023", satisfaction: { maxWeight: 15 } });
  });
});

describe("stored rule sets that are corrupt or from the regex era (issue 9 items 5 and 10)", () => {
  it("a stored config that is not JSON gives the built-in default and a clear message, never a crash", async () => {
    const { db: d, ruleSets } = await db();
    d.insert(ruleSets).values({ regionId: nananId, year: 2021, baseName: "chongqing-2022", config: "{not json" }).run();
    const { ruleSetFor } = await import("../../app/models/rulesets.server");
    expect(ruleSetFor(nananId, 2021).name).toBe("chongqing-2022");
    const res = await loadPage(await login("nanan.finance"), "?year=2021");
    expect(res.status).toBe(200);
    const page = await jsonOf(res);
    expect(page.info).toMatchObject({ year: 2021, source: "builtin", baseName: "chongqing-2022" });
    expect(page.info.storedErrors).toEqual(["（规则集）：保存的规则集已损坏，不是有效的 JSON"]);
  });

  it("a stored (率+)+$ is never run: the page shows the conversion, ruleSetFor uses the built-in words, saving stores keywords", async () => {
    const { db: d, ruleSets, and, eq } = await db();
    const { getRuleSet } = await import("../../app/domain/rules");
    const old: any = { ...getRuleSet("chongqing-2024")!, name: "nanan-2020", region: "nanan", year: 2020 };
    old.thresholds = {
      ratePattern: "(率+)+$",
      rateExcludePattern: "(增长率|增速)$",
      percentMax: 100,
      completionRatePattern: "(及时|到位)(率|比例)",
      completionRateMin: 80,
    };
    delete old.monitoring.progressMismatchFraction;
    d.insert(ruleSets).values({ regionId: nananId, year: 2020, baseName: "chongqing-2024", config: JSON.stringify(old) }).run();

    const { ruleSetFor } = await import("../../app/models/rulesets.server");
    const rs = ruleSetFor(nananId, 2020);
    expect(rs.name).toBe("nanan-2020");
    expect(rs.thresholds.rateNames.keywords).toEqual(["率", "度", "比例", "占比", "比重", "比率"]);
    expect(rs.thresholds.rateExcludeNames).toEqual({ match: "endsWith", keywords: ["增长率", "增速"] });
    expect(rs.thresholds.completionRateNames).toEqual({ match: "contains", keywords: ["及时率", "及时比例", "到位率", "到位比例"] });

    const cookie = await login("nanan.finance");
    const page = await jsonOf(await loadPage(cookie, "?year=2020"));
    expect(page.info).toMatchObject({ source: "region", storedErrors: null });
    expect(page.info.storedNotes[0]).toMatch(/^thresholds\.ratePattern：正则表达式「\(率\+\)\+\$」不是简单的词语列表，未执行/);
    expect(page.form["thresholds.rateNames.keywords"]).toBe("率、度、比例、占比、比重、比率");
    expect(page.form["thresholds.rateNames.match"]).toBe("endsWith");
    expect(page.form["monitoring.progressMismatchFraction"]).toBe("50");

    const res = await post(cookie, await formWith(cookie, { "thresholds.rateNames.keywords": "率，比例 占比" }, "?year=2020"));
    expect(res.status).toBe(302);
    const stored = d.select().from(ruleSets).where(and(eq(ruleSets.regionId, nananId), eq(ruleSets.year, 2020))).get()!;
    expect(stored.config).not.toMatch(/Pattern/);
    expect(JSON.parse(stored.config).thresholds.rateNames).toEqual({ match: "endsWith", keywords: ["率", "比例", "占比"] });
    expect((await jsonOf(await loadPage(cookie, "?year=2020"))).info.storedNotes).toBeNull();
  });

  it("the form refuses regex syntax in a keyword (400, input kept) and edits the monitoring threshold", async () => {
    const cookie = await login("nanan.finance");
    const res = await post(cookie, await formWith(cookie, { "thresholds.rateNames.keywords": "率、(率+)+$" }, "?year=2020"));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors["thresholds.rateNames.keywords.1"][0]).toMatch(/^关键词「\(率\+\)\+\$」含有正则表达式符号/);
    expect(body.values["thresholds.rateNames.keywords"]).toBe("率、(率+)+$");

    const ok = await post(cookie, await formWith(cookie, { "monitoring.progressMismatchFraction": "30", "thresholds.completionRateNames.match": "endsWith" }, "?year=2020"));
    expect(ok.status).toBe(302);
    const { ruleSetFor } = await import("../../app/models/rulesets.server");
    expect(ruleSetFor(nananId, 2020).monitoring.progressMismatchFraction).toBe(0.3);
    expect(ruleSetFor(nananId, 2020).thresholds.completionRateNames.match).toBe("endsWith");
    const bad = await post(cookie, await formWith(cookie, { "monitoring.progressMismatchFraction": "150" }, "?year=2020"));
    expect((await bad.json()).errors["monitoring.progressMismatchFraction"]).toEqual(["应在 0–100 之间"]);
  });
});
