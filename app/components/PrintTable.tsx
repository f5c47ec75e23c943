// A 绩效目标表 in the official printed layout (the layout of the published tables and of
// the .xlsx export, app/io/xlsx/export.ts): title, 编制单位 / 单位：万元, the header block,
// then the indicator grid whose column headers repeat on every printed page.
// Styles: app/styles/print-table.css (the route that renders this links it).
import type { ExchangeTable } from "~/domain/schemas";
import { EXPORT_LABELS as L, GRID_COLUMNS, formatCodeName } from "~/io/xlsx/layout";
import { formatWanNumber } from "~/utils/format";

/** Column widths of the form (Excel character units of the exported sheet), as percentages. */
const WIDTHS = [13, 12, 15, 24, 9.5, 14, 9.5, 12, 9.5];
const TOTAL = WIDTHS.reduce((a, b) => a + b, 0);

function Cols() {
  return (
    <colgroup>
      {WIDTHS.map((w, i) => (
        <col key={i} style={{ width: `${((w / TOTAL) * 100).toFixed(2)}%` }} />
      ))}
    </colgroup>
  );
}

function num(n: number | null | undefined): string {
  return n == null ? "" : String(n);
}

export function printTitle(table: ExchangeTable): string {
  const year = table.year != null ? `${table.year}年` : "";
  return table.kind === "department" ? `${year}部门（单位）整体绩效目标表` : `${year}项目支出绩效目标表`;
}

function Pair({ l1, v1, l2, v2, numeric }: { l1: string; v1: string | null | undefined; l2: string; v2: string | null | undefined; numeric?: [boolean, boolean] }) {
  return (
    <tr>
      <th scope="row">{l1}</th>
      <td colSpan={4} className={numeric?.[0] ? "num" : undefined}>
        {v1 ?? ""}
      </td>
      <th scope="row">{l2}</th>
      <td colSpan={3} className={numeric?.[1] ? "num" : undefined}>
        {v2 ?? ""}
      </td>
    </tr>
  );
}

function Long({ label, value }: { label: string; value: string | null | undefined }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td colSpan={8} className="prose">
        {value ?? ""}
      </td>
    </tr>
  );
}

function HeaderBlock({ table }: { table: ExchangeTable }) {
  const dept = formatCodeName(table.department) || null;
  if (table.kind === "department") {
    const o = table.overall ?? null;
    return (
      <tbody>
        <Pair l1={L.departmentName} v1={dept} l2={L.departmentBudget} v2={formatWanNumber(o?.budget)} numeric={[false, true]} />
        {table.budgetExecutionWeight != null ? <Long label={L.budgetExecutionWeight} value={num(table.budgetExecutionWeight)} /> : null}
        {o?.midTermGoal != null ? <Long label={L.departmentMidTermGoal} value={o.midTermGoal} /> : null}
        <Long label={L.overallGoal} value={o?.annualGoal} />
      </tbody>
    );
  }
  const p = table.project;
  return (
    <tbody>
      <Pair l1={L.projectName} v1={p?.name} l2={L.projectCode} v2={p?.code} />
      <Pair l1={L.department} v1={dept} l2={L.category} v2={p?.category} />
      <Pair
        l1={L.financeOffice}
        v1={formatCodeName(p?.financeOffice ?? null) || null}
        l2={L.budgetExecutionWeight}
        v2={num(table.budgetExecutionWeight)}
        numeric={[false, true]}
      />
      <tr>
        <th scope="row" rowSpan={2}>
          {L.budgetTotal}
        </th>
        <td colSpan={4} rowSpan={2} className="num">
          {formatWanNumber(p?.budget.total)}
        </td>
        <th scope="row">{L.budgetLocal}</th>
        <td colSpan={3} className="num">
          {formatWanNumber(p?.budget.local)}
        </td>
      </tr>
      <tr>
        <th scope="row">{L.budgetSuperior}</th>
        <td colSpan={3} className="num">
          {formatWanNumber(p?.budget.superior)}
        </td>
      </tr>
      <Long label={L.overview} value={p?.overview} />
      <Long label={L.basis} value={p?.basis} />
      {p?.schedule != null ? <Long label={L.schedule} value={p.schedule} /> : null}
      {p?.measures != null ? <Long label={L.measures} value={p.measures} /> : null}
      {p?.midTermGoal != null ? <Long label={L.midTermGoal} value={p.midTermGoal} /> : null}
      <Long label={L.annualGoal} value={p?.annualGoal} />
    </tbody>
  );
}

/** The whole form, ready for the browser's 打印 (A4 portrait). */
export function PrintTable({ table }: { table: ExchangeTable }) {
  const rows = table.indicators;
  return (
    <article className="official-form" aria-label={printTitle(table)}>
      <h1 className="official-title">{printTitle(table)}</h1>
      <div className="official-meta">
        <span>编制单位：{formatCodeName(table.unit ?? null)}</span>
        <span>单位：万元</span>
      </div>
      <table className="official official-header">
        <Cols />
        <HeaderBlock table={table} />
      </table>
      <table className="official official-grid">
        <Cols />
        <thead>
          <tr>
            {GRID_COLUMNS.map((c) => (
              <th key={c.key} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td className="grid-label" />
              <td colSpan={8} className="empty">
                （无绩效指标）
              </td>
            </tr>
          ) : (
            rows.map((ind, i) => (
              <tr key={i}>
                <td className={`grid-label${i === rows.length - 1 ? " last" : ""}`} />
                <td>{ind.level1 ?? ""}</td>
                <td>{ind.level2 ?? ""}</td>
                <td className="left">{ind.name ?? ""}</td>
                <td>{num(ind.weight)}</td>
                <td>{ind.unit ?? ""}</td>
                <td>{ind.operator ?? ""}</td>
                <td className={ind.operator === "定性" && (ind.target?.length ?? 0) > 6 ? "left" : undefined}>{ind.target ?? ""}</td>
                <td>{ind.core === true ? "是" : ind.core === false ? "否" : ""}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </article>
  );
}
