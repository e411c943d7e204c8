import { createHash } from "node:crypto";
import { getConfig } from "~/config.server";

// The one way the app talks to GitHub's REST API. The base URL comes from configuration, so
// github.com, GitHub Enterprise Server and our stand-in are the same code path.

export const GITHUB_TIMEOUT_MS = 5000;

export type GitHubErrorKind =
  "unauthorized" | "not_found" | "gone" | "forbidden" | "invalid" | "rate_limited" | "unavailable";

export class GitHubError extends Error {
  name = "GitHubError";
  constructor(
    readonly kind: GitHubErrorKind,
    message: string,
    readonly status?: number,
    /** For "rate_limited": when GitHub takes requests again. */
    readonly resetAt?: Date,
  ) {
    super(message);
  }
}

const apiHeaders = (token: string) => ({
  Accept: "application/vnd.github+json",
  "X-GitHub-Api-Version": "2022-11-28",
  Authorization: `Bearer ${token}`,
  "User-Agent": "smtg-notion",
});

function unreachable(error: unknown): GitHubError {
  const timedOut = error instanceof Error && error.name === "TimeoutError";
  return new GitHubError(
    "unavailable",
    timedOut ? "GitHub did not answer in time" : "GitHub could not be reached",
  );
}

export interface GitHubUser {
  id: number;
  login: string;
  name: string | null;
  avatar_url: string;
}

export interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

export async function githubGet<T>(
  path: string,
  token: string,
  options: { etag?: string; timeoutMs?: number } = {},
): Promise<{ status: 200; data: T; etag: string | null } | { status: 304 }> {
  const apiUrl = getConfig().github?.apiUrl;
  if (!apiUrl) throw new GitHubError("unavailable", "GitHub is not configured");
  let response: Response;
  try {
    response = await fetch(`${apiUrl}${path}`, {
      headers: {
        ...apiHeaders(token),
        ...(options.etag ? { "If-None-Match": options.etag } : {}),
      },
      signal: AbortSignal.timeout(options.timeoutMs ?? GITHUB_TIMEOUT_MS),
    });
  } catch (error) {
    throw unreachable(error);
  }
  if (response.status === 304) return { status: 304 };
  if (response.ok) {
    return {
      status: 200,
      data: (await response.json()) as T,
      etag: response.headers.get("ETag"),
    };
  }
  await response.body?.cancel();
  throw errorFor(response);
}

/** POST `body` as JSON; GitHub's answer, or a GitHubError. Not retried: it may create things. */
export async function githubPost<T>(
  path: string,
  token: string,
  body: unknown,
  options: { timeoutMs?: number } = {},
): Promise<T> {
  const apiUrl = getConfig().github?.apiUrl;
  if (!apiUrl) throw new GitHubError("unavailable", "GitHub is not configured");
  let response: Response;
  try {
    response = await fetch(`${apiUrl}${path}`, {
      method: "POST",
      headers: { ...apiHeaders(token), "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? GITHUB_TIMEOUT_MS),
    });
  } catch (error) {
    throw unreachable(error);
  }
  if (response.ok) return (await response.json()) as T;
  const message = await response
    .json()
    .then((data: { message?: unknown }) => (typeof data?.message === "string" ? data.message : ""))
    .catch(() => "");
  throw errorFor(response, message);
}

function errorFor(response: Response, message = ""): GitHubError {
  const { status, headers } = response;
  if (status === 401) return new GitHubError("unauthorized", "GitHub rejected the token", status);
  if (status === 404) return new GitHubError("not_found", "Not found on GitHub", status);
  if (status === 410) return new GitHubError("gone", message || "Gone", status);
  if (status === 422) return new GitHubError("invalid", message || "Validation failed", status);
  const retryAfter = Number(headers.get("Retry-After"));
  if (status === 403 || status === 429) {
    // Primary limit: X-RateLimit-Remaining 0 and a reset time; secondary: Retry-After.
    if (headers.get("X-RateLimit-Remaining") === "0") {
      const reset = Number(headers.get("X-RateLimit-Reset"));
      const resetAt = Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : undefined;
      return new GitHubError("rate_limited", "GitHub's rate limit was reached", status, resetAt);
    }
    if (Number.isFinite(retryAfter) && retryAfter > 0) {
      const resetAt = new Date(Date.now() + retryAfter * 1000);
      return new GitHubError("rate_limited", "GitHub's rate limit was reached", status, resetAt);
    }
    if (status === 403) return new GitHubError("forbidden", message || "Forbidden", status);
  }
  return new GitHubError("unavailable", `GitHub answered ${status}`, status);
}

export async function getAuthenticatedUser(token: string): Promise<GitHubUser> {
  const result = await githubGet<GitHubUser>("/user", token);
  if (result.status !== 200) throw new GitHubError("unavailable", "Unexpected answer from GitHub");
  return result.data;
}

export async function getUserEmails(token: string): Promise<GitHubEmail[]> {
  const result = await githubGet<GitHubEmail[]>("/user/emails", token);
  if (result.status !== 200) throw new GitHubError("unavailable", "Unexpected answer from GitHub");
  return result.data;
}

export interface GitHubRepository {
  full_name: string;
  name: string;
  owner: { login: string };
  private: boolean;
  visibility?: string;
  description: string | null;
  html_url: string;
  default_branch: string;
  stargazers_count: number;
  pushed_at: string | null;
}

/** The user's repositories, most recently pushed first, following pagination up to `cap`. */
export async function listUserRepositories(token: string, cap = 300): Promise<GitHubRepository[]> {
  const repositories: GitHubRepository[] = [];
  for (let page = 1; repositories.length < cap; page++) {
    const result = await githubGet<GitHubRepository[]>(
      `/user/repos?sort=pushed&direction=desc&per_page=100&page=${page}`,
      token,
    );
    if (result.status !== 200) break;
    repositories.push(...result.data);
    if (result.data.length < 100) break;
  }
  return repositories.slice(0, cap);
}

// Repository cards are fetched on every agent view; conditional requests with the last ETag
// make repeat views free of rate limit. A per-process cache is enough: a miss costs one request.
const repositoryCache = new Map<string, { etag: string; repository: GitHubRepository }>();
const REPOSITORY_CACHE_LIMIT = 500;

/** GET /repos/{owner}/{name}; throws GitHubError("not_found") when the token cannot see it. */
export async function getRepository(token: string, fullName: string): Promise<GitHubRepository> {
  const [owner = "", name = ""] = fullName.split("/");
  const path = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
  const key = `${createTokenKey(token)} ${fullName.toLowerCase()}`;
  const cached = repositoryCache.get(key);
  const result = await githubGet<GitHubRepository>(path, token, { etag: cached?.etag });
  if (result.status === 304 && cached) return cached.repository;
  if (result.status !== 200) throw new GitHubError("unavailable", "Unexpected answer from GitHub");
  if (result.etag) {
    if (repositoryCache.size >= REPOSITORY_CACHE_LIMIT) repositoryCache.clear();
    repositoryCache.set(key, { etag: result.etag, repository: result.data });
  }
  return result.data;
}

export interface GitHubIssue {
  number: number;
  html_url: string;
  title: string;
  state: string;
}

/** POST /repos/{owner}/{repo}/issues. */
export async function createIssue(
  token: string,
  fullName: string,
  issue: { title: string; body: string },
): Promise<GitHubIssue> {
  const [owner = "", name = ""] = fullName.split("/");
  return githubPost<GitHubIssue>(
    `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/issues`,
    token,
    issue,
  );
}

// Cache entries are per token (what one user may see), without keeping the token itself.
function createTokenKey(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}
