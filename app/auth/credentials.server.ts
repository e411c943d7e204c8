import { and, eq, ne } from "drizzle-orm";
import { nanoid } from "nanoid";
import { getConfig } from "~/config.server";
import { isUniqueViolation, type Database } from "~/db/client.server";
import { account, session, user } from "~/db/schema";
import { hashPassword, verifyNothing, verifyPassword } from "./password.server";
import { reserveAttempt, resetAttempts } from "./rate-limit.server";
import { retryMessage } from "~/web/too-many-attempts";
import { emailIs, lockUser, lockUserForSession } from "./users.server";
import { consumeToken, peekToken, revokeAccountLinks } from "./verification.server";

// Email and password accounts: an account row with providerId 'credential', accountId = the
// user's id, and the scrypt hash in account.password.

export const CREDENTIAL_PROVIDER = "credential";

function credentialAccount(userId: string, passwordHash: string, now: Date) {
  return {
    id: nanoid(),
    providerId: CREDENTIAL_PROVIDER,
    accountId: userId,
    userId,
    password: passwordHash,
    createdAt: now,
    updatedAt: now,
  };
}

export class EmailTaken extends Error {
  name = "EmailTaken";
}

/** Creates an unverified user with a password; throws EmailTaken when the address is in use. */
export async function signUp(
  db: Database,
  input: { name: string; email: string; password: string },
  now = new Date(),
): Promise<{ userId: string }> {
  const passwordHash = await hashPassword(input.password);
  const userId = nanoid();
  try {
    await db.transaction(async (tx) => {
      await tx.insert(user).values({
        id: userId,
        name: input.name,
        email: input.email,
        emailVerified: false,
        createdAt: now,
        updatedAt: now,
      });
      await tx.insert(account).values(credentialAccount(userId, passwordHash, now));
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new EmailTaken();
    throw error;
  }
  return { userId };
}

export async function findUserIdByEmail(db: Database, email: string): Promise<string | null> {
  const [row] = await db.select({ id: user.id }).from(user).where(emailIs(email));
  return row?.id ?? null;
}

async function passwordHashOf(db: Database, userId: string): Promise<string | null> {
  const [row] = await db
    .select({ password: account.password })
    .from(account)
    .where(and(eq(account.userId, userId), eq(account.providerId, CREDENTIAL_PROVIDER)));
  return row?.password ?? null;
}

/** The user whose email and password these are, or null; takes as long either way. */
export async function verifyCredentials(
  db: Database,
  email: string,
  password: string,
): Promise<string | null> {
  const userId = await findUserIdByEmail(db, email);
  const stored = userId ? await passwordHashOf(db, userId) : null;
  if (!userId || !stored) return verifyNothing(password).then(() => null);
  return (await verifyPassword(password, stored)) ? userId : null;
}

export async function hasPassword(db: Database, userId: string): Promise<boolean> {
  return (await passwordHashOf(db, userId)) !== null;
}

/**
 * Whether a new way into the account (an email address, a GitHub connection) is confirmed with
 * the current password: when the user can sign in with one.
 */
export function asksCurrentPassword(hasPassword: boolean): boolean {
  return hasPassword && getConfig().passwordAuth;
}

/**
 * Sets the user's password from one of their sessions (adding the credential account for a
 * GitHub-only user), signs out every other session and revokes the user's reset and
 * email-change links. Refused, writing nothing, when that session was signed out meanwhile (by
 * a reset, or a password set from another session, which a borrowed session must not undo).
 */
export async function setPassword(
  db: Database,
  by: { userId: string; sessionId: string },
  password: string,
  now = new Date(),
): Promise<"saved" | "signed_out"> {
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    if (!(await lockUserForSession(tx, by))) return "signed_out";
    await storePassword(tx, by.userId, passwordHash, by.sessionId, now);
    return "saved";
  });
}

/** The password's rows; the caller holds the user's lock (lockUser). */
async function storePassword(
  tx: Database,
  userId: string,
  passwordHash: string,
  keepSessionId: string | null,
  now: Date,
): Promise<void> {
  await tx
    .insert(account)
    .values(credentialAccount(userId, passwordHash, now))
    .onConflictDoUpdate({
      target: [account.providerId, account.accountId],
      set: { password: passwordHash, updatedAt: now },
    });
  await tx
    .delete(session)
    .where(
      keepSessionId
        ? and(eq(session.userId, userId), ne(session.id, keepSessionId))
        : eq(session.userId, userId),
    );
  await revokeAccountLinks(tx, userId);
}

/**
 * Checks the current password a signed-in user types to confirm a change: null when it is
 * right, else the message for the field. Wrong guesses count as failed sign-ins, so a borrowed
 * session cannot be used to find the password out.
 */
export async function checkCurrentPassword(
  db: Database,
  user: { id: string; email: string },
  password: string,
): Promise<{ status: 400 | 429; message: string } | null> {
  if (!password) return { status: 400, message: "Enter your current password" };
  const limitKey = { limit: "signInEmail", key: user.email.toLowerCase() } as const;
  const attempt = await reserveAttempt(db, [limitKey]);
  if (!attempt.allowed) return { status: 429, message: retryMessage(attempt.retryAfterMs) };
  const stored = await passwordHashOf(db, user.id);
  if (!stored || !(await verifyPassword(password, stored))) {
    return { status: 400, message: "This is not your current password" };
  }
  await resetAttempts(db, limitKey);
  return null;
}

/**
 * Uses a password-reset link: sets the new password, signs out every session of the user and
 * marks the email verified (the link reached that mailbox), all or nothing. Null when the link
 * is invalid.
 */
export async function resetPassword(
  db: Database,
  token: string,
  password: string,
  now = new Date(),
): Promise<{ userId: string } | null> {
  // Hashed before the transaction, which then holds its locks for milliseconds, not for scrypt.
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    // The user's row is locked before the token's row is deleted, as every change does.
    const peeked = await peekToken(tx, token, now);
    if (peeked?.kind === "password-reset") await lockUser(tx, peeked.userId);
    const purpose = await consumeToken(tx, token, ["password-reset"], now);
    if (purpose?.kind !== "password-reset") return null;
    await storePassword(tx, purpose.userId, passwordHash, null, now);
    await tx
      .update(user)
      .set({ emailVerified: true, updatedAt: now })
      .where(eq(user.id, purpose.userId));
    return { userId: purpose.userId };
  });
}
