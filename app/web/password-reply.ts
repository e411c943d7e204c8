import type { Submission, SubmissionResult } from "@conform-to/react";

type ReplyOptions = { formErrors?: string[]; fieldErrors?: Record<string, string[]> };

/**
 * The answer to a form with password fields: errors and the other input come back, passwords
 * never do. Without JavaScript the page renders them empty. With it, the `update` intent gives
 * the form a new `key`; password inputs keyed by it are re-created empty.
 */
export function replyWithoutPasswords(
  submission: Submission<unknown>,
  passwordFields: string[],
  options: ReplyOptions = {},
): SubmissionResult<string[]> {
  const result = submission.reply({ ...options, hideFields: passwordFields });
  // An intent replaces conform's default of showing the errors of every submitted field.
  const validated = Object.fromEntries(["", ...(result.fields ?? [])].map((name) => [name, true]));
  return {
    ...result,
    intent: { type: "update", payload: { value: result.initialValue ?? {} } },
    state: { validated },
  };
}
