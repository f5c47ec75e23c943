// Field primitives of the rule-set form: every input labelled, errors tied with
// aria-describedby, values and errors addressed by the rule-set field path
// (app/domain/rule-set-form.ts).
import { many, one, type Errors, type FormValues } from "~/domain/rule-set-form";

export type FieldCtx = { values: FormValues; errors: Errors; uid: string };

export function errorsAt(errors: Errors, name: string): string[] {
  return Object.entries(errors)
    .filter(([path]) => path === name || path.startsWith(`${name}.`))
    .flatMap(([, msgs]) => msgs);
}

export function ErrorText({ id, messages }: { id: string; messages: string[] }) {
  if (!messages.length) return null;
  return (
    <span id={id} className="field-error" role="alert">
      {messages.join("；")}
    </span>
  );
}

export function fieldId(ctx: FieldCtx, name: string) {
  return `rs-${ctx.uid}-${name.replace(/[^A-Za-z0-9_-]/g, (c) => c.charCodeAt(0).toString(16))}`;
}

export function TextInput({ ctx, name, label, hint, wide }: { ctx: FieldCtx; name: string; label: string; hint?: string; wide?: boolean }) {
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

export function Checkbox({ ctx, name, label }: { ctx: FieldCtx; name: string; label: string }) {
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

export function CheckboxGroup({
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

export function Select({ ctx, name, label, options }: { ctx: FieldCtx; name: string; label: string; options: readonly (readonly [string, string])[] }) {
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

export function GroupErrors({ ctx, path }: { ctx: FieldCtx; path: string }) {
  const msgs = ctx.errors[path] ?? [];
  return msgs.length ? (
    <p className="field-error" role="alert">
      {msgs.join("；")}
    </p>
  ) : null;
}
