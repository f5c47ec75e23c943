// The published layout of a 绩效目标表 (部门预算公开), shared by the Word file (write.ts) and
// the A4 print view (components/PublishedTable.tsx), so that both read back alike:
//
//   2026年项目支出绩效目标表                                    (title)
//                                                   单位：万元
//   项目名称 | …                   | 项目编码 | …
//   主管部门 | 402-…               | 实施单位 | 402001-…
//   项目类型 | …                   | 预算执行率权重 | 10
//   当年预算（万元）| 25.65        | 本级安排（万元）| 25.65        (当年预算 spans two rows)
//                  |              | 上级补助（万元）|
//   项目概述 | … / 立项依据 | … / [进度计划, 管理措施, 中期目标] / 当年绩效目标 | …
//   一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 权重 | 是否核心指标   (repeats on every page)
//
// The 部门（单位）整体绩效目标表 has 部门（单位）名称 / 部门支出预算数 / [预算执行率权重] /
// [中期绩效目标] / 当年整体绩效目标 instead. Every label is one the document importer knows
// (app/io/document/fields.ts, columns.ts): publish → import gives back the same tables.
// Pure TypeScript (no I/O, no React).
import type { ExchangeTable, Indicator } from "../../domain/schemas";
import { formatCodeName } from "../xlsx/layout";

export const PUBLISHED_FONT = "宋体";

/** What a publication holds (publications.kind): 绩效目标 (部门预算公开) or 自评结果 (部门决算公开). */
export const KIND_LABELS: Record<"targets" | "results", string> = { targets: "绩效目标", results: "绩效自评结果" };

/** The indicator grid, in the published order. */
export const PUBLISHED_GRID: ReadonlyArray<{ key: keyof Indicator; header: string }> = [
  { key: "level1", header: "一级指标" },
  { key: "level2", header: "二级指标" },
  { key: "name", header: "三级指标" },
  { key: "operator", header: "指标性质" },
  { key: "target", header: "指标值" },
  { key: "unit", header: "度量单位" },
  { key: "weight", header: "权重" },
  { key: "core", header: "是否核心指标" },
];

/** Relative widths of the 8 columns (the header block uses the same columns). */
export const PUBLISHED_WIDTHS = [14, 13, 24, 9, 12, 10, 8, 10] as const;
export const PUBLISHED_COLUMNS = PUBLISHED_WIDTHS.length;

export interface LayoutCell {
  text: string;
  /** A label (bold, centred) rather than a value. */
  label?: boolean;
  colSpan?: number;
  rowSpan?: number;
  align?: "left" | "center" | "right";
}

export type LayoutRow = LayoutCell[];

export interface TableLayout {
  title: string;
  /** Relative widths of the columns (PUBLISHED_WIDTHS for 绩效目标表). */
  widths: readonly number[];
  /** 编制单位 line above the table, when the table names one (部门整体 tables). */
  unitLine: string | null;
  header: LayoutRow[];
  gridHeader: LayoutRow;
  grid: LayoutRow[];
  /** Rows after the grid in the same table (自评表: 总分, 自评等级). */
  footer?: LayoutRow[];
}

/** 万元 as published: thousands separators, two decimals, four when the amount needs them. */
export function formatWan(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return "";
  const needsFour = Math.round(n * 10000) % 100 !== 0;
  const digits = needsFour ? 4 : 2;
  const [int, frac] = Math.abs(n).toFixed(digits).split(".");
  return `${n < 0 ? "-" : ""}${int.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${frac}`;
}

export function publishedTitle(table: ExchangeTable): string {
  const year = table.year != null ? `${table.year}年` : "";
  return table.kind === "department" ? `${year}部门（单位）整体绩效目标表` : `${year}项目支出绩效目标表`;
}

/** The name a reader knows the table by: the project's name, or 部门整体 with the department. */
export function publishedName(table: ExchangeTable): string {
  if (table.kind === "department") return `${table.department?.name ?? ""}部门（单位）整体绩效目标`;
  return table.project?.name ?? "（未命名项目）";
}

