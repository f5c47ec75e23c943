// GET /evaluations/:roundId/d/:ownerId/json — the evaluation as exchange JSON
// (jixiao.table/v1 with its values, finance's adjustments as overrides and the rule set), so
// `jixiao score FILE` gives the total and grade the web shows (docs/cli.md). 404 outside the
// user's scope.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { evaluationJsonLoader } from "~/http/evaluation-export-route.server";

export const loader = ({ request, params }: LoaderFunctionArgs) => evaluationJsonLoader(request, params, "department");
