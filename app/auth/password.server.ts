import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

// Passwords are stored as `$scrypt$ln=17,r=8,p=1$<salt>$<hash>` (PHC string format, base64url):
// the parameters travel with each hash, so raising them later leaves old hashes readable.

/** OWASP's recommendation for scrypt: N=2^17, r=8, p=1 (about 128 MiB and 0.2 s per hash). */
const scryptParameters = { logN: 17, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** Twice what the current parameters take, room for one raise. */
const MAX_SCRYPT_MEMORY = 256 * 2 ** 20;

function derive(password: string, salt: Buffer, params: { logN: number; r: number; p: number }) {
  const N = 2 ** params.logN;
  const options: ScryptOptions = {
    N,
    r: params.r,
    p: params.p,
    // scrypt needs 128 * N * r bytes; Node's default cap (32 MiB) is below OWASP's parameters.
    maxmem: 2 * 128 * N * params.r,
  };
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize("NFKC"), salt, HASH_BYTES, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, scryptParameters);
  const { logN, r, p } = scryptParameters;
  return `$scrypt$ln=${logN},r=${r},p=${p}$${salt.toString("base64url")}$${hash.toString("base64url")}`;
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

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time a real check takes, for sign-ins with an unknown email, so that the answer's
 * timing does not tell which emails have an account.
 */
export async function verifyNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  await verifyPassword(password, await dummyHash);
  return false;
}
