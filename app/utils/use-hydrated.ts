import { useEffect, useState } from "react";

/**
 * False on the server and in the browser's first render (so both render the same HTML),
 * true from then on: for controls that only work with JavaScript.
 */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
