import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CREDENTIAL_PROVIDER, resetPassword, verifyCredentials } from "~/auth/credentials.server";
import {
  confirmEmail,
  notifyPasswordChanged,
  requestEmailChange,
  requestPasswordReset,
  requestVerificationMail,
} from "~/auth/mail-links.server";
import { limits } from "~/auth/rate-limit.server";
import { createSession } from "~/auth/session.server";
import { peekResetToken, peekToken, pendingEmailChange } from "~/auth/verification.server";
import { getConfig } from "~/config.server";
import type { DatabaseHandle } from "~/db/client.server";
import { account, session, user } from "~/db/schema";
import { loader as devMailbox } from "~/routes/dev.mail";
import { createMailCatcher, type MailCatcher } from "../mail-catcher/server";
import { createTestDatabase } from "../support/database";
import { linkFrom, waitForMail } from "../support/mail";
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
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
const mailsTo = (address: string) =>
  catcher.messages().filter((mail) => mail.to.includes(address.toLowerCase()));

describe("the configuration", () => {
  it("has no /dev/mail page when SMTP_URL is set", () => {
    let thrown: unknown;
    try {
      devMailbox();
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
    expect(limits.mailAddress).toEqual({ max: 1, windowMs: 60_000 });
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
    expect(limits.mailIp).toEqual({ max: 20, windowMs: 60 * 60_000 });
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
});

describe("the email change", () => {
  it("mails the link to the new address; opening it changes the email and tells the old address", async () => {
    const ada = await createUser(database.db, { emailVerified: true });
    const next = newEmail("next");
    expect(await requestEmailChange(database.db, ada.id, next, newIp())).toEqual({ ok: true });
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

  it("tells an unverified old address nothing: it may not be the user's", async () => {
    const ada = await createUser(database.db, { emailVerified: false });
    const next = newEmail("next");
    await requestEmailChange(database.db, ada.id, next, newIp());
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
    expect(await requestEmailChange(database.db, ada.id, taken.email, newIp())).toEqual({
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
