// The HTTP middleware of server.js (server/*.js), on the real express app that server.js
// builds (createApp), with a stand-in handler in place of Remix that echoes what it got.
import type http from "node:http";
import type { AddressInfo } from "node:net";
import type { RequestHandler } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_UPLOAD_BYTES } from "../../app/io/upload.server";
import { appBodyLimits, createApp } from "../../server/app.js";
import { bodyOf, DelimiterCounter, type BodyLimits } from "../../server/body-limit.js";
import { clientAddress } from "../../server/origin.js";
import { multipart, repeated, send, slices, streamUntilAnswered } from "./http";

const echo: RequestHandler = (req, res) => {
  if (req.headers["x-test-cookie"]) res.append("Set-Cookie", "jixiao_session=abc; Path=/; HttpOnly; SameSite=Lax");
  const body = bodyOf(req);
  res.json({ method: req.method, bytes: body.length, head: body.subarray(0, 40).toString(), nonce: res.locals.cspNonce, clientAddress: clientAddress(req) });
};

const SMALL: BodyLimits = { formBytes: 1000, uploadBytes: 5000, uploadMb: 0.005, maxParts: 5, formBytesByPath: { "/big": 3000 } };

const servers: http.Server[] = [];
async function start(options: { limits?: BodyLimits; trustProxy?: number } = {}): Promise<string> {
  const app = createApp({ handler: echo, limits: options.limits ?? SMALL, trustProxy: options.trustProxy });
  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

let base: string;
let proxied: string;
let origin: Record<string, string>;
beforeAll(async () => {
  base = await start();
  proxied = await start({ trustProxy: 1 });
  origin = { Origin: base };
});

describe("security headers", () => {
  it("sets CSP with a fresh nonce per request, and the other headers, on every response", async () => {
    const a = await send(base, "/anything");
    const b = await send(base, "/anything");
    const csp = String(a.headers["content-security-policy"]);
    for (const directive of [
      "default-src 'self'",
      "object-src 'none'",
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "img-src 'self' data: blob:",
    ]) {
      expect(csp).toContain(directive);
    }
    const nonceA = JSON.parse(a.body).nonce as string;
    const nonceB = JSON.parse(b.body).nonce as string;
    expect(nonceA).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(nonceA).not.toBe(nonceB);
    expect(csp).toContain(`script-src 'self' 'nonce-${nonceA}'`);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(a.headers["x-content-type-options"]).toBe("nosniff");
    expect(a.headers["x-frame-options"]).toBe("DENY");
    expect(a.headers["referrer-policy"]).toBe("same-origin");
    expect(a.headers["x-powered-by"]).toBeUndefined();

    // Also on the answers the server gives by itself.
    const refused = await send(base, "/x", { method: "POST", body: "a=1" });
    expect(refused.status).toBe(403);
    expect(refused.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(refused.headers["x-frame-options"]).toBe("DENY");
  });

  it("sends HSTS and marks cookies Secure only over HTTPS (X-Forwarded-Proto only from a trusted proxy)", async () => {
    const plain = await send(base, "/", { headers: { "X-Test-Cookie": "1" } });
    expect(plain.headers["strict-transport-security"]).toBeUndefined();
    expect(plain.headers["set-cookie"]?.[0]).not.toMatch(/secure/i);

    const spoofed = await send(base, "/", { headers: { "X-Test-Cookie": "1", "X-Forwarded-Proto": "https" } });
    expect(spoofed.headers["strict-transport-security"]).toBeUndefined();
    expect(spoofed.headers["set-cookie"]?.[0]).not.toMatch(/secure/i);

    const https = await send(proxied, "/", { headers: { "X-Test-Cookie": "1", "X-Forwarded-Proto": "https" } });
    expect(https.headers["strict-transport-security"]).toMatch(/^max-age=\d+/);
    expect(https.headers["set-cookie"]?.[0]).toBe("jixiao_session=abc; Path=/; HttpOnly; SameSite=Lax; Secure");
  });
});

describe("same-origin check on state-changing requests", () => {
  const post = (url: string, headers: Record<string, string>, method = "POST") => send(url, "/projects/1", { method, headers, body: "x=1" });

  it("lets through a POST whose Origin is this origin, or (without Origin) whose Referer is", async () => {
    expect((await post(base, { Origin: base })).status).toBe(200);
    expect((await post(base, { Referer: `${base}/projects/1?tab=2` })).status).toBe(200);
    // Origin decides when both are there.
    expect((await post(base, { Origin: base, Referer: "http://evil.example/" })).status).toBe(200);
  });

  it("refuses in Chinese, before reading the body, what is missing or comes from elsewhere", async () => {
    const cases: Record<string, string>[] = [
      {},
      { Origin: "http://evil.example" },
      { Origin: "null" },
      { Origin: "null", Referer: `${base}/` },
      { Referer: "http://evil.example/page" },
      { Origin: base.replace("127.0.0.1", "localhost") },
      { Origin: base.replace("http:", "https:") },
      { Origin: "garbage" },
    ];
    for (const headers of cases) {
      const answer = await post(base, headers);
      expect(answer.status, JSON.stringify(headers)).toBe(403);
      expect(answer.body).toContain("跨站请求");
    }
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      expect((await post(base, { Origin: "http://evil.example" }, method)).status).toBe(403);
      expect((await post(base, { Origin: base }, method)).status).toBe(200);
    }
  });

  it("never checks GET or HEAD", async () => {
    expect((await send(base, "/projects", { headers: { Origin: "http://evil.example" } })).status).toBe(200);
    expect((await send(base, "/projects", { method: "HEAD" })).status).toBe(200);
  });

  it("answers a browser navigation with a page and the app's own fetches with text", async () => {
    const page = await post(base, { Accept: "text/html,application/xhtml+xml" });
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.body).toContain('<html lang="zh-CN">');
    const data = await send(base, "/projects/1?_data=routes%2Fprojects.%24projectId", { method: "POST", headers: { Accept: "text/html" }, body: "x=1" });
    expect(data.headers["content-type"]).toMatch(/^text\/plain/);
  });

  it("believes X-Forwarded-Host and X-Forwarded-Proto only from a trusted proxy", async () => {
    const forwarded = { "X-Forwarded-Host": "jixiao.example.gov.cn", "X-Forwarded-Proto": "https" };
    expect((await post(base, { ...forwarded, Origin: "https://jixiao.example.gov.cn" })).status).toBe(403);
    expect((await post(base, { ...forwarded, Origin: base })).status).toBe(200);
    expect((await post(proxied, { ...forwarded, Origin: "https://jixiao.example.gov.cn" })).status).toBe(200);
    expect((await post(proxied, { ...forwarded, Origin: proxied })).status).toBe(403);
  });
});

