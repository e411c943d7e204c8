// Reading the mail catcher's mails, for Vitest and Playwright specs alike. Only fetch and a type
// import here, so Playwright specs can use it without loading the SMTP server and mail parser.
import type { CaughtMail } from "../mail-catcher/server";

export type { CaughtMail } from "../mail-catcher/server";

/**
 * Waits for a mail to `to` (matching `subject` and received after `after`, if given) and returns
 * the newest such mail. Polls, since a mail may arrive some time after the app has answered.
 */
export async function waitForMail(
  httpUrl: string,
  to: string,
  options: { subject?: RegExp; after?: Date | string; timeoutMs?: number } = {},
): Promise<CaughtMail> {
  const { subject, timeoutMs = 10_000 } = options;
  // Strictly after: times have millisecond steps, and a mail from an earlier step can land in
  // the very millisecond `after` is taken, while the action that follows takes longer than one.
  const after = options.after === undefined ? -Infinity : new Date(options.after).getTime();
  const matches = (mail: CaughtMail) =>
    (!subject || subject.test(mail.subject)) && Date.parse(mail.receivedAt) > after;

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = await fetchMails(httpUrl, to);
    const found = mails.filter(matches).at(-1);
    if (found) return found;
    if (Date.now() >= deadline) {
      const received = mails.map((mail) => JSON.stringify(mail.subject)).join(", ") || "nothing";
      const wanted = [
        subject && `subject matching ${subject}`,
        options.after !== undefined && `received after ${new Date(after).toISOString()}`,
      ].filter(Boolean);
      throw new Error(
        `No mail to ${to}${wanted.length ? ` (${wanted.join(", ")})` : ""} within ` +
          `${timeoutMs} ms. That address received: ${received}.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The mail's first link whose path is `pathname`, e.g. linkFrom(mail, "/verify-email"). */
export function linkFrom(mail: CaughtMail, pathname: string): string {
  const link = mail.links.find((url) => URL.parse(url)?.pathname === pathname);
  if (!link) {
    const links = mail.links.join(", ") || "none";
    throw new Error(
      `The mail ${JSON.stringify(mail.subject)} has no link to ${pathname}. Its links: ${links}.`,
    );
  }
  return link;
}

async function fetchMails(httpUrl: string, to: string): Promise<CaughtMail[]> {
  const url = new URL("/messages", httpUrl);
  url.searchParams.set("to", to);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Mail catcher: GET ${url} answered ${response.status}.`);
  return (await response.json()) as CaughtMail[];
}
