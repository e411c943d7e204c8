import { getAuthenticator, type GitHubIdentity } from "~/auth/github.server";
import { getAuthenticatedUser, getUserEmails } from "~/github/client.server";
import { createGitHubStandIn, type GitHubStandIn } from "~/sandbox/github/server";

export const testClient = {
  clientId: "integration-client",
  clientSecret: "integration-secret",
  appUrl: "http://localhost:3999",
};

/**
 * Starts the GitHub stand-in on a free port and points the app's configuration at it, as a
 * deployment would through GITHUB_URL and GITHUB_API_URL. Call before anything reads the config.
 */
export async function startGitHubStandIn(
  options: { scopes?: string; expiringTokens?: boolean } = {},
): Promise<{ standIn: GitHubStandIn; url: string; close(): Promise<void> }> {
  const standIn = createGitHubStandIn({
    clients: [
      {
        clientId: testClient.clientId,
        clientSecret: testClient.clientSecret,
        callbackUrl: `${testClient.appUrl}/auth/github/callback`,
        expiringTokens: options.expiringTokens,
      },
    ],
  });
  const server = await standIn.listen();
  Object.assign(process.env, {
    APP_URL: testClient.appUrl,
    GITHUB_CLIENT_ID: testClient.clientId,
    GITHUB_CLIENT_SECRET: testClient.clientSecret,
    GITHUB_URL: server.url,
    GITHUB_API_URL: `${server.url}/api/v3`,
    GITHUB_SCOPES: options.scopes ?? "read:user user:email",
  });
  return { standIn, url: server.url, close: server.close };
}

/**
 * The first two steps of a sign-in: the app's redirect to GitHub (with its state cookie) and a
 * person approving on the stand-in. Returns the callback URL GitHub sends the browser to.
 */
export async function approveOnGitHub(login: string) {
  const start = (await getAuthenticator()!
    .authenticate("github", new Request(`${testClient.appUrl}/login`, { method: "POST" }))
    .catch((response: unknown) => response)) as Response;
  const authorizeUrl = new URL(start.headers.get("Location")!);
  const stateCookie = start.headers.get("Set-Cookie")!.split(";")[0]!;
  const form = new URLSearchParams(authorizeUrl.searchParams);
  form.set("decision", "approve");
  form.set("login", login);
  form.set("email_verified", "1");
  const endpoint = authorizeUrl.origin + authorizeUrl.pathname;
  const approved = await fetch(endpoint, { method: "POST", body: form, redirect: "manual" });
  return { authorizeEndpoint: endpoint, callback: approved.headers.get("Location")!, stateCookie };
}

/** The last step: the callback, which exchanges the code and fetches the profile. */
export function finishSignIn(callback: string, cookie: string) {
  return getAuthenticator()!.authenticate(
    "github",
    new Request(callback, { headers: { Cookie: cookie } }),
  );
}

/**
 * What the GitHub strategy hands over after a token exchange: a token the stand-in issued for
 * `login`, and the profile and emails fetched with it.
 */
export async function identityOf(
  standIn: GitHubStandIn,
  login: string,
  scope = "read:user,user:email",
): Promise<GitHubIdentity> {
  const token = standIn.issueToken(login, scope.split(","));
  const [profile, emails] = await Promise.all([getAuthenticatedUser(token), getUserEmails(token)]);
  return {
    profile,
    emails,
    tokens: {
      accessToken: token,
      refreshToken: null,
      accessTokenExpiresAt: null,
      refreshTokenExpiresAt: null,
      scope,
    },
  };
}
