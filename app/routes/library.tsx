import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { requireUser } from "~/auth/permissions.server";
import { NotYetBuilt } from "~/components/NotYetBuilt";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

export default function Page() {
  return <NotYetBuilt title="指标库" what="指标库（常用指标与本地区已批复指标的检索和推荐）正在建设中。" />;
}

export const meta: MetaFunction = () => [{ title: "指标库 · jixiao" }];
