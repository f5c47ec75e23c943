// The 项目支出绩效运行监控表 in its printed layout (the layout of the .xlsx export,
// app/io/xlsx/monitoring-layout.ts): title, 监控期间 / 单位：万元, the header, the budget
// block, then one row per indicator whose two header rows repeat on every printed page.
// Plain server-rendered HTML: readable and printable without JavaScript.
// Styles: app/styles/print-table.css and app/styles/monitoring-print.css (A4 landscape).
import { LIGHT_LABELS, type Light } from "~/domain/monitoring";
import { REPORT_STATE_LABELS } from "~/domain/report-workflow";
import {
  BUDGET_BLOCK_LABEL,
  BUDGET_CELLS,
  BUDGET_MEASURES_LABEL,
  BUDGET_REASON_LABEL,
  LAST_COLUMN,
  MONITORING_COLUMNS,
  REASON_GROUP_HEADER,
  TICK,
  monitoringPeriodText,
  monitoringTitle,
  type MonitoringSheetData,
} from "~/io/xlsx/monitoring-layout";
import { formatWan } from "~/utils/format";

const TOTAL = MONITORING_COLUMNS.reduce((w, c) => w + c.width, 0);

function Cols() {
  return (
    <colgroup>
      {MONITORING_COLUMNS.map((c) => (
        <col key={c.key} style={{ width: `${((c.width / TOTAL) * 100).toFixed(2)}%` }} />
      ))}
    </colgroup>
  );
}

function LightText({ light }: { light: Light | null | undefined }) {
  if (!light) return null;
  return <span className={`print-light print-light-${light}`}>{LIGHT_LABELS[light]}</span>;
}

const pct = (n: number | null) => (n === null ? "" : `${n.toFixed(2)}%`);
const wanText = (s: string) => (s.trim() === "" ? "" : s.trim());

export function MonitoringPrint({ data }: { data: MonitoringSheetData }) {
  const a = data.assessment;
  const span = (from: number, to: number) => to - from + 1;
  const budgetValues: Record<(typeof BUDGET_CELLS)[number]["key"], React.ReactNode> = {
    initial: data.budgetInitial === null ? "" : formatWan(data.budgetInitial),
    annual: wanText(data.form.budgetAnnual),
    executed: wanText(data.form.budgetExecuted),
    rate: pct(a.budget.executionRate),
    timeProgress: pct(a.timeProgress),
    light: <LightText light={a.budget.light} />,
  };
  const reasonColumns = MONITORING_COLUMNS.filter((c) => c.reason);
  const notes = [
    a.budget.light && a.budget.light !== "green" ? `预算执行：${a.budget.message}` : null,
    ...data.indicators.map((ind, i) => {
      const r = a.rows[i];
      return r?.light && r.light !== "green" ? `${ind.name ?? "（未命名）"}：${r.message}` : null;
    }),
    ...a.rows.flatMap((r) => r.warnings.map((w) => w.message)),
  ].filter((x): x is string => x !== null);
  const name = data.code ? `${data.code}-${data.name}` : data.name;
  return (
    <article className="official-form monitoring-form" aria-label={monitoringTitle(data)}>
      <h1 className="official-title">{monitoringTitle(data)}</h1>
      <div className="official-meta">
        <span>
          监控期间：{monitoringPeriodText(data)} · 状态：{data.status ? REPORT_STATE_LABELS[data.status] : "未填报"}
        </span>
        <span>单位：万元</span>
      </div>
      <table className="official official-header">
        <Cols />
        <tbody>
          <tr>
            <th scope="row">项目名称</th>
            <td colSpan={7} className="left">
              {name}
            </td>
            <th scope="row">主管部门</th>
            <td colSpan={LAST_COLUMN - 9} className="left">
              {data.departmentName}
            </td>
          </tr>
          <tr>
            <th scope="row">实施单位</th>
            <td colSpan={7} className="left">
              {data.unitName ?? data.departmentName}
            </td>
            <th scope="row">监控期间</th>
            <td colSpan={LAST_COLUMN - 9} className="left">
              {monitoringPeriodText(data)}
            </td>
          </tr>
          <tr>
            <th scope="rowgroup" rowSpan={2}>
              {BUDGET_BLOCK_LABEL}
            </th>
            {BUDGET_CELLS.map((b) => (
              <th key={b.key} scope="col" colSpan={span(b.from, b.to)}>
                {b.header}
              </th>
            ))}
          </tr>
          <tr>
            {BUDGET_CELLS.map((b) => (
              <td key={b.key} colSpan={span(b.from, b.to)} className={b.key === "light" ? undefined : "num"} data-budget={b.key}>
                {budgetValues[b.key]}
              </td>
            ))}
          </tr>
          <tr>
            <th scope="row">{BUDGET_REASON_LABEL}</th>
            <td colSpan={LAST_COLUMN - 1} className="prose">
              {data.form.budgetReason}
            </td>
          </tr>
          <tr>
            <th scope="row">{BUDGET_MEASURES_LABEL}</th>
            <td colSpan={LAST_COLUMN - 1} className="prose">
              {data.form.budgetMeasures}
            </td>
          </tr>
        </tbody>
      </table>
      <table className="official official-grid">
        <Cols />
        <thead>
          <tr>
            {MONITORING_COLUMNS.map((c, i) =>
              c.reason ? (
                i === MONITORING_COLUMNS.findIndex((x) => x.reason) ? (
                  <th key="reasons" scope="colgroup" colSpan={reasonColumns.length}>
                    {REASON_GROUP_HEADER}
                  </th>
                ) : null
              ) : (
                <th key={c.key} scope="col" rowSpan={2}>
                  {c.header}
                </th>
              ),
            )}
          </tr>
          <tr>
            {reasonColumns.map((c) => (
              <th key={c.key} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.indicators.length === 0 ? (
            <tr>
              <td colSpan={LAST_COLUMN} className="empty">
                （无绩效指标）
              </td>
            </tr>
          ) : (
            data.indicators.map((ind, i) => {
              const f = data.form.rows[i];
              return (
                <tr key={ind.id} data-indicator={ind.position}>
                  <td>{ind.level1 ?? ""}</td>
                  <td>{ind.level2 ?? ""}</td>
                  <td className="left">{ind.name ?? ""}</td>
                  <td>{ind.operator ?? ""}</td>
                  <td>{ind.target ?? ""}</td>
                  <td>{ind.unit ?? ""}</td>
                  <td>{f.actual}</td>
                  <td>{f.projected}</td>
                  <td>{f.likelihood}</td>
                  {reasonColumns.map((c) =>
                    c.key === "reasonText" ? (
                      <td key={c.key} className="prose">
                        {f.reasonText}
                      </td>
                    ) : (
                      <td key={c.key} aria-label={f.reasons.includes(c.key as never) ? `${c.header}：是` : undefined}>
                        {f.reasons.includes(c.key as never) ? TICK : ""}
                      </td>
                    ),
                  )}
                  <td className="prose">{f.measures}</td>
                  <td>
                    <LightText light={a.rows[i]?.light} />
                  </td>
                </tr>
              );
            })
          )}
        </tbody>
      </table>
      {notes.length ? (
        <section className="monitoring-notes" aria-label="预警说明">
          <h2>预警说明</h2>
          <ol>
            {notes.map((n, k) => (
              <li key={k}>{n}</li>
            ))}
          </ol>
        </section>
      ) : null}
    </article>
  );
}
