import { Form, Link, useNavigation } from "@remix-run/react";
import { Field } from "~/components/Field";
import { withLine } from "./Steps";
import { TableCard } from "./TableCard";
import type { DepartmentOption, ImportMode, PreviewStage, UnitOption } from "./types";

type Props = { data: PreviewStage; departments: DepartmentOption[]; units: UnitOption[]; modes: ImportMode[] };

/**
 * Step 2: every table found, with the year, the mode and each table's place. The parsed
 * tables travel back in a hidden field (re-validated by the action on every submission).
 */
export function Preview({ data, departments, units, modes }: Props) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const { items, values, errors } = data;
  const payload = JSON.stringify({ file: data.file, warnings: data.warnings, tables: items.map((i) => i.table) });
  const existing = items.filter((i) => i.existingId != null).length;
  const errorCount = items.reduce((n, i) => n + i.findings.filter((f) => f.severity === "error").length, 0);
  const tableWarnings = items.reduce((n, i) => n + (i.table.warnings?.length ?? 0), 0);
  const projects = items.filter((i) => i.table.kind === "project").length;
  return (
    <Form method="post" key={data.stamp} noValidate aria-label="确认导入">
      <input type="hidden" name="payload" value={payload} />
      {/* Enter in a field re-checks; only the button below confirms. */}
      <button type="submit" name="intent" value="preview" tabIndex={-1} aria-hidden="true" style={{ position: "absolute", left: "-9999px", width: 1, height: 1 }} />
      {data.formError ? (
        <div className="alert alert-error" role="alert">
          {data.formError}
        </div>
      ) : null}
      <div className="card">
        <h2>2. 预览：{data.file || "上传的文件"}</h2>
        <p data-testid="import-summary">
          找到 <strong>{items.length}</strong> 张绩效目标表（项目 {projects} 张，部门整体 {items.length - projects} 张）
          {existing ? (
            <>
              ，其中 <strong>{existing}</strong> 张已存在，确认时将跳过
            </>
          ) : null}
          。审核错误 {errorCount} 个，导入警告 {tableWarnings + data.warnings.length} 个。
        </p>
        {data.warnings.length ? (
          <div className="alert alert-warning">
            文档中未能读取的内容：
            <ul>
              {data.warnings.map((w, i) => (
                <li key={i}>{withLine(w.line, w.message)}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <div className="form-row">
          <Field
            label="年度"
            name="year"
            type="number"
            min={2000}
            max={2100}
            defaultValue={values.year ?? String(data.year)}
            error={errors.year}
            hint={data.documentYear ? `文档年度：${data.documentYear}` : "文档未注明年度"}
          />
          <fieldset className="field" style={{ border: 0, padding: 0, margin: "0 0 .85rem" }} aria-describedby={errors.mode ? "mode-error" : undefined}>
            <legend className="label">导入方式</legend>
            {modes.includes("approved") ? (
              <label>
                <input type="radio" name="mode" value="approved" defaultChecked={values.mode !== "draft"} /> 作为已批复的历史目标（不经审核，记为您的批复）
              </label>
            ) : null}
            <label>
              <input type="radio" name="mode" value="draft" defaultChecked={values.mode === "draft" || !modes.includes("approved")} /> 作为草稿（可修改后提交审核）
            </label>
            {errors.mode ? (
              <span id="mode-error" className="field-error" role="alert">
                {errors.mode}
              </span>
            ) : null}
          </fieldset>
        </div>
        <p className="muted">
          已存在的表按“年度 + 项目编码”匹配，没有编码时按“年度 + 主管部门 + 项目名称”匹配；部门整体表按“年度 + 主管部门”匹配。文档中的主管部门和编制单位未对应到本地区时，列出名称最相近的单位供选择，也可以新建。改了年度、主管部门或预算单位后，可先“重新检查”。
        </p>
      </div>

      {items.map((item) => (
        <TableCard key={item.index} item={item} values={values} errors={errors} departments={departments} units={units} />
      ))}

      <div className="card actions">
        <button type="submit" name="intent" value="confirm" className="btn btn-primary" disabled={busy}>
          确认导入
        </button>
        <button type="submit" name="intent" value="preview" className="btn" disabled={busy}>
          重新检查
        </button>
        <Link to="/import">取消</Link>
        <span className="muted">确认后在一个事务中写入：任何一张表出错都不会写入任何数据。</span>
      </div>
    </Form>
  );
}
