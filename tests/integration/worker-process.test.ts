import { afterAll, beforeAll, expect, it } from "vitest";
import { setDatabaseHandle, type DatabaseHandle } from "~/db/client.server";
import { getMeeting } from "~/meetings/queries.server";
import { createMeetingQueue, sendMeetingJob } from "~/processing/meeting-job.server";
import { closeJobQueue, openJobQueue } from "~/processing/queue.server";
import { setTemporaryTranscript } from "~/processing/transcript-source.server";
import { startWorker } from "~/server";
import { createTestDatabase, openAnotherInstance } from "../support/database";
import { endedMeeting, userWithAgent, waitFor } from "../support/processing";
import { planningMeeting } from "../support/transcripts";

// `npm run worker` (server.js --worker calls startWorker): a process that only works the queue,
// beside web processes on the same PostgreSQL. PGlite belongs to one process, so there it
// refuses to start and says why.

let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
  // The worker's shutdown closes the process's database; this spec closes the real one itself.
  setDatabaseHandle({ ...database, close: async () => {} });
  // The configuration is read on first use, in this file's own module graph.
  if (database.url) process.env.DATABASE_URL = database.url;
  else delete process.env.DATABASE_URL;
});
afterAll(() => database.close());

it("works the jobs a web process sends on PostgreSQL, and explains why it cannot on PGlite", async () => {
  if (database.engine === "pglite") {
    await expect(startWorker()).rejects.toThrow(
      /^A worker process needs PostgreSQL \(set DATABASE_URL\)/,
    );
    return;
  }
  const worker = await startWorker();
  expect(worker.log).toEqual([
    expect.stringMatching(/^Database: PostgreSQL at .* \(migrations applied\)$/),
    "Jobs: worked in this process; summaries: offline",
  ]);
  // A web process with WORKER=off: it sends, the worker works.
  const web = openAnotherInstance(database)!;
  const queue = await openJobQueue(web);
  try {
    await createMeetingQueue(queue);
    const { user, agent } = await userWithAgent(database.db);
    const meeting = await endedMeeting(database.db, user.id, agent.id);
    setTemporaryTranscript(meeting.id, planningMeeting);
    await sendMeetingJob(queue, web.db, { meetingId: meeting.id, userId: user.id });
    await waitFor(
      async () => (await getMeeting(database.db, user.id, meeting.id))?.status === "completed",
      { what: "the worker to complete the meeting" },
    );
  } finally {
    await closeJobQueue(queue, 1000);
    await web.close();
    await worker.shutdown();
  }
});
