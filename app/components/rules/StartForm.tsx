// 「从内置规则集开始」 on the rule-set page (routes/rules.tsx): posts intent "start".
import { Form } from "@remix-run/react";
import { useId } from "react";
import type { Errors } from "~/domain/rule-set-form";

export function StartForm({
  year,
  builtins,
  replaces,
  data,
}: {
  year: number;
  builtins: { name: string; title: string; description: string }[];
  replaces: boolean;
  data: { errors: Errors; formErrors: string[] } | null;
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
