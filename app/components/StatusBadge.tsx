import type { TableStatus } from "../../db/schema";
import { STATE_LABELS } from "../domain/workflow";

/** Status labels of DOMAIN.md §7 and §8. */
export const STATUS_LABELS: Record<TableStatus, string> = STATE_LABELS;

const STATUS_TONES: Record<TableStatus, string> = {
  draft: "gray",
  returned: "amber",
  pending_department: "blue",
  pending_finance: "blue",
  approved: "green",
  rejected: "red",
  superseded: "gray",
};

export function StatusBadge({ status }: { status: TableStatus | null | undefined }) {
  if (!status) return <span className="badge badge-gray">未填报</span>;
  return <span className={`badge badge-${STATUS_TONES[status]}`}>{STATUS_LABELS[status]}</span>;
}
