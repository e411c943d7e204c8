import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Database } from "~/db/client.server";
import { actionItems, agents, meetings, type ActionItem } from "~/db/schema";
import { nextVersion } from "~/db/version.server";
import { createIssue, GitHubError } from "~/github/client.server";
import { getGitHubConnection } from "~/github/connection.server";
import { actionItemsByIds } from "./action-items.server";
import { formatMoment, transcriptMomentPath } from "./summary-format";

// Action items become issues in the repository of the meeting's agent, through the user's
// GitHub token. Each item is claimed before GitHub is asked, so a double click or a retry
// files one issue; its URL is stored on the item once GitHub answers.

/** A claim older than this is taken to be abandoned (GitHub answers within 5 seconds). */
export const ISSUE_CLAIM_TTL_MS = 2 * 60_000;
/** GitHub's limit on issue titles. */
export const ISSUE_TITLE_MAX = 256;

/** Scopes that let an OAuth token open issues: public repositories, or all it can see. */
const issueScopes = ["public_repo", "repo"];

export type IssueFiling =
  | { status: "no_repo" }
  /** The user has no GitHub connection: connect it in settings. */
  | { status: "no_github" }
  /** Reconnect GitHub asking for these scopes (those granted, and one that files issues). */
  | { status: "reconnect"; reason: "expired" | "scope"; scopes: string[] }
  | { status: "ready"; repo: string };

function reconnectScopes(granted: string[], needed: string): string[] {
  return [...new Set([...granted, needed])];
}

/** Whether the meeting's issues can be filed, and where. */
export async function issueFiling(
  db: Database,
  userId: string,
  meetingId: string,
): Promise<IssueFiling | null> {
  const [row] = await db
    .select({ repo: agents.githubRepo })
    .from(meetings)
    .innerJoin(agents, eq(agents.id, meetings.agentId))
    .where(and(eq(meetings.id, meetingId), eq(meetings.userId, userId)));
  if (!row) return null;
  if (!row.repo) return { status: "no_repo" };
  const connection = await getGitHubConnection(db, userId);
  if (!connection) return { status: "no_github" };
  if (connection.expired) {
    return {
      status: "reconnect",
      reason: "expired",
      scopes: reconnectScopes(connection.scopes, "public_repo"),
    };
  }
  if (!connection.scopes.some((scope) => issueScopes.includes(scope))) {
    return {
      status: "reconnect",
      reason: "scope",
      scopes: reconnectScopes(connection.scopes, "public_repo"),
    };
  }
  return { status: "ready", repo: row.repo };
}

export type IssueProblem =
  | { kind: "repo_not_found"; repo: string; reconnectScopes: string[] | null }
  | { kind: "issues_disabled"; repo: string }
  | { kind: "rate_limited"; resetAt: Date | null }
  | { kind: "reconnect"; scopes: string[] }
  | { kind: "refused"; message: string }
  | { kind: "unavailable" };

export type FileIssuesResult =
  | { status: "not_found" }
  | { status: "not_completed" }
  | { status: "cannot"; filing: Exclude<IssueFiling, { status: "ready" }> }
  | {
      status: "done";
      filed: Array<{ id: string; url: string }>;
      /** Items that had an issue already, or were being filed by another request. */
      skipped: number;
      problem: IssueProblem | null;
    };

/** What the issue says: the item, who, which meeting, and links back to it. */
export function issueFor(
  item: Pick<ActionItem, "id" | "text" | "owner" | "atMs">,
  meeting: { id: string; name: string; agentName: string },
  appUrl: string,
): { title: string; body: string } {
  const oneLine = item.text.replace(/\s+/g, " ").trim();
  const title =
    oneLine.length <= ISSUE_TITLE_MAX ? oneLine : `${oneLine.slice(0, ISSUE_TITLE_MAX - 1)}…`;
  const meetingUrl = `${appUrl}/meetings/${encodeURIComponent(meeting.id)}`;
  const lines = [
    item.text,
    "",
    `**Owner:** ${item.owner ?? "nobody yet"}`,
    `**Meeting:** [${meeting.name}](${meetingUrl}) with ${meeting.agentName}`,
  ];
  if (item.atMs !== null) {
    const moment = `${appUrl}${transcriptMomentPath(meeting.id, { atMs: item.atMs, position: null })}`;
    lines.push(`**Said at:** [${formatMoment(item.atMs)} in the transcript](${moment})`);
  }
  lines.push("", `<!-- smtg-notion action item ${item.id} -->`);
  return { title, body: lines.join("\n") };
}

