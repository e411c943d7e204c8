import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { availableParallelism } from "node:os";

// Passwords are stored as `$scrypt$ln=17,r=8,p=1$<salt>$<hash>` (PHC string format, base64url):
// the parameters travel with each hash, so raising them later leaves old hashes readable.

/** OWASP's recommendation for scrypt: N=2^17, r=8, p=1 (about 128 MiB and 0.2 s per hash). */
const scryptParameters = { logN: 17, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** Twice what the current parameters take, room for one raise. */
const MAX_SCRYPT_MEMORY = 256 * 2 ** 20;

/**
 * Hashes computed at once. Each holds one of libuv's 4 threads (shared with file, DNS and
 * zlib work), 128 MiB and a CPU core for about 0.2 s: a flood of sign-ins must take neither
 * all the threads nor the core the event loop needs for everyone else's pages. So one core is
 * left free, and at most 2 are used.
 */
export const HASHING_SLOTS = Math.max(1, Math.min(2, availableParallelism() - 1));
/** Hashes waiting for a slot; beyond that a request is answered 503 at once. */
export const HASHING_QUEUE = 8;
/** Nor does a request wait longer than this for a slot (a slow machine, a flood). */
const HASHING_WAIT_MS = 5_000;

let hashing = 0;
const waiting: Array<() => void> = [];

function busy(): Response {
  // The response middleware adds the Retry-After of every 503.
  return new Response(
    "Too many passwords are being checked at this moment. Please try again in a few seconds.",
    { status: 503, statusText: "The server is busy" },
  );
}

function waitForSlot(): Promise<void> {
  if (waiting.length >= HASHING_QUEUE) return Promise.reject(busy());
  return new Promise((resolve, reject) => {
    const granted = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      waiting.splice(waiting.indexOf(granted), 1);
      reject(busy());
    }, HASHING_WAIT_MS);
    waiting.push(granted);
  });
}

/**
 * Answers 503 at once when every slot and the whole queue are taken, before a request that
 * would hash spends database work on its limits: in a flood, most requests cost next to nothing.
 */
export function refuseWhenHashingIsFull(): void {
  if (hashing >= HASHING_SLOTS && waiting.length >= HASHING_QUEUE) throw busy();
}

async function withHashingSlot<T>(work: () => Promise<T>): Promise<T> {
  if (hashing < HASHING_SLOTS) hashing++;
  else await waitForSlot();
  try {
    return await work();
  } finally {
    // The slot goes straight to the next in line.
    const next = waiting.shift();
    if (next) next();
    else hashing--;
  }
}

function derive(password: string, salt: Buffer, params: { logN: number; r: number; p: number }) {
  const N = 2 ** params.logN;
  const options: ScryptOptions = {
    N,
    r: params.r,
    p: params.p,
    // scrypt needs 128 * N * r bytes; Node's default cap (32 MiB) is below OWASP's parameters.
    maxmem: 2 * 128 * N * params.r,
  };
  return withHashingSlot(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scrypt(password.normalize("NFKC"), salt, HASH_BYTES, options, (error, key) =>
          error ? reject(error) : resolve(key),
        ),
      ),
  );
}

function format(salt: Buffer, hash: Buffer): string {
  const { logN, r, p } = scryptParameters;
  return `$scrypt$ln=${logN},r=${r},p=${p}$${salt.toString("base64url")}$${hash.toString("base64url")}`;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  return format(salt, await derive(password, salt, scryptParameters));
}

const storedPattern = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([\w-]+)\$([\w-]+)$/;

/** Whether `password` matches the stored hash; compares in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = storedPattern.exec(stored);
  if (!match) return false;
  const [logN, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Bounds keep a corrupted row from asking for more than 256 MiB or minutes of work.
  if (logN < 10 || r < 1 || p < 1 || p > 16 || 128 * 2 ** logN * r > MAX_SCRYPT_MEMORY) {
    return false;
  }
  const expected = Buffer.from(match[5]!, "base64url");
  if (expected.length !== HASH_BYTES) return false;
  const actual = await derive(password, Buffer.from(match[4]!, "base64url"), { logN, r, p });
  return timingSafeEqual(actual, expected);
}

/** A stored hash no password matches: random bytes where the hash would be. */
const dummyHash = format(randomBytes(SALT_BYTES), randomBytes(HASH_BYTES));

/**
 * Spends the time a real check takes, for sign-ins with an unknown email, so that the answer's
 * timing does not tell which emails have an account.
 */
export async function verifyNothing(password: string): Promise<false> {
  await verifyPassword(password, dummyHash);
  return false;
}
