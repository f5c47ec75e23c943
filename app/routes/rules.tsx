// 规则集 (finance only): view the region-year rule set in force, start from a built-in, and
// edit its parameters. The form is generated from the RuleSet structure (rules.ts):
// numbers are typed as shown (shares as percentages), lists as checkboxes, the 一级 → 二级
// taxonomy as lines 「一级：二级、二级」. The action converts the form back to a RuleSet
// (`ruleSetFromForm`), then saveRuleSet validates it with parseRuleSet; on any error the
// page comes back with status 400, the messages next to the fields and at the top, and
// everything typed kept.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSubmit } from "@remix-run/react";
import { useEffect, useId, useRef, type ReactNode } from "react";
import { z } from "zod";
import { requireRole } from "~/auth/permissions.server";
import { Dec, parseDecimal } from "~/domain/decimal";
import { CHECK_CODES, CHECK_LABELS, DEFAULT_SEVERITIES, type RuleSet } from "~/domain/rules";
import { OPERATORS } from "~/domain/schemas";
import { getRuleSetInfo, regionCopyOf, regionRuleSetName, saveRuleSet } from "~/models/rulesets.server";
import { formatDateTime } from "~/utils/format";

const yearSchema = z.coerce.number().int().min(2000).max(2100);

const startSchema = z.object({
  year: yearSchema,
  builtin: z.string().min(1, "请选择内置规则集"),
});

// ---------------------------------------------------------------------------------------
// Form ⇄ RuleSet

type FormValues = Record<string, string | string[]>;
type Errors = Record<string, string[]>;

const KINDS = { project: "项目绩效目标表", department: "部门整体绩效目标表" } as const;
type Kind = keyof typeof KINDS;

const PERIODS = { Q1: "第一季度", Q2: "第二季度", Q3: "第三季度", Q4: "第四季度", H1: "1–6月", M7: "1–7月" } as const;
const TIERS = ["达成", "部分达成", "未达成"] as const;
const GRADES = ["优", "良", "中"] as const;
const SEVERITY_OPTIONS = [
  ["error", "错误（不能提交）"],
  ["warning", "警告"],
  ["info", "提示"],
  ["off", "关闭"],
] as const;

