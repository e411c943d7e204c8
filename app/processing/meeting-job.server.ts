import { and, eq, sql } from "drizzle-orm";
import type { Database } from "~/db/client.server";
import { agents, meetingProcessing, meetings, type ProcessingStage } from "~/db/schema";
import { nextVersion } from "~/db/version.server";
import { replaceGeneratedActionItems } from "./action-items.server";
import type { JobQueue, PgBoss } from "./queue.server";
import { ProcessingError, type Summariser } from "./summariser.server";
import { loadTranscript } from "./transcript-source.server";

// The job `meeting.process`: turns the transcript of a meeting in `processing` into its summary
// and action items, and completes the meeting. It may run any number of times: it changes a
// meeting only while that is still processing, in one guarded UPDATE.

export const MEETING_JOB = "meeting.process";
/** Tries in all: the first run and two retries, with exponential backoff between them. */
export const MEETING_JOB_TRIES = 3;

export interface MeetingJobData {
  meetingId: string;
  userId: string;
}

export interface MeetingJobSettings {
  /** The first retry comes after this (up to twice it, with jitter), the next after double. */
  retryDelaySeconds: number;
  /** A run that takes longer fails, and is retried. */
  expireInSeconds: number;
}

export const defaultMeetingJobSettings: MeetingJobSettings = {
  retryDelaySeconds: 30,
  expireInSeconds: 15 * 60,
};

/** Creates the queue (once per database; later calls change nothing). */
export async function createMeetingQueue(
  queue: JobQueue,
  settings: MeetingJobSettings = defaultMeetingJobSettings,
): Promise<void> {
  await queue.createQueue(MEETING_JOB, {
    name: MEETING_JOB,
    // At most one job per meeting waits to run: sending again while one waits adds nothing.
    policy: "short",
    retryLimit: MEETING_JOB_TRIES - 1,
    retryDelay: settings.retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: settings.expireInSeconds,
  });
}

/** Where the newest job of a meeting is. Only that job writes here (`jobId`), or anyone with null. */
async function recordStage(
  db: Database,
  meetingId: string,
  jobId: string | null,
  stage: ProcessingStage,
  details: { attempt?: number; error?: string | null } = {},
): Promise<void> {
  await db
    .update(meetingProcessing)
    .set({
      stage,
      ...(details.attempt !== undefined ? { attempt: details.attempt } : {}),
      error: details.error ?? null,
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(meetingProcessing.meetingId, meetingId),
        jobId ? eq(meetingProcessing.jobId, jobId) : undefined,
      ),
    );
}

/**
 * Queues `meeting.process` for a meeting and records the job as the meeting's newest. When a
 * job for it is already waiting to run, that one will do (pg-boss answers null).
 */
export async function sendMeetingJob(
  queue: JobQueue,
  db: Database,
  data: MeetingJobData,
  settings: MeetingJobSettings = defaultMeetingJobSettings,
): Promise<string | null> {
  const jobId = await queue.send(MEETING_JOB, data, {
    singletonKey: data.meetingId,
    retryLimit: MEETING_JOB_TRIES - 1,
    retryDelay: settings.retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: settings.expireInSeconds,
  });
  const row = jobId
    ? { jobId, stage: "queued" as const, attempt: 0, error: null }
    : { stage: "queued" as const };
  await db
    .insert(meetingProcessing)
    .values({ meetingId: data.meetingId, jobId, stage: "queued" })
    .onConflictDoUpdate({
      target: meetingProcessing.meetingId,
      set: { ...row, updatedAt: new Date() },
      // Without a new job, only a meeting that had none gets the "queued" mark.
      ...(jobId ? {} : { setWhere: sql`${meetingProcessing.jobId} IS NULL` }),
    });
  return jobId;
}

export type MeetingJobOutcome =
  | { outcome: "completed" }
  | { outcome: "waiting_for_transcript" }
  | { outcome: "not_processing"; status: string }
  | { outcome: "meeting_gone" };

/**
 * One run for one meeting: nothing to do unless it is processing; without a transcript it
 * waits (the transcript's arrival queues it again); else summarise, then store the summary,
 * its action items and the move to `completed` in one transaction guarded by the status.
 */
