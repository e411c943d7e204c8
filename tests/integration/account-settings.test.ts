import { eq, inArray, like, or } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  countOwnedRecords,
  deleteAccount,
  getAccountOverview,
  updateProfile,
} from "~/account/queries.server";
import { changePassword, verifyCredentials } from "~/auth/credentials.server";
import {
  createSession,
  findSessionUser,
  listSessions,
  revokeOtherSessions,
  revokeSession,
} from "~/auth/session.server";
import {
  EMAIL_VERIFICATION_TTL_MS,
  PASSWORD_RESET_TTL_MS,
  issueToken,
  peekToken,
} from "~/auth/verification.server";
import type { DatabaseHandle } from "~/db/client.server";
import { account, agents, meetings, session, user, verification } from "~/db/schema";
import { createTestDatabase } from "../support/database";
import { createUser, newEmail } from "../support/users";

// The account settings: the sessions list, changing the password, the overview, and deleting
// the account with everything it owns.

let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const day = 24 * 60 * 60_000;
const browser = { ipAddress: "203.0.113.20", userAgent: "Mozilla/5.0 (X11; Linux x86_64)" };

/** Signs the user in `n` times; returns each session's id and token, oldest first. */
async function signInTimes(userId: string, n: number, first = new Date(Date.now() - n * 60_000)) {
  const sessions = [];
  for (let i = 0; i < n; i++) {
    const { token } = await createSession(
      database.db,
      userId,
      browser,
      new Date(first.getTime() + i * 60_000),
    );
    sessions.push({ token, id: (await findSessionUser(database.db, token))!.sessionId });
  }
  return sessions;
}
const sessionIdsOf = async (userId: string) =>
  (await database.db.select({ id: session.id }).from(session).where(eq(session.userId, userId)))
    .map((row) => row.id)
    .sort();

describe("the sessions list", () => {
  it("lists only the user's own live sessions, newest first, marking the current one", async () => {
    const ada = await createUser(database.db);
    const bob = await createUser(database.db);
    const [older, current] = await signInTimes(ada.id, 2);
    await signInTimes(bob.id, 1);
    await createSession(database.db, ada.id, browser, new Date(Date.now() - 31 * day));

    const listed = await listSessions(database.db, ada.id, current!.id);
    expect(listed.map(({ id, current }) => ({ id, current }))).toEqual([
      { id: current!.id, current: true },
      { id: older!.id, current: false },
    ]);
    expect(listed[0]).toMatchObject(browser);
  });

  it("signs out one session of the user's own", async () => {
    const ada = await createUser(database.db);
    const [other, current] = await signInTimes(ada.id, 2);
    expect(await revokeSession(database.db, ada.id, other!.id)).toBe(true);
    expect(await sessionIdsOf(ada.id)).toEqual([current!.id]);
    expect(await findSessionUser(database.db, other!.token)).toBeNull();
  });

  it("cannot sign out another user's session", async () => {
    const ada = await createUser(database.db);
    const bob = await createUser(database.db);
    const [bobs] = await signInTimes(bob.id, 1);
    expect(await revokeSession(database.db, ada.id, bobs!.id)).toBe(false);
    expect(await sessionIdsOf(bob.id)).toEqual([bobs!.id]);
    expect(await findSessionUser(database.db, bobs!.token)).not.toBeNull();
  });

  it("signs out every other session, keeping the current one and other users' sessions", async () => {
    const ada = await createUser(database.db);
    const bob = await createUser(database.db);
    const adas = await signInTimes(ada.id, 4);
    const bobs = await signInTimes(bob.id, 2);
    const current = adas[2]!;
    expect(await revokeOtherSessions(database.db, ada.id, current.id)).toBe(3);
    expect(await sessionIdsOf(ada.id)).toEqual([current.id]);
    expect(await sessionIdsOf(bob.id)).toEqual(bobs.map((s) => s.id).sort());
  });
});

describe("changing the password", () => {
  it("with a wrong current password changes nothing", async () => {
    const ada = await createUser(database.db, { password: "current password" });
    const [, current] = await signInTimes(ada.id, 2);
    const [before] = await database.db.select().from(account).where(eq(account.userId, ada.id));
    expect(
      await changePassword(database.db, ada.id, "not the password", "new password", current!.id),
    ).toBe(false);
    const [after] = await database.db.select().from(account).where(eq(account.userId, ada.id));
    expect(after!.password).toBe(before!.password);
    expect(await sessionIdsOf(ada.id)).toHaveLength(2);
  });

  it("with the right current password sets the new one and signs out the other sessions", async () => {
    const ada = await createUser(database.db, { email: newEmail("change"), password: "old one" });
    const bob = await createUser(database.db);
    const [other, current] = await signInTimes(ada.id, 2);
    const [bobs] = await signInTimes(bob.id, 1);
    expect(await changePassword(database.db, ada.id, "old one", "brand new one", current!.id)).toBe(
      true,
    );
    expect(await sessionIdsOf(ada.id)).toEqual([current!.id]);
    expect(await findSessionUser(database.db, other!.token)).toBeNull();
    expect(await sessionIdsOf(bob.id)).toEqual([bobs!.id]);
    expect(await verifyCredentials(database.db, ada.email, "brand new one")).toBe(ada.id);
    expect(await verifyCredentials(database.db, ada.email, "old one")).toBeNull();
  });
});