const label = (text: string): LayoutCell => ({ text, label: true });
const value = (text: string | null | undefined, colSpan: number, align: LayoutCell["align"] = "left"): LayoutCell => ({
  text: text ?? "",
  colSpan,
  align,
});
const num = (n: number | null | undefined): string => (n == null ? "" : String(n));

/** `label | value (3 columns) | label | value (3 columns)` */
function pair(l1: string, v1: string | null | undefined, l2: string, v2: string | null | undefined, numeric: [boolean, boolean] = [false, false]): LayoutRow {
  return [label(l1), value(v1, 3, numeric[0] ? "right" : "left"), label(l2), value(v2, 3, numeric[1] ? "right" : "left")];
}

/** `label | value over the 7 other columns` */
function long(l: string, v: string | null | undefined, align: LayoutCell["align"] = "left"): LayoutRow {
  return [label(l), value(v, PUBLISHED_COLUMNS - 1, align)];
}

function projectHeader(table: ExchangeTable): LayoutRow[] {
  const p = table.project;
  const rows: LayoutRow[] = [];
  rows.push(p?.code ? pair("项目名称", p.name, "项目编码", p.code) : long("项目名称", p?.name));
  rows.push(pair("主管部门", formatCodeName(table.department), "实施单位", formatCodeName(table.unit ?? null)));
  rows.push(pair("项目类型", p?.category, "预算执行率权重", num(table.budgetExecutionWeight), [false, true]));
  if (p?.financeOffice) rows.push(long("财政归口科室", formatCodeName(p.financeOffice)));
  rows.push([
    { text: "当年预算（万元）", label: true, rowSpan: 2 },
    { text: formatWan(p?.budget.total), colSpan: 3, rowSpan: 2, align: "right" },
    label("本级安排（万元）"),
    value(formatWan(p?.budget.local), 3, "right"),
  ]);
  rows.push([label("上级补助（万元）"), value(formatWan(p?.budget.superior), 3, "right")]);
  rows.push(long("项目概述", p?.overview));
  rows.push(long("立项依据", p?.basis));
  if (p?.schedule != null) rows.push(long("当年实施进度计划", p.schedule));
  if (p?.measures != null) rows.push(long("管理措施", p.measures));
  if (p?.midTermGoal != null) rows.push(long("三年中期规划绩效目标", p.midTermGoal));
  rows.push(long("当年绩效目标", p?.annualGoal));
  return rows;
}

function departmentHeader(table: ExchangeTable): LayoutRow[] {
  const o = table.overall ?? null;
  const rows: LayoutRow[] = [pair("部门（单位）名称", formatCodeName(table.department), "部门支出预算数（万元）", formatWan(o?.budget), [false, true])];
  if (table.budgetExecutionWeight != null) rows.push(long("预算执行率权重", num(table.budgetExecutionWeight), "right"));
  if (o?.midTermGoal != null) rows.push(long("中期绩效目标", o.midTermGoal));
  rows.push(long("当年整体绩效目标", o?.annualGoal));
  return rows;
}

function gridRow(ind: Indicator): LayoutRow {
  return [
    { text: ind.level1 ?? "" },
    { text: ind.level2 ?? "" },
    { text: ind.name ?? "", align: "left" },
    { text: ind.operator ?? "" },
    { text: ind.target ?? "", align: ind.operator === "定性" && (ind.target?.length ?? 0) > 6 ? "left" : "center" },
    { text: ind.unit ?? "" },
    { text: num(ind.weight) },
    { text: ind.core === true ? "是" : ind.core === false ? "否" : "" },
  ];
}

/** The whole published form of one table. */
export function tableLayout(table: ExchangeTable): TableLayout {
  const unit = formatCodeName(table.unit ?? null);
  return {
    title: publishedTitle(table),
    widths: PUBLISHED_WIDTHS,
    unitLine: table.kind === "department" && unit ? `编制单位：${unit}` : null,
    header: table.kind === "department" ? departmentHeader(table) : projectHeader(table),
    gridHeader: PUBLISHED_GRID.map((c) => label(c.header)),
    grid: table.indicators.map(gridRow),
  };
}
