import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  checkGithubRepo,
  listRepositoryChoices,
  loadRepositoryCard,
} from "~/agents/github-repo.server";
import { GITHUB_UNREACHABLE, REPO_NOT_FOUND, REPO_PRIVATE_HINT } from "~/agents/messages";
import {
  AGENTS_PER_PAGE,
  createAgent,
  deleteAgent,
  getAgent,
  listAgents,
  type AgentFilters,
  updateAgent,
} from "~/agents/queries.server";
import type { GitHubConnection } from "~/github/connection.server";
import type { DatabaseHandle } from "~/db/client.server";
import { agents, meetings, user } from "~/db/schema";
import type { GitHubStandIn } from "~/sandbox/github/server";
import { createTestDatabase } from "../support/database";
import { startGitHubStandIn } from "../support/github";

let database: DatabaseHandle;
let standIn: GitHubStandIn;
let closeStandIn: () => Promise<void>;

beforeAll(async () => {
  ({ standIn, close: closeStandIn } = await startGitHubStandIn());
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
  await closeStandIn();
});
beforeEach(async () => {
  await database.db.delete(user);
  await database.db.insert(user).values([
    { id: "alice", name: "Alice", email: "alice@example.test" },
    { id: "bob", name: "Bob", email: "bob@example.test" },
  ]);
});

const input = (name: string, githubRepo: string | null = null) => ({
  name,
  instructions: `Instructions of ${name}`,
  githubRepo,
});

