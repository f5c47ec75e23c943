import { Link } from "@remix-run/react";
import { formatCodeName } from "~/io/xlsx/layout";
import type { PreviewItem } from "~/models/import.server";
import { formatWanNumber } from "~/utils/format";
import { OrgChoice } from "./OrgChoice";
import { withLine } from "./Steps";
import type { DepartmentOption, UnitOption, Values } from "./types";

type Props = {
  item: PreviewItem;
  values: Values;
  errors: Record<string, string>;
  departments: DepartmentOption[];
  units: UnitOption[];
};

/** One table of the preview: what was read, its findings, and where it goes (主管部门, 预算单位). */
export function TableCard({ item, values, errors, departments, units }: Props) {
  const i = item.index;
  const t = item.table;
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of item.findings) counts[f.severity]++;
  const weights = t.indicators.reduce((s, x) => s + Math.round((x.weight ?? 0) * 100), 0) / 100;
  const source = t.source?.line != null ? (t.source.sheet ? `工作表「${t.source.sheet}」第 ${t.source.line} 行` : `第 ${t.source.line} 行`) : null;
  const headingId = `table-${i}-title`;
  const suggestedDepartments = new Set(item.departmentSuggestions.map((s) => s.id));
  const suggestedUnits = new Set(item.unitSuggestions.map((s) => s.id));
  return (
    <section className="card" aria-labelledby={headingId} data-testid="import-table">
      <div className="page-header" style={{ marginBottom: ".5rem" }}>
        <div>
          <h3 id={headingId} style={{ margin: 0 }}>
            {i + 1}. {item.title}
          </h3>
          <p className="muted" style={{ margin: 0 }}>
            {t.kind === "department" ? "部门（单位）整体绩效目标表" : `项目编码 ${t.project?.code ?? "（无）"}`}
            {t.department ? ` · 文档中的主管部门 ${formatCodeName(t.department)}` : " · 文档未注明主管部门"}
            {t.kind === "project" ? (t.unit ? ` · 文档中的编制单位 ${formatCodeName(t.unit)}` : " · 文档未注明编制单位") : null}
            {source ? ` · ${source}` : null}
          </p>
        </div>
        <div className="actions">
          {item.existingId != null ? (
            <span className="badge badge-amber" data-testid="exists">
              已存在
              {t.kind === "project" ? (
                <>
                  {" "}
                  · <Link to={`/projects/${item.existingId}`}>查看</Link>
                </>
              ) : null}
            </span>
          ) : (
            <span className="badge badge-blue">将新建</span>
          )}
          {counts.error ? <span className="badge badge-red">{counts.error} 个错误</span> : null}
          {counts.warning ? <span className="badge badge-amber">{counts.warning} 个警告</span> : null}
          {counts.info ? <span className="badge badge-gray">{counts.info} 个提示</span> : null}
          {!counts.error && !counts.warning ? <span className="badge badge-green">审核通过</span> : null}
        </div>
      </div>
      <p style={{ margin: "0 0 .6rem" }}>
        {t.kind === "project" ? `当年预算 ${formatWanNumber(t.project?.budget.total, "—")} 万元` : `部门支出预算数 ${formatWanNumber(t.overall?.budget, "—")} 万元`} · 指标 {t.indicators.length} 个 · 指标权重合计 {weights}
        {t.budgetExecutionWeight != null ? ` · 预算执行率权重 ${t.budgetExecutionWeight}` : null}
      </p>

      <div className="form-row">
        <OrgChoice
          name={`department-${i}`}
          label="导入到主管部门"
          value={values[`department-${i}`] ?? ""}
          error={errors[`department-${i}`]}
          emptyLabel="请选择…"
          suggestions={item.departmentSuggestions}
          suggestionsLabel="与文档中的名称相近"
          groups={[{ label: suggestedDepartments.size ? "其他主管部门" : "本地区的主管部门", options: departments.filter((d) => !suggestedDepartments.has(d.id)) }]}
          newLabel="新建主管部门…"
          newFields={{
            code: `newCode-${i}`,
            name: `newName-${i}`,
            codeLabel: "新主管部门编码",
            nameLabel: "新主管部门名称",
            values: { code: values[`newCode-${i}`] ?? "", name: values[`newName-${i}`] ?? "" },
            errors: { code: errors[`newCode-${i}`], name: errors[`newName-${i}`] },
          }}
          hint={departmentHint(item)}
        />
      </div>
      {t.kind === "project" ? (
        <div className="form-row">
          <OrgChoice
            name={`unit-${i}`}
            label="导入到预算单位"
            value={values[`unit-${i}`] ?? ""}
            error={errors[`unit-${i}`]}
            emptyLabel="不指定预算单位（只有主管部门和财政局能看到）"
            suggestions={item.unitSuggestions}
            suggestionsLabel="与文档中的编制单位相近"
            groups={departments.map((d) => ({
              label: `${d.code}-${d.name}`,
              options: units.filter((u) => u.departmentId === d.id && !suggestedUnits.has(u.id)),
            }))}
            newLabel="新建预算单位…"
            newFields={{
              code: `newUnitCode-${i}`,
              name: `newUnitName-${i}`,
              codeLabel: "新预算单位编码",
              nameLabel: "新预算单位名称",
              values: { code: values[`newUnitCode-${i}`] ?? "", name: values[`newUnitName-${i}`] ?? "" },
              errors: { code: errors[`newUnitCode-${i}`], name: errors[`newUnitName-${i}`] },
            }}
            hint={unitHint(item)}
          />
        </div>
      ) : null}

      {item.findings.length ? (
        <details open={counts.error > 0}>
          <summary>审核发现（{item.findings.length}）</summary>
          <ul>
            {item.findings.map((f, j) => (
              <li key={j} className={f.severity === "error" ? "field-error" : f.severity === "warning" ? undefined : "muted"}>
                {f.severity === "error" ? "✕ 错误" : f.severity === "warning" ? "⚠ 警告" : "ℹ 提示"}：{f.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {t.warnings?.length ? (
        <details open>
          <summary>导入警告（{t.warnings.length}）</summary>
          <ul>
            {t.warnings.map((w, j) => (
              <li key={j}>{withLine(w.line, w.message)}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

function closest(list: { name: string; score: number }[]): string {
  return list.map((s) => `「${s.name}」（${Math.round(s.score * 100)}%）`).join("、");
}

/** Why the department is (or is not) pre-selected, when it was not found by code or exact name. */
function departmentHint(item: PreviewItem): string | null {
  const named = item.table.department?.name ?? item.table.department?.code ?? null;
  if (item.departmentMatch === "code" || item.departmentMatch === "name" || item.departmentMatch === "chosen") return null;
  if (item.departmentMatch === "same_name") return `文档中的「${named}」与「${item.department!.name}」是同一名称的不同写法，已自动选择，请核对。`;
  if (item.departmentMatch === "document") return "文档未注明本表的主管部门，已按同一文档其他表的主管部门选择，请核对。";
  if (!named) return "文档未注明本表的主管部门，请选择。";
  if (item.departmentSuggestions.length) return `文档中的「${named}」未对应到本地区的主管部门。最相近的是${closest(item.departmentSuggestions)}；也可以新建主管部门。`;
  return `文档中的「${named}」未对应到本地区的主管部门，也没有相近的名称：请选择或新建主管部门。`;
}

function unitHint(item: PreviewItem): string | null {
  const named = item.table.unit?.name ?? item.table.unit?.code ?? null;
  if (item.unitMatch === "code" || item.unitMatch === "name" || item.unitMatch === "chosen") return null;
  if (item.unitMatch === "same_name") return `文档中的编制单位「${named}」与「${item.unit!.name}」是同一名称的不同写法，已自动选择，请核对。`;
  if (!named) return "文档未注明编制单位：可选择本表所属的预算单位，使该单位的填报人能看到它。";
  if (item.unitSuggestions.length) return `文档中的编制单位「${named}」未对应到所选主管部门的预算单位。最相近的是${closest(item.unitSuggestions)}；也可以新建预算单位。`;
  return `文档中的编制单位「${named}」未对应到所选主管部门的预算单位，也没有相近的名称：请选择、新建预算单位，或不指定。`;
}
