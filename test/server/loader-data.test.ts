// The patched @remix-run/server-runtime (patches/, docs/decisions/030-per-request-cost.md): a
// document request's loader data reaches the render as the JSON it would have been (dates as
// strings, undefined keys gone), without a Response in between; data requests and loaders
// that return Responses are as before.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { fakeBuild, handlerOf } from "../helpers/fake-build";

const require = createRequire(import.meta.url);
const runtime = require("@remix-run/server-runtime") as typeof import("@remix-run/server-runtime");
const data = require("@remix-run/server-runtime/dist/data.js") as { documentRequests?: WeakSet<Request>; asJson?: (value: unknown, depth: number) => unknown; UNSURE?: symbol };
const responses = require("@remix-run/server-runtime/dist/responses.js") as { json: (...a: unknown[]) => Response };

/** How often the runtime wraps loader data in a JSON Response while `run` runs. */
async function jsonWraps(run: () => Promise<unknown>): Promise<number> {
  const original = responses.json;
  let calls = 0;
  responses.json = (...a: unknown[]) => (calls++, original(...a));
  try {
    await run();
  } finally {
    responses.json = original;
  }
  return calls;
}

const LOADED = { when: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), gone: undefined, n: 1.5, text: "绩效", nested: { list: [1, "a", null] } };
const AS_JSON = { when: "2026-01-02T03:04:05.000Z", n: 1.5, text: "绩效", nested: { list: [1, "a", null] } };

function appWith(loader: () => unknown) {
  const seen: { loaderData?: Record<string, unknown> } = {};
  const build = fakeBuild({ root: { path: "", module: { default: () => null, loader } } }, (_request, status, headers, context: { staticHandlerContext: { loaderData: Record<string, unknown> } }) => {
    seen.loaderData = context.staticHandlerContext.loaderData;
    return new Response("<html></html>", { status, headers });
  });
  const handler = handlerOf(build);
  return { seen, handle: (url: string) => handler(new Request(url, { headers: { Accept: "text/html" } }), {}) };
}

describe("loader data of a document request", () => {
  it("comes from the patched runtime", () => {
    expect(data.documentRequests).toBeInstanceOf(WeakSet);
  });

  it("is rendered as the JSON of what the loader returned", async () => {
    const app = appWith(() => LOADED);
    let status = 0;
    expect(await jsonWraps(async () => (status = (await app.handle("http://localhost/")).status))).toBe(0);
    expect(status).toBe(200);
    expect(app.seen.loaderData?.root).toEqual(AS_JSON);
    expect(Object.keys(app.seen.loaderData?.root as object)).not.toContain("gone");
  });

  it("is the same JSON for a data request (a Response, as before)", async () => {
    const app = appWith(() => LOADED);
    let res: Response | undefined;
    expect(await jsonWraps(async () => (res = await app.handle("http://localhost/?_data=root")))).toBe(1);
    expect(res!.headers.get("Content-Type")).toMatch(/application\/json/);
    expect(await res!.json()).toEqual(AS_JSON);
  });

  it("still reads a Response a loader returns", async () => {
    const app = appWith(() => runtime.json({ from: "response" }, { headers: { "X-Test": "1" } }));
    await app.handle("http://localhost/");
    expect(app.seen.loaderData?.root).toEqual({ from: "response" });
  });

  it("is the loader's own object when JSON would give it back unchanged (checked, not copied)", async () => {
    const plain = { rows: [{ id: 1, name: "绩效", score: 85.5, done: false, lastYear: null }], nested: { list: [1, "a", null] } };
    const app = appWith(() => plain);
    await app.handle("http://localhost/");
    expect(app.seen.loaderData?.root).toBe(plain);
  });

  it("is what JSON would give, the parts JSON leaves unchanged shared, whatever JSON changes", async () => {
    const unchanged = { name: "绩效", list: [1, 2, { deep: true }] };
    const changed: Record<string, unknown> = {
      date: { when: new Date(Date.UTC(2026, 11, 1, 8)), unchanged },
      invalidDate: [new Date(NaN), unchanged],
      undefinedKey: { a: 1, gone: undefined, b: unchanged },
      undefinedItem: [1, undefined, unchanged],
      functionsAndSymbols: { f: () => 1, s: Symbol("x"), list: [() => 1, Symbol("y")], unchanged },
      hole: [1, , unchanged],
      nan: { n: NaN, unchanged },
      infinity: [Infinity, -Infinity, unchanged],
      minusZero: { z: -0, list: [-0], unchanged },
    };
    for (const [label, value] of Object.entries(changed)) {
      const app = appWith(() => value);
      await app.handle("http://localhost/");
      const seen = app.seen.loaderData?.root as Record<string, unknown>;
      expect(JSON.stringify(seen), label).toBe(JSON.stringify(value));
      expect(seen, label).toStrictEqual(JSON.parse(JSON.stringify(value)));
      expect(seen, label).not.toBe(value);
      // The part without anything JSON would change is the loader's own object.
      expect(Object.values(seen).at(-1), label).toBe(unchanged);
    }
    expect(data.asJson!(-0, 0)).toBe(0);
    expect(Object.is(data.asJson!(-0, 0), -0)).toBe(false);
  });

  it("is left to JSON itself for what it does not copy: class instances, toJSON, symbol keys, cycles, bigints", async () => {
    class Money {
      constructor(readonly fen: number) {}
    }
    const odd: Record<string, unknown> = {
      instance: { m: new Money(5) },
      nullPrototype: Object.assign(Object.create(null), { a: 1 }),
      toJSON: { toJSON: () => "x" },
      dateWithToJSON: Object.assign(new Date(0), { toJSON: () => "own" }),
      symbolKey: { a: 1, [Symbol("k")]: 2 },
      arraySubclass: new (class extends Array {})(),
      map: { m: new Map([[1, 2]]) },
      deep: JSON.parse("[".repeat(70) + "]".repeat(70)),
    };
    for (const [label, value] of Object.entries(odd)) {
      expect(data.asJson!(value, 0), label).toBe(data.UNSURE);
      const app = appWith(() => value);
      await app.handle("http://localhost/");
      expect(app.seen.loaderData?.root, label).toStrictEqual(JSON.parse(JSON.stringify(value)));
    }
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(data.asJson!(cycle, 0)).toBe(data.UNSURE);
    expect(data.asJson!({ n: BigInt(1) }, 0)).toBe(data.UNSURE);
  });

  it("still answers a thrown 404 Response as a 404", async () => {
    const app = appWith(() => {
      throw new Response("没有", { status: 404 });
    });
    const res = await app.handle("http://localhost/");
    expect(res.status).toBe(404);
  });
});
