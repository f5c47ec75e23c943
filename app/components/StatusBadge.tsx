import type { TableStatus } from "../../db/schema";

/** Status labels of DOMAIN.md §7 and §8. */
export const STATUS_LABELS: Record<TableStatus, string> = {
  draft: "草稿",
  returned: "退回修改",
  department_review: "待主管部门审核",
  finance_review: "待财政审核",
  approved: "已批复",
  rejected: "不予安排",
};

const STATUS_TONES: Record<TableStatus, string> = {
  draft: "gray",
  returned: "amber",
  department_review: "blue",
  finance_review: "blue",
  approved: "green",
  rejected: "red",
};

export function StatusBadge({ status }: { status: TableStatus | null | undefined }) {
  if (!status) return <span className="badge badge-gray">未填报</span>;
  return <span className={`badge badge-${STATUS_TONES[status]}`}>{STATUS_LABELS[status]}</span>;
}
