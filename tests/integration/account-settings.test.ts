import { eq, inArray, like, or } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  countOwnedRecords,
  deleteAccount,
  getAccountOverview,
  updateProfile,
} from "~/account/queries.server";
import { checkCurrentPassword, setPassword, verifyCredentials } from "~/auth/credentials.server";
import { confirmEmail } from "~/auth/mail-links.server";
import { limits, reserveAttempt } from "~/auth/rate-limit.server";
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
  pendingEmailChange,
  revokeEmailChange,
} from "~/auth/verification.server";
import type { DatabaseHandle } from "~/db/client.server";
import { account, agents, meetings, session, user, verification } from "~/db/schema";
import { createTestDatabase } from "../support/database";
import { createUser, newEmail } from "../support/users";

// The account settings: the sessions list, changing the password (and what that revokes), the
// overview, and deleting the account with everything it owns.

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
  const withPassword = () => createUser(database.db, { password: "current one" });
  const failedSignIns = async (email: string) =>
    (
      await database.db
        .select()
        .from(verification)
        .where(eq(verification.identifier, `attempt:signInEmail:${email}`))
    ).length;
  const wrongGuesses = async (who: { id: string; email: string }, n: number) => {
    for (let i = 0; i < n; i++) {
      const refused = await checkCurrentPassword(database.db, who, `wrong ${i + 1}`);
      expect(refused, `guess ${i + 1}`).toEqual({
        status: 400,
        message: "This is not your current password",
      });
    }
  };

  it("accepts the right current password", async () => {
    const ada = await withPassword();
    expect(await checkCurrentPassword(database.db, ada, "current one")).toBeNull();
  });

  it("refuses a wrong current password, counting it as a failed sign-in", async () => {
    const ada = await withPassword();
    await wrongGuesses(ada, 1);
    expect(await failedSignIns(ada.email)).toBe(1);
  });

  it("asks for an empty current password without counting an attempt", async () => {
    const ada = await withPassword();
    for (let i = 0; i < limits.signInEmail.max + 1; i++) {
      expect(await checkCurrentPassword(database.db, ada, "")).toEqual({
        status: 400,
        message: "Enter your current password",
      });
    }
    expect(await failedSignIns(ada.email)).toBe(0);
  });

  it("answers 429 to the 11th wrong guess in 15 minutes, and to the right password then", async () => {
    expect(limits.signInEmail).toMatchObject({ max: 10, windowMs: 15 * 60_000 });
    const ada = await withPassword();
    await wrongGuesses(ada, 10);
    for (const password of ["wrong 11", "current one"]) {
      const refused = await checkCurrentPassword(database.db, ada, password);
      expect(refused?.status).toBe(429);
      expect(refused?.message).toMatch(/Try again in \d+ minutes?/);
    }
    // Another user's guesses are counted apart.
    expect(await checkCurrentPassword(database.db, await withPassword(), "current one")).toBeNull();
  });

  it("counts the guesses with the sign-in form's failed sign-ins of the address", async () => {
    // A borrowed session must not give 10 more guesses than the sign-in form does.
    const ada = await withPassword();
    for (let i = 0; i < limits.signInEmail.max; i++) {
      const attempt = await reserveAttempt(database.db, [{ limit: "signInEmail", key: ada.email }]);
      expect(attempt.allowed).toBe(true);
    }
    expect((await checkCurrentPassword(database.db, ada, "current one"))?.status).toBe(429);
  });

  it("forgets the failed guesses once the right password is given", async () => {
    const ada = await withPassword();
    await wrongGuesses(ada, 9);
    expect(await checkCurrentPassword(database.db, ada, "current one")).toBeNull();
    expect(await failedSignIns(ada.email)).toBe(0);
    // Without the reset the second of these would be the 11th.
    await wrongGuesses(ada, 10);
    expect((await checkCurrentPassword(database.db, ada, "wrong 11"))?.status).toBe(429);
  });

  it("sets the new password and signs out the other sessions, keeping the current one and other users'", async () => {
    const ada = await createUser(database.db, { email: newEmail("change"), password: "old one" });
    const bob = await createUser(database.db, { password: "bob's" });
    const [other, current] = await signInTimes(ada.id, 2);
    const [bobs] = await signInTimes(bob.id, 1);
    await setPassword(database.db, { userId: ada.id, sessionId: current!.id }, "brand new one");
    expect(await sessionIdsOf(ada.id)).toEqual([current!.id]);
    expect(await findSessionUser(database.db, other!.token)).toBeNull();
    expect(await findSessionUser(database.db, current!.token)).not.toBeNull();
    expect(await sessionIdsOf(bob.id)).toEqual([bobs!.id]);
    expect(await verifyCredentials(database.db, ada.email, "brand new one")).toBe(ada.id);
    expect(await verifyCredentials(database.db, ada.email, "old one")).toBeNull();
    expect(await verifyCredentials(database.db, bob.email, "bob's")).toBe(bob.id);
  });

  it("is refused, writing nothing, from a session signed out meanwhile", async () => {
    const ada = await createUser(database.db, { email: newEmail("gone"), password: "old one" });
    const [stolen, owners] = await signInTimes(ada.id, 2);
    // The owner signs the other session out while its new password is being hashed.
    await revokeOtherSessions(database.db, ada.id, owners!.id);
    const outcome = await setPassword(
      database.db,
      { userId: ada.id, sessionId: stolen!.id },
      "thief's choice",
    );
    expect(outcome).toBe("signed_out");
    expect(await verifyCredentials(database.db, ada.email, "old one")).toBe(ada.id);
    expect(await sessionIdsOf(ada.id)).toEqual([owners!.id]);
  });

  it("from a GitHub-only user's other session cannot replace a password just set", async () => {
    // Both sessions opened "Set a password" (no current password asked); the first one saved.
    const ada = await createUser(database.db, { email: newEmail("race"), githubId: 9911 });
    const [one, two] = await signInTimes(ada.id, 2);
    expect(
      await setPassword(database.db, { userId: ada.id, sessionId: one!.id }, "first one"),
    ).toBe("saved");
    expect(
      await setPassword(database.db, { userId: ada.id, sessionId: two!.id }, "second one"),
    ).toBe("signed_out");
    expect(await verifyCredentials(database.db, ada.email, "first one")).toBe(ada.id);
  });
});

