// The rule-set page's form ⇄ RuleSet (docs/domain.md §4). The form is generated from the
// RuleSet structure (rules.ts): numbers are typed as shown (shares as percentages), lists
// as checkboxes, the 一级 → 二级 taxonomy as lines 「一级：二级、二级」. `ruleSetFromForm`
// converts the form back with Chinese errors for what cannot be converted; parseRuleSet
// (via saveRuleSet) validates the rest and `errorsByPath` puts its errors next to the
// fields. Pure: no I/O.
import { Dec, parseDecimal } from "./decimal";
import { CHECK_CODES, CHECK_LABELS, DEFAULT_SEVERITIES, type RuleSet } from "./rules";

export type FormValues = Record<string, string | string[]>;
export type Errors = Record<string, string[]>;

export const KINDS = { project: "项目绩效目标表", department: "部门整体绩效目标表" } as const;
export type Kind = keyof typeof KINDS;

export const PERIODS = { Q1: "第一季度", Q2: "第二季度", Q3: "第三季度", Q4: "第四季度", H1: "1–6月", M7: "1–7月" } as const;
export const TIERS = ["达成", "部分达成", "未达成"] as const;
export const GRADES = ["优", "良", "中"] as const;
export const SEVERITY_OPTIONS = [
  ["error", "错误（不能提交）"],
  ["warning", "警告"],
  ["info", "提示"],
  ["off", "关闭"],
] as const;

export const KIND_FIELDS = {
  budgetExecutionWeight: "预算执行率权重（分）",
  requiredLevel1: "必备一级指标",
  taxonomy: "一级 → 二级指标分类",
  minIndicators: "最少指标数",
  recommendedMinIndicators: "建议最少指标数",
  "core.minCount": "核心指标最少个数",
  "core.minWeightShare": "核心指标权重最低占比（%）",
  "core.allowQualitative": "核心指标可以是定性指标",
} as const;

/** Labels of every field path, for the error summary. */
export const LABELS: Record<string, string> = {
  title: "名称",
  description: "说明",
  allowedOperators: "允许的指标性质",
  "satisfaction.maxWeight": "满意度指标权重上限（分）",
  level1Split: "一级指标建议权重",
  "level1Split.tolerance": "一级指标建议权重 · 允许偏差（分）",
  "level1Split.groups": "一级指标建议权重 · 分组",
  "thresholds.rateNames": "比率类指标名称",
  "thresholds.rateNames.match": "比率类指标名称 · 匹配方式",
  "thresholds.rateNames.keywords": "比率类指标名称 · 关键词",
  "thresholds.rateExcludeNames": "不受上限限制的比率",
  "thresholds.rateExcludeNames.match": "不受上限限制的比率 · 匹配方式",
  "thresholds.rateExcludeNames.keywords": "不受上限限制的比率 · 关键词",
  "thresholds.percentMax": "比率类指标值上限（%）",
  "thresholds.completionRateNames": "完成类比率名称",
  "thresholds.completionRateNames.match": "完成类比率名称 · 匹配方式",
  "thresholds.completionRateNames.keywords": "完成类比率名称 · 关键词",
  "thresholds.completionRateMin": "完成类比率最低目标（%）",
  "scoring.equalFormula": "「=」指标的计分方法",
  "scoring.totalOf": "总分的合计方式",
  "scoring.overAchievementThreshold": "超额完成须说明的幅度（%）",
  "scoring.qualitativeTiers": "定性指标档次",
  "scoring.grades": "等级分数线",
  "scoring.explanationBelowFull": "未得满分须说明原因",
  "monitoring.budget": "预算执行红黄绿灯",
  "monitoring.budget.green": "预算执行 · 绿灯（差距不超过，百分点）",
  "monitoring.budget.yellow": "预算执行 · 黄灯（差距不超过，百分点）",
  "monitoring.indicatorYellowWithin": "指标黄灯范围（与目标相差不超过，%）",
  "monitoring.periods": "监控期间",
  "monitoring.progressMismatchFraction": "「进度与预计不符」· 完成值低于 目标 × 序时进度 的比例（%）",
  severities: "检查项严重程度",
};
for (const [kind, kindLabel] of Object.entries(KINDS)) {
  LABELS[kind] = kindLabel;
  for (const [field, label] of Object.entries(KIND_FIELDS)) LABELS[`${kind}.${field}`] = `${kindLabel} · ${label}`;
}
for (const tier of TIERS) {
  LABELS[`scoring.qualitativeTiers.${tier}`] = `定性指标档次 · ${tier}`;
  for (const [k, l] of [["min", "下限"], ["max", "上限"], ["default", "默认"]]) {
    LABELS[`scoring.qualitativeTiers.${tier}.${k}`] = `定性指标档次 · ${tier} · ${l}（%）`;
  }
}
for (const g of GRADES) LABELS[`scoring.grades.${g}`] = `等级分数线 · ${g}`;
for (const code of CHECK_CODES) LABELS[`severities.${code}`] = `严重程度 · ${CHECK_LABELS[code]}`;

