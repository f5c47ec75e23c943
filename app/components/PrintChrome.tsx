// Pieces shared by the print views of official forms (app/routes/*_.print.tsx): the
// <colgroup> that gives the columns the widths of the exported sheet, and the toolbar above
// the sheet (breadcrumbs, status, 导出 Excel, 打印) that is never printed.
import type { ReactNode } from "react";

/** Column widths (Excel character units) as percentages of the table. */
export function ColGroup({ widths }: { widths: number[] }) {
  const total = widths.reduce((a, b) => a + b, 0);
  return (
    <colgroup>
      {widths.map((w, i) => (
        <col key={i} style={{ width: `${((w / total) * 100).toFixed(2)}%` }} />
      ))}
    </colgroup>
  );
}

/** The toolbar of a print view: `trail` (breadcrumbs) and `status` on the left, the buttons on the right. */
export function PrintToolbar({ trail, status, xlsxHref, landscape }: { trail: ReactNode; status: ReactNode; xlsxHref: string; landscape?: boolean }) {
  return (
    <div className={`print-toolbar${landscape ? " landscape" : ""} no-print`}>
      <div>
        <p className="muted" style={{ margin: 0 }}>
          {trail}
        </p>
        <p className="muted" style={{ margin: 0 }}>
          {status} · 使用浏览器的“打印”可另存为 PDF（A4 {landscape ? "横向" : "纵向"}）
        </p>
      </div>
      <div className="actions">
        <a className="btn" href={xlsxHref} download>
          导出 Excel
        </a>
        <button type="button" className="btn btn-primary" onClick={() => window.print()}>
          打印
        </button>
      </div>
    </div>
  );
}
