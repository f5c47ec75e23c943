// The loader and action of the two round lists (/monitoring and /evaluations): rounds of a
// year with their progress, what waits for the user, and finance's form to open a round.
import { json, redirect } from "@remix-run/node";
import type { RoundKind } from "../../db/schema";
import { notFound, requireRole, requireUser } from "../auth/permissions.server";
import { PERIODS } from "../domain/monitoring";
import { allowedPeriods, shanghaiDate } from "../domain/rounds";
import { parseYear } from "../utils/query";
import { monitoringTodo } from "../models/monitoring-todo.server";
import { closeReopening, closeRound, getRound, listRounds, openRound, reopenRound } from "../models/rounds.server";
import { ruleSetFor } from "../models/rulesets.server";

export const roundsPath = (kind: RoundKind) => (kind === "evaluation" ? "/evaluations" : "/monitoring");

export async function roundsIndexLoader(request: Request, kind: RoundKind) {
  const user = await requireUser(request);
  const year = parseYear(new URL(request.url).searchParams.get("year"), user.currentYear);
  const now = new Date();
  const periods = user.role === "finance" && kind === "monitoring" ? allowedPeriods(ruleSetFor(user.regionId, year).monitoring.periods) : [];
  return json({
    kind,
    role: user.role,
    year,
    rounds: listRounds(user, kind, year).map((r) => ({
      id: r.id,
      label: r.label,
      phase: r.phase,
      opensOn: shanghaiDate(r.opensAt),
      dueOn: shanghaiDate(r.dueAt),
      due: r.due,
      counts: r.counts,
      overdue: r.phase === "open" && now > r.dueAt,
    })),
    todo: monitoringTodo(user, year, now, kind),
    periods: periods.map((p) => ({ value: p, label: PERIODS[p].label })),
    today: shanghaiDate(now),
  });
}

export async function roundsIndexAction(request: Request, kind: RoundKind) {
  const user = await requireRole(request, ["finance"]);
  const form = await request.formData();
  const field = (k: string) => {
    const v = form.get(k);
    return typeof v === "string" ? v : "";
  };
  const values = { year: field("year"), period: field("period"), opensOn: field("opensOn"), dueOn: field("dueOn") };
  const result = openRound(user, { year: Number(values.year), kind, period: values.period, opensOn: values.opensOn, dueOn: values.dueOn });
  if (!result.ok) return json({ errors: result.errors, values }, { status: result.status });
  return redirect(`${roundsPath(kind)}/${result.id}`);
}

/** Finance's actions on one round: close it, reopen it for a department or owner, end a reopening. */
export async function roundAdminAction(request: Request, params: { roundId?: string }, kind: RoundKind) {
  const user = await requireUser(request);
  const round = getRound(user, Number(params.roundId), kind);
  if (!round) throw notFound();
  type Values = { target: string; reason: string; dueOn: string } | null;
  const refuse = (status: number, errors: Record<string, string>, values: Values = null) => json({ errors, values }, { status });
  if (user.role !== "finance") return refuse(403, { form: "只有财政局可以管理任务" });
  const form = await request.formData();
  const field = (k: string) => {
    const v = form.get(k);
    return typeof v === "string" ? v : "";
  };
  const intent = field("intent");
  if (intent === "close") {
    const r = closeRound(user, round);
    if (!r.ok) return refuse(r.status, { form: r.reason });
  } else if (intent === "reopen") {
    const values = { target: field("target"), reason: field("reason"), dueOn: field("dueOn") };
    const r = reopenRound(user, round, values);
    if (!r.ok) return refuse(r.status, r.errors, values);
  } else if (intent === "close-reopening") {
    const r = closeReopening(user, round, Number(field("reopeningId")));
    if (!r.ok) return refuse(r.status, { form: r.reason });
  } else {
    return refuse(400, { form: "无效的操作" });
  }
  return redirect(`${roundsPath(kind)}/${round.id}`);
}
