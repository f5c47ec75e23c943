// The patched @remix-run/react and react-router-dom (patches/, docs/decisions/030-per-request-cost.md):
// a build's server routes and their data routes are made on its first render and reused by
// every later one, instead of twice per request; another build gets its own.
import { createRequire } from "node:module";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeBuild, handlerOf } from "../helpers/fake-build";

const require = createRequire(import.meta.url);
const { RemixServer } = require("@remix-run/react") as typeof import("@remix-run/react");
const remixRoutes = require("@remix-run/react/dist/routes.js") as { createServerRoutes: (...a: unknown[]) => unknown };
const router = require("@remix-run/router") as { UNSAFE_convertRoutesToDataRoutes: (...a: unknown[]) => unknown };

function makeApp(text: string) {
  const build = fakeBuild(
    {
      root: { path: "", module: { default: () => createElement("main", null, text) } },
      page: { path: "page", parentId: "root", module: { default: () => createElement("p", null, "page") } },
    },
    (request, status, headers, context: Parameters<typeof RemixServer>[0]["context"]) =>
      new Response(renderToString(createElement(RemixServer, { context, url: request.url })), { status, headers }),
  );
  const handler = handlerOf(build);
  return async (url: string) => {
    const res = await handler(new Request(url, { headers: { Accept: "text/html" } }), {});
    return { status: res.status, body: await res.text() };
  };
}

afterEach(() => vi.restoreAllMocks());

describe("server routes of a build", () => {
  it("are made once for every render of the same build", async () => {
    const made = vi.spyOn(remixRoutes, "createServerRoutes");
    const converted = vi.spyOn(router, "UNSAFE_convertRoutesToDataRoutes");
    const app = makeApp("甲");
    for (const url of ["http://localhost/", "http://localhost/page", "http://localhost/page?x=1"]) {
      const res = await app(url);
      expect(res.status).toBe(200);
      expect(res.body).toContain("甲");
    }
    // createServerRoutes recurses once per parent: count the top-level calls.
    expect(made.mock.calls.filter((args) => args.length === 4).length).toBe(1);
    expect(converted.mock.calls.filter((args) => args[2] === undefined).length).toBe(1);
  });

  it("are made anew for another build, which renders its own routes", async () => {
    const made = vi.spyOn(remixRoutes, "createServerRoutes");
    const first = makeApp("甲");
    const second = makeApp("乙");
    expect((await first("http://localhost/page")).body).toContain("甲");
    expect((await second("http://localhost/page")).body).toContain("乙");
    expect((await first("http://localhost/page")).body).toContain("甲");
    expect(made.mock.calls.filter((args) => args.length === 4).length).toBe(2);
  });
});
