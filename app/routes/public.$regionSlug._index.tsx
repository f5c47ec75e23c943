// GET /public/:regionSlug — 绩效公开, without login: what a region has published, by year and
// department, each publication viewable in the browser and downloadable. Only for a region
// that switched its public page on; anything else (an unknown slug, a region with the page
// off) is a 404. Reads nothing but the region's publications: no drafts, no reviews, no user
// names (app/models/publication.server.ts). Never calls requireUser.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { notFound } from "~/auth/permissions.server";
import { getPublicRegion, listPublicPublications } from "~/models/publication.server";
import publicationStyles from "~/styles/publication.css";
import { KIND_LABELS } from "~/io/docx/layout";
import { formatDateTime } from "~/utils/format";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: publicationStyles }];

export async function loader({ params }: LoaderFunctionArgs) {
  const region = getPublicRegion(params.regionSlug ?? "");
  if (!region) throw notFound();
  const rows = listPublicPublications(region.id);
  const years: Array<{ year: number; items: typeof rows }> = [];
  for (const r of rows) {
    const last = years[years.length - 1];
    if (last && last.year === r.year) last.items.push(r);
    else years.push({ year: r.year, items: [r] });
  }
  return { region: { slug: region.slug, name: region.name }, years };
}

export default function PublicIndex() {
  const { region, years } = useLoaderData<typeof loader>();
  return (
    <div className="public-header">
      <h1>{region.name} 绩效公开</h1>
      <p className="muted">本页公开本地区各部门已批复的绩效目标表（部门预算公开）和审核通过的绩效自评表（部门决算公开），可在线查看，也可下载 Word 文档。</p>
      {years.length === 0 ? <p className="empty">尚未发布任何内容。</p> : null}
      {years.map((y) => (
        <section key={y.year} aria-labelledby={`y${y.year}`}>
          <h2 id={`y${y.year}`}>{y.year} 年</h2>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th>部门</th>
                  <th>内容</th>
                  <th className="num">表数</th>
                  <th>发布时间</th>
                  <th>查看与下载</th>
                </tr>
              </thead>
              <tbody>
                {y.items.map((p) => (
                  <tr key={p.id}>
                    <td>{p.departmentName}</td>
                    <td>{KIND_LABELS[p.kind]}</td>
                    <td className="num">{p.tableCount}</td>
                    <td>{formatDateTime(p.createdAt)}</td>
                    <td>
                      <Link to={`/public/${region.slug}/${p.id}`}>在线查看</Link> · <a href={`/public/${region.slug}/${p.id}/docx`}>下载 Word</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.region.name} 绩效公开` : "绩效公开" }];
