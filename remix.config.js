/** @type {import('@remix-run/dev').AppConfig} */
export default {
  // Tests, server-only helpers and dotfiles next to routes are not routes.
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}", "**/*.server.{ts,tsx}"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    // Off: with it every page computes and inlines a partial route manifest (CPU on each
    // request, and /__manifest requests later); our ~50 routes fit in the one cached
    // manifest file. docs/decisions/030-per-request-cost.md.
    v3_lazyRouteDiscovery: false,
    v3_singleFetch: false,
  },
};
