import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fromThisMachineContext } from "~/web/request-context.server";
import { requestVerificationMail } from "~/auth/mail-links.server";
import { peekToken } from "~/auth/verification.server";
import { ConfigError, getConfig, parseConfig } from "~/config.server";
import type { DatabaseHandle } from "~/db/client.server";
import { listDevMails } from "~/mail/mailer.server";
import { loader as devMailboxLoader } from "~/routes/dev/mail";
import { createTestDatabase } from "../support/database";
import { createUser } from "../support/users";

// Where mail goes: SMTP_URL when set; otherwise, on a developer's loopback APP_URL, the dev
// mailbox shown at /dev/mail; and the switch for email and password sign-in.

/** The /dev/mail page, asked for from this machine or over the network. */
function devMailbox(fromThisMachine: boolean) {
  const context = new RouterContextProvider();
  context.set(fromThisMachineContext, fromThisMachine);
  return devMailboxLoader({ context } as never);
}

const secret = { SESSION_SECRET: "s".repeat(32) };
const mailOf = (env: Record<string, string>) => parseConfig({ ...secret, ...env }).mail;
function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig({ ...secret, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("the mail settings", () => {
  it("keep mails in the dev mailbox on a loopback APP_URL without SMTP_URL", () => {
    for (const APP_URL of [
      "http://localhost:3000",
      "http://127.0.0.1:8080",
      "http://127.1.2.3",
      "http://[::1]:3000",
    ]) {
      expect(mailOf({ APP_URL }), APP_URL).toMatchObject({ smtpUrl: undefined, devMailbox: true });
    }
    expect(mailOf({}).devMailbox).toBe(true);
  });

  it("have no dev mailbox on any other APP_URL, so a deployment never shows mails to strangers", () => {
    for (const APP_URL of [
      "https://notion.example.com",
      "http://192.168.1.10:3000",
      "http://localhost.example.com",
    ]) {
      expect(mailOf({ APP_URL }).devMailbox, APP_URL).toBe(false);
    }
  });

  it("have no dev mailbox when SMTP_URL is set, even on loopback", () => {
    expect(mailOf({ APP_URL: "http://localhost:3000", SMTP_URL: "smtp://127.0.0.1:2525" })).toEqual(
      {
        smtpUrl: "smtp://127.0.0.1:2525",
        from: "SMTG Notion <no-reply@localhost>",
        devMailbox: false,
      },
    );
  });

  it("take smtp:// and smtps:// URLs only", () => {
    expect(mailOf({ SMTP_URL: "smtps://user:pass@mail.example.com:465" }).smtpUrl).toBe(
      "smtps://user:pass@mail.example.com:465",
    );
    for (const SMTP_URL of ["http://mail.example.com", "mail.example.com:25", "postgres://x"]) {
      expect(problemsOf({ SMTP_URL }), SMTP_URL).toEqual([
        "SMTP_URL must be an smtp:// or smtps:// URL",
      ]);
    }
    // An empty variable is an unset one.
    expect(mailOf({ SMTP_URL: "" }).smtpUrl).toBeUndefined();
  });

  it("send from MAIL_FROM, or from no-reply at APP_URL's host", () => {
    expect(mailOf({ APP_URL: "https://notion.example.com" }).from).toBe(
      "SMTG Notion <no-reply@notion.example.com>",
    );
    expect(mailOf({ MAIL_FROM: "Team <team@example.com>" }).from).toBe("Team <team@example.com>");
  });
});

describe("PASSWORD_AUTH", () => {
  it("is on by default, and can be turned off", () => {
    expect(parseConfig(secret).passwordAuth).toBe(true);
    expect(parseConfig({ ...secret, PASSWORD_AUTH: "on" }).passwordAuth).toBe(true);
    expect(parseConfig({ ...secret, PASSWORD_AUTH: "off" }).passwordAuth).toBe(false);
  });

  it("takes only on or off", () => {
    expect(problemsOf({ PASSWORD_AUTH: "yes" })).toEqual(["PASSWORD_AUTH must be on or off"]);
  });
});

describe("the dev mailbox", () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    delete process.env.SMTP_URL;
    delete process.env.MAIL_FROM;
    process.env.APP_URL = "http://127.0.0.1:3999";
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it("is where mails go without SMTP_URL on a loopback APP_URL", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    expect(getConfig().mail).toEqual({
      smtpUrl: undefined,
      from: "SMTG Notion <no-reply@127.0.0.1>",
      devMailbox: true,
    });
    const { email } = await createUser(database.db, { emailVerified: false });
    expect(await requestVerificationMail(database.db, email, "127.0.0.1")).toEqual({ ok: true });

    const mail = await vi.waitFor(() => {
      const found = listDevMails().find((m) => m.to === email);
      if (!found) throw new Error(`no mail to ${email} yet`);
      return found;
    });
    expect(mail).toMatchObject({
      from: "SMTG Notion <no-reply@127.0.0.1>",
      subject: expect.stringMatching(/verify/i),
    });
    const link = /http:\/\/127\.0\.0\.1:3999\/verify-email\?token=[\w-]+/.exec(mail.text)?.[0];
    expect(link).toBeDefined();
    const token = new URL(link!).searchParams.get("token")!;
    expect(await peekToken(database.db, token)).toEqual({ kind: "verify-email", email });
    // The developer also sees it in the server's output, and at /dev/mail with its link.
    expect(log).toHaveBeenCalledWith(expect.stringContaining(link!));
    log.mockRestore();
    const page = devMailbox(true);
    expect(page.mails.find((m) => m.to === email)).toMatchObject({
      subject: mail.subject,
      links: [link],
    });
  });

  it("is shown only to this machine, not to others that reach the port", () => {
    let thrown: unknown;
    try {
      devMailbox(false);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(404);
  });
});
