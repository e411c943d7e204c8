import { and, eq } from "drizzle-orm";
import type { Database, DatabaseHandle } from "~/db/client.server";
import { meetingProcessing, meetings, type Meeting } from "~/db/schema";
import { warmUpSummariser } from "./extractive-summary.server";
import {
  createMeetingQueue,
  defaultMeetingJobSettings,
  MEETING_JOB,
  MEETING_JOB_TRIES,
  sendMeetingJob,
  workMeetingJobs,
  type MeetingJobSettings,
} from "./meeting-job.server";
import { closeJobQueue, openJobQueue, type JobQueue } from "./queue.server";
import type { ProcessingView } from "./processing-view";
import type { Summariser } from "./summariser.server";

export type { ProcessingView };

// Meeting processing in this process: the job queue it sends to (always) and works (unless
// WORKER=off), and what the rest of the app asks of it: queue a meeting, say a transcript
// arrived, retry, and tell the meeting page where processing stands.

export interface Processing {
  queue: JobQueue;
  summariser: Summariser;
  settings: MeetingJobSettings;
  /** This process's worker, woken at once for the jobs this process sends. */
  workerId: string | null;
}

const globalForProcessing = globalThis as typeof globalThis & { __smtgProcessing?: Processing };

export interface StartOptions {
  /** Work the queue here (WORKER, on by default); sending and reading states works either way. */
  work: boolean;
  summariser: Summariser;
  settings?: MeetingJobSettings;
  pollingIntervalSeconds?: number;
}

/** Opens the job queue on the app's database and, with `work`, starts working it. */
export async function startProcessing(
  handle: DatabaseHandle,
  options: StartOptions,
): Promise<Processing> {
  const settings = options.settings ?? defaultMeetingJobSettings;
  const queue = await openJobQueue(handle, {
    pollingIntervalSeconds: options.pollingIntervalSeconds,
  });
  await createMeetingQueue(queue, settings);
  let workerId: string | null = null;
  if (options.work) {
    // The language model loads in about a second: better just after start than in the first
    // job, and not in the way of the start itself.
    if (options.summariser.name === "offline") setTimeout(warmUpSummariser, 50).unref();
    workerId = await workMeetingJobs(queue, handle.db, options.summariser, {
      pollingIntervalSeconds: options.pollingIntervalSeconds,
    });
  }
  const processing: Processing = { queue, summariser: options.summariser, settings, workerId };
  globalForProcessing.__smtgProcessing = processing;
  return processing;
}

/** Finishes (or, after the grace period, hands back) the job in hand and closes the queue. */
export async function stopProcessing(graceMs?: number): Promise<void> {
  const processing = globalForProcessing.__smtgProcessing;
  globalForProcessing.__smtgProcessing = undefined;
  if (processing) await closeJobQueue(processing.queue, graceMs);
}

export function currentProcessing(): Processing | null {
  return globalForProcessing.__smtgProcessing ?? null;
}

function requireProcessing(): Processing {
  const processing = currentProcessing();
  if (!processing) throw new Error("The job queue is not started (startProcessing)");
  return processing;
}

/**
 * Queues the meeting's processing, after it entered `processing` (End, a call event, a
 * retry). Returns the job's id, or null when a job for it was already waiting.
 */
export async function enqueueMeetingProcessing(
  db: Database,
  userId: string,
  meetingId: string,
): Promise<string | null> {
  const processing = requireProcessing();
  const jobId = await sendMeetingJob(
    processing.queue,
    db,
    { meetingId, userId },
    processing.settings,
  );
  if (jobId && processing.workerId) processing.queue.notifyWorker(processing.workerId);
  return jobId;
}

async function processingMeeting(db: Database, userId: string, meetingId: string) {
  const [meeting] = await db
    .select({ status: meetings.status })
    .from(meetings)
    .where(and(eq(meetings.id, meetingId), eq(meetings.userId, userId)));
  return meeting?.status === "processing";
}

/**
 * For the transcripts import: a meeting's transcript was stored (committed). A meeting that is
 * processing is queued again; for others nothing happens. True when it was queued.
 */
