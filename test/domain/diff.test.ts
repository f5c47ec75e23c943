// diffTables: the version-to-version indicator diff shown for 申请调整 (docs/domain.md §7).
// Rows are matched by 三级指标 name; rows from 002's 参战参核军人生活补助 table.
import { describe, expect, it } from "vitest";
import { DIFF_FIELDS, DIFF_FIELD_LABELS, HEADER_DIFF_FIELDS, HEADER_DIFF_LABELS, diffHeaders, diffTables, isEmptyDiff } from "../../app/domain/diff";
import { emptyProjectHeader, type Indicator, type ProjectHeader } from "../../app/domain/schemas";

const row = (over: Partial<Indicator> & { name: string | null }): Indicator => ({
  level1: "产出指标",
  level2: "数量指标",
  weight: 20,
  unit: "人",
  operator: "≥",
  target: "39",
  core: true,
  ...over,
});

// 002, 50011021T000000052342-参战参核军人生活补助 (budget-execution weight 10).
const v1: Indicator[] = [
  row({ name: "补助人数" }),
  row({ level1: "成本指标", level2: "经济成本指标", name: "人均补助标准", unit: "元", target: "556", core: false }),
  row({ level1: "满意度指标", level2: "服务对象满意度指标", name: "受益人群满意度", weight: 10, unit: "%", target: "90", core: false }),
  row({ level1: "效益指标", level2: "社会效益指标", name: "补助政策知晓率", unit: "%", target: "90" }),
  row({ level1: "产出指标", level2: "时效指标", name: "每季度按时发放率", unit: "%", operator: "=", target: "100" }),
];
const table = (indicators: Indicator[], budgetExecutionWeight: number | null = 10) => ({ indicators, budgetExecutionWeight });

