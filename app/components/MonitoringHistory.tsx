// 监控情况 on a project page: a table of every indicator across the monitoring rounds of the
// year (works without JavaScript, and is what screen readers read), and one ECharts line
// chart of the indicator picked in a selector: target, 截至本期完成值, 全年预计完成值.
import { Link } from "@remix-run/react";
import { useState } from "react";
import type { HistoryIndicator, MonitoringHistory as History } from "~/models/monitoring-history.server";
import { EChart } from "./EChart";
import { LightBadge } from "./Lights";
import { useHydrated } from "~/utils/use-hydrated";

const dash = (s: string | null | undefined) => (s === null || s === undefined || s === "" ? "—" : s);

export function MonitoringHistory({ history }: { history: History }) {
  const { rounds, indicators } = history;
  const charted = indicators.filter((i) => i.points.some((p) => p && (p.actualValue !== null || p.projectedValue !== null)));
  const [picked, setPicked] = useState(charted[0]?.key ?? "");
  // The selector drives the chart only, so it appears once the page runs JavaScript.
  const hydrated = useHydrated();
  const current = charted.find((i) => i.key === picked) ?? charted[0];

  return (
    <section className="card" aria-labelledby="monitoring-h" data-testid="monitoring-history">
      <h2 id="monitoring-h">监控情况</h2>
      {rounds.length === 0 ? (
        <p className="muted">本年度尚无监控填报。</p>
      ) : (
        <>
          {hydrated && current ? (
            <div>
              <div className="field">
                <label htmlFor="history-indicator">图表显示的指标</label>
                <select id="history-indicator" value={current.key} onChange={(e) => setPicked(e.target.value)}>
                  {charted.map((i) => (
                    <option key={i.key} value={i.key}>
                      {i.name}
                      {i.unit ? `（${i.unit}）` : ""}
                    </option>
                  ))}
                </select>
              </div>
              <EChart option={chartOption(current, rounds.map((r) => r.label))} height={240} testId="history-chart" />
            </div>
          ) : null}
          <div className="table-wrap">
            <table className="data" data-testid="history-table">
              <caption className="sr-only">各轮监控的目标值、截至本期完成值和全年预计完成值</caption>
              <thead>
                <tr>
                  <th scope="col" rowSpan={2}>
                    指标
                  </th>
                  <th scope="col" rowSpan={2}>
                    目标值
                  </th>
                  {rounds.map((r) => (
                    <th scope="colgroup" colSpan={2} key={r.roundId}>
                      <Link to={r.href}>{r.label}</Link> <span className="muted">（{r.statusLabel}）</span>
                    </th>
                  ))}
                </tr>
                <tr>
                  {rounds.map((r) => [
                    <th scope="col" className="num" key={`a${r.roundId}`}>
                      截至本期
                    </th>,
                    <th scope="col" className="num" key={`p${r.roundId}`}>
                      全年预计
                    </th>,
                  ])}
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th scope="row">预算执行率</th>
                  <td>—</td>
                  {rounds.map((r) => (
                    <td colSpan={2} className="num" key={r.roundId}>
                      {r.executionRate === null ? "—" : `${r.executionRate}%`} <LightBadge light={r.budgetLight} />
                    </td>
                  ))}
                </tr>
                {indicators.map((i) => (
                  <tr key={i.key}>
                    <th scope="row">
                      {i.name}
                      {i.unit ? <span className="muted">（{i.unit}）</span> : null}
                    </th>
                    <td>
                      {i.operator && i.operator !== "定性" ? i.operator : ""}
                      {dash(i.target)}
                    </td>
                    {i.points.map((p, n) =>
                      p
                        ? [
                            <td className="num" key={`a${n}`}>
                              {dash(p.actual)}
                            </td>,
                            <td className="num" key={`p${n}`}>
                              {dash(p.projected)} <LightBadge light={p.light} />
                            </td>,
                          ]
                        : [
                            <td colSpan={2} className="muted" key={n}>
                              （本轮无此指标）
                            </td>,
                          ],
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function chartOption(ind: HistoryIndicator, labels: string[]) {
  const series = (name: string, pick: (p: NonNullable<HistoryIndicator["points"][number]>) => number | null, style: Record<string, unknown>) => ({
    name,
    type: "line",
    connectNulls: true,
    data: ind.points.map((p) => (p ? pick(p) : null)),
    ...style,
  });
  return {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
    xAxis: { type: "category", data: labels },
    yAxis: { type: "value", name: ind.unit ?? "", scale: true },
    series: [
      series("目标值", (p) => p.targetValue, { step: "middle", symbol: "none", lineStyle: { type: "dotted", color: "#667085" }, itemStyle: { color: "#667085" } }),
      series("截至本期完成值", (p) => p.actualValue, { itemStyle: { color: "#1d4ed8" } }),
      series("全年预计完成值", (p) => p.projectedValue, { lineStyle: { type: "dashed" }, itemStyle: { color: "#d98c0a" } }),
    ],
  };
}
