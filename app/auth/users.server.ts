import { and, eq, sql } from "drizzle-orm";
import type { Database } from "~/db/client.server";
import { session, user } from "~/db/schema";

// The user row as the account code finds and locks it.

/** The condition "the user's email is `email`", in any case: one address is one account. */
export function emailIs(email: string) {
  return sql`lower(${user.email}) = ${email.toLowerCase()}`;
}

/**
 * Locks the user's row until the transaction ends; false when there is no such user. Every
 * change to how the account is entered (password, sessions, reset and email-change links, the
 * address) takes this lock first, so two of them wait for each other instead of deadlocking on
 * the rows they both touch.
 */
export async function lockUser(tx: Database, userId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: user.id })
    .from(user)
    .where(eq(user.id, userId))
    .for("no key update");
  return row !== undefined;
}

/**
 * lockUser for a change asked for from one of the user's sessions: false when that session is
 * gone (signed out meanwhile, say by a reset), so the change must not happen.
 */
export async function lockUserForSession(
  tx: Database,
  { userId, sessionId }: { userId: string; sessionId: string },
): Promise<boolean> {
  if (!(await lockUser(tx, userId))) return false;
  const [live] = await tx
    .select({ id: session.id })
    .from(session)
    .where(and(eq(session.id, sessionId), eq(session.userId, userId)));
  return live !== undefined;
}
