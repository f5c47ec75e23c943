import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { MonitoringEntryPage } from "~/components/MonitoringEntry";
import { entryAction, entryLoader } from "~/http/entry-route.server";

// 监控填报 of a 部门整体 target: /monitoring/:roundId/d/:targetId (the project twin is …/p/…).
export const loader = ({ request, params }: LoaderFunctionArgs) => entryLoader(request, params, "department");
export const action = ({ request, params }: ActionFunctionArgs) => entryAction(request, params, "department");

export default MonitoringEntryPage;

export const meta: MetaFunction = () => [{ title: "监控填报 · jixiao" }];
