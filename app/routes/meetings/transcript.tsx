import { useRef, type MouseEvent } from "react";
import { data, Form, Link, redirect, useSearchParams } from "react-router";
import type { Route } from "./+types/transcript";
import { requireUser } from "~/auth/guards.server";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/client.server";
import { getMeeting } from "~/meetings/queries.server";
import { exportFormats, exportLabels } from "~/transcripts/export-formats";
import { TranscriptImportForm } from "~/transcripts/import-form";
import { segmentAnchor, transcriptExportPath } from "~/transcripts/paths";
import {
  getTranscript,
  listSpeakers,
  readTranscriptPage,
  renameSpeaker,
} from "~/transcripts/queries.server";
import {
  HitNavigation,
  RecordingPlayer,
  SegmentItem,
  SpeakerRenameForm,
} from "~/transcripts/reader";
import { formatNames } from "~/transcripts/segments";
import { acceptsTranscript, speakerRenameSchema } from "~/transcripts/validation";
import { Pagination } from "~/ui/pagination";
import { RelativeTime, useNow } from "~/ui/time";
import { flashHeaders } from "~/web/flash.server";
import { parseForm, readForm } from "~/web/form.server";
import { readListParams } from "~/web/list-params";
import { notFound } from "~/web/not-found";
import { httpUrlOrNull } from "~/web/safe-url";

export const meta: Route.MetaFunction = ({ data }) => [
  {
    title: data ? `Transcript · ${data.meeting.name} · SMTG Notion` : "Transcript · SMTG Notion",
  },
];

/** A whole number from 0 (or a number of seconds, for t) in the query, or undefined. */
function numberParam(url: URL, name: string, { fraction = false } = {}): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw.trim() === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (!fraction && !Number.isInteger(value))) {
    return undefined;
  }
  return value;
}

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const db = getDb();
  const meeting = await getMeeting(db, user.id, args.params.meetingId);
  if (!meeting) throw notFound();
  const transcript = await getTranscript(db, user.id, meeting.id);
  const speakers = transcript ? await listSpeakers(db, user.id, meeting.id) : [];

  const { url } = args;
  const { page, q } = readListParams(url);
  const rawSpeaker = url.searchParams.get("speaker") ?? "";
  // A label that is not one of this transcript's filters nothing.
  const speaker = speakers.some((s) => s.label === rawSpeaker) ? rawSpeaker : undefined;
  const view = transcript
    ? await readTranscriptPage(db, user.id, meeting.id, {
        q,
        speaker,
        page,
        at: numberParam(url, "at"),
        hit: numberParam(url, "hit"),
      })
    : null;
  return {
    meeting: {
      id: meeting.id,
      name: meeting.name,
      canAddTranscript: acceptsTranscript(meeting.status),
      recordingUrl: httpUrlOrNull(meeting.recordingUrl),
    },
    transcript,
    speakers,
    view,
    filters: { q, speaker: speaker ?? "" },
    startSeconds: numberParam(url, "t", { fraction: true }) ?? null,
    maxBytes: getConfig().transcripts.maxBytes,
    now: new Date(),
  };
}

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args);
  const db = getDb();
  const { meetingId } = args.params;
  if (!(await getMeeting(db, user.id, meetingId))) throw notFound();
  const submission = parseForm(await readForm(args), speakerRenameSchema);
  if (submission.status !== "success") {
    return data({ result: submission.reply() }, { status: 400 });
  }
  const { label, name = "" } = submission.value;
  if (!(await renameSpeaker(db, user.id, meetingId, label, name))) {
    return data(
      {
        result: submission.reply({
          fieldErrors: { label: ["Choose one of this transcript's speakers"] },
        }),
      },
      { status: 400 },
    );
  }
  const message = name
    ? `${label} is now shown as ${name}`
    : `${label} is shown by its label again`;
  throw redirect(`${args.url.pathname}${args.url.search}`, {
    headers: await flashHeaders(message),
  });
}

