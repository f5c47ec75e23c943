import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";
import { NonceProvider } from "./utils/csp-nonce";

// server.js reads the upload limit from the build, so its body limits and the import's
// own checks share one constant.
export { MAX_UPLOAD_BYTES } from "./io/upload.server";

/**
 * The whole page as one string. Every loader has finished before the render and no page
 * suspends (nothing is deferred), so streaming would send the same bytes later and through
 * three stream layers (React → Node → web → Node) that cost more CPU than the render's
 * own work on small pages (docs/decisions/030-per-request-cost.md).
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // server.js sets the Content-Security-Policy (and the other security headers) with this
  // nonce; Remix's inline scripts carry it.
  const nonce = loadContext?.cspNonce;
  const html = renderToString(
    <NonceProvider value={nonce}>
      <RemixServer context={remixContext} url={request.url} nonce={nonce} />
    </NonceProvider>,
  );
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  return new Response(`<!DOCTYPE html>${html}`, { headers: responseHeaders, status: responseStatusCode });
}
