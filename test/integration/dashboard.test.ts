import { beforeAll, describe, expect, it } from "vitest";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { validProjectTable } from "../helpers/tables";

type Todo = { label: string; count: number; to: string };

async function dashboard(who: string) {
  const { loader } = await import("../../app/routes/_index");
  return (await jsonOf(await call(loader, makeRequest("/", { cookie: await login(who) })))).dashboard as {
    todos: Todo[];
    recent: { text: string }[];
    byDepartment: { name: string; projects: number; byStatus: Record<string, number>; errors: number }[] | null;
  };
}
const count = (todos: Todo[], label: string) => todos.find((t) => t.label === label)?.count;

beforeAll(async () => {
  await setupDatabase();
  const { db } = await import("../../db/client.server");
  const { regions } = await import("../../db/schema");
  const { eq } = await import("drizzle-orm");
  const { commitImport } = await import("../../app/models/import.server");
  const qijiang = db.select().from(regions).where(eq(regions.slug, "qijiang")).get()!;
  commitImport(
    { id: null, regionId: qijiang.id },
    {
      year: 2026,
      mode: "draft",
      tables: [
        validProjectTable({ name: "草稿一", code: "D-1" }),
        validProjectTable({ name: "草稿二", code: "D-2", budgetExecutionWeight: 0 }),
      ],
    },
  );
  commitImport({ id: null, regionId: qijiang.id }, { year: 2026, mode: "approved", tables: [validProjectTable({ name: "已批", code: "A-1" })] });
});

describe("工作台", () => {
  it("a unit sees its drafts and approved tables as 待办", async () => {
    const d = await dashboard("qijiang.unit");
    expect(count(d.todos, "草稿待提交")).toBe(2);
    expect(count(d.todos, "已批复")).toBe(1);
    expect(d.byDepartment).toBeNull();
    expect(d.todos.find((t) => t.label === "草稿待提交")!.to).toBe("/projects?year=2026&status=draft");
  });

  it("finance gets a per-department summary with statuses and findings", async () => {
    const d = await dashboard("qijiang.finance");
    expect(count(d.todos, "待财政审核")).toBe(0);
    expect(d.byDepartment).toHaveLength(1);
    expect(d.byDepartment![0]).toMatchObject({ name: "重庆市綦江区经济和信息化委员会", projects: 3, byStatus: { draft: 2, approved: 1 } });
    // 草稿二 states a budget-execution weight of 0: a weight_total error.
    expect(d.byDepartment![0].errors).toBeGreaterThanOrEqual(1);
    expect(d.recent.map((r) => r.text)).toContain("导入「已批」");
  });

  it("another region's dashboard counts none of it", async () => {
    const d = await dashboard("nanan.finance");
    expect(d.todos.every((t) => t.count === 0)).toBe(true);
    expect(d.byDepartment).toEqual([]);
    expect(d.recent).toEqual([]);
  });
});
