import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { requireRole } from "~/auth/permissions.server";
import { NotYetBuilt } from "~/components/NotYetBuilt";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["finance","admin"]);
  return null;
}

export default function Page() {
  return <NotYetBuilt title="导入" what="从公开文档或 Excel 导入绩效目标表的功能正在建设中。" />;
}

export const meta: MetaFunction = () => [{ title: "导入 · jixiao" }];
