import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabaseHandle, type DatabaseHandle } from "~/db/client.server";
import { actionItems, meetings } from "~/db/schema";
import { getMeeting } from "~/meetings/queries.server";
import { listActionItems } from "~/processing/action-items.server";
import { startProcessing, stopProcessing } from "~/processing/processing.server";
import { offlineSummariser } from "~/processing/summariser.server";
import { setTemporaryTranscript } from "~/processing/transcript-source.server";
import { loader as dashboard } from "~/routes/home";
import * as actionItemPage from "~/routes/meetings/action-item";
import * as meetingPage from "~/routes/meetings/detail";
import * as regeneratePage from "~/routes/meetings/regenerate";
import { createTestDatabase } from "../support/database";
import { endedMeeting, userWithAgent, waitFor } from "../support/processing";
import { callRoute, sessionUser, type Reply } from "../support/routes";
import { planningMeeting } from "../support/transcripts";

// The meeting page's processing panel, its action items and the pages behind them, as the
// browser meets them without JavaScript: forms, status codes, redirects and what is stored.

let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
  setDatabaseHandle(database);
  await startProcessing(database, {
    work: true,
    summariser: offlineSummariser,
    settings: { retryDelaySeconds: 1, expireInSeconds: 30 },
    pollingIntervalSeconds: 0.5,
  });
});
afterAll(async () => {
  await stopProcessing(2000);
  await database.close();
});

async function someone() {
  const { user, agent } = await userWithAgent(database.db);
  return { user: sessionUser(user), agent };
}

const page = (user: ReturnType<typeof sessionUser>, meetingId: string) =>
  callRoute(meetingPage.loader, `/meetings/${meetingId}`, { user, params: { meetingId } });

const post = (
  user: ReturnType<typeof sessionUser>,
  meetingId: string,
  form: Record<string, string | string[]>,
) => callRoute(meetingPage.action, `/meetings/${meetingId}`, { user, params: { meetingId }, form });

type PageData = Awaited<ReturnType<typeof meetingPage.loader>>;
const dataOf = (reply: Reply) => reply.data as PageData;
const fieldErrors = (reply: Reply) =>
  (reply.data as { result: { error: Record<string, string[]> } }).result.error;

describe("the processing panel", () => {
  it("End queues the processing, and the page then waits for the transcript", async () => {
    const { user, agent } = await someone();
    const meeting = await endedMeeting(database.db, user.id, agent.id);
    await database.db
      .update(meetings)
      .set({ status: "active", endedAt: null })
      .where(eq(meetings.id, meeting.id));
    const ended = await post(user, meeting.id, { intent: "end" });
    expect(ended).toMatchObject({ status: 302, location: `/meetings/${meeting.id}` });
    const waiting = await waitFor(async () => {
      const reply = await page(user, meeting.id);
      return dataOf(reply).processing?.stage === "waiting_for_transcript" && dataOf(reply);
    });
    expect(waiting.processing).toMatchObject({ timedOut: false });
  });

  it("Complete without summary keeps the results the meeting has; Retry then has nothing to do", async () => {
    const { user, agent } = await someone();
    const meeting = await endedMeeting(database.db, user.id, agent.id);
    await database.db
      .update(meetings)
      .set({ recordingUrl: "https://video.example/r.mp4" })
      .where(eq(meetings.id, meeting.id));
    expect(await post(user, meeting.id, { intent: "finish" })).toMatchObject({ status: 302 });
    expect(await getMeeting(database.db, user.id, meeting.id)).toMatchObject({
      status: "completed",
      summary: null,
      recordingUrl: "https://video.example/r.mp4",
    });
    const retried = await post(user, meeting.id, { intent: "retry" });
    expect(retried.status).toBe(409);
    expect(retried.data).toMatchObject({ refusal: expect.stringMatching(/no longer processing/) });
    expect((await post(user, meeting.id, { intent: "finish" })).status).toBe(409);
  });

  it("Start processing queues a meeting that had no job, and it completes", async () => {
    const { user, agent } = await someone();
    const meeting = await endedMeeting(database.db, user.id, agent.id);
    expect(dataOf(await page(user, meeting.id)).processing).toEqual({ stage: "not_started" });
    setTemporaryTranscript(meeting.id, planningMeeting);
    expect(await post(user, meeting.id, { intent: "retry" })).toMatchObject({ status: 302 });
    await waitFor(async () => dataOf(await page(user, meeting.id)).meeting.status === "completed");
    const completed = dataOf(await page(user, meeting.id));
    expect(completed.processing).toBeNull();
    expect(completed.canRegenerate).toBe(true);
    expect(completed.actionItems).toHaveLength(2);
  });

  it("answers 404 for another user's meeting, whatever the intent", async () => {
    const owner = await someone();
    const meeting = await endedMeeting(database.db, owner.user.id, owner.agent.id);
    const stranger = await someone();
    expect((await page(stranger.user, meeting.id)).status).toBe(404);
    for (const intent of ["retry", "finish", "item-add", "item-done", "item-undone"]) {
      const reply = await post(stranger.user, meeting.id, { intent, text: "x", itemId: "x" });
      expect(reply.status, intent).toBe(404);
    }
    expect((await getMeeting(database.db, owner.user.id, meeting.id))!.status).toBe("processing");
  });
});