describe("agent queries", () => {
  it("lists only the user's own agents, newest first, with their meeting counts", async () => {
    const first = await createAgent(database.db, "alice", input("First"));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await createAgent(database.db, "alice", input("Second"));
    await createAgent(database.db, "bob", input("Bob's"));
    await database.db.insert(meetings).values([
      { name: "M1", userId: "alice", agentId: first.id },
      { name: "M2", userId: "alice", agentId: first.id },
    ]);
    const result = await listAgents(database.db, "alice");
    expect(result.total).toBe(2);
    expect(result.agents.map((a) => [a.name, a.meetingCount])).toEqual([
      ["Second", 0],
      ["First", 2],
    ]);
    expect(result.agents[0]!.id).toBe(second.id);
  });

  it("searches names case-insensitively, treating % and _ literally", async () => {
    for (const name of ["Research Bot", "researcher", "Writer", "100% sure", "under_score"]) {
      await createAgent(database.db, "alice", input(name));
    }
    const names = async (q: string) =>
      (await listAgents(database.db, "alice", { q })).agents.map((a) => a.name).sort();
    expect(await names("RESEARCH")).toEqual(["Research Bot", "researcher"]);
    expect(await names("%")).toEqual(["100% sure"]);
    expect(await names("_")).toEqual(["under_score"]);
    expect(await names("nothing")).toEqual([]);
  });

  it("pages by ten and clamps page numbers outside the range", async () => {
    for (let i = 1; i <= 23; i++) await createAgent(database.db, "alice", input(`Agent ${i}`));
    const page1 = await listAgents(database.db, "alice", { page: 1 });
    expect(page1.agents).toHaveLength(AGENTS_PER_PAGE);
    expect(page1).toMatchObject({ total: 23, page: 1, pageCount: 3 });
    const last = await listAgents(database.db, "alice", { page: 3 });
    expect(last.agents).toHaveLength(3);
    expect((await listAgents(database.db, "alice", { page: 99 })).page).toBe(3);
    expect((await listAgents(database.db, "alice", { page: 0 })).page).toBe(1);
    const all = [
      ...page1.agents,
      ...(await listAgents(database.db, "alice", { page: 2 })).agents,
      ...last.agents,
    ];
    expect(new Set(all.map((a) => a.id)).size).toBe(23);
  });

  it("sorts by name, creation or meeting count, either way, ties broken the same every time", async () => {
    const made: Record<string, string> = {};
    for (const name of ["beta", "Alpha", "Gamma"]) {
      await new Promise((resolve) => setTimeout(resolve, 3));
      made[name] = (await createAgent(database.db, "alice", input(name))).id;
    }
    await database.db.insert(meetings).values([
      { name: "M1", userId: "alice", agentId: made.beta! },
      { name: "M2", userId: "alice", agentId: made.beta! },
      { name: "M3", userId: "alice", agentId: made.Gamma! },
    ]);
    const names = async (sort: AgentFilters["sort"]) =>
      (await listAgents(database.db, "alice", { sort })).agents.map((a) => a.name);
    expect(await names({ key: "name", direction: "asc" })).toEqual(["Alpha", "beta", "Gamma"]);
    expect(await names({ key: "name", direction: "desc" })).toEqual(["Gamma", "beta", "Alpha"]);
    expect(await names({ key: "created", direction: "asc" })).toEqual(["beta", "Alpha", "Gamma"]);
    expect(await names({ key: "meetings", direction: "desc" })).toEqual(["beta", "Gamma", "Alpha"]);
    expect(await names({ key: "meetings", direction: "asc" })).toEqual(["Alpha", "Gamma", "beta"]);
  });

  it("gives an empty first page when there are no agents", async () => {
    expect(await listAgents(database.db, "alice", { page: 5 })).toEqual({
      agents: [],
      total: 0,
      page: 1,
      pageCount: 1,
    });
  });

  it("does not find, change or delete another user's agent", async () => {
    const agent = await createAgent(database.db, "alice", input("Private"));
    expect(await getAgent(database.db, "bob", agent.id)).toBeUndefined();
    expect(
      await updateAgent(database.db, "bob", agent.id, agent.updatedAt, input("Hijacked")),
    ).toEqual({ status: "not_found" });
    expect(await deleteAgent(database.db, "bob", agent.id)).toBe(false);
    expect((await getAgent(database.db, "alice", agent.id))?.name).toBe("Private");
  });

  it("creates one agent for the same form submitted twice", async () => {
    const key = "K".repeat(21);
    const a = await createAgent(database.db, "alice", input("Once"), key);
    const b = await createAgent(database.db, "alice", input("Once"), key);
    expect(b.id).toBe(a.id);
    expect((await listAgents(database.db, "alice")).total).toBe(1);
  });

  it("creates a second agent when a restored form is submitted with other input", async () => {
    const key = "R".repeat(21);
    const first = await createAgent(database.db, "alice", input("First try"), key);
    const second = await createAgent(database.db, "alice", input("Second thought"), key);
    expect(second.id).not.toBe(first.id);
    expect((await listAgents(database.db, "alice")).total).toBe(2);
  });

  it("does not let a form key reach into another user's agent", async () => {
    const key = "Q".repeat(21);
    await createAgent(database.db, "alice", input("Alice's"), key);
    const bobs = await createAgent(database.db, "bob", input("Bob's"), key);
    expect(bobs.id).not.toBe(key);
    expect(bobs.userId).toBe("bob");
    expect((await getAgent(database.db, "alice", key))?.name).toBe("Alice's");
  });

  it("saves an edit made from the current version and refuses one from a stale version", async () => {
    const agent = await createAgent(database.db, "alice", input("Draft"));
    const saved = await updateAgent(
      database.db,
      "alice",
      agent.id,
      agent.updatedAt,
      input("Final"),
    );
    expect(saved.status).toBe("updated");
    const stale = await updateAgent(
      database.db,
      "alice",
      agent.id,
      agent.updatedAt,
      input("Lost?"),
    );
    expect(stale).toMatchObject({ status: "conflict", current: { name: "Final" } });
    expect((await getAgent(database.db, "alice", agent.id))?.name).toBe("Final");
  });

  it("a save always moves the version forward, even past a version from a clock ahead", async () => {
    const agent = await createAgent(database.db, "alice", input("Draft"));
    // Written by an instance whose clock runs an hour ahead of the database's.
    const ahead = new Date(Date.now() + 3_600_000);
    await database.db.update(agents).set({ updatedAt: ahead }).where(eq(agents.id, agent.id));
    const saved = await updateAgent(database.db, "alice", agent.id, ahead, input("Final"));
    if (saved.status !== "updated") throw new Error(`expected an update, got ${saved.status}`);
    expect(saved.agent.updatedAt.getTime()).toBe(ahead.getTime() + 1);
    const stale = await updateAgent(database.db, "alice", agent.id, ahead, input("Lost?"));
    expect(stale.status).toBe("conflict");
  });

  it("deleting an agent deletes its meetings and nothing else", async () => {
    const doomed = await createAgent(database.db, "alice", input("Doomed"));
    const kept = await createAgent(database.db, "alice", input("Kept"));
    await database.db.insert(meetings).values([
      { name: "Gone", userId: "alice", agentId: doomed.id },
      { name: "Stays", userId: "alice", agentId: kept.id },
    ]);
    expect(await deleteAgent(database.db, "alice", doomed.id)).toBe(true);
    const left = await database.db.select().from(meetings).where(eq(meetings.userId, "alice"));
    expect(left.map((m) => m.name)).toEqual(["Stays"]);
    expect(await database.db.select().from(agents).where(eq(agents.id, doomed.id))).toEqual([]);
  });
});

