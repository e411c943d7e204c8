import { and, eq, or, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  CREDENTIAL_PROVIDER,
  resetPassword,
  setPassword,
  verifyCredentials,
} from "~/auth/credentials.server";
import { requestEmailChange, requestPasswordReset } from "~/auth/mail-links.server";
import { hashPassword } from "~/auth/password.server";
import { createSession, findSessionUser, revokeOtherSessions } from "~/auth/session.server";
import {
  EMAIL_VERIFICATION_TTL_MS,
  PASSWORD_RESET_TTL_MS,
  issueToken,
  pendingEmailChange,
} from "~/auth/verification.server";
import type { Database, DatabaseHandle } from "~/db/client.server";
import { account, session, user, verification } from "~/db/schema";
import { listDevMails } from "~/mail/mailer.server";
import { createTestDatabase, openAnotherInstance } from "../support/database";
import { queryRows } from "../support/sql";
import { createUser, newEmail } from "../support/users";

// Every change to how an account is entered (its password, its sessions, its reset and
// email-change links) locks the user's row first in its transaction, so two changes for one user
// wait for each other instead of deadlocking on the rows they both write. Before that, a reset
// (the token's row deleted, then waiting on the credential account) and a new password (the
// account locked, then waiting on the token's row) could each hold what the other wanted.

let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
  // Without SMTP_URL the mails go to the dev mailbox, which prints each one; the specs read the
  // mailbox instead.
  vi.spyOn(console, "log").mockImplementation(() => {});
});
afterAll(async () => {
  vi.restoreAllMocks();
  await database.close();
});

let ipCounter = 0;
/** A client address no other test uses, so the per-IP mail limit never gets in the way. */
const newIp = () => `198.51.100.${++ipCounter}`;

/** A new session of the user; its id, as the settings page has it. */
async function signIn(userId: string): Promise<string> {
  const { token } = await createSession(database.db, userId, { ipAddress: null, userAgent: null });
  return (await findSessionUser(database.db, token))!.sessionId;
}

/** The links that can take the account over: its password reset and its email change. */
const accountLinksOf = (userId: string) =>
  or(
    eq(verification.identifier, `password-reset:${userId}`),
    sql`starts_with(${verification.identifier}, ${`email-change:${userId}:`})`,
  );

/**
 * What the changes leave of an account: its sessions, the kinds of its pending links, whether
 * its address is verified, and when each credential row was last written (one row, whose
 * updatedAt is the `now` of the change that wrote the password last).
 */
async function accountState(userId: string) {
  const sessions = await database.db
    .select({ id: session.id })
    .from(session)
    .where(eq(session.userId, userId));
  const links = await database.db
    .select({ identifier: verification.identifier })
    .from(verification)
    .where(accountLinksOf(userId));
  const [row] = await database.db
    .select({ emailVerified: user.emailVerified })
    .from(user)
    .where(eq(user.id, userId));
  const credentials = await database.db
    .select({ updatedAt: account.updatedAt })
    .from(account)
    .where(and(eq(account.userId, userId), eq(account.providerId, CREDENTIAL_PROVIDER)));
  return {
    sessions: sessions.map((s) => s.id).sort(),
    links: links.map((link) => link.identifier.split(":")[0]).sort(),
    emailVerified: row!.emailVerified,
    passwordSetAt: credentials.map((credential) => credential.updatedAt.getTime()),
  };
}

type Round = Awaited<ReturnType<typeof startRound>>;

/**
 * The same starting point for every round: an unverified address, two sessions (the one that
 * asks for the change is kept), a fresh reset link and a pending email change. Each change is
 * given its own `now`, so the credential row's updatedAt tells whose password stands.
 */
async function startRound(userId: string) {
  await database.db.delete(session).where(eq(session.userId, userId));
  await database.db.update(user).set({ emailVerified: false }).where(eq(user.id, userId));
  const keep = await signIn(userId);
  await signIn(userId);
  const token = await issueToken(
    database.db,
    { kind: "password-reset", userId },
    PASSWORD_RESET_TTL_MS,
  );
  await issueToken(
    database.db,
    { kind: "email-change", userId, email: newEmail("next") },
    EMAIL_VERIFICATION_TTL_MS,
  );
  const { passwordSetAt } = await accountState(userId);
  const at = Date.now();
  return {
    keep,
    token,
    passwordSetBefore: passwordSetAt[0]!,
    setAt: new Date(at + 1),
    resetAt: new Date(at + 2),
  };
}