const KIND_FIELDS = {
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
const LABELS: Record<string, string> = {
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

function labelOf(path: string): string {
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

function taxonomyText(t: Record<string, string[]>): string {
  return Object.entries(t)
    .map(([l1, l2s]) => `${l1}：${l2s.join("、")}`)
    .join("\n");
}

/** 「一级：二级、二级」 lines → taxonomy, or a Chinese error naming the line. */
function parseTaxonomyText(text: string): { value: Record<string, string[]> } | { error: string } {
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
const KEYWORD_LISTS = ["rateNames", "rateExcludeNames", "completionRateNames"] as const;
type KeywordList = (typeof KEYWORD_LISTS)[number];
const MATCH_OPTIONS = [
  ["endsWith", "名称以其中任一词语结尾"],
  ["contains", "名称包含其中任一词语"],
] as const;

const splitList = (text: string) => text.split(/[、,，;；\s]+/).map((s) => s.trim()).filter(Boolean);

/** A rule set as form values (what the page shows before anything is typed). */
function ruleSetToForm(rs: RuleSet): FormValues {
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

function one(v: FormValues, k: string): string {
  const x = v[k];
  return (Array.isArray(x) ? (x[0] ?? "") : (x ?? "")).trim();
}
function many(v: FormValues, k: string): string[] {
  const x = v[k];
  return Array.isArray(x) ? x : x ? [x] : [];
}

/** Indices of the 一级 split rows present in the form, in order. */
function groupIndices(v: FormValues): number[] {
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
function ruleSetFromForm(v: FormValues, identity: { name: string; region: string; year: number }) {
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
function errorsByPath(lines: string[], groupMap: number[]): { errors: Errors; formErrors: string[] } {
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

function formValuesOf(form: FormData): FormValues {
  const v: FormValues = {};
  for (const [k, raw] of form.entries()) {
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

// ---------------------------------------------------------------------------------------

function yearsAround(current: number, own: number[], year: number): number[] {
  const ys = new Set<number>([current - 2, current - 1, current, current + 1, ...own, year]);
  return [...ys].sort((a, b) => b - a);
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["finance"]);
  const url = new URL(request.url);
  const parsedYear = yearSchema.safeParse(url.searchParams.get("year") ?? undefined);
  const year = parsedYear.success ? parsedYear.data : user.currentYear;
  const info = getRuleSetInfo(user, year);
  const saved = url.searchParams.get("saved");
  return json({
    info,
    form: ruleSetToForm(info.ruleSet),
    defaultTitle: info.source === "region" ? null : `${user.regionName} ${year} 年（基于${info.ruleSet.title}）`,
    years: yearsAround(user.currentYear, info.ownYears, year),
    currentYear: user.currentYear,
    notice:
      saved === "1"
        ? {
            rechecked: Number(url.searchParams.get("rechecked") ?? 0) || 0,
            countsChanged: Number(url.searchParams.get("changed") ?? 0) || 0,
          }
        : saved === "0"
          ? "unchanged"
          : null,
  });
}

type ActionData = {
  intent: "save" | "start" | "";
  values: FormValues;
  errors: Errors;
  formErrors: string[];
};

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") throw new Response("不支持的操作", { status: 405 });
  const user = await requireRole(request, ["finance"]);
  const form = await request.formData();
  const values = formValuesOf(form);
  const intent = one(values, "intent");
  const bad = (data: Omit<ActionData, "values"> & { values?: FormValues }, status = 400) =>
    json<ActionData>({ values, ...data }, { status });

  const year = yearSchema.safeParse(one(values, "year"));
  if (!year.success) return bad({ intent: "", errors: {}, formErrors: ["年度无效"] });
  const done = (r: { changed: boolean; rechecked: number; countsChanged: number }) =>
    redirect(
      r.changed
        ? `/rules?year=${year.data}&saved=1&rechecked=${r.rechecked}&changed=${r.countsChanged}`
        : `/rules?year=${year.data}&saved=0`,
    );

  if (intent === "start") {
    const parsed = startSchema.safeParse({ year: year.data, builtin: one(values, "builtin") });
    const copy = parsed.success ? regionCopyOf(user, year.data, parsed.data.builtin) : null;
    if (!parsed.success || !copy) return bad({ intent: "start", errors: { builtin: ["请选择内置规则集"] }, formErrors: [] });
    const result = saveRuleSet(user, year.data, parsed.data.builtin, copy);
    if (!result.ok) return bad({ intent: "start", errors: {}, formErrors: result.errors });
    return done(result);
  }

  if (intent === "save") {
    const info = getRuleSetInfo(user, year.data);
    const identity = {
      name: info.source === "region" ? info.ruleSet.name : regionRuleSetName(user, year.data),
      region: user.regionSlug,
      year: year.data,
    };
    const { input, errors, groupMap } = ruleSetFromForm(values, identity);
    if (Object.keys(errors).length > 0) return bad({ intent: "save", errors, formErrors: [] });
    const expected = one(values, "updatedAt");
    const result = saveRuleSet(user, year.data, info.baseName, input, {
      expectedUpdatedAt: expected === "" ? null : Number(expected),
    });
    if (!result.ok) {
      if (result.conflict) return bad({ intent: "save", errors: {}, formErrors: result.errors }, 409);
      return bad({ intent: "save", ...errorsByPath(result.errors, groupMap) });
    }
    return done(result);
  }

  return bad({ intent: "", errors: {}, formErrors: ["未知的操作"] });
}

// ---------------------------------------------------------------------------------------

function showValue(x: unknown): string {
  if (x === null || x === undefined) return "（无）";
  if (typeof x === "boolean") return x ? "是" : "否";
  if (Array.isArray(x)) return x.length ? x.map((i) => (typeof i === "object" ? JSON.stringify(i) : String(i))).join("、") : "（无）";
  if (typeof x === "object") return Object.keys(x).length ? JSON.stringify(x) : "（无）";
  return String(x);
}

export default function Rules() {
  const { info, form, defaultTitle, years, currentYear, notice } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const submit = useSubmit();
  const saveData = data?.intent === "save" ? data : null;
  const values: FormValues = saveData?.values ?? (defaultTitle ? { ...form, title: defaultTitle } : form);
  const errors: Errors = saveData?.errors ?? {};
  const errorCount = Object.values(errors).flat().length + (saveData?.formErrors.length ?? 0);
  const current = info.source === "region";
  // After a refused save, bring the list of problems into view (the button is far below).
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (saveData) summary.current?.focus();
  }, [saveData]);

  return (
    <>
      <div className="page-header">
        <div>
          <h1>规则集</h1>
          <p className="muted">规则集决定合规性审核的各项检查、自评计分和监控红黄绿灯。修改保存后立即对之后的检查生效，并记录在审计日志中。</p>
        </div>
        <Form method="get" className="form-inline" onChange={(e) => submit(e.currentTarget, { replace: true })}>
          <div className="field">
            <label htmlFor="rules-year">年度</label>
            <select id="rules-year" name="year" defaultValue={info.year}>
              {years.map((y) => (
                <option key={y} value={y}>
                  {y}
                  {y === currentYear ? "（当前年度）" : ""}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="btn">
            查看
          </button>
        </Form>
      </div>

      {notice === "unchanged" ? (
        <div className="alert alert-info" role="status">
          规则集没有变化，未保存。
        </div>
      ) : notice && typeof notice === "object" ? (
        <div className="alert alert-success" role="status">
          规则集已保存，之后的检查都按新规则进行。已重新检查本年度 {notice.rechecked} 张未锁定的绩效目标表（草稿、退回修改、审核中），其中{" "}
          {notice.countsChanged} 张的问题数有变化；已批复的表不受影响。
        </div>
      ) : null}

      {info.storedErrors ? (
        <WarningList items={info.storedErrors}>
          本地区 {info.year} 年保存的规则集已不符合当前的规则集格式，暂按内置规则集「{info.baseTitle}」检查。请重新保存：
        </WarningList>
      ) : null}
      {info.storedNotes ? (
        <WarningList items={info.storedNotes}>
          本地区 {info.year} 年保存的规则集使用了旧版的正则表达式来识别指标名称，现已改为关键词（正则表达式不再执行）。请核对下方「阈值」中的关键词并保存：
        </WarningList>
      ) : null}

      <div className="grid" style={{ gridTemplateColumns: "minmax(0, 3fr) minmax(260px, 2fr)", alignItems: "start" }}>
        <section className="card" aria-labelledby="effective-title">
          <h2 id="effective-title">{info.year} 年生效的规则集</h2>
          <dl className="props">
            <dt>规则集</dt>
            <dd>
              {info.ruleSet.title} <span className="muted">（{info.ruleSet.name}）</span>{" "}
              {current ? <span className="badge badge-blue">本地区规则集</span> : <span className="badge badge-gray">内置默认</span>}
            </dd>
            <dt>基于内置规则集</dt>
            <dd>
              {info.baseTitle ?? info.baseName} <span className="muted">（{info.baseName}）</span>
            </dd>
            <dt>最后修改</dt>
            <dd>{info.updatedAt ? `${formatDateTime(info.updatedAt)} · ${info.updatedBy ?? "（系统）"}` : "未修改（使用内置默认）"}</dd>
            {info.ruleSet.description ? (
              <>
                <dt>说明</dt>
                <dd>{info.ruleSet.description}</dd>
              </>
            ) : null}
          </dl>
          {current ? (
            info.changes.length ? (
              <>
                <h3>与内置规则集相比的改动（{info.changes.length} 项）</h3>
                <ul>
                  {info.changes.map((c) => (
                    <li key={c.path}>
                      {labelOf(c.path)}：{showValue(c.base)} → <strong>{showValue(c.value)}</strong>
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <p className="muted">参数与内置规则集相同。</p>
            )
          ) : null}
        </section>

        <section className="card" aria-labelledby="start-title">
          <h2 id="start-title">从内置规则集开始</h2>
          <StartForm year={info.year} builtins={info.builtins} replaces={current} data={data?.intent === "start" ? data : null} />
        </section>
      </div>

      <section className="card" aria-labelledby="edit-title">
        <h2 id="edit-title">修改参数{current ? "" : "（保存后成为本地区本年度的规则集）"}</h2>
        {errorCount > 0 ? (
          <div className="alert alert-error" role="alert" tabIndex={-1} ref={summary}>
            未保存，请改正以下 {errorCount} 处问题：
            <ul>
              {(saveData?.formErrors ?? []).map((e) => (
                <li key={e}>{e}</li>
              ))}
              {Object.entries(errors).flatMap(([path, msgs]) =>
                msgs.map((m) => (
                  <li key={`${path}-${m}`}>
                    {labelOf(path)}：{m}
                  </li>
                )),
              )}
            </ul>
          </div>
        ) : null}
        <EditForm
          key={`${info.year}-${info.updatedAt ?? "builtin"}`}
          year={info.year}
          updatedAt={info.updatedAt ? new Date(info.updatedAt).getTime() : null}
          values={values}
          errors={errors}
        />
      </section>
    </>
  );
}

function WarningList({ items, children }: { items: string[]; children: ReactNode }) {
  return (
    <div className="alert alert-warning" role="alert">
      {children}
      <ul>
        {items.map((e) => (
          <li key={e}>{e}</li>
        ))}
      </ul>
    </div>
  );
}

function StartForm({
  year,
  builtins,
  replaces,
  data,
}: {
  year: number;
  builtins: { name: string; title: string; description: string }[];
  replaces: boolean;
  data: ActionData | null;
}) {
  const id = useId();
  const error = data?.errors.builtin?.[0] ?? data?.formErrors[0] ?? null;
  return (
    <Form method="post" noValidate>
      <input type="hidden" name="intent" value="start" />
      <input type="hidden" name="year" value={year} />
      <fieldset style={{ border: 0, padding: 0, margin: 0 }} aria-describedby={error ? `${id}-error` : undefined}>
        <legend className="label">内置规则集</legend>
        {builtins.map((b, i) => (
          <div key={b.name} className="field" style={{ marginBottom: ".5rem" }}>
            <label style={{ fontWeight: 400 }}>
              <input type="radio" name="builtin" value={b.name} defaultChecked={i === 0} /> <strong>{b.title}</strong>{" "}
              <span className="muted">（{b.name}）</span>
              <div className="muted">{b.description}</div>
            </label>
          </div>
        ))}
      </fieldset>
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {replaces ? <p className="muted">将以所选内置规则集替换本地区 {year} 年现有的规则集；原规则集保留在审计日志中。</p> : null}
      <button type="submit" className="btn">
        从内置规则集开始
      </button>
    </Form>
  );
}

type FieldCtx = { values: FormValues; errors: Errors; uid: string };

function errorsAt(errors: Errors, name: string): string[] {
  return Object.entries(errors)
    .filter(([path]) => path === name || path.startsWith(`${name}.`))
    .flatMap(([, msgs]) => msgs);
}

function ErrorText({ id, messages }: { id: string; messages: string[] }) {
  if (!messages.length) return null;
  return (
    <span id={id} className="field-error" role="alert">
      {messages.join("；")}
    </span>
  );
}

function fieldId(ctx: FieldCtx, name: string) {
  return `rs-${ctx.uid}-${name.replace(/[^A-Za-z0-9_-]/g, (c) => c.charCodeAt(0).toString(16))}`;
}

function TextInput({ ctx, name, label, hint, wide }: { ctx: FieldCtx; name: string; label: string; hint?: string; wide?: boolean }) {
  const id = fieldId(ctx, name);
  const msgs = errorsAt(ctx.errors, name);
  const describedBy = [msgs.length ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field" style={wide ? { gridColumn: "1 / -1" } : undefined}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type="text"
        inputMode={wide ? undefined : "decimal"}
        defaultValue={one(ctx.values, name)}
        aria-invalid={msgs.length ? true : undefined}
        aria-describedby={describedBy}
      />
      {hint ? (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      ) : null}
      <ErrorText id={`${id}-error`} messages={msgs} />
    </div>
  );
}

function Checkbox({ ctx, name, label }: { ctx: FieldCtx; name: string; label: string }) {
  const id = fieldId(ctx, name);
  const msgs = errorsAt(ctx.errors, name);
  return (
    <div className="field">
      <label htmlFor={id} style={{ fontWeight: 400 }}>
        <input id={id} type="checkbox" name={name} value="1" defaultChecked={one(ctx.values, name) !== ""} aria-describedby={msgs.length ? `${id}-error` : undefined} />{" "}
        {label}
      </label>
      <ErrorText id={`${id}-error`} messages={msgs} />
    </div>
  );
}

function CheckboxGroup({
  ctx,
  name,
  label,
  options,
}: {
  ctx: FieldCtx;
  name: string;
  label: string;
  options: { value: string; label: string }[];
}) {
  const id = fieldId(ctx, name);
  const msgs = errorsAt(ctx.errors, name);
  const chosen = many(ctx.values, name);
  return (
    <fieldset className="field" style={{ border: 0, padding: 0 }} aria-describedby={msgs.length ? `${id}-error` : undefined}>
      <legend className="label">{label}</legend>
      <div className="actions">
        {options.map((o) => (
          <label key={o.value} style={{ fontWeight: 400 }}>
            <input type="checkbox" name={name} value={o.value} defaultChecked={chosen.includes(o.value)} /> {o.label}
          </label>
        ))}
      </div>
      <ErrorText id={`${id}-error`} messages={msgs} />
    </fieldset>
  );
}

function Select({ ctx, name, label, options }: { ctx: FieldCtx; name: string; label: string; options: readonly (readonly [string, string])[] }) {
  const id = fieldId(ctx, name);
  const msgs = errorsAt(ctx.errors, name);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={one(ctx.values, name)} aria-invalid={msgs.length ? true : undefined} aria-describedby={msgs.length ? `${id}-error` : undefined}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
      <ErrorText id={`${id}-error`} messages={msgs} />
    </div>
  );
}

const KEYWORD_HINTS: Record<KeywordList, string> = {
  rateNames: "计量单位为 % 且名称符合的指标视为比率，指标值超过上限时警告。",
  rateExcludeNames: "增长类比率可以超过 100%，不作上限检查。",
  completionRateNames: "完成、及时类比率的目标低于最低目标时警告。",
};

/** A name list: how names match, and the words (plain text, never a regular expression). */
function KeywordListField({ ctx, list }: { ctx: FieldCtx; list: KeywordList }) {
  const name = `thresholds.${list}.keywords`;
  const id = fieldId(ctx, name);
  const msgs = errorsAt(ctx.errors, name);
  return (
    <div>
      <GroupErrors ctx={ctx} path={`thresholds.${list}`} />
      <div className="form-row">
        <Select ctx={ctx} name={`thresholds.${list}.match`} label={LABELS[`thresholds.${list}.match`]} options={MATCH_OPTIONS} />
      </div>
      <div className="field">
        <label htmlFor={id}>{LABELS[name]}</label>
        <textarea
          id={id}
          name={name}
          rows={2}
          defaultValue={one(ctx.values, name)}
          aria-invalid={msgs.length ? true : undefined}
          aria-describedby={[`${id}-hint`, msgs.length ? `${id}-error` : null].filter(Boolean).join(" ")}
        />
        <span id={`${id}-hint`} className="hint">
          {KEYWORD_HINTS[list]}多个词语用顿号分隔，按普通文字匹配（不支持正则表达式）。
        </span>
        <ErrorText id={`${id}-error`} messages={msgs} />
      </div>
    </div>
  );
}

function GroupErrors({ ctx, path }: { ctx: FieldCtx; path: string }) {
  const msgs = ctx.errors[path] ?? [];
  return msgs.length ? (
    <p className="field-error" role="alert">
      {msgs.join("；")}
    </p>
  ) : null;
}

function KindSection({ ctx, kind }: { ctx: FieldCtx; kind: Kind }) {
  const id = fieldId(ctx, `${kind}.taxonomy`);
  const taxMsgs = errorsAt(ctx.errors, `${kind}.taxonomy`);
  const text = one(ctx.values, `${kind}.taxonomy`);
  const parsed = parseTaxonomyText(text);
  const level1s = new Set([...("value" in parsed ? Object.keys(parsed.value) : []), ...many(ctx.values, `${kind}.requiredLevel1`)]);
  return (
    <fieldset className="card">
      <legend>
        <strong>{KINDS[kind]}</strong>
      </legend>
      <div className="form-row">
        <TextInput ctx={ctx} name={`${kind}.budgetExecutionWeight`} label={KIND_FIELDS.budgetExecutionWeight} hint="指标权重合计须为 100 减此数；0 表示不设" />
        <TextInput ctx={ctx} name={`${kind}.minIndicators`} label={KIND_FIELDS.minIndicators} />
        <TextInput ctx={ctx} name={`${kind}.recommendedMinIndicators`} label={KIND_FIELDS.recommendedMinIndicators} />
      </div>
      <div className="form-row">
        <TextInput ctx={ctx} name={`${kind}.core.minCount`} label={KIND_FIELDS["core.minCount"]} hint="0 表示不要求核心指标" />
        <TextInput ctx={ctx} name={`${kind}.core.minWeightShare`} label={KIND_FIELDS["core.minWeightShare"]} hint="留空表示不要求" />
        <Checkbox ctx={ctx} name={`${kind}.core.allowQualitative`} label={KIND_FIELDS["core.allowQualitative"]} />
      </div>
      <CheckboxGroup
        ctx={ctx}
        name={`${kind}.requiredLevel1`}
        label={KIND_FIELDS.requiredLevel1}
        options={[...level1s].map((l) => ({ value: l, label: l }))}
      />
      <div className="field">
        <label htmlFor={id}>{KIND_FIELDS.taxonomy}</label>
        <textarea
          id={id}
          name={`${kind}.taxonomy`}
          rows={Math.max(4, text.split("\n").length + 1)}
          defaultValue={text}
          aria-invalid={taxMsgs.length ? true : undefined}
          aria-describedby={[`${id}-hint`, taxMsgs.length ? `${id}-error` : null].filter(Boolean).join(" ")}
        />
        <span id={`${id}-hint`} className="hint">
          每行一个一级指标：「一级指标：二级指标、二级指标」。新增的一级指标保存后可设为必备。
        </span>
        <ErrorText id={`${id}-error`} messages={taxMsgs} />
      </div>
    </fieldset>
  );
}

function EditForm({ year, updatedAt, values, errors }: { year: number; updatedAt: number | null; values: FormValues; errors: Errors }) {
  const uid = useId().replace(/:/g, "");
  const ctx: FieldCtx = { values, errors, uid };
  const rows = groupIndices(values);
  const nextRow = (rows.length ? Math.max(...rows) : -1) + 1;
  const splitRows = [...rows, nextRow, nextRow + 1];
  return (
    <Form method="post" noValidate>
      <input type="hidden" name="intent" value="save" />
      <input type="hidden" name="year" value={year} />
      <input type="hidden" name="updatedAt" value={updatedAt ?? ""} />

      <div className="form-row">
        <TextInput ctx={ctx} name="title" label="名称" wide />
      </div>
      <div className="field">
        <label htmlFor={fieldId(ctx, "description")}>说明</label>
        <textarea id={fieldId(ctx, "description")} name="description" defaultValue={one(values, "description")} />
      </div>

      <KindSection ctx={ctx} kind="project" />
      <KindSection ctx={ctx} kind="department" />

      <fieldset className="card">
        <legend>
          <strong>指标性质与满意度</strong>
        </legend>
        <CheckboxGroup ctx={ctx} name="allowedOperators" label={LABELS.allowedOperators} options={OPERATORS.map((o) => ({ value: o, label: o }))} />
        <div className="form-row">
          <TextInput ctx={ctx} name="satisfaction.maxWeight" label={LABELS["satisfaction.maxWeight"]} hint="满意度指标权重合计超过此数时警告" />
        </div>
      </fieldset>

      <fieldset className="card">
        <legend>
          <strong>一级指标建议权重（自评）</strong>
        </legend>
        <Checkbox ctx={ctx} name="level1Split.enabled" label="启用建议权重（偏差过大时提示）" />
        <GroupErrors ctx={ctx} path="level1Split" />
        <div className="form-row">
          <TextInput ctx={ctx} name="level1Split.tolerance" label="允许偏差（分）" />
        </div>
        <GroupErrors ctx={ctx} path="level1Split.groups" />
        {splitRows.map((i) => (
          <div key={i} className="form-row">
            <TextInput ctx={ctx} name={`level1Split.groups.${i}.level1`} label={`第 ${i + 1} 组 · 一级指标`} hint={i === splitRows[0] ? "多个一级指标用顿号分隔；清空一行即删除该组" : undefined} wide={false} />
            <TextInput ctx={ctx} name={`level1Split.groups.${i}.weight`} label={`第 ${i + 1} 组 · 建议权重（分）`} />
          </div>
        ))}
      </fieldset>

      <fieldset className="card">
        <legend>
          <strong>阈值</strong>
        </legend>
        <div className="form-row">
          <TextInput ctx={ctx} name="thresholds.percentMax" label={LABELS["thresholds.percentMax"]} />
          <TextInput ctx={ctx} name="thresholds.completionRateMin" label={LABELS["thresholds.completionRateMin"]} />
        </div>
        {KEYWORD_LISTS.map((k) => (
          <KeywordListField key={k} ctx={ctx} list={k} />
        ))}
      </fieldset>

      <fieldset className="card">
        <legend>
          <strong>自评计分</strong>
        </legend>
        <div className="form-row">
          <Select
            ctx={ctx}
            name="scoring.equalFormula"
            label={LABELS["scoring.equalFormula"]}
            options={[
              ["proportional", "按偏差比例扣分"],
              ["exact", "完全相等才得分"],
            ]}
          />
          <Select
            ctx={ctx}
            name="scoring.totalOf"
            label={LABELS["scoring.totalOf"]}
            options={[
              ["shownScores", "按显示的得分（两位小数）合计"],
              ["exactScores", "按精确得分合计"],
            ]}
          />
          <TextInput ctx={ctx} name="scoring.overAchievementThreshold" label={LABELS["scoring.overAchievementThreshold"]} />
        </div>
        <h3>定性指标档次（占权重的百分比）</h3>
        {TIERS.map((t) => (
          <div key={t}>
            <GroupErrors ctx={ctx} path={`scoring.qualitativeTiers.${t}`} />
            <div className="form-row">
              <TextInput ctx={ctx} name={`scoring.qualitativeTiers.${t}.min`} label={`${t} · 下限（%）`} />
              <TextInput ctx={ctx} name={`scoring.qualitativeTiers.${t}.max`} label={`${t} · 上限（%）`} />
              <TextInput ctx={ctx} name={`scoring.qualitativeTiers.${t}.default`} label={`${t} · 默认（%）`} />
            </div>
          </div>
        ))}
        <h3>等级分数线</h3>
        <GroupErrors ctx={ctx} path="scoring.grades" />
        <div className="form-row">
          {GRADES.map((g) => (
            <TextInput key={g} ctx={ctx} name={`scoring.grades.${g}`} label={`${g}（不低于）`} />
          ))}
        </div>
        <Checkbox ctx={ctx} name="scoring.explanationBelowFull" label={LABELS["scoring.explanationBelowFull"]} />
      </fieldset>

      <fieldset className="card">
        <legend>
          <strong>监控红黄绿灯</strong>
        </legend>
        <GroupErrors ctx={ctx} path="monitoring.budget" />
        <div className="form-row">
          <TextInput ctx={ctx} name="monitoring.budget.green" label={LABELS["monitoring.budget.green"]} hint="差距 = 序时进度 − 执行率" />
          <TextInput ctx={ctx} name="monitoring.budget.yellow" label={LABELS["monitoring.budget.yellow"]} />
          <TextInput ctx={ctx} name="monitoring.indicatorYellowWithin" label={LABELS["monitoring.indicatorYellowWithin"]} />
          <TextInput
            ctx={ctx}
            name="monitoring.progressMismatchFraction"
            label={LABELS["monitoring.progressMismatchFraction"]}
            hint="累计类定量指标截至本期完成值低于 目标 × 序时进度 × 此比例，而全年预计完成值达到目标时，提示审核人核实（仅提示，不阻止提交）；0 表示关闭"
          />
        </div>
        <CheckboxGroup
          ctx={ctx}
          name="monitoring.periods"
          label={LABELS["monitoring.periods"]}
          options={Object.entries(PERIODS).map(([value, label]) => ({ value, label }))}
        />
      </fieldset>

      <fieldset className="card">
        <legend>
          <strong>检查项严重程度</strong>
        </legend>
        <GroupErrors ctx={ctx} path="severities" />
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th>检查项</th>
                <th>代码</th>
                <th>严重程度</th>
              </tr>
            </thead>
            <tbody>
              {CHECK_CODES.map((code) => {
                const name = `severities.${code}`;
                const id = fieldId(ctx, name);
                const msgs = errorsAt(errors, name);
                return (
                  <tr key={code}>
                    <td>
                      <label htmlFor={id}>{CHECK_LABELS[code]}</label>
                    </td>
                    <td className="muted">{code}</td>
                    <td>
                      <select
                        id={id}
                        name={name}
                        defaultValue={one(values, name) || DEFAULT_SEVERITIES[code]}
                        aria-invalid={msgs.length ? true : undefined}
                        aria-describedby={msgs.length ? `${id}-error` : undefined}
                      >
                        {SEVERITY_OPTIONS.map(([value, text]) => (
                          <option key={value} value={value}>
                            {text}
                            {value === DEFAULT_SEVERITIES[code] ? "（默认）" : ""}
                          </option>
                        ))}
                      </select>
                      <ErrorText id={`${id}-error`} messages={msgs} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </fieldset>

      <div className="actions">
        <button type="submit" className="btn btn-primary">
          保存规则集
        </button>
        <span className="muted">保存后立即生效；已批复的绩效目标表不受影响。</span>
      </div>
    </Form>
  );
}

export const meta: MetaFunction = () => [{ title: "规则集 · jixiao" }];
