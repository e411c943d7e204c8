import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/forgot-password";
import { requestPasswordReset } from "~/auth/mail-links.server";
import { requirePasswordAuth } from "~/auth/guards.server";
import { clientIp } from "~/web/request-context.server";
import { retryMessage } from "~/auth/rate-limit.server";
import { emailOnlySchema } from "~/auth/validation";
import { getDb } from "~/db/client.server";
import { useSchemaForm } from "~/ui/schema-form";
import { FormErrors, TextField } from "~/ui/field";
import { flashHeaders } from "~/web/flash.server";

export const meta: Route.MetaFunction = () => [{ title: "Reset your password · SMTG Notion" }];

export function loader() {
  requirePasswordAuth();
  return null;
}

export async function action({ request, context }: Route.ActionArgs) {
  requirePasswordAuth();
  const submission = parseWithZod(await request.formData(), { schema: emailOnlySchema });
  if (submission.status !== "success") {
    return data({ result: submission.reply() }, { status: 400 });
  }
  const { email } = submission.value;
  const ip = clientIp(context);
  const sent = await requestPasswordReset(getDb(), email, ip);
  if (!sent.ok) {
    const result = submission.reply({ formErrors: [retryMessage(sent.retryAfterMs)] });
    return data({ result }, { status: 429 });
  }
  // The same answer whether or not the address has an account.
  throw redirect("/forgot-password", {
    headers: await flashHeaders(
      `If ${email} has an account, we sent it a link to choose a new password. The link works for one hour.`,
    ),
  });
}

export default function ForgotPassword({ actionData }: Route.ComponentProps) {
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(emailOnlySchema, {
    lastResult: actionData?.result,
  });
  const pending = navigation.state === "submitting";
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
        <button type="submit" className="btn btn-primary w-full" disabled={pending}>
          {pending ? "Sending…" : "Send reset link"}
        </button>
      </Form>
      <p className="mt-4 text-sm">
        <Link to="/login" className="link">
          Back to sign in
        </Link>
      </p>
    </section>
  );
}
