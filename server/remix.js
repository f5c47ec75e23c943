// @ts-check
// The Remix request handler for express, after @remix-run/express's createRequestHandler,
// which cannot be used as it is: it reads the request stream itself, and here body-limit.js
// has already read and counted the body. Also, the URL's host follows the same
// trusted-proxy rule as the CSRF check (origin.js).
import { createRequestHandler, writeReadableStreamToWritable } from "@remix-run/node";
import { bodyOf } from "./body-limit.js";
import { requestOrigin } from "./origin.js";
import { sendPage } from "./pages.js";

/** @param {import("node:http").IncomingHttpHeaders} raw */
function toHeaders(raw) {
  const headers = new Headers();
  for (const [key, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else if (value !== undefined) headers.set(key, value);
  }
  return headers;
}

/**
 * @param {import("express").Response} res
 * @param {Response} response
 */
async function sendResponse(res, response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (/text\/event-stream/i.test(response.headers.get("Content-Type") ?? "")) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

/**
 * @param {import("express").Request} req
 * @param {import("express").Response} res
 * @returns {Request | null} null when the request names no usable host
 */
function toRemixRequest(req, res) {
  const origin = requestOrigin(req);
  if (!origin) return null;
  let controller = /** @type {AbortController | null} */ (new AbortController());
  /** @type {RequestInit} */
  const init = { method: req.method, headers: toHeaders(req.headers), signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") init.body = bodyOf(req);
  // Abort loaders and actions when the client is gone before the response is sent.
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  // Concatenated, not resolved: a path like //other.example stays a path.
  return new Request(`${origin}${req.originalUrl}`, init);
}

/**
 * @param {object} options
 * @param {import("@remix-run/node").ServerBuild | (() => Promise<import("@remix-run/node").ServerBuild>)} options.build
 * @param {string} [options.mode]
 * @param {(req: import("express").Request, res: import("express").Response) => import("@remix-run/node").AppLoadContext} options.getLoadContext
 * @returns {import("express").RequestHandler}
 */
export function remixHandler({ build, mode, getLoadContext }) {
  const handle = createRequestHandler(build, mode);
  return async (req, res, next) => {
    try {
      const request = toRemixRequest(req, res);
      if (!request) return sendPage(req, res, 400, "请求有误：缺少或无效的 Host。");
      const response = await handle(request, getLoadContext(req, res));
      await sendResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}
