import { z } from "zod";
import { email, name } from "~/auth/validation";
import { isPlainText, NOT_PLAIN_TEXT } from "~/db/plain-text";

// The account settings forms' schemas (profile, email change, GitHub, deletion); the sign-in
// and password forms' schemas are in auth/validation.ts.

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
