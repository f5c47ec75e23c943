// GET /publications/:publicationId — one publication as it was published: what it holds (each
// table's version and approval date) and every table in the published layout, ready for the
// browser's 打印 (A4 portrait, one table per page). Finance and admin: their region; a
// department: its own. Anything else is a 404.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { notFound, requireRole } from "~/auth/permissions.server";
import { PublicationTables, PublicationToolbar } from "~/components/PublishedTable";
import { getPublication } from "~/models/publication.server";
import printStyles from "~/styles/print-table.css";
import publicationStyles from "~/styles/publication.css";
import { KIND_LABELS } from "~/io/docx/layout";
import { formatDateTime } from "~/utils/format";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: printStyles },
  { rel: "stylesheet", href: publicationStyles },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["finance", "department", "admin"]);
  const raw = params.publicationId ?? "";
  const publication = /^\d{1,15}$/.test(raw) ? getPublication(user, Number(raw)) : null;
  if (!publication) throw notFound();
  return { publication };
}

export default function PublicationView() {
  const { publication: p } = useLoaderData<typeof loader>();
  return (
    <>
      <PublicationToolbar
        trail={
          <>
            <Link to={`/publications?year=${p.year}`}>绩效公开</Link> / {p.department.name} {p.year} 年
          </>
        }
        status={`发布于 ${formatDateTime(p.createdAt)} · ${p.tableCount} 张表`}
        docxHref={`/publications/${p.id}/docx`}
      />
      <PublicationTables heading={`${p.department.name} ${p.year} 年${KIND_LABELS[p.kind]}公开`} tables={p.tables} />
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.publication.department.name} ${data.publication.year} 年${KIND_LABELS[data.publication.kind]}公开 · jixiao` : "绩效公开 · jixiao" },
];
