import { STATE_LABELS, type TableState } from "../domain/workflow";

/** Status labels of docs/domain.md §7 and §8 (the workflow's own, under the name the pages use). */
export const STATUS_LABELS: Record<TableState, string> = STATE_LABELS;

const STATUS_TONES: Record<TableState, string> = {
  draft: "gray",
  returned: "amber",
  pending_department: "blue",
  pending_finance: "blue",
  approved: "green",
  rejected: "red",
  superseded: "gray",
};

export function StatusBadge({ status }: { status: TableState | null | undefined }) {
  if (!status) return <span className="badge badge-gray">未填报</span>;
  return <span className={`badge badge-${STATUS_TONES[status]}`}>{STATUS_LABELS[status]}</span>;
}
