/**
 * `value` and everything it holds, frozen: for values shared between requests (caches),
 * where a caller that changed one would change it for every later request.
 */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
