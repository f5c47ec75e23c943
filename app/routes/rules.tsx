import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { requireRole } from "~/auth/permissions.server";
import { NotYetBuilt } from "~/components/NotYetBuilt";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["finance"]);
  return null;
}

export default function Page() {
  return <NotYetBuilt title="规则集" what="规则集的查看与编辑正在建设中；目前使用内置规则集检查绩效目标表。" />;
}

export const meta: MetaFunction = () => [{ title: "规则集 · jixiao" }];
