import { and, eq, inArray, or, sql } from "drizzle-orm";
import { nanoid } from "nanoid";
import { getConfig } from "~/config.server";
import { isUniqueViolation, type Database } from "~/db/client.server";
import { account, user } from "~/db/schema";
import { GITHUB_PROVIDER, githubTokenColumns, newGitHubAccount } from "~/github/connection.server";
import type { GitHubIdentity } from "./github.server";
import { createSession, deleteExpiredSessions } from "./session.server";
import { lockUser, lockUserForSession } from "./users.server";

export type SignInRefusal =
  | "no_verified_email"
  | "email_unverified_conflict"
  | "other_github_account"
  | "sandbox_email_in_use";

export class SignInRefused extends Error {
  name = "SignInRefused";
  constructor(readonly reason: SignInRefusal) {
    super(reason);
  }
}

/** The addresses GitHub vouches for (verified), the primary one first. */
function verifiedEmails(emails: GitHubIdentity["emails"]): string[] {
  const verified = emails
    .filter((e) => e.verified)
    .sort((a, b) => Number(b.primary) - Number(a.primary));
  return [...new Set(verified.map((e) => e.email.trim().toLowerCase()))];
}

/**
 * GitHub's avatar as the user's picture, when the user has none. Only on joining or connecting:
 * a picture removed in settings stays removed. Only https pictures, as for one set in settings.
 */
async function fillInImage(db: Database, userId: string, avatarUrl: string, now: Date) {
  if (!avatarUrl.startsWith("https://")) return;
  await db
    .update(user)
    .set({ image: sql`coalesce(${user.image}, ${avatarUrl})`, updatedAt: now })
    .where(eq(user.id, userId));
}

/**
 * Everything a GitHub sign-in writes, in one transaction: the user (first time), the account
 * with its encrypted tokens, and a new session. Refuses, writing nothing, when GitHub gives
 * no verified email or the email belongs to a user who has not verified it.
 */
export async function signInWithGitHub(
  db: Database,
  identity: GitHubIdentity,
  client: { ipAddress: string | null; userAgent: string | null },
  now = new Date(),
): Promise<{ userId: string; token: string; expiresAt: Date }> {
  const { profile } = identity;
  const accountId = String(profile.id);
  const tokenColumns = githubTokenColumns(identity.tokens, now);

  // Two first sign-ins of the same person at once: the loser of the race retries and finds
  // the user and account the winner created.
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        const [existing] = await tx
          .select({ id: account.id, userId: account.userId })
          .from(account)
          .where(and(eq(account.providerId, GITHUB_PROVIDER), eq(account.accountId, accountId)));

        let userId: string;
        if (existing) {
          userId = existing.userId;
          await tx.update(account).set(tokenColumns).where(eq(account.id, existing.id));
        } else {
          const emails = verifiedEmails(identity.emails);
          if (emails.length === 0) throw new SignInRefused("no_verified_email");
          // The user one of GitHub's addresses belongs to, by the order GitHub lists them in.
          const owners = await tx
            .select({ id: user.id, email: user.email })
            .from(user)
            .where(inArray(sql`lower(${user.email})`, emails));
          const owner = emails
            .map((email) => owners.find((o) => o.email.toLowerCase() === email))
            .find((found) => found !== undefined);
          if (owner) {
            // Anyone can invent a sandbox identity with any "verified" address.
            if (getConfig().github?.sandbox) throw new SignInRefused("sandbox_email_in_use");
            await lockUser(tx, owner.id);
            const [locked] = await tx
              .select({ emailVerified: user.emailVerified, github: account.id })
              .from(user)
              .leftJoin(
                account,
                and(eq(account.userId, user.id), eq(account.providerId, GITHUB_PROVIDER)),
              )
              .where(eq(user.id, owner.id));
            if (!locked?.emailVerified) throw new SignInRefused("email_unverified_conflict");
            if (locked.github) throw new SignInRefused("other_github_account");
            userId = owner.id;
            await fillInImage(tx, userId, profile.avatar_url, now);
          } else {
            userId = nanoid();
            await tx.insert(user).values({
              id: userId,
              name: profile.name?.trim() || profile.login,
              email: emails[0]!,
              emailVerified: true,
              createdAt: now,
              updatedAt: now,
            });
            await fillInImage(tx, userId, profile.avatar_url, now);
          }
          await tx
            .insert(account)
            .values(newGitHubAccount(userId, identity.profile.id, identity.tokens, now));
        }

        await deleteExpiredSessions(tx, now);
        const session = await createSession(tx, userId, client, now);
        return { userId, ...session };
      });
    } catch (error) {
      if (attempt >= 2 || !isUniqueViolation(error)) throw error;
    }
  }
}

export type GitHubLinkOutcome =
  "connected" | "renewed" | "taken" | "other_account" | "unverified" | "unconfirmed" | "signed_out";

/**
 * Connects GitHub to a signed-in user, whatever GitHub's email is, or renews the tokens of the
 * connection they have. A new connection needs `confirmed`: the user asked for it in settings
 * (with their password), so a borrowed session cannot add a way in that outlasts it. Refused
 * when that GitHub account belongs to another user, when the user is connected to a different
 * GitHub account, has not verified their email (else someone who signed up with another
 * person's address could keep a way in after that person reset it), or when the session was
 * signed out while GitHub was asked.
 */
export async function connectGitHub(
  db: Database,
  { userId, sessionId }: { userId: string; sessionId: string },
  identity: GitHubIdentity,
  { confirmed }: { confirmed: boolean },
  now = new Date(),
): Promise<GitHubLinkOutcome> {
  const accountId = String(identity.profile.id);
  const tokenColumns = githubTokenColumns(identity.tokens, now);
  try {
    return await db.transaction(async (tx) => {
      if (!(await lockUserForSession(tx, { userId, sessionId }))) return "signed_out";
      const [owner] = await tx
        .select({ emailVerified: user.emailVerified })
        .from(user)
        .where(eq(user.id, userId));
      if (!owner?.emailVerified) return "unverified";
      const rows = await tx
        .select({ id: account.id, userId: account.userId, accountId: account.accountId })
        .from(account)
        .where(
          and(
            eq(account.providerId, GITHUB_PROVIDER),
            or(eq(account.accountId, accountId), eq(account.userId, userId)),
          ),
        );
      const same = rows.find((row) => row.accountId === accountId);
      if (same && same.userId !== userId) return "taken";
      if (same) {
        await tx.update(account).set(tokenColumns).where(eq(account.id, same.id));
        return "renewed";
      }
      if (rows.some((row) => row.userId === userId)) return "other_account";
      if (!confirmed) return "unconfirmed";
      await tx
        .insert(account)
        .values(newGitHubAccount(userId, identity.profile.id, identity.tokens, now));
      await fillInImage(tx, userId, identity.profile.avatar_url, now);
      return "connected";
    });
  } catch (error) {
    // Someone connected the same GitHub account at the same moment.
    if (isUniqueViolation(error)) return "taken";
    throw error;
  }
}
