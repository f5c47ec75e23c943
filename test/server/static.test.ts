// Static files in server/app.js: built assets under publicPath, and public/ only for paths
// that name a file (with an extension), so a page request never touches the file system.
import fs from "node:fs";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import type { RequestHandler } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app.js";
import { send } from "./http";

const app: RequestHandler = (req, res) => {
  res.type("text/plain").send(`app ${req.path}`);
};

let dir: string;
let server: http.Server;
let base: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-static-"));
  const publicDir = path.join(dir, "public");
  const assetsDir = path.join(publicDir, "build");
  fs.mkdirSync(assetsDir, { recursive: true });
  fs.writeFileSync(path.join(publicDir, "favicon.svg"), "<svg/>");
  // A file whose name is a page's path: the page wins.
  fs.writeFileSync(path.join(publicDir, "projects"), "not a page");
  fs.mkdirSync(path.join(publicDir, "docs"));
  fs.writeFileSync(path.join(assetsDir, "root-ABC123.js"), "export {};");
  const limits = { formBytes: 1000, uploadBytes: 1000, maxParts: 5 };
  server = await new Promise<http.Server>((resolve) => {
    const s = createApp({ handler: app, limits, static: { publicPath: "/build/", assetsDir, publicDir } }).listen(0, "127.0.0.1", () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("static files", () => {
  it("serves public/ files by name, cached for an hour, with the security headers", async () => {
    const res = await send(base, "/favicon.svg");
    expect(res.status).toBe(200);
    expect(res.body).toBe("<svg/>");
    expect(res.headers["cache-control"]).toBe("public, max-age=3600");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("serves built assets for good", async () => {
    const res = await send(base, "/build/root-ABC123.js");
    expect(res.status).toBe(200);
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
  });

  it("hands paths without a file name to the app, even where public/ has such a file or folder", async () => {
    for (const p of ["/projects", "/docs", "/", "/projects/12", "/missing.svg"]) {
      const res = await send(base, p);
      expect(res.status, p).toBe(200);
      expect(res.body, p).toBe(`app ${p}`);
    }
  });
});
