// The patched route matching of @remix-run/router (patches/, docs/decisions/030-per-request-cost.md)
// against the package's own unpatched ES build: for every route of this app and for URLs
// that match nothing, both must give the same matches. The patch caches the ranked
// branches by the shape of the route tree; Remix builds a new tree of the same shape for
// every render, so the matches must always point at the routes of the tree passed in.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { UNSAFE_flatRoutes as flatRoutes } from "@remix-run/dev";
import * as reference from "@remix-run/router/dist/router.js";
import { describe, expect, it } from "vitest";
import config from "../../remix.config.js";

type Route = { id: string; path?: string; index?: boolean; caseSensitive?: boolean; children?: Route[] };
type Match = { params: Record<string, string | undefined>; pathname: string; pathnameBase: string; route: Route };
type MatchRoutes = (routes: Route[], location: string, basename?: string) => Match[] | null;

const require = createRequire(import.meta.url);
// What server-runtime and react-router load on the server: the CommonJS build, patched.
const patchedFile = require.resolve("@remix-run/router");
const patched = require("@remix-run/router") as { matchRoutes: MatchRoutes };
const unpatched = reference as unknown as { matchRoutes: MatchRoutes };

/** The app's routes as Remix nests them (root, then app/routes by the flat-routes convention). */
function appRoutes(): Route[] {
  type Entry = { id: string; parentId?: string; path?: string; index?: boolean; caseSensitive?: boolean };
  const manifest = flatRoutes(path.resolve("app"), config.ignoredRouteFiles) as Record<string, Entry>;
  const all: Record<string, Entry> = { root: { id: "root", path: "" }, ...manifest };
  const build = (parentId: string | undefined): Route[] =>
    Object.values(all)
      .filter((r) => (r.id === "root" ? parentId === undefined : (r.parentId ?? "root") === parentId))
      .map((r) => {
        const children = build(r.id);
        return { id: r.id, path: r.path, index: r.index, caseSensitive: r.caseSensitive, ...(children.length ? { children } : {}) };
      });
  return build(undefined);
}

/** Full paths of every route with a path, parameters filled in. */
function samplePaths(routes: Route[], parent = ""): string[] {
  return routes.flatMap((r) => {
    const full = r.path ? `${parent}/${r.path}`.replace(/\/+/g, "/") : parent;
    const own = r.path || r.index ? [full.replace(/:[\w-]+\??/g, "42").replace(/\*$/, "a/b") || "/"] : [];
    return [...own, ...samplePaths(r.children ?? [], full)];
  });
}

const summary = (matches: Match[] | null) =>
  matches?.map((m) => ({ id: m.route.id, params: m.params, pathname: m.pathname, pathnameBase: m.pathnameBase })) ?? null;

const fresh = () => appRoutes();

describe("patched route matching", () => {
  it("is the one loaded on the server", () => {
    expect(fs.readFileSync(patchedFile, "utf8")).toContain("jixiao patch");
  });

  const urls = [
    ...new Set([
      ...samplePaths(appRoutes()),
      "/",
      "/projects/",
      "/PROJECTS",
      "/projects/12/",
      "/projects/abc",
      "/projects/%E4%B8%AD%E6%96%87",
      "/no/such/page",
      "//projects",
      "/evaluations/3/p/5",
      "/monitoring/1/p/2",
    ]),
  ];

  it("covers the app's routes", () => {
    expect(urls.length).toBeGreaterThan(40);
  });

  it.each(urls)("matches %s as the unpatched router does", (url) => {
    const expected = summary(unpatched.matchRoutes(fresh(), url));
    // Twice: the first call may rank, the second reuses the ranking.
    expect(summary(patched.matchRoutes(fresh(), url))).toEqual(expected);
    expect(summary(patched.matchRoutes(fresh(), url))).toEqual(expected);
  });

  it("returns the routes of the tree it was given, not of an earlier tree of the same shape", () => {
    const first = fresh();
    const second = fresh();
    const a = patched.matchRoutes(first, "/projects/7")!;
    const b = patched.matchRoutes(second, "/projects/7")!;
    const inTree = (tree: Route[], route: Route): boolean => tree.some((r) => r === route || inTree(r.children ?? [], route));
    expect(a.every((m) => inTree(first, m.route))).toBe(true);
    expect(b.every((m) => inTree(second, m.route))).toBe(true);
    expect(b.some((m) => inTree(first, m.route))).toBe(false);
  });

  it("sees a tree that changed since it was ranked", () => {
    const routes: Route[] = [{ id: "root", path: "", children: [{ id: "a", path: "a" }] }];
    expect(patched.matchRoutes(routes, "/b")).toBeNull();
    routes[0].children!.push({ id: "b", path: "b" });
    expect(summary(patched.matchRoutes(routes, "/b"))?.map((m) => m.id)).toEqual(["root", "b"]);
    routes[0].children![1] = { id: "b2", path: ":any" };
    expect(summary(patched.matchRoutes(routes, "/b"))?.map((m) => m.id)).toEqual(["root", "b2"]);
    // Changed in place: a path, case sensitivity, an index flag; a route removed; the top level grown.
    routes[0].children![0].path = "c";
    expect(summary(patched.matchRoutes(routes, "/c"))?.map((m) => m.id)).toEqual(["root", "a"]);
    routes[0].children![0].caseSensitive = true;
    expect(summary(patched.matchRoutes(routes, "/C"))?.map((m) => m.id)).toEqual(["root", "b2"]);
    routes[0].children!.pop();
    expect(patched.matchRoutes(routes, "/C")).toBeNull();
    routes[0].children!.push({ id: "home", index: true });
    expect(summary(patched.matchRoutes(routes, "/"))?.map((m) => m.id)).toEqual(["root", "home"]);
    routes.push({ id: "other", path: "/x" });
    expect(summary(patched.matchRoutes(routes, "/x"))?.map((m) => m.id)).toEqual(["other"]);
    routes[0].children = [{ id: "d", path: "d" }];
    expect(summary(patched.matchRoutes(routes, "/d"))?.map((m) => m.id)).toEqual(["root", "d"]);
    expect(patched.matchRoutes(routes, "/c")).toBeNull();
    // Each answer is the unpatched package's.
    for (const path of ["/", "/c", "/C", "/d", "/x", "/b"]) expect(summary(patched.matchRoutes(routes, path))).toEqual(summary(unpatched.matchRoutes(routes, path)));
  });

  it("keeps optional segments, splats, index routes and case sensitivity as they were", () => {
    const tree = (): Route[] => [
      {
        id: "root",
        path: "",
        children: [
          { id: "index", index: true },
          { id: "opt", path: "lang?/docs/:page?" },
          { id: "splat", path: "files/*" },
          { id: "exact", path: "Exact", caseSensitive: true },
          { id: "loose", path: "exact" },
          { id: "param", path: ":slug" },
        ],
      },
    ];
    for (const url of ["/", "/docs", "/lang/docs", "/lang/docs/x", "/files", "/files/a/b/c", "/Exact", "/exact", "/EXACT", "/other", "/a/b"]) {
      expect(summary(patched.matchRoutes(tree(), url)), url).toEqual(summary(unpatched.matchRoutes(tree(), url)));
    }
  });
});
