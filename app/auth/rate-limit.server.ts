import { isIPv6 } from "node:net";
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import { nanoid } from "nanoid";
import type { Database } from "~/db/client.server";
import { verification } from "~/db/schema";

// Limits on sign-in attempts and mail requests, kept in PostgreSQL so that every app instance
// behind a load balancer counts the same attempts. The schema has no table of its own for them,
// so each attempt is a verification row: identifier `attempt:<limit>:<key>`, a random value,
// and expiresAt when the attempt stops counting (a sliding window).

export const limits = {
  /** Failed sign-ins per email address. */
  signInEmail: { max: 10, windowMs: 15 * 60_000, byNetwork: false },
  /** Failed sign-ins per IP address. */
  signInIp: { max: 50, windowMs: 15 * 60_000, byNetwork: true },
  /** Accounts created per IP address. */
  signUpIp: { max: 10, windowMs: 60 * 60_000, byNetwork: true },
  /** Mails (verification, password reset, email change) per address. */
  mailAddress: { max: 1, windowMs: 60_000, byNetwork: false },
  /** Mail requests per IP address. */
  mailIp: { max: 20, windowMs: 60 * 60_000, byNetwork: true },
} as const;

export type LimitName = keyof typeof limits;

export interface LimitKey {
  limit: LimitName;
  key: string;
}

export type Reservation =
  { allowed: true; ids: string[] } | { allowed: false; retryAfterMs: number };

function identifierOf({ limit, key }: LimitKey) {
  return `attempt:${limit}:${limits[limit].byNetwork ? networkOf(key) : key.toLowerCase()}`;
}

/**
 * What a per-IP limit counts: an IPv4 address as it is, an IPv6 address by its /64 network.
 * Anyone with IPv6 gets a whole /64, so counting single IPv6 addresses would count nothing.
 */
export function networkOf(address: string): string {
  const plain = address.replace(/%.*$/, "").toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(plain);
  if (mapped) return mapped[1]!;
  if (!isIPv6(plain)) return plain;
  const [head, tail] = plain.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  // "::" stands for as many zero groups as are missing; a dotted IPv4 tail fills two groups.
  const tailLength = tailGroups.reduce((n, group) => n + (group.includes(".") ? 2 : 1), 0);
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailLength;
  const groups = [...headGroups, ...Array<string>(zeros).fill("0"), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(":")}::/64`;
}

/**
 * Counts one attempt against each key, or refuses, writing nothing, when any key is at its
 * limit. A transaction-scoped advisory lock per key (taken in a fixed order) makes concurrent
 * requests on several instances count one after the other: exactly `max` get through.
 * `release` takes back an attempt that should not count (a successful sign-in).
 */
export async function reserveAttempt(
  db: Database,
  keys: LimitKey[],
  now = new Date(),
): Promise<Reservation> {
  const identifiers = keys.map((key) => ({ key, identifier: identifierOf(key) }));
  identifiers.sort((a, b) => (a.identifier < b.identifier ? -1 : 1));
  return db.transaction(async (tx) => {
    let retryAfterMs = 0;
    for (const { key, identifier } of identifiers) {
      const { max } = limits[key.limit];
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${identifier}, 0))`);
      await tx
        .delete(verification)
        .where(and(eq(verification.identifier, identifier), lte(verification.expiresAt, now)));
      const live = await tx
        .select({ expiresAt: verification.expiresAt })
        .from(verification)
        .where(eq(verification.identifier, identifier))
        .orderBy(asc(verification.expiresAt));
      if (live.length >= max) {
        // The attempt whose expiry brings this key back under its limit.
        const freeing = live[live.length - max]!;
        retryAfterMs = Math.max(retryAfterMs, freeing.expiresAt.getTime() - now.getTime());
      }
    }
    if (retryAfterMs > 0) return { allowed: false, retryAfterMs };
    const rows = identifiers.map(({ key, identifier }) => {
      const id = nanoid();
      const expiresAt = new Date(now.getTime() + limits[key.limit].windowMs);
      return { id, identifier, value: `attempt:${id}`, expiresAt, createdAt: now, updatedAt: now };
    });
    await tx.insert(verification).values(rows);
    return { allowed: true, ids: rows.map((row) => row.id) };
  });
}

export async function release(db: Database, ids: string[]): Promise<void> {
  if (ids.length > 0) await db.delete(verification).where(inArray(verification.id, ids));
}

/** Forgets every counted attempt of one key (failed sign-ins, after a successful one). */
export async function resetAttempts(db: Database, key: LimitKey): Promise<void> {
  await db.delete(verification).where(eq(verification.identifier, identifierOf(key)));
}