describe("the account overview", () => {
  it("shows the sign-in methods and a pending email change", async () => {
    const ada = await createUser(database.db, {
      name: "Ada",
      emailVerified: true,
      password: "pw",
      githubId: 31337,
    });
    const pending = newEmail("pending");
    await issueToken(
      database.db,
      { kind: "email-change", userId: ada.id, email: pending },
      EMAIL_VERIFICATION_TTL_MS,
    );
    expect(await getAccountOverview(database.db, ada.id)).toMatchObject({
      name: "Ada",
      email: ada.email,
      emailVerified: true,
      hasPassword: true,
      github: { accountId: "31337" },
      pendingEmail: pending,
    });
    const octo = await createUser(database.db, { githubId: 31338 });
    expect(await getAccountOverview(database.db, octo.id)).toMatchObject({
      hasPassword: false,
      pendingEmail: null,
    });
    expect(await getAccountOverview(database.db, "no-such-user")).toBeNull();
  });

  it("updates the name and image of the user's own profile only", async () => {
    const ada = await createUser(database.db, { name: "Ada" });
    const bob = await createUser(database.db, { name: "Bob" });
    await updateProfile(database.db, ada.id, {
      name: "Ada Lovelace",
      image: "https://img.example.test/ada.png",
    });
    const rows = await database.db
      .select({ id: user.id, name: user.name, image: user.image })
      .from(user)
      .where(inArray(user.id, [ada.id, bob.id]));
    expect(rows.sort((a, b) => (a.id === ada.id ? -1 : b.id === ada.id ? 1 : 0))).toEqual([
      { id: ada.id, name: "Ada Lovelace", image: "https://img.example.test/ada.png" },
      { id: bob.id, name: "Bob", image: null },
    ]);
  });
});

describe("deleting the account", () => {
  /** A user with some of everything an account can own or be named in. */
  async function userWithEverything(name: string, githubId: number) {
    const owner = await createUser(database.db, {
      name,
      email: newEmail(name),
      password: "pw",
      githubId,
    });
    const { id, email } = owner;
    await signInTimes(id, 2);
    const agentIds = [`${name}-agent-1`, `${name}-agent-2`];
    await database.db.insert(agents).values(
      agentIds.map((agentId) => ({
        id: agentId,
        userId: id,
        name: agentId,
        instructions: "Help",
      })),
    );
    await database.db.insert(meetings).values(
      [1, 2, 3].map((n) => ({
        id: `${name}-meeting-${n}`,
        userId: id,
        agentId: agentIds[n % 2]!,
        name: `Meeting ${n}`,
      })),
    );
    const tokens = {
      verify: await issueToken(
        database.db,
        { kind: "verify-email", email },
        EMAIL_VERIFICATION_TTL_MS,
      ),
      reset: await issueToken(
        database.db,
        { kind: "password-reset", userId: id },
        PASSWORD_RESET_TTL_MS,
      ),
      change: await issueToken(
        database.db,
        { kind: "email-change", userId: id, email: newEmail(`${name}-new`) },
        EMAIL_VERIFICATION_TTL_MS,
      ),
    };
    return { ...owner, tokens };
  }

  const rowsOf = async (userId: string, email: string) => ({
    users: (await database.db.select().from(user).where(eq(user.id, userId))).length,
    sessions: (await database.db.select().from(session).where(eq(session.userId, userId))).length,
    accounts: (await database.db.select().from(account).where(eq(account.userId, userId))).length,
    agents: (await database.db.select().from(agents).where(eq(agents.userId, userId))).length,
    meetings: (await database.db.select().from(meetings).where(eq(meetings.userId, userId))).length,
    links: (
      await database.db
        .select()
        .from(verification)
        .where(
          or(
            eq(verification.identifier, email),
            eq(verification.identifier, `password-reset:${userId}`),
            like(verification.identifier, `email-change:${userId}:%`),
          ),
        )
    ).length,
  });
  const everything = { users: 1, sessions: 2, accounts: 2, agents: 2, meetings: 3, links: 3 };

  it("tells what it will take with it", async () => {
    const ada = await userWithEverything("counted", 1001);
    expect(await countOwnedRecords(database.db, ada.id)).toEqual({ agents: 2, meetings: 3 });
  });

  it("removes the user, their sessions, accounts, agents, meetings and pending links, and nobody else's", async () => {
    const ada = await userWithEverything("leaving", 2001);
    const bob = await userWithEverything("staying", 2002);
    expect(await rowsOf(ada.id, ada.email)).toEqual(everything);

    expect(await deleteAccount(database.db, ada.id)).toBe(true);

    expect(await rowsOf(ada.id, ada.email)).toEqual({
      users: 0,
      sessions: 0,
      accounts: 0,
      agents: 0,
      meetings: 0,
      links: 0,
    });
    for (const token of Object.values(ada.tokens)) {
      expect(await peekToken(database.db, token)).toBeNull();
    }
    expect(await rowsOf(bob.id, bob.email)).toEqual(everything);
    for (const token of Object.values(bob.tokens)) {
      expect(await peekToken(database.db, token)).not.toBeNull();
    }
    expect(await deleteAccount(database.db, ada.id)).toBe(false);
  });

  it("frees the email address and the GitHub account for a new account", async () => {
    const ada = await userWithEverything("reused", 3001);
    await deleteAccount(database.db, ada.id);
    const again = await createUser(database.db, { email: ada.email, githubId: 3001 });
    expect(await countOwnedRecords(database.db, again.id)).toEqual({ agents: 0, meetings: 0 });
  });
});
