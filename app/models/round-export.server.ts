// What every whole-round export (/monitoring/:roundId/xlsx, /evaluations/:roundId/xlsx)
// needs: the round and its ?department=ID in the user's scope, and the owners of the round in
// the order of the round page's list, bounded before anything is loaded.
import { notFound, requireUser } from "../auth/permissions.server";
import type { CurrentUser } from "../auth/types";
import { parseId } from "../utils/query";
import { listRoundEntries } from "./monitoring-overview.server";
import { listDepartments } from "./org.server";
import { getRound, type Round } from "./rounds.server";

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

/**
 * The owners of a round in the user's scope (or of one department in it), in the round
 * page's order. null when the department is not in the user's scope (→ 404); more than `max`
 * throws `tooMany(count)` before any owner is loaded.
 */
export function roundOwners(user: CurrentUser, round: Round, departmentId: number | null, max: number, tooMany: (count: number) => Error, now = new Date()) {
  const department = departmentId === null ? null : listDepartments(user).find((d) => d.id === departmentId);
  if (department === undefined) return null;
  const first = listRoundEntries(user, round, { departmentId, page: 1 }, now);
  if (first.total > max) throw tooMany(first.total);
  const owners = [...first.rows];
  for (let page = 2; owners.length < first.total; page++) {
    const next = listRoundEntries(user, round, { departmentId, page }, now).rows;
    if (next.length === 0) break;
    owners.push(...next);
  }
  return { department, owners };
}

/** A short Chinese message as the response (e.g. an export refused for its size). */
export function textResponse(status: number, message: string): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
