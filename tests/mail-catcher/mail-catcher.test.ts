import { createTransport } from "nodemailer";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { linkFrom, waitForMail, type CaughtMail } from "../support/mail";
import { createMailCatcher, type MailCatcher } from "./server.js";

const LINK = "http://localhost:3999/verify-email?token=abc&x=1";

let catcher: MailCatcher;
let smtpUrl: string;
let httpUrl: string;
let close: () => Promise<void>;

beforeAll(async () => {
  catcher = createMailCatcher();
  ({ smtpUrl, httpUrl, close } = await catcher.listen({ smtpPort: 0, httpPort: 0 }));
});
afterAll(() => close());
beforeEach(() => catcher.clear());

/** Sends like the app does: a transport made from the SMTP URL alone. */
async function send(to: string | string[], subject: string, html?: string) {
  const transport = createTransport(smtpUrl);
  try {
    return await transport.sendMail({
      from: "SMTG Notion <no-reply@smtg.test>",
      to,
      subject,
      text: `Confirm your address: ${LINK}.`,
      html: html ?? `<p><a href="${LINK.replace("&", "&amp;")}">Confirm your address</a></p>`,
    });
  } finally {
    transport.close();
  }
}

async function getMessages(to?: string): Promise<CaughtMail[]> {
  const url = new URL("/messages", httpUrl);
  if (to) url.searchParams.set("to", to);
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return (await response.json()) as CaughtMail[];
}

describe("mail catcher", () => {
  it("hands out a plain smtp:// URL that nodemailer sends to without TLS", async () => {
    expect(smtpUrl).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+$/);
    const info = await send("ada@example.test", "Plain SMTP");
    expect(info.accepted).toEqual(["ada@example.test"]);
    expect(info.response).toMatch(/^250 /);
  });

  it("catches a mail with its envelope recipients, parts and decoded links", async () => {
    await send(["Ada@Example.test", "bob@example.test"], "Confirm your email address");

    const mail = await waitForMail(httpUrl, "ada@example.test", { subject: /confirm your email/i });
    expect(mail).toMatchObject({
      from: '"SMTG Notion" <no-reply@smtg.test>',
      to: ["ada@example.test", "bob@example.test"],
      subject: "Confirm your email address",
      text: expect.stringContaining(LINK),
      html: expect.stringContaining("token=abc&amp;x=1"),
    });
    expect(mail.links).toEqual([LINK]);
    expect(linkFrom(mail, "/verify-email")).toBe(LINK);
    expect(() => linkFrom(mail, "/reset-password")).toThrow(/no link to \/reset-password/);
  });

  it("filters by recipient case-insensitively, newest last, and forgets on DELETE", async () => {
    await send("ada@example.test", "First");
    await send("bob@example.test", "For Bob");
    await send("ada@example.test", "Second");

    expect((await getMessages("ADA@example.TEST")).map((mail) => mail.subject)).toEqual([
      "First",
      "Second",
    ]);
    expect(await getMessages()).toHaveLength(3);
    expect(catcher.messages()).toHaveLength(3);

    const cleared = await fetch(new URL("/messages", httpUrl), { method: "DELETE" });
    expect(cleared.status).toBe(204);
    expect(await getMessages()).toEqual([]);
  });

  it("returns the newest match, and only mails received after `after`", async () => {
    await send("ada@example.test", "Old");
    const after = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await send("ada@example.test", "New");

    expect((await waitForMail(httpUrl, "ada@example.test")).subject).toBe("New");
    const error = waitForMail(httpUrl, "ada@example.test", {
      subject: /Old/,
      after,
      timeoutMs: 300,
    });
    await expect(error).rejects.toThrow(/received: "Old", "New"/);
  });

  it("keeps links from html-only mails and decodes numeric entities", async () => {
    const transport = createTransport(smtpUrl);
    await transport.sendMail({
      from: "no-reply@smtg.test",
      to: "ada@example.test",
      subject: "HTML only",
      html: `<a href='https://app.test/reset-password?t=1&#38;u=2'>Reset</a>`,
    });
    transport.close();

    const mail = await waitForMail(httpUrl, "ada@example.test");
    expect(linkFrom(mail, "/reset-password")).toBe("https://app.test/reset-password?t=1&u=2");
  });

  it("times out naming the address and what it did receive", async () => {
    await send("bob@example.test", "For Bob");
    await expect(waitForMail(httpUrl, "nobody@example.test", { timeoutMs: 250 })).rejects.toThrow(
      /No mail to nobody@example\.test within 250 ms\. That address received: nothing\./,
    );
    await expect(
      waitForMail(httpUrl, "bob@example.test", { subject: /Welcome/, timeoutMs: 250 }),
    ).rejects.toThrow(/\(subject matching \/Welcome\/\) within 250 ms.*received: "For Bob"/);
  });

  it("refuses mails over 1 MB and doesn't keep them", async () => {
    const transport = createTransport(smtpUrl);
    const sending = transport.sendMail({
      from: "no-reply@smtg.test",
      to: "ada@example.test",
      subject: "Too big",
      text: "x".repeat(1100 * 1024),
    });
    await expect(sending).rejects.toMatchObject({ responseCode: 552 });
    transport.close();
    expect(catcher.messages()).toEqual([]);
  });

  it("keeps at most 500 mails, dropping the oldest", async () => {
    const transport = createTransport(`${smtpUrl}?pool=true`);
    for (let i = 0; i < 505; i++) {
      await transport.sendMail({
        from: "no-reply@smtg.test",
        to: "ada@example.test",
        subject: `Mail ${i}`,
        text: "Hi",
      });
    }
    transport.close();
    const mails = catcher.messages();
    expect(mails).toHaveLength(500);
    expect(mails[0]?.subject).toBe("Mail 5");
    expect(mails.at(-1)?.subject).toBe("Mail 504");
  });
});
