// The POST handler shared by the pages that show a target table (项目 and 部门整体):
// 保存草稿 / 提交审核 from the editor, and the review actions. Every failure comes back with
// the user's input so the page can show it again (status 400 / 409), success redirects.
import { z } from "zod";
import type { CurrentUser } from "../auth/types";
import { forbidden, notFound } from "../auth/permissions.server";
import { checkTable } from "../domain/rules";
import { editorFormSchema, unflattenForm, zodFieldErrors } from "../domain/table-form";
import { RATINGS, type WorkflowAction } from "../domain/workflow";
import { historyForStoredTable } from "../models/results.server";
import { ruleSetFor } from "../models/rulesets.server";
import { getTableInScope, performAction, saveDraft, tableToExchange, type TableContext } from "../models/workflow.server";

export type TableActionData = {
  ok: boolean;
  message: string;
  /** Field errors keyed by form name, e.g. "indicators.3.weight". */
  errors?: Record<string, string>;
  /** The editor's values as posted, shown again so nothing typed is lost. */
  values?: unknown;
  /** The review form's values as posted. */
  reviewValues?: Record<string, string>;
  /** What blocks a submission. */
  reasons?: string[];
  conflict?: boolean;
};

export type TableActionResult =
  | { redirectTo: string; status?: undefined; data?: undefined }
  | { redirectTo?: undefined; status: number; data: TableActionData };

const reviewSchema = z.object({
  intent: z.enum(["approve", "return", "reject", "request_adjustment"]),
  tableId: z.coerce.number().int().positive(),
  comment: z.string().max(2000, "审核意见不能超过 2000 字").default(""),
  rating: z.union([z.enum(RATINGS), z.literal("")]).default(""),
});

export async function handleTableAction(
  user: CurrentUser,
  request: Request,
  belongs: (ctx: TableContext) => boolean,
): Promise<TableActionResult> {
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  if (intent === "save" || intent === "submit") return editorAction(user, formData, intent, belongs);
  return reviewAction(user, formData, belongs);
}

async function editorAction(
  user: CurrentUser,
  formData: FormData,
  intent: "save" | "submit",
  belongs: (ctx: TableContext) => boolean,
): Promise<TableActionResult> {
  const tableId = Number(formData.get("tableId"));
  const ctx = getTableInScope(user, tableId);
  if (!ctx || !belongs(ctx)) throw notFound();
  const raw = unflattenForm(formData.entries());
  const values = {
    budgetExecutionWeight: typeof raw.budgetExecutionWeight === "string" ? raw.budgetExecutionWeight : "",
    indicators: Array.isArray(raw.indicators) ? raw.indicators : [],
    ...(raw.header ? { header: raw.header } : {}),
  };
  const parsed = editorFormSchema.safeParse(values);
  if (!parsed.success) {
    return { status: 400, data: { ok: false, message: "有内容不符合要求，请按提示修改（已填写的内容均已保留）。", errors: zodFieldErrors(parsed.error), values } };
  }
  const saved = saveDraft(user, ctx, {
    revision: Number(formData.get("revision")),
    form: parsed.data,
    header: parsed.data.header ?? null,
  });
  if (!saved.ok) {
    if (saved.status === 403) throw forbidden();
    return { status: saved.status, data: { ok: false, message: saved.reason, conflict: saved.conflict ?? false, values } };
  }
  if (intent === "save") return { redirectTo: `${ctx.href.split("?")[0]}?version=${ctx.table.version}&saved=1` };

  const fresh = getTableInScope(user, ctx.table.id)!;
  const result = performAction(user, fresh, { action: "submit" });
  if (!result.ok) {
    // The draft is saved; list what blocks the submission.
    const exchange = tableToExchange(fresh);
    const history = historyForStoredTable(fresh.table.id, exchange);
    const findings = checkTable(exchange, ruleSetFor(user.regionId, fresh.year), history).filter((f) => f.severity === "error");
    return {
      status: 400,
      data: {
        ok: false,
        message: `草稿已保存，但不能提交审核：${result.reason}`,
        reasons: findings.map((f) => f.message),
        values,
      },
    };
  }
  return { redirectTo: fresh.href };
}

async function reviewAction(user: CurrentUser, formData: FormData, belongs: (ctx: TableContext) => boolean): Promise<TableActionResult> {
  const form = Object.fromEntries(formData) as Record<string, string>;
  const parsed = reviewSchema.safeParse(form);
  if (!parsed.success) {
    return { status: 400, data: { ok: false, message: "无法识别的操作", errors: zodFieldErrors(parsed.error), reviewValues: form } };
  }
  const ctx = getTableInScope(user, parsed.data.tableId);
  if (!ctx || !belongs(ctx)) throw notFound();
  const indicatorComments = Object.entries(form)
    .filter(([k, v]) => k.startsWith("indicatorComment.") && v.trim() !== "")
    .map(([k, v]) => ({ position: Number(k.split(".")[1]), comment: v.trim().slice(0, 500) }))
    .filter((c) => Number.isInteger(c.position));
  const result = performAction(user, ctx, {
    action: parsed.data.intent as WorkflowAction,
    comment: parsed.data.comment,
    rating: parsed.data.rating || null,
    indicatorComments,
  });
  if (!result.ok) {
    if (result.status === 403) throw forbidden();
    return { status: result.status, data: { ok: false, message: result.reason, reviewValues: form } };
  }
  const base = ctx.href.split("?")[0];
  if (result.newTableId) {
    const next = getTableInScope(user, result.newTableId)!;
    return { redirectTo: `${base}?version=${next.table.version}` };
  }
  return { redirectTo: `${base}?version=${ctx.table.version}` };
}