/**
 * What a reset link and a new password can leave, one after the other in either order; run at
 * once, they must end as one of these.
 */
function resetAndNewPasswordOutcomes(userId: string, round: Round) {
  return [
    // The reset first: it signs every session out and verifies the address; the new password,
    // asked for from a session the reset ended, is refused.
    {
      reset: { userId },
      state: {
        sessions: [],
        links: [],
        emailVerified: true,
        passwordSetAt: [round.resetAt.getTime()],
      },
    },
    // The new password first: it revokes the reset link, which then no longer works.
    {
      reset: null,
      state: {
        sessions: [round.keep],
        links: [],
        emailVerified: false,
        passwordSetAt: [round.setAt.getTime()],
      },
    },
  ];
}

/** The same for a reset link and "sign out other sessions". */
function resetAndSignOutOutcomes(userId: string, round: Round) {
  return [
    // The reset first: every session ends with it, so signing out the others ends none.
    {
      reset: { userId },
      signedOut: 0,
      state: {
        sessions: [],
        links: [],
        emailVerified: true,
        passwordSetAt: [round.resetAt.getTime()],
      },
    },
    // Signing out first: it revokes the reset link, so the old password stands.
    {
      reset: null,
      signedOut: 1,
      state: {
        sessions: [round.keep],
        links: [],
        emailVerified: false,
        passwordSetAt: [round.passwordSetBefore],
      },
    },
  ];
}

describe("one change after another, as changes at the same time must end", () => {
  it("a reset link used before a new password is set: all signed out, address verified, the reset's password stands", async () => {
    const ada = await createUser(database.db, { password: "old password" });
    const round = await startRound(ada.id);
    const reset = await resetPassword(database.db, round.token, "reset one", round.resetAt);
    const set = await setPassword(
      database.db,
      { userId: ada.id, sessionId: round.keep },
      "new one",
      round.setAt,
    );
    expect(set).toBe("signed_out");
    expect({ reset, state: await accountState(ada.id) }).toEqual(
      resetAndNewPasswordOutcomes(ada.id, round)[0],
    );
    expect(await verifyCredentials(database.db, ada.email, "reset one")).toBe(ada.id);
  });

  it("a new password set before a reset link is used: the link no longer works, the asking session stays", async () => {
    const ada = await createUser(database.db, { password: "old password" });
    const round = await startRound(ada.id);
    await setPassword(
      database.db,
      { userId: ada.id, sessionId: round.keep },
      "new one",
      round.setAt,
    );
    const reset = await resetPassword(database.db, round.token, "reset one", round.resetAt);
    expect({ reset, state: await accountState(ada.id) }).toEqual(
      resetAndNewPasswordOutcomes(ada.id, round)[1],
    );
    expect(await verifyCredentials(database.db, ada.email, "new one")).toBe(ada.id);
  });

  it("a reset link used before 'sign out other sessions': all signed out, the reset's password stands", async () => {
    const ada = await createUser(database.db, { password: "old password" });
    const round = await startRound(ada.id);
    const reset = await resetPassword(database.db, round.token, "reset one", round.resetAt);
    const signedOut = await revokeOtherSessions(database.db, ada.id, round.keep);
    expect({ reset, signedOut, state: await accountState(ada.id) }).toEqual(
      resetAndSignOutOutcomes(ada.id, round)[0],
    );
    expect(await verifyCredentials(database.db, ada.email, "reset one")).toBe(ada.id);
  });

  it("'sign out other sessions' before a reset link is used: the link no longer works, the old password stands", async () => {
    const ada = await createUser(database.db, { password: "old password" });
    const round = await startRound(ada.id);
    const signedOut = await revokeOtherSessions(database.db, ada.id, round.keep);
    const reset = await resetPassword(database.db, round.token, "reset one", round.resetAt);
    expect({ reset, signedOut, state: await accountState(ada.id) }).toEqual(
      resetAndSignOutOutcomes(ada.id, round)[1],
    );
    expect(await verifyCredentials(database.db, ada.email, "old password")).toBe(ada.id);
  });
});

