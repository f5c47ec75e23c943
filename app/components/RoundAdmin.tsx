// Finance's panel on a closed round: its reopenings (each can be ended) and the form that
// reopens it for one 主管部门, project or 部门整体 target, with a reason (audited).
import { Form } from "@remix-run/react";
import { Field } from "./Field";

type Reopening = { id: number; departmentId: number | null; projectId: number | null; departmentTargetId: number | null; reason: string; open: boolean };

export function ReopenPanel({
  reopenings,
  departments,
  owners,
  errors,
  values,
}: {
  reopenings: Reopening[];
  departments: Array<{ id: number; name: string }>;
  owners: Array<{ kind: string; ownerId: number; name: string }>;
  errors: Record<string, string>;
  values: { target: string; reason: string; dueOn: string } | null;
}) {
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  const ownerName = new Map(owners.map((o) => [`${o.kind}:${o.ownerId}`, o.name]));
  return (
    <section className="card" aria-labelledby="reopen-h">
      <h2 id="reopen-h">重新开放</h2>
      <p className="muted">任务已关闭。可为一个主管部门或一个项目重新开放填报，须说明理由（记入审计日志）。</p>
      {reopenings.length > 0 ? (
        <ul>
          {reopenings.map((r) => (
            <li key={r.id}>
              {r.departmentId
                ? `主管部门：${deptName.get(r.departmentId) ?? r.departmentId}`
                : r.projectId
                  ? `项目：${ownerName.get(`project:${r.projectId}`) ?? `#${r.projectId}`}`
                  : `部门整体：${ownerName.get(`department:${r.departmentTargetId}`) ?? `#${r.departmentTargetId}`}`}
              ：{r.reason}
              {r.open ? (
                <Form method="post" style={{ display: "inline" }}>
                  <input type="hidden" name="intent" value="close-reopening" />
                  <input type="hidden" name="reopeningId" value={r.id} />{" "}
                  <button type="submit" className="btn-link">
                    结束
                  </button>
                </Form>
              ) : (
                <span className="muted">（已结束）</span>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <Form method="post" className="form-inline">
        <input type="hidden" name="intent" value="reopen" />
        <div className="field">
          <label htmlFor="reopen-target">范围</label>
          <select id="reopen-target" name="target" defaultValue={values?.target ?? ""} aria-describedby={errors.target ? "reopen-target-err" : undefined}>
            <option value="">请选择</option>
            {departments.map((d) => (
              <option key={d.id} value={`dept:${d.id}`}>
                主管部门：{d.name}
              </option>
            ))}
            {owners.map((e) => (
              <option key={`${e.kind}:${e.ownerId}`} value={`${e.kind === "project" ? "p" : "d"}:${e.ownerId}`}>
                {e.kind === "project" ? "项目" : "部门整体"}：{e.name}
              </option>
            ))}
          </select>
          {errors.target ? (
            <span id="reopen-target-err" className="field-error" role="alert">
              {errors.target}
            </span>
          ) : null}
        </div>
        <Field label="理由" name="reason" defaultValue={values?.reason ?? ""} error={errors.reason} />
        <Field label="新的截止日期（可选）" name="dueOn" type="date" defaultValue={values?.dueOn ?? ""} error={errors.dueOn} />
        <button type="submit" className="btn">
          重新开放
        </button>
      </Form>
    </section>
  );
}
