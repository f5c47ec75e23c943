// The frame of every report page (监控填报, 绩效自评): the header with the owner, its table
// version, status and deadline, and the alerts after an action (saved, or refused with the
// list of what is missing).
import { Link } from "@remix-run/react";
import { ReportStatusBadge } from "./Lights";

type HeaderData = {
  owner: { name: string; departmentName: string; unitName: string | null };
  table: { version: number };
  report: unknown;
  status: string;
  overdue: boolean;
  entryOpen: boolean;
  daysLeft: number;
  round: { dueOn: string };
};

export function EntryHeader({ data, back, children }: { data: HeaderData; back: { to: string; label: string }; children?: React.ReactNode }) {
  return (
    <div className="page-header">
      <div>
        <p className="muted">
          <Link to={back.to}>{back.label}</Link>
        </p>
        <h1>{data.owner.name}</h1>
        <p className="muted">
          {data.owner.departmentName}
          {data.owner.unitName ? ` · ${data.owner.unitName}` : ""} · 绩效目标表第 {data.table.version} 版 · <ReportStatusBadge status={data.report ? data.status : null} />
          {data.overdue ? <span className="badge badge-red"> 已逾期</span> : data.entryOpen ? ` · 截止 ${data.round.dueOn}（剩 ${data.daysLeft} 天）` : " · 填报未开放"}
        </p>
      </div>
      <div className="actions no-print">{children}</div>
    </div>
  );
}

export function EntryAlerts({ savedMessage, failure }: { savedMessage: string | null; failure: { reason: string; missing: string[] } | undefined }) {
  return (
    <>
      {savedMessage && !failure ? (
        <div className="alert alert-success" role="status">
          {savedMessage}
        </div>
      ) : null}
      {failure?.reason ? (
        <div className="alert alert-error" role="alert" data-testid="entry-error">
          <p>{failure.reason}</p>
          {failure.missing.length > 0 ? (
            <ul>
              {failure.missing.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
