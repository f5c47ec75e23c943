// GET /evaluations/:roundId/p/:ownerId/print — the project's 项目支出绩效自评表 in the official
// layout (as the .xlsx export), for the browser's 打印 → PDF on A4 landscape. Server rendered,
// readable without JavaScript. The `_` in the file name keeps the page out of the entry page's
// layout. 404 outside the user's scope, as the entry page.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { EvaluationPrintPage, printLinks, printMeta } from "~/components/EvaluationPrint";
import { evaluationSheetLoader } from "~/http/evaluation-export-route.server";

export const links = printLinks;

export async function loader({ request, params }: LoaderFunctionArgs) {
  return { sheet: await evaluationSheetLoader(request, params, "project") };
}

export default EvaluationPrintPage;

export const meta = printMeta;
