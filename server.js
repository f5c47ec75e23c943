#!/usr/bin/env node
// @ts-check
// The HTTP server: serves the built Remix app (build/index.js) and its assets, with body
// limits, a same-origin check on state-changing requests, security headers with a CSP
// nonce, and a graceful shutdown. `npm start` runs it after building; `npm run dev` runs
// it under `remix dev`. Why not remix-serve: docs/decisions/014-custom-server.md.
//
// In production it runs one HTTP process per core under a cluster primary (server/cluster.js,
// docs/decisions/029-cluster-workers.md); with JIXIAO_WORKERS=1, and always in development,
// it is that one process itself, without a primary.
//
// Environment: PORT (3000), HOST (all interfaces), JIXIAO_WORKERS (HTTP processes; default:
// one per core), JIXIAO_TRUST_PROXY (hops of trusted reverse proxies, usually 1; unset:
// none), JIXIAO_LOG_REQUESTS=1 (one line per request).
import cluster from "node:cluster";
import fs from "node:fs";
import path from "node:path";
import url from "node:url";
import { broadcastDevReady, installGlobals } from "@remix-run/node";
import { appBodyLimits, createApp } from "./server/app.js";
import { runPrimary, workerCount } from "./server/cluster.js";
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

const host = process.env.HOST || undefined;
const SHUTDOWN_TIMEOUT_MS = 10_000;
// Development stays one process: `remix dev` talks to it (broadcastDevReady) and rebuilds apply.
const workers = cluster.isPrimary && !development ? workerCount(process.env.JIXIAO_WORKERS) : 1;
if (workers > 1) runPrimary({ workers, host, timeoutMs: SHUTDOWN_TIMEOUT_MS });
else await serve();

async function serve() {
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
  const onListen = () => {
    // A cluster worker: the primary says where the server listens, once all workers do.
    if (cluster.isWorker) return;
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
    timeoutMs: SHUTDOWN_TIMEOUT_MS,
    // This process's one SQLite connection (db/client.server.ts keeps it on globalThis).
    cleanup: () => globalThis.__jixiaoDb?.sqlite.close(),
  });
  // A worker gets the primary's SIGTERM and may get a signal sent to the whole process group
  // too: it must not die of the second one (shutdown() runs once). Alone, a second Ctrl-C ends
  // the process at once, as before.
  const on = cluster.isWorker ? "on" : "once";
  process[on]("SIGTERM", () => shutdown("SIGTERM"));
  process[on]("SIGINT", () => shutdown("SIGINT"));
}
