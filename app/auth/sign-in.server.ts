import { and, eq, or, sql } from "drizzle-orm";
import { nanoid } from "nanoid";
import { getConfig } from "~/config.server";
import { isUniqueViolation, type Database } from "~/db/client.server";
import { account, user } from "~/db/schema";
import type { GitHubIdentity } from "./github.server";
import { createSession, deleteExpiredSessions } from "./session.server";
import { encryptToken } from "./token-crypto.server";
import { emailIs } from "./users.server";

export type SignInRefusal =
  "no_verified_email" | "email_unverified_conflict" | "other_github_account";

export class SignInRefused extends Error {
  name = "SignInRefused";
  constructor(readonly reason: SignInRefusal) {
    super(reason);
  }
}

/** The address we trust: GitHub's primary email if verified, else any verified one. */
function chooseVerifiedEmail(emails: GitHubIdentity["emails"]): string | null {
  const verified = emails.filter((e) => e.verified);
  const chosen = verified.find((e) => e.primary) ?? verified[0];
  return chosen ? chosen.email.trim().toLowerCase() : null;
}

/** GitHub's avatar as the user's picture, unless they have one (chosen in settings). */
async function fillInImage(db: Database, userId: string, avatarUrl: string, now: Date) {
  await db
    .update(user)
    .set({ image: sql`coalesce(${user.image}, ${avatarUrl})`, updatedAt: now })
    .where(eq(user.id, userId));
}

/** The account columns that store GitHub's tokens, encrypted. */
function tokenColumnsOf({ tokens }: GitHubIdentity, now: Date) {
  const secret = getConfig().sessionSecret;
  return {
    accessToken: encryptToken(tokens.accessToken, secret),
    refreshToken: tokens.refreshToken ? encryptToken(tokens.refreshToken, secret) : null,
    accessTokenExpiresAt: tokens.accessTokenExpiresAt,
    refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
    scope: tokens.scope,
    updatedAt: now,
  };
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
  const tokenColumns = tokenColumnsOf(identity, now);

  // Two first sign-ins of the same person at once: the loser of the race retries and finds
  // the user and account the winner created.
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        const [existing] = await tx
          .select({ id: account.id, userId: account.userId })
          .from(account)
          .where(and(eq(account.providerId, "github"), eq(account.accountId, accountId)));

        let userId: string;
        if (existing) {
          userId = existing.userId;
          await tx.update(account).set(tokenColumns).where(eq(account.id, existing.id));
          await fillInImage(tx, userId, profile.avatar_url, now);
        } else {
          const email = chooseVerifiedEmail(identity.emails);
          if (!email) throw new SignInRefused("no_verified_email");
          const [owner] = await tx
            .select({ id: user.id, emailVerified: user.emailVerified, github: account.id })
            .from(user)
            .leftJoin(account, and(eq(account.userId, user.id), eq(account.providerId, "github")))
            .where(emailIs(email));
          if (owner && !owner.emailVerified) throw new SignInRefused("email_unverified_conflict");
          // One GitHub account per user: a second one would leave it unclear whose token counts.
          if (owner?.github) throw new SignInRefused("other_github_account");
          if (owner) {
            userId = owner.id;
          } else {
            userId = nanoid();
            await tx.insert(user).values({
              id: userId,
              name: profile.name?.trim() || profile.login,
              email,
              emailVerified: true,
              image: profile.avatar_url,
              createdAt: now,
              updatedAt: now,
            });
          }
          await tx.insert(account).values({
            id: nanoid(),
            providerId: "github",
            accountId,
            userId,
            createdAt: now,
            ...tokenColumns,
          });
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

export type GitHubLinkOutcome = "connected" | "renewed" | "taken" | "other_account" | "unverified";

/**
 * Connects GitHub to a signed-in user, whatever GitHub's email is, or renews the tokens of the
 * connection they have. Refused when that GitHub account belongs to another user, when the user
 * is connected to a different GitHub account, or has not verified their email (else someone who
 * signed up with another person's address could keep a way in after that person reset it).
 */
export async function connectGitHub(
  db: Database,
  userId: string,
  identity: GitHubIdentity,
  now = new Date(),
): Promise<GitHubLinkOutcome> {
  const accountId = String(identity.profile.id);
  const tokenColumns = tokenColumnsOf(identity, now);
  try {
    return await db.transaction(async (tx) => {
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
            eq(account.providerId, "github"),
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
      await tx.insert(account).values({
        id: nanoid(),
        providerId: "github",
        accountId,
        userId,
        createdAt: now,
        ...tokenColumns,
      });
      await fillInImage(tx, userId, identity.profile.avatar_url, now);
      return "connected";
    });
  } catch (error) {
    // Someone connected the same GitHub account at the same moment.
    if (isUniqueViolation(error)) return "taken";
    throw error;
  }
}
