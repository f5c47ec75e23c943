import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { requireRole } from "~/auth/permissions.server";
import { NotYetBuilt } from "~/components/NotYetBuilt";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["department"]);
  return null;
}

export default function Page() {
  return <NotYetBuilt title="部门整体目标" what="部门（单位）整体绩效目标表的在线填报正在建设中。" />;
}

export const meta: MetaFunction = () => [{ title: "部门整体目标 · jixiao" }];
