import { Link } from "@remix-run/react";
import type { DoneRow, DoneStage } from "./types";

/** Step 3: what was created and what already existed. */
export function Done({ data }: { data: DoneStage }) {
  const modeText = data.mode === "approved" ? "已批复的历史目标" : "草稿";
  const link = (r: DoneRow) => (r.kind === "project" ? <Link to={`/projects/${r.id}`}>{r.title}</Link> : <span>{r.title}</span>);
  return (
    <>
      <div className="alert alert-success" role="status">
        导入完成：新建 {data.created.length} 张表（{data.year} 年度，作为{modeText}）
        {data.existing.length ? `，${data.existing.length} 张已存在，未重复导入` : ""}。
      </div>
      <div className="table-wrap" style={{ marginBottom: "1rem" }}>
        <table className="data" aria-label="导入结果">
          <thead>
            <tr>
              <th className="num" style={{ width: "4rem" }}>
                序号
              </th>
              <th>表</th>
              <th style={{ width: "8rem" }}>类型</th>
              <th style={{ width: "10rem" }}>结果</th>
            </tr>
          </thead>
          <tbody>
            {[...data.created.map((r) => ({ ...r, done: true })), ...data.existing.map((r) => ({ ...r, done: false }))]
              .sort((a, b) => a.index - b.index)
              .map((r) => (
                <tr key={r.index}>
                  <td className="num">{r.index + 1}</td>
                  <td>{link(r)}</td>
                  <td>{r.kind === "project" ? "项目" : "部门整体"}</td>
                  <td>{r.done ? <span className="badge badge-green">已导入</span> : <span className="badge badge-amber">已存在，未导入</span>}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
      <div className="actions">
        <Link to={`/projects?year=${data.year}`} className="btn btn-primary">
          查看 {data.year} 年度项目
        </Link>
        <Link to="/import" className="btn">
          继续导入
        </Link>
      </div>
    </>
  );
}
