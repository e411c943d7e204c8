import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { disconnectGitHub } from "~/account/queries.server";
import { CREDENTIAL_PROVIDER, verifyCredentials } from "~/auth/credentials.server";
import type { GitHubIdentity } from "~/auth/github.server";
import { connectGitHub, SignInRefused, signInWithGitHub } from "~/auth/sign-in.server";
import { decryptToken } from "~/auth/token-crypto.server";
import { getConfig } from "~/config.server";
import type { DatabaseHandle } from "~/db/client.server";
import { account, session, user } from "~/db/schema";
import { getAuthenticatedUser, getUserEmails } from "~/github/client.server";
import type { GitHubStandIn } from "../github-stand-in/server";
import { createTestDatabase } from "../support/database";
import { startGitHubStandIn } from "../support/github";
import { createUser } from "../support/users";

// How GitHub sign-ins meet email and password accounts: the rules that decide whether a GitHub
// identity joins an existing user, and connecting or disconnecting GitHub from the settings.

let database: DatabaseHandle;
let standIn: GitHubStandIn;
let closeStandIn: () => Promise<void>;
const client = { ipAddress: "192.0.2.10", userAgent: "Vitest" };

beforeAll(async () => {
  ({ standIn, close: closeStandIn } = await startGitHubStandIn());
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
  await closeStandIn();
});
beforeEach(async () => {
  standIn.reset();
  await database.db.delete(user);
});

/** What the GitHub strategy hands over after a token exchange, fetched from the stand-in. */
async function identityOf(login: string): Promise<GitHubIdentity> {
  const token = standIn.issueToken(login, ["read:user", "user:email"]);
  const [profile, emails] = await Promise.all([getAuthenticatedUser(token), getUserEmails(token)]);
  return {
    profile,
    emails,
    tokens: {
      accessToken: token,
      refreshToken: null,
      accessTokenExpiresAt: null,
      refreshTokenExpiresAt: null,
      scope: "read:user,user:email",
    },
  };
}

const accountsOf = (userId: string) =>
  database.db.select().from(account).where(eq(account.userId, userId));
const githubAccountOf = async (userId: string) =>
  (
    await database.db
      .select()
      .from(account)
      .where(and(eq(account.userId, userId), eq(account.providerId, "github")))
  )[0];
const counts = async () => ({
  users: (await database.db.select().from(user)).length,
  accounts: (await database.db.select().from(account)).length,
  sessions: (await database.db.select().from(session)).length,
});

describe("a GitHub sign-in with the email of a password account", () => {
  it("joins the user when that email is verified: same user, GitHub account added", async () => {
    const ada = await createUser(database.db, {
      email: "ada@example.test",
      emailVerified: true,
      password: "ada's password",
    });
    const gh = standIn.addUser({ login: "ada-gh", email: "Ada@Example.test" });
    const result = await signInWithGitHub(database.db, await identityOf("ada-gh"), client);

    expect(result.userId).toBe(ada.id);
    expect(await counts()).toEqual({ users: 1, accounts: 2, sessions: 1 });
    expect(await githubAccountOf(ada.id)).toMatchObject({ accountId: String(gh.id) });
    // Both ways in keep working.
    expect(await verifyCredentials(database.db, ada.email, "ada's password")).toBe(ada.id);
    const again = await signInWithGitHub(database.db, await identityOf("ada-gh"), client);
    expect(again.userId).toBe(ada.id);
  });

  it("is refused, writing nothing, when that email is not verified", async () => {
    const squatted = await createUser(database.db, {
      email: "vic@example.test",
      emailVerified: false,
      password: "someone's password",
    });
    standIn.addUser({ login: "vic-gh", email: "vic@example.test" });
    const before = await counts();
    await expect(signInWithGitHub(database.db, await identityOf("vic-gh"), client)).rejects.toEqual(
      new SignInRefused("email_unverified_conflict"),
    );
    expect(await counts()).toEqual(before);
    expect((await accountsOf(squatted.id)).map((row) => row.providerId)).toEqual([
      CREDENTIAL_PROVIDER,
    ]);
  });
});

describe("a GitHub sign-in with the email of a user who has another GitHub account", () => {
  it("is refused, writing nothing: one GitHub account per user", async () => {
    const ada = await createUser(database.db, {
      email: "two@example.test",
      emailVerified: true,
      githubId: 4242,
    });
    standIn.addUser({ login: "second-by-email", email: "two@example.test" });
    const before = await counts();
    await expect(
      signInWithGitHub(database.db, await identityOf("second-by-email"), client),
    ).rejects.toEqual(new SignInRefused("other_github_account"));
    expect(await counts()).toEqual(before);
    expect((await accountsOf(ada.id)).map((row) => row.accountId)).toEqual(["4242"]);
  });
});

