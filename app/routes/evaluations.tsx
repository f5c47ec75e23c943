import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { requireUser } from "~/auth/permissions.server";
import { NotYetBuilt } from "~/components/NotYetBuilt";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

export default function Page() {
  return <NotYetBuilt title="自评" what="年度绩效自评（填报实际完成值、自动评分与等级）将在后续版本提供。" />;
}

export const meta: MetaFunction = () => [{ title: "自评 · jixiao" }];
