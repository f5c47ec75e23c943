// The per-request CSP nonce (server.js → load context → entry.server.tsx) for Remix's
// inline scripts. It reaches root.tsx through React context, never through loader data,
// so the browser's copy of the page data does not carry it. In the browser it is
// undefined: browsers hide nonce attributes from scripts anyway.
import { createContext, useContext } from "react";

const NonceContext = createContext<string | undefined>(undefined);

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