describe("repository verification against GitHub", () => {
  let connection: GitHubConnection;
  beforeEach(() => {
    standIn.reset();
    standIn.clearFaults();
    standIn.addUser({ login: "octo" });
    standIn.addUser({ login: "other" });
    standIn.addRepo({ owner: "octo", name: "Hello-World", description: "Hi", stars: 7 });
    standIn.addRepo({ owner: "other", name: "secret", private: true });
    standIn.addRepo({ owner: "octo", name: "private-plans", private: true });
    connection = {
      accessToken: standIn.issueToken("octo", ["read:user", "user:email"]),
      scopes: ["read:user", "user:email"],
      expired: false,
    };
  });

  it("stores a found repository with GitHub's canonical spelling", async () => {
    expect(await checkGithubRepo(connection, "OCTO/hello-world")).toEqual({
      ok: true,
      githubRepo: "octo/Hello-World",
    });
  });

  it("reports a repository that does not exist next to the field", async () => {
    expect(await checkGithubRepo(connection, "octo/nope")).toEqual({
      ok: false,
      fieldError: REPO_NOT_FOUND + REPO_PRIVATE_HINT,
    });
  });

  it("hints at the repo scope when the token lacks it, and finds private repositories with it", async () => {
    const result = await checkGithubRepo(connection, "octo/private-plans");
    expect(result).toEqual({ ok: false, fieldError: REPO_NOT_FOUND + REPO_PRIVATE_HINT });
    const withRepo = {
      accessToken: standIn.issueToken("octo", ["repo"]),
      scopes: ["repo"],
      expired: false,
    };
    expect(await checkGithubRepo(withRepo, "octo/private-plans")).toEqual({
      ok: true,
      githubRepo: "octo/private-plans",
    });
    expect(await checkGithubRepo(withRepo, "other/secret")).toEqual({
      ok: false,
      fieldError: REPO_NOT_FOUND,
    });
  });

  it("says GitHub could not be reached on a 5xx or a rate limit", async () => {
    standIn.setFault({ path: "/api/v3/repos", status: 502 });
    expect(await checkGithubRepo(connection, "octo/Hello-World")).toEqual({
      ok: false,
      fieldError: GITHUB_UNREACHABLE,
    });
    standIn.clearFaults();
    standIn.setFault({ path: "/api/v3/repos", status: 403 });
    expect(await checkGithubRepo(connection, "octo/Hello-World")).toEqual({
      ok: false,
      fieldError: GITHUB_UNREACHABLE,
    });
  });

  it("gives up after the timeout when GitHub is slow", async () => {
    standIn.setFault({ path: "/api/v3/repos", delayMs: 8000 });
    const started = Date.now();
    expect(await checkGithubRepo(connection, "octo/Hello-World")).toEqual({
      ok: false,
      fieldError: GITHUB_UNREACHABLE,
    });
    expect(Date.now() - started).toBeLessThan(7000);
  });

  it("asks to reconnect when the token was revoked or has expired", async () => {
    standIn.revokeTokens("octo");
    expect(await checkGithubRepo(connection, "octo/Hello-World")).toEqual({
      ok: false,
      reconnect: true,
    });
    expect(await checkGithubRepo({ ...connection, expired: true }, "octo/x")).toEqual({
      ok: false,
      reconnect: true,
    });
  });

  it("keeps a repository unverified, as typed, for a user without GitHub", async () => {
    expect(await checkGithubRepo(null, "someone/thing")).toEqual({
      ok: true,
      githubRepo: "someone/thing",
    });
  });

  it("lists the user's repositories across pages, most recently pushed first", async () => {
    for (let i = 0; i < 120; i++) {
      standIn.addRepo({
        owner: "octo",
        name: `repo-${i}`,
        pushedAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
      });
    }
    const choices = await listRepositoryChoices(connection);
    expect(choices.status).toBe("ok");
    const repositories = choices.status === "ok" ? choices.repositories : [];
    expect(repositories).toHaveLength(121); // the public ones; private need the repo scope
    const numbered = repositories.filter((name) => name.startsWith("octo/repo-"));
    expect(numbered.slice(0, 3)).toEqual(["octo/repo-119", "octo/repo-118", "octo/repo-117"]);
  });

  it("shows the repository card, served from the cache when GitHub says 304", async () => {
    const first = await loadRepositoryCard(connection, "octo/Hello-World");
    expect(first).toEqual({
      status: "ok",
      card: expect.objectContaining({
        fullName: "octo/Hello-World",
        description: "Hi",
        stars: 7,
        visibility: "public",
      }),
    });
    // The repeat view is a conditional request answered 304, which costs no rate limit.
    const remaining = async () =>
      Number(
        (
          await fetch(`${process.env.GITHUB_API_URL}/user`, {
            headers: { Authorization: `Bearer ${connection.accessToken}` },
          })
        ).headers.get("X-RateLimit-Remaining"),
      );
    const before = await remaining();
    expect(await loadRepositoryCard(connection, "octo/Hello-World")).toEqual(first);
    expect(await remaining()).toBe(before - 1);
  });

  it("falls back when GitHub is unreachable for the card", async () => {
    standIn.setFault({ path: "/api/v3/repos", status: 500 });
    expect(await loadRepositoryCard(connection, "octo/Hello-World")).toEqual({
      status: "unavailable",
    });
  });
});
