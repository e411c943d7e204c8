import {
  ArcticFetchError,
  OAuth2RequestError,
  UnexpectedErrorResponseBodyError,
  UnexpectedResponseError,
} from "arctic";
import { redirect } from "react-router";
import type { Route } from "./+types/github-callback";
import { getAuthenticator } from "~/auth/github.server";
import { getOptionalUser, sessionIdContext } from "~/auth/guards.server";
import { clientInfo } from "~/web/request-context.server";
import { clearedSignInCookies, readLoginRedirect } from "~/auth/login-redirect.server";
import { notifyGitHubConnected } from "~/auth/mail-links.server";
import { serializeSessionCookie } from "~/auth/session.server";
import {
  connectGitHub,
  SignInRefused,
  signInWithGitHub,
  type GitHubLinkOutcome,
} from "~/auth/sign-in.server";
import { signInProblems, type SignInProblem } from "~/auth/sign-in-problems";
import { getDb } from "~/db/client.server";
import { GitHubError } from "~/github/client.server";
import { flashHeaders } from "~/web/flash.server";
import { getLogger } from "~/log.server";

export async function loader({ request, context }: Route.LoaderArgs) {
  const authenticator = getAuthenticator();
  if (!authenticator) throw new Response("GitHub sign-in is not configured.", { status: 404 });
  const headers = new Headers();
  for (const cookie of await clearedSignInCookies()) headers.append("Set-Cookie", cookie);

  const signedIn = getOptionalUser({ context });
  const { target, connectFor } = await readLoginRedirect(request);
  try {
    const identity = await authenticator.authenticate("github", request);
    if (signedIn) {
      // A signed-in user connecting GitHub (settings) or renewing its token (reconnect).
      const sessionId = context.get(sessionIdContext)!;
      const outcome = await connectGitHub(getDb(), { userId: signedIn.id, sessionId }, identity, {
        confirmed: connectFor === sessionId,
      });
      if (outcome === "connected") notifyGitHubConnected(signedIn.email, identity.profile.login);
      const kind = outcome === "connected" || outcome === "renewed" ? "success" : "error";
      const flash = await flashHeaders(connectMessages[outcome], kind);
      headers.append("Set-Cookie", flash["Set-Cookie"]);
      return redirect(outcome === "signed_out" ? "/login" : target, { headers });
    }
    const session = await signInWithGitHub(getDb(), identity, clientInfo(request, context));
    headers.append("Set-Cookie", await serializeSessionCookie(session.token, session.expiresAt));
    return redirect(target, { headers });
  } catch (error) {
    // Without a `state` the strategy would start a new flow by redirecting to GitHub.
    const problem = error instanceof Response ? "state" : problemOf(error);
    if (problem === "failed") getLogger().error({ err: error }, "GitHub sign-in failed");
    if (signedIn) {
      const flash = await flashHeaders(signInProblems[problem], "error");
      headers.append("Set-Cookie", flash["Set-Cookie"]);
      return redirect(target, { headers });
    }
    return redirect(`/login?error=${problem}`, { headers });
  }
}

const connectMessages: Record<GitHubLinkOutcome, string> = {
  connected: "GitHub is connected to your account.",
  renewed: "Your GitHub connection was renewed.",
  taken:
    "That GitHub account is connected to another SMTG Notion account. Sign in there and disconnect it first.",
  other_account:
    "Your account is connected to a different GitHub account. Disconnect it in Settings first.",
  unverified: "Verify your email address first (open the link we mailed you), then connect GitHub.",
  unconfirmed:
    "GitHub was not connected: connect it from Settings → Connected accounts, where we ask for your password.",
  signed_out: "This session was signed out, so GitHub was not connected.",
};

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
