// The request side of every whole-round export (/monitoring/:roundId/xlsx,
// /evaluations/:roundId/xlsx): the round and its ?department=ID in the user's scope, and the
// plain-text answer of a refused export. The owners are models/round-export.server.ts.
import { notFound, requireUser } from "../auth/permissions.server";
import { getRound, type Round } from "../models/rounds.server";
import { parseId } from "../utils/query";

/** The signed-in user, the round of `kind` and the ?department=ID asked for; a 404 is thrown for a foreign round or an unreadable id. */
export async function roundExportRequest(request: Request, params: { roundId?: string }, kind: Round["kind"]) {
  const user = await requireUser(request);
  const round = getRound(user, Number(params.roundId), kind);
  if (!round) throw notFound();
  const raw = new URL(request.url).searchParams.get("department");
  const departmentId = raw ? parseId(raw) : null;
  if (raw && departmentId === null) throw notFound();
  return { user, round, departmentId };
}

/** A short Chinese message as the response (e.g. an export refused for its size). */
export function textResponse(status: number, message: string): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