export function labelOf(path: string): string {
  if (LABELS[path]) return LABELS[path];
  const group = /^level1Split\.groups\.(\d+)(?:\.(level1|weight))?/.exec(path);
  if (group) return `一级指标建议权重 · 第 ${Number(group[1]) + 1} 组${group[2] === "weight" ? " · 权重" : group[2] ? " · 一级指标" : ""}`;
  const parts = path.split(".");
  for (let i = parts.length - 1; i > 0; i--) {
    const prefix = parts.slice(0, i).join(".");
    if (LABELS[prefix]) return LABELS[prefix];
  }
  return path;
}

const plain = (d: number | null | undefined) => (d == null ? "" : String(d));
const asPercent = (share: number | null | undefined) => (share == null ? "" : Dec.of(share).mul(Dec.HUNDRED).toString());

export function taxonomyText(t: Record<string, string[]>): string {
  return Object.entries(t)
    .map(([l1, l2s]) => `${l1}：${l2s.join("、")}`)
    .join("\n");
}

/** 「一级：二级、二级」 lines → taxonomy, or a Chinese error naming the line. */
export function parseTaxonomyText(text: string): { value: Record<string, string[]> } | { error: string } {
  const out: Record<string, string[]> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const m = /^([^:：]+)[:：](.*)$/.exec(line);
    if (!m) return { error: `第 ${i + 1} 行应写作「一级指标：二级指标、二级指标」` };
    const l1 = m[1].trim();
    if (l1 in out) return { error: `第 ${i + 1} 行：一级指标「${l1}」重复` };
    out[l1] = m[2].split(/[、,，;；\s]+/).map((s) => s.trim()).filter(Boolean);
  }
  if (Object.keys(out).length === 0) return { error: "至少填写一个一级指标" };
  return { value: out };
}

/** Name lists of the rule set (rules.ts `nameKeywordsSchema`), edited as words. */
export const KEYWORD_LISTS = ["rateNames", "rateExcludeNames", "completionRateNames"] as const;
export type KeywordList = (typeof KEYWORD_LISTS)[number];
export const MATCH_OPTIONS = [
  ["endsWith", "名称以其中任一词语结尾"],
  ["contains", "名称包含其中任一词语"],
] as const;

export const splitList = (text: string) => text.split(/[、,，;；\s]+/).map((s) => s.trim()).filter(Boolean);

/** A rule set as form values (what the page shows before anything is typed). */
export function ruleSetToForm(rs: RuleSet): FormValues {
  const v: FormValues = {
    title: rs.title,
    description: rs.description ?? "",
    allowedOperators: [...rs.allowedOperators],
    "satisfaction.maxWeight": plain(rs.satisfaction.maxWeight),
    "thresholds.percentMax": plain(rs.thresholds.percentMax),
    "thresholds.completionRateMin": plain(rs.thresholds.completionRateMin),
    "scoring.equalFormula": rs.scoring.equalFormula,
    "scoring.totalOf": rs.scoring.totalOf,
    "scoring.overAchievementThreshold": asPercent(rs.scoring.overAchievementThreshold),
    "monitoring.budget.green": plain(rs.monitoring.budget.green),
    "monitoring.budget.yellow": plain(rs.monitoring.budget.yellow),
    "monitoring.indicatorYellowWithin": asPercent(rs.monitoring.indicatorYellowWithin),
    "monitoring.periods": [...rs.monitoring.periods],
    "monitoring.progressMismatchFraction": asPercent(rs.monitoring.progressMismatchFraction),
  };
  for (const k of KEYWORD_LISTS) {
    v[`thresholds.${k}.match`] = rs.thresholds[k].match;
    v[`thresholds.${k}.keywords`] = rs.thresholds[k].keywords.join("、");
  }
  if (rs.scoring.explanationBelowFull) v["scoring.explanationBelowFull"] = "1";
  for (const tier of TIERS) {
    for (const k of ["min", "max", "default"] as const) v[`scoring.qualitativeTiers.${tier}.${k}`] = plain(rs.scoring.qualitativeTiers[tier][k]);
  }
  for (const g of GRADES) v[`scoring.grades.${g}`] = plain(rs.scoring.grades[g]);
  for (const kind of Object.keys(KINDS) as Kind[]) {
    const k = rs[kind];
    v[`${kind}.budgetExecutionWeight`] = plain(k.budgetExecutionWeight);
    v[`${kind}.requiredLevel1`] = [...k.requiredLevel1];
    v[`${kind}.taxonomy`] = taxonomyText(k.taxonomy);
    v[`${kind}.minIndicators`] = plain(k.minIndicators);
    v[`${kind}.recommendedMinIndicators`] = plain(k.recommendedMinIndicators);
    v[`${kind}.core.minCount`] = plain(k.core.minCount);
    v[`${kind}.core.minWeightShare`] = asPercent(k.core.minWeightShare);
    if (k.core.allowQualitative) v[`${kind}.core.allowQualitative`] = "1";
  }
  if (rs.level1Split) {
    v["level1Split.enabled"] = "1";
    v["level1Split.tolerance"] = plain(rs.level1Split.tolerance);
    rs.level1Split.groups.forEach((g, i) => {
      v[`level1Split.groups.${i}.level1`] = g.level1.join("、");
      v[`level1Split.groups.${i}.weight`] = plain(g.weight);
    });
  } else v["level1Split.tolerance"] = "10";
  for (const code of CHECK_CODES) v[`severities.${code}`] = rs.severities[code] ?? DEFAULT_SEVERITIES[code];
  return v;
}

