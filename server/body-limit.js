// @ts-check
// Every request body is read here, before the app sees it, and counted as it arrives, so a
// chunked body without Content-Length is held to the same limit; a declared length over
// the limit is refused before anything is read. Multipart bodies also have their parts
// counted on the stream (by their boundary delimiters). Over a limit the answer is 413 in
// Chinese, then a "lingering close": the server half-closes the connection and discards
// what the client still sends for a few seconds before closing it. Node's own close after
// a "Connection: close" answer would destroy the socket at once, and the reset a client
// gets while still sending can overtake the answer, so it never reads its 413. The
// server goes on serving others. The whole body is kept in memory: the app reads forms
// and uploads whole anyway (request.formData(), the memory upload handler of /import).
// See docs/decisions/014-custom-server.md.
import { sendPage } from "./pages.js";

/**
 * @typedef {object} BodyLimits
 * @property {number} formBytes      urlencoded and any other non-multipart body
 * @property {number} uploadBytes    a multipart body (the file plus its envelope)
 * @property {number} maxParts       parts of one multipart body
 * @property {Record<string, number>} [formBytesByPath]  larger non-multipart limits for some paths
 * @property {number} [uploadMb]     the file limit in MB, for the message (the envelope aside)
 */

/** How long the rest of a refused body is read and discarded before the socket closes. */
const LINGER_MS = 5000;

/** @type {WeakMap<import("express").Request, Buffer>} */
const bodies = new WeakMap();

/**
 * The body read for this request (an empty buffer when it had none).
 * @param {import("express").Request} req
 */
export function bodyOf(req) {
  return bodies.get(req) ?? EMPTY;
}
const EMPTY = Buffer.alloc(0);

/**
 * The boundary of a multipart Content-Type, or null.
 * @param {string} contentType
 */
export function multipartBoundary(contentType) {
  const m = /;\s*boundary=(?:"([^"]{1,200})"|([^;\s]{1,200}))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : null;
}

/**
 * Counts multipart delimiters (CRLF "--" boundary; the body start counts as a CRLF) in a
 * stream of chunks, also when one straddles two chunks. n parts make n + 1 delimiters
 * (the last one closes the body).
 */
export class DelimiterCounter {
  /** @param {string} boundary */
  constructor(boundary) {
    this.needle = Buffer.from(`\r\n--${boundary}`, "latin1");
    /** The last needle.length - 1 bytes seen, where a delimiter may have begun. */
    this.tail = Buffer.from("\r\n", "latin1");
    this.count = 0;
  }

  /** @param {Buffer} chunk @returns {number} delimiters so far */
  push(chunk) {
    const n = this.needle.length;
    // Delimiters that begin in the tail and end in this chunk…
    const straddle = Buffer.concat([this.tail, chunk.subarray(0, n - 1)]);
    for (let i = straddle.indexOf(this.needle); i !== -1 && i < this.tail.length; i = straddle.indexOf(this.needle, i + 1)) {
      this.count++;
    }
    // …and those wholly inside it.
    for (let i = chunk.indexOf(this.needle); i !== -1; i = chunk.indexOf(this.needle, i + n)) this.count++;
    const joined = chunk.length >= n - 1 ? chunk : Buffer.concat([this.tail, chunk]);
    this.tail = Buffer.from(joined.subarray(Math.max(0, joined.length - (n - 1))));
    return this.count;
  }
}

/**
 * Refuses a request whose body may still be arriving: answers, discards what still
 * arrives for a while, then closes the connection.
 * @param {import("express").Request} req
 * @param {import("express").Response} res
 * @param {number} status
 * @param {string} message
 */
export function refuse(req, res, status, message) {
  req.on("data", () => {});
  req.resume();
  lingerOnClose(req.socket);
  sendPage(req, res, status, message, { close: true });
}

/**
 * Node's http server ends a "Connection: close" exchange with socket.destroySoon(); for
 * this socket that becomes: send our FIN, keep reading (the parser discards the body),
 * and destroy only when the client has finished too or LINGER_MS have passed.
 * @param {import("net").Socket} socket
 */
function lingerOnClose(socket) {
  socket.destroySoon = function lingeringClose() {
    if (this.writable) this.end();
    const timer = setTimeout(() => this.destroy(), LINGER_MS).unref();
    this.once("close", () => clearTimeout(timer));
  };
}

/** @param {number} bytes */
const mb = (bytes) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/**
 * @param {BodyLimits} limits
 * @returns {import("express").RequestHandler}
 */
export function limitBodies(limits) {
  const formMessage = (/** @type {number} */ limit) => `请求内容过大：一次提交的内容不能超过 ${mb(limit)}，请减少内容后重试。`;
  const uploadMessage = `请求内容过大：网页导入的文件不能超过 ${limits.uploadMb != null ? `${limits.uploadMb} MB` : mb(limits.uploadBytes)}，请拆分后再导入。`;
  const partsMessage = `请求内容过大：一次提交的分段不能超过 ${limits.maxParts} 个。`;

  return (req, res, next) => {
    const declared = req.headers["content-length"];
    if (req.headers["transfer-encoding"] === undefined && (declared === undefined || declared === "0")) return next();

    const type = req.headers["content-type"] ?? "";
    const multipart = /^multipart\//i.test(type);
    const boundary = multipart ? multipartBoundary(type) : null;
    if (multipart && !boundary) {
      refuse(req, res, 400, "请求有误：上传内容的格式无法识别，请重新选择文件后再试。");
      return;
    }
    const limit = multipart ? limits.uploadBytes : (limits.formBytesByPath?.[req.path.replace(/(.)\/+$/, "$1")] ?? limits.formBytes);
    const tooLarge = multipart ? uploadMessage : formMessage(limit);
    if (declared !== undefined && Number(declared) > limit) {
      refuse(req, res, 413, tooLarge);
      return;
    }

    const counter = boundary ? new DelimiterCounter(boundary) : null;
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    const stop = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onGone);
      req.off("close", onGone);
    };
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      size += chunk.length;
      if (size > limit) {
        stop();
        refuse(req, res, 413, tooLarge);
      } else if (counter && counter.push(chunk) > limits.maxParts + 1) {
        stop();
        refuse(req, res, 413, partsMessage);
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = () => {
      stop();
      bodies.set(req, Buffer.concat(chunks, size));
      next();
    };
    // The client went away (or the socket failed) before the end: nobody to answer.
    const onGone = () => stop();
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onGone);
    req.on("close", onGone);
  };
}
