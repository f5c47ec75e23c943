// A 部门整体 target table for integration tests (kind "department"), as several test files
// build it by hand: the header of validProjectTable without a project, an overall goal and
// two indicators of weight 50.
import type { ExchangeTable } from "../../app/domain/schemas";
import { indicator, validProjectTable } from "./tables";

export function departmentTable(overrides: Partial<ExchangeTable> = {}): ExchangeTable {
  return {
    ...validProjectTable({ name: "x" }),
    kind: "department",
    project: null,
    overall: { budget: 100, midTermGoal: null, annualGoal: "部门整体目标" },
    budgetExecutionWeight: null,
    indicators: [
      indicator({ name: "服务企业数", weight: 50, core: null }),
      indicator({ level1: "效益指标", level2: "社会效益指标", name: "企业满意度", weight: 50, unit: "%", target: "90", core: null }),
    ],
    ...overrides,
  };
}
