import type { Submission } from "@conform-to/react";
import { data, type HeadersFunction } from "react-router";
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

/**
 * The `headers` of a route whose action may answer tooManyAttempts: React Router passes on only
 * the cookies of an action's headers unless the route says which others to keep.
 */
export const keepRetryAfter: HeadersFunction = ({ actionHeaders, parentHeaders }) => {
  const headers = new Headers(parentHeaders);
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};