describe("diffTables", () => {
  it("finds nothing between a table and a copy of itself", () => {
    const d = diffTables(table(v1), table(structuredClone(v1)));
    expect(d).toEqual({ header: [], added: [], removed: [], changed: [], unchanged: 5, budgetExecutionWeight: null });
    expect(isEmptyDiff(d)).toBe(true);
  });

  it("does not care about row order", () => {
    const d = diffTables(table(v1), table([...v1].reverse()));
    expect(d.unchanged).toBe(5);
    expect(isEmptyDiff(d)).toBe(true);
  });

  it("reports added, removed and changed rows, with every changed field", () => {
    const after = [
      row({ name: "补助人数", target: "42" }), // 39 → 42
      v1[1],
      row({ ...v1[2], weight: 5, operator: "=", target: "95", core: true }), // three fields + core
      v1[3],
      // 每季度按时发放率 removed, a new time indicator added
      row({ level1: "产出指标", level2: "时效指标", name: "补助发放及时率", unit: "%", operator: "=", target: "100" }),
    ];
    const d = diffTables(table(v1), table(after));
    expect(d.added.map((i) => i.name)).toEqual(["补助发放及时率"]);
    expect(d.removed.map((i) => i.name)).toEqual(["每季度按时发放率"]);
    expect(d.changed).toEqual([
      { name: "补助人数", changes: [{ field: "target", before: "39", after: "42" }] },
      {
        name: "受益人群满意度",
        changes: [
          { field: "weight", before: 10, after: 5 },
          { field: "operator", before: "≥", after: "=" },
          { field: "target", before: "90", after: "95" },
          { field: "core", before: false, after: true },
        ],
      },
    ]);
    expect(d.unchanged).toBe(2);
    expect(d.budgetExecutionWeight).toBeNull();
    expect(isEmptyDiff(d)).toBe(false);
  });

  it("reports level changes and unit changes", () => {
    const after = [row({ ...v1[0], level1: "效益指标", level2: "社会效益指标", unit: "人次" }), ...v1.slice(1)];
    const d = diffTables(table(v1), table(after));
    expect(d.changed).toEqual([
      {
        name: "补助人数",
        changes: [
          { field: "level1", before: "产出指标", after: "效益指标" },
          { field: "level2", before: "数量指标", after: "社会效益指标" },
          { field: "unit", before: "人", after: "人次" },
        ],
      },
    ]);
  });

  it("shows a renamed row as one removed and one added", () => {
    const after = [row({ ...v1[0], name: "补助对象人数" }), ...v1.slice(1)];
    const d = diffTables(table(v1), table(after));
    expect(d.removed.map((i) => i.name)).toEqual(["补助人数"]);
    expect(d.added.map((i) => i.name)).toEqual(["补助对象人数"]);
    expect(d.changed).toEqual([]);
    expect(d.unchanged).toBe(4);
  });

  it("matches names after trimming spaces", () => {
    const after = [row({ ...v1[0], name: "  补助人数 " }), ...v1.slice(1)];
    const d = diffTables(table(v1), table(after));
    expect(isEmptyDiff(d)).toBe(true);
    expect(d.unchanged).toBe(5);
  });

  it("treats a missing field (undefined) like null", () => {
    const before = [row({ name: "补助人数", core: null })];
    const after = [{ ...row({ name: "补助人数" }), core: undefined as unknown as null }];
    expect(isEmptyDiff(diffTables(table(before), table(after)))).toBe(true);
  });

  it("reports a weight that became null, and 定性 targets", () => {
    const before = [row({ name: "避免资源浪费和重复", weight: 6, unit: null, operator: "定性", target: "优", core: null })];
    const after = [row({ name: "避免资源浪费和重复", weight: null, unit: null, operator: "定性", target: "良", core: null })];
    expect(diffTables(table(before), table(after)).changed).toEqual([
      {
        name: "避免资源浪费和重复",
        changes: [
          { field: "weight", before: 6, after: null },
          { field: "target", before: "优", after: "良" },
        ],
      },
    ]);
  });

  it("reports the budget-execution weight only when it changed", () => {
    expect(diffTables(table(v1, 10), table(v1, 10)).budgetExecutionWeight).toBeNull();
    expect(diffTables(table(v1, null), table(v1, null)).budgetExecutionWeight).toBeNull();
    expect(diffTables(table(v1, 10), table(v1, 5)).budgetExecutionWeight).toEqual({ before: 10, after: 5 });
    const d = diffTables(table(v1, null), table(v1, 10));
    expect(d.budgetExecutionWeight).toEqual({ before: null, after: 10 });
    expect(isEmptyDiff(d)).toBe(false);
    expect(d.unchanged).toBe(5);
  });

  it("reports a first version (nothing before) as all added, and an emptied table as all removed", () => {
    const first = diffTables(table([], null), table(v1));
    expect(first.added).toHaveLength(5);
    expect(first.removed).toEqual([]);
    const emptied = diffTables(table(v1), table([]));
    expect(emptied.removed.map((i) => i.name)).toEqual(v1.map((i) => i.name));
    expect(emptied.added).toEqual([]);
    expect(emptied.unchanged).toBe(0);
  });

  describe("duplicate names (a table that breaks the unique-name rule)", () => {
    const a10 = row({ name: "补助人数", weight: 10 });
    const a20 = row({ name: "补助人数", weight: 20 });

    it("an unchanged table with a duplicate name is unchanged", () => {
      const d = diffTables(table([a10, a20]), table([a10, a20]));
      expect(d).toEqual({ header: [], added: [], removed: [], changed: [], unchanged: 2, budgetExecutionWeight: null });
    });

    it("removing one of two duplicates shows one removed row", () => {
      const d = diffTables(table([a10, a20]), table([a10]));
      expect(d.removed).toEqual([a20]);
      expect(d.added).toEqual([]);
      expect(d.unchanged).toBe(1);
    });

    it("adding a duplicate shows one added row", () => {
      const d = diffTables(table([a10]), table([a10, a20]));
      expect(d.added).toEqual([a20]);
      expect(d.removed).toEqual([]);
      expect(d.unchanged).toBe(1);
    });

    it("every row is accounted for exactly once", () => {
      const before = [a10, a20, row({ name: "补助人数", weight: 30 }), v1[1]];
      const after = [row({ name: "补助人数", weight: 15 }), v1[1]];
      const d = diffTables(table(before), table(after));
      const matched = d.changed.length + d.unchanged;
      expect(matched + d.removed.length).toBe(before.length);
      expect(matched + d.added.length).toBe(after.length);
    });
  });

  describe("unnamed rows", () => {
    const unnamed = (over: Partial<Indicator> = {}) => row({ name: null, ...over });

    it("are matched by position and labelled #n", () => {
      const before = [v1[0], unnamed({ weight: 5 })];
      const after = [v1[0], unnamed({ weight: 8 })];
      expect(diffTables(table(before), table(after)).changed).toEqual([
        { name: "#2", changes: [{ field: "weight", before: 5, after: 8 }] },
      ]);
    });

    it("a blank name counts as unnamed", () => {
      const d = diffTables(table([unnamed()]), table([row({ name: "   " })]));
      expect(d.unchanged).toBe(1);
    });

    it("moved to another position, an unnamed row is removed and added", () => {
      const d = diffTables(table([unnamed(), v1[0]]), table([v1[0], unnamed()]));
      expect(d.added).toHaveLength(1);
      expect(d.removed).toHaveLength(1);
      expect(d.unchanged).toBe(1);
    });

    it("does not collide with a real name", () => {
      const d = diffTables(table([row({ name: "#1", weight: 5 })]), table([unnamed({ weight: 5 })]));
      // Either matched (same key) or one removed and one added — but never lost.
      expect(d.unchanged + d.changed.length + d.added.length).toBe(1);
      expect(d.unchanged + d.changed.length + d.removed.length).toBe(1);
    });
  });

  it("labels every diff field in Chinese", () => {
    for (const f of DIFF_FIELDS) expect(DIFF_FIELD_LABELS[f]).toMatch(/[\u4e00-\u9fff]/);
    expect(DIFF_FIELD_LABELS.name).toBe("三级指标");
    expect(DIFF_FIELDS).not.toContain("name");
  });
});

