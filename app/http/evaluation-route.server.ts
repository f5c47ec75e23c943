// The loader and action behind both 绩效自评 pages (/evaluations/:roundId/p/:projectId and
// /evaluations/:roundId/d/:targetId), so the two routes stay thin and identical.
import { json, redirect } from "@remix-run/node";
import { readEvaluationForm } from "../domain/evaluation-form";
import { shanghaiDate } from "../domain/rounds";
import { entryOfRound, reviewIntent, revisionOf, str, type Params } from "./entry-route.server";
import { adjustScore, loadEvaluation, saveEvaluation } from "../models/evaluations.server";
import type { OwnerRef } from "../models/reports.server";

const evaluationInScope = (request: Request, params: Params, kind: OwnerRef["kind"]) => entryOfRound(request, params, kind, "evaluation", loadEvaluation);

export async function evaluationLoader(request: Request, params: Params, kind: OwnerRef["kind"]) {
  const { user, view } = await evaluationInScope(request, params, kind);
  const { round: r, ...rest } = view;
  return json({
    ...rest,
    round: { id: r.id, year: r.year, label: r.label, phase: r.phase, dueOn: shanghaiDate(view.due) },
    role: user.role,
    ownerKind: kind,
  });
}

type Failure = { kind: "entry" | "review" | "adjust"; reason: string; errors: Record<string, string>; missing: string[]; values: unknown };

export async function evaluationAction(request: Request, params: Params, kind: OwnerRef["kind"]) {
  const { user, round, ref, view } = await evaluationInScope(request, params, kind);
  const form = await request.formData();
  const intent = str(form, "intent");
  const here = new URL(request.url).pathname;
  const fail = (status: number, f: Failure) => json(f, { status });

  if (intent === "save" || intent === "submit") {
    const entries = [...form.entries()].filter((e): e is [string, string] => typeof e[1] === "string");
    const raw = readEvaluationForm(entries, view.indicators.length);
    const result = saveEvaluation(user, round, ref, { intent, revision: revisionOf(form), raw });
    if (!result.ok) return fail(result.status, { kind: "entry", reason: result.reason, errors: result.errors ?? {}, missing: result.missing ?? [], values: raw });
    return redirect(`${here}?saved=${intent}`);
  }
  if (intent === "approve" || intent === "return") return reviewIntent(user, round, ref, view.indicators, form, intent, here);
  if (intent === "adjust") {
    const values = { position: str(form, "position"), score: str(form, "score"), reason: str(form, "reason") };
    const position = /^\d{1,4}$/.test(values.position) ? Number(values.position) : -1;
    const result = adjustScore(user, round, ref, { position, score: values.score, reason: values.reason, revision: revisionOf(form) });
    if (!result.ok) return fail(result.status, { kind: "adjust", reason: result.reason, errors: result.errors ?? {}, missing: [], values });
    return redirect(`${here}?saved=adjust#adjust`);
  }
  return fail(400, { kind: "entry", reason: "无效的操作", errors: {}, missing: [], values: null });
}
