import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgent } from "~/agents/queries.server";
import { signInWithGitHub } from "~/auth/sign-in.server";
import { setDatabaseHandle, type DatabaseHandle } from "~/db/client.server";
import { actionItems, user as users } from "~/db/schema";
import { createMeeting, moveMeeting } from "~/meetings/queries.server";
import { addActionItem, listActionItems } from "~/processing/action-items.server";
import {
  describeIssueProblem,
  fileActionItemIssues,
  issueFiling,
} from "~/processing/github-issues.server";
import * as meetingPage from "~/routes/meetings/detail";
import type { GitHubStandIn } from "~/sandbox/github/server";
import { createTestDatabase } from "../support/database";
import { identityOf, startGitHubStandIn, testClient } from "../support/github";
import { callRoute, sessionUser } from "../support/routes";

// Action items become issues in the agent's repository, through the GitHub stand-in over
// HTTP: once each, whatever is clicked twice, and with GitHub's refusals in words.

let database: DatabaseHandle;
let standIn: GitHubStandIn;
let closeStandIn: () => Promise<void>;
const appUrl = testClient.appUrl;

beforeAll(async () => {
  ({ standIn, close: closeStandIn } = await startGitHubStandIn());
  database = await createTestDatabase();
  setDatabaseHandle(database);
});
afterAll(async () => {
  await database.close();
  await closeStandIn();
});

let logins = 0;

/**
 * Someone signed in with GitHub (tokens with `scope`), owning `repos` on it, with a completed
 * meeting whose agent links `repo`, holding the action items `texts`.
 */
async function completedMeeting({
  scope = "read:user,user:email,public_repo",
  repos = [{ name: "notes" }] as Array<{ name: string; private?: boolean; hasIssues?: boolean }>,
  repo = "notes",
  texts = ["Write the import script", "Review the script"],
} = {}) {
  const login = `gh-user-${++logins}`;
  standIn.addUser({ login, email: `${login}@example.test` });
  for (const r of repos) standIn.addRepo({ owner: login, ...r });
  const { userId } = await signInWithGitHub(database.db, await identityOf(standIn, login, scope), {
    ipAddress: null,
    userAgent: null,
  });
  const [row] = await database.db.select().from(users).where(eq(users.id, userId));
  const agent = await createAgent(database.db, userId, {
    name: "Planner",
    instructions: "x",
    githubRepo: `${login}/${repo}`,
  });
  const meeting = (await createMeeting(database.db, userId, {
    name: "Billing sync",
    agentId: agent.id,
  }))!;
  await moveMeeting(database.db, userId, meeting.id, "start");
  await moveMeeting(database.db, userId, meeting.id, "end");
  for (const text of texts) {
    await addActionItem(database.db, userId, meeting.id, { text, owner: "Cleo" });
  }
  await moveMeeting(database.db, userId, meeting.id, "complete");
  const items = await listActionItems(database.db, userId, meeting.id);
  return { login, userId, user: sessionUser(row!), meeting, items, fullName: `${login}/${repo}` };
}

const file = (userId: string, meetingId: string, itemIds: string[]) =>
  fileActionItemIssues(database.db, userId, meetingId, itemIds, { appUrl });