export function one(v: FormValues, k: string): string {
  const x = v[k];
  return (Array.isArray(x) ? (x[0] ?? "") : (x ?? "")).trim();
}
export function many(v: FormValues, k: string): string[] {
  const x = v[k];
  return Array.isArray(x) ? x : x ? [x] : [];
}

/** Indices of the 一级 split rows present in the form, in order. */
export function groupIndices(v: FormValues): number[] {
  const idx = new Set<number>();
  for (const k of Object.keys(v)) {
    const m = /^level1Split\.groups\.(\d+)\.(level1|weight)$/.exec(k);
    if (m) idx.add(Number(m[1]));
  }
  return [...idx].sort((a, b) => a - b);
}

/**
 * Form values → a rule-set object for parseRuleSet, with Chinese errors for what cannot
 * even be converted (a number that is not one, a bad taxonomy line). `groupMap[i]` is the
 * form row of the i-th 一级 split group (empty rows are dropped), to put errors back.
 */
export function ruleSetFromForm(v: FormValues, identity: { name: string; region: string; year: number }) {
  const errors: Errors = {};
  const fail = (k: string, msg: string) => ((errors[k] ??= []).push(msg), undefined);
  const num = (k: string, opts: { int?: boolean; percent?: boolean; maxPercent?: number; nullable?: boolean } = {}) => {
    const s = one(v, k);
    if (s === "") return opts.nullable ? null : fail(k, "请填写");
    const d = parseDecimal(s);
    if (d === null) return fail(k, `「${s}」不是数字`);
    const dec = Dec.parse(d)!;
    if (opts.int && !dec.isInteger()) return fail(k, "应为整数");
    if (opts.percent) {
      if (dec.sign() < 0 || (opts.maxPercent !== undefined && dec.gt(Dec.of(opts.maxPercent)))) {
        return fail(k, opts.maxPercent !== undefined ? `应在 0–${opts.maxPercent} 之间` : "不能为负数");
      }
      return Number(dec.div(Dec.HUNDRED).toString());
    }
    return Number(d);
  };
  const bool = (k: string) => one(v, k) !== "";
  // Keywords are plain words (never a regex): one per 、 , ； or space.
  const keywords = (k: KeywordList) => ({ match: one(v, `thresholds.${k}.match`), keywords: splitList(one(v, `thresholds.${k}.keywords`)) });
  const kind = (kind: Kind) => {
    const tax = parseTaxonomyText(typeof v[`${kind}.taxonomy`] === "string" ? (v[`${kind}.taxonomy`] as string) : "");
    if ("error" in tax) fail(`${kind}.taxonomy`, tax.error);
    return {
      budgetExecutionWeight: num(`${kind}.budgetExecutionWeight`),
      requiredLevel1: many(v, `${kind}.requiredLevel1`),
      taxonomy: "value" in tax ? tax.value : undefined,
      minIndicators: num(`${kind}.minIndicators`, { int: true }),
      recommendedMinIndicators: num(`${kind}.recommendedMinIndicators`, { int: true }),
      core: {
        minCount: num(`${kind}.core.minCount`, { int: true }),
        minWeightShare: num(`${kind}.core.minWeightShare`, { percent: true, maxPercent: 100, nullable: true }),
        allowQualitative: bool(`${kind}.core.allowQualitative`),
      },
    };
  };
  const groupMap: number[] = [];
  const groups: { level1: string[]; weight: number | null | undefined }[] = [];
  for (const i of groupIndices(v)) {
    const l1 = one(v, `level1Split.groups.${i}.level1`);
    const w = one(v, `level1Split.groups.${i}.weight`);
    if (!l1 && !w) continue;
    groupMap.push(i);
    groups.push({ level1: splitList(l1), weight: num(`level1Split.groups.${i}.weight`) });
  }
  const severities: Record<string, string> = {};
  for (const code of CHECK_CODES) {
    const s = one(v, `severities.${code}`);
    if (s && s !== DEFAULT_SEVERITIES[code]) severities[code] = s;
  }
  const description = one(v, "description");
  const input = {
    name: identity.name,
    title: one(v, "title"),
    ...(description ? { description } : {}),
    region: identity.region,
    year: identity.year,
    project: kind("project"),
    department: kind("department"),
    allowedOperators: many(v, "allowedOperators"),
    satisfaction: { maxWeight: num("satisfaction.maxWeight") },
    level1Split: bool("level1Split.enabled") ? { groups, tolerance: num("level1Split.tolerance") } : null,
    thresholds: {
      rateNames: keywords("rateNames"),
      rateExcludeNames: keywords("rateExcludeNames"),
      percentMax: num("thresholds.percentMax"),
      completionRateNames: keywords("completionRateNames"),
      completionRateMin: num("thresholds.completionRateMin"),
    },
    scoring: {
      equalFormula: one(v, "scoring.equalFormula"),
      totalOf: one(v, "scoring.totalOf"),
      overAchievementThreshold: num("scoring.overAchievementThreshold", { percent: true }),
      qualitativeTiers: Object.fromEntries(
        TIERS.map((t) => [
          t,
          {
            min: num(`scoring.qualitativeTiers.${t}.min`),
            max: num(`scoring.qualitativeTiers.${t}.max`),
            default: num(`scoring.qualitativeTiers.${t}.default`),
          },
        ]),
      ),
      grades: Object.fromEntries(GRADES.map((g) => [g, num(`scoring.grades.${g}`)])),
      explanationBelowFull: bool("scoring.explanationBelowFull"),
    },
    monitoring: {
      budget: { green: num("monitoring.budget.green"), yellow: num("monitoring.budget.yellow") },
      indicatorYellowWithin: num("monitoring.indicatorYellowWithin", { percent: true, maxPercent: 100 }),
      periods: many(v, "monitoring.periods"),
      progressMismatchFraction: num("monitoring.progressMismatchFraction", { percent: true, maxPercent: 100 }),
    },
    severities,
  };
  if (!input.title) fail("title", "请填写名称");
  return { input, errors, groupMap };
}

