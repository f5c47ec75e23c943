import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { MonitoringEntryPage } from "~/components/MonitoringEntry";
import { entryAction, entryLoader } from "~/http/entry-route.server";

// 监控填报 of a project: /monitoring/:roundId/p/:projectId (the 部门整体 twin is …/d/…).
export const loader = ({ request, params }: LoaderFunctionArgs) => entryLoader(request, params, "project");
export const action = ({ request, params }: ActionFunctionArgs) => entryAction(request, params, "project");

export default MonitoringEntryPage;

export const meta: MetaFunction = () => [{ title: "监控填报 · jixiao" }];
