import { and, eq } from "drizzle-orm";
import { getConfig } from "~/config.server";
import { isUniqueViolation, type Database } from "~/db/client.server";
import { user } from "~/db/schema";
import { sendMail, type Mail } from "~/mail/mailer.server";
import {
  emailChangeMail,
  emailChangedMail,
  githubConnectedMail,
  passwordChangedMail,
  passwordResetMail,
  verificationMail,
} from "~/mail/templates";
import { findUserIdByEmail } from "./credentials.server";
import { reserveAttempt } from "./rate-limit.server";
import { emailIs, lockUserForSession } from "./users.server";
import {
  EMAIL_VERIFICATION_TTL_MS,
  PASSWORD_RESET_TTL_MS,
  consumeToken,
  issueToken,
  revokeTokens,
  type TokenPurpose,
} from "./verification.server";

// The mails with links (verify an address, reset a password, confirm a new address), what
// opening those links does, and the notices a verified address gets about changes to its account.

function linkTo(pathname: string, token?: string): string {
  const query = token ? `?${new URLSearchParams({ token })}` : "";
  return `${getConfig().appUrl}${pathname}${query}`;
}

/**
 * A mail reserved, or refused by the IP address's limit (mail requests an hour) or the
 * address's (one mail a minute). Signed out, only the first may show: the second would tell
 * that someone asked for a mail to that address a moment ago, so the answer is as if it was
 * sent (and it is not).
 */
export type MailRequest =
  { ok: true } | { ok: false; retryAfterMs: number; limit: "mailIp" | "mailAddress" };

/** Reserves one mail to `email`, unless the IP address or `email` is at its limit. */
async function reserveMail(db: Database, email: string, ip: string): Promise<MailRequest> {
  // The IP address first: its requests count whether or not the address is at its limit.
  for (const key of [
    { limit: "mailIp", key: ip },
    { limit: "mailAddress", key: email },
  ] as const) {
    const attempt = await reserveAttempt(db, [key]);
    if (!attempt.allowed)
      return { ok: false, retryAfterMs: attempt.retryAfterMs, limit: key.limit };
  }
  return { ok: true };
}

/**
 * Runs `prepare` (which may write a token and gives the mail, or null for none) and sends its
 * mail in the background, after the answer: how long they take must not tell whether an
 * address has an account. Failures are logged; the user can ask again.
 */
function sendInBackground(email: string, prepare: () => Promise<Mail | null>): void {
  void prepare()
    .then((mail) => mail && sendMail(mail))
    .catch((error: unknown) => console.error(`Could not send a mail to ${email}:`, error));
}

/** A link that verifies `email`, when it belongs to a user who has not verified it yet. */
export async function requestVerificationMail(
  db: Database,
  email: string,
  ip: string,
): Promise<MailRequest> {
  const request = await reserveMail(db, email, ip);
  if (!request.ok) return request;
  sendInBackground(email, async () => {
    const [owner] = await db
      .select({ id: user.id })
      .from(user)
      .where(and(emailIs(email), eq(user.emailVerified, false)));
    if (!owner) return null;
    const token = await issueToken(db, { kind: "verify-email", email }, EMAIL_VERIFICATION_TTL_MS);
    return verificationMail(email, linkTo("/verify-email", token));
  });
  return request;
}

/** A reset link when the address has an account; nothing otherwise, with the same answer. */
export async function requestPasswordReset(
  db: Database,
  email: string,
  ip: string,
): Promise<MailRequest> {
  const request = await reserveMail(db, email, ip);
  if (!request.ok) return request;
  sendInBackground(email, async () => {
    // The user's row stays locked until the token is written, so an email change cannot slip
    // in between and leave a reset link at the old address (the change revokes those it sees).
    const token = await db.transaction(async (tx) => {
      const [owner] = await tx
        .select({ id: user.id })
        .from(user)
        .where(emailIs(email))
        .for("no key update");
      if (!owner) return null;
      return issueToken(tx, { kind: "password-reset", userId: owner.id }, PASSWORD_RESET_TTL_MS);
    });
    return token ? passwordResetMail(email, linkTo("/reset-password", token)) : null;
  });
  return request;
}

