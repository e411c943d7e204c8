import {
  ArcticFetchError,
  OAuth2RequestError,
  UnexpectedErrorResponseBodyError,
  UnexpectedResponseError,
} from "arctic";
import { redirect } from "react-router";
import type { Route } from "./+types/auth.github.callback";
import { getAuthenticator } from "~/auth/github.server";
import { clientInfo } from "~/auth/guards.server";
import { clearedSignInCookies, readLoginRedirect } from "~/auth/login-redirect.server";
import { deleteSession, readSessionToken, serializeSessionCookie } from "~/auth/session.server";
import { SignInRefused, signInWithGitHub } from "~/auth/sign-in.server";
import type { SignInProblem } from "~/auth/sign-in-problems";
import { getDb } from "~/db/client.server";
import { GitHubError } from "~/github/client.server";

export async function loader({ request, context }: Route.LoaderArgs) {
  const authenticator = getAuthenticator();
  if (!authenticator) throw new Response("GitHub sign-in is not configured.", { status: 404 });
  const headers = new Headers();
  for (const cookie of await clearedSignInCookies()) headers.append("Set-Cookie", cookie);

  try {
    const identity = await authenticator.authenticate("github", request);
    const session = await signInWithGitHub(getDb(), identity, clientInfo(request, context));
    // Signing in again (for example to reconnect GitHub) replaces the session it came from.
    const previous = await readSessionToken(request);
    if (previous) await deleteSession(getDb(), previous);
    headers.append("Set-Cookie", await serializeSessionCookie(session.token, session.expiresAt));
    return redirect(await readLoginRedirect(request), { headers });
  } catch (error) {
    // Without a `state` the strategy would start a new flow by redirecting to GitHub.
    if (error instanceof Response) return redirect("/login?error=state", { headers });
    const problem = problemOf(error);
    if (problem === "failed") console.error("GitHub sign-in failed:", error);
    return redirect(`/login?error=${problem}`, { headers });
  }
}

function problemOf(error: unknown): SignInProblem {
  if (error instanceof SignInRefused) return error.reason;
  if (error instanceof OAuth2RequestError) {
    if (error.code === "access_denied") return "denied";
    if (error.code === "bad_verification_code") return "expired_code";
    if (error.code === "incorrect_client_credentials" || error.code === "redirect_uri_mismatch") {
      return "misconfigured";
    }
    return "failed";
  }
  // remix-auth-github's own checks of the callback URL against its state cookie.
  if (
    error instanceof Error &&
    [
      "Missing state on cookie.",
      "State in URL doesn't match state in cookie.",
      "Missing code in the URL",
    ].includes(error.message)
  ) {
    return "state";
  }
  if (
    error instanceof ArcticFetchError ||
    error instanceof UnexpectedResponseError ||
    error instanceof UnexpectedErrorResponseBodyError ||
    error instanceof GitHubError
  ) {
    return "github_unavailable";
  }
  return "failed";
}
