// A 绩效目标表 in the published layout of 绩效公开 (app/io/docx/layout.ts: the same cells as
// the Word file), for the screen and the browser's 打印 (A4 portrait). The conventions of
// PrintTable.tsx: app/styles/print-table.css, the grid's column headers repeat on every
// printed page, rows are not split.
import type { ReactNode } from "react";
import type { ExchangeTable } from "~/domain/schemas";
import { formatDateTime } from "~/utils/format";
import { evaluationLayout, type PublicSheet } from "~/io/docx/evaluation";
import { tableLayout, type LayoutRow, type TableLayout } from "~/io/docx/layout";

function Cols({ widths }: { widths: readonly number[] }) {
  const total = widths.reduce((a, b) => a + b, 0);
  return (
    <colgroup>
      {widths.map((w, i) => (
        <col key={i} style={{ width: `${((w / total) * 100).toFixed(2)}%` }} />
      ))}
    </colgroup>
  );
}

function Row({ row }: { row: LayoutRow }) {
  return (
    <tr>
      {row.map((c, i) =>
        c.label ? (
          <th key={i} scope="row" colSpan={c.colSpan} rowSpan={c.rowSpan}>
            {c.text}
          </th>
        ) : (
          <td
            key={i}
            colSpan={c.colSpan}
            rowSpan={c.rowSpan}
            className={c.align === "right" ? "num" : c.align === "left" ? (c.text.includes("\n") || c.text.length > 30 ? "prose" : "left") : undefined}
          >
            {c.text}
          </td>
        ),
      )}
    </tr>
  );
}

export function PublishedTable({ table, id }: { table: ExchangeTable; id?: string }) {
  return <PublishedLayout layout={tableLayout(table)} id={id} />;
}

/** What a publication holds per table: a 绩效目标表 (`table`) or a 自评表 (`sheet`). */
export function layoutOf(t: { table?: ExchangeTable; sheet?: PublicSheet }): TableLayout {
  return t.sheet ? evaluationLayout(t.sheet) : tableLayout(t.table!);
}

export function PublishedLayout({ layout, id }: { layout: TableLayout; id?: string }) {
  return (
    <article className="official-form published-form" aria-label={layout.title} id={id}>
      <h2 className="official-title">{layout.title}</h2>
      <div className="official-meta">
        <span>{layout.unitLine ?? ""}</span>
        <span>单位：万元</span>
      </div>
      <table className="official official-header">
        <Cols widths={layout.widths} />
        <tbody>
          {layout.header.map((row, i) => (
            <Row key={i} row={row} />
          ))}
        </tbody>
      </table>
      <table className="official official-grid published-grid">
        <Cols widths={layout.widths} />
        <thead>
          <tr>
            {layout.gridHeader.map((c, i) => (
              <th key={i} scope="col">
                {c.text}
              </th>
            ))}
          </tr>
        </thead>
        {/* No placeholder row in the grid: like the Word file, so the importer reads no indicator from it. */}
        <tbody>
          {layout.grid.map((row, i) => (
            <Row key={i} row={row} />
          ))}
        </tbody>
        {layout.footer?.length ? (
          <tfoot>
            {layout.footer.map((row, i) => (
              <Row key={i} row={row} />
            ))}
          </tfoot>
        ) : null}
      </table>
      {layout.grid.length === 0 ? <p className="muted">本表没有绩效指标。</p> : null}
    </article>
  );
}

/** The toolbar above published tables (never printed): where we are, what it is, 下载 Word and 打印. */
export function PublicationToolbar({ trail, status, docxHref }: { trail: ReactNode; status: ReactNode; docxHref: string }) {
  return (
    <div className="print-toolbar no-print">
      <div>
        <p className="muted" style={{ margin: 0 }}>
          {trail}
        </p>
        <p className="muted" style={{ margin: 0 }}>
          {status} · 使用浏览器的“打印”可另存为 PDF（A4 纵向，每表一页）
        </p>
      </div>
      <div className="actions">
        <a className="btn" href={docxHref}>
          下载 Word
        </a>
        <button type="button" className="btn btn-primary" onClick={() => window.print()}>
          打印
        </button>
      </div>
    </div>
  );
}

type Listed = { name: string; version: number; approvedAt: number; table?: ExchangeTable; sheet?: PublicSheet };

/**
 * A publication's tables: the list (name, version, approval date, and `extra` per table; not
 * printed), then every table in the published layout, one per printed page.
 */
export function PublicationTables({ heading, tables, extra }: { heading: ReactNode; tables: Listed[]; extra?: { header: string; cell: (index: number) => ReactNode } }) {
  return (
    <>
      <section className="publication-contents no-print" aria-labelledby="contents">
        <h1 id="contents">{heading}</h1>
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th>表</th>
                <th className="num">版本</th>
                <th>批复日期</th>
                {extra ? <th>{extra.header}</th> : null}
              </tr>
            </thead>
            <tbody>
              {tables.map((t, i) => (
                <tr key={i}>
                  <td>
                    <a href={`#t${i + 1}`}>{t.name}</a>
                  </td>
                  <td className="num">第 {t.version} 版</td>
                  <td>{formatDateTime(t.approvedAt)}</td>
                  {extra ? <td>{extra.cell(i)}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <div className="print-sheet">
        {tables.map((t, i) => (
          <PublishedLayout key={i} id={`t${i + 1}`} layout={layoutOf(t)} />
        ))}
      </div>
    </>
  );
}
