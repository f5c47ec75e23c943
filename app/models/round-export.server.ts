// The owners of a round for a whole-round export (/monitoring/:roundId/xlsx,
// /evaluations/:roundId/xlsx), in the order of the round page's list, bounded before
// anything is loaded. Reading the request is app/http/round-export.server.ts.
import type { CurrentUser } from "../auth/types";
import { listRoundEntries } from "./monitoring-overview.server";
import { listDepartments } from "./org.server";
import type { Round } from "./rounds.server";

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
