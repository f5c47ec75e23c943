// The 项目支出绩效自评表 in its printed layout (the layout of the .xlsx export,
// app/io/xlsx/evaluation-layout.ts): title, 状态 / 单位：万元, the header, the budget block,
// 年度总体目标, one row per indicator (the grid's header repeats on every printed page), then
// 总分 and 自评等级. Finance's adjustments show in the last column with their reasons.
// Plain server-rendered HTML: readable and printable without JavaScript.
// Styles: app/styles/print-table.css, print-landscape.css and evaluation-print.css, linked
// by the routes through printLinks.
import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ReportStatusBadge } from "~/components/Lights";
import { ColGroup, PrintToolbar } from "~/components/PrintChrome";
import { formatWanNumber } from "~/utils/format";
import { REPORT_STATE_LABELS } from "~/domain/report-workflow";
import {
  BUDGET_COLUMNS,
  EVALUATION_COLUMNS,
  EVALUATION_LABELS as L,
  LAST_COLUMN,
  adjustmentText,
  col,
  evaluationName,
  evaluationTitle,
  scoreText,
  type EvaluationSheetData,
} from "~/io/xlsx/evaluation-layout";
import evaluationPrintStyles from "~/styles/evaluation-print.css";
import landscapeStyles from "~/styles/print-landscape.css";
import printStyles from "~/styles/print-table.css";

const WIDTHS = EVALUATION_COLUMNS.map((c) => c.width);

const span = (from: number, to: number) => to - from + 1;

export function EvaluationPrint({ data }: { data: EvaluationSheetData }) {
  const project = data.ownerKind === "project";
  const b = data.budget;
  const budgetValues: Record<(typeof BUDGET_COLUMNS)[number]["key"], string> = {
    initial: formatWanNumber(b.initial),
    annual: formatWanNumber(b.annual),
    executed: formatWanNumber(b.executed),
    weight: String(b.weight),
    rate: b.rate === null ? "" : `${b.rate.toFixed(2)}%`,
    score: b.score.toFixed(2),
    formula: b.formula,
  };
  return (
    <article className="official-form evaluation-form" aria-label={evaluationTitle(data)}>
      <h1 className="official-title">{evaluationTitle(data)}</h1>
      <div className="official-meta">
        <span>
          状态：{data.status ? REPORT_STATE_LABELS[data.status] : "未填报"} · 绩效目标表第 {data.tableVersion} 版
          {data.complete ? "" : " · 填报不完整，得分为暂计"}
        </span>
        <span>{L.moneyUnit}</span>
      </div>
      <table className="official official-header">
        <ColGroup widths={WIDTHS} />
        <tbody>
          <tr>
            <th scope="row">{project ? L.projectName : L.departmentName}</th>
            <td colSpan={LAST_COLUMN - 1} className="left">
              {evaluationName(data)}
            </td>
          </tr>
          <tr>
            <th scope="row">{L.department}</th>
            <td colSpan={4} className="left">
              {data.departmentName}
            </td>
            <th scope="row">{L.unit}</th>
            <td colSpan={LAST_COLUMN - 6} className="left">
              {data.unitName ?? data.departmentName}
            </td>
          </tr>
          <tr>
            <th scope="rowgroup" rowSpan={2}>
              {project ? L.budgetBlock : L.departmentBudgetBlock}
            </th>
            {BUDGET_COLUMNS.map((c) => (
              <th key={c.key} scope="col" colSpan={span(c.from, c.to)}>
                {c.header}
              </th>
            ))}
          </tr>
          <tr>
            {BUDGET_COLUMNS.map((c) => (
              <td key={c.key} colSpan={span(c.from, c.to)} className={c.key === "formula" ? "left formula" : "num"} data-budget={c.key}>
                {budgetValues[c.key]}
              </td>
            ))}
          </tr>
          <tr>
            <th scope="rowgroup" rowSpan={2}>
              {L.goal}
            </th>
            <th scope="col" colSpan={4}>
              {L.expected}
            </th>
            <th scope="col" colSpan={LAST_COLUMN - 5}>
              {L.actual}
            </th>
          </tr>
          <tr>
            <td colSpan={4} className="prose" data-goal="expected">
              {data.goal.expected ?? ""}
            </td>
            <td colSpan={LAST_COLUMN - 5} className="prose" data-goal="actual">
              {data.goal.actual ?? ""}
            </td>
          </tr>
        </tbody>
      </table>
      <table className="official official-grid">
        <ColGroup widths={WIDTHS} />
        <thead>
          <tr>
            {EVALUATION_COLUMNS.map((c) => (
              <th key={c.key} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.rows.length === 0 ? (
            <tr>
              <td className="grid-label last" />
              <td colSpan={LAST_COLUMN - 1} className="empty">
                （无绩效指标）
              </td>
            </tr>
          ) : (
            data.rows.map((r, i) => (
              <tr key={i} data-row={i} className={r.adjustment ? "adjusted" : undefined}>
                <td className={`grid-label${i === data.rows.length - 1 ? " last" : ""}`} />
                <td>{r.level1 ?? ""}</td>
                <td>{r.level2 ?? ""}</td>
                <td className="left">{r.name ?? ""}</td>
                <td>{r.targetText}</td>
                <td>{r.actualText}</td>
                <td className="num">{r.weight ?? ""}</td>
                <td className="num" data-score={i}>
                  {scoreText(r)}
                </td>
                <td className="prose">{r.explanation ?? ""}</td>
                <td className="prose">{r.adjustment ? adjustmentText(r.adjustment) : ""}</td>
              </tr>
            ))
          )}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={col("actual")}>
              {L.total}
            </th>
            <td className="num">100</td>
            <td className="num" data-testid="print-total">
              {data.totalText}
            </td>
            <td colSpan={2} className="left formula">
              {data.formula}
            </td>
          </tr>
          <tr>
            <th scope="row" colSpan={col("actual")}>
              {L.grade}
            </th>
            <td colSpan={2} className="grade" data-testid="print-grade">
              {data.grade}
            </td>
            <td colSpan={2} className="left">
              {data.gradeRule}
            </td>
          </tr>
        </tfoot>
      </table>
    </article>
  );
}

/** The print page of both routes (…/p/:id/print and …/d/:id/print): toolbar and sheet. */
export function EvaluationPrintPage() {
  const { sheet } = useLoaderData<{ sheet: EvaluationSheetData }>();
  const entry = `/evaluations/${sheet.roundId}/${sheet.ownerKind === "project" ? "p" : "d"}/${sheet.ownerId}`;
  return (
    <>
      <PrintToolbar
        landscape
        xlsxHref={`${entry}/xlsx`}
        trail={
          <>
            <Link to={`/evaluations/${sheet.roundId}`}>自评 · {sheet.year} 年度</Link> / <Link to={entry}>{sheet.name}</Link> / 打印
          </>
        }
        status={<ReportStatusBadge status={sheet.status} />}
      />
      <div className="print-sheet landscape">
        <EvaluationPrint data={sheet} />
      </div>
    </>
  );
}

/** The stylesheets of the print routes. */
export const printLinks: LinksFunction = () => [
  { rel: "stylesheet", href: printStyles },
  { rel: "stylesheet", href: landscapeStyles },
  { rel: "stylesheet", href: evaluationPrintStyles },
];

export const printMeta: MetaFunction<() => { sheet: EvaluationSheetData }> = ({ data }) => [
  { title: data ? `${data.sheet.name} · ${evaluationTitle(data.sheet)} · 打印 · jixiao` : "打印 · jixiao" },
];
