import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { parseForm, readForm } from "~/web/form.server";
import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/verify-email";
import { accountToVerify, confirmEmail, requestVerificationMail } from "~/auth/mail-links.server";
import { getOptionalUser } from "~/auth/guards.server";
import { clientIp } from "~/web/request-context.server";
import { safeRedirect } from "~/web/safe-redirect";
import { retryMessage } from "~/web/too-many-attempts";
import { emailOnlySchema } from "~/auth/validation";
import { peekToken } from "~/auth/verification.server";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/client.server";
import { useSchemaForm } from "~/ui/schema-form";
import { FormErrors, TextField } from "~/ui/field";
import { flashHeaders } from "~/web/flash.server";
import { DateTime } from "~/ui/time";
import { SubmitButton } from "~/ui/submit-button";

// The link in a verification mail opens this page; its button's POST does the verifying, so
// mail scanners that follow links do not use the link up.

export const meta: Route.MetaFunction = () => [{ title: "Verify your email · SMTG Notion" }];

export async function loader({ url, context }: Route.LoaderArgs) {
  const token = url.searchParams.get("token") ?? "";
  const purpose = token ? await peekToken(getDb(), token) : null;
  const user = getOptionalUser({ context });
  // Signed in and verified, an invalid link can only have been an email change.
  const viewer = user ? { emailVerified: user.emailVerified } : null;
  if (purpose?.kind === "verify-email" || purpose?.kind === "email-change") {
    const change = purpose.kind === "email-change";
    const owner = change ? null : await accountToVerify(getDb(), purpose.email);
    const account = owner && { ...owner, canReset: getConfig().passwordAuth };
    return { valid: true as const, token, email: purpose.email, change, account, viewer };
  }
  // The same page as a failed POST, and the same status: the link did not work.
  return data({ valid: false as const, viewer }, { status: 400 });
}

export async function action({ request, context }: Route.ActionArgs) {
  const formData = await readForm({ request, context });
  const db = getDb();
  const user = getOptionalUser({ context });
  const back = safeRedirect(formData.get("redirectTo"), "/verify-email");

  if (formData.get("intent") !== "resend") {
    const outcome = await confirmEmail(db, String(formData.get("token") ?? ""));
    if (!outcome.ok) {
      const problem =
        outcome.reason === "taken"
          ? "That email address now belongs to another account, so it cannot become yours."
          : null;
      return data({ problem, result: undefined }, { status: 400 });
    }
    const target = !user ? "/login" : outcome.kind === "email-change" ? "/settings" : "/";
    const message =
      outcome.kind === "email-change"
        ? `Your email address is now ${outcome.email}.`
        : `Thank you: ${outcome.email} is verified.`;
    throw redirect(target, { headers: await flashHeaders(message) });
  }

  // "Send a new link": to the signed-in user's address, or to the one typed in.
  let address: string;
  if (user) {
    if (user.emailVerified) {
      throw redirect(back, { headers: await flashHeaders("Your email address is verified.") });
    }
    address = user.email;
  } else {
    const submission = parseForm(formData, emailOnlySchema);
    if (submission.status !== "success") {
      return data({ problem: null, result: submission.reply() }, { status: 400 });
    }
    address = submission.value.email;
  }
  const ip = clientIp(context);
  const sent = await requestVerificationMail(db, address, ip);
  // Signed out, the address's own limit is silent (see MailRequest).
  if (!sent.ok && (user || sent.limit === "mailIp")) {
    throw redirect(back, { headers: await flashHeaders(retryMessage(sent.retryAfterMs), "error") });
  }
  // Signed out, the answer is the same whether or not the address has an unverified account.
  const message = user
    ? `We sent a new link to ${address}. It works for 24 hours.`
    : `If ${address} has an account waiting for verification, we sent it a new link.`;
  throw redirect(back, { headers: await flashHeaders(message) });
}

export default function VerifyEmail({ loaderData, actionData }: Route.ComponentProps) {
  if (!loaderData.valid || actionData) {
    return (
      <InvalidLink
        problem={actionData?.problem ?? null}
        result={actionData?.result}
        viewer={loaderData.viewer}
      />
    );
  }
  return (
    <section className="card mx-auto max-w-md" aria-labelledby="verify-title">
      <h1 id="verify-title" className="text-2xl font-bold">
        {loaderData.change ? "Confirm your new email address" : "Verify your email address"}
      </h1>
      <p className="mt-3 text-slate-600 dark:text-slate-300">
        {loaderData.change
          ? `Make ${loaderData.email} the email address of your account.`
          : `Confirm that ${loaderData.email} is your email address.`}
      </p>
      {loaderData.account ? (
        <p
          className="mt-3 text-sm text-slate-600 dark:text-slate-300"
          data-testid="account-to-verify"
        >
          It belongs to the account <strong>{loaderData.account.name}</strong>, signed up{" "}
          <DateTime value={loaderData.account.createdAt} />. If you did not sign up, do not confirm
          {loaderData.account.canReset ? (
            <>
              :{" "}
              <Link to="/forgot-password" className="link">
                reset the password
              </Link>{" "}
              instead, which makes the account yours and signs out whoever made it.
            </>
          ) : (
            "."
          )}
        </p>
      ) : null}
      <Form method="post" className="mt-6">
        <input type="hidden" name="token" value={loaderData.token} />
        <SubmitButton pendingLabel="Confirming…" className="btn btn-primary w-full">
          Confirm email address
        </SubmitButton>
      </Form>
    </section>
  );
}

function InvalidLink({
  problem,
  result,
  viewer,
}: {
  problem: string | null;
  result: SubmissionResult<string[]> | undefined;
  viewer: { emailVerified: boolean } | null;
}) {
  const signedIn = viewer !== null;
  const [form, fields] = useSchemaForm(emailOnlySchema, {
    lastResult: result,
  });
  return (
    <section className="card mx-auto max-w-md" aria-labelledby="invalid-title">
      <h1 id="invalid-title" className="text-2xl font-bold">
        This link does not work
      </h1>
      <p className="mt-3 text-slate-600 dark:text-slate-300">
        {problem ??
          "It has expired, was already used, or was changed on the way. A link works for 24 hours, once, and only the newest one we sent works."}
      </p>
      {viewer?.emailVerified ? (
        <Link to="/settings" className="btn btn-primary mt-6 w-full">
          Ask for a new link in Settings
        </Link>
      ) : (
        <Form
          method="post"
          action="/verify-email"
          {...(signedIn ? {} : getFormProps(form))}
          className="mt-6 space-y-4"
        >
          <input type="hidden" name="intent" value="resend" />
          {signedIn ? null : (
            <>
              <FormErrors id={form.errorId} errors={form.errors} />
              <TextField label="Email" type="email" meta={fields.email} autoComplete="email" />
            </>
          )}
          <SubmitButton pendingLabel="Sending…" className="btn btn-primary w-full">
            Send a new link
          </SubmitButton>
        </Form>
      )}
    </section>
  );
}
