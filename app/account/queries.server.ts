import { count, eq } from "drizzle-orm";
import type { Database } from "~/db/client.server";
import { account, agents, meetings, user } from "~/db/schema";
import { CREDENTIAL_PROVIDER } from "~/auth/credentials.server";
import { lockUser } from "~/auth/users.server";
import { pendingEmailChange, revokeUserTokens } from "~/auth/verification.server";
import { dropGitHubAccount, GITHUB_PROVIDER } from "~/github/connection.server";

// The account settings: profile, sign-in methods, pending email change, and deletion.

export interface AccountOverview {
  name: string;
  email: string;
  emailVerified: boolean;
  image: string | null;
  hasPassword: boolean;
  github: { accountId: string; connectedAt: Date } | null;
  /** A new address waiting for its confirmation link to be opened. */
  pendingEmail: string | null;
}

export async function getAccountOverview(
  db: Database,
  userId: string,
  now = new Date(),
): Promise<AccountOverview | null> {
  const [profile] = await db
    .select({
      name: user.name,
      email: user.email,
      emailVerified: user.emailVerified,
      image: user.image,
    })
    .from(user)
    .where(eq(user.id, userId));
  if (!profile) return null;
  const accounts = await db
    .select({
      providerId: account.providerId,
      accountId: account.accountId,
      password: account.password,
      createdAt: account.createdAt,
    })
    .from(account)
    .where(eq(account.userId, userId));
  const github = accounts.find((a) => a.providerId === GITHUB_PROVIDER);
  return {
    ...profile,
    hasPassword: accounts.some((a) => a.providerId === CREDENTIAL_PROVIDER && a.password),
    github: github ? { accountId: github.accountId, connectedAt: github.createdAt } : null,
    pendingEmail: await pendingEmailChange(db, userId, now),
  };
}

export async function updateProfile(
  db: Database,
  userId: string,
  profile: { name: string; image: string | null },
): Promise<void> {
  await db.update(user).set(profile).where(eq(user.id, userId));
}

/**
 * Removes the GitHub connection, unless it is the user's only way to sign in (no password, or
 * password sign-in turned off). Agents keep their repository names; checking them needs GitHub.
 */
export async function disconnectGitHub(
  db: Database,
  userId: string,
  passwordSignIn: boolean,
): Promise<"disconnected" | "not_connected" | "only_sign_in_method"> {
  return db.transaction(async (tx) => {
    await lockUser(tx, userId);
    const rows = await tx
      .select({ id: account.id, providerId: account.providerId, password: account.password })
      .from(account)
      .where(eq(account.userId, userId));
    const github = rows.find((row) => row.providerId === GITHUB_PROVIDER);
    if (!github) return "not_connected";
    const password = rows.some((row) => row.providerId === CREDENTIAL_PROVIDER && row.password);
    if (!password || !passwordSignIn) return "only_sign_in_method";
    await dropGitHubAccount(tx, github.id);
    return "disconnected";
  });
}

/** What deleting the account takes with it. */
export async function countOwnedRecords(db: Database, userId: string) {
  const [agentCount] = await db
    .select({ n: count() })
    .from(agents)
    .where(eq(agents.userId, userId));
  const [meetingCount] = await db
    .select({ n: count() })
    .from(meetings)
    .where(eq(meetings.userId, userId));
  return { agents: agentCount?.n ?? 0, meetings: meetingCount?.n ?? 0 };
}

/**
 * Deletes the user and, by cascade, their sessions, accounts, agents and meetings; and the
 * pending links that name them.
 */
export async function deleteAccount(db: Database, userId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [deleted] = await tx
      .delete(user)
      .where(eq(user.id, userId))
      .returning({ email: user.email });
    if (!deleted) return false;
    await revokeUserTokens(tx, userId, deleted.email);
    return true;
  });
}
