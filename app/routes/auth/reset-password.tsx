import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { parseForm, readForm } from "~/web/form.server";
import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/reset-password";
import { resetPassword } from "~/auth/credentials.server";
import { requirePasswordAuth, startSession } from "~/auth/guards.server";
import { notifyPasswordChanged } from "~/auth/mail-links.server";
import { resetAttempts } from "~/auth/rate-limit.server";
import { newPasswordSchema } from "~/auth/validation";
import { peekResetToken } from "~/auth/verification.server";
import { getDb } from "~/db/client.server";
import { replyWithoutPasswords } from "~/web/password-reply";
import { NewPasswordFields } from "~/auth/new-password-fields";
import { useSchemaForm } from "~/ui/schema-form";
import { FormErrors } from "~/ui/field";
import { flashHeaders } from "~/web/flash.server";
import { SubmitButton } from "~/ui/submit-button";

export const meta: Route.MetaFunction = () => [{ title: "Choose a new password · SMTG Notion" }];

export async function loader({ url }: Route.LoaderArgs) {
  requirePasswordAuth();
  const token = url.searchParams.get("token") ?? "";
  const email = token ? await peekResetToken(getDb(), token) : null;
  if (!email) return data({ valid: false as const }, { status: 400 });
  return { valid: true as const, token, email };
}

export async function action({ request, context }: Route.ActionArgs) {
  requirePasswordAuth();
  const formData = await readForm({ request, context });
  const token = String(formData.get("token") ?? "");
  const db = getDb();
  const email = await peekResetToken(db, token);
  if (!email) return data({ invalid: true, result: undefined }, { status: 400 });
  const submission = parseForm(formData, newPasswordSchema(email));
  if (submission.status !== "success") {
    const result = replyWithoutPasswords(submission, ["password", "confirmPassword"]);
    return data({ invalid: false, result }, { status: 400 });
  }
  const reset = await resetPassword(db, token, submission.value.password);
  if (!reset) return data({ invalid: true, result: undefined }, { status: 400 });
  // Whoever locked the owner out by guessing must not keep them out once they chose a new password.
  await resetAttempts(db, { limit: "signInEmail", key: email });
  notifyPasswordChanged(email);
  const headers = await startSession(request, context, reset.userId);
  const flash = await flashHeaders(
    "Your password was changed and you are signed in. Your other sessions were signed out.",
  );
  headers.append("Set-Cookie", flash["Set-Cookie"]);
  throw redirect("/", { headers });
}

export default function ResetPassword({ loaderData, actionData }: Route.ComponentProps) {
  if (!loaderData.valid || actionData?.invalid) {
    return (
      <section className="card mx-auto max-w-md" aria-labelledby="reset-title">
        <h1 id="reset-title" className="text-2xl font-bold">
          This link does not work
        </h1>
        <p className="mt-3 text-slate-600 dark:text-slate-300">
          It has expired, was already used, or was changed on the way. A reset link works for one
          hour, once, and only the newest one we sent works.
        </p>
        <Link to="/forgot-password" className="btn btn-primary mt-6 w-full">
          Send a new link
        </Link>
      </section>
    );
  }
  return (
    <NewPasswordForm
      token={loaderData.token}
      email={loaderData.email}
      result={actionData?.result}
    />
  );
}

function NewPasswordForm({
  token,
  email,
  result,
}: {
  token: string;
  email: string;
  result: SubmissionResult<string[]> | undefined;
}) {
  const schema = newPasswordSchema(email);
  const [form, fields] = useSchemaForm(schema, {
    lastResult: result,
  });
  return (
    <section className="card mx-auto max-w-md" aria-labelledby="reset-title">
      <h1 id="reset-title" className="text-2xl font-bold">
        Choose a new password
      </h1>
      <p className="mt-2 text-slate-600 dark:text-slate-300">For {email}.</p>
      <Form method="post" {...getFormProps(form)} className="mt-6 space-y-4">
        <input type="hidden" name="token" value={token} />
        <FormErrors id={form.errorId} errors={form.errors} />
        <NewPasswordFields
          formKey={form.key}
          password={fields.password}
          confirmPassword={fields.confirmPassword}
        />
        <SubmitButton pendingLabel="Saving…" className="btn btn-primary w-full">
          Set new password
        </SubmitButton>
      </Form>
    </section>
  );
}
