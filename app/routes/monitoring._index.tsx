import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { RoundsIndexPage } from "~/components/RoundsIndex";
import { roundsIndexAction, roundsIndexLoader } from "~/http/rounds-route.server";

// 监控: the year's monitoring rounds, what waits for the user, finance opens a round.
export const loader = ({ request }: LoaderFunctionArgs) => roundsIndexLoader(request, "monitoring");
export const action = ({ request }: ActionFunctionArgs) => roundsIndexAction(request, "monitoring");

export default RoundsIndexPage;

export const meta: MetaFunction = () => [{ title: "监控 · jixiao" }];
