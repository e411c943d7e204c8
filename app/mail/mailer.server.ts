import { createTransport, type Transporter } from "nodemailer";
import { getConfig } from "~/config.server";

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface DevMail extends Mail {
  id: number;
  from: string;
  sentAt: Date;
}

// Without SMTP_URL on a developer's machine, mails are kept here (the newest 50) and shown at
// /dev/mail, so a newcomer can verify an address with no mail server at all.
const DEV_MAILBOX_SIZE = 50;
const devMailbox: DevMail[] = [];
let nextDevMailId = 1;

let transport: Transporter | undefined;

/** Sends a mail over SMTP, or into the dev mailbox when SMTP is not configured. */
export async function sendMail(mail: Mail): Promise<void> {
  const { smtpUrl, from, devMailbox: useDevMailbox } = getConfig().mail;
  if (smtpUrl) {
    transport ??= createTransport(smtpUrl);
    await transport.sendMail({ from, ...mail });
    return;
  }
  if (useDevMailbox) {
    const stored = { ...mail, id: nextDevMailId++, from, sentAt: new Date() };
    devMailbox.unshift(stored);
    devMailbox.length = Math.min(devMailbox.length, DEV_MAILBOX_SIZE);
    console.log(`Mail to ${mail.to}: ${mail.subject} (also at /dev/mail)\n${mail.text}`);
    return;
  }
  // A deployment without SMTP_URL: the links in mails are secrets, so they are not logged.
  console.warn(`Mail to ${mail.to} (${mail.subject}) not sent: SMTP_URL is not set.`);
}

/** The dev mailbox, newest first; empty unless it is in use. */
export function listDevMails(): readonly DevMail[] {
  return devMailbox;
}
