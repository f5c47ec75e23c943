// Password hashing with node's scrypt and a per-user random salt. The stored string carries
// its parameters (scrypt$N$r$p$salt$hash), so hashes of an older cost keep verifying and are
// upgraded on the next sign-in (docs/decisions/008-sessions-and-login-throttle.md).
import crypto from "node:crypto";
import os from "node:os";

export type HashCost = { N: number; r: number; p: number };

/** OWASP Password Storage Cheat Sheet: N = 2^17, r = 8, p = 1 (128 MiB and ~0.5 s per hash here). */
export const DEFAULT_HASH_COST: HashCost = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });

let cost: HashCost = DEFAULT_HASH_COST;

const KEY_LENGTH = 32;
/** Bounds on stored parameters, so a corrupt row cannot ask for gigabytes. */
const MAX_N = 2 ** 20;
const MAX_MEMORY = 1024 * 1024 * 1024;

/** OpenSSL's scrypt needs 128·r·(N + p + 2) bytes. */
const memoryOf = ({ N, r, p }: HashCost) => 128 * r * (N + p + 2);

function validCost(c: HashCost): boolean {
  const { N, r, p } = c;
  return (
    Number.isInteger(N) && N >= 2 && N <= MAX_N && (N & (N - 1)) === 0 &&
    Number.isInteger(r) && r >= 1 && r <= 32 &&
    Number.isInteger(p) && p >= 1 && p <= 16 &&
    memoryOf(c) <= MAX_MEMORY
  );
}

/**
 * Test databases only: test/setup/db-per-file.ts lowers the cost so seeding and every
 * sign-in do not take half a second each. Nothing in the app calls this.
 */
export function setHashCostForTests(next: HashCost): void {
  if (!validCost(next)) throw new Error(`invalid scrypt cost ${JSON.stringify(next)}`);
  cost = next;
  dummyHash = undefined;
}

export function currentHashCost(): HashCost {
  return cost;
}

// Each hash holds 128 MiB and a libuv thread for ~0.5 s of CPU. Hashing on every core but one
// (at most 4) keeps a core for the event loop and threads for file and zlib work; more at once
// would only add memory, not sign-ins per second. That is per machine: the server's cluster
// workers (JIXIAO_CLUSTER_SIZE, set by server/cluster.js) share it, each keeping one.
export function parallelHashes(cores: number, processes: number): number {
  return Math.max(1, Math.floor(Math.min(4, Math.max(1, cores - 1)) / Math.max(1, processes)));
}
const MAX_PARALLEL_HASHES = parallelHashes(os.availableParallelism(), Number.parseInt(process.env.JIXIAO_CLUSTER_SIZE ?? "", 10) || 1);
let running = 0;
const waiting: (() => void)[] = [];

async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running < MAX_PARALLEL_HASHES) running++;
  else await new Promise<void>((resolve) => waiting.push(resolve)); // the slot is handed over
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

function scrypt(password: string, salt: Buffer, c: HashCost): Promise<Buffer> {
  return limited(
    () =>
      new Promise((resolve, reject) =>
        crypto.scrypt(password, salt, KEY_LENGTH, { ...c, maxmem: memoryOf(c) }, (err, key) => (err ? reject(err) : resolve(key))),
      ),
  );
}

function parse(stored: string): { cost: HashCost; salt: Buffer; hash: Buffer } | null {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash || rest.length > 0) return null;
  const c = { N: Number(n), r: Number(r), p: Number(p) };
  return validCost(c) ? { cost: c, salt: Buffer.from(salt, "base64"), hash: Buffer.from(hash, "base64") } : null;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const c = cost;
  const key = await scrypt(password, salt, c);
  return ["scrypt", c.N, c.r, c.p, salt.toString("base64"), key.toString("base64")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed || parsed.hash.length !== KEY_LENGTH) return false;
  const key = await scrypt(password, parsed.salt, parsed.cost);
  return crypto.timingSafeEqual(key, parsed.hash);
}

/** True when the stored hash is weaker than the current cost (or unreadable). */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.cost.N < cost.N || parsed.cost.r < cost.r || parsed.cost.p < cost.p;
}

/** A hash to compare against when the user does not exist, so timing does not reveal it. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  return (dummyHash ??= hashPassword(crypto.randomBytes(12).toString("hex")));
}
