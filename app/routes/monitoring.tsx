import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { requireUser } from "~/auth/permissions.server";
import { NotYetBuilt } from "~/components/NotYetBuilt";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

export default function Page() {
  return <NotYetBuilt title="监控" what="绩效运行监控（预算执行与指标完成情况的“双监控”、红黄绿灯预警）将在后续版本提供。" />;
}

export const meta: MetaFunction = () => [{ title: "监控 · jixiao" }];