/** Claims an item for filing; false when it has an issue or another request is filing it. */
async function claim(db: Database, item: ActionItem, now: Date): Promise<boolean> {
  const stale = new Date(now.getTime() - ISSUE_CLAIM_TTL_MS);
  const claimed = await db
    .update(actionItems)
    .set({ issueClaimedAt: now })
    .where(
      and(
        eq(actionItems.id, item.id),
        isNull(actionItems.githubIssueUrl),
        or(isNull(actionItems.issueClaimedAt), lt(actionItems.issueClaimedAt, stale)),
      ),
    )
    .returning({ id: actionItems.id });
  return claimed.length > 0;
}

function problemOf(error: GitHubError, repo: string, scopes: string[]): IssueProblem {
  switch (error.kind) {
    case "not_found":
      // A token with public_repo only cannot see (or write to) a private repository.
      return {
        kind: "repo_not_found",
        repo,
        reconnectScopes: scopes.includes("repo") ? null : reconnectScopes(scopes, "repo"),
      };
    case "gone":
      return { kind: "issues_disabled", repo };
    case "rate_limited":
      return { kind: "rate_limited", resetAt: error.resetAt ?? null };
    case "unauthorized":
      return { kind: "reconnect", scopes: reconnectScopes(scopes, "public_repo") };
    case "invalid":
    case "forbidden":
      return { kind: "refused", message: error.message };
    default:
      return { kind: "unavailable" };
  }
}

/**
 * Files the chosen action items of a completed meeting as issues in its agent's repository,
 * one after the other; items with an issue are skipped. Stops at the first GitHub error,
 * which comes back in words to show.
 */
export async function fileActionItemIssues(
  db: Database,
  userId: string,
  meetingId: string,
  itemIds: string[],
  { appUrl, now = new Date() }: { appUrl: string; now?: Date },
): Promise<FileIssuesResult> {
  const [meeting] = await db
    .select({
      id: meetings.id,
      name: meetings.name,
      status: meetings.status,
      agentName: agents.name,
    })
    .from(meetings)
    .innerJoin(agents, eq(agents.id, meetings.agentId))
    .where(and(eq(meetings.id, meetingId), eq(meetings.userId, userId)));
  if (!meeting) return { status: "not_found" };
  if (meeting.status !== "completed") return { status: "not_completed" };
  const filing = await issueFiling(db, userId, meetingId);
  if (!filing) return { status: "not_found" };
  if (filing.status !== "ready") return { status: "cannot", filing };
  const connection = (await getGitHubConnection(db, userId))!;

  const items = await actionItemsByIds(db, userId, meetingId, itemIds);
  const filed: Array<{ id: string; url: string }> = [];
  let skipped = 0;
  for (const item of items) {
    if (item.githubIssueUrl || !(await claim(db, item, now))) {
      skipped += 1;
      continue;
    }
    try {
      const issue = await createIssue(
        connection.accessToken,
        filing.repo,
        issueFor(item, meeting, appUrl),
      );
      await db
        .update(actionItems)
        .set({
          githubIssueUrl: issue.html_url,
          issueClaimedAt: null,
          updatedAt: nextVersion(actionItems.updatedAt),
        })
        .where(eq(actionItems.id, item.id));
      filed.push({ id: item.id, url: issue.html_url });
    } catch (error) {
      await db.update(actionItems).set({ issueClaimedAt: null }).where(eq(actionItems.id, item.id));
      if (!(error instanceof GitHubError)) throw error;
      return {
        status: "done",
        filed,
        skipped,
        problem: problemOf(error, filing.repo, connection.scopes),
      };
    }
  }
  return { status: "done", filed, skipped, problem: null };
}

/** The problem in words for the page. */
export function describeIssueProblem(problem: IssueProblem): string {
  switch (problem.kind) {
    case "repo_not_found":
      return problem.reconnectScopes
        ? `GitHub cannot find ${problem.repo}: it was renamed or deleted, or it is private and your GitHub connection only reaches public repositories.`
        : `GitHub cannot find ${problem.repo}: it was renamed or deleted, or your GitHub account has no access to it.`;
    case "issues_disabled":
      return `Issues are turned off for ${problem.repo} on GitHub: turn them on in the repository's settings, or link the agent to another repository.`;
    case "rate_limited":
      return problem.resetAt
        ? `GitHub's rate limit is reached; try again after ${problem.resetAt.toISOString().slice(11, 16)} UTC.`
        : "GitHub's rate limit is reached; try again in a few minutes.";
    case "reconnect":
      return "GitHub no longer accepts your connection: reconnect GitHub, then try again.";
    case "refused":
      return `GitHub refused the issue: ${problem.message}`;
    case "unavailable":
      return "GitHub did not answer; try again in a moment.";
  }
}
