import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabaseHandle, type DatabaseHandle } from "~/db/client.server";
import { actionItems, meetingProcessing, meetings } from "~/db/schema";
import { getMeeting, moveMeeting } from "~/meetings/queries.server";
import {
  editActionItem,
  listActionItems,
  setActionItemDone,
} from "~/processing/action-items.server";
import { processMeeting } from "~/processing/meeting-job.server";
import {
  enqueueMeetingProcessing,
  getProcessingView,
  retryMeetingProcessing,
  startProcessing,
  stopProcessing,
  transcriptArrived,
} from "~/processing/processing.server";
import { offlineSummariser } from "~/processing/summariser.server";
import { setTemporaryTranscript } from "~/processing/transcript-source.server";
import { createTestDatabase } from "../support/database";
import { countingSummariser, endedMeeting, userWithAgent, waitFor } from "../support/processing";
import { queryRows } from "../support/sql";
import { planningMeeting, transcriptOf } from "../support/transcripts";

// meeting.process on a real database with pg-boss working the queue in this process.

let database: DatabaseHandle;
const summariser = countingSummariser();
beforeAll(async () => {
  database = await createTestDatabase();
  setDatabaseHandle(database);
  await startProcessing(database, {
    work: true,
    summariser,
    settings: { retryDelaySeconds: 1, expireInSeconds: 30 },
    pollingIntervalSeconds: 0.5,
  });
});
afterAll(async () => {
  await stopProcessing(2000);
  await database.close();
});

const statusOf = async (userId: string, meetingId: string) =>
  (await getMeeting(database.db, userId, meetingId))?.status;

const completed = (userId: string, meetingId: string) =>
  waitFor(async () => (await statusOf(userId, meetingId)) === "completed", {
    what: "the meeting to complete",
  });

