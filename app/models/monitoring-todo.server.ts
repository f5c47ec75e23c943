// What monitoring (or the self-evaluation) asks of a user now, for 工作台 and the 监控 / 自评
// pages: the entries they must fill in open rounds (not started, 草稿 or 退回修改) with the
// days left, the entries waiting for their review, and open 整改 items (monitoring only).
import type { CurrentUser } from "../auth/types";
import { daysLeft, shanghaiDate } from "../domain/rounds";
import { listRoundEntries } from "./monitoring-overview.server";
import { pendingRectifications } from "./rectifications.server";
import { countReportTodo } from "./reports.server";
import { roundsOfYear } from "./rounds.server";

const MAX_ENTRIES = 50;

export function monitoringTodo(user: CurrentUser, year = user.currentYear, now = new Date(), kind: "monitoring" | "evaluation" = "monitoring") {
  const fillKind = user.role === "unit" ? "project" : user.role === "department" ? "department" : null;
  // Only fillers have entries to fill; the rounds' counts are not needed here.
  const open = fillKind ? roundsOfYear(user, kind, year, now).filter((r) => r.phase === "open") : [];
  const toFill = fillKind
    ? open.flatMap((round) =>
        listRoundEntries(user, round, { status: null }, now)
          .rows.filter((e) => e.kind === fillKind && (e.status === null || e.status === "draft" || e.status === "returned"))
          .map((e) => ({
            roundId: round.id,
            roundLabel: round.label,
            dueOn: shanghaiDate(round.dueAt),
            daysLeft: daysLeft(round.dueAt, now),
            overdue: e.overdue,
            name: e.name,
            href: e.href,
            status: e.status,
          })),
      ).slice(0, MAX_ENTRIES)
    : [];
  const counts = countReportTodo(user, kind);
  return { toFill, review: counts.review, returned: counts.returned, rectifications: kind === "monitoring" ? pendingRectifications(user) : [] };
}
