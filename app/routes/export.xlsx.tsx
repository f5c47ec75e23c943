// GET /export/xlsx?year=&departmentId= — every table of a year in the user's scope (or of
// one department) as one workbook: an index sheet (目录) and a sheet per table. A resource
// route. A department outside the user's scope is a 404; a unit user gets only their projects.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { notFound, requireUser } from "~/auth/permissions.server";
import { tablesToWorkbook } from "~/io/xlsx";
import { getScopeExport } from "~/models/export.server";
import { xlsxResponse } from "~/utils/download";

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
const querySchema = z.object({
  year: z.preprocess(blankToUndefined, z.coerce.number().int().min(1990).max(2100).optional()),
  departmentId: z.preprocess(blankToUndefined, z.coerce.number().int().positive().optional()),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new Response("参数有误：年度或主管部门无效", { status: 400 });
  const year = parsed.data.year ?? user.currentYear;
  const scope = getScopeExport(user, { year, departmentId: parsed.data.departmentId ?? null });
  if (!scope) throw notFound();
  const title = `${scope.scopeName}${year}年绩效目标表`;
  const body = await tablesToWorkbook(
    scope.tables.map((t) => t.table),
    { title, index: true },
  );
  const fallback = scope.department ? `jixiao-${year}-department-${scope.department.id}.xlsx` : `jixiao-${year}.xlsx`;
  return xlsxResponse(body, `${title}.xlsx`, fallback);
}
