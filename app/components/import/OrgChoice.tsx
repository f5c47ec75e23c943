import { useState } from "react";
import { Field } from "~/components/Field";
import { NEW } from "./types";
import { useHydrated } from "~/utils/use-hydrated";

type Option = { id: number; code: string; name: string };

export type OrgChoiceProps = {
  /** The select's field name, e.g. `department-0`. */
  name: string;
  label: string;
  value: string;
  error?: string;
  /** What the empty value means: 「请选择…」 (a choice is required) or 「不指定」. */
  emptyLabel: string;
  /** The closest existing names, best first, with their similarity 0–1. */
  suggestions: (Option & { score: number })[];
  suggestionsLabel: string;
  /** Every other option, grouped (suggested ones are not repeated). */
  groups: { label: string; options: Option[] }[];
  newLabel: string;
  newFields: { code: string; name: string; codeLabel: string; nameLabel: string; values: { code: string; name: string }; errors: { code?: string; name?: string } };
  hint: string | null;
};

/**
 * Where a table goes: an existing organisation (the closest names first) or a new one. Plain
 * form controls: without JavaScript the new organisation's fields are always shown (and only
 * read when 「新建」 is chosen); with it they appear when 「新建」 is chosen.
 */
export function OrgChoice(p: OrgChoiceProps) {
  const [choice, setChoice] = useState(p.value);
  const hydrated = useHydrated();
  const hintId = `${p.name}-hint`;
  const errorId = `${p.name}-error`;
  const describedBy = [p.hint ? hintId : null, p.error ? errorId : null].filter(Boolean).join(" ") || undefined;
  const showNew = !hydrated || choice === NEW;
  const f = p.newFields;
  return (
    <>
      <div className="field">
        <label htmlFor={p.name}>{p.label}</label>
        <select id={p.name} name={p.name} value={choice} onChange={(e) => setChoice(e.currentTarget.value)} aria-invalid={p.error ? true : undefined} aria-describedby={describedBy}>
          <option value="">{p.emptyLabel}</option>
          {p.suggestions.length ? (
            <optgroup label={p.suggestionsLabel}>
              {p.suggestions.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.code}-{s.name}（相近 {Math.round(s.score * 100)}%）
                </option>
              ))}
            </optgroup>
          ) : null}
          {p.groups
            .filter((g) => g.options.length)
            .map((g) => (
              <optgroup key={g.label} label={g.label}>
                {g.options.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.code}-{o.name}
                  </option>
                ))}
              </optgroup>
            ))}
          <option value={NEW}>{p.newLabel}</option>
        </select>
        {p.hint ? (
          <span id={hintId} className="hint">
            {p.hint}
          </span>
        ) : null}
        {p.error ? (
          <span id={errorId} className="field-error" role="alert">
            {p.error}
          </span>
        ) : null}
      </div>
      {showNew ? (
        <>
          <Field label={f.codeLabel} name={f.code} defaultValue={f.values.code} error={f.errors.code} hint={hydrated ? undefined : `选择「${p.newLabel.replace(/…$/, "")}」时填写`} />
          <Field label={f.nameLabel} name={f.name} defaultValue={f.values.name} error={f.errors.name} />
        </>
      ) : (
        <>
          <input type="hidden" name={f.code} value={f.values.code} />
          <input type="hidden" name={f.name} value={f.values.name} />
        </>
      )}
    </>
  );
}
