// GET /public/:regionSlug/:publicationId/:n — the n-th table (1-based) of a publication, on its
// own page, printable; its own Word file at …/:n/docx. Same 404s as the publication page.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PublicationToolbar, PublishedLayout, layoutOf } from "~/components/PublishedTable";
import { notFound } from "~/auth/permissions.server";
import { publicTableOf } from "~/models/publication.server";
import printStyles from "~/styles/print-table.css";
import publicationStyles from "~/styles/publication.css";
import { formatDateTime } from "~/utils/format";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: printStyles },
  { rel: "stylesheet", href: publicationStyles },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const found = publicTableOf(params);
  if (!found) throw notFound();
  const { region, publication, n, table } = found;
  return {
    region: { slug: region.slug, name: region.name },
    publication: { id: publication.id, year: publication.year, departmentName: publication.departmentName, count: publication.tables.length },
    n,
    table,
  };
}

export default function PublicTable() {
  const { region, publication: p, n, table: t } = useLoaderData<typeof loader>();
  return (
    <>
      <PublicationToolbar
        trail={
          <>
            <Link to={`/public/${region.slug}`}>{region.name} 绩效公开</Link> / <Link to={`/public/${region.slug}/${p.id}`}>{p.departmentName} {p.year} 年</Link> / 第 {n} 张（共 {p.count} 张）
          </>
        }
        status={`第 ${t.version} 版 · 批复于 ${formatDateTime(t.approvedAt)}`}
        docxHref={`/public/${region.slug}/${p.id}/${n}/docx`}
      />
      <div className="print-sheet">
        <PublishedLayout layout={layoutOf(t)} />
      </div>
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.table.name} · ${data.region.name} 绩效公开` : "绩效公开" }];
