// The project list's sort options, shared by the page (browser) and the model (server).
export const PROJECT_SORT_LABELS = {
  name: "按名称",
  code: "按编码",
  budget_desc: "按预算（高→低）",
  updated_desc: "最近更新",
  findings_desc: "问题最多",
} as const;
export type ProjectSort = keyof typeof PROJECT_SORT_LABELS;
export const PROJECT_SORT_KEYS = Object.keys(PROJECT_SORT_LABELS) as [ProjectSort, ...ProjectSort[]];