describe("action items", () => {
  it("adds one by hand, with the errors beside the field and nothing stored for bad input", async () => {
    const { user, agent } = await someone();
    const meeting = await endedMeeting(database.db, user.id, agent.id);
    const empty = await post(user, meeting.id, { intent: "item-add", text: "  " });
    expect(empty.status).toBe(400);
    expect(fieldErrors(empty)).toEqual({ text: ["Describe the action item"] });
    const long = await post(user, meeting.id, { intent: "item-add", text: "x".repeat(501) });
    expect(fieldErrors(long)).toEqual({ text: ["An action item can be at most 500 characters"] });
    expect(await listActionItems(database.db, user.id, meeting.id)).toEqual([]);

    const added = await post(user, meeting.id, {
      intent: "item-add",
      text: "Book the room",
      owner: "Ada",
    });
    expect(added).toMatchObject({ status: 302, location: `/meetings/${meeting.id}` });
    expect(dataOf(await page(user, meeting.id)).actionItems).toMatchObject([
      { text: "Book the room", owner: "Ada", done: false, origin: "person", atMs: null },
    ]);
  });

  it("refuses items on a meeting that has not started", async () => {
    const { user, agent } = await someone();
    const meeting = await endedMeeting(database.db, user.id, agent.id);
    await database.db
      .update(meetings)
      .set({ status: "upcoming", startedAt: null, endedAt: null })
      .where(eq(meetings.id, meeting.id));
    const refused = await post(user, meeting.id, { intent: "item-add", text: "Too early" });
    expect(refused.status).toBe(409);
    expect(await listActionItems(database.db, user.id, meeting.id)).toEqual([]);
  });

  it("ticks an item done and open again, and lists the open ones on the dashboard", async () => {
    const { user, agent } = await someone();
    const meeting = await endedMeeting(database.db, user.id, agent.id, "Planning");
    await post(user, meeting.id, { intent: "item-add", text: "Write the plan" });
    await post(user, meeting.id, { intent: "item-add", text: "Send the invite" });
    const [write, send] = await listActionItems(database.db, user.id, meeting.id);
    expect(await post(user, meeting.id, { intent: "item-done", itemId: write!.id })).toMatchObject({
      status: 302,
    });
    const home = await callRoute(dashboard, "/", { user });
    const open = (home.data as { dashboard: { actionItems: { items: unknown[]; total: number } } })
      .dashboard.actionItems;
    expect(open).toEqual({
      total: 1,
      items: [
        expect.objectContaining({ id: send!.id, text: "Send the invite", meetingName: "Planning" }),
      ],
    });
    await post(user, meeting.id, { intent: "item-undone", itemId: write!.id });
    const [again] = await database.db
      .select()
      .from(actionItems)
      .where(eq(actionItems.id, write!.id));
    expect(again!.done).toBe(false);

    // Someone else's dashboard does not see them, and cannot tick them.
    const stranger = await someone();
    const theirs = await callRoute(dashboard, "/", { user: stranger.user });
    expect(
      (theirs.data as { dashboard: { actionItems: { total: number } } }).dashboard.actionItems
        .total,
    ).toBe(0);
    const strangerMeeting = await endedMeeting(database.db, stranger.user.id, stranger.agent.id);
    const foreign = await post(stranger.user, strangerMeeting.id, {
      intent: "item-done",
      itemId: write!.id,
    });
    expect(foreign.status).toBe(404);
  });

  it("edits and deletes an item on its own page, which is 404 for anyone else", async () => {
    const { user, agent } = await someone();
    const meeting = await endedMeeting(database.db, user.id, agent.id);
    await post(user, meeting.id, { intent: "item-add", text: "Old text" });
    const [item] = await listActionItems(database.db, user.id, meeting.id);
    const params = { meetingId: meeting.id, itemId: item!.id };
    const path = `/meetings/${meeting.id}/action-items/${item!.id}`;

    const shown = await callRoute(actionItemPage.loader, path, { user, params });
    expect(shown.data).toMatchObject({ item: { text: "Old text" } });
    const invalid = await callRoute(actionItemPage.action, path, {
      user,
      params,
      form: { intent: "save", text: "" },
    });
    expect(invalid.status).toBe(400);
    expect(fieldErrors(invalid)).toEqual({ text: ["Describe the action item"] });
    const saved = await callRoute(actionItemPage.action, path, {
      user,
      params,
      form: { intent: "save", text: "New text", owner: "Bob" },
    });
    expect(saved).toMatchObject({ status: 302, location: `/meetings/${meeting.id}` });
    expect(await listActionItems(database.db, user.id, meeting.id)).toMatchObject([
      { text: "New text", owner: "Bob" },
    ]);

    const stranger = await someone();
    for (const handler of [actionItemPage.loader, actionItemPage.action]) {
      const reply = await callRoute(handler, path, {
        user: stranger.user,
        params,
        ...(handler === actionItemPage.action ? { form: { intent: "delete" } } : {}),
      });
      expect(reply.status).toBe(404);
    }
    const deleted = await callRoute(actionItemPage.action, path, {
      user,
      params,
      form: { intent: "delete" },
    });
    expect(deleted).toMatchObject({ status: 302 });
    expect(await listActionItems(database.db, user.id, meeting.id)).toEqual([]);
  });
});

