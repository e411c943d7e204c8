import { and, eq, sql } from "drizzle-orm";
import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  CREDENTIAL_PROVIDER,
  resetPassword,
  signUp,
  verifyCredentials,
} from "~/auth/credentials.server";
import {
  accountToVerify,
  confirmEmail,
  notifyPasswordChanged,
  requestEmailChange,
  requestPasswordReset,
  requestVerificationMail,
} from "~/auth/mail-links.server";
import { fromThisMachineContext } from "~/web/request-context.server";
import { limits } from "~/auth/rate-limit.server";
import { createSession, findSessionUser } from "~/auth/session.server";
import {
  peekResetToken,
  peekToken,
  pendingEmailChange,
  revokeTokens,
} from "~/auth/verification.server";
import { getConfig } from "~/config.server";
import type { DatabaseHandle } from "~/db/client.server";
import { account, session, user, verification } from "~/db/schema";
import { loader as devMailbox } from "~/routes/dev/mail";
import { createMailCatcher, type MailCatcher } from "../mail-catcher/server";
import { createTestDatabase, openAnotherInstance } from "../support/database";
import { linkFrom, waitForMail } from "../support/mail";
import { queryRows } from "../support/sql";
import { createUser, newEmail } from "../support/users";

// The mails with links, sent over real SMTP to the mail catcher, as a deployment with SMTP_URL
// sends them to its relay; and what following their links does.

const APP_URL = "http://localhost:3999";
const MAIL_FROM = "SMTG Notion Tests <notify@smtg.test>";

let database: DatabaseHandle;
let catcher: MailCatcher;
let httpUrl: string;
let closeCatcher: () => Promise<void>;

beforeAll(async () => {
  catcher = createMailCatcher();
  const started = await catcher.listen();
  httpUrl = started.httpUrl;
  closeCatcher = started.close;
  // Before anything reads the configuration, which is read once per spec file.
  Object.assign(process.env, { SMTP_URL: started.smtpUrl, MAIL_FROM, APP_URL });
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
  await closeCatcher();
});
beforeEach(() => {
  catcher.clear();
});

let ipCounter = 0;
/** A client address no other test uses, so the per-IP mail limit never gets in the way. */
const newIp = () => `192.0.2.${++ipCounter}`;
const tokenOf = (link: string) => new URL(link).searchParams.get("token")!;
const userRow = async (id: string) =>
  (await database.db.select().from(user).where(eq(user.id, id)))[0]!;
