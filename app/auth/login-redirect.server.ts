import { createCookie } from "react-router";
import { getConfig, githubCallbackPath } from "~/config.server";
import { oauthStateCookieName } from "./github.server";
import { safeRedirect } from "./guards.server";

// Where to land after signing in, carried from /login to the OAuth callback.
function loginRedirectCookie() {
  return createCookie("smtg_login_redirect", {
    httpOnly: true,
    sameSite: "lax",
    path: githubCallbackPath,
    maxAge: 10 * 60,
    secure: getConfig().secureCookies,
  });
}

export function serializeLoginRedirect(target: string): Promise<string> {
  return loginRedirectCookie().serialize(safeRedirect(target));
}

export async function readLoginRedirect(request: Request): Promise<string> {
  return safeRedirect(await loginRedirectCookie().parse(request.headers.get("Cookie")));
}

/** Both cookies of the OAuth round trip, cleared once the callback has run. */
export async function clearedSignInCookies(): Promise<string[]> {
  const secure = getConfig().secureCookies ? "; Secure" : "";
  return [
    await loginRedirectCookie().serialize("", { maxAge: 0 }),
    `${oauthStateCookieName}=; Path=${githubCallbackPath}; Max-Age=0; HttpOnly; SameSite=Lax${secure}`,
  ];
}
