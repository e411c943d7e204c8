import type { Mail } from "./mailer.server";

// The mails the app sends: a plain-text part and a simple HTML part with the same words.

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

function mail(
  to: string,
  subject: string,
  paragraphs: string[],
  action: { label: string; url: string },
): Mail {
  const text = [...paragraphs, `${action.label}: ${action.url}`].join("\n\n");
  const html = [
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${escapeHtml(action.url)}">${escapeHtml(action.label)}</a></p>`,
    `<p>Or paste this link into your browser: ${escapeHtml(action.url)}</p>`,
  ].join("\n");
  return { to, subject, text: `${text}\n\n— SMTG Notion\n`, html };
}

const notYou = "If you did not ask for this, ignore this mail; nothing changes.";

export function verificationMail(to: string, url: string): Mail {
  return mail(
    to,
    "Verify your email address for SMTG Notion",
    [
      "Confirm that this is your email address to finish setting up your SMTG Notion account.",
      "The link works for 24 hours.",
      notYou,
    ],
    { label: "Verify your email address", url },
  );
}

export function passwordResetMail(to: string, url: string): Mail {
  return mail(
    to,
    "Reset your SMTG Notion password",
    [
      "Someone (hopefully you) asked to reset the password of your SMTG Notion account.",
      "The link works for one hour and only once. Setting a new password signs out your other sessions.",
      notYou,
    ],
    { label: "Choose a new password", url },
  );
}

export function emailChangeMail(to: string, url: string): Mail {
  return mail(
    to,
    "Confirm your new email address for SMTG Notion",
    [
      "Confirm this address to make it the email of your SMTG Notion account. Until then, your account keeps its current address.",
      "The link works for 24 hours.",
      notYou,
    ],
    { label: "Confirm your new email address", url },
  );
}

// Notices go to a verified address after a change to the account, so that a change made by
// someone else does not go unnoticed.

export function passwordChangedMail(to: string, resetUrl: string): Mail {
  return mail(
    to,
    "Your SMTG Notion password was changed",
    [
      "Your SMTG Notion account has a new password, and your other sessions were signed out.",
      "If this was you, there is nothing to do.",
      "If it was not, someone else can sign in to your account: choose a new password now.",
    ],
    { label: "Reset your password", url: resetUrl },
  );
}

export function emailChangedMail(to: string, newEmail: string, signInUrl: string): Mail {
  return mail(
    to,
    "The email address of your SMTG Notion account was changed",
    [
      `Your SMTG Notion account now uses ${newEmail} instead of this address. Sign-in with a password, password resets and our mails go there from now on.`,
      "If this was you, there is nothing to do.",
      `If it was not, someone else has access to your account. Sign in (with ${newEmail} and your password, or with GitHub), change the email address back to this one first, then change your password; that signs out everyone else.`,
    ],
    { label: "Sign in", url: signInUrl },
  );
}

export function githubConnectedMail(to: string, login: string, settingsUrl: string): Mail {
  return mail(
    to,
    "GitHub was connected to your SMTG Notion account",
    [
      `The GitHub account ${login} was connected to your SMTG Notion account. It can now be used to sign in.`,
      "If this was you, there is nothing to do.",
      "If it was not, someone else has access to your account: disconnect GitHub in your settings, then choose a new password; that signs out everyone else.",
    ],
    { label: "Open your connected accounts", url: settingsUrl },
  );
}
