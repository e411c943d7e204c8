import { and, eq } from "drizzle-orm";
import { getConfig } from "~/config.server";
import type { Database } from "~/db/client.server";
import { account } from "~/db/schema";
import { decryptToken } from "./token-crypto.server";

export interface GitHubConnection {
  accessToken: string;
  scopes: string[];
  expired: boolean;
}

/**
 * The user's GitHub token, decrypted; the only reader of account.access_token.
 * Null when the user has no GitHub account (or its token cannot be decrypted any more).
 */
export async function getGitHubConnection(
  db: Database,
  userId: string,
  now = new Date(),
): Promise<GitHubConnection | null> {
  const [row] = await db
    .select({
      accessToken: account.accessToken,
      accessTokenExpiresAt: account.accessTokenExpiresAt,
      scope: account.scope,
    })
    .from(account)
    .where(and(eq(account.userId, userId), eq(account.providerId, "github")))
    .limit(1);
  if (!row?.accessToken) return null;
  let accessToken: string;
  try {
    accessToken = decryptToken(row.accessToken, getConfig().sessionSecret);
  } catch {
    // SESSION_SECRET changed: the token is unreadable, as good as revoked.
    return { accessToken: "", scopes: [], expired: true };
  }
  return {
    accessToken,
    scopes: (row.scope ?? "").split(/[\s,]+/).filter(Boolean),
    expired: row.accessTokenExpiresAt !== null && row.accessTokenExpiresAt <= now,
  };
}
