import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAgent } from "~/agents/queries.server";
import type { DatabaseHandle } from "~/db/client.server";
import { agents, meetings, user, type Agent } from "~/db/schema";
import {
  createMeeting,
  deleteMeeting,
  getDashboard,
  getMeeting,
  listMeetings,
  type MeetingFilters,
  moveMeeting,
  updateMeeting,
} from "~/meetings/queries.server";
import { createTestDatabase, openAnotherInstance } from "../support/database";

let database: DatabaseHandle;
let scribe: Agent;
let critic: Agent;
let bobsAgent: Agent;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());
beforeEach(async () => {
  await database.db.delete(user);
  await database.db.insert(user).values([
    { id: "alice", name: "Alice", email: "alice@example.test" },
    { id: "bob", name: "Bob", email: "bob@example.test" },
  ]);
  const agent = (userId: string, name: string) =>
    createAgent(database.db, userId, { name, instructions: "x", githubRepo: null });
  scribe = await agent("alice", "Scribe");
  critic = await agent("alice", "Critic");
  bobsAgent = await agent("bob", "Bob's agent");
});

// A pause keeps creation times distinct, so "newest first" has one right answer.
const schedule = async (name: string, agentId = scribe.id, userId = "alice") => {
  await new Promise((resolve) => setTimeout(resolve, 3));
  return (await createMeeting(database.db, userId, { name, agentId }))!;
};

describe("scheduling", () => {
  it("creates an upcoming meeting with one of the user's agents", async () => {
    const meeting = await schedule("Kick-off");
    expect(meeting).toMatchObject({ name: "Kick-off", status: "upcoming", startedAt: null });
  });

  it("refuses another user's agent and creates nothing", async () => {
    expect(
      await createMeeting(database.db, "alice", { name: "X", agentId: bobsAgent.id }),
    ).toBeNull();
    expect(await database.db.select().from(meetings)).toEqual([]);
  });

  it("creates one meeting for the same form submitted twice", async () => {
    const key = "M".repeat(21);
    const input = { name: "Once", agentId: scribe.id };
    const a = await createMeeting(database.db, "alice", input, key);
    const b = await createMeeting(database.db, "alice", input, key);
    expect(b!.id).toBe(a!.id);
    expect(await database.db.select().from(meetings)).toHaveLength(1);
  });
});

describe("lifecycle moves", () => {
  it("takes a meeting through its whole life, setting the times on the way", async () => {
    const meeting = await schedule("Life");
    const before = Date.now() - 60_000;
    const started = await moveMeeting(database.db, "alice", meeting.id, "start");
    if (started.status !== "moved") throw new Error("not started");
    const { startedAt } = started.meeting;
    expect(started.meeting).toMatchObject({ status: "active", endedAt: null });
    expect(startedAt!.getTime()).toBeGreaterThan(before);
    const ended = await moveMeeting(database.db, "alice", meeting.id, "end");
    if (ended.status !== "moved") throw new Error("not ended");
    const { endedAt } = ended.meeting;
    expect(ended.meeting).toMatchObject({ status: "processing", startedAt });
    expect(endedAt!.getTime()).toBeGreaterThanOrEqual(startedAt!.getTime());
    const completed = await moveMeeting(database.db, "alice", meeting.id, "complete", {
      transcriptUrl: "https://example.test/t",
      recordingUrl: "https://example.test/r",
      summary: "Went well.",
    });
    expect(completed).toMatchObject({
      status: "moved",
      meeting: {
        status: "completed",
        startedAt,
        endedAt,
        transcriptUrl: "https://example.test/t",
        summary: "Went well.",
      },
    });
  });

  it("cancels an upcoming meeting, recording when, and a cancelled meeting is final", async () => {
    const meeting = await schedule("Maybe");
    const cancelled = await moveMeeting(database.db, "alice", meeting.id, "cancel");
    expect(cancelled).toMatchObject({
      status: "moved",
      meeting: { status: "cancelled", startedAt: null },
    });
    expect(cancelled.status === "moved" && cancelled.meeting.endedAt).toBeInstanceOf(Date);
    for (const move of ["start", "cancel", "end", "complete"] as const) {
      expect(await moveMeeting(database.db, "alice", meeting.id, move)).toEqual({
        status: "refused",
        current: "cancelled",
      });
    }
  });

  it("refuses moves that are not allowed from the current status", async () => {
    const meeting = await schedule("Early");
    expect(await moveMeeting(database.db, "alice", meeting.id, "end")).toEqual({
      status: "refused",
      current: "upcoming",
    });
    expect(await moveMeeting(database.db, "alice", meeting.id, "complete")).toEqual({
      status: "refused",
      current: "upcoming",
    });
    expect((await getMeeting(database.db, "alice", meeting.id))!.status).toBe("upcoming");
  });

  it("applies exactly one of many identical moves fired at once", async () => {
    const meeting = await schedule("Race");
    const results = await Promise.all(
      Array.from({ length: 20 }, () => moveMeeting(database.db, "alice", meeting.id, "start")),
    );
    expect(results.filter((r) => r.status === "moved")).toHaveLength(1);
    expect(results.filter((r) => r.status === "refused")).toHaveLength(19);
    const [row] = await database.db.select().from(meetings).where(eq(meetings.id, meeting.id));
    expect(row!.status).toBe("active");
  });

  it("lets only one of start and cancel win when both race", async () => {
    const meeting = await schedule("Start or cancel");
    const results = await Promise.all([
      ...Array.from({ length: 10 }, () => moveMeeting(database.db, "alice", meeting.id, "start")),
      ...Array.from({ length: 10 }, () => moveMeeting(database.db, "alice", meeting.id, "cancel")),
    ]);
    expect(results.filter((r) => r.status === "moved")).toHaveLength(1);
    const status = (await getMeeting(database.db, "alice", meeting.id))!.status;
    expect(["active", "cancelled"]).toContain(status);
  });

  it("does not move another user's meeting", async () => {
    const meeting = await schedule("Mine");
    expect(await moveMeeting(database.db, "bob", meeting.id, "start")).toEqual({
      status: "not_found",
    });
    expect((await getMeeting(database.db, "alice", meeting.id))!.status).toBe("upcoming");
  });
});

