// Zod schemas of the admin's user forms, shared by the create and edit pages.
import { z } from "zod";
import { ROLES } from "../domain/workflow";
import { ROLE_LABELS } from "../auth/types";

const optionalId = z.preprocess((v) => (v === "" || v === undefined ? null : v), z.coerce.number().int().positive().nullable());

export const userFieldsSchema = z.object({
  displayName: z.string().trim().min(1, "请填写姓名").max(50, "姓名过长"),
  role: z.enum(ROLES, { errorMap: () => ({ message: "请选择角色" }) }),
  departmentId: optionalId,
  unitId: optionalId,
});

export const passwordSchema = z.string().min(8, "密码至少 8 位").max(128, "密码过长");

export const newUserSchema = userFieldsSchema.extend({
  username: z
    .string()
    .trim()
    .min(3, "用户名至少 3 个字符")
    .max(64, "用户名过长")
    .regex(/^[a-zA-Z0-9._-]+$/, "用户名只能包含字母、数字、点、下划线和连字符"),
  password: passwordSchema,
});

export const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

export function toFieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(error.flatten().fieldErrors)) if (v?.[0]) out[k] = v[0];
  return out;
}
