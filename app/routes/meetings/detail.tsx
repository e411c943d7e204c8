import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { parseForm, readForm } from "~/web/form.server";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/detail";
import { requireUser } from "~/auth/guards.server";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/client.server";
import {
  isMeetingMove,
  moves,
  movesFrom,
  refusalMessage,
  type MeetingMove,
} from "~/meetings/lifecycle";
import { getMeeting, moveMeeting } from "~/meetings/queries.server";
import { MeetingResultsFields } from "~/meetings/results-fields";
import { meetingResultsSchema } from "~/meetings/validation";
import { useSchemaForm } from "~/ui/schema-form";
import { FormErrors } from "~/ui/field";
import { flashHeaders } from "~/web/flash.server";
import { notFound } from "~/web/not-found";
import { revalidateAfterConflict } from "~/web/revalidate";
import { httpUrlOrNull } from "~/web/safe-url";
import { StatusBadge } from "~/meetings/status-badge";
import { TranscriptImportForm } from "~/transcripts/import-form";
import { transcriptPath } from "~/transcripts/paths";
import { getTranscript } from "~/transcripts/queries.server";
import { acceptsTranscript } from "~/transcripts/validation";
import { DateTime, formatDuration, RelativeTime, useNow } from "~/ui/time";
import { SubmitButton } from "~/ui/submit-button";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data ? `${data.meeting.name} · Meetings · SMTG Notion` : "Meeting · SMTG Notion" },
];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const meeting = await getMeeting(getDb(), user.id, args.params.meetingId);
  if (!meeting) throw notFound();
  const transcript = await getTranscript(getDb(), user.id, meeting.id);
  return {
    meeting,
    transcript,
    transcriptMaxBytes: getConfig().transcripts.maxBytes,
    now: new Date(),
  };
}

const doneMessages: Record<MeetingMove, string> = {
  start: "Meeting started",
  cancel: "Meeting cancelled",
  end: "Meeting ended; add the transcript, recording and summary when they are ready",
  complete: "Meeting completed",
};

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args);
  if (!(await getMeeting(getDb(), user.id, args.params.meetingId))) throw notFound();
  const formData = await readForm(args);
  const move = formData.get("intent");
  if (!isMeetingMove(move)) throw new Response("Unknown action", { status: 400 });

  let results = {};
  if (move === "complete") {
    const submission = parseForm(formData, meetingResultsSchema);
    if (submission.status !== "success") {
      return data({ result: submission.reply(), refusal: null }, { status: 400 });
    }
    results = submission.value;
  }

  const outcome = await moveMeeting(getDb(), user.id, args.params.meetingId, move, results);
  if (outcome.status === "not_found") throw notFound();
  if (outcome.status === "refused") {
    return data(
      { result: undefined, refusal: refusalMessage(move, outcome.current) },
      { status: 409 },
    );
  }
  throw redirect(`/meetings/${outcome.meeting.id}`, {
    headers: await flashHeaders(doneMessages[move]),
  });
}

export const shouldRevalidate = revalidateAfterConflict;

export default function MeetingPage({ loaderData, actionData }: Route.ComponentProps) {
  const { meeting } = loaderData;
  const now = useNow(loaderData.now);
  const startedAt = meeting.startedAt ? new Date(meeting.startedAt) : null;
  const endedAt = meeting.endedAt ? new Date(meeting.endedAt) : null;

  return (
    <article aria-labelledby="meeting-title">
      <p className="text-sm">
        <Link to="/meetings" className="link">
          ← All meetings
        </Link>
      </p>
      <div className="mt-2 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-3">
            <h1 id="meeting-title" className="text-2xl font-bold break-words">
              {meeting.name}
            </h1>
            <StatusBadge status={meeting.status} />
          </div>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
            With{" "}
            <Link to={`/agents/${meeting.agentId}`} className="link">
              {meeting.agentName}
            </Link>{" "}
            · scheduled <RelativeTime value={meeting.createdAt} now={now} />
          </p>
        </div>
        <div className="flex gap-2">
          <Link to={`/meetings/${meeting.id}/edit`} className="btn btn-secondary">
            Edit
          </Link>
          <Link
            to={`/meetings/${meeting.id}/delete`}
            className="btn btn-secondary text-red-700 dark:text-red-400"
          >
            Delete
          </Link>
        </div>
      </div>

      {actionData?.refusal ? (
        <div className="mt-6">
          <FormErrors errors={[actionData.refusal]} />
        </div>
      ) : null}

      <section className="card mt-6" aria-label="Progress">
        <dl className="grid gap-4 sm:grid-cols-3">
          {startedAt ? (
            <div>
              <dt className="text-xs font-semibold uppercase text-slate-500">Started</dt>
              <dd>
                <DateTime value={startedAt} />
              </dd>
            </div>
          ) : null}
          {startedAt && !endedAt && meeting.status === "active" ? (
            <div>
              <dt className="text-xs font-semibold uppercase text-slate-500">Elapsed</dt>
              <dd data-testid="elapsed">{formatDuration(now.getTime() - startedAt.getTime())}</dd>
            </div>
          ) : null}
          {endedAt ? (
            <div>
              <dt className="text-xs font-semibold uppercase text-slate-500">Ended</dt>
              <dd>
                <DateTime value={endedAt} />
              </dd>
            </div>
          ) : null}
          {startedAt && endedAt ? (
            <div>
              <dt className="text-xs font-semibold uppercase text-slate-500">Duration</dt>
              <dd data-testid="duration">
                {formatDuration(endedAt.getTime() - startedAt.getTime())}
              </dd>
            </div>
          ) : null}
          {meeting.status === "cancelled" ? (
            <div className="sm:col-span-3">
              <dt className="text-xs font-semibold uppercase text-slate-500">Cancelled</dt>
              <dd>
                <DateTime value={meeting.endedAt ?? meeting.updatedAt} />. A cancelled meeting is
                final.
              </dd>
            </div>
          ) : null}
          {meeting.status === "upcoming" ? (
            <div className="sm:col-span-3">
              <dt className="text-xs font-semibold uppercase text-slate-500">Not started</dt>
              <dd>Start the meeting when everyone is ready.</dd>
            </div>
          ) : null}
        </dl>
        <MoveButtons
          meetingId={meeting.id}
          moves={movesFrom(meeting.status).filter((m) => m !== "complete")}
        />
      </section>

      {acceptsTranscript(meeting.status) ? (
        <TranscriptSection
          meetingId={meeting.id}
          transcript={loaderData.transcript ?? null}
          maxBytes={loaderData.transcriptMaxBytes}
          now={now}
        />
      ) : null}
      {meeting.status === "processing" ? (
        <CompleteForm lastResult={actionData?.result} meeting={meeting} />
      ) : null}
      {meeting.status === "completed" ? <Results meeting={meeting} /> : null}
    </article>
  );
}

