// @ts-check
// Cross-site request forgery: a request that may change state must say, through Origin
// (or Referer when a browser sends no Origin), that it comes from a page of this very
// origin. Browsers set both headers themselves and pages cannot forge them, so another
// site's form or script is refused before its body is read. SameSite=Lax on the session
// cookie is the second line. See docs/decisions/014-custom-server.md.
import { refuse } from "./body-limit.js";
import { requestOrigin } from "./origin.js";

/** Methods that never change state (no loader writes; Remix answers OPTIONS with 405). */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const CROSS_SITE_MESSAGE = "无法确认请求来自本系统的页面，操作已被拒绝（跨站请求）。请回到系统页面刷新后重试。";

/**
 * The origin the browser says the request comes from: Origin, or when there is none the
 * origin of Referer. Null when neither names one ("null" origins included).
 * @param {import("express").Request} req
 * @returns {string | null}
 */
export function sourceOrigin(req) {
  const origin = req.headers.origin;
  const raw = origin !== undefined ? origin : req.headers.referer;
  if (!raw || raw === "null") return null;
  try {
    const url = new URL(raw);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}

/** @returns {import("express").RequestHandler} */
export function sameOriginOnly() {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const expected = requestOrigin(req);
    if (expected !== null && sourceOrigin(req) === expected) return next();
    refuse(req, res, 403, CROSS_SITE_MESSAGE);
  };
}
