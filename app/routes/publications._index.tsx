// GET /publications?year= — 绩效公开: the departments of the year with their approved
// 绩效目标表 and a 发布 button each (finance: every department, and 全部发布 one Word file per
// department; a department user: its own), the publications made (each downloadable again,
// viewable as an A4 print view), and the switch of the region's public page (finance, admin).
// POST intents: publish (departmentId, kind), publishAll (kind), publicPage (enabled).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { notFound, requireRole } from "~/auth/permissions.server";
import {
  PublicationError,
  canPublish,
  getPublicPageSetting,
  listPublications,
  publishDepartment,
  publishRegion,
  publishResults,
  publishableDepartments,
  setPublicPage,
} from "~/models/publication.server";
import { KIND_LABELS } from "~/io/docx/layout";
import { formatDateTime } from "~/utils/format";

const yearSchema = z.coerce.number().int().min(1990).max(2100);

const kindSchema = z.enum(["targets", "results"]).default("targets");
const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("publish"), year: yearSchema, departmentId: z.coerce.number().int().positive(), kind: kindSchema }),
  z.object({ intent: z.literal("publishAll"), year: yearSchema, kind: kindSchema }),
  z.object({ intent: z.literal("publicPage"), enabled: z.enum(["1", "0"]) }),
]);

function yearOf(request: Request, fallback: number): number {
  const raw = new URL(request.url).searchParams.get("year");
  if (raw === null || raw === "") return fallback;
  const parsed = yearSchema.safeParse(raw);
  if (!parsed.success) throw new Response("参数有误：年度无效", { status: 400 });
  return parsed.data;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["finance", "department", "admin"]);
  const year = yearOf(request, user.currentYear);
  const setting = getPublicPageSetting(user);
  return {
    year,
    role: user.role,
    canPublish: canPublish(user),
    departments: publishableDepartments(user, year),
    publications: listPublications(user, year),
    publicPage: user.role === "department" ? null : setting,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["finance", "department", "admin"]);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ ok: false as const, message: "提交的内容有误，请刷新后重试" }, { status: 400 });
  const input = parsed.data;
  try {
    if (input.intent === "publicPage") {
      if (user.role === "department") return json({ ok: false as const, message: "只有财政或系统管理员可以开关绩效公开页面" }, { status: 403 });
      setPublicPage(user, input.enabled === "1");
      return redirect("/publications?saved=publicPage");
    }
    if (!canPublish(user)) return json({ ok: false as const, message: "您的角色不能发布绩效目标" }, { status: 403 });
    if (input.intent === "publish") {
      const target = { year: input.year, departmentId: input.departmentId };
      const p = input.kind === "results" ? await publishResults(user, target) : await publishDepartment(user, target);
      if (!p) throw notFound();
      return json({ ok: true as const, message: `已发布${KIND_LABELS[p.kind]}：${p.department.name}，${p.tableCount} 张表`, skipped: [] as Array<{ name: string; reason: string }> });
    }
    if (user.role !== "finance") return json({ ok: false as const, message: "只有财政可以发布全地区的绩效目标" }, { status: 403 });
    const r = await publishRegion(user, input.year, input.kind);
    const tables = r.done.reduce((s, p) => s + p.tableCount, 0);
    return json({ ok: true as const, message: `已发布 ${r.done.length} 个部门，共 ${tables} 张表`, skipped: r.skipped });
  } catch (e) {
    if (e instanceof PublicationError) return json({ ok: false as const, message: e.message }, { status: 400 });
    throw e;
  }
}

function PublishButton({ year, departmentId, kind, label, name, busy }: { year: number; departmentId: number; kind: "targets" | "results"; label: string; name: string; busy: boolean }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="publish" />
      <input type="hidden" name="year" value={year} />
      <input type="hidden" name="departmentId" value={departmentId} />
      <input type="hidden" name="kind" value={kind} />
      <button type="submit" className="btn btn-small" disabled={busy} aria-label={`${label}：${name} ${year} 年`}>
        {label}
      </button>
    </Form>
  );
}

function kb(size: number): string {
  return size >= 1024 * 1024 ? `${(size / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(size / 1024))} KB`;
}

