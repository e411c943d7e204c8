import { createGitHubStandIn, type GitHubStandIn } from "../github-stand-in/server";

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
