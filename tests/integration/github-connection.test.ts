import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getGitHubConnection } from "~/github/connection.server";
import { signInWithGitHub } from "~/auth/sign-in.server";
import type { DatabaseHandle } from "~/db/client.server";
import { account } from "~/db/schema";
import { getAuthenticatedUser } from "~/github/client.server";
import { createTestDatabase } from "../support/database";
import { approveOnGitHub, finishSignIn, startGitHubStandIn } from "../support/github";

// GitHub App user tokens expire after eight hours and come with a refresh token.

let database: DatabaseHandle;
let closeStandIn: () => Promise<void>;
beforeAll(async () => {
  ({ close: closeStandIn } = await startGitHubStandIn({ expiringTokens: true }));
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
  await closeStandIn();
});

async function signInExpiring(login: string) {
  const { callback, stateCookie } = await approveOnGitHub(login);
  const identity = await finishSignIn(callback, stateCookie);
  const { userId } = await signInWithGitHub(database.db, identity, {
    ipAddress: null,
    userAgent: null,
  });
  return { userId, identity };
}

const accountOf = async (userId: string) =>
  (await database.db.select().from(account).where(eq(account.userId, userId)))[0]!;

describe("the stored GitHub connection", () => {
  it("stores the expiry times and the refresh token GitHub issued", async () => {
    const { userId, identity } = await signInExpiring("app-user");
    expect(identity.tokens.accessToken).toMatch(/^ghu_/);
    const row = await accountOf(userId);
    expect(row.refreshToken).not.toBeNull();
    expect(row.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 7 * 3600_000);
    expect(row.refreshTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 150 * 86400_000);
    const connection = await getGitHubConnection(database.db, userId);
    expect(connection).toMatchObject({ accessToken: identity.tokens.accessToken, expired: false });
  });

  it("renews an expired access token with the refresh token, transparently", async () => {
    const { userId, identity } = await signInExpiring("renewed");
    const nineHoursLater = new Date(Date.now() + 9 * 3600_000);
    const connection = await getGitHubConnection(database.db, userId, nineHoursLater);
    expect(connection?.expired).toBe(false);
    expect(connection?.accessToken).not.toBe(identity.tokens.accessToken);
    expect((await getAuthenticatedUser(connection!.accessToken)).login).toBe("renewed");
    const row = await accountOf(userId);
    expect(row.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 7 * 3600_000);
  });

  it("renews once when two requests find the token expired at the same time", async () => {
    // GitHub's refresh tokens work once: the second request's refresh is refused, and it
    // must use the token the first one stored instead of asking the user to reconnect.
    const { userId } = await signInExpiring("twice");
    const nineHoursLater = new Date(Date.now() + 9 * 3600_000);
    const [a, b] = await Promise.all([
      getGitHubConnection(database.db, userId, nineHoursLater),
      getGitHubConnection(database.db, userId, nineHoursLater),
    ]);
    expect([a?.expired, b?.expired]).toEqual([false, false]);
    for (const connection of [a!, b!]) {
      expect((await getAuthenticatedUser(connection.accessToken)).login).toBe("twice");
    }
  });

  it("reports an expired connection when the refresh token has expired too", async () => {
    const { userId } = await signInExpiring("lapsed");
    const aYearLater = new Date(Date.now() + 365 * 86400_000);
    expect(await getGitHubConnection(database.db, userId, aYearLater)).toMatchObject({
      expired: true,
      accessToken: "",
    });
  });

  it("is null for a user without a GitHub account", async () => {
    expect(await getGitHubConnection(database.db, "nobody")).toBeNull();
  });
});
