import { z } from "zod";
import { isPlainText, NOT_PLAIN_TEXT } from "~/ui/plain-text";

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

const name = z
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

export const profileSchema = z.object({
  name,
  image: z
    .string()
    .trim()
    .max(2048, "The image URL must be at most 2,048 characters")
    .optional()
    .refine((value) => !value || isPlainText(value), NOT_PLAIN_TEXT)
    .refine((value) => !value || isHttpsUrl(value), "Enter an https:// URL of an image")
    .transform((value) => value || null),
});

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

/** The new address; the current password is required by the server when the user has one. */
export const emailChangeSchema = z.object({ email, currentPassword: z.string().optional() });

/** Connecting GitHub; the current password is required by the server when the user has one. */
export const connectGitHubSchema = z.object({ currentPassword: z.string().optional() });

/** Deleting an account asks for its email, typed out, as the confirmation. */
export function deleteAccountSchema(accountEmail: string) {
  return z.object({
    confirmEmail: z
      .string({ error: "Type your email address to confirm" })
      .trim()
      .refine((value) => value.toLowerCase() === accountEmail.toLowerCase(), {
        message: `Type ${accountEmail} exactly to confirm`,
      }),
  });
}
