import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabaseHandle, type DatabaseHandle } from "~/db/client.server";
import { getMeeting } from "~/meetings/queries.server";
import { listActionItems } from "~/processing/action-items.server";
import {
  createMeetingQueue,
  MEETING_JOB,
  sendMeetingJob,
  workMeetingJobs,
  type MeetingJobSettings,
} from "~/processing/meeting-job.server";
import { closeJobQueue, openJobQueue, type JobQueue } from "~/processing/queue.server";
import { offlineSummariser, type Summariser } from "~/processing/summariser.server";
import { setTemporaryTranscript } from "~/processing/transcript-source.server";
import { createTestDatabase, openAnotherInstance } from "../support/database";
import { countingSummariser, endedMeeting, userWithAgent, waitFor } from "../support/processing";
import { queryRows } from "../support/sql";
import { planningMeeting } from "../support/transcripts";

// Several processes on one database: each works the queue through its own pg-boss (on
// PostgreSQL with its own connections, as another instance would; on PGlite, which one process
// owns, through the same database).

let database: DatabaseHandle;
let other: DatabaseHandle;
const settings: MeetingJobSettings = { retryDelaySeconds: 1, expireInSeconds: 30 };
const polling = { pollingIntervalSeconds: 0.5 };

beforeAll(async () => {
  database = await createTestDatabase();
  setDatabaseHandle(database);
  other = openAnotherInstance(database) ?? database;
});
afterAll(async () => {
  if (other !== database) await other.close();
  await database.close();
});

async function queueOn(handle: DatabaseHandle): Promise<JobQueue> {
  const queue = await openJobQueue(handle, polling);
  await createMeetingQueue(queue, settings);
  return queue;
}

const jobStates = (meetingId: string) =>
  queryRows<{ state: string }>(
    database.db,
    sql`select state from pgboss.job where name = ${MEETING_JOB} and singleton_key = ${meetingId}`,
  );

async function processingMeetings(count: number) {
  const { user, agent } = await userWithAgent(database.db);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const meeting = await endedMeeting(database.db, user.id, agent.id, `Meeting ${i}`);
    setTemporaryTranscript(meeting.id, planningMeeting);
    ids.push(meeting.id);
  }
  return { userId: user.id, ids };
}

describe("two workers on one database", () => {
  it("process each meeting once, however many times and through whichever it was queued", async () => {
    const first = await queueOn(database);
    const second = await queueOn(other);
    try {
      const { userId, ids } = await processingMeetings(6);
      // Every meeting queued four times, through both, before anyone works: one job each.
      const sent = await Promise.all(
        ids.flatMap((meetingId) =>
          [first, second, first, second].map((queue) =>
            sendMeetingJob(queue, database.db, { meetingId, userId }, settings),
          ),
        ),
      );
      expect(sent.filter(Boolean)).toHaveLength(ids.length);

      const a = countingSummariser(100);
      const b = countingSummariser(100);
      await workMeetingJobs(first, database.db, a, polling);
      await workMeetingJobs(second, other.db, b, polling);
      await waitFor(
        async () => {
          const statuses = await Promise.all(
            ids.map(async (id) => (await getMeeting(database.db, userId, id))!.status),
          );
          return statuses.every((s) => s === "completed");
        },
        { what: "every meeting to complete", timeoutMs: 30_000 },
      );

      expect([...a.runs, ...b.runs].sort()).toEqual([...ids].sort());
      for (const id of ids) {
        expect(await jobStates(id)).toEqual([{ state: "completed" }]);
        expect(await listActionItems(database.db, userId, id)).toHaveLength(2);
      }
    } finally {
      await closeJobQueue(first, 1000);
      await closeJobQueue(second, 1000);
    }
  }, 60_000);
});

/** A summariser that holds each summary until the spec lets it go. */
function heldSummariser() {
  let started!: () => void;
  let settle!: (error?: Error) => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const release = new Promise<Error | undefined>((resolve) => (settle = resolve));
  const summariser: Summariser = {
    name: "held",
    async summarise(request) {
      started();
      const error = await release;
      if (error) throw error;
      return offlineSummariser.summarise(request);
    },
  };
  return { summariser, running, settle };
}

describe("a worker that stops", () => {
  it("finishes the job in hand within the grace period", async () => {
    const queue = await queueOn(database);
    const { summariser, running, settle } = heldSummariser();
    await workMeetingJobs(queue, database.db, summariser, polling);
    const { userId, ids } = await processingMeetings(1);
    await sendMeetingJob(queue, database.db, { meetingId: ids[0]!, userId }, settings);
    await running;
    const stopping = closeJobQueue(queue, 10_000);
    setTimeout(() => settle(), 300);
    await stopping;
    expect((await getMeeting(database.db, userId, ids[0]!))!.status).toBe("completed");
    expect(await jobStates(ids[0]!)).toEqual([{ state: "completed" }]);
  });

  it("hands the job back after the grace period, and another worker completes it", async () => {
    const queue = await queueOn(database);
    const held = heldSummariser();
    await workMeetingJobs(queue, database.db, held.summariser, polling);
    const { userId, ids } = await processingMeetings(1);
    const meetingId = ids[0]!;
    await sendMeetingJob(queue, database.db, { meetingId, userId }, settings);
    await held.running;
    // pg-boss's own stop, keeping its connections until the held run has ended below.
    await queue.stop({ graceful: true, wait: true, timeout: 1000, close: false });
    expect(await jobStates(meetingId)).toEqual([{ state: "retry" }]);
    expect((await getMeeting(database.db, userId, meetingId))!.status).toBe("processing");
    held.settle(new Error("stopped"));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await (queue.getDb() as unknown as { close?: () => Promise<void> }).close?.();

    const next = await queueOn(other);
    try {
      await workMeetingJobs(next, other.db, offlineSummariser, polling);
      await waitFor(
        async () => (await getMeeting(database.db, userId, meetingId))!.status === "completed",
        { what: "the handed-back job to complete elsewhere" },
      );
      expect(await jobStates(meetingId)).toEqual([{ state: "completed" }]);
    } finally {
      await closeJobQueue(next, 1000);
    }
  });
});
