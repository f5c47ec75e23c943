// GET /public/:regionSlug/:publicationId — one publication of a region whose public page is
// on, without login: its tables (name, version, approval date) and each table in the
// published layout, printable (A4 portrait). Another region's publication, an unknown id or
// a region with the page off: 404. Never calls requireUser.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { notFound } from "~/auth/permissions.server";
import { PublicationTables, PublicationToolbar } from "~/components/PublishedTable";
import { getPublicPublication, getPublicRegion } from "~/models/publication.server";
import printStyles from "~/styles/print-table.css";
import publicationStyles from "~/styles/publication.css";
import { KIND_LABELS } from "~/io/docx/layout";
import { formatDateTime } from "~/utils/format";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: printStyles },
  { rel: "stylesheet", href: publicationStyles },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const region = getPublicRegion(params.regionSlug ?? "");
  const raw = params.publicationId ?? "";
  const publication = region && /^\d{1,15}$/.test(raw) ? getPublicPublication(region.id, Number(raw)) : null;
  if (!region || !publication) throw notFound();
  return { region: { slug: region.slug, name: region.name }, publication };
}

export default function PublicPublication() {
  const { region, publication: p } = useLoaderData<typeof loader>();
  return (
    <>
      <PublicationToolbar
        trail={
          <>
            <Link to={`/public/${region.slug}`}>{region.name} 绩效公开</Link> / {p.departmentName} {p.year} 年
          </>
        }
        status={`发布于 ${formatDateTime(p.createdAt)}`}
        docxHref={`/public/${region.slug}/${p.id}/docx`}
      />
      <PublicationTables
        heading={`${p.departmentName} ${p.year} 年${KIND_LABELS[p.kind]}公开`}
        tables={p.tables}
        extra={{
          header: "单表",
          cell: (i) => (
            <>
              <Link to={`/public/${region.slug}/${p.id}/${i + 1}`}>查看</Link> · <a href={`/public/${region.slug}/${p.id}/${i + 1}/docx`}>Word</a>
            </>
          ),
        }}
      />
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.publication.departmentName} ${data.publication.year} 年${KIND_LABELS[data.publication.kind]}公开 · ${data.region.name}` : "绩效公开" },
];
