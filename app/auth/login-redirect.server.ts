import { createCookie } from "react-router";
import { getConfig, githubCallbackPath } from "~/config.server";
import { getAuthenticator, oauthStateCookieName } from "./github.server";
import { safeRedirect } from "~/web/safe-redirect";

// The OAuth round trip to GitHub: where to land afterwards and, when a signed-in user asked to
// connect GitHub in settings, the session that asked. Carried from the start to the callback in
// a signed cookie.

export interface LoginRedirect {
  target: string;
  /** The session that confirmed connecting a new GitHub account (settings), if any. */
  connectFor: string | null;
}

function loginRedirectCookie() {
  return createCookie("smtg_login_redirect", {
    httpOnly: true,
    sameSite: "lax",
    path: githubCallbackPath,
    maxAge: 10 * 60,
    secure: getConfig().secureCookies,
    secrets: [getConfig().sessionSecret],
  });
}

/**
 * Sends the browser to GitHub's authorization page. The callback lands on `target`; with
 * `connectFor`, it may connect a new GitHub account to that session's user. `extraScopes` are
 * asked for besides the configured ones (incremental authorization: the caller includes the
 * scopes already granted, so none is lost).
 */
export async function startGitHubAuthorization(
  request: Request,
  target: string,
  connectFor: string | null = null,
  extraScopes: string[] = [],
): Promise<Response> {
  const authenticator = getAuthenticator();
  if (!authenticator) throw new Response("GitHub sign-in is not configured.", { status: 404 });
  try {
    // The first step needs only the address and the cookies; the form may be read already.
    await authenticator.authenticate(
      "github",
      new Request(request.url, { headers: request.headers }),
    );
  } catch (response) {
    // The strategy answers the first step by redirecting to GitHub.
    if (response instanceof Response && response.status === 302) {
      if (extraScopes.length > 0) withScopes(response, extraScopes);
      const redirect: LoginRedirect = { target: safeRedirect(target), connectFor };
      response.headers.append("Set-Cookie", await loginRedirectCookie().serialize(redirect));
      return response;
    }
    throw response;
  }
  throw new Response("Unexpected sign-in state", { status: 500 });
}

function withScopes(response: Response, extra: string[]): void {
  const location = new URL(response.headers.get("Location")!);
  const asked = (location.searchParams.get("scope") ?? "").split(/[\s,]+/).filter(Boolean);
  location.searchParams.set("scope", [...new Set([...asked, ...extra])].join(" "));
  response.headers.set("Location", location.toString());
}

export async function readLoginRedirect(request: Request): Promise<LoginRedirect> {
  const value: unknown = await loginRedirectCookie().parse(request.headers.get("Cookie"));
  const stored =
    typeof value === "object" && value !== null ? (value as Partial<LoginRedirect>) : {};
  return {
    target: safeRedirect(typeof stored.target === "string" ? stored.target : null),
    connectFor: typeof stored.connectFor === "string" ? stored.connectFor : null,
  };
}

/** Both cookies of the OAuth round trip, cleared once the callback has run. */
export async function clearedSignInCookies(): Promise<string[]> {
  const secure = getConfig().secureCookies ? "; Secure" : "";
  return [
    await loginRedirectCookie().serialize("", { maxAge: 0 }),
    `${oauthStateCookieName}=; Path=${githubCallbackPath}; Max-Age=0; HttpOnly; SameSite=Lax${secure}`,
  ];
}