describe("processing a meeting", () => {
  it("waits for a transcript without failing, then completes when the transcript arrives", async () => {
    const { user, agent } = await userWithAgent(database.db);
    const meeting = await endedMeeting(database.db, user.id, agent.id);
    await enqueueMeetingProcessing(database.db, user.id, meeting.id);
    const view = async () =>
      getProcessingView(
        database.db,
        user.id,
        (await getMeeting(database.db, user.id, meeting.id))!,
        {
          timeoutMs: 3_600_000,
        },
      );
    await waitFor(async () => (await view())?.stage === "waiting_for_transcript", {
      what: "the job to wait for the transcript",
    });
    expect(await statusOf(user.id, meeting.id)).toBe("processing");

    setTemporaryTranscript(meeting.id, planningMeeting);
    expect(await transcriptArrived(database.db, user.id, meeting.id)).toBe(true);
    await completed(user.id, meeting.id);

    const stored = (await getMeeting(database.db, user.id, meeting.id))!;
    expect(stored.summary).toContain("## Overview");
    expect(stored.summary).toContain(
      `[1:02](/meetings/${meeting.id}/transcript?t=62#segment-4) **Cleo**: I'll write the import script for the old invoices by Friday.`,
    );
    const items = await listActionItems(database.db, user.id, meeting.id);
    expect(items.map((i) => [i.text, i.owner, i.atMs, i.origin])).toEqual([
      ["I'll write the import script for the old invoices by Friday.", "Cleo", 62_000, "summary"],
      ["Bob will review the import script before the end of the week.", "Bob", 80_000, "summary"],
    ]);
    expect(await view()).toBeNull();
    const [row] = await database.db
      .select()
      .from(meetingProcessing)
      .where(eq(meetingProcessing.meetingId, meeting.id));
    expect(row).toMatchObject({ stage: "completed", error: null });
  });

  it("does nothing for a transcript that arrives when the meeting is not processing", async () => {
    const { user, agent } = await userWithAgent(database.db);
    const meeting = await endedMeeting(database.db, user.id, agent.id);
    await moveMeeting(database.db, user.id, meeting.id, "complete", { summary: "By hand." });
    setTemporaryTranscript(meeting.id, planningMeeting);
    expect(await transcriptArrived(database.db, user.id, meeting.id)).toBe(false);
    expect(await transcriptArrived(database.db, "someone-else", meeting.id)).toBe(false);
  });

  it("changes nothing when it runs again, or after the meeting was completed by hand", async () => {
    const { user, agent } = await userWithAgent(database.db);
    const meeting = await endedMeeting(database.db, user.id, agent.id);
    setTemporaryTranscript(meeting.id, planningMeeting);
    const data = { meetingId: meeting.id, userId: user.id };
    expect(await processMeeting(database.db, data, offlineSummariser)).toEqual({
      outcome: "completed",
    });
    const first = (await getMeeting(database.db, user.id, meeting.id))!;
    const firstItems = await listActionItems(database.db, user.id, meeting.id);
    expect(await processMeeting(database.db, data, offlineSummariser)).toEqual({
      outcome: "not_processing",
      status: "completed",
    });
    expect(await getMeeting(database.db, user.id, meeting.id)).toEqual(first);
    expect(await listActionItems(database.db, user.id, meeting.id)).toEqual(firstItems);

    const byHand = await endedMeeting(database.db, user.id, agent.id, "By hand");
    setTemporaryTranscript(byHand.id, planningMeeting);
    await moveMeeting(database.db, user.id, byHand.id, "complete", {
      summary: "Typed by a person.",
    });
    expect(
      await processMeeting(
        database.db,
        { meetingId: byHand.id, userId: user.id },
        offlineSummariser,
      ),
    ).toEqual({ outcome: "not_processing", status: "completed" });
    expect((await getMeeting(database.db, user.id, byHand.id))!.summary).toBe("Typed by a person.");
    expect(await listActionItems(database.db, user.id, byHand.id)).toEqual([]);
  });

  it("runs for the meeting's own user only", async () => {
    const { user, agent } = await userWithAgent(database.db);
    const meeting = await endedMeeting(database.db, user.id, agent.id);
    setTemporaryTranscript(meeting.id, planningMeeting);
    expect(
      await processMeeting(
        database.db,
        { meetingId: meeting.id, userId: "other" },
        offlineSummariser,
      ),
    ).toEqual({ outcome: "meeting_gone" });
    expect(await statusOf(user.id, meeting.id)).toBe("processing");
    expect(await retryMeetingProcessing(database.db, "other", meeting.id)).toEqual({
      status: "not_found",
    });
  });

  it("queues one job for a meeting however often it is asked while one waits", async () => {
    const { user, agent } = await userWithAgent(database.db);
    const meeting = await endedMeeting(database.db, user.id, agent.id);
    setTemporaryTranscript(meeting.id, planningMeeting);
    const before = summariser.runs.filter((id) => id === meeting.id).length;
    const ids = await Promise.all(
      Array.from({ length: 5 }, () => enqueueMeetingProcessing(database.db, user.id, meeting.id)),
    );
    await completed(user.id, meeting.id);
    // Jobs sent while the first still waited were not created; any sent after it started
    // found the meeting completed and did not summarise it again.
    const created = ids.filter(Boolean);
    expect(created.length).toBeGreaterThanOrEqual(1);
    await waitFor(
      async () => {
        const rows = await queryRows<{ state: string }>(
          database.db,
          sql`select state from pgboss.job where singleton_key = ${meeting.id}`,
        );
        return rows.length === created.length && rows.every((r) => r.state === "completed");
      },
      { what: "every job to finish" },
    );
    expect(summariser.runs.filter((id) => id === meeting.id).length - before).toBe(1);
    expect(await listActionItems(database.db, user.id, meeting.id)).toHaveLength(2);
  });
});

