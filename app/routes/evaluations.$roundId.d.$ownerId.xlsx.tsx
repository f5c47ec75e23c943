// GET /evaluations/:roundId/d/:ownerId/xlsx — the 部门整体支出绩效自评表 of a department as .xlsx in the official
// layout (app/io/xlsx/evaluation-export.ts), scores as the entry page shows them. A resource
// route; 404 outside the user's scope.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { evaluationXlsxLoader } from "~/http/evaluation-export-route.server";

export const loader = ({ request, params }: LoaderFunctionArgs) => evaluationXlsxLoader(request, params, "department");
