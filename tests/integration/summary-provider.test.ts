import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig } from "~/config.server";
import { setDatabaseHandle, type DatabaseHandle } from "~/db/client.server";
import { meetingProcessing } from "~/db/schema";
import { getMeeting } from "~/meetings/queries.server";
import { listActionItems } from "~/processing/action-items.server";
import { openAiSummariser, transcriptChunks } from "~/processing/openai-summary.server";
import {
  enqueueMeetingProcessing,
  getProcessingView,
  retryMeetingProcessing,
  startProcessing,
  stopProcessing,
} from "~/processing/processing.server";
import { summariserFor } from "~/processing/summariser.server";
import { setTemporaryTranscript } from "~/processing/transcript-source.server";
import { createTestDatabase } from "../support/database";
import { startOpenAiStandIn, type OpenAiStandIn } from "../support/openai-stand-in";
import { endedMeeting, userWithAgent, waitFor } from "../support/processing";
import { generatedMeeting, planningMeeting } from "../support/transcripts";

// SUMMARY_PROVIDER=openai against our OpenAI-compatible stand-in, over HTTP, with the job
// queue working in this process: prompts, chunking, and failures that the job retries.

let database: DatabaseHandle;
let model: OpenAiStandIn;
const apiKey = "sk-test-0123456789";

beforeAll(async () => {
  model = await startOpenAiStandIn({ apiKey });
  Object.assign(process.env, {
    SUMMARY_PROVIDER: "openai",
    SUMMARY_API_URL: model.url,
    SUMMARY_API_KEY: apiKey,
    SUMMARY_MODEL: "gpt-4o-mini",
    SUMMARY_TIMEOUT: "2s",
  });
  database = await createTestDatabase();
  setDatabaseHandle(database);
  await startProcessing(database, {
    work: true,
    summariser: await summariserFor(getConfig().summary),
    settings: { retryDelaySeconds: 1, expireInSeconds: 30 },
    pollingIntervalSeconds: 0.5,
  });
});
afterAll(async () => {
  await stopProcessing(2000);
  await database.close();
  await model.close();
});

async function processingMeeting(segments = planningMeeting, instructions?: string) {
  const { user, agent } = await userWithAgent(database.db, { instructions });
  const meeting = await endedMeeting(database.db, user.id, agent.id);
  setTemporaryTranscript(meeting.id, segments);
  return { userId: user.id, meeting };
}

const statusOf = async (userId: string, meetingId: string) =>
  (await getMeeting(database.db, userId, meetingId))!.status;

const viewOf = async (userId: string, meetingId: string) =>
  getProcessingView(database.db, userId, (await getMeeting(database.db, userId, meetingId))!, {
    timeoutMs: 3_600_000,
  });

describe("summaries by an OpenAI-compatible model", () => {
  it("sends the agent's instructions as the system prompt and stores the answer in our format", async () => {
    const { userId, meeting } = await processingMeeting(
      planningMeeting,
      "Watch for risks to the billing migration.",
    );
    const before = model.requests.length;
    await enqueueMeetingProcessing(database.db, userId, meeting.id);
    await waitFor(async () => (await statusOf(userId, meeting.id)) === "completed");

    const [request, ...more] = model.requests.slice(before);
    expect(more).toEqual([]);
    expect(request).toMatchObject({ model: "gpt-4o-mini", authorization: `Bearer ${apiKey}` });
    const [system, user] = request!.messages;
    expect(system!.role).toBe("system");
    expect(system!.content).toContain("Watch for risks to the billing migration.");
    expect(system!.content).toContain("## Action items");
    expect(user!.content).toContain(
      "[1:02] Cleo: I'll write the import script for the old invoices by Friday.",
    );

    const stored = (await getMeeting(database.db, userId, meeting.id))!.summary!;
    expect(stored).toContain(
      `- [1:02](/meetings/${meeting.id}/transcript?t=62#segment-4) **Cleo**: I'll write the import script for the old invoices by Friday.`,
    );
    expect(stored).toContain("## Decisions");
    const items = await listActionItems(database.db, userId, meeting.id);
    expect(items.map((i) => [i.text, i.owner, i.atMs])).toEqual([
      ["I'll write the import script for the old invoices by Friday.", "Cleo", 62_000],
      ["Bob will review the import script before the end of the week.", "Bob", 80_000],
    ]);
  });

  it("summarises a long transcript in parts, then combines the parts' notes", async () => {
    const hour = generatedMeeting(60);
    const parts = transcriptChunks(hour).length;
    expect(parts).toBeGreaterThan(1);
    const { userId, meeting } = await processingMeeting(hour);
    const before = model.requests.length;
    await enqueueMeetingProcessing(database.db, userId, meeting.id);
    await waitFor(async () => (await statusOf(userId, meeting.id)) === "completed", {
      timeoutMs: 30_000,
    });
    const sent = model.requests.slice(before);
    expect(sent).toHaveLength(parts + 1);
    sent.slice(0, parts).forEach((request, i) => {
      expect(request.messages[1]!.content).toContain(`This is part ${i + 1} of ${parts}`);
      expect(request.messages[1]!.content.length).toBeLessThan(24_000 + 500);
    });
    expect(sent.at(-1)!.messages[1]!.content).toContain(`Notes of part ${parts}:`);
    expect((await listActionItems(database.db, userId, meeting.id)).length).toBeGreaterThan(0);
  });
});

