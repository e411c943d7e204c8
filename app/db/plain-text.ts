// Text from forms and links holds no control characters but tabs and line breaks: PostgreSQL
// cannot store NUL at all, and the others are invisible junk in a name or a URL.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

export const NOT_PLAIN_TEXT = "Remove the control characters (such as NUL) from this text";

/** True when `value` is plain text, for zod's refine. */
export function isPlainText(value: string): boolean {
  return !CONTROL.test(value);
}

/** `value` with its control characters removed, for search terms from a URL. */
export function toPlainText(value: string): string {
  return value.replace(new RegExp(CONTROL, "g"), "");
}
