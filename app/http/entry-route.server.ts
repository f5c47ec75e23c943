// The loader and action behind both entry pages (/monitoring/:roundId/p/:projectId and
// /monitoring/:roundId/d/:targetId), so the two routes stay thin and identical.
import { json, redirect } from "@remix-run/node";
import { notFound, requireUser } from "../auth/permissions.server";
import { readMonitoringForm } from "../domain/monitoring-form";
import type { ReportAction } from "../domain/report-workflow";
import { shanghaiDate } from "../domain/rounds";
import { answerRectification, decideRectification, issueRectification, listRectifications } from "../models/rectifications.server";
import { loadEntry, reviewEntry, saveEntry, type OwnerRef } from "../models/reports.server";
import { getRound, type Round } from "../models/rounds.server";
import type { RoundKind } from "../../db/schema";
import type { CurrentUser } from "../auth/types";

export type Params = { roundId?: string; ownerId?: string };

/**
 * The signed-in user, the round (of `roundKind`, in their region) and the entry `load` lets
 * them see, or a 404: monitoring entries here, self-evaluations in evaluation-route.server.ts.
 */
export async function entryOfRound<V>(
  request: Request,
  params: Params,
  kind: OwnerRef["kind"],
  roundKind: RoundKind,
  load: (user: CurrentUser, round: Round, ref: OwnerRef) => V | null,
) {
  const user = await requireUser(request);
  const ref: OwnerRef = { kind, id: Number(params.ownerId) };
  const round = getRound(user, Number(params.roundId), roundKind);
  const view = round ? load(user, round, ref) : null;
  if (!round || !view) throw notFound();
  return { user, round, ref, view };
}

const entryInScope = (request: Request, params: Params, kind: OwnerRef["kind"]) => entryOfRound(request, params, kind, "monitoring", loadEntry);

export async function entryLoader(request: Request, params: Params, kind: OwnerRef["kind"]) {
  const { user, view } = await entryInScope(request, params, kind);
  const { round: r, ...rest } = view;
  return json({
    ...rest,
    round: { id: r.id, year: r.year, period: r.period, label: r.label, phase: r.phase, dueOn: shanghaiDate(view.due) },
    role: user.role,
    ownerKind: kind,
    rectifications: view.report ? listRectifications(view.report.id) : [],
    today: shanghaiDate(new Date()),
  });
}

export const str = (form: FormData, key: string) => {
  const v = form.get(key);
  return typeof v === "string" ? v : "";
};
export const revisionOf = (form: FormData) => {
  const v = str(form, "revision");
  return /^\d{1,9}$/.test(v) ? Number(v) : null;
};

export async function entryAction(request: Request, params: Params, kind: OwnerRef["kind"]) {
  const { user, round, ref, view } = await entryInScope(request, params, kind);
  const form = await request.formData();
  const intent = str(form, "intent");
  const here = new URL(request.url).pathname;

  if (intent === "save" || intent === "submit") {
    const entries = [...form.entries()].filter((e): e is [string, string] => typeof e[1] === "string");
    const raw = readMonitoringForm(entries, view.indicators.length);
    const result = saveEntry(user, round, ref, { intent, revision: revisionOf(form), raw });
    if (!result.ok) {
      return json({ kind: "entry" as const, reason: result.reason, errors: (result.errors ?? {}) as Record<string, string>, missing: result.missing ?? [], values: raw }, { status: result.status });
    }
    return redirect(`${here}?saved=${intent}`);
  }
  if (intent === "approve" || intent === "return") return reviewIntent(user, round, ref, view.indicators, form, intent, here);
  if (intent === "rectify") {
    const values = { requirement: str(form, "requirement"), dueOn: str(form, "dueOn") };
    const result = issueRectification(user, round, ref, values);
    if (!result.ok) return json({ kind: "rectify" as const, reason: result.reason, errors: (result.errors ?? {}) as Record<string, string>, missing: [], values }, { status: result.status });
    return redirect(`${here}?saved=rectify#rectifications`);
  }
  if (intent === "rect-answer") {
    const values = { answer: str(form, "answer") };
    const result = answerRectification(user, Number(str(form, "rectId")), { answer: values.answer, revision: revisionOf(form) });
    if (!result.ok) return json({ kind: "rect-answer" as const, reason: result.reason, errors: (result.errors ?? {}) as Record<string, string>, missing: [], values }, { status: result.status });
    return redirect(`${here}?saved=rect-answer#rectifications`);
  }
  if (intent === "rect-close" || intent === "rect-return") {
    const values = { note: str(form, "note") };
    const result = decideRectification(user, Number(str(form, "rectId")), { decision: intent === "rect-close" ? "close" : "return", note: values.note, revision: revisionOf(form) });
    if (!result.ok) return json({ kind: intent, reason: result.reason, errors: (result.errors ?? {}) as Record<string, string>, missing: [], values }, { status: result.status });
    return redirect(`${here}?saved=${intent}#rectifications`);
  }
  return json({ kind: "entry" as const, reason: "无效的操作", errors: {} as Record<string, string>, missing: [] as string[], values: null }, { status: 400 });
}

/** 审核通过 / 退回修改 with 审核意见 and per-row comments: the same for every kind of report. */
export function reviewIntent(
  user: Parameters<typeof reviewEntry>[0],
  round: Parameters<typeof reviewEntry>[1],
  ref: OwnerRef,
  indicators: Array<{ position: number }>,
  form: FormData,
  intent: "approve" | "return",
  here: string,
) {
  const rowComments = indicators.map((i) => ({ position: i.position, comment: str(form, `rowComment.${i.position}`) }));
  const result = reviewEntry(user, round, ref, { action: intent as ReportAction, comment: str(form, "comment"), rowComments, revision: revisionOf(form) });
  if (!result.ok) {
    return json(
      { kind: "review" as const, reason: result.reason, errors: {} as Record<string, string>, missing: [] as string[], values: { comment: str(form, "comment") } as unknown },
      { status: result.status },
    );
  }
  return redirect(`${here}?saved=${intent}`);
}
