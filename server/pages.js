// @ts-check
// Short Chinese answers the server gives by itself (413, 403, 400, 500), before or
// instead of the Remix app. A browser navigation gets a small HTML page; a fetch from
// the app's own scripts (Remix data requests carry `_data`) gets plain text, which the
// app's error boundary shows as the message.

/** @typedef {import("express").Request} Request */
/** @typedef {import("express").Response} Response */

const TITLES = /** @type {Record<number, string>} */ ({
  400: "请求有误",
  403: "请求被拒绝",
  413: "请求内容过大",
  500: "系统错误",
  503: "服务正在停止",
});

/** @param {string} s */
const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** @param {Request} req */
function wantsHtml(req) {
  if (typeof req.query?._data === "string") return false;
  return (req.headers.accept ?? "").includes("text/html");
}

/**
 * Sends a short page. `close` asks the client to open a new connection afterwards
 * (used when the request's body was not read, so the connection cannot be reused).
 * @param {Request} req
 * @param {Response} res
 * @param {number} status
 * @param {string} message
 * @param {{ close?: boolean }} [options]
 */
export function sendPage(req, res, status, message, options = {}) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const title = TITLES[status] ?? "出错了";
  if (options.close) res.setHeader("Connection", "close");
  res.status(status);
  res.setHeader("Cache-Control", "no-store");
  if (wantsHtml(req)) {
    res.type("html");
    res.end(
      `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>${title} · jixiao</title></head><body><main style="max-width:40em;margin:4em auto;font-family:sans-serif">` +
        `<p>${status}</p><h1>${title}</h1><p>${escapeHtml(message)}</p><p><a href="/">返回工作台</a></p></main></body></html>`,
    );
  } else {
    res.type("text/plain; charset=utf-8");
    res.end(message);
  }
}

/**
 * The last express error handler: logs the error, answers 500 in Chinese.
 * @type {import("express").ErrorRequestHandler}
 */
export function errorHandler(error, req, res, _next) {
  console.error(error);
  sendPage(req, res, 500, "服务器处理请求时出错，您的操作未生效。请稍后重试；如问题持续，请联系系统管理员。");
}
