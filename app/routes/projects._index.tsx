import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams, useSubmit } from "@remix-run/react";
import { z } from "zod";
import { STATES as TABLE_STATUSES } from "~/domain/workflow";
import { requireUser } from "~/auth/permissions.server";
import { LinkArea } from "~/components/LinkArea";
import { Pager } from "~/components/Pager";
import { STATUS_LABELS, StatusBadge } from "~/components/StatusBadge";
import { listFilterChoices, listProjects } from "~/models/projects.server";
import { formatHundredths, formatWan } from "~/utils/format";
import { pageParam } from "~/utils/pages";
import { PROJECT_SORT_KEYS, PROJECT_SORT_LABELS } from "~/utils/project-sorts";

// Numbers from the query string: anything unreadable or out of range (1e300) is ignored, never a 500.
const optionalInt = z
  .preprocess((v) => (v === "" || v === null ? undefined : v), z.coerce.number().int().positive().max(2 ** 31 - 1).optional())
  .catch(undefined);
const filterSchema = z.object({
  year: optionalInt,
  departmentId: optionalInt,
  unitId: optionalInt,
  status: z.enum([...TABLE_STATUSES, "none"]).optional().catch(undefined),
  category: z.string().trim().max(50).optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  sort: z.enum(PROJECT_SORT_KEYS).optional().catch(undefined),
  page: pageParam,
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = filterSchema.safeParse(params);
  const filter = parsed.success ? parsed.data : { page: 1 };
  const { years, categories, departments, units } = listFilterChoices(user);
  const year = filter.year ?? (years.includes(user.currentYear) ? user.currentYear : years[0]) ?? user.currentYear;
  const f = { ...filter, year };
  // The list counts per status for its total: the tabs show the same counts.
  const { counts, ...result } = listProjects(user, f);
  return {
    filter: f,
    result,
    counts,
    years: years.includes(year) ? years : [year, ...years],
    departments,
    units,
    categories,
    canCreate: user.role === "unit",
  };
}


export default function ProjectList() {
  const { filter, result, counts, years, departments, units, categories, canCreate } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const submit = useSubmit();
  const statusLink = (status: string | null) => {
    const next = new URLSearchParams(params);
    next.delete("page");
    if (status) next.set("status", status);
    else next.delete("status");
    // A plain href is not resolved against the route: name the list itself.
    return `/projects?${next}`;
  };
  const all = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);

  return (
    <>
      <div className="page-header">
        <div>
          <h1>项目</h1>
          <p className="muted">
            {filter.year} 年度 · 共 {result.total} 个项目
          </p>
        </div>
        <div className="actions">
          <a
            href={`/export/xlsx?year=${filter.year}${filter.departmentId ? `&departmentId=${filter.departmentId}` : ""}`}
            className="btn"
            download
          >
            导出 Excel
          </a>
          {canCreate ? (
            <Link to="/projects/new" className="btn btn-primary">
              新建项目
            </Link>
          ) : null}
        </div>
      </div>

      <div className="card">
        <Form method="get" className="form-inline" onChange={(e) => submit(e.currentTarget, { replace: true })}>
          <div className="field">
            <label htmlFor="f-year">年度</label>
            <select id="f-year" name="year" defaultValue={filter.year}>
              {years.map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </div>
          {departments.length > 1 ? (
            <div className="field">
              <label htmlFor="f-dept">主管部门</label>
              <select id="f-dept" name="departmentId" defaultValue={filter.departmentId ?? ""}>
                <option value="">全部</option>
                {departments.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.code}-{d.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          {units.length > 1 ? (
            <div className="field">
              <label htmlFor="f-unit">单位</label>
              <select id="f-unit" name="unitId" defaultValue={filter.unitId ?? ""}>
                <option value="">全部</option>
                {units.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          {categories.length > 0 ? (
            <div className="field">
              <label htmlFor="f-cat">项目分类</label>
              <select id="f-cat" name="category" defaultValue={filter.category ?? ""}>
                <option value="">全部</option>
                {categories.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div className="field">
            <label htmlFor="f-sort">排序</label>
            <select id="f-sort" name="sort" defaultValue={filter.sort ?? "name"}>
              {Object.entries(PROJECT_SORT_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-q">搜索</label>
            <input id="f-q" type="search" name="q" placeholder="项目名称或编码" defaultValue={filter.q ?? ""} />
          </div>
          {filter.status ? <input type="hidden" name="status" value={filter.status} /> : null}
          <button type="submit" className="btn">
            查询
          </button>
        </Form>
        <LinkArea className="actions" style={{ marginTop: ".8rem" }} aria-label="按状态筛选">
          <a href={statusLink(null)} className={`badge ${filter.status ? "badge-gray" : "badge-blue"}`}>
            全部 {all}
          </a>
          {[...TABLE_STATUSES, "none" as const].map((s) =>
            counts[s] ? (
              <a key={s} href={statusLink(s)} className={`badge ${filter.status === s ? "badge-blue" : "badge-gray"}`}>
                {s === "none" ? "未填报" : STATUS_LABELS[s]} {counts[s]}
              </a>
            ) : null,
          )}
        </LinkArea>
      </div>

      <LinkArea className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th>项目</th>
              <th>单位</th>
              <th>状态</th>
              <th className="num">当年预算（万元）</th>
              <th className="num">指标数</th>
              <th className="num">权重合计</th>
              <th className="num">问题</th>
            </tr>
          </thead>
          <tbody>
            {result.rows.length === 0 ? (
              <tr>
                <td colSpan={7} className="empty">
                  没有符合条件的项目
                </td>
              </tr>
            ) : (
              result.rows.map((p) => (
                <tr key={p.id}>
                  <td>
                    {/* Plain links: the LinkArea around the table navigates them in the app. */}
                    <a href={`/projects/${p.id}`}>{p.name}</a>
                    {/* 红灯预警 (结果应用): last year's approved self-evaluation graded 差. */}
                    {p.lastYear?.grade === "差" ? (
                      <>
                        {" "}
                        <a href={p.lastYear.href} className="badge badge-red" title={`${p.lastYear.year} 年度绩效自评结果为差`}>
                          上年自评：差
                        </a>
                      </>
                    ) : null}
                    <div className="muted">{p.code ?? "（无编码）"}{p.category ? ` · ${p.category}` : ""}</div>
                  </td>
                  <td>{p.unitName ?? p.departmentName}</td>
                  <td>
                    <StatusBadge status={p.status} />
                    {p.version && p.version > 1 ? <span className="muted"> 第{p.version}版</span> : null}
                  </td>
                  <td className="num">{formatWan(p.budgetTotal)}</td>
                  <td className="num">{p.indicatorCount ?? 0}</td>
                  <td className="num">
                    {formatHundredths(p.weightTotal ?? 0)}
                    {p.budgetExecutionWeight ? <span className="muted"> +{formatHundredths(p.budgetExecutionWeight)}</span> : null}
                  </td>
                  <td className="num">
                    {p.errorCount ? <span className="badge badge-red">{p.errorCount} 错误</span> : null}{" "}
                    {p.warningCount ? <span className="badge badge-amber">{p.warningCount} 提示</span> : null}
                    {!p.errorCount && !p.warningCount && p.tableId ? <span className="badge badge-green">通过</span> : null}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </LinkArea>
      <Pager page={result.page} pageSize={result.pageSize} total={result.total} />
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "项目 · jixiao" }];
