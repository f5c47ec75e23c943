// The 绩效目标表 editor: a react-hook-form grid (useFieldArray) whose inputs carry their
// form names, so the same form posts with or without JavaScript. With JavaScript it adds
// live findings from the server's own checker, a weight meter, row moves, Enter-to-next-row,
// paste from Excel and 指标库 suggestions. 保存草稿 is never blocked; the server decides.
import { Form, useNavigation } from "@remix-run/react";
import { zodResolver } from "@hookform/resolvers/zod";
import { createElement, Fragment, useEffect, useMemo, useRef, useState } from "react";
import { useFieldArray, useForm, useWatch, type UseFormReturn } from "react-hook-form";
import { Dec } from "~/domain/decimal";
import { parsePastedRows } from "~/domain/paste";
import { checkTable, kindRules, type Finding, type RuleSet } from "~/domain/rules";
import type { ExchangeTable } from "~/domain/schemas";
// Type only (erased at build): the JSON shape of /library/suggest.
import type { Suggestion } from "~/models/library.server";
import { useHydrated } from "~/utils/use-hydrated";
import {
  EMPTY_INDICATOR,
  formToTable,
  isBlankRow,
  editorFormSchema,
  categoryChoices,
  type IndicatorForm,
  type ProjectHeaderForm,
  type TableForm,
} from "~/domain/table-form";

export type EditorValues = TableForm & { header?: ProjectHeaderForm };

const OPERATOR_OPTIONS = ["≥", "≤", "=", ">", "<", "定性"] as const;
const COLUMNS = ["level1", "level2", "name", "weight", "unit", "operator", "target", "core"] as const;
const NO_FINDINGS: Finding[] = [];

type CellExtras = { inputMode?: "decimal"; className?: string };
type CellProps = CellExtras & {
  name: `indicators.${number}.${(typeof COLUMNS)[number]}`;
  defaultValue: string;
  "aria-label": string;
  "aria-invalid": true | undefined;
};
const BLANK_OPTION = <option value="">—</option>;
const CORE_OPTIONS = (
  <>
    {BLANK_OPTION}
    <option>是</option>
    <option>否</option>
  </>
);

/** The <option>s of the 一级, 二级 (by 一级) and 指标性质 selects, each list with its blank first. */
function optionElements(taxonomy: Record<string, string[]>, allowedOperators: readonly string[]) {
  const list = (values: readonly string[]) => (
    <>
      {BLANK_OPTION}
      {values.map((v) => (
        <option key={v}>{v}</option>
      ))}
    </>
  );
  return {
    level1: list(Object.keys(taxonomy)),
    level2: new Map(Object.entries(taxonomy).map(([l1, l2s]) => [l1, list(l2s)])),
    operators: list(OPERATOR_OPTIONS.filter((o) => allowedOperators.includes(o))),
  };
}


