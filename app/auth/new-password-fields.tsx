import type { FieldMetadata } from "@conform-to/react";
import { TextField } from "~/ui/field";
import { PASSWORD_MAX, PASSWORD_MIN } from "./validation";

/**
 * "New password" typed twice, for newPasswordSchema. Keyed by the form's key, so the inputs
 * come back empty after the server refused the form (see replyWithoutPasswords).
 */
export function NewPasswordFields({
  formKey,
  password,
  confirmPassword,
}: {
  formKey: string | undefined;
  password: FieldMetadata<string>;
  confirmPassword: FieldMetadata<string>;
}) {
  return (
    <>
      <TextField
        key={`${formKey}:password`}
        label="New password"
        type="password"
        meta={password}
        autoComplete="new-password"
        hint={`${PASSWORD_MIN} to ${PASSWORD_MAX} characters, not your email address.`}
      />
      <TextField
        key={`${formKey}:confirmPassword`}
        label="Repeat the new password"
        type="password"
        meta={confirmPassword}
        autoComplete="new-password"
      />
    </>
  );
}

/** "Current password", confirming a change; keyed like the fields above, so it comes back empty. */
export function CurrentPasswordField({
  formKey,
  meta,
}: {
  formKey: string | undefined;
  meta: FieldMetadata<string | undefined>;
}) {
  return (
    <TextField
      key={`${formKey}:currentPassword`}
      label="Current password"
      type="password"
      meta={meta}
      autoComplete="current-password"
    />
  );
}
