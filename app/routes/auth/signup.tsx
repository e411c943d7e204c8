import { getFormProps } from "@conform-to/react";
import { parseForm, readForm } from "~/web/form.server";
import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/signup";
import { EmailTaken, signUp } from "~/auth/credentials.server";
import { requestVerificationMail } from "~/auth/mail-links.server";
import { refuseWhenHashingIsFull } from "~/auth/password.server";
import { requireAnonymous, requirePasswordAuth, startSession } from "~/auth/guards.server";
import { clientIp } from "~/web/request-context.server";
import { safeRedirect } from "~/web/safe-redirect";
import { reserveAttempt } from "~/auth/rate-limit.server";
import { keepRetryAfter, tooManyAttempts } from "~/web/too-many-attempts";
import { NAME_MAX, PASSWORD_MAX, PASSWORD_MIN, signUpSchema } from "~/auth/validation";
import { getDb } from "~/db/client.server";
import { replyWithoutPasswords } from "~/web/password-reply";
import { useSchemaForm } from "~/ui/schema-form";
import { FormErrors, TextField } from "~/ui/field";
import { flashHeaders } from "~/web/flash.server";
import { SubmitButton } from "~/ui/submit-button";

export const meta: Route.MetaFunction = () => [{ title: "Create an account · SMTG Notion" }];

export function loader(args: Route.LoaderArgs) {
  requirePasswordAuth();
  requireAnonymous(args);
  return { redirectTo: safeRedirect(args.url.searchParams.get("redirectTo"), "") };
}

export async function action({ request, context }: Route.ActionArgs) {
  requirePasswordAuth();
  const formData = await readForm({ request, context });
  // Settled before anything is written: a target the redirect cannot carry becomes "/".
  const target = safeRedirect(formData.get("redirectTo"));
  const submission = parseForm(formData, signUpSchema);
  if (submission.status !== "success") {
    return data({ result: replyWithoutPasswords(submission, ["password"]) }, { status: 400 });
  }
  refuseWhenHashingIsFull();
  const db = getDb();
  const ip = clientIp(context);
  const attempt = await reserveAttempt(db, [{ limit: "signUpIp", key: ip }]);
  if (!attempt.allowed) {
    return tooManyAttempts(submission, attempt.retryAfterMs, ["password"]);
  }

  let userId: string;
  try {
    ({ userId } = await signUp(db, submission.value));
  } catch (error) {
    if (!(error instanceof EmailTaken)) throw error;
    const result = replyWithoutPasswords(submission, ["password"], {
      fieldErrors: {
        email: ["An account with this email already exists. Sign in, or reset its password."],
      },
    });
    return data({ result }, { status: 409 });
  }

  const { email } = submission.value;
  const sent = await requestVerificationMail(db, email, ip);
  const headers = await startSession(request, context, userId);
  const flash = await flashHeaders(
    sent.ok
      ? `Welcome! We sent a link to ${email}: open it to verify your email address.`
      : `Welcome! We could not send the verification mail to ${email} just now; use “Send a new link” to try again.`,
    sent.ok ? "success" : "error",
  );
  headers.append("Set-Cookie", flash["Set-Cookie"]);
  throw redirect(target, { headers });
}

export const headers = keepRetryAfter;

export default function SignUp({ loaderData, actionData }: Route.ComponentProps) {
  const [form, fields] = useSchemaForm(signUpSchema, {
    lastResult: actionData?.result,
  });
  const { redirectTo } = loaderData;
  return (
    <section className="mx-auto max-w-md" aria-labelledby="signup-title">
      <div className="card">
        <h1 id="signup-title" className="text-2xl font-bold">
          Create your account
        </h1>
        <p className="mt-2 text-slate-600 dark:text-slate-300">
          We will send a link to your email address to verify it.
        </p>
        <Form method="post" {...getFormProps(form)} className="mt-6 space-y-4">
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <FormErrors id={form.errorId} errors={form.errors} />
          <TextField
            label="Name"
            meta={fields.name}
            autoComplete="name"
            hint={`Up to ${NAME_MAX} characters.`}
          />
          <TextField label="Email" type="email" meta={fields.email} autoComplete="email" />
          <TextField
            key={form.key}
            label="Password"
            type="password"
            meta={fields.password}
            autoComplete="new-password"
            hint={`${PASSWORD_MIN} to ${PASSWORD_MAX} characters, not your email address.`}
          />
          <SubmitButton pendingLabel="Creating your account…" className="btn btn-primary w-full">
            Create account
          </SubmitButton>
        </Form>
        <p className="mt-4 text-sm">
          Already have an account?{" "}
          <Link
            to={redirectTo ? `/login?${new URLSearchParams({ redirectTo })}` : "/login"}
            className="link"
          >
            Sign in
          </Link>
        </p>
      </div>
    </section>
  );
}
