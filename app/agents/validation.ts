import { z } from "zod";
import { isPlainText, NOT_PLAIN_TEXT } from "~/db/plain-text";

// One schema for the agent form, used by the server action and, through conform, the browser.

export const AGENT_NAME_MAX = 100;
export const AGENT_INSTRUCTIONS_MAX = 10_000;

// GitHub's rules: owner 1–39 letters, digits or single hyphens, not at either end;
// repository name 1–100 of letters, digits, ".", "-", "_", but not "." or "..".
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;
const GITHUB_URL = /^https?:\/\/(?:www\.)?github\.com\/([^/?#]+)\/([^/?#]+?)(?:\.git)?\/?$/i;

/** "owner/name" from what a person typed or pasted, or null when it is not a repository. */
export function normalizeGithubRepo(input: string): string | null {
  const value = input.trim();
  const fromUrl = GITHUB_URL.exec(value);
  const [owner, name, ...rest] = fromUrl ? [fromUrl[1], fromUrl[2]] : value.split("/");
  if (rest.length > 0 || !owner || !name) return null;
  if (!OWNER.test(owner) || !NAME.test(name) || name === "." || name === "..") return null;
  return `${owner}/${name}`;
}

export const GITHUB_REPO_FORMAT_ERROR =
  "Enter a repository as owner/name (for example octocat/hello-world) or paste its GitHub URL";

// Browsers submit line breaks as CRLF; counted as one character, as people see them.
const normalizeLineBreaks = (value: unknown) =>
  typeof value === "string" ? value.replace(/\r\n?/g, "\n") : value;

const requiredText = (label: string, max: number) =>
  z.preprocess(
    normalizeLineBreaks,
    z
      .string({ error: `${label} is required` })
      .trim()
      .min(1, `${label} is required`)
      .max(max, `${label} must be at most ${max.toLocaleString("en-US")} characters`)
      .refine(isPlainText, NOT_PLAIN_TEXT),
  );

const repository = z
  .string()
  .optional()
  .refine(
    (value) => !value?.trim() || normalizeGithubRepo(value) !== null,
    GITHUB_REPO_FORMAT_ERROR,
  );

/** The fields as the form has them; also the source of the browser's constraint attributes. */
export const agentFieldsSchema = z.object({
  name: requiredText("Name", AGENT_NAME_MAX),
  instructions: requiredText("Instructions", AGENT_INSTRUCTIONS_MAX),
  githubRepo: repository,
  /** A repository picked from the user's GitHub list; wins over the typed one. */
  githubRepoChoice: repository,
});

export const agentSchema = agentFieldsSchema.transform(
  ({ githubRepoChoice, githubRepo, ...agent }) => {
    const chosen = githubRepoChoice?.trim() || githubRepo?.trim();
    return { ...agent, githubRepo: chosen ? normalizeGithubRepo(chosen) : null };
  },
);

export type AgentInput = z.output<typeof agentSchema>;
