// 规则集 (finance only): view the region-year rule set in force, start from a built-in, and
// edit its parameters. The form ⇄ RuleSet conversion is app/domain/rule-set-form.ts, the
// form app/components/rules/. The action converts the form back to a RuleSet
// (`ruleSetFromForm`), then saveRuleSet validates it with parseRuleSet; on any error the
// page comes back with status 400, the messages next to the fields and at the top, and
// everything typed kept.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSubmit } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import { z } from "zod";
import { requireRole } from "~/auth/permissions.server";
import { RuleSetForm } from "~/components/rules/RuleSetForm";
import { StartForm } from "~/components/rules/StartForm";
import {
  errorsByPath,
  formValuesOf,
  labelOf,
  one,
  ruleSetFromForm,
  ruleSetToForm,
  type Errors,
  type FormValues,
} from "~/domain/rule-set-form";
import { getRuleSetInfo, regionCopyOf, regionRuleSetName, saveRuleSet } from "~/models/rulesets.server";
import { formatDateTime } from "~/utils/format";

const yearSchema = z.coerce.number().int().min(2000).max(2100);

const startSchema = z.object({
  year: yearSchema,
  builtin: z.string().min(1, "请选择内置规则集"),
});

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
  const values = formValuesOf(form.entries());
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
        <RuleSetForm
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

export const meta: MetaFunction = () => [{ title: "规则集 · jixiao" }];
