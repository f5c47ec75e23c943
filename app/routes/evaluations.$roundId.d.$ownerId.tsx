import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { EvaluationEntryPage } from "~/components/EvaluationEntry";
import { evaluationAction, evaluationLoader } from "~/http/evaluation-route.server";

// 绩效自评 of a 部门整体 target: /evaluations/:roundId/d/:targetId (the project twin is …/p/…).
export const loader = ({ request, params }: LoaderFunctionArgs) => evaluationLoader(request, params, "department");
export const action = ({ request, params }: ActionFunctionArgs) => evaluationAction(request, params, "department");

export default EvaluationEntryPage;

export const meta: MetaFunction = () => [{ title: "绩效自评 · jixiao" }];
