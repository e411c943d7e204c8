import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, lte, or, sql } from "drizzle-orm";
import { nanoid } from "nanoid";
import type { Database } from "~/db/client.server";
import { user, verification } from "~/db/schema";

// Links in mails carry a random token; the verification row keeps only its SHA-256 hash, so a
// copy of the database cannot be turned into working links. Each kind of link has its own
// identifier shape:
//   email verification   identifier = the email address
//   password reset       identifier = `password-reset:<userId>`
//   email change         identifier = `email-change:<userId>:<new email>`

export const EMAIL_VERIFICATION_TTL_MS = 24 * 60 * 60_000;
export const PASSWORD_RESET_TTL_MS = 60 * 60_000;

export type TokenPurpose =
  | { kind: "verify-email"; email: string }
  | { kind: "password-reset"; userId: string }
  | { kind: "email-change"; userId: string; email: string };

export function identifierOf(purpose: TokenPurpose): string {
  switch (purpose.kind) {
    case "verify-email":
      return purpose.email;
    case "password-reset":
      return `password-reset:${purpose.userId}`;
    case "email-change":
      return `email-change:${purpose.userId}:${purpose.email}`;
  }
}

function purposeOf(identifier: string): TokenPurpose | null {
  if (identifier.startsWith("password-reset:")) {
    return { kind: "password-reset", userId: identifier.slice("password-reset:".length) };
  }
  if (identifier.startsWith("email-change:")) {
    const [, userId, ...email] = identifier.split(":");
    return userId && email.length > 0
      ? { kind: "email-change", userId, email: email.join(":") }
      : null;
  }
  if (identifier.startsWith("attempt:")) return null;
  return { kind: "verify-email", email: identifier };
}

function emailChangesOf(userId: string) {
  return sql`starts_with(${verification.identifier}, ${`email-change:${userId}:`})`;
}

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * A new link token for `purpose`. Earlier links of the same purpose stop working, so only the
 * newest mail counts.
 */
export async function issueToken(
  db: Database,
  purpose: TokenPurpose,
  ttlMs: number,
  now = new Date(),
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const identifier = identifierOf(purpose);
  await db.transaction(async (tx) => {
    await tx.delete(verification).where(eq(verification.identifier, identifier));
    if (purpose.kind === "email-change") {
      // One pending email change per user: asking for another address cancels the first.
      await tx.delete(verification).where(emailChangesOf(purpose.userId));
    }
    await tx.insert(verification).values({
      id: nanoid(),
      identifier,
      value: hashToken(token),
      expiresAt: new Date(now.getTime() + ttlMs),
      createdAt: now,
      updatedAt: now,
    });
  });
  return token;
}

/** What a token is for, if it is still valid; reading does not use it up. */
export async function peekToken(
  db: Database,
  token: string,
  now = new Date(),
): Promise<TokenPurpose | null> {
  const [row] = await db
    .select({ identifier: verification.identifier })
    .from(verification)
    .where(and(eq(verification.value, hashToken(token)), gt(verification.expiresAt, now)));
  return row ? purposeOf(row.identifier) : null;
}

/**
 * Uses a token up: deletes its row and tells what it was for. Expired, used and altered tokens
 * give null. The DELETE … RETURNING makes the use single even under concurrent requests.
 */
export async function consumeToken(
  db: Database,
  token: string,
  kinds: TokenPurpose["kind"][],
  now = new Date(),
): Promise<TokenPurpose | null> {
  const value = hashToken(token);
  const purpose = await peekToken(db, token, now);
  if (!purpose || !kinds.includes(purpose.kind)) {
    await db
      .delete(verification)
      .where(and(eq(verification.value, value), lte(verification.expiresAt, now)));
    return null;
  }
  const [row] = await db
    .delete(verification)
    .where(and(eq(verification.value, value), gt(verification.expiresAt, now)))
    .returning({ identifier: verification.identifier });
  return row ? purposeOf(row.identifier) : null;
}

/** Links that are no longer needed, e.g. after the email was verified some other way. */
export async function revokeTokens(db: Database, purpose: TokenPurpose): Promise<void> {
  await db.delete(verification).where(eq(verification.identifier, identifierOf(purpose)));
}

/** The email of the account a valid password-reset token belongs to; null otherwise. */
export async function peekResetToken(
  db: Database,
  token: string,
  now = new Date(),
): Promise<string | null> {
  const purpose = await peekToken(db, token, now);
  if (purpose?.kind !== "password-reset") return null;
  const [row] = await db
    .select({ email: user.email })
    .from(user)
    .where(eq(user.id, purpose.userId));
  return row?.email ?? null;
}

/** The new address of the user's pending email change, if there is one. */
export async function pendingEmailChange(
  db: Database,
  userId: string,
  now = new Date(),
): Promise<string | null> {
  const [row] = await db
    .select({ identifier: verification.identifier })
    .from(verification)
    .where(and(emailChangesOf(userId), gt(verification.expiresAt, now)));
  const purpose = row ? purposeOf(row.identifier) : null;
  return purpose?.kind === "email-change" ? purpose.email : null;
}

/** Cancels the user's pending email change; false when there was none. */
export async function revokeEmailChange(db: Database, userId: string): Promise<boolean> {
  const deleted = await db
    .delete(verification)
    .where(emailChangesOf(userId))
    .returning({ id: verification.id });
  return deleted.length > 0;
}

/**
 * The links that can take the account over: password reset and email change. Revoked with a
 * new password and with "sign out other sessions", since whoever asked for them may have been
 * someone with the old password or a borrowed session.
 */
export async function revokeAccountLinks(db: Database, userId: string): Promise<void> {
  await db
    .delete(verification)
    .where(
      or(
        eq(verification.identifier, identifierOf({ kind: "password-reset", userId })),
        emailChangesOf(userId),
      ),
    );
}

/** Every link that names the user: their address's verification, reset, email change. */
export async function revokeUserTokens(db: Database, userId: string, email: string) {
  await revokeAccountLinks(db, userId);
  await revokeTokens(db, { kind: "verify-email", email });
}

/** Expired links and attempts, which no check reads any more. */
export async function deleteExpiredVerifications(db: Database, now = new Date()): Promise<void> {
  await db.delete(verification).where(lte(verification.expiresAt, now));
}