describe("what the meeting page shows", () => {
  it("says when a meeting waited longer than PROCESSING_TIMEOUT for its transcript", async () => {
    const { user, agent } = await userWithAgent(database.db);
    const meeting = await endedMeeting(database.db, user.id, agent.id);
    await enqueueMeetingProcessing(database.db, user.id, meeting.id);
    const view = (now: Date) =>
      getProcessingView(database.db, user.id, meeting, { now, timeoutMs: 24 * 3_600_000 });
    await waitFor(async () => (await view(new Date()))?.stage === "waiting_for_transcript");
    const ended = meeting.endedAt!.getTime();
    expect(await view(new Date(ended + 23 * 3_600_000))).toMatchObject({
      stage: "waiting_for_transcript",
      timedOut: false,
    });
    expect(await view(new Date(ended + 25 * 3_600_000))).toMatchObject({
      stage: "waiting_for_transcript",
      timedOut: true,
      timeoutMs: 24 * 3_600_000,
    });
  });

  it("says processing has not started for a processing meeting without a job", async () => {
    const { user, agent } = await userWithAgent(database.db);
    const meeting = await endedMeeting(database.db, user.id, agent.id);
    expect(await getProcessingView(database.db, user.id, meeting, { timeoutMs: 1000 })).toEqual({
      stage: "not_started",
    });
    // Start processing (the page's button) queues it.
    setTemporaryTranscript(meeting.id, planningMeeting);
    expect(await retryMeetingProcessing(database.db, user.id, meeting.id)).toEqual({
      status: "queued",
    });
    await completed(user.id, meeting.id);
  });
});

describe("a new summary for a completed meeting", () => {
  it("replaces the summariser's items but keeps those a person ticked or edited", async () => {
    const { user, agent } = await userWithAgent(database.db);
    const meeting = await endedMeeting(database.db, user.id, agent.id);
    setTemporaryTranscript(meeting.id, planningMeeting);
    await enqueueMeetingProcessing(database.db, user.id, meeting.id);
    await completed(user.id, meeting.id);
    const [script, review] = await listActionItems(database.db, user.id, meeting.id);
    await setActionItemDone(database.db, user.id, meeting.id, script!.id, true);

    // A changed transcript: a new commitment, and the review one no longer said.
    setTemporaryTranscript(
      meeting.id,
      transcriptOf([
        ["Cleo", 62, "I'll write the import script for the old invoices by Friday."],
        ["Dev", 90, "I will draft the customer email by Monday."],
        ["Ada", 120, "The monthly invoice run after the migration uses the new ledger."],
      ]),
    );
    const moved = await moveMeeting(database.db, user.id, meeting.id, "regenerate");
    expect(moved).toMatchObject({ status: "moved", meeting: { status: "processing" } });
    await enqueueMeetingProcessing(database.db, user.id, meeting.id);
    await completed(user.id, meeting.id);

    const items = await listActionItems(database.db, user.id, meeting.id);
    expect(items.map((i) => [i.text, i.done, i.origin])).toEqual([
      // Ticked: kept, and not added a second time by the new summary.
      ["I'll write the import script for the old invoices by Friday.", true, "summary"],
      ["I will draft the customer email by Monday.", false, "summary"],
    ]);
    expect(items.some((i) => i.id === review!.id)).toBe(false);
    expect((await getMeeting(database.db, user.id, meeting.id))!.summary).toContain(
      "customer email",
    );

    // An edited item stays, and the next summary does not add its moment again.
    const drafted = items[1]!;
    await editActionItem(database.db, user.id, meeting.id, drafted.id, {
      text: "Draft the customer email",
      owner: "Dev",
    });
    await moveMeeting(database.db, user.id, meeting.id, "regenerate");
    await enqueueMeetingProcessing(database.db, user.id, meeting.id);
    await completed(user.id, meeting.id);
    const rows = await database.db
      .select({ text: actionItems.text, origin: actionItems.origin })
      .from(actionItems)
      .where(and(eq(actionItems.meetingId, meeting.id)))
      .orderBy(actionItems.atMs);
    expect(rows).toEqual([
      { text: "I'll write the import script for the old invoices by Friday.", origin: "summary" },
      { text: "Draft the customer email", origin: "summary" },
    ]);
    const [status] = await database.db
      .select({ status: meetings.status })
      .from(meetings)
      .where(eq(meetings.id, meeting.id));
    expect(status!.status).toBe("completed");
  });
});
