import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { EvaluationEntryPage } from "~/components/EvaluationEntry";
import { evaluationAction, evaluationLoader } from "~/http/evaluation-route.server";

// 绩效自评 of a project: /evaluations/:roundId/p/:projectId (the 部门整体 twin is …/d/…).
export const loader = ({ request, params }: LoaderFunctionArgs) => evaluationLoader(request, params, "project");
export const action = ({ request, params }: ActionFunctionArgs) => evaluationAction(request, params, "project");

export default EvaluationEntryPage;

export const meta: MetaFunction = () => [{ title: "绩效自评 · jixiao" }];
