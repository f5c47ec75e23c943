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

const PROBE_ORIGIN = "http://x.invalid";

/**
 * Only same-site paths may be redirect targets after login: browsers drop tabs and newlines
 * and read "\\" as "/", so "/\t/evil" means "//evil". Control characters and backslashes are
 * refused; what is left must parse to this origin and is returned as the parsed path.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  // eslint-disable-next-line no-control-regex
  if (typeof to !== "string" || !to.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, PROBE_ORIGIN);
  } catch {
    return fallback;
  }
  return url.origin === PROBE_ORIGIN ? url.pathname + url.search + url.hash : fallback;
}
