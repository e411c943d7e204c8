import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { parseForm, readForm } from "~/web/form.server";
import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/login";
import { verifyCredentials } from "~/auth/credentials.server";
import { refuseWhenHashingIsFull } from "~/auth/password.server";
import { requireAnonymous, requirePasswordAuth, startSession } from "~/auth/guards.server";
import { clientIp } from "~/web/request-context.server";
import { safeRedirect } from "~/web/safe-redirect";
import { startGitHubAuthorization } from "~/auth/login-redirect.server";
import { release, reserveAttempt, resetAttempts } from "~/auth/rate-limit.server";
import { keepRetryAfter, tooManyAttempts } from "~/web/too-many-attempts";
import { signInProblemMessage } from "~/auth/sign-in-problems";
import { signInSchema } from "~/auth/validation";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/client.server";
import { replyWithoutPasswords } from "~/web/password-reply";
import { useSchemaForm } from "~/ui/schema-form";
import { FormErrors, TextField } from "~/ui/field";
import { SubmitButton } from "~/ui/submit-button";

export const meta: Route.MetaFunction = () => [{ title: "Sign in · SMTG Notion" }];

export function loader(args: Route.LoaderArgs) {
  requireAnonymous(args);
  const config = getConfig();
  return {
    problem: signInProblemMessage(args.url.searchParams.get("error")),
    redirectTo: safeRedirect(args.url.searchParams.get("redirectTo"), ""),
    github: config.github ? { sandbox: config.github.sandbox } : null,
    passwordAuth: config.passwordAuth,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const form = await readForm({ request, context });
  if (form.get("intent") === "password") return signInWithPassword(request, context, form);
  // GitHub: a sign-in or, signed in, the renewal of an expired connection (agent pages).
  return startGitHubAuthorization(request, String(form.get("redirectTo") ?? "/"));
}

async function signInWithPassword(
  request: Request,
  context: Route.ActionArgs["context"],
  form: FormData,
) {
  requirePasswordAuth();
  const submission = parseForm(form, signInSchema);
  if (submission.status !== "success") {
    return data({ result: replyWithoutPasswords(submission, ["password"]) }, { status: 400 });
  }
  refuseWhenHashingIsFull();
  const db = getDb();
  const { email } = submission.value;
  const ip = clientIp(context);
  const attempt = await reserveAttempt(db, [
    { limit: "signInEmail", key: email },
    { limit: "signInIp", key: ip },
  ]);
  if (!attempt.allowed) {
    return tooManyAttempts(submission, attempt.retryAfterMs, ["password"]);
  }

  const userId = await verifyCredentials(db, email, submission.value.password);
  if (!userId) {
    // The attempt stays counted against the email and the IP address.
    const result = replyWithoutPasswords(submission, ["password"], {
      formErrors: ["Wrong email or password."],
    });
    return data({ result }, { status: 401 });
  }
  await resetAttempts(db, { limit: "signInEmail", key: email });
  await release(db, attempt.ids);
  const headers = await startSession(request, context, userId);
  throw redirect(safeRedirect(submission.value.redirectTo), { headers });
}

export const headers = keepRetryAfter;

export default function Login({ loaderData, actionData }: Route.ComponentProps) {
  const { problem, redirectTo, github, passwordAuth } = loaderData;
  return (
    <section className="mx-auto max-w-md" aria-labelledby="login-title">
      <div className="card">
        <h1 id="login-title" className="text-2xl font-bold">
          Sign in to SMTG Notion
        </h1>
        <p className="mt-2 text-slate-600 dark:text-slate-300">
          Run meetings with your AI agents.{" "}
          {passwordAuth
            ? "Sign in with your email and password or with GitHub."
            : "Sign in with your GitHub account to continue."}
        </p>
        {problem ? (
          <p
            role="alert"
            className="mt-4 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
          >
            {problem}
          </p>
        ) : null}
        {passwordAuth ? (
          <PasswordSignIn lastResult={actionData?.result} redirectTo={redirectTo} />
        ) : null}
        {github ? (
          // A full-page POST: the answer is a redirect to GitHub that sets the state cookie.
          <Form method="post" className="mt-6" reloadDocument>
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <button
              type="submit"
              className={`btn w-full ${passwordAuth ? "btn-secondary" : "btn-primary"}`}
            >
              Sign in with GitHub
            </button>
          </Form>
        ) : (
          <p className="mt-6 text-sm">
            GitHub sign-in is turned off on this server (no GITHUB_CLIENT_ID, and
            GITHUB_SANDBOX=off).
          </p>
        )}
      </div>
      {github?.sandbox ? (
        <aside
          className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
          aria-label="Sandbox mode"
        >
          <p className="font-semibold">Local sandbox: no real GitHub involved.</p>
          <p className="mt-1">
            Sign-in goes through a GitHub stand-in built into this server, where you can pick or
            create a test user. To use real GitHub, create an OAuth app and set GITHUB_CLIENT_ID and
            GITHUB_CLIENT_SECRET (see the README).
          </p>
        </aside>
      ) : null}
    </section>
  );
}

function PasswordSignIn({
  lastResult,
  redirectTo,
}: {
  lastResult: SubmissionResult<string[]> | undefined;
  redirectTo: string;
}) {
  const [form, fields] = useSchemaForm(signInSchema, {
    lastResult,
  });
  const signUpHref = redirectTo ? `/signup?${new URLSearchParams({ redirectTo })}` : "/signup";
  return (
    <>
      <Form method="post" {...getFormProps(form)} className="mt-6 space-y-4">
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField label="Email" type="email" meta={fields.email} autoComplete="email" />
        <TextField
          key={form.key}
          label="Password"
          type="password"
          meta={fields.password}
          autoComplete="current-password"
        />
        <SubmitButton
          pendingLabel="Signing in…"
          intent="password"
          className="btn btn-primary w-full"
        >
          Sign in
        </SubmitButton>
      </Form>
      <p className="mt-3 flex justify-between text-sm">
        <Link to="/forgot-password" className="link">
          Forgot password?
        </Link>
        <Link to={signUpHref} className="link">
          Create an account
        </Link>
      </p>
      <p className="mt-6 text-center text-xs uppercase tracking-wide text-slate-500">or</p>
    </>
  );
}