describe("failures", () => {
  it("counts a timeout as a failed try, and the next try succeeds", async () => {
    const { userId, meeting } = await processingMeeting();
    model.addFault({ delayMs: 3000, times: 1 });
    await enqueueMeetingProcessing(database.db, userId, meeting.id);
    const retrying = await waitFor(
      async () => {
        const view = await viewOf(userId, meeting.id);
        return view?.stage === "retrying" && view;
      },
      { what: "the first try to fail" },
    );
    expect(retrying).toMatchObject({
      attempt: 1,
      tries: 3,
      reason: expect.stringMatching(
        /^The model server at 127\.0\.0\.1:\d+ did not answer within 2 s\.$/,
      ),
    });
    await waitFor(async () => (await statusOf(userId, meeting.id)) === "completed", {
      what: "the second try to complete the meeting",
    });
  });

  it("stops after three tries, says why in words, and starts over on Retry", async () => {
    const { userId, meeting } = await processingMeeting();
    model.addFault({ status: 500, times: 3 });
    await enqueueMeetingProcessing(database.db, userId, meeting.id);
    const failed = await waitFor(
      async () => {
        const view = await viewOf(userId, meeting.id);
        return view?.stage === "failed" && view;
      },
      { what: "three tries to fail", timeoutMs: 20_000 },
    );
    expect(failed).toEqual({
      stage: "failed",
      reason: expect.stringMatching(/answered with an error \(HTTP 500\)\.$/),
    });
    const [row] = await database.db
      .select()
      .from(meetingProcessing)
      .where(eq(meetingProcessing.meetingId, meeting.id));
    expect(row).toMatchObject({ stage: "failed", attempt: 3 });
    expect(await statusOf(userId, meeting.id)).toBe("processing");

    expect(await retryMeetingProcessing(database.db, userId, meeting.id)).toEqual({
      status: "queued",
    });
    await waitFor(async () => (await statusOf(userId, meeting.id)) === "completed");
  });

  it("fails an answer that does not come in the summary's sections", async () => {
    const { userId, meeting } = await processingMeeting();
    model.answerWith("Here are some notes.", "Here are some notes.", "Here are some notes.");
    await enqueueMeetingProcessing(database.db, userId, meeting.id);
    const failed = await waitFor(
      async () => {
        const view = await viewOf(userId, meeting.id);
        return view?.stage === "failed" && view;
      },
      { timeoutMs: 20_000 },
    );
    expect(failed).toEqual({
      stage: "failed",
      reason:
        "The model's answer did not follow the summary's sections (missing: Overview, Action items, Decisions, Open questions).",
    });
  });

  it("explains a refused key, an unknown model and an unreachable server", async () => {
    const request = {
      meetingId: "m",
      meetingName: "M",
      agentName: "A",
      agentInstructions: "x",
      segments: planningMeeting,
    };
    const base = { provider: "openai" as const, apiUrl: model.url, timeoutMs: 2000 };
    await expect(
      openAiSummariser({ ...base, apiKey: "sk-wrong", model: "gpt-4o-mini" }).summarise(request),
    ).rejects.toThrow(/refused the API key \(SUMMARY_API_KEY\)\.$/);
    await expect(
      openAiSummariser({ ...base, apiKey, model: "no-such-model" }).summarise(request),
    ).rejects.toThrow(/does not know the model “no-such-model” \(SUMMARY_MODEL\)\.$/);
    await expect(
      openAiSummariser({
        ...base,
        apiUrl: "http://127.0.0.1:9/v1",
        apiKey,
        model: "gpt-4o-mini",
      }).summarise(request),
    ).rejects.toThrow(/^The model server at 127\.0\.0\.1:9 could not be reached\.$/);
  });
});
