// GET /evaluations/:roundId/xlsx[?department=ID] — a department's or the region's
// evaluations as one workbook: an index sheet (目录) linking to one 自评表 per evaluation and,
// for finance, the summary sheet (汇总表). Bounded; 404 outside the user's scope.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { roundXlsxLoader } from "~/http/evaluation-export-route.server";

export const loader = ({ request, params }: LoaderFunctionArgs) => roundXlsxLoader(request, params);
