import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { disconnectGitHub, updateProfile } from "~/account/queries.server";
import { CREDENTIAL_PROVIDER, verifyCredentials } from "~/auth/credentials.server";
import type { GitHubIdentity } from "~/auth/github.server";
import { connectGitHub, SignInRefused, signInWithGitHub } from "~/auth/sign-in.server";
import { createSession, findSessionUser, revokeSession } from "~/auth/session.server";
import { decryptToken } from "~/github/token-crypto.server";
import { getConfig } from "~/config.server";
import type { DatabaseHandle } from "~/db/client.server";
import { account, session, user } from "~/db/schema";
import type { GitHubStandIn } from "~/sandbox/github/server";
import { createTestDatabase } from "../support/database";
import { identityOf, startGitHubStandIn } from "../support/github";
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

const accountsOf = (userId: string) =>
  database.db.select().from(account).where(eq(account.userId, userId));
const githubAccountOf = async (userId: string) =>
  (
    await database.db
      .select()
      .from(account)
      .where(and(eq(account.userId, userId), eq(account.providerId, "github")))
  )[0];
/** A signed-in session of the user: the one a connection starts from. */
async function sessionOf(userId: string) {
  const { token } = await createSession(database.db, userId, client);
  return { userId, sessionId: (await findSessionUser(database.db, token))!.sessionId };
}
/** GitHub connected from a session of the user that confirmed it in settings (or not). */
const connect = async (userId: string, identity: GitHubIdentity, confirmed = true) =>
  connectGitHub(database.db, await sessionOf(userId), identity, { confirmed });

const imageOf = async (userId: string) =>
  (await database.db.select({ image: user.image }).from(user).where(eq(user.id, userId)))[0]!.image;

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
    const result = await signInWithGitHub(database.db, await identityOf(standIn, "ada-gh"), client);

    expect(result.userId).toBe(ada.id);
    expect(await counts()).toEqual({ users: 1, accounts: 2, sessions: 1 });
    expect(await githubAccountOf(ada.id)).toMatchObject({ accountId: String(gh.id) });
    // Both ways in keep working.
    expect(await verifyCredentials(database.db, ada.email, "ada's password")).toBe(ada.id);
    const again = await signInWithGitHub(database.db, await identityOf(standIn, "ada-gh"), client);
    expect(again.userId).toBe(ada.id);
  });

  it("joins the user whose address is one of GitHub's other verified emails, not only the primary", async () => {
    const ada = await createUser(database.db, {
      email: "ada.work@example.test",
      emailVerified: true,
    });
    standIn.addUser({
      login: "ada-many",
      email: "ada.home@example.test",
      extraEmails: [
        { email: "ada.old@example.test", verified: false },
        { email: "ADA.work@example.test", verified: true },
      ],
    });
    const result = await signInWithGitHub(
      database.db,
      await identityOf(standIn, "ada-many"),
      client,
    );
    expect(result.userId).toBe(ada.id);
    expect(await counts()).toMatchObject({ users: 1 });
  });

  it("leaves a picture the user removed in settings removed", async () => {
    const ada = await createUser(database.db, { email: "pic@example.test", emailVerified: true });
    standIn.addUser({ login: "pic-gh", email: "pic@example.test" });
    const identity = await identityOf(standIn, "pic-gh");
    const withAvatar = {
      ...identity,
      profile: { ...identity.profile, avatar_url: "https://avatars.example.test/u/2?v=4" },
    };
    await signInWithGitHub(database.db, withAvatar, client);
    expect(await imageOf(ada.id)).toBe(withAvatar.profile.avatar_url);
    await updateProfile(database.db, ada.id, { name: "Ada", image: null });
    await signInWithGitHub(database.db, withAvatar, client);
    expect(await imageOf(ada.id)).toBeNull();
  });

  it("is refused, writing nothing, when that email is not verified", async () => {
    const squatted = await createUser(database.db, {
      email: "vic@example.test",
      emailVerified: false,
      password: "someone's password",
    });
    standIn.addUser({ login: "vic-gh", email: "vic@example.test" });
    const before = await counts();
    await expect(
      signInWithGitHub(database.db, await identityOf(standIn, "vic-gh"), client),
    ).rejects.toEqual(new SignInRefused("email_unverified_conflict"));
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
      signInWithGitHub(database.db, await identityOf(standIn, "second-by-email"), client),
    ).rejects.toEqual(new SignInRefused("other_github_account"));
    expect(await counts()).toEqual(before);
    expect((await accountsOf(ada.id)).map((row) => row.accountId)).toEqual(["4242"]);
  });
});