export async function transcriptArrived(
  db: Database,
  userId: string,
  meetingId: string,
): Promise<boolean> {
  if (!(await processingMeeting(db, userId, meetingId))) return false;
  await enqueueMeetingProcessing(db, userId, meetingId);
  return true;
}

export type RetryResult =
  { status: "queued" } | { status: "not_processing" } | { status: "not_found" };

/** The Retry button: processing starts again, with three fresh tries. */
export async function retryMeetingProcessing(
  db: Database,
  userId: string,
  meetingId: string,
): Promise<RetryResult> {
  const [meeting] = await db
    .select({ status: meetings.status })
    .from(meetings)
    .where(and(eq(meetings.id, meetingId), eq(meetings.userId, userId)));
  if (!meeting) return { status: "not_found" };
  if (meeting.status !== "processing") return { status: "not_processing" };
  await enqueueMeetingProcessing(db, userId, meetingId);
  return { status: "queued" };
}

// --- Where it stands, for the meeting page -------------------------------------------------

/** Words for a failed job's output as pg-boss keeps it (our message, or its own). */
function reasonFromOutput(output: unknown): string | null {
  const value = (output as { value?: unknown } | null)?.value ?? output;
  const message = (value as { message?: unknown } | null)?.message;
  if (typeof message !== "string") return null;
  if (message.includes("timeout")) return "The summary took too long and was stopped.";
  if (message.includes("shut down")) return "The worker stopped while summarising.";
  return message;
}

/**
 * Where the processing of a meeting in `processing` stands, from the job's state in pg-boss
 * (when this process has the queue) and what the job last recorded. Null for other statuses.
 */
export async function getProcessingView(
  db: Database,
  userId: string,
  meeting: Pick<Meeting, "id" | "status" | "endedAt">,
  { now = new Date(), timeoutMs }: { now?: Date; timeoutMs: number },
): Promise<ProcessingView | null> {
  if (meeting.status !== "processing") return null;
  const [row] = await db
    .select({
      jobId: meetingProcessing.jobId,
      stage: meetingProcessing.stage,
      attempt: meetingProcessing.attempt,
      error: meetingProcessing.error,
    })
    .from(meetingProcessing)
    .innerJoin(meetings, eq(meetings.id, meetingProcessing.meetingId))
    .where(and(eq(meetingProcessing.meetingId, meeting.id), eq(meetings.userId, userId)));
  if (!row) return { stage: "not_started" };

  const queue = currentProcessing()?.queue;
  const job =
    row.jobId && queue
      ? await queue.getJobById(MEETING_JOB, row.jobId, { includeArchive: true }).catch(() => null)
      : null;
  const tries = MEETING_JOB_TRIES;
  const attempt = Math.max(1, row.attempt);
  const waiting = (): ProcessingView => {
    const since = meeting.endedAt ?? now;
    return {
      stage: "waiting_for_transcript",
      since,
      timeoutMs,
      timedOut: now.getTime() - since.getTime() > timeoutMs,
    };
  };

  switch (job?.state) {
    case "created":
      return { stage: "queued" };
    case "active":
      return row.stage === "summarising"
        ? { stage: "summarising", attempt, tries }
        : { stage: "queued" };
    case "retry":
      return {
        stage: "retrying",
        attempt: Math.max(1, job.retryCount + 1),
        tries,
        reason: row.error ?? reasonFromOutput(job.output) ?? "The summary failed.",
      };
    case "failed":
      return {
        stage: "failed",
        reason: row.error ?? reasonFromOutput(job.output) ?? "The summary failed.",
      };
    case "cancelled":
      return { stage: "failed", reason: "The job was cancelled." };
  }
  switch (row.stage) {
    case "queued":
      return { stage: "queued" };
    case "summarising":
      return { stage: "summarising", attempt, tries };
    case "retrying":
      return { stage: "retrying", attempt, tries, reason: row.error ?? "The summary failed." };
    case "failed":
      return { stage: "failed", reason: row.error ?? "The summary failed." };
    case "waiting_for_transcript":
    case "completed":
      // "completed" while the meeting is processing again: a new summary was asked for.
      return waiting();
  }
}
