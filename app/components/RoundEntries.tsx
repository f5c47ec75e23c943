// The list of a round's entries (the drill-down target of every count and chart bar) on the
// 监控 and 自评 round pages: project, department and status, then the kind's own columns.
import { Link } from "@remix-run/react";
import { ReportStatusBadge } from "./Lights";

type Entry = {
  kind: string;
  ownerId: number;
  href: string;
  name: string;
  unitName: string | null;
  departmentName: string;
  status: string | null;
  overdue: boolean;
};

export type EntryColumn<E> = { head: string; num?: boolean; cell: (e: E) => React.ReactNode };

export function RoundEntriesTable<E extends Entry>({ rows, columns, empty }: { rows: E[]; columns: EntryColumn<E>[]; empty: string }) {
  return (
    <div className="table-wrap">
      <table className="data" data-testid="entries-table">
        <thead>
          <tr>
            <th scope="col">项目</th>
            <th scope="col">主管部门</th>
            <th scope="col">状态</th>
            {columns.map((c) => (
              <th scope="col" key={c.head} className={c.num ? "num" : undefined}>
                {c.head}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={3 + columns.length} className="empty">
                {empty}
              </td>
            </tr>
          ) : (
            rows.map((e) => (
              <tr key={`${e.kind}-${e.ownerId}`}>
                <td>
                  <Link to={e.href}>{e.name}</Link>
                  {e.unitName ? <div className="muted">{e.unitName}</div> : null}
                </td>
                <td>{e.departmentName}</td>
                <td>
                  <ReportStatusBadge status={e.status} />
                  {e.overdue ? <span className="badge badge-red"> 已逾期</span> : null}
                </td>
                {columns.map((c) => (
                  <td key={c.head} className={c.num ? "num" : undefined}>
                    {c.cell(e)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

export const rateText = (rate: number | null) => (rate === null ? "—" : `${rate / 100}%`);
