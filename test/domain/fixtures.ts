// Small builders for exchange tables used by the domain and CLI tests.
import { EXCHANGE_FORMAT, emptyProjectHeader, type ExchangeTable, type Indicator } from "../../app/domain/schemas";

export function ind(over: Partial<Indicator> & { name: string | null }): Indicator {
  return {
    level1: null,
    level2: null,
    weight: 10,
    unit: "个",
    operator: "≥",
    target: "1",
    core: false,
    ...over,
  };
}

/**
 * A table that passes every check of chongqing-2024 and national: weights 90 + 10, three
 * core indicators with 60 of 90, every required 一级, budget parts adding up exactly
 * (0.1 + 0.2 = 0.3, which floats get wrong).
 */
export function cleanTable(): ExchangeTable {
  return {
    format: EXCHANGE_FORMAT,
    kind: "project",
    year: 2026,
    department: { code: "206001", name: "重庆市綦江区经济和信息化委员会（本级）" },
    project: {
      ...emptyProjectHeader(),
      code: "50011021T000000052342",
      name: "参战参核军人生活补助",
      category: "一般性项目",
      budget: { total: 0.3, local: 0.1, superior: 0.2 },
    },
    budgetExecutionWeight: 10,
    indicators: [
      ind({ level1: "产出指标", level2: "数量指标", name: "补助人数", weight: 20, unit: "人", operator: "≥", target: "39", core: true }),
      ind({ level1: "产出指标", level2: "时效指标", name: "每季度按时发放率", weight: 20, unit: "%", operator: "=", target: "100", core: true }),
      ind({ level1: "成本指标", level2: "经济成本指标", name: "人均补助标准", weight: 10, unit: "元", operator: "≤", target: "556", core: false }),
      ind({ level1: "效益指标", level2: "社会效益指标", name: "补助政策知晓率", weight: 20, unit: "%", operator: "≥", target: "90", core: true }),
      ind({ level1: "效益指标", level2: "社会效益指标", name: "社会稳定", weight: 10, unit: null, operator: "定性", target: "有效提升", core: false }),
      ind({ level1: "满意度指标", level2: "服务对象满意度指标", name: "受益人群满意度", weight: 10, unit: "%", operator: "≥", target: "90", core: false }),
    ],
  };
}

/** Deep copy with a mutation. */
export function mutate(t: ExchangeTable, f: (t: ExchangeTable) => void): ExchangeTable {
  const c = structuredClone(t);
  f(c);
  return c;
}