describe("client address", () => {
  it("is the socket's peer, or X-Forwarded-For's client only behind a trusted proxy", async () => {
    const headers = { "X-Forwarded-For": "203.0.113.9" };
    expect(JSON.parse((await send(base, "/", { headers })).body).clientAddress).toBe("127.0.0.1");
    expect(JSON.parse((await send(proxied, "/", { headers })).body).clientAddress).toBe("203.0.113.9");
    // One trusted hop: a client cannot slip an address in front of the proxy's.
    const chained = { "X-Forwarded-For": "198.51.100.1, 203.0.113.9" };
    expect(JSON.parse((await send(proxied, "/", { headers: chained })).body).clientAddress).toBe("203.0.113.9");
  });
});

describe("body limits", () => {
  const form = { ...{ "Content-Type": "application/x-www-form-urlencoded" } };

  it("hands a body within the limit to the app whole", async () => {
    const body = `a=${"x".repeat(990)}`;
    const answer = await send(base, "/save", { method: "POST", headers: { ...origin, ...form }, body });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ bytes: body.length, head: body.slice(0, 40) });
  });

  it("answers 413 in Chinese to a chunked body over the limit, and goes on serving", async () => {
    const answer = await streamUntilAnswered(base, "/login", { ...origin, ...form }, repeated(Buffer.alloc(300, "a"), 1_000_000));
    expect(answer.status).toBe(413);
    expect(answer.body).toContain("请求内容过大");
    expect(answer.sent).toBeLessThan(1_000_000);
    expect((await send(base, "/login")).status).toBe(200);
  });

  it("refuses a declared Content-Length over the limit before any of the body is sent", async () => {
    const { default: http } = await import("node:http");
    const answer = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${base}/login`, { method: "POST", headers: { ...origin, ...form, "Content-Length": "1000001" }, agent: false });
      req.on("response", (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on("error", reject);
      req.flushHeaders(); // headers only; no body byte is ever written
    });
    expect(answer).toBe(413);
  });

  it("gives larger limits where configured, and the upload limit to multipart bodies", async () => {
    const body = `payload=${"x".repeat(2500)}`;
    expect((await send(base, "/big", { method: "POST", headers: { ...origin, ...form }, body })).status).toBe(200);
    expect((await send(base, "/big/", { method: "POST", headers: { ...origin, ...form }, body })).status).toBe(200);
    expect((await send(base, "/other", { method: "POST", headers: { ...origin, ...form }, body })).status).toBe(413);

    const boundary = "b0undary";
    const file = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n${"y".repeat(4000)}\r\n--${boundary}--\r\n`;
    const upload = await send(base, "/import", { method: "POST", headers: { ...origin, "Content-Type": `multipart/form-data; boundary=${boundary}` }, body: file });
    expect(upload.status).toBe(200);
    expect(JSON.parse(upload.body).bytes).toBe(Buffer.byteLength(file));

    const tooBig = await streamUntilAnswered(base, "/import", { ...origin, "Content-Type": `multipart/form-data; boundary=${boundary}` }, repeated(Buffer.alloc(1000, "z"), 100_000));
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toContain("网页导入的文件不能超过");
  });

  it("counts multipart parts on the stream: at most maxParts", async () => {
    const ok = multipart(5);
    expect((await send(base, "/import", { method: "POST", headers: { ...origin, "Content-Type": ok.contentType }, body: ok.body })).status).toBe(200);
    const many = multipart(6);
    const refused = await send(base, "/import", { method: "POST", headers: { ...origin, "Content-Type": many.contentType }, body: many.body });
    expect(refused.status).toBe(413);
    expect(refused.body).toContain("分段不能超过 5 个");
    // Streamed in chunks that split the delimiters.
    const streamed = await streamUntilAnswered(base, "/import", { ...origin, "Content-Type": many.contentType }, slices(many.body, 7));
    expect(streamed.status).toBe(413);
  });

  it("refuses a multipart body without a boundary", async () => {
    const answer = await send(base, "/import", { method: "POST", headers: { ...origin, "Content-Type": "multipart/form-data" }, body: "x" });
    expect(answer.status).toBe(400);
  });

  it("the app's limits: forms 2 MB (the editor's 200 full indicators fit), uploads the import's limit", () => {
    const limits = appBodyLimits(MAX_UPLOAD_BYTES);
    // The table editor's largest form: 200 rows of full-length Chinese fields, url-encoded.
    const fields = { level1: 30, level2: 30, name: 100, weight: 20, unit: 20, operator: 1, target: 200, core: 1 };
    const params = new URLSearchParams({ tableId: "1", revision: "1", intent: "save", budgetExecutionWeight: "10" });
    for (let i = 0; i < 200; i++) for (const [k, n] of Object.entries(fields)) params.append(`indicators.${i}.${k}`, "绩".repeat(n));
    const editorBytes = Buffer.byteLength(params.toString());
    expect(editorBytes).toBeGreaterThan(500_000);
    expect(editorBytes).toBeLessThan(limits.formBytes);
    expect(limits.uploadBytes).toBeGreaterThan(MAX_UPLOAD_BYTES);
    expect(limits.formBytesByPath?.["/import"]).toBeGreaterThan(MAX_UPLOAD_BYTES);
  });
});

describe("DelimiterCounter", () => {
  it("finds each delimiter once, however the stream is cut", () => {
    const { body } = multipart(12, "xYz");
    for (const size of [1, 2, 3, 5, 7, 64, body.length]) {
      const counter = new DelimiterCounter("xYz");
      let count = 0;
      for (let i = 0; i < body.length; i += size) count = counter.push(body.subarray(i, i + size));
      expect(count, `chunks of ${size}`).toBe(13);
    }
  });
});
