import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { clientAddressOf } from "~/auth/login-throttle.server";
import { safeRedirect } from "~/auth/permissions.server";
import { createUserSession, getSessionUser } from "~/auth/session.server";
import { Field } from "~/components/Field";
import { verifyLogin } from "~/models/users.server";

const loginSchema = z.object({
  username: z.string().trim().min(1, "请输入用户名").max(64, "用户名过长"),
  password: z.string().min(1, "请输入密码").max(256, "密码过长"),
  redirectTo: z.string().optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getSessionUser(request)) throw redirect("/");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = Object.fromEntries(await request.formData());
  const parsed = loginSchema.safeParse(form);
  const username = typeof form.username === "string" ? form.username : "";
  if (!parsed.success) {
    const errors = parsed.error.flatten().fieldErrors;
    return json({ error: null, fieldErrors: errors, username }, { status: 400 });
  }
  // The address comes from the server (load context), never from X-Forwarded-For.
  const result = await verifyLogin(parsed.data.username, parsed.data.password, { address: clientAddressOf(context) });
  if (!result.ok) {
    return json({ error: result.error, fieldErrors: {}, username }, { status: 400 });
  }
  return createUserSession(result.userId, safeRedirect(parsed.data.redirectTo));
}

export default function Login() {
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const fieldErrors = (data?.fieldErrors ?? {}) as Record<string, string[] | undefined>;
  return (
    <div className="login">
      <h1>登录 jixiao 预算绩效管理</h1>
      <div className="card">
        {data?.error ? (
          <div className="alert alert-error" role="alert">
            {data.error}
          </div>
        ) : null}
        <Form method="post" noValidate>
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
          <Field
            label="用户名"
            name="username"
            autoComplete="username"
            autoFocus={!data?.username}
            defaultValue={data?.username ?? ""}
            error={fieldErrors.username?.[0]}
            required
          />
          <Field
            label="密码"
            name="password"
            type="password"
            autoComplete="current-password"
            autoFocus={Boolean(data?.username)}
            error={fieldErrors.password?.[0]}
            required
          />
          <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
            登录
          </button>
        </Form>
      </div>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: "登录 · jixiao" }];
