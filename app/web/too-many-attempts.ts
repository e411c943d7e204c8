import type { Submission } from "@conform-to/react";
import { data } from "react-router";
import { replyWithoutPasswords } from "./password-reply";

/** How long to wait, in words, after a limit refused an attempt. */
export function retryMessage(retryAfterMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return `Too many attempts. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}

/**
 * The answer to a form a rate limit refused: 429 with Retry-After, the wait in words above the
 * form, the input kept (but `passwordFields`, which never come back).
 */
export function tooManyAttempts(
  submission: Submission<unknown>,
  retryAfterMs: number,
  passwordFields: string[] = [],
) {
  const formErrors = [retryMessage(retryAfterMs)];
  const result =
    passwordFields.length > 0
      ? replyWithoutPasswords(submission, passwordFields, { formErrors })
      : submission.reply({ formErrors });
  return data(
    { result },
    { status: 429, headers: { "Retry-After": String(Math.ceil(retryAfterMs / 1000)) } },
  );
}
