// A small deterministic PRNG (mulberry32) for generated data: the demo monitoring
// (seeds/monitoring.ts) and the benchmarks, so the same seed always gives the same values.
// Not for anything secret.
export function mulberry32(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
