// The 监控填报 form: its field names, parsing from FormData-like input, and the conversion to
// what assessMonitoringEntry takes. Shared by the browser (live lights) and the server
// (re-validation), so both read the same fields the same way. Pure TypeScript.
import { z } from "zod";
import { DEVIATION_REASONS, LIKELIHOODS, type DeviationReason, type Likelihood, type MonitoringEntry } from "./monitoring";

const MAX_TEXT = 2000;
const text = z
  .string()
  .max(MAX_TEXT, `不能超过 ${MAX_TEXT} 字`)
  .default("");

export const monitoringRowSchema = z.object({
  actual: text,
  projected: text,
  likelihood: z.union([z.enum(LIKELIHOODS), z.literal("")]).default(""),
  reasons: z.array(z.enum(DEVIATION_REASONS)).default([]),
  reasonText: text,
  measures: text,
});

export const monitoringFormSchema = z.object({
  budgetAnnual: text,
  budgetExecuted: text,
  budgetReason: text,
  budgetMeasures: text,
  summary: text,
  rows: z.array(monitoringRowSchema).max(500),
});

export type MonitoringRowForm = z.infer<typeof monitoringRowSchema>;
export type MonitoringForm = z.infer<typeof monitoringFormSchema>;

export const emptyMonitoringRow = (): MonitoringRowForm => ({ actual: "", projected: "", likelihood: "", reasons: [], reasonText: "", measures: "" });

/**
 * Reads the posted fields (budgetAnnual, rows.3.actual, rows.3.reasons — repeated for
 * several ticks) into the form shape for `rowCount` rows. Unknown keys are ignored; a row
 * index beyond the table is ignored (the table decides how many rows there are).
 */
export function readMonitoringForm(entries: Iterable<[string, string]>, rowCount: number): unknown {
  const out: Record<string, unknown> = {};
  const rows: Array<Record<string, unknown>> = Array.from({ length: rowCount }, () => ({ reasons: [] as string[] }));
  for (const [key, value] of entries) {
    if (key === "budgetAnnual" || key === "budgetExecuted" || key === "budgetReason" || key === "budgetMeasures" || key === "summary") {
      out[key] = value;
      continue;
    }
    const m = /^rows\.(\d{1,4})\.(actual|projected|likelihood|reasons|reasonText|measures)$/.exec(key);
    if (!m) continue;
    const i = Number(m[1]);
    if (i >= rowCount) continue;
    if (m[2] === "reasons") (rows[i].reasons as string[]).push(value);
    else rows[i][m[2]] = value;
  }
  out.rows = rows;
  return out;
}

/** Zod issues → { "rows.2.likelihood": "…" } for the form. */
export function formErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".");
    if (!out[key]) out[key] = issue.code === "invalid_enum_value" ? "选项无效" : issue.message;
  }
  return out;
}

const nul = (s: string) => (s.trim() === "" ? null : s.trim());

export function rowToEntry(row: MonitoringRowForm): MonitoringEntry {
  return {
    cumulativeActual: nul(row.actual),
    projected: nul(row.projected),
    likelihood: (row.likelihood || null) as Likelihood | null,
    deviationReasons: row.reasons as DeviationReason[],
    deviationText: nul(row.reasonText),
    correctiveMeasures: nul(row.measures),
  };
}
