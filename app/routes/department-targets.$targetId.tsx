import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { forbidden, notFound, requireRole } from "~/auth/permissions.server";
import { Field } from "~/components/Field";
import { IndicatorTable } from "~/components/IndicatorTable";
import { StatusBadge } from "~/components/StatusBadge";
import { TableEditor, type EditorValues } from "~/components/TableEditor";
import { ReviewHistory, ReviewPanel, VersionDiff, VersionList } from "~/components/TableReview";
import { parseDecimal } from "~/domain/decimal";
import { handleTableAction } from "~/http/table-actions.server";
import { listDepartmentTargetVersions } from "~/models/tables.server";
import { loadTableView } from "~/models/table-view.server";
import { getDepartmentTarget, getTableInScope, updateDepartmentTargetHeader } from "~/models/workflow.server";
import { formatWan } from "~/utils/format";

const headerSchema = z.object({
  tableId: z.coerce.number().int().positive(),
  budget: z
    .string()
    .default("")
    .refine((s) => s.trim() === "" || parseDecimal(s) !== null, "部门支出预算数须为数字（万元）"),
  annualGoal: z.string().max(2000, "当年整体绩效目标不能超过 2000 字").default(""),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["department", "finance", "admin"]);
  const id = Number(params.targetId);
  const found = Number.isInteger(id) ? getDepartmentTarget(user, id) : null;
  if (!found) throw notFound();
  const versions = listDepartmentTargetVersions(user, id);
  const wanted = Number(new URL(request.url).searchParams.get("version")) || null;
  return { ...found, versions, view: loadTableView(user, "department", found.target.year, versions, wanted) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, ["department", "finance", "admin"]);
  const id = Number(params.targetId);
  if (!Number.isInteger(id) || !getDepartmentTarget(user, id)) throw notFound();
  if ((await request.clone().formData()).get("intent") === "header") {
    const values = Object.fromEntries(await request.formData()) as Record<string, string>;
    const parsed = headerSchema.safeParse(values);
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const i of parsed.error.issues) errors[i.path.join(".")] ??= i.message;
      return json({ ok: false, message: "请按提示修改", headerErrors: errors, headerValues: values }, { status: 400 });
    }
    const ctx = getTableInScope(user, parsed.data.tableId);
    if (!ctx || ctx.kind !== "department" || ctx.ownerId !== id) throw notFound();
    const budget = parseDecimal(parsed.data.budget);
    const result = updateDepartmentTargetHeader(user, ctx, {
      budget: budget === null ? null : Number(budget),
      annualGoal: parsed.data.annualGoal.trim() || null,
    });
    if (!result.ok) {
      if (result.status === 403) throw forbidden();
      return json({ ok: false, message: result.reason, headerValues: values }, { status: result.status });
    }
    return redirect(`/department-targets/${id}`);
  }
  const result = await handleTableAction(user, request, (ctx) => ctx.kind === "department" && ctx.ownerId === id);
  if (result.redirectTo) return redirect(result.redirectTo);
  return json(result.data, { status: result.status });
}

export default function DepartmentTargetPage() {
  const { target, departmentCode, departmentName, versions, view } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as
    | (Record<string, unknown> & { ok?: boolean; message?: string; values?: EditorValues; errors?: Record<string, string>; reasons?: string[]; headerErrors?: Record<string, string>; headerValues?: Record<string, string>; reviewValues?: Record<string, string> })
    | undefined;
  const hv = actionData?.headerValues;
  const he = actionData?.headerErrors ?? {};
  return (
    <>
      <div className="page-header">
        <div>
          <p className="muted">
            <Link to="/department-targets">部门整体绩效目标</Link> / {target.year} 年度
          </p>
          <h1>
            {departmentName} {target.year} 年部门整体绩效目标表
          </h1>
          <p className="muted">
            {departmentCode} · <StatusBadge status={view?.table.status} />
            {view && view.table.version > 1 ? ` · 第 ${view.table.version} 版（调整）` : null}
          </p>
        </div>
      </div>
      {actionData?.message ? (
        <div className="alert alert-error" role="alert">
          {actionData.message}
          {actionData.reasons?.length ? (
            <ul>
              {actionData.reasons.map((r, i) => (
                <li key={i}>{r}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {view?.headerEditable ? (
        <Form method="post" className="card" noValidate>
          <input type="hidden" name="intent" value="header" />
          <input type="hidden" name="tableId" value={view.table.id} />
          <div className="form-row">
            <Field label="部门支出预算数（万元）" name="budget" inputMode="decimal" defaultValue={hv?.budget ?? (target.budget === null ? "" : String(target.budget / 10000))} error={he.budget} />
          </div>
          <div className="field">
            <label htmlFor="annualGoal">当年整体绩效目标</label>
            <textarea id="annualGoal" name="annualGoal" defaultValue={hv?.annualGoal ?? target.annualGoal ?? ""} />
            {he.annualGoal ? <span className="field-error">{he.annualGoal}</span> : null}
          </div>
          <button type="submit" className="btn">
            保存基本信息
          </button>
        </Form>
      ) : (
        <div className="card">
          <dl className="props">
            <dt>部门支出预算数（万元）</dt>
            <dd>{formatWan(target.budget)}</dd>
            <dt>当年整体绩效目标</dt>
            <dd>{target.annualGoal ?? "—"}</dd>
          </dl>
        </div>
      )}
      <h2>绩效指标</h2>
      {view?.canEdit && view.editorDefaults ? (
        <TableEditor
          // Not keyed on the revision: a refused 提交审核 saves the draft (new revision), and
            // remounting then would wipe what the user typed while the page reloaded its data.
            key={JSON.stringify(actionData ?? null) + view.table.id}
          tableId={view.table.id}
          defaultValues={(actionData?.values as EditorValues) ?? view.editorDefaults}
          base={view.exchange}
          ruleSet={view.ruleSet!}
          headerEditable={false}
          serverErrors={actionData?.errors ?? {}}
          revision={view.table.revision}
          canSubmit
        />
      ) : view ? (
        <IndicatorTable rows={view.exchange.indicators.map((i, n) => ({ ...i, position: n, weight: i.weight === null ? null : Math.round(i.weight * 100) }))} />
      ) : null}
      {view && view.actions.length ? (
        <ReviewPanel
          tableId={view.table.id}
          status={view.table.status}
          actions={view.actions}
          role={view.role}
          indicators={view.exchange.indicators}
          errors={actionData?.errors ?? {}}
          values={actionData?.reviewValues ?? null}
        />
      ) : null}
      {view?.diff ? <VersionDiff diff={view.diff} version={view.table.version} /> : null}
      <VersionList versions={versions} current={view?.table.version ?? null} basePath={`/department-targets/${target.id}`} />
      {view ? <ReviewHistory reviews={view.reviews} versions={versions} /> : null}
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.departmentName} ${data.target.year} 年部门整体绩效目标 · jixiao` : "部门整体绩效目标 · jixiao" },
];