/**
 * A link to the new address; the user's email changes only once it is opened. The change is
 * pending from the answer on, whether or not the address has an account, so neither the answer
 * nor the settings page tells; an address that has an account is just sent nothing.
 */
export async function requestEmailChange(
  db: Database,
  { userId, sessionId }: { userId: string; sessionId: string },
  email: string,
  ip: string,
): Promise<MailRequest> {
  const request = await reserveMail(db, email, ip);
  if (!request.ok) return request;
  const token = await db.transaction(async (tx) => {
    // A new password or "sign out other sessions" that ended this session meanwhile revoked
    // the links; this one must not come after them. The browser finds itself signed out.
    if (!(await lockUserForSession(tx, { userId, sessionId }))) return null;
    return issueToken(tx, { kind: "email-change", userId, email }, EMAIL_VERIFICATION_TTL_MS);
  });
  if (!token) return request;
  sendInBackground(email, async () =>
    (await findUserIdByEmail(db, email))
      ? null
      : emailChangeMail(email, linkTo("/verify-email", token)),
  );
  return request;
}

/** Tells the account's (verified) address that a GitHub account was connected to it. */
export function notifyGitHubConnected(email: string, login: string): void {
  sendInBackground(email, async () =>
    githubConnectedMail(email, login, linkTo("/settings/connections")),
  );
}

/** Tells the account's (verified) address that its password was changed, set or reset. */
export function notifyPasswordChanged(email: string): void {
  sendInBackground(email, async () => passwordChangedMail(email, linkTo("/forgot-password")));
}

/**
 * The unverified account an address verification link would verify, so that the page can name
 * it: someone may have signed up with an address that is not theirs.
 */
export async function accountToVerify(
  db: Database,
  email: string,
): Promise<{ name: string; createdAt: Date } | null> {
  const [row] = await db
    .select({ name: user.name, createdAt: user.createdAt })
    .from(user)
    .where(and(emailIs(email), eq(user.emailVerified, false)));
  return row ?? null;
}

export type EmailConfirmation =
  | { ok: true; kind: "verify-email" | "email-change"; email: string }
  | { ok: false; reason: "invalid" | "taken" };

/**
 * Uses a verification link: marks the address verified, or makes the new address the user's
 * email. Invalid when the link expired, was used, or was altered.
 */
export async function confirmEmail(
  db: Database,
  token: string,
  now = new Date(),
): Promise<EmailConfirmation> {
  const purpose = await consumeToken(db, token, ["verify-email", "email-change"], now);
  if (!purpose || purpose.kind === "password-reset") return { ok: false, reason: "invalid" };
  if (purpose.kind === "verify-email") {
    const updated = await db
      .update(user)
      .set({ emailVerified: true, updatedAt: now })
      .where(emailIs(purpose.email))
      .returning({ id: user.id });
    return updated.length > 0
      ? { ok: true, kind: "verify-email", email: purpose.email }
      : { ok: false, reason: "invalid" };
  }
  return changeEmail(db, purpose, now);
}

async function changeEmail(
  db: Database,
  purpose: Extract<TokenPurpose, { kind: "email-change" }>,
  now: Date,
): Promise<EmailConfirmation> {
  const [before] = await db
    .select({ email: user.email, emailVerified: user.emailVerified })
    .from(user)
    .where(eq(user.id, purpose.userId));
  if (!before) return { ok: false, reason: "invalid" };
  let changed: boolean;
  try {
    changed = await db.transaction(async (tx) => {
      const updated = await tx
        .update(user)
        .set({ email: purpose.email, emailVerified: true, updatedAt: now })
        .where(eq(user.id, purpose.userId))
        .returning({ id: user.id });
      // Reset links went to the old address; they must not outlive it.
      await revokeTokens(tx, { kind: "password-reset", userId: purpose.userId });
      return updated.length > 0;
    });
  } catch (error) {
    // Someone else signed up with that address since the mail was sent.
    if (isUniqueViolation(error)) return { ok: false, reason: "taken" };
    throw error;
  }
  if (!changed) return { ok: false, reason: "invalid" };
  if (before.emailVerified) {
    sendInBackground(before.email, async () =>
      emailChangedMail(before.email, purpose.email, linkTo("/login")),
    );
  }
  return { ok: true, kind: "email-change", email: purpose.email };
}
