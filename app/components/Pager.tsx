import { Link, useSearchParams } from "@remix-run/react";

/**
 * 上一页 / 下一页 links that keep the page's other query parameters, except those in `drop`
 * (state of the page that must not follow the list, e.g. an open edit form).
 */
export function Pager({ page, pageSize, total, drop = [] }: { page: number; pageSize: number; total: number; drop?: readonly string[] }) {
  const [params] = useSearchParams();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  // Loaders clamp the page (app/utils/pages.ts); never show "第 9 / 3 页" all the same.
  page = Math.min(Math.max(1, page), pages);
  const link = (p: number) => {
    const next = new URLSearchParams(params);
    for (const k of drop) next.delete(k);
    next.set("page", String(p));
    return `?${next}`;
  };
  return (
    <nav className="pager" aria-label="分页">
      {page > 1 ? (
        <Link to={link(page - 1)} className="btn btn-small">
          上一页
        </Link>
      ) : null}
      <span className="muted">
        第 {page} / {pages} 页
      </span>
      {page < pages ? (
        <Link to={link(page + 1)} className="btn btn-small">
          下一页
        </Link>
      ) : null}
    </nav>
  );
}
