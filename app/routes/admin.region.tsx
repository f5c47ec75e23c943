import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/auth/permissions.server";
import { Field } from "~/components/Field";
import { getRegionSettings, updateRegionSettings } from "~/models/org.server";
import { toFieldErrors } from "~/utils/user-forms";

const settingsSchema = z.object({
  currentYear: z.coerce
    .number({ invalid_type_error: "年度须为数字" })
    .int("年度须为整数")
    .min(2000, "年度不能早于 2000")
    .max(2100, "年度不能晚于 2100"),
  skipDepartmentReview: z.preprocess((v) => v === "on", z.boolean()),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["admin"]);
  return { settings: getRegionSettings(user) };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, ["admin"]);
  const values = Object.fromEntries(await request.formData()) as Record<string, string>;
  const parsed = settingsSchema.safeParse(values);
  if (!parsed.success) return json({ values, errors: toFieldErrors(parsed.error) }, { status: 400 });
  updateRegionSettings(admin, parsed.data);
  return redirect("/admin/region?saved=1");
}

export default function RegionSettings() {
  const { settings } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const values = data?.values;
  return (
    <div className="card" style={{ maxWidth: 640 }}>
      <h2>{settings.name}</h2>
      {params.get("saved") && !data ? <div className="alert alert-success" role="status">已保存</div> : null}
      <Form method="post" noValidate>
        <Field
          label="当前工作年度"
          name="currentYear"
          inputMode="numeric"
          defaultValue={values?.currentYear ?? String(settings.currentYear)}
          error={data?.errors.currentYear}
          hint="新建项目、工作台和列表默认使用此年度"
        />
        <div className="field">
          <label>
            <input
              type="checkbox"
              name="skipDepartmentReview"
              defaultChecked={values ? values.skipDepartmentReview === "on" : settings.skipDepartmentReview}
            />{" "}
            项目绩效目标表不经主管部门审核，提交后直接报财政审核
          </label>
        </div>
        <button type="submit" className="btn btn-primary">
          保存
        </button>
      </Form>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: "地区设置 · 系统管理 · jixiao" }];
