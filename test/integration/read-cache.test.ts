// Aggregate reads kept until the next write (app/models/read-cache.server.ts, ADR 019): the
// cache itself, and the project list and 工作台 that use it showing every change at once.
import Database from "better-sqlite3";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { validProjectTable } from "../helpers/tables";
import { emptyProjectHeader } from "../../app/domain/schemas";

let regionId = 0;

beforeAll(async () => {
  await setupDatabase();
  const { db } = await import("../../db/client.server");
  const { regions } = await import("../../db/schema");
  regionId = db.select().from(regions).where(eq(regions.slug, "qijiang")).get()!.id;
});

afterEach(() => {
  delete process.env.JIXIAO_READ_CACHE;
});

async function cache() {
  const { db, sqlite } = await import("../../db/client.server");
  const mod = await import("../../app/models/read-cache.server");
  return { db, sqlite, ...mod };
}

/** A read that counts how often it ran. */
function counted<T>(value: () => T) {
  const read = () => {
    read.runs++;
    return value();
  };
  read.runs = 0;
  return read;
}

async function importProjects(names: string[], category = "一般性项目", mode: "draft" | "approved" = "draft") {
  const { commitImport } = await import("../../app/models/import.server");
  const tables = names.map((name) =>
    validProjectTable({ name, code: name, project: { ...emptyProjectHeader(), code: name, name, category, budget: { total: 1, local: null, superior: null } } }),
  );
  commitImport({ id: null, regionId }, { year: 2026, mode, tables });
}

describe("cachedRead", () => {
  it("reads once while nothing is written, and again after a write through this connection", async () => {
    const { db, cachedRead } = await cache();
    const { regions } = await import("../../db/schema");
    const read = counted(() => ({ n: 1 }));
    const first = cachedRead("t.write", read);
    expect(cachedRead("t.write", read)).toBe(first);
    expect(read.runs).toBe(1);
    db.update(regions).set({ name: "重庆市綦江区" }).where(eq(regions.id, regionId)).run();
    cachedRead("t.write", read);
    expect(read.runs).toBe(2);
  });

  it("reads again after another connection (another process) commits", async () => {
    const { sqlite, cachedRead } = await cache();
    const read = counted(() => 1);
    cachedRead("t.other", read);
    cachedRead("t.other", read);
    expect(read.runs).toBe(1);
    const other = new Database(sqlite.name);
    try {
      other.prepare("insert into departments (region_id, code, name) values (?, 'OTHER1', '另一连接')").run(regionId);
    } finally {
      other.close();
    }
    cachedRead("t.other", read);
    expect(read.runs).toBe(2);
  });

  it("keeps nothing read inside a transaction, which may still roll back", async () => {
    const { sqlite, cachedRead } = await cache();
    const read = counted(() => (sqlite.prepare("select count(*) n from departments").get() as { n: number }).n);
    const before = cachedRead("t.tx", read);
    expect(() =>
      sqlite.transaction(() => {
        sqlite.prepare("insert into departments (region_id, code, name) values (?, 'TX1', '事务中')").run(regionId);
        expect(cachedRead("t.tx", read)).toBe(before + 1);
        throw new Error("roll back");
      })(),
    ).toThrow("roll back");
    expect(cachedRead("t.tx", read)).toBe(before);
  });

  it("shares frozen results, keeps at most MAX_ENTRIES, and reads every time with JIXIAO_READ_CACHE=0", async () => {
    const { cachedRead, MAX_ENTRIES } = await cache();
    const value = cachedRead("t.frozen", () => ({ counts: { draft: 1 }, list: [{ a: 1 }] }));
    expect(Object.isFrozen(value.counts) && Object.isFrozen(value.list[0])).toBe(true);

    const oldest = counted(() => 0);
    cachedRead("t.oldest", oldest);
    for (let i = 0; i < MAX_ENTRIES; i++) cachedRead(`t.fill.${i}`, () => i);
    cachedRead("t.oldest", oldest);
    expect(oldest.runs).toBe(2);

    process.env.JIXIAO_READ_CACHE = "0";
    const off = counted(() => 1);
    cachedRead("t.off", off);
    cachedRead("t.off", off);
    expect(off.runs).toBe(2);
  });
});

describe("pages that use it show every write at once", () => {
  it("the project list: counts, total and category choices", async () => {
    const { loader } = await import("../../app/routes/projects._index");
    const cookie = await login("qijiang.finance");
    const list = async (query = "year=2026") => jsonOf(await call(loader, makeRequest(`/projects?${query}`, { cookie })));

    const before = await list();
    expect(await list()).toEqual(before);
    await importProjects(["缓存甲", "缓存乙"], "新分类");
    const after = await list();
    expect(after.result.total).toBe(before.result.total + 2);
    expect(after.counts.draft).toBe((before.counts.draft ?? 0) + 2);
    expect(after.categories).toContain("新分类");
    expect((await list("year=2026&status=draft")).result.total).toBe(after.counts.draft);

    // A status change made by another connection (the CLI, another process).
    const { sqlite } = await import("../../db/client.server");
    const other = new Database(sqlite.name);
    try {
      other.prepare("update target_tables set status = 'approved' where project_id in (select id from projects where name = '缓存甲')").run();
    } finally {
      other.close();
    }
    const approved = await list();
    expect(approved.counts.draft).toBe(after.counts.draft - 1);
    expect(approved.counts.approved).toBe((after.counts.approved ?? 0) + 1);
  });

  it("the 工作台's counts and per-department summary", async () => {
    const { loader } = await import("../../app/routes/_index");
    const cookie = await login("qijiang.finance");
    const dashboard = async () => (await jsonOf(await call(loader, makeRequest("/", { cookie })))).dashboard;
    const approvedTodo = (d: { todos: { label: string; count: number }[] }) => d.todos.find((t) => t.label === "已批复")!.count;
    const before = await dashboard();
    await importProjects(["缓存丙"], "一般性项目", "approved");
    const after = await dashboard();
    expect(approvedTodo(after)).toBe(approvedTodo(before) + 1);
    const projects = (d: { byDepartment: { projects: number }[] }) => d.byDepartment.reduce((a, x) => a + x.projects, 0);
    expect(projects(after)).toBe(projects(before) + 1);
    expect(after.recent[0].text).toBe("导入「缓存丙」");
  });

  it("users of different scopes never share an entry", async () => {
    const { loader } = await import("../../app/routes/projects._index");
    const list = async (who: string) => (await jsonOf(await call(loader, makeRequest("/projects?year=2026", { cookie: await login(who) })))).result.total;
    await importProjects(["缓存丁"]);
    const finance = await list("qijiang.finance");
    const unit = await list("qijiang.unit");
    const other = await list("nanan.finance");
    // Same filter, three scopes: the region's, one unit's (the imports went to 206001), another region's.
    expect(finance).toBeGreaterThan(0);
    expect(unit).toBeLessThanOrEqual(finance);
    expect(other).toBe(0);
    expect(await list("qijiang.finance")).toBe(finance);
  });
});
