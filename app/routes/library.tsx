import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useSearchParams } from "@remix-run/react";
import { useId } from "react";
import { z } from "zod";
import { notFound, requireRole, requireUser } from "~/auth/permissions.server";
import { Pager } from "~/components/Pager";
import { Field } from "~/components/Field";
import { OPERATORS } from "~/domain/schemas";
import {
  getLibraryIndicator,
  libraryLevel1Options,
  listLibrary,
  saveLibraryIndicator,
  setRetired,
  type LastYearActuals,
} from "~/models/library.server";
import { formatDateTime } from "~/utils/format";
import { clampPage, pageParam } from "~/utils/pages";

const optionalId = z.preprocess((v) => (v === "" || v == null ? undefined : v), z.coerce.number().int().positive().optional());

const libraryEntrySchema = z.object({
  id: optionalId,
  name: z.string().trim().min(1, "请填写指标名称").max(100, "指标名称不能超过 100 个字"),
  level1: z.string().trim().max(30, "一级指标过长").default(""),
  level2: z.string().trim().max(30, "二级指标过长").default(""),
  unit: z.string().trim().max(20, "计量单位不能超过 20 个字").default(""),
  operator: z.union([z.enum(OPERATORS), z.literal("")], { errorMap: () => ({ message: "请选择有效的指标性质" }) }).default(""),
  targetHint: z.string().trim().max(50, "指标值参考不能超过 50 个字").default(""),
  note: z.string().trim().max(500, "说明不能超过 500 个字").default(""),
});

const retireSchema = z.object({ id: z.coerce.number().int().positive() });

const listSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  retired: z.literal("1").optional().catch(undefined),
  page: pageParam,
  edit: z.coerce.number().int().positive().optional().catch(undefined),
});

/** Fields a "收录" link may pre-fill in the add form. */
const PREFILL = ["name", "level1", "level2", "unit", "operator", "targetHint"] as const;

type Values = Record<string, string>;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const f = listSchema.parse(Object.fromEntries(url.searchParams));
  const canEdit = user.role === "finance";
  const query = { q: f.q, includeRetired: canEdit && f.retired === "1" };
  let list = listLibrary(user, { ...query, page: f.page });
  // Past the end: show the last page.
  const last = clampPage(list.page, list.total, list.pageSize);
  if (last < list.page) list = listLibrary(user, { ...query, page: last });
  let editing: Values | null = null;
  if (canEdit && f.edit) {
    const row = getLibraryIndicator(user, f.edit);
    if (!row) throw notFound();
    editing = {
      id: String(row.id),
      name: row.name,
      level1: row.level1 ?? "",
      level2: row.level2 ?? "",
      unit: row.unit ?? "",
      operator: row.operator ?? "",
      targetHint: row.targetHint ?? "",
      note: row.note ?? "",
    };
  }
  const prefill: Values | null =
    canEdit && !editing && url.searchParams.get("add") === "1"
      ? Object.fromEntries(PREFILL.map((k) => [k, (url.searchParams.get(k) ?? "").slice(0, 100)]))
      : null;
  return {
    list,
    canEdit,
    editing,
    prefill,
    filter: { q: f.q ?? "", retired: f.retired === "1" },
    taxonomy: canEdit ? libraryLevel1Options(user) : {},
  };
}

function backTo(value: FormDataEntryValue | null): string {
  return typeof value === "string" && /^\/library(\?|$)/.test(value) ? value : "/library";
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") throw new Response("不支持的操作", { status: 405 });
  const user = await requireRole(request, ["finance"]);
  const form = await request.formData();
  const values = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)])) as Values;
  const intent = values.intent;
  const back = backTo(form.get("back"));

  if (intent === "retire" || intent === "restore") {
    const parsed = retireSchema.safeParse(values);
    if (!parsed.success) throw notFound();
    const result = setRetired(user, parsed.data.id, intent === "retire");
    if (!result) throw notFound();
    if (!result.ok) {
      return json({ intent, values, errors: { name: [result.errors.name ?? "操作失败"] } as Record<string, string[]> }, { status: 400 });
    }
    return redirect(back);
  }

  if (intent === "save") {
    const parsed = libraryEntrySchema.safeParse(values);
    if (!parsed.success) {
      return json({ intent, values, errors: parsed.error.flatten().fieldErrors as Record<string, string[]> }, { status: 400 });
    }
    const result = saveLibraryIndicator(user, parsed.data);
    if (!result) throw notFound();
    if (!result.ok) {
      const errors = Object.fromEntries(Object.entries(result.errors).map(([k, v]) => [k, [v!]])) as Record<string, string[]>;
      return json({ intent, values, errors }, { status: 400 });
    }
    return redirect(back);
  }

  return json({ intent: intent ?? "", values, errors: { intent: ["未知的操作"] } as Record<string, string[]> }, { status: 400 });
}

