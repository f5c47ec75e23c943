import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/auth/permissions.server";
import { Field } from "~/components/Field";
import { EMPTY_INDICATOR, PROJECT_CATEGORIES, projectHeaderFormSchema, zodFieldErrors } from "~/domain/table-form";
import { createProject } from "~/models/workflow.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["unit"]);
  return { year: user.currentYear };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["unit"]);
  const values = Object.fromEntries(await request.formData()) as Record<string, string>;
  const parsed = projectHeaderFormSchema.safeParse(values);
  if (!parsed.success) return json({ values, errors: zodFieldErrors(parsed.error), message: null }, { status: 400 });
  // Start with three empty rows: the filler goes straight to the grid.
  const result = createProject(user, parsed.data, {
    budgetExecutionWeight: "",
    indicators: [EMPTY_INDICATOR, EMPTY_INDICATOR, EMPTY_INDICATOR],
  });
  if (!result.ok) return json({ values, errors: {}, message: result.reason }, { status: 400 });
  return redirect(`/projects/${result.projectId}`);
}

export default function NewProject() {
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const v = data?.values ?? {};
  const e: Record<string, string | undefined> = data?.errors ?? {};
  return (
    <>
      <p className="muted">
        <Link to="/projects">项目</Link> /
      </p>
      <h1>新建项目</h1>
      {data?.message ? <div className="alert alert-error" role="alert">{data.message}</div> : null}
      {data && Object.keys(e).length ? (
        <div className="alert alert-error" role="alert">
          有 {Object.keys(e).length} 处需要修改，您填写的内容已保留。
        </div>
      ) : null}
      <Form method="post" noValidate className="card">
        <div className="form-row">
          <Field label="项目名称" name="name" defaultValue={v.name ?? ""} error={e.name} />
          <Field label="项目编码" name="code" defaultValue={v.code ?? ""} error={e.code} hint="可留空，由财政分配后补填" />
          <div className="field">
            <label htmlFor="category">项目分类</label>
            <select id="category" name="category" defaultValue={v.category ?? ""}>
              <option value="">—</option>
              {PROJECT_CATEGORIES.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </div>
        </div>
        <div className="form-row">
          <Field label="当年预算（万元）" name="budgetTotal" inputMode="decimal" defaultValue={v.budgetTotal ?? ""} error={e.budgetTotal} />
          <Field label="本级安排（万元）" name="budgetLocal" inputMode="decimal" defaultValue={v.budgetLocal ?? ""} error={e.budgetLocal} />
          <Field label="上级补助（万元）" name="budgetSuperior" inputMode="decimal" defaultValue={v.budgetSuperior ?? ""} error={e.budgetSuperior} />
        </div>
        {(
          [
            ["overview", "项目概况"],
            ["basis", "立项依据"],
            ["annualGoal", "当年绩效目标"],
          ] as const
        ).map(([k, label]) => (
          <div className="field" key={k}>
            <label htmlFor={k}>{label}</label>
            <textarea id={k} name={k} defaultValue={v[k] ?? ""} aria-invalid={e[k] ? true : undefined} />
            {e[k] ? <span className="field-error" role="alert">{e[k]}</span> : null}
          </div>
        ))}
        <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
          新建项目
        </button>
      </Form>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "新建项目 · jixiao" }];
