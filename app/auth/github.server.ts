import {
  ArcticFetchError,
  GitHub,
  OAuth2RequestError,
  OAuth2Tokens,
  UnexpectedErrorResponseBodyError,
  UnexpectedResponseError,
} from "arctic";
import { Authenticator } from "remix-auth";
import { GitHubStrategy } from "remix-auth-github";
import { getConfig, githubCallbackPath } from "~/config.server";
import {
  GITHUB_TIMEOUT_MS,
  getAuthenticatedUser,
  getUserEmails,
  type GitHubEmail,
  type GitHubUser,
} from "~/github/client.server";

/** What GitHub tells us about the person signing in. */
export interface GitHubIdentity {
  profile: GitHubUser;
  emails: GitHubEmail[];
  tokens: {
    accessToken: string;
    refreshToken: string | null;
    accessTokenExpiresAt: Date | null;
    refreshTokenExpiresAt: Date | null;
    scope: string | null;
  };
}

export const oauthStateCookieName = "smtg_github_oauth";

/**
 * arctic's GitHub client with configurable endpoints (github.com, GitHub Enterprise Server,
 * the stand-in) and a timeout on the token request.
 */
class ConfigurableGitHubClient extends GitHub {
  constructor(
    private readonly oauthClientId: string,
    private readonly oauthClientSecret: string,
    private readonly callbackUrl: string,
    private readonly webUrl: string,
  ) {
    super(oauthClientId, oauthClientSecret, callbackUrl);
  }

  override createAuthorizationURL(state: string, scopes: string[]): URL {
    const url = super.createAuthorizationURL(state, scopes);
    return new URL(`${this.webUrl}/login/oauth/authorize${url.search}`);
  }

  override validateAuthorizationCode(code: string): Promise<OAuth2Tokens> {
    return this.requestTokens({
      grant_type: "authorization_code",
      code,
      redirect_uri: this.callbackUrl,
    });
  }

  override refreshAccessToken(refreshToken: string): Promise<OAuth2Tokens> {
    return this.requestTokens({
      grant_type: "refresh_token",
      refresh_token: refreshToken,
    });
  }

  private async requestTokens(params: Record<string, string>): Promise<OAuth2Tokens> {
    let response: Response;
    try {
      response = await fetch(`${this.webUrl}/login/oauth/access_token`, {
        method: "POST",
        headers: {
          Accept: "application/json",
          "Content-Type": "application/x-www-form-urlencoded",
          Authorization: `Basic ${btoa(`${this.oauthClientId}:${this.oauthClientSecret}`)}`,
          "User-Agent": "smtg-notion",
        },
        body: new URLSearchParams(params),
        signal: AbortSignal.timeout(GITHUB_TIMEOUT_MS),
      });
    } catch (error) {
      throw new ArcticFetchError(error);
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new UnexpectedResponseError(response.status);
    }
    const data: unknown = await response.json().catch(() => null);
    if (typeof data !== "object" || data === null) {
      throw new UnexpectedErrorResponseBodyError(response.status, data);
    }
    // GitHub reports token errors with status 200 and an error body.
    if ("error" in data && typeof data.error === "string") {
      const description = "error_description" in data ? String(data.error_description) : null;
      throw new OAuth2RequestError(data.error, description, null, null);
    }
    return new OAuth2Tokens(data);
  }
}

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

function tokensOf(tokens: OAuth2Tokens): GitHubIdentity["tokens"] {
  const data = tokens.data as Record<string, unknown>;
  const secondsFromNow = (value: unknown) =>
    typeof value === "number" ? new Date(Date.now() + value * 1000) : null;
  return {
    accessToken: tokens.accessToken(),
    refreshToken: typeof data.refresh_token === "string" ? data.refresh_token : null,
    accessTokenExpiresAt: secondsFromNow(data.expires_in),
    refreshTokenExpiresAt: secondsFromNow(data.refresh_token_expires_in),
    scope: typeof data.scope === "string" ? data.scope : null,
  };
}

let authenticator: Authenticator<GitHubIdentity> | undefined;
let strategy: ConfigurableGitHubStrategy<GitHubIdentity> | undefined;

/** remix-auth with the GitHub strategy; null when GitHub sign-in is not configured. */
export function getAuthenticator(): Authenticator<GitHubIdentity> | null {
  const config = getConfig();
  if (!config.github) return null;
  if (authenticator) return authenticator;
  const github = config.github;
  authenticator = new Authenticator<GitHubIdentity>();
  strategy = new ConfigurableGitHubStrategy<GitHubIdentity>(
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

/** New tokens for an expiring GitHub App user token, from its refresh token. */
export async function refreshGitHubTokens(refreshToken: string): Promise<GitHubIdentity["tokens"]> {
  if (!getAuthenticator() || !strategy) throw new Error("GitHub sign-in is not configured");
  return tokensOf(await strategy.refreshToken(refreshToken));
}
