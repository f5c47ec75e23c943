// The admin's 主管部门 and 预算单位 forms: the fields they share, and the one way an action
// validates, saves and answers (400 with the input and errors kept, 404, or a redirect).
import { json, redirect } from "@remix-run/node";
import { z } from "zod";
import { notFound } from "../auth/permissions.server";
import type { OrgResult } from "../models/org.server";

export const orgFields = {
  id: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().positive().optional()),
  code: z.string().trim().min(1, "请填写编码").max(32, "编码过长").regex(/^[0-9A-Za-z-]+$/, "编码只能包含数字、字母和连字符"),
  name: z.string().trim().min(1, "请填写名称").max(100, "名称过长"),
};

export async function saveOrgForm<T>(
  request: Request,
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  save: (data: T) => OrgResult | null,
  redirectTo: string,
) {
  const values = Object.fromEntries(await request.formData()) as Record<string, string>;
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    return json({ values, errors: parsed.error.flatten().fieldErrors as Record<string, string[]> }, { status: 400 });
  }
  const result = save(parsed.data);
  if (!result) throw notFound();
  if (!result.ok) {
    const errors: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(result.errors)) if (v) errors[k] = [v];
    return json({ values, errors }, { status: 400 });
  }
  return redirect(redirectTo);
}
