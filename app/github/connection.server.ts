import { and, eq, sql } from "drizzle-orm";
import { nanoid } from "nanoid";
import { getConfig } from "~/config.server";
import type { Database } from "~/db/client.server";
import { account } from "~/db/schema";
import { refreshGitHubTokens, type GitHubTokens } from "./oauth.server";
import { decryptToken, encryptToken } from "./token-crypto.server";

// The user's GitHub connection: the `account` row of provider "github" and its tokens,
// encrypted at rest. This module is the only one that reads, stores, renews or drops them.

export const GITHUB_PROVIDER = "github";

export interface GitHubConnection {
  accessToken: string;
  scopes: string[];
  expired: boolean;
}

/**
 * The user's GitHub token, decrypted (and renewed when it expired and can be refreshed); the
 * only reader of account.access_token. Null when the user has no GitHub account.
 */
export async function getGitHubConnection(
  db: Database,
  userId: string,
  now = new Date(),
): Promise<GitHubConnection | null> {
  const [row] = await db
    .select({
      id: account.id,
      accessToken: account.accessToken,
      accessTokenExpiresAt: account.accessTokenExpiresAt,
      refreshToken: account.refreshToken,
      refreshTokenExpiresAt: account.refreshTokenExpiresAt,
      scope: account.scope,
    })
    .from(account)
    .where(and(eq(account.userId, userId), eq(account.providerId, GITHUB_PROVIDER)))
    .limit(1);
  if (!row?.accessToken) return null;
  const secret = getConfig().sessionSecret;
  const scopes = (row.scope ?? "").split(/[\s,]+/).filter(Boolean);
  const expired = row.accessTokenExpiresAt !== null && row.accessTokenExpiresAt <= now;
  try {
    if (!expired) return { accessToken: decryptToken(row.accessToken, secret), scopes, expired };
    const refreshable =
      row.refreshToken && (!row.refreshTokenExpiresAt || row.refreshTokenExpiresAt > now);
    if (!refreshable) return { accessToken: "", scopes, expired: true };
    // GitHub App user tokens expire after hours; the refresh token renews them unnoticed.
    // A refresh token works once, so concurrent renewals (on any instance) take turns, and
    // whoever comes second uses the token the first one stored.
    return await db.transaction(async (tx) => {
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtextextended(${`github-refresh:${row.id}`}, 0))`,
      );
      const [latest] = await tx
        .select({ accessToken: account.accessToken })
        .from(account)
        .where(eq(account.id, row.id));
      if (latest?.accessToken && latest.accessToken !== row.accessToken) {
        return { accessToken: decryptToken(latest.accessToken, secret), scopes, expired: false };
      }
      const tokens = await refreshGitHubTokens(decryptToken(row.refreshToken!, secret));
      await tx
        .update(account)
        .set({
          accessToken: encryptToken(tokens.accessToken, secret),
          refreshToken: tokens.refreshToken ? encryptToken(tokens.refreshToken, secret) : null,
          accessTokenExpiresAt: tokens.accessTokenExpiresAt,
          refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
          scope: tokens.scope ?? row.scope,
          updatedAt: now,
        })
        .where(eq(account.id, row.id));
      return { accessToken: tokens.accessToken, scopes, expired: false };
    });
  } catch {
    // Unreadable (SESSION_SECRET changed) or refused by GitHub: as good as revoked.
    return { accessToken: "", scopes, expired: true };
  }
}

/** The account columns that store GitHub's tokens, encrypted. */
export function githubTokenColumns(tokens: GitHubTokens, now: Date) {
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

/** A new GitHub account row for `userId`, for GitHub's user `githubUserId`. */
export function newGitHubAccount(
  userId: string,
  githubUserId: number,
  tokens: GitHubTokens,
  now: Date,
) {
  return {
    id: nanoid(),
    providerId: GITHUB_PROVIDER,
    accountId: String(githubUserId),
    userId,
    createdAt: now,
    ...githubTokenColumns(tokens, now),
  };
}

/** Deletes the user's GitHub account and its tokens; the caller decides whether it may. */
export async function dropGitHubAccount(db: Database, accountId: string): Promise<void> {
  await db.delete(account).where(eq(account.id, accountId));
}
