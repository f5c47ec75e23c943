// What server.js passes to every loader and action as `context` (getLoadContext). Optional:
// tests call loaders with an empty context.
export {};

declare module "@remix-run/server-runtime" {
  interface AppLoadContext {
    /** The client's IP address: the socket's peer, or X-Forwarded-For's client behind a trusted proxy (JIXIAO_TRUST_PROXY). */
    clientAddress?: string;
    /** This response's Content-Security-Policy nonce. */
    cspNonce?: string;
  }
}