// Interleaving two changes needs two connections, so the rest exists only on PostgreSQL runs
// (CI runs the suite on both engines).

/** Polls `check` until it gives a value; fails after `seconds`. */
async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  seconds = 5,
): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** PostgreSQL's error code, however Drizzle wrapped the driver's error. */
function postgresCodeOf(error: unknown): string | undefined {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return (cause as { code?: string } | null)?.code;
}

if (process.env.TEST_DATABASE_URL) {
  describe("a change that finds the user's row locked", () => {
    let other: DatabaseHandle;
    beforeAll(() => {
      other = openAnotherInstance(database)!;
    });
    afterAll(() => other.close());

    /**
     * Writes every row of the user a change could write: its sessions, its credential account,
     * its reset and email-change links. Each update takes the row lock a change's update or
     * delete takes, and `lock_timeout` turns waiting for one into an error. Gives how many
     * rows of each it wrote, so that a spec knows it wrote them all.
     */
    async function writeRowsOf(tx: Database, userId: string) {
      try {
        const sessions = await tx
          .update(session)
          .set({ updatedAt: sql`${session.updatedAt}` })
          .where(eq(session.userId, userId))
          .returning({ id: session.id });
        const credentials = await tx
          .update(account)
          .set({ updatedAt: sql`${account.updatedAt}` })
          .where(and(eq(account.userId, userId), eq(account.providerId, CREDENTIAL_PROVIDER)))
          .returning({ id: account.id });
        const links = await tx
          .update(verification)
          .set({ updatedAt: sql`${verification.updatedAt}` })
          .where(accountLinksOf(userId))
          .returning({ id: verification.id });
        return { sessions: sessions.length, credentials: credentials.length, links: links.length };
      } catch (error) {
        if (postgresCodeOf(error) !== "55P03") throw error;
        throw new Error("The change locked a row of the user before waiting for the user's row", {
          cause: error,
        });
      }
    }

    /**
     * Runs `change` while a transaction of the other instance holds the user's row lock. Once
     * the change waits for that lock, and only for it, the holder writes the user's rows without
     * waiting (writeRowsOf), which proves the change had locked none of them, and commits. Gives
     * what the change gave and what the holder wrote.
     */
    async function whileUserIsLocked<T>(userId: string, change: () => Promise<T>) {
      let proceed!: (write: boolean) => void;
      const proceeding = new Promise<boolean>((resolve) => (proceed = resolve));
      let locked!: (pid: number) => void;
      const lockedBy = new Promise<number>((resolve) => (locked = resolve));
      const holding = other.db.transaction(async (tx) => {
        await tx.execute(sql`set local lock_timeout = '2s'`);
        await tx.select({ id: user.id }).from(user).where(eq(user.id, userId)).for("update");
        const [row] = await queryRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`);
        locked(row!.pid);
        return (await proceeding) ? writeRowsOf(tx, userId) : null;
      });
      const holderEnded = holding.then(() => {
        throw new Error("The holder's transaction ended before it locked the user's row");
      });
      holderEnded.catch(() => {});
      const holder = await Promise.race([lockedBy, holderEnded]);

      let ended = false;
      const changing = change().finally(() => (ended = true));
      changing.catch(() => {});
      try {
        // Read from the other pool, which the change's connection is not in.
        const waiting = await until("the change to wait for the user's row", async () => {
          if (ended) throw new Error("The change ended without waiting for the user's row");
          const rows = await queryRows<{ pid: number; query: string }>(
            other.db,
            sql`select pid, query from pg_stat_activity
                where ${holder}::int = any(pg_blocking_pids(pid))`,
          );
          return rows.length > 0 ? rows : undefined;
        });
        // The only row the holder has locked is the user's, so this is the wait for it, and the
        // statement waiting is a lock of the user's row (lockUser, or the reset request's).
        expect(waiting).toHaveLength(1);
        expect(waiting[0]!.query).toMatch(/^select .* from "user" where .* for no key update$/i);
        proceed(true);
        const written = (await holding)!;
        const result = await changing.catch((error: unknown) => {
          if (postgresCodeOf(error) !== "40P01") throw error;
          // PostgreSQL broke the cycle by failing the change: it held a row the holder wrote.
          throw new Error("The change locked a row of the user before waiting for the user's row", {
            cause: error,
          });
        });
        return { result, written };
      } finally {
        proceed(false);
        await Promise.allSettled([holding, changing]);
      }
    }

    /** A user with a password, two sessions, a reset link and a pending email change. */
    async function userWithEverything() {
      const ada = await createUser(database.db, { password: "old password", emailVerified: true });
      const keep = await signIn(ada.id);
      await signIn(ada.id);
      const resetToken = await issueToken(
        database.db,
        { kind: "password-reset", userId: ada.id },
        PASSWORD_RESET_TTL_MS,
      );
      await issueToken(
        database.db,
        { kind: "email-change", userId: ada.id, email: newEmail("pending") },
        EMAIL_VERIFICATION_TTL_MS,
      );
      return { ...ada, keep, resetToken };
    }
    const everything = { sessions: 2, credentials: 1, links: 2 };
    const mailTo = (address: string) =>
      until(`a mail to ${address}`, async () => listDevMails().find((mail) => mail.to === address));

    it("a new password waits for the user's row before writing the password, sessions or links", async () => {
      const ada = await userWithEverything();
      const { written } = await whileUserIsLocked(ada.id, () =>
        setPassword(database.db, { userId: ada.id, sessionId: ada.keep }, "new password"),
      );
      expect(written).toEqual(everything);
      expect(await verifyCredentials(database.db, ada.email, "new password")).toBe(ada.id);
      expect(await accountState(ada.id)).toMatchObject({ sessions: [ada.keep], links: [] });
    });

    it("a reset link waits for the user's row before using up its token or writing anything", async () => {
      const ada = await userWithEverything();
      const { result, written } = await whileUserIsLocked(ada.id, () =>
        resetPassword(database.db, ada.resetToken, "new password"),
      );
      expect(written).toEqual(everything);
      expect(result).toEqual({ userId: ada.id });
      expect(await verifyCredentials(database.db, ada.email, "new password")).toBe(ada.id);
      expect(await accountState(ada.id)).toMatchObject({ sessions: [], links: [] });
      expect(await resetPassword(database.db, ada.resetToken, "again")).toBeNull();
    });

    it("'sign out other sessions' waits for the user's row before ending sessions or revoking links", async () => {
      const ada = await userWithEverything();
      const { result, written } = await whileUserIsLocked(ada.id, () =>
        revokeOtherSessions(database.db, ada.id, ada.keep),
      );
      expect(written).toEqual(everything);
      expect(result).toBe(1);
      expect(await accountState(ada.id)).toMatchObject({ sessions: [ada.keep], links: [] });
    });

    it("an email change waits for the user's row before replacing the pending change", async () => {
      const ada = await userWithEverything();
      const next = newEmail("next");
      const { result, written } = await whileUserIsLocked(ada.id, () =>
        requestEmailChange(database.db, { userId: ada.id, sessionId: ada.keep }, next, newIp()),
      );
      expect(written).toEqual(everything);
      expect(result).toEqual({ ok: true });
      expect(await pendingEmailChange(database.db, ada.id)).toBe(next);
      expect((await accountState(ada.id)).links).toEqual(["email-change", "password-reset"]);
      // The mail is sent in the background; waiting for it lets its query end before the
      // database is dropped.
      await mailTo(next);
    });

    it("a reset request waits for the user's row before replacing the reset link", async () => {
      const ada = await userWithEverything();
      const { written } = await whileUserIsLocked(ada.id, async () => {
        expect(await requestPasswordReset(database.db, ada.email, newIp())).toEqual({ ok: true });
        // The token is written in the background, after the answer; its mail is sent once the
        // token is.
        return mailTo(ada.email);
      });
      expect(written).toEqual(everything);
      expect(await resetPassword(database.db, ada.resetToken, "old link")).toBeNull();
      expect((await accountState(ada.id)).links).toEqual(["email-change", "password-reset"]);
    });
  });

  describe("changes for one user at the same time", () => {
    let other: DatabaseHandle;
    let hashMs: number;
    beforeAll(async () => {
      other = openAnotherInstance(database)!;
      const started = performance.now();
      await hashPassword("how long a hash takes");
      hashMs = performance.now() - started;
    });
    afterAll(() => other.close());

    const rounds = 20;
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    /**
     * Runs the changes at once, while a transaction of the other instance locks the reset link's
     * row, which each of them writes, until all of them wait (on that row, or on one another);
     * then lets go. Without it their transactions would overlap only when the hashing happened
     * to end at the same moment; with it they meet in every round, in whichever order they come.
     */
    async function meetingAtTheResetLink(userId: string, changes: (() => Promise<unknown>)[]) {
      let letGo!: () => void;
      const lettingGo = new Promise<void>((resolve) => (letGo = resolve));
      let held!: () => void;
      const holding = new Promise<void>((resolve) => (held = resolve));
      const gate = other.db.transaction(async (tx) => {
        await tx
          .select({ id: verification.id })
          .from(verification)
          .where(eq(verification.identifier, `password-reset:${userId}`))
          .for("update");
        held();
        await lettingGo;
      });
      await Promise.race([holding, gate]);

      let ended = false;
      const settled = Promise.allSettled(
        changes.map((change) => change().finally(() => (ended = true))),
      );
      try {
        await until(
          "the changes to meet at the reset link",
          async () => {
            // One that ends while the gate is shut did not write the link; the outcome says how.
            if (ended) return true;
            const [row] = await queryRows<{ waiting: number }>(
              other.db,
              sql`select count(*)::int as waiting from pg_stat_activity
                  where datname = current_database() and cardinality(pg_blocking_pids(pid)) > 0`,
            );
            return row!.waiting >= changes.length || undefined;
          },
          20,
        );
      } finally {
        letGo();
        await gate;
      }
      return settled;
    }

    /** The changes' results; a failed one fails the spec with its PostgreSQL error code. */
    function valuesOf(results: PromiseSettledResult<unknown>[], round: number): unknown[] {
      const failures = results.flatMap((result) =>
        result.status === "rejected"
          ? [`${postgresCodeOf(result.reason) ?? "no code"} ${String(result.reason)}`]
          : [],
      );
      expect(failures, `round ${round} (40P01 is a deadlock)`).toEqual([]);
      return results.map((result) => (result as PromiseFulfilledResult<unknown>).value);
    }

    it(
      "a reset link and a new password never deadlock, and each round ends as one order would",
      { timeout: 180_000 },
      async () => {
        const ada = await createUser(database.db, { password: "old password" });
        let standing = "old password";
        for (let i = 0; i < rounds; i++) {
          const round = await startRound(ada.id);
          // Both hash their password first, for about as long: which comes first varies.
          const [reset, set] = valuesOf(
            await meetingAtTheResetLink(ada.id, [
              () => resetPassword(database.db, round.token, `reset ${i}`, round.resetAt),
              () =>
                setPassword(
                  database.db,
                  { userId: ada.id, sessionId: round.keep },
                  `new ${i}`,
                  round.setAt,
                ),
            ]),
            i,
          );
          // After the reset, the session that asked for the new password is gone.
          expect(set, `round ${i}`).toBe(reset ? "signed_out" : "saved");
          expect(resetAndNewPasswordOutcomes(ada.id, round), `round ${i}`).toContainEqual({
            reset,
            state: await accountState(ada.id),
          });
          standing = reset ? `reset ${i}` : `new ${i}`;
        }
        expect(await verifyCredentials(database.db, ada.email, standing)).toBe(ada.id);
      },
    );

    it(
      "a reset link and 'sign out other sessions' never deadlock, and each round ends as one order would",
      { timeout: 180_000 },
      async () => {
        const ada = await createUser(database.db, { password: "old password" });
        for (let i = 0; i < rounds; i++) {
          const round = await startRound(ada.id);
          // Signing out hashes nothing; it starts after a delay that sweeps across the reset's
          // hashing from round to round, so that either comes first in some rounds.
          const [reset, signedOut] = valuesOf(
            await meetingAtTheResetLink(ada.id, [
              () => resetPassword(database.db, round.token, `reset ${i}`, round.resetAt),
              async () => {
                await pause((2 * hashMs * i) / rounds);
                return revokeOtherSessions(database.db, ada.id, round.keep);
              },
            ]),
            i,
          );
          expect(resetAndSignOutOutcomes(ada.id, round), `round ${i}`).toContainEqual({
            reset,
            signedOut,
            state: await accountState(ada.id),
          });
        }
      },
    );
  });
}
