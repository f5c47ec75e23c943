// server.js itself, as `npm start` runs it (in one process, JIXIAO_WORKERS=1): a child
// process serving the built app on a free port with its own database. Builds the app first
// when build/ is missing or older than the sources. The last test stops the server with
// SIGTERM during a request.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, waitForServer } from "../helpers/net";
import { heldLogout, multipart, repeated, send, streamUntilAnswered } from "./http";
import { buildIfStale, prepareDatabase, spawnServer } from "./spawn";

let dir: string;
let dbFile: string;
let base: string;
let server: ChildProcess;
let output: () => string;
let exited: Promise<number | null>;
let printed: (text: string) => Promise<void>;

beforeAll(async () => {
  buildIfStale();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-server-"));
  dbFile = path.join(dir, "server.db");
  const env = prepareDatabase(dbFile);
  const port = await freePort();
  // One process, as in development: the cluster of production is test/server/cluster.test.ts.
  // One trusted proxy hop: these tests play the proxy for the HTTPS checks.
  const spawned = spawnServer({ ...env, PORT: String(port), HOST: "127.0.0.1", JIXIAO_TRUST_PROXY: "1", JIXIAO_WORKERS: "1" });
  server = spawned.child;
  output = spawned.output;
  exited = spawned.exited;
  printed = spawned.printed;
  base = `http://127.0.0.1:${port}`;
  await printed(`[jixiao] http://127.0.0.1:${port}`);
  await waitForServer(`${base}/login`, 30_000);
}, 180_000);

afterAll(async () => {
  if (server && server.exitCode === null && server.signalCode === null) {
    server.kill("SIGKILL");
    await exited;
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("server.js", () => {
  it("serves the app with a CSP nonce on every inline script, and the assets with long caching", async () => {
    const page = await send(base, "/login");
    expect(page.status).toBe(200);
    const nonce = /'nonce-([^']+)'/.exec(String(page.headers["content-security-policy"]))?.[1];
    expect(nonce).toBeTruthy();
    const scripts = page.body.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(page.headers["referrer-policy"]).toBe("same-origin");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    // Set once by the server, not again by entry.server.tsx.
    expect(page.headers["x-frame-options"]).toBe("DENY");

    const asset = /<link rel="stylesheet" href="(\/build\/[^"]+)"/.exec(page.body)?.[1];
    expect(asset).toBeTruthy();
    const css = await send(base, asset!);
    expect(css.status).toBe(200);
    expect(css.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect((await send(base, "/favicon.svg")).status).toBe(200);
    // Request logging is off unless JIXIAO_LOG_REQUESTS=1.
    expect(output()).not.toContain("GET /login");
  });

  it("refuses a state-changing request from another origin with 403 in Chinese", async () => {
    const form = { "Content-Type": "application/x-www-form-urlencoded" };
    const body = "username=admin&password=server-test-admin";
    const noOrigin = await send(base, "/login", { method: "POST", headers: form, body });
    expect(noOrigin.status).toBe(403);
    expect(noOrigin.body).toContain("跨站请求");
    const foreign = await send(base, "/login", { method: "POST", headers: { ...form, Origin: "http://evil.example" }, body });
    expect(foreign.status).toBe(403);
    expect(foreign.headers["set-cookie"]).toBeUndefined();
  });

  it("answers 413 to a chunked body over the form limit on POST /login, and keeps serving", async () => {
    const answer = await streamUntilAnswered(
      base,
      "/login",
      { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
      repeated(Buffer.alloc(64 * 1024, "a"), 64 * 1024 * 1024),
    );
    expect(answer.status).toBe(413);
    expect(answer.body).toContain("请求内容过大");
    expect(answer.sent).toBeLessThan(64 * 1024 * 1024);
    expect((await send(base, "/login")).status).toBe(200);
  });

  it("answers 413 to a multipart body with too many parts, or declaring more than the upload limit", async () => {
    const many = multipart(150);
    const refused = await send(base, "/import", { method: "POST", headers: { Origin: base, "Content-Type": many.contentType }, body: many.body });
    expect(refused.status).toBe(413);
    expect(refused.body).toContain("分段");
    // A normal one reaches the app (which sends a signed-out visitor to the login page).
    const few = multipart(2);
    const passed = await send(base, "/import", { method: "POST", headers: { Origin: base, "Content-Type": few.contentType }, body: few.body });
    expect(passed.status).toBe(302);

    const declared = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${base}/import`, {
        method: "POST",
        agent: false,
        headers: { Origin: base, "Content-Type": few.contentType, "Content-Length": String(100 * 1024 * 1024) },
      });
      req.on("response", (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on("error", reject);
      req.flushHeaders();
    });
    expect(declared).toBe(413);
  });

  it("marks the session cookie Secure and sends HSTS behind a trusted HTTPS proxy only", async () => {
    const https = await send(base, "/logout", {
      method: "POST",
      headers: { "X-Forwarded-Proto": "https", Origin: base.replace("http:", "https:"), "Content-Type": "application/x-www-form-urlencoded" },
      body: "",
    });
    expect(https.status).toBe(302);
    expect(https.headers["set-cookie"]?.[0]).toMatch(/^jixiao_session=.*; Secure$/);
    expect(https.headers["strict-transport-security"]).toMatch(/^max-age=/);

    const plain = await send(base, "/logout", { method: "POST", headers: { Origin: base }, body: "" });
    expect(plain.status).toBe(302);
    expect(plain.headers["set-cookie"]?.[0]).toMatch(/^jixiao_session=/);
    expect(plain.headers["set-cookie"]?.[0]).not.toMatch(/secure/i);
    expect(plain.headers["strict-transport-security"]).toBeUndefined();
  });

  // Last: this one stops the server.
  it("on SIGTERM stops accepting connections, finishes the request under way, closes SQLite and exits 0", async () => {
    expect(fs.existsSync(`${dbFile}-wal`)).toBe(true);
    const held = await heldLogout(base);

    const stopping = printed("SIGTERM");
    server.kill("SIGTERM");
    await stopping;
    // No new connections…
    await expect(send(base, "/login")).rejects.toMatchObject({ code: "ECONNREFUSED" });
    // …but the request under way gets the rest of its body and its answer.
    held.finish();
    const answer = await held.answered;
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe("/login");

    expect(await exited).toBe(0);
    // SQLite removes the write-ahead log when its last connection closes cleanly.
    expect(fs.existsSync(`${dbFile}-wal`)).toBe(false);
    expect(output()).toContain("已停止");
  });
});