describe("connecting GitHub from the settings", () => {
  it("adds the GitHub account to the signed-in user, whatever GitHub's email is", async () => {
    const ada = await createUser(database.db, { emailVerified: true, password: "pw" });
    const gh = standIn.addUser({ login: "elsewhere", email: "someone.else@example.test" });
    expect(await connect(ada.id, await identityOf(standIn, "elsewhere"))).toBe("connected");
    expect(await githubAccountOf(ada.id)).toMatchObject({ accountId: String(gh.id) });
    // The user keeps their email; no user is made for GitHub's address.
    expect(await counts()).toMatchObject({ users: 1, accounts: 2 });
    const [row] = await database.db.select().from(user).where(eq(user.id, ada.id));
    expect(row!.email).toBe(ada.email);
    // From now on, signing in with that GitHub account is signing in as this user.
    const signedIn = await signInWithGitHub(
      database.db,
      await identityOf(standIn, "elsewhere"),
      client,
    );
    expect(signedIn.userId).toBe(ada.id);
  });

  it("renews the tokens when the user connects the GitHub account they already have", async () => {
    const ada = await createUser(database.db, { emailVerified: true, password: "pw" });
    standIn.addUser({ login: "same" });
    expect(await connect(ada.id, await identityOf(standIn, "same"))).toBe("connected");
    const fresh = await identityOf(standIn, "same");
    expect(await connect(ada.id, fresh)).toBe("renewed");
    const row = await githubAccountOf(ada.id);
    expect(decryptToken(row!.accessToken!, getConfig().sessionSecret)).toBe(
      fresh.tokens.accessToken,
    );
    expect(await accountsOf(ada.id)).toHaveLength(2);
  });

  it("is refused as 'taken' when that GitHub account belongs to another user", async () => {
    standIn.addUser({ login: "owned", email: "owner@example.test" });
    const owner = await signInWithGitHub(database.db, await identityOf(standIn, "owned"), client);
    const ada = await createUser(database.db, { emailVerified: true, password: "pw" });
    const adas = await sessionOf(ada.id);
    const before = await counts();
    expect(
      await connectGitHub(database.db, adas, await identityOf(standIn, "owned"), {
        confirmed: true,
      }),
    ).toBe("taken");
    expect(await counts()).toEqual(before);
    expect(await githubAccountOf(ada.id)).toBeUndefined();
    expect(await githubAccountOf(owner.userId)).toBeDefined();
  });

  it("is refused as 'other_account' when the user has a different GitHub account", async () => {
    const ada = await createUser(database.db, { emailVerified: true, password: "pw" });
    const first = standIn.addUser({ login: "first-gh" });
    standIn.addUser({ login: "second-gh" });
    await connect(ada.id, await identityOf(standIn, "first-gh"));
    expect(await connect(ada.id, await identityOf(standIn, "second-gh"))).toBe("other_account");
    expect(await githubAccountOf(ada.id)).toMatchObject({ accountId: String(first.id) });
    expect(await counts()).toMatchObject({ accounts: 2 });
  });

  it("is refused as 'unverified', writing nothing, while the user's email is not verified", async () => {
    // Else someone who signed up with another person's address could connect their own GitHub
    // and keep that way in after the owner took the account back with a password reset.
    const squatter = await createUser(database.db, { emailVerified: false, password: "pw" });
    standIn.addUser({ login: "squatter-gh" });
    const squatters = await sessionOf(squatter.id);
    const before = await counts();
    expect(
      await connectGitHub(database.db, squatters, await identityOf(standIn, "squatter-gh"), {
        confirmed: true,
      }),
    ).toBe("unverified");
    expect(await counts()).toEqual(before);
  });

  it("of a new GitHub account needs the confirmation from settings; a renewal does not", async () => {
    // A borrowed session alone must not add a way in that outlasts it.
    const ada = await createUser(database.db, { emailVerified: true, password: "pw" });
    standIn.addUser({ login: "borrowed" });
    expect(await connect(ada.id, await identityOf(standIn, "borrowed"), false)).toBe("unconfirmed");
    expect(await githubAccountOf(ada.id)).toBeUndefined();
    expect(await connect(ada.id, await identityOf(standIn, "borrowed"), true)).toBe("connected");
    expect(await connect(ada.id, await identityOf(standIn, "borrowed"), false)).toBe("renewed");
  });

  it("is refused as 'signed_out', writing nothing, when the session ended while GitHub was asked", async () => {
    const ada = await createUser(database.db, { emailVerified: true, password: "pw" });
    standIn.addUser({ login: "too-late" });
    const adas = await sessionOf(ada.id);
    const identity = await identityOf(standIn, "too-late");
    // "Sign out" of that session from another device, between the start and the callback.
    expect(await revokeSession(database.db, ada.id, adas.sessionId)).toBe(true);
    expect(await connectGitHub(database.db, adas, identity, { confirmed: true })).toBe(
      "signed_out",
    );
    expect(await githubAccountOf(ada.id)).toBeUndefined();
  });

  it("of two GitHub accounts at once leaves the user with exactly one of them", async () => {
    const ada = await createUser(database.db, { emailVerified: true, password: "pw" });
    standIn.addUser({ login: "racer-one" });
    standIn.addUser({ login: "racer-two" });
    const [one, two] = [
      await identityOf(standIn, "racer-one"),
      await identityOf(standIn, "racer-two"),
    ];
    const [first, second] = [await sessionOf(ada.id), await sessionOf(ada.id)];
    const outcomes = await Promise.all([
      connectGitHub(database.db, first, one, { confirmed: true }),
      connectGitHub(database.db, second, two, { confirmed: true }),
    ]);
    expect([...outcomes].sort()).toEqual(["connected", "other_account"]);
    const rows = (await accountsOf(ada.id)).filter((row) => row.providerId === "github");
    expect(rows).toHaveLength(1);
  });

  it("takes GitHub's https avatar as the picture of a user who has none, and never an http one", async () => {
    const ada = await createUser(database.db, { emailVerified: true, password: "pw" });
    const bob = await createUser(database.db, { emailVerified: true, password: "pw" });
    standIn.addUser({ login: "pictured" });
    standIn.addUser({ login: "plain-http" });
    const pictured = await identityOf(standIn, "pictured");
    const https = "https://avatars.example.test/u/1?v=4";
    await connect(ada.id, { ...pictured, profile: { ...pictured.profile, avatar_url: https } });
    // The stand-in serves its avatars over http, which a profile picture may not use.
    await connect(bob.id, await identityOf(standIn, "plain-http"));
    expect(await imageOf(ada.id)).toBe(https);
    expect(await imageOf(bob.id)).toBeNull();
  });
});

describe("disconnecting GitHub", () => {
  it("is refused when GitHub is the user's only way to sign in", async () => {
    standIn.addUser({ login: "only-gh" });
    const { userId } = await signInWithGitHub(
      database.db,
      await identityOf(standIn, "only-gh"),
      client,
    );
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