function TranscriptSection({
  meetingId,
  transcript,
  maxBytes,
  now,
}: {
  meetingId: string;
  transcript: { segmentCount: number; source: string; importedAt: Date | string } | null;
  maxBytes: number;
  now: Date;
}) {
  return (
    <section aria-labelledby="transcript-title" className="card mt-6">
      <h2 id="transcript-title" className="text-lg font-semibold">
        Transcript
      </h2>
      {transcript ? (
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
          {transcript.segmentCount.toLocaleString("en-US")} segments from{" "}
          <span className="break-all">{transcript.source}</span>, added{" "}
          <RelativeTime value={transcript.importedAt} now={now} />.{" "}
          <Link to={transcriptPath(meetingId)} className="link font-medium">
            Read the transcript
          </Link>
        </p>
      ) : (
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
          No transcript yet: upload the call's transcript file, or give its URL.
        </p>
      )}
      <TranscriptImportForm
        meetingId={meetingId}
        maxBytes={maxBytes}
        replacing={transcript !== null}
      />
    </section>
  );
}

function MoveButtons({ meetingId, moves: available }: { meetingId: string; moves: MeetingMove[] }) {
  const navigation = useNavigation();
  if (available.length === 0) return null;
  const busy =
    navigation.state === "submitting" && navigation.formAction === `/meetings/${meetingId}`;
  return (
    <Form method="post" className="mt-6 flex flex-wrap gap-3">
      {available.map((move) => (
        <button
          key={move}
          type="submit"
          name="intent"
          value={move}
          disabled={busy}
          className={`btn ${move === "cancel" ? "btn-secondary" : "btn-primary"}`}
        >
          {moves[move].label}
        </button>
      ))}
    </Form>
  );
}

function CompleteForm({
  lastResult,
  meeting,
}: {
  lastResult: SubmissionResult<string[]> | undefined;
  meeting: { transcriptUrl: string | null; recordingUrl: string | null; summary: string | null };
}) {
  const [form, fields] = useSchemaForm(meetingResultsSchema, {
    lastResult,
    // Results saved earlier through the edit form are kept unless changed here.
    defaultValue: {
      transcriptUrl: meeting.transcriptUrl ?? "",
      recordingUrl: meeting.recordingUrl ?? "",
      summary: meeting.summary ?? "",
    },
  });
  return (
    <section aria-labelledby="results-title" className="card mt-6">
      <h2 id="results-title" className="text-lg font-semibold">
        Meeting results
      </h2>
      <Form method="post" {...getFormProps(form)} className="mt-4 space-y-5">
        <FormErrors id={form.errorId} errors={form.errors} />
        <MeetingResultsFields fields={fields} />
        <SubmitButton pendingLabel="Saving…" intent="complete">
          {moves.complete.label}
        </SubmitButton>
      </Form>
    </section>
  );
}

function Results({
  meeting,
}: {
  meeting: { transcriptUrl: string | null; recordingUrl: string | null; summary: string | null };
}) {
  const transcript = httpUrlOrNull(meeting.transcriptUrl);
  const recording = httpUrlOrNull(meeting.recordingUrl);
  const paragraphs = (meeting.summary ?? "").split(/\n\s*\n/).filter((p) => p.trim());
  return (
    <section aria-labelledby="summary-title" className="card mt-6">
      <h2 id="summary-title" className="text-lg font-semibold">
        Summary
      </h2>
      {paragraphs.length > 0 ? (
        <div className="mt-2 space-y-3" data-testid="summary">
          {paragraphs.map((paragraph, i) => (
            <p key={i} className="whitespace-pre-wrap break-words">
              {paragraph.trim()}
            </p>
          ))}
        </div>
      ) : (
        <p className="mt-2 text-slate-600 dark:text-slate-300">No summary was added.</p>
      )}
      <ul className="mt-4 flex flex-wrap gap-4 text-sm">
        <li>
          {transcript ? (
            <a
              href={transcript}
              rel="noopener noreferrer nofollow"
              className="text-indigo-700 underline dark:text-indigo-300"
            >
              Transcript
            </a>
          ) : (
            "No transcript"
          )}
        </li>
        <li>
          {recording ? (
            <a
              href={recording}
              rel="noopener noreferrer nofollow"
              className="text-indigo-700 underline dark:text-indigo-300"
            >
              Recording
            </a>
          ) : (
            "No recording"
          )}
        </li>
      </ul>
    </section>
  );
}
