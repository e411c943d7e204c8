import { Form } from "react-router";
import type { Route } from "./+types/login";
import { getAuthenticator } from "~/auth/github.server";
import { requireAnonymous, safeRedirect } from "~/auth/guards.server";
import { serializeLoginRedirect } from "~/auth/login-redirect.server";
import { signInProblemMessage } from "~/auth/sign-in-problems";
import { getConfig } from "~/config.server";

export const meta: Route.MetaFunction = () => [{ title: "Sign in · SMTG Notion" }];

export function loader(args: Route.LoaderArgs) {
  requireAnonymous(args);
  const github = getConfig().github;
  return {
    problem: signInProblemMessage(args.url.searchParams.get("error")),
    redirectTo: safeRedirect(args.url.searchParams.get("redirectTo"), ""),
    github: github ? { sandbox: github.sandbox } : null,
  };
}

export async function action({ request }: Route.ActionArgs) {
  const authenticator = getAuthenticator();
  if (!authenticator) throw new Response("GitHub sign-in is not configured.", { status: 404 });
  const form = await request
    .clone()
    .formData()
    .catch(() => new FormData());
  try {
    await authenticator.authenticate("github", request);
  } catch (response) {
    // The strategy answers the first step by redirecting to GitHub.
    if (response instanceof Response && response.status === 302) {
      response.headers.append(
        "Set-Cookie",
        await serializeLoginRedirect(String(form.get("redirectTo") ?? "/")),
      );
      return response;
    }
    throw response;
  }
  throw new Response("Unexpected sign-in state", { status: 500 });
}

export default function Login({ loaderData }: Route.ComponentProps) {
  const { problem, redirectTo, github } = loaderData;
  return (
    <section className="mx-auto max-w-md" aria-labelledby="login-title">
      <div className="card">
        <h1 id="login-title" className="text-2xl font-bold">
          Sign in to SMTG Notion
        </h1>
        <p className="mt-2 text-slate-600 dark:text-slate-300">
          Run meetings with your AI agents. Sign in with your GitHub account to continue.
        </p>
        {problem ? (
          <p
            role="alert"
            className="mt-4 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
          >
            {problem}
          </p>
        ) : null}
        {github ? (
          // A full-page POST: the answer is a redirect to GitHub that sets the state cookie.
          <Form method="post" className="mt-6" reloadDocument>
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <button type="submit" className="btn btn-primary w-full">
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
