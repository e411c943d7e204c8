import { z } from "zod";
import { isPlainText, NOT_PLAIN_TEXT } from "~/db/plain-text";

// The account forms' schemas, used by the server actions and, through conform, the browser.

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const NAME_MAX = 100;

/** Emails are trimmed and lower-cased, so one address is one account whatever its spelling. */
export const email = z
  .string({ error: "Email is required" })
  .trim()
  .min(1, "Email is required")
  .max(254, "Email must be at most 254 characters")
  .pipe(z.email("Enter an email address like name@example.com"))
  .transform((value) => value.toLowerCase());

const newPassword = z
  .string({ error: "Password is required" })
  .min(PASSWORD_MIN, `Password must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `Password must be at most ${PASSWORD_MAX} characters`);

export const name = z
  .string({ error: "Name is required" })
  .trim()
  .min(1, "Name is required")
  .max(NAME_MAX, `Name must be at most ${NAME_MAX} characters`)
  .refine(isPlainText, NOT_PLAIN_TEXT);

const sameAsEmail = (password: string, address: string) =>
  password.trim().toLowerCase() === address.trim().toLowerCase();

const NOT_EMAIL = "Choose a password that is not your email address";

export const signUpSchema = z
  .object({ name, email, password: newPassword })
  .refine((v) => !sameAsEmail(v.password, v.email), { path: ["password"], message: NOT_EMAIL });

export const signInSchema = z.object({
  email,
  // Any length is checked against the hash; the cap only bounds the work per request.
  password: z
    .string({ error: "Password is required" })
    .min(1, "Password is required")
    .max(1024, "Password is too long"),
  redirectTo: z.string().optional(),
});

/** Forms that ask only for an email address: forgot password, send a new link. */
export const emailOnlySchema = z.object({ email });

const confirmation = { path: ["confirmPassword"], message: "The passwords do not match" };

/** A new password typed twice; `accountEmail` is the address it must differ from. */
export function newPasswordSchema(accountEmail: string) {
  return z
    .object({
      currentPassword: z.string().optional(),
      password: newPassword,
      confirmPassword: z.string({ error: "Type the new password again" }),
    })
    .refine((v) => !sameAsEmail(v.password, accountEmail), {
      path: ["password"],
      message: NOT_EMAIL,
    })
    .refine((v) => v.password === v.confirmPassword, confirmation);
}
