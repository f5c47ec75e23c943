// Small exchange tables for integration tests.
import { EXCHANGE_FORMAT, emptyProjectHeader, type ExchangeTable, type Indicator } from "../../app/domain/schemas";

export function indicator(overrides: Partial<Indicator> = {}): Indicator {
  return {
    level1: "产出指标",
    level2: "数量指标",
    name: "补助人数",
    weight: 20,
    unit: "人",
    operator: "≥",
    target: "39",
    core: true,
    ...overrides,
  };
}

/** A table that passes chongqing-2024: weights 90 + 10, three core indicators. */
export function validProjectTable(overrides: Partial<ExchangeTable> & { name?: string; code?: string | null } = {}): ExchangeTable {
  const { name = "参战参核军人生活补助", code = "50011021T000000052342", ...rest } = overrides;
  return {
    format: EXCHANGE_FORMAT,
    kind: "project",
    year: 2026,
    department: { code: "206", name: "重庆市綦江区经济和信息化委员会" },
    unit: { code: "206001", name: "重庆市綦江区经济和信息化委员会（本级）" },
    project: { ...emptyProjectHeader(), code, name, category: "一般性项目", budget: { total: 25.65, local: 25.65, superior: null } },
    overall: null,
    budgetExecutionWeight: 10,
    indicators: [
      indicator(),
      indicator({ level1: "成本指标", level2: "经济成本指标", name: "人均补助标准", weight: 20, unit: "元", operator: "≤", target: "556", core: false }),
      indicator({ level1: "满意度指标", level2: "服务对象满意度指标", name: "受益人群满意度", weight: 10, unit: "%", operator: "≥", target: "90", core: false }),
      indicator({ level1: "效益指标", level2: "社会效益指标", name: "补助政策知晓率", weight: 20, unit: "%", operator: "≥", target: "90", core: true }),
      indicator({ level1: "产出指标", level2: "时效指标", name: "每季度按时发放率", weight: 20, unit: "%", operator: "=", target: "100", core: true }),
    ],
    ...rest,
  };
}

/** A 部门整体 table of the demo department (budget in 万元). */
export function departmentTable(indicators: Indicator[], budget = 200, budgetExecutionWeight: number | null = 10): ExchangeTable {
  return {
    ...validProjectTable({ name: "x" }),
    kind: "department",
    project: null,
    overall: { budget, midTermGoal: null, annualGoal: "部门整体目标" },
    budgetExecutionWeight,
    indicators,
  };
}

/** Imports tables into a demo region (default 綦江, year 2026) as the seed would; the new owners' ids. */
export async function importTables(tables: ExchangeTable[], mode: "approved" | "draft" = "approved", regionSlug = "qijiang", year = 2026): Promise<number[]> {
  const { eq } = await import("drizzle-orm");
  const { db } = await import("../../db/client.server");
  const { regions } = await import("../../db/schema");
  const { commitImport } = await import("../../app/models/import.server");
  const region = db.select().from(regions).where(eq(regions.slug, regionSlug)).get()!;
  return commitImport({ id: null, regionId: region.id }, { year, mode, tables }).created.map((c) => c.id);
}