// The project header belongs to each version (docs/decisions/026): an adjustment may change it.
describe("diffHeaders", () => {
  const header = (over: Partial<ProjectHeader> = {}): ProjectHeader => ({
    ...emptyProjectHeader(),
    code: "50011021T000000052342",
    name: "参战参核军人生活补助",
    category: "一般性项目",
    budget: { total: 25.65, local: 25.65, superior: null },
    annualGoal: "按时足额发放",
    ...over,
  });

  it("finds nothing between equal headers, nor when neither version has one (部门整体)", () => {
    expect(diffHeaders(header(), header())).toEqual([]);
    expect(diffHeaders(null, null)).toEqual([]);
    const d = diffTables({ ...table(v1), project: header() }, { ...table(v1), project: header() });
    expect(isEmptyDiff(d)).toBe(true);
  });

  it("lists each changed field with before and after, money in 万元, in the layout's order", () => {
    const after = header({ name: "参战参核军人生活补助（调整）", budget: { total: 30, local: 25.65, superior: 4.35 }, midTermGoal: "三年内全覆盖" });
    expect(diffHeaders(header(), after)).toEqual([
      { field: "name", before: "参战参核军人生活补助", after: "参战参核军人生活补助（调整）" },
      { field: "budgetTotal", before: 25.65, after: 30 },
      { field: "budgetSuperior", before: null, after: 4.35 },
      { field: "midTermGoal", before: null, after: "三年内全覆盖" },
    ]);
  });

  it("a header change alone makes the table diff non-empty; the code is identity and never listed", () => {
    const d = diffTables({ ...table(v1), project: header() }, { ...table(v1), project: header({ category: "重点专项", code: "OTHER" }) });
    expect(d.header).toEqual([{ field: "category", before: "一般性项目", after: "重点专项" }]);
    expect(d.unchanged).toBe(5);
    expect(isEmptyDiff(d)).toBe(false);
  });

  it("treats blank text as empty and compares the finance office as CODE-名称", () => {
    expect(diffHeaders(header({ overview: "  " }), header({ overview: null }))).toEqual([]);
    expect(diffHeaders(header({ financeOffice: { code: "005", name: "产业发展科" } }), header({ financeOffice: { code: "006", name: "产业发展科" } }))).toEqual([
      { field: "financeOffice", before: "005-产业发展科", after: "006-产业发展科" },
    ]);
  });

  it("labels every field in Chinese", () => {
    for (const f of HEADER_DIFF_FIELDS) expect(HEADER_DIFF_LABELS[f]).toMatch(/[\u4e00-\u9fff]/);
  });
});
