import { getFormProps } from "@conform-to/react";
import { parseForm, readForm } from "~/web/form.server";
import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/forgot-password";
import { requestPasswordReset } from "~/auth/mail-links.server";
import { requirePasswordAuth } from "~/auth/guards.server";
import { clientIp } from "~/web/request-context.server";
import { keepRetryAfter, tooManyAttempts } from "~/web/too-many-attempts";
import { emailOnlySchema } from "~/auth/validation";
import { getDb } from "~/db/client.server";
import { useSchemaForm } from "~/ui/schema-form";
import { FormErrors, TextField } from "~/ui/field";
import { flashHeaders } from "~/web/flash.server";
import { SubmitButton } from "~/ui/submit-button";

export const meta: Route.MetaFunction = () => [{ title: "Reset your password · SMTG Notion" }];

export function loader() {
  requirePasswordAuth();
  return null;
}

export async function action({ request, context }: Route.ActionArgs) {
  requirePasswordAuth();
  const submission = parseForm(await readForm({ request, context }), emailOnlySchema);
  if (submission.status !== "success") {
    return data({ result: submission.reply() }, { status: 400 });
  }
  const { email } = submission.value;
  const ip = clientIp(context);
  const sent = await requestPasswordReset(getDb(), email, ip);
  if (!sent.ok && sent.limit === "mailIp") {
    return tooManyAttempts(submission, sent.retryAfterMs);
  }
  // The same answer whether or not the address has an account, and whether or not a mail went
  // to it a moment ago (then it gets none now).
  throw redirect("/forgot-password", {
    headers: await flashHeaders(
      `If ${email} has an account, we sent it a link to choose a new password. The link works for one hour.`,
    ),
  });
}

export const headers = keepRetryAfter;

export default function ForgotPassword({ actionData }: Route.ComponentProps) {
  const [form, fields] = useSchemaForm(emailOnlySchema, {
    lastResult: actionData?.result,
  });
  return (
    <section className="card mx-auto max-w-md" aria-labelledby="forgot-title">
      <h1 id="forgot-title" className="text-2xl font-bold">
        Reset your password
      </h1>
      <p className="mt-2 text-slate-600 dark:text-slate-300">
        Enter the email address of your account and we will mail you a link to choose a new
        password.
      </p>
      <Form method="post" {...getFormProps(form)} className="mt-6 space-y-4">
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField label="Email" type="email" meta={fields.email} autoComplete="email" />
        <SubmitButton pendingLabel="Sending…" className="btn btn-primary w-full">
          Send reset link
        </SubmitButton>
      </Form>
      <p className="mt-4 text-sm">
        <Link to="/login" className="link">
          Back to sign in
        </Link>
      </p>
    </section>
  );
}