describe("connecting GitHub from the settings", () => {
  it("adds the GitHub account to the signed-in user, whatever GitHub's email is", async () => {
    const ada = await createUser(database.db, { emailVerified: true, password: "pw" });
    const gh = standIn.addUser({ login: "elsewhere", email: "someone.else@example.test" });
    expect(await connectGitHub(database.db, ada.id, await identityOf("elsewhere"))).toBe(
      "connected",
    );
    expect(await githubAccountOf(ada.id)).toMatchObject({ accountId: String(gh.id) });
    // The user keeps their email; no user is made for GitHub's address.
    expect(await counts()).toMatchObject({ users: 1, accounts: 2 });
    const [row] = await database.db.select().from(user).where(eq(user.id, ada.id));
    expect(row!.email).toBe(ada.email);
    // From now on, signing in with that GitHub account is signing in as this user.
    const signedIn = await signInWithGitHub(database.db, await identityOf("elsewhere"), client);
    expect(signedIn.userId).toBe(ada.id);
  });

  it("renews the tokens when the user connects the GitHub account they already have", async () => {
    const ada = await createUser(database.db, { emailVerified: true, password: "pw" });
    standIn.addUser({ login: "same" });
    expect(await connectGitHub(database.db, ada.id, await identityOf("same"))).toBe("connected");
    const fresh = await identityOf("same");
    expect(await connectGitHub(database.db, ada.id, fresh)).toBe("renewed");
    const row = await githubAccountOf(ada.id);
    expect(decryptToken(row!.accessToken!, getConfig().sessionSecret)).toBe(
      fresh.tokens.accessToken,
    );
    expect(await accountsOf(ada.id)).toHaveLength(2);
  });

  it("is refused as 'taken' when that GitHub account belongs to another user", async () => {
    standIn.addUser({ login: "owned", email: "owner@example.test" });
    const owner = await signInWithGitHub(database.db, await identityOf("owned"), client);
    const ada = await createUser(database.db, { emailVerified: true, password: "pw" });
    const before = await counts();
    expect(await connectGitHub(database.db, ada.id, await identityOf("owned"))).toBe("taken");
    expect(await counts()).toEqual(before);
    expect(await githubAccountOf(ada.id)).toBeUndefined();
    expect(await githubAccountOf(owner.userId)).toBeDefined();
  });

  it("is refused as 'other_account' when the user has a different GitHub account", async () => {
    const ada = await createUser(database.db, { emailVerified: true, password: "pw" });
    const first = standIn.addUser({ login: "first-gh" });
    standIn.addUser({ login: "second-gh" });
    await connectGitHub(database.db, ada.id, await identityOf("first-gh"));
    expect(await connectGitHub(database.db, ada.id, await identityOf("second-gh"))).toBe(
      "other_account",
    );
    expect(await githubAccountOf(ada.id)).toMatchObject({ accountId: String(first.id) });
    expect(await counts()).toMatchObject({ accounts: 2 });
  });

  it("is refused as 'unverified', writing nothing, while the user's email is not verified", async () => {
    // Else someone who signed up with another person's address could connect their own GitHub
    // and keep that way in after the owner took the account back with a password reset.
    const squatter = await createUser(database.db, { emailVerified: false, password: "pw" });
    standIn.addUser({ login: "squatter-gh" });
    const before = await counts();
    expect(await connectGitHub(database.db, squatter.id, await identityOf("squatter-gh"))).toBe(
      "unverified",
    );
    expect(await counts()).toEqual(before);
  });
});

describe("disconnecting GitHub", () => {
  it("is refused when GitHub is the user's only way to sign in", async () => {
    standIn.addUser({ login: "only-gh" });
    const { userId } = await signInWithGitHub(database.db, await identityOf("only-gh"), client);
    expect(await disconnectGitHub(database.db, userId, true)).toBe("only_sign_in_method");
    expect(await githubAccountOf(userId)).toBeDefined();
  });

  it("removes the GitHub account of a user who has a password, keeping the password", async () => {
    const ada = await createUser(database.db, { password: "pw", githubId: 777 });
    expect(await disconnectGitHub(database.db, ada.id, true)).toBe("disconnected");
    expect((await accountsOf(ada.id)).map((row) => row.providerId)).toEqual([CREDENTIAL_PROVIDER]);
    expect(await disconnectGitHub(database.db, ada.id, true)).toBe("not_connected");
  });

  it("is refused for a user with a password while password sign-in is turned off", async () => {
    const ada = await createUser(database.db, { password: "pw", githubId: 778 });
    expect(await disconnectGitHub(database.db, ada.id, false)).toBe("only_sign_in_method");
    expect(await accountsOf(ada.id)).toHaveLength(2);
  });
});