export default function Publications() {
  const { year, role, canPublish, departments, publications, publicPage } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <div className="page-header">
        <div>
          <h1>绩效公开</h1>
          <p className="muted">
            将已批复的绩效目标表（部门预算公开）和审核通过的绩效自评表（部门决算公开）按公开版式生成 Word 文档（A4 纵向），每次发布都会记录各表的版本和批复日期，可随时再次下载。
          </p>
        </div>
        <Form method="get" className="inline-form">
          <label htmlFor="year">年度</label>{" "}
          <input id="year" name="year" inputMode="numeric" defaultValue={year} size={6} />{" "}
          <button type="submit" className="btn">
            查看
          </button>
        </Form>
      </div>
      {data ? (
        <div className={`alert ${data.ok ? "alert-success" : "alert-error"}`} role={data.ok ? "status" : "alert"}>
          {data.message}
          {"skipped" in data && data.skipped.length ? (
            <ul>
              {data.skipped.map((s) => (
                <li key={s.name}>{s.reason}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      {publicPage ? (
        <section className="card" aria-labelledby="public-page">
          <h2 id="public-page">公开页面</h2>
          <p>
            {publicPage.enabled ? (
              <>
                已开启：任何人无需登录即可在 <a href={`/public/${publicPage.slug}`}>/public/{publicPage.slug}</a> 查看和下载本地区已发布的绩效目标表（只有发布的内容，没有草稿、审核意见和用户姓名）。
              </>
            ) : (
              "未开启：已发布的内容只有本地区登录用户可见。"
            )}
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="publicPage" />
            <input type="hidden" name="enabled" value={publicPage.enabled ? "0" : "1"} />
            <button type="submit" className={`btn${publicPage.enabled ? "" : " btn-primary"}`}>
              {publicPage.enabled ? "关闭公开页面" : "开启公开页面"}
            </button>
          </Form>
        </section>
      ) : null}

      {canPublish ? (
        <section aria-labelledby="publishable">
          <div className="page-header">
            <h2 id="publishable">{year} 年各部门</h2>
            {role === "finance" ? (
              <div className="actions">
                <Form method="post">
                  <input type="hidden" name="intent" value="publishAll" />
                  <input type="hidden" name="year" value={year} />
                  <input type="hidden" name="kind" value="targets" />
                  <button type="submit" className="btn btn-primary" disabled={busy}>
                    全部发布绩效目标（每个部门一个 Word 文件）
                  </button>
                </Form>
                <Form method="post">
                  <input type="hidden" name="intent" value="publishAll" />
                  <input type="hidden" name="year" value={year} />
                  <input type="hidden" name="kind" value="results" />
                  <button type="submit" className="btn" disabled={busy}>
                    全部发布自评结果
                  </button>
                </Form>
              </div>
            ) : null}
          </div>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th>部门</th>
                  <th className="num">已批复目标表</th>
                  <th className="num">未批复目标表</th>
                  <th>操作</th>
                </tr>
              </thead>
              <tbody>
                {departments.length === 0 ? (
                  <tr>
                    <td colSpan={4} className="empty">
                      没有部门
                    </td>
                  </tr>
                ) : (
                  departments.map((d) => (
                    <tr key={d.id}>
                      <td>
                        {d.code}-{d.name}
                      </td>
                      <td className="num">{d.approved}</td>
                      <td className="num">{d.other}</td>
                      <td>
                        <div className="actions">
                          {d.approved > 0 ? (
                            <PublishButton year={year} departmentId={d.id} kind="targets" label="发布绩效目标" name={d.name} busy={busy} />
                          ) : (
                            <span className="muted">没有已批复的绩效目标表</span>
                          )}
                          <PublishButton year={year} departmentId={d.id} kind="results" label="发布自评结果" name={d.name} busy={busy} />
                        </div>
                      </td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <section aria-labelledby="published">
        <div className="page-header">
          <h2 id="published">{year} 年已发布</h2>
          {publications.length ? (
            <a className="btn" href={`/publications/zip?year=${year}`} download>
              下载全部（zip，每个部门每类最新一次）
            </a>
          ) : null}
        </div>
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th>发布时间</th>
                <th>部门</th>
                <th>内容</th>
                <th className="num">表数</th>
                <th>文件</th>
                <th>操作</th>
              </tr>
            </thead>
            <tbody>
              {publications.length === 0 ? (
                <tr>
                  <td colSpan={6} className="empty">
                    {year} 年尚未发布
                  </td>
                </tr>
              ) : (
                publications.map((p) => (
                  <tr key={p.id}>
                    <td>{formatDateTime(p.createdAt)}</td>
                    <td>
                      {p.department.code}-{p.department.name}
                    </td>
                    <td>{KIND_LABELS[p.kind]}</td>
                    <td className="num">{p.tableCount}</td>
                    <td>
                      {p.fileName}（{kb(p.size)}）
                    </td>
                    <td>
                      <Link to={`/publications/${p.id}`}>查看</Link> · <a href={`/publications/${p.id}/docx`}>下载 Word</a>
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "绩效公开 · jixiao" }];
