import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { RoundsIndexPage } from "~/components/RoundsIndex";
import { roundsIndexAction, roundsIndexLoader } from "~/http/rounds-route.server";

// 自评: the year-end self-evaluation rounds, what waits for the user, finance opens one.
export const loader = ({ request }: LoaderFunctionArgs) => roundsIndexLoader(request, "evaluation");
export const action = ({ request }: ActionFunctionArgs) => roundsIndexAction(request, "evaluation");

export default RoundsIndexPage;

export const meta: MetaFunction = () => [{ title: "自评 · jixiao" }];
