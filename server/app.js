// @ts-check
// The express app of server.js, in the order that matters: security headers (every
// response), static files, then for the app itself the CSRF check, the body limits and
// the handler. Tests build it with a stand-in handler. See docs/decisions/014-custom-server.md.
import express from "express";
import { limitBodies } from "./body-limit.js";
import { sameOriginOnly } from "./csrf.js";
import { errorHandler } from "./pages.js";
import { securityHeaders } from "./security.js";

/**
 * One line per request (method, path, status, milliseconds), only when asked for:
 * request logging costs throughput.
 * @returns {import("express").RequestHandler}
 */
function requestLog() {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.once("finish", () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      process.stdout.write(`${req.method} ${req.originalUrl} ${res.statusCode} ${ms.toFixed(1)}ms\n`);
    });
    next();
  };
}

/** A last path segment with an extension ("favicon.svg"); the app's pages have none. */
const FILE_NAME = /\/[^/]*\.[^/]+$/;

/**
 * Runs `files` only for paths that name a file: otherwise every page request would cost a
 * failed stat() of public/ and the error object that send builds for it.
 * @param {import("express").RequestHandler} files
 * @returns {import("express").RequestHandler}
 */
export function onlyFileNames(files) {
  return (req, res, next) => (FILE_NAME.test(req.path) ? files(req, res, next) : next());
}

/**
 * @param {object} options
 * @param {import("express").RequestHandler} options.handler  the app (Remix) handler
 * @param {import("./body-limit.js").BodyLimits} options.limits
 * @param {number} [options.trustProxy]  hops of trusted reverse proxies (0: none)
 * @param {boolean} [options.logRequests]
 * @param {{ publicPath: string, assetsDir: string, publicDir: string }} [options.static]
 */
export function createApp({ handler, limits, trustProxy = 0, logRequests = false, static: files }) {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", trustProxy > 0 ? trustProxy : false);
  if (logRequests) app.use(requestLog());
  app.use(securityHeaders());
  if (files) {
    // Built assets have content hashes in their names: cache them for good.
    app.use(files.publicPath, express.static(files.assetsDir, { immutable: true, maxAge: "1y", index: false }));
    app.use(onlyFileNames(express.static(files.publicDir, { maxAge: "1h", index: false, redirect: false })));
  }
  app.use(sameOriginOnly());
  app.use(limitBodies(limits));
  app.all("*", handler);
  app.use(errorHandler);
  return app;
}

/**
 * The body limits of this app. Forms: 2 MB; the largest legitimate one, the table editor
 * at its 200-indicator maximum with every field full of Chinese, is about 0.8 MB
 * url-encoded. Uploads: the web import's file limit plus 64 KB of multipart envelope (as
 * app/routes/import.tsx counts it), in at most 100 parts (the import form has a few).
 * /import's preview step posts the parsed tables back as a url-encoded hidden field, which
 * can be a few times the file's size: it gets 4× the file limit.
 * @param {number} maxUploadBytes  MAX_UPLOAD_BYTES of app/io/upload.server.ts
 * @returns {import("./body-limit.js").BodyLimits}
 */
export function appBodyLimits(maxUploadBytes) {
  return {
    formBytes: 2 * 1024 * 1024,
    uploadBytes: maxUploadBytes + 64 * 1024,
    uploadMb: maxUploadBytes / 1024 / 1024,
    maxParts: 100,
    formBytesByPath: { "/import": 4 * maxUploadBytes },
  };
}