/** parseRuleSet's lines 「path：message」 → errors by field path (split-group rows mapped back). */
export function errorsByPath(lines: string[], groupMap: number[]): { errors: Errors; formErrors: string[] } {
  const errors: Errors = {};
  const formErrors: string[] = [];
  for (const line of lines) {
    const at = line.indexOf("：");
    let path = at > 0 ? line.slice(0, at) : "";
    const message = at > 0 ? line.slice(at + 1) : line;
    if (!path || path === "（规则集）") {
      formErrors.push(message);
      continue;
    }
    path = path.replace(/^level1Split\.groups\.(\d+)/, (_, i) => `level1Split.groups.${groupMap[Number(i)] ?? i}`);
    (errors[path] ??= []).push(message);
  }
  return { errors, formErrors };
}

/** Submitted fields (a FormData's entries; files count as "") → form values. */
export function formValuesOf(entries: Iterable<[string, unknown]>): FormValues {
  const v: FormValues = {};
  for (const [k, raw] of entries) {
    const s = typeof raw === "string" ? raw : "";
    const prev = v[k];
    v[k] = prev === undefined ? s : Array.isArray(prev) ? [...prev, s] : [prev, s];
  }
  // Checkbox groups are always lists, even with one box ticked.
  for (const k of ["allowedOperators", "monitoring.periods", "project.requiredLevel1", "department.requiredLevel1"]) {
    v[k] = many(v, k);
  }
  return v;
}
