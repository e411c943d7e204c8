import { ArcticFetchError } from "arctic";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { findSessionUser, hashSessionToken } from "~/auth/session.server";
import { SignInRefused, signInWithGitHub } from "~/auth/sign-in.server";
import { decryptToken } from "~/github/token-crypto.server";
import { getConfig } from "~/config.server";
import type { DatabaseHandle } from "~/db/client.server";
import { account, session, user } from "~/db/schema";
import type { GitHubStandIn } from "~/sandbox/github/server";
import { createTestDatabase } from "../support/database";
import {
  approveOnGitHub,
  finishSignIn,
  identityOf,
  startGitHubStandIn,
  testClient,
} from "../support/github";

let database: DatabaseHandle;
let standIn: GitHubStandIn;
let standInUrl: string;
let closeStandIn: () => Promise<void>;
const client = { ipAddress: "198.51.100.4", userAgent: "Vitest" };

beforeAll(async () => {
  ({ standIn, url: standInUrl, close: closeStandIn } = await startGitHubStandIn());
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

const counts = async () => ({
  users: (await database.db.select().from(user)).length,
  accounts: (await database.db.select().from(account)).length,
  sessions: (await database.db.select().from(session)).length,
});

describe("signing in with GitHub", () => {
  it("creates the user, the account and a session on first sign-in", async () => {
    const gh = standIn.addUser({ login: "ada", name: "Ada Lovelace", email: "Ada@Example.test" });
    const identity = await identityOf(standIn, "ada");
    identity.profile.avatar_url = "https://avatars.example.test/ada.png";
    const result = await signInWithGitHub(database.db, identity, client);

    const [row] = await database.db.select().from(user);
    expect(row).toMatchObject({
      id: result.userId,
      name: "Ada Lovelace",
      email: "ada@example.test",
      emailVerified: true,
      image: identity.profile.avatar_url,
    });
    const [acct] = await database.db.select().from(account);
    expect(acct).toMatchObject({
      providerId: "github",
      accountId: String(gh.id),
      userId: result.userId,
      scope: "read:user,user:email",
      refreshToken: null,
      password: null,
    });
    const [sess] = await database.db.select().from(session);
    expect(sess).toMatchObject({
      userId: result.userId,
      token: hashSessionToken(result.token),
      ...client,
    });
    expect(await findSessionUser(database.db, result.token)).not.toBeNull();
  });

  it("uses the GitHub login as the name when GitHub has none", async () => {
    standIn.addUser({ login: "nameless" });
    await signInWithGitHub(database.db, await identityOf(standIn, "nameless"), client);
    const [row] = await database.db.select().from(user);
    expect(row!.name).toBe("nameless");
  });

  it("stores the OAuth token encrypted, and it decrypts to the token GitHub issued", async () => {
    standIn.addUser({ login: "enc" });
    const identity = await identityOf(standIn, "enc");
    await signInWithGitHub(database.db, identity, client);
    const [acct] = await database.db.select().from(account);
    expect(acct!.accessToken).not.toContain(identity.tokens.accessToken);
    expect(decryptToken(acct!.accessToken!, getConfig().sessionSecret)).toBe(
      identity.tokens.accessToken,
    );
  });

  it("on a later sign-in updates tokens and scope, keeps the user's picture or its absence, and adds only a session", async () => {
    standIn.addUser({ login: "grace", name: "Grace" });
    const first = await signInWithGitHub(database.db, await identityOf(standIn, "grace"), client);
    // The picture chosen in settings wins over GitHub's avatar.
    await database.db.update(user).set({ image: "https://example.test/grace-own.png" });
    const again = await identityOf(standIn, "grace", "read:user,repo,user:email");
    again.profile.avatar_url = "https://avatars.example.test/grace-new.png";
    const second = await signInWithGitHub(database.db, again, client);

    expect(second.userId).toBe(first.userId);
    expect(await counts()).toEqual({ users: 1, accounts: 1, sessions: 2 });
    const [acct] = await database.db.select().from(account);
    expect(acct!.scope).toBe("read:user,repo,user:email");
    expect(decryptToken(acct!.accessToken!, getConfig().sessionSecret)).toBe(
      again.tokens.accessToken,
    );
    const [row] = await database.db.select().from(user);
    expect(row!.image).toBe("https://example.test/grace-own.png");

    // A picture removed in settings is not brought back by GitHub's avatar.
    await database.db.update(user).set({ image: null });
    await signInWithGitHub(database.db, again, client);
    const [later] = await database.db.select().from(user);
    expect(later!.image).toBeNull();
  });

  it("links GitHub to an existing user whose email is verified", async () => {
    await database.db
      .insert(user)
      .values({ id: "existing", name: "Lin", email: "lin@example.test", emailVerified: true });
    standIn.addUser({ login: "lin", email: "LIN@example.test" });
    const result = await signInWithGitHub(database.db, await identityOf(standIn, "lin"), client);
    expect(result.userId).toBe("existing");
    expect(await counts()).toEqual({ users: 1, accounts: 1, sessions: 1 });
  });

  it("refuses, writing nothing, when the email belongs to a user who has not verified it", async () => {
    await database.db
      .insert(user)
      .values({ id: "victim", name: "Vic", email: "vic@example.test", emailVerified: false });
    standIn.addUser({ login: "attacker", email: "vic@example.test" });
    await expect(
      signInWithGitHub(database.db, await identityOf(standIn, "attacker"), client),
    ).rejects.toEqual(new SignInRefused("email_unverified_conflict"));
    expect(await counts()).toEqual({ users: 1, accounts: 0, sessions: 0 });
  });

  it("refuses, writing nothing, a GitHub user with no verified email", async () => {
    standIn.addUser({ login: "unverified", emailVerified: false });
    await expect(
      signInWithGitHub(database.db, await identityOf(standIn, "unverified"), client),
    ).rejects.toEqual(new SignInRefused("no_verified_email"));
    expect(await counts()).toEqual({ users: 0, accounts: 0, sessions: 0 });
  });

  it("prefers the primary verified email, else another verified one", async () => {
    standIn.addUser({
      login: "multi",
      email: "primary@example.test",
      emailVerified: false,
      extraEmails: [{ email: "work@example.test", verified: true }],
    });
    await signInWithGitHub(database.db, await identityOf(standIn, "multi"), client);
    const [row] = await database.db.select().from(user);
    expect(row!.email).toBe("work@example.test");
  });

  it("removes expired sessions when someone signs in", async () => {
    standIn.addUser({ login: "old" });
    const identity = await identityOf(standIn, "old");
    const stale = await signInWithGitHub(database.db, identity, client, new Date("2025-01-01"));
    await signInWithGitHub(database.db, identity, client);
    const rows = await database.db.select().from(session);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token).not.toBe(hashSessionToken(stale.token));
  });
});

describe("the OAuth round trip through remix-auth-github and the configurable client", () => {
  it("exchanges the code at the configured token endpoint and fetches the profile", async () => {
    const { authorizeEndpoint, callback, stateCookie } = await approveOnGitHub("round-trip");
    expect(authorizeEndpoint).toBe(`${standInUrl}/login/oauth/authorize`);
    const callbackUrl = new URL(callback);
    expect(callbackUrl.origin + callbackUrl.pathname).toBe(
      `${testClient.appUrl}/auth/github/callback`,
    );
    expect(callbackUrl.searchParams.get("code")).toBeTruthy();
    const identity = await finishSignIn(callback, stateCookie);
    expect(identity.profile.login).toBe("round-trip");
    expect(identity.emails.some((e) => e.primary && e.verified)).toBe(true);
    expect(identity.tokens.scope).toBe("read:user,user:email");
    expect(identity.tokens.accessToken).toMatch(/^gho_/);
  });

  it("reports a code used twice as GitHub does: status 200 with bad_verification_code", async () => {
    const { callback, stateCookie } = await approveOnGitHub("twice");
    await finishSignIn(callback, stateCookie);
    await expect(finishSignIn(callback, stateCookie)).rejects.toMatchObject({
      code: "bad_verification_code",
    });
  });

  it("refuses a callback whose state does not match the cookie", async () => {
    const { callback } = await approveOnGitHub("mismatch");
    await expect(finishSignIn(callback, "smtg_github_oauth=state=other")).rejects.toBeInstanceOf(
      RangeError,
    );
  });

  it("gives up on a token endpoint that does not answer within the timeout", async () => {
    const { callback, stateCookie } = await approveOnGitHub("slow");
    standIn.setFault({ path: "/login/oauth/access_token", delayMs: 8000, times: 1 });
    const started = Date.now();
    await expect(finishSignIn(callback, stateCookie)).rejects.toBeInstanceOf(ArcticFetchError);
    expect(Date.now() - started).toBeLessThan(7000);
  });

  it("fails with a GitHub error when the API is down after the token exchange", async () => {
    const { callback, stateCookie } = await approveOnGitHub("api-down");
    standIn.setFault({ path: "/api/v3/user", status: 503, times: 2 });
    await expect(finishSignIn(callback, stateCookie)).rejects.toMatchObject({
      name: "GitHubError",
      kind: "unavailable",
    });
  });
});
