import { LIGHT_LABELS, type Light } from "../domain/monitoring";
import { REPORT_STATE_LABELS, type ReportState } from "../domain/report-workflow";

const LIGHT_TONES: Record<Light, string> = { green: "green", yellow: "amber", red: "red" };

/** A traffic light as text plus colour (never colour alone). */
export function LightBadge({ light, title }: { light: Light | string | null | undefined; title?: string }) {
  if (!light || !(light in LIGHT_TONES)) return <span className="badge badge-gray" title={title}>未亮灯</span>;
  const l = light as Light;
  return (
    <span className={`badge badge-${LIGHT_TONES[l]}`} title={title} data-light={l}>
      {LIGHT_LABELS[l]}
    </span>
  );
}

const REPORT_TONES: Record<ReportState, string> = {
  draft: "gray",
  returned: "amber",
  pending_department: "blue",
  pending_finance: "blue",
  approved: "green",
};

export function ReportStatusBadge({ status }: { status: string | null | undefined }) {
  if (!status || !(status in REPORT_TONES)) return <span className="badge badge-gray">未填报</span>;
  const s = status as ReportState;
  return <span className={`badge badge-${REPORT_TONES[s]}`}>{REPORT_STATE_LABELS[s]}</span>;
}

/** Counts of lights as "绿 3 · 黄 1 · 红 0". */
export function LightCounts({ green, yellow, red }: { green: number; yellow: number; red: number }) {
  return (
    <span className="light-counts">
      <span className="tone-green">绿 {green}</span> · <span className="tone-amber">黄 {yellow}</span> · <span className="tone-red">红 {red}</span>
    </span>
  );
}