describe("listing and filtering", () => {
  beforeEach(async () => {
    for (let i = 1; i <= 12; i++) await schedule(`Standup ${i}`, i % 2 ? scribe.id : critic.id);
    const review = await schedule("Design review", critic.id);
    await moveMeeting(database.db, "alice", review.id, "start");
    await schedule("Bob's meeting", bobsAgent.id, "bob");
  });

  it("lists only the user's meetings, newest first, with agent names", async () => {
    const result = await listMeetings(database.db, "alice");
    expect(result).toMatchObject({ total: 13, page: 1, pageCount: 2 });
    expect(result.meetings[0]).toMatchObject({ name: "Design review", agentName: "Critic" });
    expect(result.meetings.some((m) => m.name === "Bob's meeting")).toBe(false);
  });

  it("filters by status, agent and name, together", async () => {
    const active = await listMeetings(database.db, "alice", { status: "active" });
    expect(active.meetings.map((m) => m.name)).toEqual(["Design review"]);
    const byCritic = await listMeetings(database.db, "alice", { agentId: critic.id });
    expect(byCritic.total).toBe(7);
    const combined = await listMeetings(database.db, "alice", {
      agentId: scribe.id,
      q: "STANDUP 1",
      status: "upcoming",
    });
    expect(combined.meetings.map((m) => m.name).sort()).toEqual(["Standup 1", "Standup 11"]);
  });

  it("pages by ten and clamps the page number", async () => {
    expect((await listMeetings(database.db, "alice", { page: 2 })).meetings).toHaveLength(3);
    expect((await listMeetings(database.db, "alice", { page: 50 })).page).toBe(2);
    expect((await listMeetings(database.db, "alice", { page: -3 })).page).toBe(1);
  });

  it("sorts by name, creation or status, either way, with a stable order across pages", async () => {
    const names = async (sort: MeetingFilters["sort"], page = 1) =>
      (await listMeetings(database.db, "alice", { sort, page })).meetings.map((m) => m.name);
    // Names compare without regard to case: "design review" comes before "Standup".
    expect((await names({ key: "name", direction: "asc" })).slice(0, 4)).toEqual([
      "Design review",
      "Standup 1",
      "Standup 10",
      "Standup 11",
    ]);
    expect((await names({ key: "name", direction: "desc" })).slice(0, 2)).toEqual([
      "Standup 9",
      "Standup 8",
    ]);
    expect((await names({ key: "created", direction: "asc" })).slice(0, 2)).toEqual([
      "Standup 1",
      "Standup 2",
    ]);
    // Status in lifecycle order: the twelve upcoming (newest first), then the active one.
    const byStatus = [
      ...(await names({ key: "status", direction: "asc" })),
      ...(await names({ key: "status", direction: "asc" }, 2)),
    ];
    expect(byStatus.at(-1)).toBe("Design review");
    expect(byStatus.slice(0, 2)).toEqual(["Standup 12", "Standup 11"]);
    expect(new Set(byStatus).size).toBe(13);
    expect((await names({ key: "status", direction: "desc" }))[0]).toBe("Design review");
  });

  it("finds nothing through another user's agent id", async () => {
    expect((await listMeetings(database.db, "alice", { agentId: bobsAgent.id })).total).toBe(0);
  });

  it("counts meetings per status for the dashboard, active first and next upcoming", async () => {
    const dashboard = await getDashboard(database.db, "alice");
    expect(dashboard.counts).toEqual({ upcoming: 12, active: 1 });
    expect(dashboard.active.map((m) => m.name)).toEqual(["Design review"]);
    expect(dashboard.upcoming.map((m) => m.name)).toEqual([
      "Standup 1",
      "Standup 2",
      "Standup 3",
      "Standup 4",
      "Standup 5",
    ]);
  });
});

