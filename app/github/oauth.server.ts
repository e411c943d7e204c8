import {
  ArcticFetchError,
  GitHub,
  OAuth2RequestError,
  OAuth2Tokens,
  UnexpectedErrorResponseBodyError,
  UnexpectedResponseError,
} from "arctic";
import { getConfig, githubCallbackPath } from "~/config.server";
import { GITHUB_TIMEOUT_MS } from "./client.server";

// GitHub's OAuth token endpoint: exchanging a sign-in's code (through remix-auth-github's
// strategy) and renewing an expiring token with its refresh token.

/** The tokens GitHub grants, with their expiry times. */
export interface GitHubTokens {
  accessToken: string;
  refreshToken: string | null;
  accessTokenExpiresAt: Date | null;
  refreshTokenExpiresAt: Date | null;
  scope: string | null;
}

/**
 * arctic's GitHub client with configurable endpoints (github.com, GitHub Enterprise Server,
 * the stand-in) and a timeout on the token request.
 */
export class ConfigurableGitHubClient extends GitHub {
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

export function tokensOf(tokens: OAuth2Tokens): GitHubTokens {
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

/** New tokens for an expiring GitHub App user token, from its refresh token. */
export async function refreshGitHubTokens(refreshToken: string): Promise<GitHubTokens> {
  const config = getConfig();
  if (!config.github) throw new Error("GitHub sign-in is not configured");
  const { clientId, clientSecret, url } = config.github;
  const client = new ConfigurableGitHubClient(
    clientId,
    clientSecret,
    `${config.appUrl}${githubCallbackPath}`,
    url,
  );
  return tokensOf(await client.refreshAccessToken(refreshToken));
}
