import { and, asc, eq, gt, inArray, lte } from "drizzle-orm";
import { nanoid } from "nanoid";
import type { Database } from "~/db/client.server";
import { verification } from "~/db/schema";

// Limits on sign-in attempts and mail requests, kept in PostgreSQL so that every app instance
// behind a load balancer counts the same attempts. The schema has no table of its own for them,
// so each attempt is a verification row: identifier `attempt:<limit>:<key>`, a random value,
// and expiresAt when the attempt stops counting (a sliding window).

export const limits = {
  /** Failed sign-ins per email address. */
  signInEmail: { max: 10, windowMs: 15 * 60_000 },
  /** Failed sign-ins per IP address. */
  signInIp: { max: 50, windowMs: 15 * 60_000 },
  /** Accounts created per IP address. */
  signUpIp: { max: 10, windowMs: 60 * 60_000 },
  /** Mails (verification, password reset, email change) per address. */
  mailAddress: { max: 1, windowMs: 60_000 },
  /** Mail requests per IP address. */
  mailIp: { max: 20, windowMs: 60 * 60_000 },
} as const;

export type LimitName = keyof typeof limits;

export interface LimitKey {
  limit: LimitName;
  key: string;
}

export type Reservation =
  { allowed: true; ids: string[] } | { allowed: false; retryAfterMs: number };

function identifierOf({ limit, key }: LimitKey) {
  return `attempt:${limit}:${key.toLowerCase()}`;
}

/**
 * Counts one attempt against each key, or refuses when any key is at its limit. The attempt is
 * written before counting, so concurrent requests on several instances cannot all slip under
 * the limit. A refused attempt leaves nothing behind; `release` takes back an attempt that
 * should not count (a successful sign-in).
 */
export async function reserveAttempt(
  db: Database,
  keys: LimitKey[],
  now = new Date(),
): Promise<Reservation> {
  const ids: string[] = [];
  let retryAfterMs = 0;
  for (const key of keys) {
    const { max, windowMs } = limits[key.limit];
    const identifier = identifierOf(key);
    const id = nanoid();
    await db
      .delete(verification)
      .where(and(eq(verification.identifier, identifier), lte(verification.expiresAt, now)));
    await db.insert(verification).values({
      id,
      identifier,
      value: `attempt:${id}`,
      expiresAt: new Date(now.getTime() + windowMs),
      createdAt: now,
      updatedAt: now,
    });
    ids.push(id);
    const live = await db
      .select({ id: verification.id, expiresAt: verification.expiresAt })
      .from(verification)
      .where(and(eq(verification.identifier, identifier), gt(verification.expiresAt, now)))
      .orderBy(asc(verification.expiresAt), asc(verification.id));
    if (live.length > max) {
      // The attempt after which this key is back under its limit.
      const freeing = live[live.length - 1 - max]!;
      retryAfterMs = Math.max(retryAfterMs, freeing.expiresAt.getTime() - now.getTime());
    }
  }
  if (retryAfterMs > 0) {
    await release(db, ids);
    return { allowed: false, retryAfterMs };
  }
  return { allowed: true, ids };
}

export async function release(db: Database, ids: string[]): Promise<void> {
  if (ids.length > 0) await db.delete(verification).where(inArray(verification.id, ids));
}

/** Forgets every counted attempt of one key (failed sign-ins, after a successful one). */
export async function resetAttempts(db: Database, key: LimitKey): Promise<void> {
  await db.delete(verification).where(eq(verification.identifier, identifierOf(key)));
}

export function retryMessage(retryAfterMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return `Too many attempts. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}