describe("editing and deleting", () => {
  it("changes the agent only while upcoming, and results only once processing", async () => {
    const meeting = await schedule("Edit me");
    const edited = await updateMeeting(database.db, "alice", meeting.id, meeting.updatedAt, {
      name: "Renamed",
      agentId: critic.id,
      summary: "ignored while upcoming",
    });
    expect(edited).toMatchObject({
      status: "updated",
      meeting: { name: "Renamed", agentId: critic.id, summary: null },
    });
    await moveMeeting(database.db, "alice", meeting.id, "start");
    await moveMeeting(database.db, "alice", meeting.id, "end");
    const processing = (await getMeeting(database.db, "alice", meeting.id))!;
    const withResults = await updateMeeting(
      database.db,
      "alice",
      meeting.id,
      processing.updatedAt,
      {
        name: "Renamed",
        agentId: scribe.id,
        summary: "Now it counts",
        recordingUrl: "https://example.test/rec",
      },
    );
    expect(withResults).toMatchObject({
      status: "updated",
      meeting: {
        agentId: critic.id,
        summary: "Now it counts",
        recordingUrl: "https://example.test/rec",
      },
    });
  });

  it("refuses an edit from a version older than a move made meanwhile", async () => {
    const meeting = await schedule("Moving target");
    await moveMeeting(database.db, "alice", meeting.id, "start");
    const result = await updateMeeting(database.db, "alice", meeting.id, meeting.updatedAt, {
      name: "Stale",
    });
    expect(result).toMatchObject({ status: "conflict", current: { status: "active" } });
    expect((await getMeeting(database.db, "alice", meeting.id))!.name).toBe("Moving target");
  });

  it("refuses to move a meeting to another user's agent", async () => {
    const meeting = await schedule("Loyal");
    expect(
      await updateMeeting(database.db, "alice", meeting.id, meeting.updatedAt, {
        name: "Loyal",
        agentId: bobsAgent.id,
      }),
    ).toEqual({ status: "agent_not_found" });
  });

  it("deletes only the meeting, and never another user's", async () => {
    const meeting = await schedule("Short-lived");
    expect(await deleteMeeting(database.db, "bob", meeting.id)).toBe(false);
    expect(await deleteMeeting(database.db, "alice", meeting.id)).toBe(true);
    expect(await getMeeting(database.db, "alice", meeting.id)).toBeUndefined();
    expect((await listMeetings(database.db, "alice")).total).toBe(0);
    // The agent stays.
    expect(
      (await createMeeting(database.db, "alice", { name: "Again", agentId: scribe.id }))?.agentId,
    ).toBe(scribe.id);
  });
});

// An agent deleted by another request between the ownership check and the write: the write
// must answer "no such agent", not fail. Interleaving requests needs two connections, so these
// specs exist only on PostgreSQL runs (CI runs the integration suite on both engines).

let other: DatabaseHandle;

/**
 * Deletes the agent in a transaction of the other instance that stays open while `write` runs
 * (its insert or update waits on the deleted row's lock), then commits.
 */
async function whileAgentIsBeingDeleted<T>(agentId: string, write: () => Promise<T>): Promise<T> {
  let commit!: () => void;
  let deleted!: () => void;
  const committing = new Promise<void>((resolve) => (commit = resolve));
  const deletedRow = new Promise<void>((resolve) => (deleted = resolve));
  const deletion = other.db.transaction(async (tx) => {
    await tx.delete(agents).where(eq(agents.id, agentId));
    deleted();
    await committing;
  });
  await deletedRow;
  const writing = write();
  // Long enough for the write to pass its check and block on the row lock.
  await new Promise((resolve) => setTimeout(resolve, 300));
  commit();
  await deletion;
  return writing;
}

const newAgent = (name: string) =>
  createAgent(database.db, "alice", { name, instructions: "x", githubRepo: null });

if (process.env.TEST_DATABASE_URL)
  describe("an agent deleted while a meeting is written", () => {
    beforeAll(() => {
      other = openAnotherInstance(database)!;
    });
    afterAll(() => other.close());

    it("makes scheduling a meeting with it answer 'no such agent', writing nothing", async () => {
      const agent = await newAgent("Doomed");
      const created = await whileAgentIsBeingDeleted(agent.id, () =>
        createMeeting(database.db, "alice", { name: "Standup", agentId: agent.id }),
      );
      expect(created).toBeNull();
      expect(await database.db.select().from(meetings).where(eq(meetings.name, "Standup"))).toEqual(
        [],
      );
    });

    it("makes moving a meeting to it answer 'agent not found'", async () => {
      const [kept, doomed] = [await newAgent("Kept"), await newAgent("Doomed too")];
      const meeting = (await createMeeting(database.db, "alice", {
        name: "Review",
        agentId: kept.id,
      }))!;
      const result = await whileAgentIsBeingDeleted(doomed.id, () =>
        updateMeeting(database.db, "alice", meeting.id, meeting.updatedAt, {
          name: "Review",
          agentId: doomed.id,
        }),
      );
      expect(result).toEqual({ status: "agent_not_found" });
      const [row] = await database.db.select().from(meetings).where(eq(meetings.id, meeting.id));
      expect(row!.agentId).toBe(kept.id);
    });
  });
