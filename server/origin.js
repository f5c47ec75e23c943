// @ts-check
// Where a request came from and what it was addressed to. X-Forwarded-* headers are
// believed only from a trusted proxy (express "trust proxy", set by JIXIAO_TRUST_PROXY);
// anyone can send them, so without a proxy they are ignored. See docs/decisions/014-custom-server.md.

/** @typedef {import("express").Request} Request */

/** @param {string | string[] | undefined} value */
function first(value) {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  const comma = v.indexOf(",");
  return (comma === -1 ? v : v.slice(0, comma)).trim() || undefined;
}

/**
 * True when the peer on the socket is a proxy we trust.
 * @param {Request} req
 */
export function fromTrustedProxy(req) {
  const trust = req.app.get("trust proxy fn");
  return typeof trust === "function" && trust(req.socket.remoteAddress, 0);
}

/**
 * The request's own origin, `proto://host[:port]`: Host (X-Forwarded-Host behind a
 * trusted proxy) and the protocol express derives (X-Forwarded-Proto likewise).
 * Null when the request names no host.
 * @param {Request} req
 * @returns {string | null}
 */
export function requestOrigin(req) {
  const host = (fromTrustedProxy(req) && first(req.headers["x-forwarded-host"])) || req.headers.host;
  if (!host) return null;
  try {
    const url = new URL(`${req.protocol}://${host}`);
    return url.host === "" ? null : url.origin;
  } catch {
    return null;
  }
}

/**
 * The client's address: the socket's peer, or the client a trusted proxy names in
 * X-Forwarded-For (express's req.ip). IPv4 addresses mapped into IPv6 are unmapped,
 * so one client has one spelling.
 * @param {Request} req
 */
export function clientAddress(req) {
  const ip = req.ip ?? req.socket.remoteAddress ?? "";
  return ip.startsWith("::ffff:") && ip.includes(".") ? ip.slice(7) : ip;
}
