import { formatHundredths } from "~/utils/format";

export type IndicatorRow = {
  id?: number;
  position: number;
  level1: string | null;
  level2: string | null;
  name: string | null;
  weight: number | null;
  unit: string | null;
  operator: string | null;
  target: string | null;
  core: boolean | null;
};

/** Read-only 绩效指标 grid in the published column order. Weights are hundredths. */
export function IndicatorTable({
  rows,
  findingsByRow,
}: {
  rows: IndicatorRow[];
  findingsByRow?: Map<number, { severity: string; message: string }[]>;
}) {
  return (
    <div className="table-wrap">
      <table className="data">
        <thead>
          <tr>
            <th className="num">序号</th>
            <th>一级指标</th>
            <th>二级指标</th>
            <th>三级指标</th>
            <th className="num">指标权重</th>
            <th>计量单位</th>
            <th>指标性质</th>
            <th>指标值</th>
            <th>是否核心指标</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={9} className="empty">
                尚无指标
              </td>
            </tr>
          ) : (
            rows.map((r, i) => {
              const findings = findingsByRow?.get(i) ?? [];
              return (
                <tr key={r.id ?? i}>
                  <td className="num">{i + 1}</td>
                  <td>{r.level1 ?? "—"}</td>
                  <td>{r.level2 ?? "—"}</td>
                  <td>
                    {r.name ?? <span className="muted">（未命名）</span>}
                    {findings.map((f, j) => (
                      <div key={j} className={f.severity === "error" ? "field-error" : "muted"}>
                        {f.severity === "error" ? "✕ " : "⚠ "}
                        {f.message}
                      </div>
                    ))}
                  </td>
                  <td className="num">{formatHundredths(r.weight)}</td>
                  <td>{r.unit ?? ""}</td>
                  <td>{r.operator ?? ""}</td>
                  <td>{r.target ?? ""}</td>
                  <td>{r.core === null ? "" : r.core ? "是" : "否"}</td>
                </tr>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}