export async function processMeeting(
  db: Database,
  { meetingId, userId }: MeetingJobData,
  summariser: Summariser,
  job: { id: string | null; attempt: number } = { id: null, attempt: 1 },
): Promise<MeetingJobOutcome> {
  const [meeting] = await db
    .select({
      status: meetings.status,
      name: meetings.name,
      agentName: agents.name,
      agentInstructions: agents.instructions,
    })
    .from(meetings)
    .innerJoin(agents, eq(agents.id, meetings.agentId))
    .where(and(eq(meetings.id, meetingId), eq(meetings.userId, userId)));
  if (!meeting) return { outcome: "meeting_gone" };
  if (meeting.status !== "processing") return { outcome: "not_processing", status: meeting.status };

  const segments = await loadTranscript(db, meetingId);
  if (!segments) {
    await recordStage(db, meetingId, job.id, "waiting_for_transcript", { attempt: job.attempt });
    return { outcome: "waiting_for_transcript" };
  }
  await recordStage(db, meetingId, job.id, "summarising", { attempt: job.attempt });
  const summary = await summariser.summarise({
    meetingId,
    meetingName: meeting.name,
    agentName: meeting.agentName,
    agentInstructions: meeting.agentInstructions,
    segments,
  });

  const completed = await db.transaction(async (tx) => {
    const [moved] = await tx
      .update(meetings)
      .set({
        status: "completed",
        summary: summary.text,
        updatedAt: nextVersion(meetings.updatedAt),
      })
      .where(
        and(
          eq(meetings.id, meetingId),
          eq(meetings.userId, userId),
          eq(meetings.status, "processing"),
        ),
      )
      .returning({ id: meetings.id });
    if (!moved) return false;
    await replaceGeneratedActionItems(tx, meetingId, summary.actionItems);
    await recordStage(tx, meetingId, null, "completed", {
      attempt: job.attempt,
    });
    return true;
  });
  if (completed) return { outcome: "completed" };
  const [now] = await db
    .select({ status: meetings.status })
    .from(meetings)
    .where(eq(meetings.id, meetingId));
  return now ? { outcome: "not_processing", status: now.status } : { outcome: "meeting_gone" };
}

/** What went wrong, in words for the meeting page; details of the unexpected go to the log. */
export function failureReason(error: unknown): string {
  if (error instanceof ProcessingError) return error.message;
  return "An unexpected error stopped the summary (the server log has the details).";
}

/** A pg-boss run of `meeting.process`: records a failure's reason before pg-boss retries. */
export async function runMeetingJob(
  db: Database,
  job: PgBoss.JobWithMetadata<MeetingJobData>,
  summariser: Summariser,
): Promise<MeetingJobOutcome> {
  const attempt = job.retryCount + 1;
  try {
    return await processMeeting(db, job.data, summariser, { id: job.id, attempt });
  } catch (error) {
    const reason = failureReason(error);
    const last = job.retryCount >= job.retryLimit;
    // Expected failures in words; anything else with its stack, for whoever investigates.
    const details =
      error instanceof ProcessingError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error);
    console.error(
      `${MEETING_JOB} for meeting ${job.data.meetingId}: try ${attempt} of ${job.retryLimit + 1} failed: ${details}`,
    );
    await recordStage(db, job.data.meetingId, job.id, last ? "failed" : "retrying", {
      attempt,
      error: reason,
    }).catch(() => {});
    // pg-boss keeps the message as the job's output.
    throw new ProcessingError(reason);
  }
}

/** Works `meeting.process` jobs in this process; returns the worker's id (for notifyWorker). */
export async function workMeetingJobs(
  queue: JobQueue,
  db: Database,
  summariser: Summariser,
  options: { pollingIntervalSeconds?: number } = {},
): Promise<string> {
  return queue.work<MeetingJobData>(
    MEETING_JOB,
    {
      batchSize: 1,
      includeMetadata: true,
      // pg-boss checks the key's presence, so it is left out rather than undefined.
      ...(options.pollingIntervalSeconds
        ? { pollingIntervalSeconds: options.pollingIntervalSeconds }
        : {}),
    },
    async ([job]) => (job ? runMeetingJob(db, job, summariser) : undefined),
  );
}