describe("filing action items as GitHub issues", () => {
  it("files each item once, even when asked twice at the same time, and links it", async () => {
    const { userId, meeting, items, fullName } = await completedMeeting();
    const ids = items.map((item) => item.id);
    const [a, b] = await Promise.all([
      file(userId, meeting.id, ids),
      file(userId, meeting.id, ids),
    ]);
    const filed = [a, b].flatMap((r) => (r.status === "done" ? r.filed : []));
    expect(filed.map((f) => f.id).sort()).toEqual([...ids].sort());
    const issues = standIn.issuesOf(fullName);
    expect(issues.map((i) => i.title).sort()).toEqual([
      "Review the script",
      "Write the import script",
    ]);
    const stored = await listActionItems(database.db, userId, meeting.id);
    for (const item of stored) {
      const issue = issues.find((i) => i.title === item.text)!;
      expect(item.githubIssueUrl).toMatch(new RegExp(`/${fullName}/issues/${issue.number}$`));
      expect(item.issueClaimedAt).toBeNull();
    }
    const [first] = issues;
    expect(first!.body).toContain("**Owner:** Cleo");
    expect(first!.body).toContain(
      `**Meeting:** [Billing sync](${appUrl}/meetings/${meeting.id}) with Planner`,
    );

    // A retry files nothing more.
    expect(await file(userId, meeting.id, ids)).toEqual({
      status: "done",
      filed: [],
      skipped: 2,
      problem: null,
    });
    expect(standIn.issuesOf(fullName)).toHaveLength(2);
  });

  it("asks to reconnect with a scope that opens issues, keeping the scopes granted", async () => {
    const { user, userId, meeting, items, fullName } = await completedMeeting({
      scope: "read:user,user:email",
    });
    expect(await issueFiling(database.db, userId, meeting.id)).toEqual({
      status: "reconnect",
      reason: "scope",
      scopes: ["read:user", "user:email", "public_repo"],
    });
    expect(await file(userId, meeting.id, [items[0]!.id])).toMatchObject({
      status: "cannot",
      filing: { status: "reconnect" },
    });
    expect(standIn.issuesOf(fullName)).toEqual([]);

    const reconnect = await callRoute(meetingPage.action, `/meetings/${meeting.id}`, {
      user,
      appUrl,
      params: { meetingId: meeting.id },
      form: { intent: "github-reconnect", scope: "public_repo" },
    });
    expect(reconnect.status).toBe(302);
    const authorize = new URL(reconnect.location!);
    expect(authorize.pathname).toBe("/login/oauth/authorize");
    expect(authorize.searchParams.get("scope")!.split(" ").sort()).toEqual([
      "public_repo",
      "read:user",
      "user:email",
    ]);
  });

  it("says in words when the repository is gone, and offers the repo scope in case it is private", async () => {
    const { userId, meeting, items } = await completedMeeting({ repo: "deleted" });
    const result = await file(userId, meeting.id, [items[0]!.id]);
    expect(result).toMatchObject({
      status: "done",
      filed: [],
      problem: {
        kind: "repo_not_found",
        reconnectScopes: ["read:user", "user:email", "public_repo", "repo"],
      },
    });
    if (result.status !== "done") throw new Error("unexpected");
    expect(describeIssueProblem(result.problem!)).toMatch(
      /^GitHub cannot find gh-user-\d+\/deleted: it was renamed or deleted, or it is private/,
    );
    // Nothing half-written: the item is free to be filed later.
    const [item] = await database.db
      .select()
      .from(actionItems)
      .where(eq(actionItems.id, items[0]!.id));
    expect(item).toMatchObject({ githubIssueUrl: null, issueClaimedAt: null });
  });

  it("files into a private repository with the repo scope", async () => {
    const repos = [{ name: "plans", private: true }];
    const publicOnly = await completedMeeting({ repos, repo: "plans" });
    expect(
      await file(publicOnly.userId, publicOnly.meeting.id, [publicOnly.items[0]!.id]),
    ).toMatchObject({ problem: { kind: "repo_not_found" } });
    const full = await completedMeeting({
      repos,
      repo: "plans",
      scope: "read:user,user:email,repo",
    });
    expect(await file(full.userId, full.meeting.id, [full.items[0]!.id])).toMatchObject({
      filed: [{ id: full.items[0]!.id }],
      problem: null,
    });
  });

  it("says issues are turned off (410)", async () => {
    const { userId, meeting, items, fullName } = await completedMeeting({
      repos: [{ name: "quiet", hasIssues: false }],
      repo: "quiet",
    });
    const result = await file(userId, meeting.id, [items[0]!.id]);
    if (result.status !== "done" || !result.problem) throw new Error("expected a problem");
    expect(result.problem).toEqual({ kind: "issues_disabled", repo: fullName });
    expect(describeIssueProblem(result.problem)).toBe(
      `Issues are turned off for ${fullName} on GitHub: turn them on in the repository's settings, or link the agent to another repository.`,
    );
  });

  it("says when GitHub's rate limit is reached and when it resets, then files once it is over", async () => {
    const { userId, meeting, items, fullName } = await completedMeeting();
    standIn.setFault({ path: `/api/v3/repos/${fullName}/issues`, status: 403, times: 1 });
    const limited = await file(userId, meeting.id, [items[0]!.id]);
    if (limited.status !== "done" || limited.problem?.kind !== "rate_limited") {
      throw new Error("expected the rate limit");
    }
    const resetAt = limited.problem.resetAt!;
    expect(resetAt.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(describeIssueProblem(limited.problem)).toBe(
      `GitHub's rate limit is reached; try again after ${resetAt.toISOString().slice(11, 16)} UTC.`,
    );
    expect(await file(userId, meeting.id, [items[0]!.id])).toMatchObject({
      filed: [{ id: items[0]!.id }],
      problem: null,
    });
    expect(standIn.issuesOf(fullName)).toHaveLength(1);
  });

  it("files nothing for another user, a meeting that is not completed, or another meeting's items", async () => {
    const mine = await completedMeeting();
    const theirs = await completedMeeting();
    expect(await file(theirs.userId, mine.meeting.id, [mine.items[0]!.id])).toEqual({
      status: "not_found",
    });
    // My items through their meeting: not theirs, so nothing is filed.
    expect(await file(theirs.userId, theirs.meeting.id, [mine.items[0]!.id])).toEqual({
      status: "done",
      filed: [],
      skipped: 0,
      problem: null,
    });
    await moveMeeting(database.db, mine.userId, mine.meeting.id, "regenerate");
    expect(await file(mine.userId, mine.meeting.id, [mine.items[0]!.id])).toEqual({
      status: "not_completed",
    });
    expect(standIn.issuesOf(mine.fullName)).toEqual([]);
  });
});

describe("the meeting page's issue form", () => {
  it("asks to tick items, files the ticked ones, then shows their links", async () => {
    const { user, meeting, items, fullName } = await completedMeeting();
    const post = (form: Record<string, string | string[]>) =>
      callRoute(meetingPage.action, `/meetings/${meeting.id}`, {
        user,
        appUrl,
        params: { meetingId: meeting.id },
        form,
      });
    const none = await post({ intent: "file-issues" });
    expect(none.status).toBe(400);
    expect(none.data).toMatchObject({
      issues: { message: "Tick the action items to file as GitHub issues." },
    });
    const filed = await post({ intent: "file-issues", itemId: [items[1]!.id] });
    expect(filed).toMatchObject({ status: 302, location: `/meetings/${meeting.id}` });
    const page = await callRoute(meetingPage.loader, `/meetings/${meeting.id}`, {
      user,
      appUrl,
      params: { meetingId: meeting.id },
    });
    const data = page.data as Awaited<ReturnType<typeof meetingPage.loader>>;
    expect(data.issues).toEqual({ status: "ready", repo: fullName });
    expect(data.actionItems.map((i) => Boolean(i.githubIssueUrl))).toEqual([false, true]);
  });

  it("shows the gone repository's message with a 409", async () => {
    const { user, meeting, items } = await completedMeeting({ repo: "deleted" });
    const reply = await callRoute(meetingPage.action, `/meetings/${meeting.id}`, {
      user,
      appUrl,
      params: { meetingId: meeting.id },
      form: { intent: "file-issues", itemId: items[0]!.id },
    });
    expect(reply.status).toBe(409);
    expect(reply.data).toMatchObject({
      issues: { message: expect.stringMatching(/^GitHub cannot find/), reconnectScope: "repo" },
    });
  });
});
