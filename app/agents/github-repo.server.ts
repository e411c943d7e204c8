import type { GitHubConnection } from "~/github/connection.server";
import {
  getRepository,
  GitHubError,
  listUserRepositories,
  type GitHubRepository,
} from "~/github/client.server";

import { GITHUB_UNREACHABLE, REPO_NOT_FOUND, REPO_PRIVATE_HINT } from "./messages";

// How an agent's githubRepo meets GitHub: checked on save, listed in the form, shown as a card.

export type RepoCheck =
  | { ok: true; githubRepo: string | null }
  | { ok: false; fieldError: string }
  | { ok: false; reconnect: true };

/**
 * Checks a repository against GitHub with the user's token and returns GitHub's canonical
 * spelling. Without a GitHub connection the repository is kept as typed (unverified).
 */
export async function checkGithubRepo(
  connection: GitHubConnection | null,
  githubRepo: string | null,
): Promise<RepoCheck> {
  if (!githubRepo || !connection) return { ok: true, githubRepo };
  if (connection.expired) return { ok: false, reconnect: true };
  try {
    const repository = await getRepository(connection.accessToken, githubRepo);
    return { ok: true, githubRepo: repository.full_name };
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    if (error.kind === "unauthorized") return { ok: false, reconnect: true };
    if (error.kind === "not_found") {
      const hint = connection.scopes.includes("repo") ? "" : REPO_PRIVATE_HINT;
      return { ok: false, fieldError: REPO_NOT_FOUND + hint };
    }
    return { ok: false, fieldError: GITHUB_UNREACHABLE };
  }
}

export type RepositoryChoices =
  { status: "ok"; repositories: string[] } | { status: "none" | "reconnect" | "unavailable" };

/** The user's repositories for the form's picker. */
export async function listRepositoryChoices(
  connection: GitHubConnection | null,
): Promise<RepositoryChoices> {
  if (!connection) return { status: "none" };
  if (connection.expired) return { status: "reconnect" };
  try {
    const repositories = await listUserRepositories(connection.accessToken);
    return { status: "ok", repositories: repositories.map((r) => r.full_name) };
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    return { status: error.kind === "unauthorized" ? "reconnect" : "unavailable" };
  }
}

export interface RepositoryCard {
  fullName: string;
  url: string;
  description: string | null;
  visibility: "public" | "private";
  defaultBranch: string;
  stars: number;
  pushedAt: string | null;
}

export type RepositoryCardResult =
  | { status: "ok"; card: RepositoryCard }
  | { status: "unverified" | "reconnect" | "not_found" | "unavailable" };

export async function loadRepositoryCard(
  connection: GitHubConnection | null,
  githubRepo: string,
): Promise<RepositoryCardResult> {
  if (!connection) return { status: "unverified" };
  if (connection.expired) return { status: "reconnect" };
  try {
    return { status: "ok", card: toCard(await getRepository(connection.accessToken, githubRepo)) };
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    if (error.kind === "unauthorized") return { status: "reconnect" };
    return { status: error.kind === "not_found" ? "not_found" : "unavailable" };
  }
}

function toCard(repository: GitHubRepository): RepositoryCard {
  return {
    fullName: repository.full_name,
    url: repository.html_url,
    description: repository.description,
    visibility: repository.private ? "private" : "public",
    defaultBranch: repository.default_branch,
    stars: repository.stargazers_count,
    pushedAt: repository.pushed_at,
  };
}
