// A minimal Remix server build for tests of the runtime itself (the patches in patches/):
// routes with their modules, and an entry that renders them with `render`.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const runtime = require("@remix-run/server-runtime") as typeof import("@remix-run/server-runtime");

type FakeRoute = { path: string; parentId?: string; module: Record<string, unknown> };
type Render = (request: Request, status: number, headers: Headers, context: never) => Response | Promise<Response>;

export function fakeBuild(routes: Record<string, FakeRoute>, render: Render) {
  const manifest = Object.fromEntries(
    Object.entries(routes).map(([id, r]) => [
      id,
      { id, path: r.path, parentId: r.parentId, module: `/${id}.js`, hasLoader: "loader" in r.module, hasAction: false, hasErrorBoundary: false, hasClientLoader: false, hasClientAction: false },
    ]),
  );
  return {
    mode: "production",
    entry: { module: { default: render } },
    routes: Object.fromEntries(Object.entries(routes).map(([id, r]) => [id, { id, ...r }])),
    assets: { entry: { module: "/entry.js", imports: [] }, routes: manifest, url: "/manifest.js", version: "1" },
    publicPath: "/build/",
    assetsBuildDirectory: "public/build",
    future: {},
    isSpaMode: false,
    basename: "/",
  };
}

/** The build's request handler, as a server would call it. */
export function handlerOf(build: ReturnType<typeof fakeBuild>) {
  return runtime.createRequestHandler(build as unknown as Parameters<typeof runtime.createRequestHandler>[0], "production");
}
