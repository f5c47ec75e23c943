// @ts-check
// Security headers on every response, and a fresh CSP nonce per request that the app puts
// on Remix's own inline scripts (load context → entry.server.tsx → root.tsx). Scripts may
// come from this origin only (the app's bundles, ECharts included); no other inline script
// runs. Styles allow inline `style` attributes, which the pages use. Over HTTPS: HSTS, and
// every cookie set is marked Secure. See docs/decisions/014-custom-server.md.
import crypto from "node:crypto";

/** @param {string} nonce */
export function contentSecurityPolicy(nonce) {
  return (
    `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'unsafe-inline'; ` +
    `img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; ` +
    `frame-ancestors 'none'; base-uri 'self'; form-action 'self'`
  );
}

/**
 * Adds "; Secure" to Set-Cookie values that lack it.
 * @param {number | string | readonly string[]} value
 */
export function secureCookies(value) {
  /** @param {string} c */
  const one = (c) => (/;\s*secure\s*(;|$)/i.test(c) ? c : `${c}; Secure`);
  if (Array.isArray(value)) return value.map(one);
  return typeof value === "string" ? one(value) : value;
}

/** @returns {import("express").RequestHandler} */
export function securityHeaders() {
  return (req, res, next) => {
    const nonce = crypto.randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce));
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    // req.secure: TLS on the socket, or X-Forwarded-Proto=https from a trusted proxy.
    if (req.secure) {
      res.setHeader("Strict-Transport-Security", "max-age=31536000");
      const setHeader = res.setHeader;
      res.setHeader = function (name, value) {
        return setHeader.call(this, name, name.toLowerCase() === "set-cookie" ? secureCookies(value) : value);
      };
    }
    next();
  };
}