/** Mails are sent in the background; give a stray one time to arrive before saying none did. */
/** A request's context as the app gives it for a connection from this machine. */
function thisMachine() {
  const context = new RouterContextProvider();
  context.set(fromThisMachineContext, true);
  return context;
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
/** A signed-in session of the user, as the settings page has it. */
async function signedIn(userId: string) {
  const { token } = await createSession(database.db, userId, { ipAddress: null, userAgent: null });
  return { userId, sessionId: (await findSessionUser(database.db, token))!.sessionId };
}
const mailsTo = (address: string) =>
  catcher.messages().filter((mail) => mail.to.includes(address.toLowerCase()));

describe("the configuration", () => {
  it("has no /dev/mail page when SMTP_URL is set", () => {
    let thrown: unknown;
    try {
      devMailbox({ context: thisMachine() } as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(404);
  });

  it("sends over SMTP_URL, from MAIL_FROM, with no dev mailbox", () => {
    expect(getConfig().mail).toEqual({
      smtpUrl: process.env.SMTP_URL,
      from: MAIL_FROM,
      devMailbox: false,
    });
  });
});

describe("the verification mail", () => {
  it("arrives over SMTP from MAIL_FROM, with a /verify-email link that verifies the address", async () => {
    const { id, email } = await createUser(database.db, { emailVerified: false });
    expect(await requestVerificationMail(database.db, email, newIp())).toEqual({ ok: true });

    const mail = await waitForMail(httpUrl, email, { subject: /verify/i });
    expect(mail.from).toBe('"SMTG Notion Tests" <notify@smtg.test>');
    expect(mail.to).toEqual([email]);
    const link = linkFrom(mail, "/verify-email");
    expect(new URL(link).origin).toBe(APP_URL);
    expect(mail.html).toContain("/verify-email?token=");
    const token = tokenOf(link);
    expect(await peekToken(database.db, token)).toEqual({ kind: "verify-email", email });

    expect(await confirmEmail(database.db, token)).toMatchObject({ ok: true });
    expect((await userRow(id)).emailVerified).toBe(true);
  });

  it("is not sent to an address that is verified already, with the same answer", async () => {
    const { email } = await createUser(database.db, { emailVerified: true });
    expect(await requestVerificationMail(database.db, email, newIp())).toEqual({ ok: true });
    await settle();
    expect(mailsTo(email)).toEqual([]);
  });

  it("goes out at most once a minute per address", async () => {
    expect(limits.mailAddress).toMatchObject({ max: 1, windowMs: 60_000 });
    const { email } = await createUser(database.db, { emailVerified: false });
    expect(await requestVerificationMail(database.db, email, newIp())).toEqual({ ok: true });
    const again = await requestVerificationMail(database.db, email, newIp());
    expect(again.ok).toBe(false);
    expect(!again.ok && again.retryAfterMs).toBeGreaterThan(30_000);
    expect(!again.ok && again.retryAfterMs).toBeLessThanOrEqual(60_000);
    // The limit is per address, whichever mail is asked for.
    expect((await requestPasswordReset(database.db, email, newIp())).ok).toBe(false);

    await waitForMail(httpUrl, email);
    await settle();
    expect(mailsTo(email)).toHaveLength(1);
    // Another address is not held up.
    const other = await createUser(database.db, { emailVerified: false });
    expect(await requestVerificationMail(database.db, other.email, newIp())).toEqual({ ok: true });
    await waitForMail(httpUrl, other.email);
  });

  it("requests from one IP address are limited to 20 an hour", async () => {
    expect(limits.mailIp).toMatchObject({ max: 20, windowMs: 60 * 60_000 });
    const ip = newIp();
    for (let i = 0; i < 20; i++) {
      expect((await requestPasswordReset(database.db, newEmail("ip"), ip)).ok).toBe(true);
    }
    expect((await requestPasswordReset(database.db, newEmail("ip"), ip)).ok).toBe(false);
    expect((await requestPasswordReset(database.db, newEmail("ip"), newIp())).ok).toBe(true);
  });
});

describe("the password reset", () => {
  it("answers the same whether or not the address has an account, and mails only an account", async () => {
    const { email } = await createUser(database.db, { password: "forgotten" });
    const stranger = newEmail("stranger");
    const answers = [
      await requestPasswordReset(database.db, stranger, newIp()),
      await requestPasswordReset(database.db, email, newIp()),
    ];
    expect(answers).toEqual([{ ok: true }, { ok: true }]);

    const mail = await waitForMail(httpUrl, email, { subject: /reset/i });
    expect(new URL(linkFrom(mail, "/reset-password")).origin).toBe(APP_URL);
    await settle();
    expect(mailsTo(stranger)).toEqual([]);
    expect(mailsTo(email)).toHaveLength(1);
  });

  it("link sets the new password, ends every session, verifies the email, and works once", async () => {
    const ada = await createUser(database.db, { emailVerified: false, password: "old password" });
    await createSession(database.db, ada.id, { ipAddress: null, userAgent: "laptop" });
    await createSession(database.db, ada.id, { ipAddress: null, userAgent: "phone" });
    const bob = await createUser(database.db);
    await createSession(database.db, bob.id, { ipAddress: null, userAgent: null });

    await requestPasswordReset(database.db, ada.email.toUpperCase(), newIp());
    const mail = await waitForMail(httpUrl, ada.email.toUpperCase(), { subject: /reset/i });
    const token = tokenOf(linkFrom(mail, "/reset-password"));
    expect(await peekResetToken(database.db, token)).toBe(ada.email);

    expect(await resetPassword(database.db, token, "new password")).toEqual({ userId: ada.id });
    expect(await verifyCredentials(database.db, ada.email, "new password")).toBe(ada.id);
    expect(await verifyCredentials(database.db, ada.email, "old password")).toBeNull();
    expect(await database.db.select().from(session).where(eq(session.userId, ada.id))).toEqual([]);
    expect(await database.db.select().from(session).where(eq(session.userId, bob.id))).toHaveLength(
      1,
    );
    expect((await userRow(ada.id)).emailVerified).toBe(true);

    expect(await resetPassword(database.db, token, "third password")).toBeNull();
    expect(await peekResetToken(database.db, token)).toBeNull();
  });

  it("gives a user who signs in with GitHub only a password", async () => {
    const octo = await createUser(database.db, { emailVerified: true, githubId: 9001 });
    await requestPasswordReset(database.db, octo.email, newIp());
    const mail = await waitForMail(httpUrl, octo.email, { subject: /reset/i });
    expect(
      await resetPassword(
        database.db,
        tokenOf(linkFrom(mail, "/reset-password")),
        "first password",
      ),
    ).toEqual({ userId: octo.id });

    const credential = await database.db
      .select()
      .from(account)
      .where(and(eq(account.userId, octo.id), eq(account.providerId, CREDENTIAL_PROVIDER)));
    expect(credential).toEqual([expect.objectContaining({ accountId: octo.id })]);
    expect(credential[0]!.password).toMatch(/^\$scrypt\$/);
    expect(await verifyCredentials(database.db, octo.email, "first password")).toBe(octo.id);
    expect(
      await database.db
        .select()
        .from(account)
        .where(and(eq(account.userId, octo.id), eq(account.providerId, "github"))),
    ).toHaveLength(1);
  });

  it("takes an address back from whoever signed up with it first: their email change stops working", async () => {
    // The attacker cannot verify the victim's address, but could move the account to an address
    // of their own and keep it once the victim has reset the password and used the account.
    const victim = newEmail("victim");
    const attacker = newEmail("attacker");
    const squatted = await signUp(database.db, {
      name: "Not the victim",
      email: victim,
      password: "attacker's password",
    });
    const attackerSession = await createSession(database.db, squatted.userId, {
      ipAddress: null,
      userAgent: null,
    });
    const attackerSignedIn = {
      userId: squatted.userId,
      sessionId: (await findSessionUser(database.db, attackerSession.token))!.sessionId,
    };
    expect(await requestEmailChange(database.db, attackerSignedIn, attacker, newIp())).toEqual({
      ok: true,
    });
    const changeMail = await waitForMail(httpUrl, attacker, { subject: /new email/i });
    const changeToken = tokenOf(linkFrom(changeMail, "/verify-email"));

    // The victim, told the address has an account, resets its password through the mail.
    await requestPasswordReset(database.db, victim, newIp());
    const resetMail = await waitForMail(httpUrl, victim, { subject: /reset/i });
    expect(
      await resetPassword(database.db, tokenOf(linkFrom(resetMail, "/reset-password")), "mine now"),
    ).toEqual({ userId: squatted.userId });

    expect(await pendingEmailChange(database.db, squatted.userId)).toBeNull();
    expect(await confirmEmail(database.db, changeToken)).toEqual({ ok: false, reason: "invalid" });
    expect(await userRow(squatted.userId)).toMatchObject({ email: victim, emailVerified: true });
    expect(await verifyCredentials(database.db, victim, "mine now")).toBe(squatted.userId);
    expect(await verifyCredentials(database.db, victim, "attacker's password")).toBeNull();
    expect(await findSessionUser(database.db, attackerSession.token)).toBeNull();
  });
});

describe("the email change", () => {
  it("mails the link to the new address; opening it changes the email and tells the old address", async () => {
    const ada = await createUser(database.db, { emailVerified: true });
    const next = newEmail("next");
    expect(await requestEmailChange(database.db, await signedIn(ada.id), next, newIp())).toEqual({
      ok: true,
    });
    // Pending from the answer on, so the page after it shows the change.
    expect(await pendingEmailChange(database.db, ada.id)).toBe(next);

    const mail = await waitForMail(httpUrl, next, { subject: /new email/i });
    await settle();
    expect(mailsTo(ada.email)).toEqual([]);
    expect(mailsTo(next)).toHaveLength(1);
    expect((await userRow(ada.id)).email).toBe(ada.email);

    expect(await confirmEmail(database.db, tokenOf(linkFrom(mail, "/verify-email")))).toEqual({
      ok: true,
      kind: "email-change",
      email: next,
    });
    expect(await userRow(ada.id)).toMatchObject({ email: next, emailVerified: true });

    // The old address is told where the account went, and how to sign in.
    const notice = await waitForMail(httpUrl, ada.email, { subject: /email address .* changed/ });
    expect(notice.text).toContain(`Your SMTG Notion account now uses ${next} instead`);
    expect(linkFrom(notice, "/login")).toBe(`${APP_URL}/login`);
  });

  it("leaves no link when the session asking for it has ended meanwhile", async () => {
    // A new password or "sign out other sessions" elsewhere ended the session between the
    // form's checks and the link: the link must not outlive the revocation that came first.
    const ada = await createUser(database.db, { emailVerified: true });
    const asker = await signedIn(ada.id);
    await database.db.delete(session).where(eq(session.id, asker.sessionId));
    const next = newEmail("next");
    expect(await requestEmailChange(database.db, asker, next, newIp())).toEqual({ ok: true });
    expect(await pendingEmailChange(database.db, ada.id)).toBeNull();
    await settle();
    expect(mailsTo(next)).toEqual([]);
  });

  it("tells an unverified old address nothing: it may not be the user's", async () => {
    const ada = await createUser(database.db, { emailVerified: false });
    const next = newEmail("next");
    await requestEmailChange(database.db, await signedIn(ada.id), next, newIp());
    const mail = await waitForMail(httpUrl, next, { subject: /new email/i });
    expect(await confirmEmail(database.db, tokenOf(linkFrom(mail, "/verify-email")))).toMatchObject(
      { ok: true },
    );
    await settle();
    expect(mailsTo(ada.email)).toEqual([]);
  });

  it("answers and shows the same for an address that has an account, and mails it nothing", async () => {
    const ada = await createUser(database.db, { emailVerified: true });
    const taken = await createUser(database.db, { emailVerified: true });
    expect(
      await requestEmailChange(database.db, await signedIn(ada.id), taken.email, newIp()),
    ).toEqual({
      ok: true,
    });
    expect(await pendingEmailChange(database.db, ada.id)).toBe(taken.email);
    await settle();
    expect(await pendingEmailChange(database.db, ada.id)).toBe(taken.email);
    expect(mailsTo(taken.email)).toEqual([]);
    expect((await userRow(ada.id)).email).toBe(ada.email);
  });
});

describe("the password notice", () => {
  it("tells the address its password changed, with a link to reset it", async () => {
    const address = newEmail("notice");
    notifyPasswordChanged(address);
    const notice = await waitForMail(httpUrl, address, { subject: /password was changed/ });
    expect(notice.text).toContain("If it was not, someone else can sign in to your account");
    expect(linkFrom(notice, "/forgot-password")).toBe(`${APP_URL}/forgot-password`);
  });
});

// A reset asked for while the email is being changed: the reset reads the user by the old
// address, the change revokes the reset links it sees. Without the row lock the reset could
// read the old address before the change commits and write its token after the change's
// revocation, leaving a working link at the old address. Interleaving them needs two
// connections, so this spec exists only on PostgreSQL runs (CI runs the suite on both engines).

if (process.env.TEST_DATABASE_URL)
  describe("a password reset asked for while the email changes", () => {
    let other: DatabaseHandle;
    beforeAll(() => {
      other = openAnotherInstance(database)!;
    });
    afterAll(() => other.close());

    const resetTokensOf = (userId: string) =>
      database.db
        .select()
        .from(verification)
        .where(eq(verification.identifier, `password-reset:${userId}`));
    /** Polls `check` until it gives a value; fails after 5 seconds. */
    async function until<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
      const deadline = Date.now() + 5_000;
      for (;;) {
        const value = await check();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    it("sends no link to the old address: the reset waits for the change and then finds no user", async () => {
      const ada = await createUser(database.db, { emailVerified: true, password: "pw" });
      const next = newEmail("next");
      const errors = vi.spyOn(console, "error");

      // What confirmEmail's email change writes, in a transaction of another instance that stays
      // open: the user's new address, and the revocation of the reset links there are so far.
      let commit!: () => void;
      const committing = new Promise<void>((resolve) => (commit = resolve));
      let changed!: (pid: number) => void;
      const changerPid = new Promise<number>((resolve) => (changed = resolve));
      const change = other.db.transaction(async (tx) => {
        await tx.update(user).set({ email: next }).where(eq(user.id, ada.id));
        await revokeTokens(tx, { kind: "password-reset", userId: ada.id });
        const [row] = await queryRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`);
        changed(row!.pid);
        await committing;
      });
      try {
        const pid = await changerPid;
        expect(await requestPasswordReset(database.db, ada.email, newIp())).toEqual({ ok: true });

        // Deterministic whichever way the app goes, as nothing here depends on timing. With the
        // lock, the reset's SELECT … FOR UPDATE matches the committed row (the old address) and
        // waits for the change's transaction, which only our commit ends. Without it, a plain
        // SELECT never waits for a writer: it reads the old address and the reset writes and
        // commits its token while the change is still open, so the first check below fails.
        // The activity is read from the other pool, which the reset's connection is not in.
        const waiter = await until("the reset to wait on the user's row", async () => {
          expect(await resetTokensOf(ada.id), "a token written past the open change").toEqual([]);
          const [waiting] = await queryRows<{ pid: number }>(
            other.db,
            sql`select pid from pg_stat_activity where ${pid}::int = any(pg_blocking_pids(pid))`,
          );
          return waiting?.pid;
        });
        commit();
        await change;

        // After the commit PostgreSQL checks the locked row again: its email is no longer the
        // old address, so the reset finds no user, writes no token and sends no mail.
        await until("the reset's transaction to end", async () => {
          const [activity] = await queryRows<{ state: string }>(
            other.db,
            sql`select state from pg_stat_activity where pid = ${waiter}::int`,
          );
          return activity?.state === "idle" || undefined;
        });
        await settle();
        expect(await resetTokensOf(ada.id)).toEqual([]);
        expect(mailsTo(ada.email)).toEqual([]);
        expect(errors).not.toHaveBeenCalled();
        expect(await userRow(ada.id)).toMatchObject({ email: next });
      } finally {
        commit();
        await change;
        errors.mockRestore();
      }
    });
  });

describe("the verification page", () => {
  it("names the unverified account an address link would verify, and no verified one", async () => {
    const ada = await createUser(database.db, { name: "Ada", emailVerified: false });
    const bob = await createUser(database.db, { name: "Bob", emailVerified: true });
    expect(await accountToVerify(database.db, ada.email.toUpperCase())).toEqual({
      name: "Ada",
      createdAt: expect.any(Date),
    });
    expect(await accountToVerify(database.db, bob.email)).toBeNull();
    expect(await accountToVerify(database.db, newEmail("nobody"))).toBeNull();
  });
});
