// The statement cache drizzle prepares through (db/connection.ts, docs/decisions/030-per-request-cost.md):
// one compiled statement per SQL text, handed out in its default mode and never twice while
// it is still iterating.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, withStatementCache } from "../../db/connection";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-statements-"));
const { sqlite, db } = openDatabase(path.join(dir, "t.db"));
// What drizzle prepares through: the connection behind the cache.
const client = (db as unknown as { $client: typeof sqlite }).$client;
const items = sqliteTable("items", { id: integer("id").primaryKey(), name: text("name").notNull() });

beforeAll(() => {
  sqlite.exec("create table items (id integer primary key, name text not null)");
  sqlite.exec("insert into items (id, name) values (1, '甲'), (2, '乙'), (3, '丙')");
});
afterAll(() => {
  sqlite.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("statement cache", () => {
  it("compiles a SQL text once", () => {
    expect(client.prepare("select name from items where id = ?")).toBe(client.prepare("select name from items where id = ?"));
    expect(client.prepare("select name from items where id = ?")).not.toBe(client.prepare("select id from items where id = ?"));
  });

  it("hands a statement out in object mode whatever the last user switched on", () => {
    const text = "select id, name from items where id = 2";
    client.prepare(text).raw();
    expect(client.prepare(text).get()).toEqual({ id: 2, name: "乙" });
    client.prepare(text).pluck();
    expect(client.prepare(text).all()).toEqual([{ id: 2, name: "乙" }]);
    client.prepare(text).expand();
    expect(client.prepare(text).get()).toEqual({ id: 2, name: "乙" });
  });

  it("serves a typed select and a plain SQL query of the same text", () => {
    const typed = db.select({ id: items.id, name: items.name }).from(items);
    const text = typed.toSQL().sql;
    // The typed select runs its statement in raw mode ...
    expect(typed.all()).toEqual([
      { id: 1, name: "甲" },
      { id: 2, name: "乙" },
      { id: 3, name: "丙" },
    ]);
    // ... and the same text as plain SQL still gets rows as objects.
    expect(db.all(sql.raw(text))).toEqual([
      { id: 1, name: "甲" },
      { id: 2, name: "乙" },
      { id: 3, name: "丙" },
    ]);
  });

  it("never hands out a statement that is still iterating", () => {
    const text = "select id from items order by id";
    const outer = client.prepare(text);
    const seen: number[][] = [];
    for (const row of outer.iterate() as IterableIterator<{ id: number }>) {
      const inner = client.prepare(text);
      expect(inner).not.toBe(outer);
      seen.push([row.id, ...(inner.all() as { id: number }[]).map((r) => r.id)]);
    }
    expect(seen).toEqual([
      [1, 1, 2, 3],
      [2, 1, 2, 3],
      [3, 1, 2, 3],
    ]);
    // Once the iteration is over the cached one is handed out again.
    expect(client.prepare(text)).toBe(outer);
  });

  it("keeps the most recently used texts up to its size", () => {
    const small = withStatementCache(sqlite, 2);
    const a = small.prepare("select 1");
    const b = small.prepare("select 2");
    expect(small.prepare("select 1")).toBe(a); // a is now the most recent
    small.prepare("select 3"); // drops b, the least recently used
    expect(small.prepare("select 1")).toBe(a);
    expect(small.prepare("select 2")).not.toBe(b);
  });

  it("leaves transactions and the rest of the connection as they were", () => {
    expect(() =>
      db.transaction((tx) => {
        tx.insert(items).values({ id: 4, name: "丁" }).run();
        throw new Error("rolled back");
      }),
    ).toThrow("rolled back");
    expect(db.select({ id: items.id }).from(items).all().map((r) => r.id)).toEqual([1, 2, 3]);
    expect(client.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(client.inTransaction).toBe(false);
  });
});