function levelText(level1: string | null, level2: string | null) {
  if (!level1 && !level2) return <span className="muted">—</span>;
  return (
    <>
      {level1 ?? "—"}
      {level2 ? <div className="muted">{level2}</div> : null}
    </>
  );
}

function RangeText({ median, min, max, unit }: { median: string | null; min: string | null; max: string | null; unit: string | null }) {
  if (median === null) return <span className="muted">—</span>;
  const u = unit && unit !== "%" ? ` ${unit}` : unit ?? "";
  return (
    <>
      {median}
      {u}
      {min !== max ? (
        <div className="muted">
          {min}–{max}
          {u}
        </div>
      ) : null}
    </>
  );
}

/** Last year's 全年实际完成值 of a name (结果应用): median, range and how many evaluations. */
function ActualsText({ actuals }: { actuals: LastYearActuals | null }) {
  if (!actuals) return <span className="muted">—</span>;
  return (
    <>
      <RangeText median={actuals.median} min={actuals.min} max={actuals.max} unit={actuals.unit} />
      <div className="muted">{actuals.count} 项</div>
    </>
  );
}

export default function Library() {
  const { list, canEdit, editing, prefill, filter, taxonomy } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const location = useLocation();
  const listParams = new URLSearchParams(params);
  for (const k of ["edit", "add", ...PREFILL]) listParams.delete(k);
  const back = `/library${listParams.toString() ? `?${listParams}` : ""}`;
  const addLink = (s: { name: string; level1: string | null; level2: string | null; unit: string | null; operator: string | null; targetHint: string | null }) => {
    const next = new URLSearchParams(listParams);
    next.set("add", "1");
    for (const k of PREFILL) if (s[k]) next.set(k, s[k]!);
    return `?${next}`;
  };
  const saveFailed = data?.intent === "save";
  const values: Values = saveFailed ? data.values : (editing ?? prefill ?? {});
  const errors: Record<string, string[]> = saveFailed ? data.errors : {};
  const retireError = data && data.intent !== "save" ? Object.values(data.errors).flat()[0] : null;

  return (
    <>
      <div className="page-header">
        <div>
          <h1>指标库</h1>
          <p className="muted">
            本地区的常用指标，以及已批复绩效目标表中的指标（使用次数与指标值）。填写指标名称时会据此推荐。
          </p>
        </div>
      </div>

      <div className="card">
        <Form method="get" className="form-inline" role="search">
          <div className="field">
            <label htmlFor="lib-q">搜索指标名称</label>
            <input id="lib-q" type="search" name="q" defaultValue={filter.q} placeholder="如：及时率、满意度" />
          </div>
          {canEdit ? (
            <div className="field">
              <label>
                <input type="checkbox" name="retired" value="1" defaultChecked={filter.retired} /> 显示已停用的指标
              </label>
            </div>
          ) : null}
          <button type="submit" className="btn">
            查询
          </button>
          {filter.q || filter.retired ? <Link to="/library">清除</Link> : null}
        </Form>
      </div>

      {retireError ? (
        <div className="alert alert-error" role="alert">
          {retireError}
        </div>
      ) : null}

      <div className="grid" style={canEdit ? { gridTemplateColumns: "minmax(0, 2fr) minmax(280px, 1fr)", alignItems: "start" } : undefined}>
        <section aria-labelledby="curated-title">
          <h2 id="curated-title" style={{ marginTop: 0 }}>
            常用指标 <span className="muted">（{list.total} 个）</span>
          </h2>
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="curated-title">{/* scrollable: reachable by keyboard */}
            <table className="data">
              <thead>
                <tr>
                  <th>指标名称</th>
                  <th>一级 / 二级指标</th>
                  <th>计量单位</th>
                  <th>指标性质</th>
                  <th>指标值参考</th>
                  <th className="num">已批复使用</th>
                  <th className="num">已批复指标值（中位数 / 范围）</th>
                  <th className="num">{list.actualsYear} 年实际完成值（自评）</th>
                  {canEdit ? <th /> : null}
                </tr>
              </thead>
              <tbody>
                {list.rows.length === 0 ? (
                  <tr>
                    <td colSpan={canEdit ? 9 : 8} className="empty">
                      {filter.q ? "没有符合条件的常用指标" : "指标库中尚无常用指标"}
                    </td>
                  </tr>
                ) : (
                  list.rows.map((r) => (
                    <tr key={r.id}>
                      <td>
                        {r.name} {r.retired ? <span className="badge badge-gray">已停用</span> : null}
                        {r.note ? <div className="muted">{r.note}</div> : null}
                      </td>
                      <td>{levelText(r.level1, r.level2)}</td>
                      <td>{r.unit ?? "—"}</td>
                      <td>{r.operator ?? "—"}</td>
                      <td>{r.targetHint ?? "—"}</td>
                      <td className="num">{r.uses}</td>
                      <td className="num">
                        <RangeText median={r.median} min={r.min} max={r.max} unit={r.unit} />
                      </td>
                      <td className="num">
                        <ActualsText actuals={r.lastYear} />
                      </td>
                      {canEdit ? (
                        <td>
                          <div className="actions">
                            <Link to={`?${new URLSearchParams([...listParams, ["edit", String(r.id)]])}`}>编辑</Link>
                            <Form method="post">
                              <input type="hidden" name="intent" value={r.retired ? "restore" : "retire"} />
                              <input type="hidden" name="id" value={r.id} />
                              <input type="hidden" name="back" value={back} />
                              <button type="submit" className={`btn btn-small${r.retired ? "" : " btn-danger"}`}>
                                {r.retired ? "恢复使用" : "停用"}
                              </button>
                            </Form>
                          </div>
                          <div className="muted">{formatDateTime(r.updatedAt)}</div>
                        </td>
                      ) : null}
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
          <Pager page={list.page} pageSize={list.pageSize} total={list.total} drop={["edit", "add", ...PREFILL]} />
        </section>

        {canEdit ? (
          <section className="card" aria-labelledby="entry-form-title">
            <h2 id="entry-form-title">{values.id ? "编辑常用指标" : "新增常用指标"}</h2>
            <EntryForm key={`${values.id ?? "new"}-${location.key}`} values={values} errors={errors} taxonomy={taxonomy} back={back} />
          </section>
        ) : null}
      </div>

      <section aria-labelledby="history-title">
        <h2 id="history-title">已批复绩效目标表中最常用的指标{filter.q ? `（含「${filter.q}」）` : ""}</h2>
        <p className="muted">
          统计本地区全部已批复（现行版本）的绩效目标表；指标值范围只统计常用计量单位下的数值。实际完成值取本地区 {list.actualsYear}{" "}
          年度已审核通过的绩效自评（不含不适用和定性指标）。
        </p>
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th>指标名称</th>
                <th>一级 / 二级指标</th>
                <th>计量单位</th>
                <th>指标性质</th>
                <th>最常见指标值</th>
                <th className="num">使用次数</th>
                <th className="num">中位数</th>
                <th className="num">范围</th>
                <th className="num">{list.actualsYear} 年实际完成值（自评）</th>
                {canEdit ? <th /> : null}
              </tr>
            </thead>
            <tbody>
              {list.history.length === 0 ? (
                <tr>
                  <td colSpan={canEdit ? 10 : 9} className="empty">
                    {filter.q ? "已批复的绩效目标表中没有符合条件的指标" : "本地区尚无已批复的绩效目标表"}
                  </td>
                </tr>
              ) : (
                list.history.map((h) => (
                  <tr key={h.key}>
                    <td>
                      {h.name} {h.curated ? <span className="badge badge-blue">已收录</span> : null}
                    </td>
                    <td>{levelText(h.level1, h.level2)}</td>
                    <td>{h.unit ?? "—"}</td>
                    <td>{h.operator ?? "—"}</td>
                    <td>{h.targetHint ?? "—"}</td>
                    <td className="num">{h.uses}</td>
                    <td className="num">{h.median ?? "—"}</td>
                    <td className="num">{h.min !== null ? (h.min === h.max ? h.min : `${h.min}–${h.max}`) : "—"}</td>
                    <td className="num">
                      <ActualsText actuals={h.lastYear} />
                    </td>
                    {canEdit ? (
                      <td>{h.curated ? null : <Link to={addLink(h)}>收录</Link>}</td>
                    ) : null}
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

function EntryForm({
  values,
  errors,
  taxonomy,
  back,
}: {
  values: Values;
  errors: Record<string, string[]>;
  taxonomy: Record<string, string[]>;
  back: string;
}) {
  const uid = useId();
  const ids = { level1: `l1-${uid}`, level2: `l2-${uid}`, operator: `op-${uid}`, note: `note-${uid}` };
  const err = (k: string) => errors[k]?.[0] ?? null;
  const described = (k: string, id: string) => (err(k) ? { "aria-invalid": true as const, "aria-describedby": `${id}-error` } : {});
  const errorText = (k: string, id: string) =>
    err(k) ? (
      <span id={`${id}-error`} className="field-error" role="alert">
        {err(k)}
      </span>
    ) : null;
  const level1Options = Object.keys(taxonomy);
  if (values.level1 && !level1Options.includes(values.level1)) level1Options.push(values.level1);
  return (
    <Form method="post" noValidate>
      <input type="hidden" name="intent" value="save" />
      <input type="hidden" name="back" value={back} />
      {values.id ? <input type="hidden" name="id" value={values.id} /> : null}
      {err("intent") ? (
        <div className="alert alert-error" role="alert">
          {err("intent")}
        </div>
      ) : null}
      <Field label="指标名称（三级指标）" name="name" defaultValue={values.name ?? ""} error={err("name")} maxLength={100} />
      <div className="field">
        <label htmlFor={ids.level1}>一级指标</label>
        <select id={ids.level1} name="level1" defaultValue={values.level1 ?? ""} {...described("level1", ids.level1)}>
          <option value="">（不限）</option>
          {level1Options.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
        {errorText("level1", ids.level1)}
      </div>
      <div className="field">
        <label htmlFor={ids.level2}>二级指标</label>
        <select id={ids.level2} name="level2" defaultValue={values.level2 ?? ""} {...described("level2", ids.level2)}>
          <option value="">（不限）</option>
          {Object.entries(taxonomy).map(([l1, l2s]) => (
            <optgroup key={l1} label={l1}>
              {l2s.map((l2) => (
                <option key={`${l1}-${l2}`} value={l2}>
                  {l2}
                </option>
              ))}
            </optgroup>
          ))}
          {values.level2 && !Object.values(taxonomy).some((l) => l.includes(values.level2)) ? (
            <option value={values.level2}>{values.level2}</option>
          ) : null}
        </select>
        {errorText("level2", ids.level2)}
      </div>
      <div className="form-row">
        <Field label="计量单位" name="unit" defaultValue={values.unit ?? ""} error={err("unit")} hint="如 %、个、万元；定性指标不填" />
        <div className="field">
          <label htmlFor={ids.operator}>指标性质</label>
          <select id={ids.operator} name="operator" defaultValue={values.operator ?? ""} {...described("operator", ids.operator)}>
            <option value="">（不限）</option>
            {OPERATORS.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
          {errorText("operator", ids.operator)}
        </div>
      </div>
      <Field label="指标值参考" name="targetHint" defaultValue={values.targetHint ?? ""} error={err("targetHint")} hint="如 ≥95、100、达标" />
      <div className="field">
        <label htmlFor={ids.note}>说明</label>
        <textarea id={ids.note} name="note" defaultValue={values.note ?? ""} maxLength={500} {...described("note", ids.note)} />
        {errorText("note", ids.note)}
      </div>
      <div className="actions">
        <button type="submit" className="btn btn-primary">
          保存
        </button>
        {values.id || values.name ? <Link to={back}>取消</Link> : null}
      </div>
    </Form>
  );
}

export const meta: MetaFunction = () => [{ title: "指标库 · jixiao" }];