describe("the reset and email-change links", () => {
  // Whoever asked for them may have had the old password or a borrowed session: a new password
  // or signing the other sessions out must leave them nothing to take the account over with.

  /** A pending email change, a reset link and an address-verification link for the user. */
  async function linksOf(owner: { id: string; email: string }) {
    const next = newEmail("next");
    return {
      next,
      change: await issueToken(
        database.db,
        { kind: "email-change", userId: owner.id, email: next },
        EMAIL_VERIFICATION_TTL_MS,
      ),
      reset: await issueToken(
        database.db,
        { kind: "password-reset", userId: owner.id },
        PASSWORD_RESET_TTL_MS,
      ),
      verify: await issueToken(
        database.db,
        { kind: "verify-email", email: owner.email },
        EMAIL_VERIFICATION_TTL_MS,
      ),
    };
  }

  type Links = Awaited<ReturnType<typeof linksOf>>;

  async function expectRevoked(owner: { id: string; email: string }, links: Links) {
    expect(await pendingEmailChange(database.db, owner.id)).toBeNull();
    expect(await peekToken(database.db, links.reset)).toBeNull();
    expect(await peekToken(database.db, links.change)).toBeNull();
    expect(await confirmEmail(database.db, links.change)).toEqual({ ok: false, reason: "invalid" });
    const [row] = await database.db.select().from(user).where(eq(user.id, owner.id));
    expect(row!.email).toBe(owner.email);
    // Verifying the address the account already has takes nothing over.
    expect(await peekToken(database.db, links.verify)).toEqual({
      kind: "verify-email",
      email: owner.email,
    });
  }

  async function expectUntouched(owner: { id: string; email: string }, links: Links) {
    expect(await pendingEmailChange(database.db, owner.id)).toBe(links.next);
    expect(await peekToken(database.db, links.reset)).toEqual({
      kind: "password-reset",
      userId: owner.id,
    });
    expect(await peekToken(database.db, links.change)).toEqual({
      kind: "email-change",
      userId: owner.id,
      email: links.next,
    });
  }

  it("are revoked by a new password, and nobody else's", async () => {
    const ada = await createUser(database.db, { password: "old one" });
    const bob = await createUser(database.db, { password: "bob's" });
    const [adas, bobs] = [await linksOf(ada), await linksOf(bob)];
    const [current] = await signInTimes(ada.id, 1);
    await setPassword(database.db, { userId: ada.id, sessionId: current!.id }, "brand new one");
    await expectRevoked(ada, adas);
    await expectUntouched(bob, bobs);
  });

  it("are revoked by signing out the other sessions, and nobody else's", async () => {
    const ada = await createUser(database.db);
    const bob = await createUser(database.db);
    const [adas, bobs] = [await linksOf(ada), await linksOf(bob)];
    const [, current] = await signInTimes(ada.id, 2);
    await signInTimes(bob.id, 1);
    expect(await revokeOtherSessions(database.db, ada.id, current!.id)).toBe(1);
    await expectRevoked(ada, adas);
    await expectUntouched(bob, bobs);
  });

  it("are revoked by signing out the other sessions even when there are none", async () => {
    const ada = await createUser(database.db);
    const links = await linksOf(ada);
    const [current] = await signInTimes(ada.id, 1);
    expect(await revokeOtherSessions(database.db, ada.id, current!.id)).toBe(0);
    await expectRevoked(ada, links);
  });

  it("cancel a pending email change only, telling whether there was one", async () => {
    const ada = await createUser(database.db);
    const bob = await createUser(database.db);
    const [adas, bobs] = [await linksOf(ada), await linksOf(bob)];
    expect(await revokeEmailChange(database.db, ada.id)).toBe(true);
    expect(await pendingEmailChange(database.db, ada.id)).toBeNull();
    expect(await confirmEmail(database.db, adas.change)).toEqual({ ok: false, reason: "invalid" });
    expect(await peekToken(database.db, adas.reset)).toEqual({
      kind: "password-reset",
      userId: ada.id,
    });
    expect(await revokeEmailChange(database.db, ada.id)).toBe(false);
    await expectUntouched(bob, bobs);
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
