import { beforeAll, describe, expect, it } from "vitest";
import { call, jsonOf, login, makeRequest, setupDatabase } from "../helpers/app";
import { validProjectTable } from "../helpers/tables";
import type { ExchangeTable } from "../../app/domain/schemas";

type Todo = { label: string; count: number; to: string; parts?: { label: string; count: number; to: string }[] };

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

  it("finance's 待财政审核 counts 部门整体 tables waiting for finance too, and says how many", async () => {
    const { db } = await import("../../db/client.server");
    const { regions, targetTables } = await import("../../db/schema");
    const { eq } = await import("drizzle-orm");
    const { commitImport } = await import("../../app/models/import.server");
    const qijiang = db.select().from(regions).where(eq(regions.slug, "qijiang")).get()!;
    const department: ExchangeTable = { ...validProjectTable(), kind: "department", project: null, overall: { budget: 100, midTermGoal: null, annualGoal: "整体目标" } };
    const created = commitImport({ id: null, regionId: qijiang.id }, { year: 2026, mode: "draft", tables: [department] }).created[0];
    // As if the department had submitted it (a 部门整体 table goes straight to finance).
    db.update(targetTables).set({ status: "pending_finance" }).where(eq(targetTables.departmentTargetId, created.id)).run();

    const d = await dashboard("qijiang.finance");
    const pending = d.todos.find((t) => t.label === "待财政审核")!;
    expect(pending.count).toBe(1);
    expect(pending.parts).toEqual([
      { label: "项目", count: 0, to: "/projects?year=2026&status=pending_finance" },
      { label: "部门整体", count: 1, to: "/department-targets" },
    ]);
    // The department sees its own table waiting at finance; the unit has no 部门整体 tables.
    expect(count((await dashboard("qijiang.dept")).todos, "待财政审核")).toBe(1);
    expect((await dashboard("qijiang.unit")).todos.find((t) => t.label === "审核中")!.count).toBe(0);
    db.update(targetTables).set({ status: "draft" }).where(eq(targetTables.departmentTargetId, created.id)).run();
    expect(count((await dashboard("qijiang.finance")).todos, "待财政审核")).toBe(0);
  });

  it("another region's dashboard counts none of it", async () => {
    const d = await dashboard("nanan.finance");
    expect(d.todos.every((t) => t.count === 0)).toBe(true);
    expect(d.byDepartment).toEqual([]);
    expect(d.recent).toEqual([]);
  });
});
