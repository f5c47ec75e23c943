import { Link } from "@remix-run/react";

/** For a navigation entry whose page is planned but not built yet: say so plainly. */
export function NotYetBuilt({ title, what }: { title: string; what: string }) {
  return (
    <div className="card">
      <h1>{title}</h1>
      <p>此功能尚未上线。{what}</p>
      <p>
        <Link to="/">返回工作台</Link>
      </p>
    </div>
  );
}