export default function TranscriptPage({ loaderData, actionData }: Route.ComponentProps) {
  const { meeting, transcript, speakers, view, filters, startSeconds, maxBytes } = loaderData;
  const now = useNow(loaderData.now);
  const [searchParams] = useSearchParams();
  const media = useRef<HTMLVideoElement & HTMLAudioElement>(null);

  // With JavaScript a timestamp seeks the player in place; without, its link reloads the
  // page with ?t=, whose player starts there.
  const seek = (seconds: number, event: MouseEvent) => {
    const player = media.current;
    if (!player) return;
    event.preventDefault();
    player.currentTime = seconds;
    void player.play().catch(() => {});
  };
  const timeHref = (segment: { position: number; startMs: number | null }) => {
    if (!meeting.recordingUrl || segment.startMs === null) return null;
    const params = new URLSearchParams(searchParams);
    params.set("t", String(segment.startMs / 1000));
    return `?${params}#${segmentAnchor(segment.position)}`;
  };
  const hitHref = (hit: { ordinal: number; position: number }) => {
    const params = new URLSearchParams();
    params.set("q", filters.q);
    if (filters.speaker) params.set("speaker", filters.speaker);
    params.set("hit", String(hit.ordinal));
    return `?${params}#${segmentAnchor(hit.position)}`;
  };
  // Page links show the page itself, not the match or segment that chose it.
  const pageParams = new URLSearchParams(searchParams);
  for (const name of ["hit", "at", "t"]) pageParams.delete(name);
  const controlClass =
    "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900";

  return (
    <article aria-labelledby="transcript-title">
      <p className="text-sm">
        <Link to={`/meetings/${meeting.id}`} className="link">
          ← {meeting.name}
        </Link>
      </p>
      <h1 id="transcript-title" className="mt-2 text-2xl font-bold break-words">
        Transcript
      </h1>

      {!transcript || !view ? (
        <section className="card mt-6">
          <p>This meeting has no transcript yet.</p>
          {meeting.canAddTranscript ? (
            <TranscriptImportForm meetingId={meeting.id} maxBytes={maxBytes} replacing={false} />
          ) : (
            <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
              A transcript can be added once the meeting has started.
            </p>
          )}
        </section>
      ) : (
        <>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
            {transcript.segmentCount.toLocaleString("en-US")}{" "}
            {transcript.segmentCount === 1 ? "segment" : "segments"} of{" "}
            {formatNames[transcript.format]} from{" "}
            <span className="break-all">{transcript.source}</span>, added{" "}
            <RelativeTime value={transcript.importedAt} now={now} />
          </p>
          <nav aria-label="Downloads" className="mt-3 flex flex-wrap items-center gap-2 text-sm">
            <span className="text-slate-600 dark:text-slate-300">Download:</span>
            {exportFormats.map((format) => (
              <a
                key={format}
                href={transcriptExportPath(meeting.id, format)}
                className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
              >
                {exportLabels[format]}
              </a>
            ))}
          </nav>

          {meeting.recordingUrl ? (
            <RecordingPlayer
              url={meeting.recordingUrl}
              startSeconds={startSeconds}
              mediaRef={media}
            />
          ) : null}

          <Form
            key={`${filters.q}|${filters.speaker}`}
            method="get"
            role="search"
            aria-label="Search the transcript"
            className="mt-4 grid gap-3 sm:grid-cols-[2fr_1fr_auto] sm:items-end"
          >
            <label className="block text-sm">
              Words
              <input
                type="search"
                name="q"
                defaultValue={filters.q}
                maxLength={100}
                placeholder="Find in the transcript"
                className={controlClass}
              />
            </label>
            {speakers.length > 0 ? (
              <label className="block text-sm">
                Speaker
                <select name="speaker" defaultValue={filters.speaker} className={controlClass}>
                  <option value="">All speakers</option>
                  {speakers.map((s) => (
                    <option key={s.label} value={s.label}>
                      {s.name ?? s.label}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            <button type="submit" className="btn btn-secondary">
              Search
            </button>
          </Form>

          {view.hits ? <HitNavigation hits={view.hits} q={filters.q} hrefFor={hitHref} /> : null}

          <ol aria-label="Transcript" className="mt-4 space-y-1">
            {view.segments.map((segment) => (
              <SegmentItem
                key={segment.position}
                segment={segment}
                current={view.hits?.current?.position === segment.position}
                timeHref={timeHref(segment)}
                onSeek={seek}
              />
            ))}
          </ol>
          {view.segments.length === 0 ? (
            <p className="mt-4 text-slate-600 dark:text-slate-300">No segments to show.</p>
          ) : null}
          <Pagination
            page={view.page}
            pageCount={view.pageCount}
            total={view.total}
            noun={["segment", "segments"]}
            searchParams={pageParams}
          />

          {speakers.length > 0 ? (
            <section aria-labelledby="speakers-title" className="card mt-8">
              <h2 id="speakers-title" className="text-lg font-semibold">
                Speakers
              </h2>
              <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
                Give a speaker a name: it shows here and in every download.
              </p>
              <SpeakerRenameForm speakers={speakers} lastResult={actionData?.result} />
            </section>
          ) : null}
        </>
      )}
    </article>
  );
}
