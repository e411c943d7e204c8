import { Authenticator } from "remix-auth";
import { GitHubStrategy } from "remix-auth-github";
import { getConfig, githubCallbackPath } from "~/config.server";
import {
  getAuthenticatedUser,
  getUserEmails,
  type GitHubEmail,
  type GitHubUser,
} from "~/github/client.server";
import { ConfigurableGitHubClient, tokensOf, type GitHubTokens } from "~/github/oauth.server";

/** What GitHub tells us about the person signing in. */
export interface GitHubIdentity {
  profile: GitHubUser;
  emails: GitHubEmail[];
  tokens: GitHubTokens;
}

export const oauthStateCookieName = "smtg_github_oauth";

class ConfigurableGitHubStrategy<User> extends GitHubStrategy<User> {
  constructor(
    options: GitHubStrategy.ConstructorOptions & { webUrl: string },
    verify: ConstructorParameters<typeof GitHubStrategy<User>>[1],
  ) {
    super(options, verify);
    this.client = new ConfigurableGitHubClient(
      options.clientId,
      options.clientSecret,
      options.redirectURI.toString(),
      options.webUrl,
    );
  }
}

let authenticator: Authenticator<GitHubIdentity> | undefined;

/** remix-auth with the GitHub strategy; null when GitHub sign-in is not configured. */
export function getAuthenticator(): Authenticator<GitHubIdentity> | null {
  const config = getConfig();
  if (!config.github) return null;
  if (authenticator) return authenticator;
  const github = config.github;
  authenticator = new Authenticator<GitHubIdentity>();
  const strategy = new ConfigurableGitHubStrategy<GitHubIdentity>(
    {
      clientId: github.clientId,
      clientSecret: github.clientSecret,
      redirectURI: `${config.appUrl}${githubCallbackPath}`,
      scopes: github.scopes as GitHubStrategy.Scope[],
      webUrl: github.url,
      cookie: {
        name: oauthStateCookieName,
        path: githubCallbackPath,
        ...(config.secureCookies ? { secure: true } : {}),
      },
    },
    async ({ tokens }) => {
      const accessToken = tokens.accessToken();
      const [profile, emails] = await Promise.all([
        getAuthenticatedUser(accessToken),
        getUserEmails(accessToken),
      ]);
      return { profile, emails, tokens: tokensOf(tokens) };
    },
  );
  authenticator.use(strategy, "github");
  return authenticator;
}
