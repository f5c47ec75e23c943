#!/usr/bin/env node
// @ts-check
// The HTTP server: serves the built Remix app (build/index.js) and its assets, with body
// limits, a same-origin check on state-changing requests, security headers with a CSP
// nonce, and a graceful shutdown. `npm start` runs it after building; `npm run dev` runs
// it under `remix dev`. Why not remix-serve: docs/decisions/014-custom-server.md.
//
// Environment: PORT (3000), HOST (all interfaces), JIXIAO_TRUST_PROXY (hops of trusted
// reverse proxies, usually 1; unset: none), JIXIAO_LOG_REQUESTS=1 (one line per request).
import fs from "node:fs";
import path from "node:path";
import url from "node:url";
import { broadcastDevReady, installGlobals } from "@remix-run/node";
import { appBodyLimits, createApp } from "./server/app.js";
import { clientAddress } from "./server/origin.js";
import { remixHandler } from "./server/remix.js";
import { gracefulShutdown } from "./server/shutdown.js";

process.env.NODE_ENV = process.env.NODE_ENV ?? "production";
const development = process.env.NODE_ENV === "development";
const root = path.dirname(url.fileURLToPath(import.meta.url));
const buildFile = path.join(root, "build", "index.js");

/** @returns {Promise<import("@remix-run/node").ServerBuild>} */
async function importBuild() {
  // A query that changes with the file makes Node load a rebuilt build (dev).
  const stamp = fs.statSync(buildFile).mtimeMs;
  return import(`${url.pathToFileURL(buildFile).href}?t=${stamp}`);
}

if (!fs.existsSync(buildFile)) {
  console.error(`找不到 ${path.relative(process.cwd(), buildFile)}：请先运行 npx remix build（npm start 会自动构建）`);
  process.exit(1);
}
let build = await importBuild();
installGlobals({ nativeFetch: build.future.v3_singleFetch });

const maxUploadBytes = build.entry.module.MAX_UPLOAD_BYTES;
if (typeof maxUploadBytes !== "number") throw new Error("app/entry.server.tsx must export MAX_UPLOAD_BYTES");

const trustProxy = Number.parseInt(process.env.JIXIAO_TRUST_PROXY ?? "", 10);

const app = createApp({
  limits: appBodyLimits(maxUploadBytes),
  trustProxy: Number.isInteger(trustProxy) && trustProxy > 0 ? trustProxy : 0,
  logRequests: process.env.JIXIAO_LOG_REQUESTS === "1",
  static: {
    publicPath: build.publicPath,
    assetsDir: path.resolve(root, build.assetsBuildDirectory),
    publicDir: path.join(root, "public"),
  },
  handler: remixHandler({
    // In development the handler asks for the build on every request, so rebuilds apply.
    build: development ? async () => build : build,
    mode: process.env.NODE_ENV,
    getLoadContext: (req, res) => ({ clientAddress: clientAddress(req), cspNonce: res.locals.cspNonce }),
  }),
});

const portNumber = Number.parseInt(process.env.PORT ?? "", 10);
const port = Number.isInteger(portNumber) && portNumber >= 0 ? portNumber : 3000;
const host = process.env.HOST || undefined;
const onListen = () => {
  const address = server.address();
  const shown = address && typeof address === "object" ? `${host ?? "localhost"}:${address.port}` : String(address);
  console.log(`[jixiao] http://${shown}`);
  if (development) void broadcastDevReady(build);
};
const server = host ? app.listen(port, host, onListen) : app.listen(port, onListen);

if (development) {
  // `remix dev` rewrites build/version.txt after each rebuild.
  fs.watch(path.dirname(buildFile), async (_event, file) => {
    if (file !== "version.txt") return;
    build = await importBuild();
    void broadcastDevReady(build);
  });
}

const shutdown = gracefulShutdown(server, {
  timeoutMs: 10_000,
  // The one SQLite connection (db/client.server.ts keeps it on globalThis).
  cleanup: () => globalThis.__jixiaoDb?.sqlite.close(),
});
process.once("SIGTERM", () => shutdown("SIGTERM"));
process.once("SIGINT", () => shutdown("SIGINT"));
