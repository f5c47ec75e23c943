// Guards throw responses: no user → redirect to login; wrong role → 403;
// a row outside the user's scope → 404 (never confirm that another tenant's id exists).
import { redirect } from "@remix-run/node";
import type { Role } from "../../db/schema";
import { getSessionUser } from "./session.server";
import type { CurrentUser } from "./types";

export async function requireUser(request: Request): Promise<CurrentUser> {
  const user = await getSessionUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(back === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}

export async function requireRole(request: Request, roles: readonly Role[]): Promise<CurrentUser> {
  const user = await requireUser(request);
  if (!roles.includes(user.role)) throw forbidden();
  return user;
}

export function forbidden(): Response {
  return new Response("无权访问", { status: 403, statusText: "Forbidden" });
}

export function notFound(): Response {
  return new Response("未找到", { status: 404, statusText: "Not Found" });
}

/** Only same-site paths may be redirect targets after login. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