describe("regenerating a summary", () => {
  it("asks first, then moves the meeting back to processing and makes a new summary", async () => {
    const { user, agent } = await someone();
    const meeting = await endedMeeting(database.db, user.id, agent.id);
    setTemporaryTranscript(meeting.id, planningMeeting);
    await post(user, meeting.id, { intent: "retry" });
    await waitFor(async () => dataOf(await page(user, meeting.id)).meeting.status === "completed");
    await database.db
      .update(meetings)
      .set({ summary: "Old summary." })
      .where(eq(meetings.id, meeting.id));

    const path = `/meetings/${meeting.id}/regenerate`;
    const params = { meetingId: meeting.id };
    const asked = await callRoute(regeneratePage.loader, path, { user, params });
    expect(asked.data).toMatchObject({ refusal: null });
    const done = await callRoute(regeneratePage.action, path, { user, params, form: {} });
    expect(done).toMatchObject({ status: 302, location: `/meetings/${meeting.id}` });
    await waitFor(async () => {
      const stored = await getMeeting(database.db, user.id, meeting.id);
      return stored?.status === "completed" && stored.summary?.startsWith("## Overview");
    });
  });

  it("refuses without a transcript, for a meeting that is not completed, and 404s for others", async () => {
    const { user, agent } = await someone();
    const meeting = await endedMeeting(database.db, user.id, agent.id);
    const path = `/meetings/${meeting.id}/regenerate`;
    const params = { meetingId: meeting.id };
    const processing = await callRoute(regeneratePage.loader, path, { user, params });
    expect(processing.data).toMatchObject({
      refusal: "This meeting's summary is already being made.",
    });
    await post(user, meeting.id, { intent: "finish" });
    const noTranscript = await callRoute(regeneratePage.action, path, { user, params, form: {} });
    expect(noTranscript.status).toBe(409);
    expect((await getMeeting(database.db, user.id, meeting.id))!.status).toBe("completed");

    const stranger = await someone();
    expect(
      (await callRoute(regeneratePage.loader, path, { user: stranger.user, params })).status,
    ).toBe(404);
    expect(
      (await callRoute(regeneratePage.action, path, { user: stranger.user, params, form: {} }))
        .status,
    ).toBe(404);
  });
});