export function TableEditor({
  tableId,
  defaultValues,
  base,
  ruleSet,
  headerEditable,
  codeEditable = true,
  serverErrors,
  revision,
  canSubmit,
  history,
}: {
  tableId: number;
  defaultValues: EditorValues;
  /** The table as stored, for the header the checker needs. */
  base: ExchangeTable;
  ruleSet: RuleSet;
  headerEditable: boolean;
  /** The project code is identity: an adjustment shows it read-only (docs/decisions/026). */
  codeEditable?: boolean;
  serverErrors: Record<string, string>;
  revision: number;
  canSubmit: boolean;
  /** Last year's approved self-evaluation of the project (below_last_actual), from the server. */
  history?: ExchangeTable[];
}) {
  const form = useForm<EditorValues>({
    defaultValues,
    resolver: zodResolver(editorFormSchema) as never,
    mode: "onBlur",
  });
  const { control, register, formState } = form;
  // register() is the browser form's bookkeeping; of its result the server's HTML needs only
  // the name, and a 30-row table makes 240 calls (a seventh of the page's server time).
  const onServer = typeof document === "undefined";
  // The row buttons, 添加指标 and the paste hint need JavaScript: without it they would be
  // buttons that do nothing (a blank row is always there to fill instead, withSpareRows).
  // Left out of the server's HTML, they also spare it a seventh of its size.
  const hydrated = useHydrated();
  const { fields, append, remove, move, insert } = useFieldArray({ control, name: "indicators" });
  // formState is a proxy that subscribes on every read: read once here, not once per cell.
  const indicatorErrors = formState.errors.indicators;
  const values = useWatch({ control }) as EditorValues;
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";

  const rules = kindRules(ruleSet, base);
  const taxonomy = rules.taxonomy;
  const allowed = new Set<string>(ruleSet.allowedOperators);
  // The choices every row offers, made once per render rather than once per row.
  const choices = useMemo(() => optionElements(taxonomy, ruleSet.allowedOperators), [taxonomy, ruleSet.allowedOperators]);
  const anyServerError = Object.keys(serverErrors).some((k) => k.startsWith("indicators."));

  // Live findings: the same checker the server runs, on what is typed now.
  const live = useMemo(() => {
    // Object.assign, not { ...EMPTY_INDICATOR, ...r }: two spreads into one object take the
    // slow path on Node 20, once per row on every server render (docs/decisions/030).
    const rows = (values.indicators ?? []).map((r) => Object.assign({}, EMPTY_INDICATOR, r) as IndicatorForm);
    const index: number[] = [];
    rows.forEach((r, i) => {
      if (!isBlankRow(r)) index.push(i);
    });
    const table = formToTable({ budgetExecutionWeight: values.budgetExecutionWeight ?? "", indicators: rows }, base);
    const findings = checkTable(table, ruleSet, history);
    const byRow = new Map<number, Finding[]>();
    const general: Finding[] = [];
    for (const f of findings) {
      if (f.where.indicator === null || f.where.indicator === undefined) general.push(f);
      else {
        const row = index[f.where.indicator] ?? f.where.indicator;
        byRow.set(row, [...(byRow.get(row) ?? []), f]);
      }
    }
    let total = Dec.of(0);
    for (const r of table.indicators) if (r.weight !== null) total = total.add(Dec.of(r.weight));
    const required = Dec.of(100).sub(Dec.of(rules.budgetExecutionWeight));
    return {
      findings,
      byRow,
      general,
      total,
      required,
      errors: findings.filter((f) => f.severity === "error").length,
      warnings: findings.filter((f) => f.severity === "warning").length,
    };
  }, [values, base, ruleSet, rules.budgetExecutionWeight, history]);

  const gridRef = useRef<HTMLTableSectionElement>(null);
  const [pasteNote, setPasteNote] = useState<string | null>(null);

  function focusCell(row: number, col: string) {
    requestAnimationFrame(() => {
      const el = gridRef.current?.querySelector<HTMLElement>(`[name="indicators.${row}.${col}"]`);
      el?.focus();
    });
  }

  function onKeyDown(e: React.KeyboardEvent<HTMLTableSectionElement>) {
    const target = e.target as HTMLElement;
    if (e.key !== "Enter" || !(target instanceof HTMLInputElement || target instanceof HTMLSelectElement)) return;
    const m = /^indicators\.(\d+)\.(\w+)$/.exec(target.getAttribute("name") ?? "");
    if (!m) return;
    e.preventDefault();
    const row = Number(m[1]);
    if (row + 1 >= fields.length) append({ ...EMPTY_INDICATOR });
    focusCell(row + 1, m[2]);
  }

  function onPaste(e: React.ClipboardEvent<HTMLTableSectionElement>) {
    const text = e.clipboardData.getData("text/plain");
    if (!text.includes("\t") && !text.includes("\n")) return;
    const m = /^indicators\.(\d+)\./.exec((e.target as HTMLElement).getAttribute("name") ?? "");
    if (!m) return;
    e.preventDefault();
    const { rows, skipped } = parsePastedRows(text);
    const start = Number(m[1]);
    rows.forEach((row, k) => {
      const i = start + k;
      if (i < fields.length) {
        for (const col of COLUMNS) form.setValue(`indicators.${i}.${col}`, row[col], { shouldDirty: true });
      } else {
        append(row);
      }
    });
    setPasteNote(
      `已粘贴 ${rows.length} 行` + (skipped.length ? `；${skipped.length} 行无法识别：${skipped.map((s) => s.reason).join("；")}` : ""),
    );
  }

  const weightStatus = live.total.eq(live.required) ? "ok" : live.total.gt(live.required) ? "over" : "under";

  return (
    <Form method="post" noValidate className="editor" aria-label="绩效目标表">
      <input type="hidden" name="tableId" value={tableId} />
      <input type="hidden" name="revision" value={revision} />
      {headerEditable ? <HeaderFields form={form} errors={serverErrors} codeEditable={codeEditable} /> : null}

      <div className="editor-toolbar card">
        <div className="field">
          <label htmlFor="bew">预算执行率权重</label>
          <input
            id="bew"
            inputMode="decimal"
            {...register("budgetExecutionWeight")}
            defaultValue={defaultValues.budgetExecutionWeight}
            aria-invalid={serverErrors.budgetExecutionWeight ? true : undefined}
            style={{ width: "6rem" }}
          />
        </div>
        <div className={`weight-meter weight-${weightStatus}`} role="status" aria-live="polite" data-testid="weight-meter">
          <span className="label">指标权重合计</span>{" "}
          <strong>{live.total.toString()}</strong> / {live.required.toString()}
          {weightStatus === "ok" ? " ✓" : weightStatus === "over" ? `（超出 ${live.total.sub(live.required).toString()}）` : `（还差 ${live.required.sub(live.total).toString()}）`}
        </div>
        <div className="muted" data-testid="live-counts">
          {live.errors} 个错误 · {live.warnings} 个提示
        </div>
      </div>

      {live.general.length ? (
        <div className={`alert ${live.general.some((f) => f.severity === "error") ? "alert-error" : "alert-warning"}`} data-testid="table-findings">
          <ul>
            {live.general.map((f, i) => (
              <li key={i}>{f.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {pasteNote ? <div className="alert alert-info" role="status">{pasteNote}</div> : null}

      <div className="table-wrap">
        <table className="data grid-editor">
          <thead>
            <tr>
              <th className="num">#</th>
              <th>一级指标</th>
              <th>二级指标</th>
              <th>三级指标</th>
              <th>权重</th>
              <th>计量单位</th>
              <th>指标性质</th>
              <th>指标值</th>
              <th>核心</th>
              <th className="no-print">操作</th>
            </tr>
          </thead>
          <tbody ref={gridRef} onKeyDown={onKeyDown} onPaste={onPaste}>
            {fields.map((field, i) => {
              const row = (values.indicators?.[i] ?? field) as IndicatorForm;
              const level2Options = taxonomy[row.level1] ?? [];
              const findings = live.byRow.get(i) ?? NO_FINDINGS;
              // Each column's message (the server's, else the form's), or null when the row has none.
              const clientErrors = indicatorErrors?.[i];
              const errors =
                anyServerError || clientErrors
                  ? COLUMNS.map((col) => serverErrors[`indicators.${i}.${col}`] ?? clientErrors?.[col]?.message)
                  : null;
              // A cell's props in one object literal, register()'s added in the browser only.
              // Not `{ ...register(name), more }`: on Node 20 an object spread followed by
              // more properties costs about 1.3 µs, which over the grid's 260 cells (twice,
              // with JSX's own spread) was about 0.6 ms of the page (docs/decisions/030).
              const cell = (col: (typeof COLUMNS)[number], label: string, more?: CellExtras) => {
                const name = `indicators.${i}.${col}` as const;
                const props: CellProps = {
                  name,
                  // Rendered into the HTML too, so the form works before (or without) JavaScript.
                  defaultValue: (field as IndicatorForm)[col] ?? "",
                  "aria-label": `第 ${i + 1} 行${label}`,
                  "aria-invalid":
                    errors?.[COLUMNS.indexOf(col)] || (findings.length > 0 && findings.some((f) => f.where.field === col && f.severity === "error")) ? true : undefined,
                  inputMode: more?.inputMode,
                  className: more?.className,
                };
                return onServer ? props : Object.assign(props, register(name));
              };
              return (
                <Fragment key={field.id}>
                  <tr className={findings.some((f) => f.severity === "error") ? "row-error" : undefined}>
                    <td className="num">{i + 1}</td>
                    <td>
                      {createElement("select", cell("level1", "一级指标"), choices.level1, row.level1 && !taxonomy[row.level1] ? <option>{row.level1}</option> : null)}
                    </td>
                    <td>
                      {createElement(
                        "select",
                        cell("level2", "二级指标"),
                        choices.level2.get(row.level1) ?? BLANK_OPTION,
                        row.level2 && !level2Options.includes(row.level2) ? <option>{row.level2}</option> : null,
                      )}
                    </td>
                    <td className="cell-name">
                      <NameInput form={form} index={i} cellProps={cell("name", "三级指标")} />
                    </td>
                    <td>
                      <input {...cell("weight", "权重", { inputMode: "decimal", className: "cell-num" })} />
                    </td>
                    <td>
                      <input {...cell("unit", "计量单位", { className: "cell-unit" })} />
                    </td>
                    <td>
                      {createElement(
                        "select",
                        cell("operator", "指标性质"),
                        !row.operator || allowed.has(row.operator) ? (
                          choices.operators
                        ) : (
                          <>
                            <option value="">—</option>
                            {OPERATOR_OPTIONS.filter((o) => allowed.has(o) || o === row.operator).map((o) => (
                              <option key={o}>{o}</option>
                            ))}
                          </>
                        ),
                      )}
                    </td>
                    <td>
                      <input {...cell("target", "指标值", { className: "cell-target" })} />
                    </td>
                    <td>
                      {createElement("select", cell("core", "是否核心指标"), CORE_OPTIONS)}
                    </td>
                    <td className="no-print actions">
                      {hydrated ? (
                        <>
                          <button type="button" className="btn btn-small" aria-label={`上移第 ${i + 1} 行`} disabled={i === 0} onClick={() => move(i, i - 1)}>
                            ↑
                          </button>
                          <button type="button" className="btn btn-small" aria-label={`下移第 ${i + 1} 行`} disabled={i === fields.length - 1} onClick={() => move(i, i + 1)}>
                            ↓
                          </button>
                          <button type="button" className="btn btn-small" aria-label={`在第 ${i + 1} 行后插入`} onClick={() => insert(i + 1, { ...EMPTY_INDICATOR })}>
                            +
                          </button>
                          <button type="button" className="btn btn-small btn-danger" onClick={() => remove(i)}>
                            删除指标
                          </button>
                        </>
                      ) : null}
                    </td>
                  </tr>
                  {findings.length || errors?.some(Boolean) ? (
                    <tr className="row-findings">
                      <td />
                      <td colSpan={9}>
                        {errors?.map((message, k) => (message ? <div key={COLUMNS[k]} className="field-error">✕ {message}</div> : null))}
                        {findings.map((f, k) => (
                          <div key={k} className={f.severity === "error" ? "field-error" : "finding-warning"}>
                            {f.severity === "error" ? "✕" : f.severity === "warning" ? "⚠" : "ℹ"} {f.message}
                          </div>
                        ))}
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
      {hydrated ? (
        <p className="muted no-print">提示：可从 Excel 复制多行（含或不含表头）粘贴到任一单元格；在单元格中按 Enter 跳到下一行。</p>
      ) : null}
      <div className="actions editor-actions">
        {hydrated ? (
          <button type="button" className="btn" onClick={() => { append({ ...EMPTY_INDICATOR }); focusCell(fields.length, "name"); }}>
            添加指标
          </button>
        ) : null}
        <span style={{ flex: 1 }} />
        <button type="submit" name="intent" value="save" className="btn" disabled={busy}>
          保存草稿
        </button>
        {canSubmit ? (
          <button type="submit" name="intent" value="submit" className="btn btn-primary" disabled={busy}>
            提交审核
          </button>
        ) : null}
      </div>
    </Form>
  );
}

/** 三级指标 input with 指标库 suggestions; picking one fills the row. */
function NameInput({
  form,
  index,
  cellProps,
}: {
  form: UseFormReturn<EditorValues>;
  index: number;
  /** register()'s part only in the browser (see the cells in TableEditor). */
  cellProps: CellProps & Partial<ReturnType<UseFormReturn<EditorValues>["register"]>>;
}) {
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [open, setOpen] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const name = form.watch(`indicators.${index}.name`);
  const level1 = form.watch(`indicators.${index}.level1`);

  useEffect(() => {
    if (!open || !name || name.trim().length < 2) {
      setSuggestions([]);
      return;
    }
    clearTimeout(timer.current);
    const controller = new AbortController();
    timer.current = setTimeout(() => {
      const qs = new URLSearchParams({ q: name.trim() });
      if (level1) qs.set("level1", level1);
      fetch(`/library/suggest?${qs}`, { signal: controller.signal })
        .then((r) => (r.ok ? r.json() : { suggestions: [] }))
        .then((d: { suggestions: Suggestion[] }) => setSuggestions(d.suggestions.slice(0, 8)))
        .catch(() => undefined);
    }, 200);
    return () => {
      clearTimeout(timer.current);
      controller.abort();
    };
  }, [name, level1, open]);

  function pick(s: Suggestion) {
    const set = (col: keyof IndicatorForm, v: string | null | undefined) => {
      if (v) form.setValue(`indicators.${index}.${col}`, v as never, { shouldDirty: true });
    };
    set("name", s.name);
    set("level1", s.level1);
    set("level2", s.level2);
    set("unit", s.unit);
    set("operator", s.operator);
    if (!form.getValues(`indicators.${index}.target`)) set("target", s.targetHint ?? s.median);
    setOpen(false);
  }

  // One object rather than a spread followed by more props (see the cells in TableEditor).
  const inputProps = Object.assign({}, cellProps, {
    autoComplete: "off",
    onFocus: () => setOpen(true),
    onBlur: (e: React.FocusEvent<HTMLInputElement>) => {
      void cellProps.onBlur?.(e);
      setTimeout(() => setOpen(false), 150);
    },
  });
  return (
    <div className="suggest">
      <input {...inputProps} />
      {open && suggestions.length ? (
        <ul className="suggest-list" role="listbox" aria-label="指标库推荐">
          {suggestions.map((s) => (
            <li key={`${s.source}-${s.name}-${s.level1}`} role="option" aria-selected={false}>
              <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => pick(s)}>
                <strong>{s.name}</strong>{" "}
                <span className="muted">
                  {[s.level1, s.level2, s.unit, s.operator].filter(Boolean).join(" · ")}
                  {s.source === "history" ? ` · 已用 ${s.uses} 次` : " · 常用指标"}
                  {s.median ? ` · 中位数 ${s.median}（${s.min}–${s.max}）` : ""}
                  {s.lastYear ? ` · ${s.lastYear.year} 年实际完成 ${s.lastYear.median}（${s.lastYear.min}–${s.lastYear.max}）` : ""}
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function HeaderFields({ form, errors, codeEditable }: { form: UseFormReturn<EditorValues>; errors: Record<string, string>; codeEditable: boolean }) {
  const { register, formState } = form;
  const initial = formState.defaultValues?.header ?? {};
  const err = (k: keyof ProjectHeaderForm) => errors[`header.${k}`] ?? formState.errors.header?.[k]?.message;
  const input = (k: keyof ProjectHeaderForm, label: string, props: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <div className="field">
      <label htmlFor={`h-${k}`}>{label}</label>
      <input id={`h-${k}`} {...register(`header.${k}`)} defaultValue={initial[k] ?? ""} aria-invalid={err(k) ? true : undefined} aria-describedby={err(k) ? `h-${k}-error` : undefined} {...props} />
      {err(k) ? <span id={`h-${k}-error`} className="field-error" role="alert">{err(k)}</span> : null}
    </div>
  );
  const area = (k: keyof ProjectHeaderForm, label: string) => (
    <div className="field">
      <label htmlFor={`h-${k}`}>{label}</label>
      <textarea id={`h-${k}`} {...register(`header.${k}`)} defaultValue={initial[k] ?? ""} aria-invalid={err(k) ? true : undefined} />
      {err(k) ? <span className="field-error" role="alert">{err(k)}</span> : null}
    </div>
  );
  return (
    <fieldset className="card">
      <legend>项目基本信息</legend>
      <div className="form-row">
        {input("name", "项目名称")}
        {input("code", "项目编码", codeEditable ? {} : { readOnly: true, title: "项目编码在批复后不随调整改变" })}
        <div className="field">
          <label htmlFor="h-category">项目分类</label>
          <select id="h-category" {...register("header.category")} defaultValue={initial.category ?? ""}>
            <option value="">—</option>
            {categoryChoices(initial.category).map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </div>
      </div>
      <div className="form-row">
        {input("budgetTotal", "当年预算（万元）", { inputMode: "decimal" })}
        {input("budgetLocal", "本级安排（万元）", { inputMode: "decimal" })}
        {input("budgetSuperior", "上级补助（万元）", { inputMode: "decimal" })}
      </div>
      {area("overview", "项目概况")}
      {area("basis", "立项依据")}
      {area("midTermGoal", "三年中期规划绩效目标")}
      {area("annualGoal", "当年绩效目标")}
    </fieldset>
  );
}

