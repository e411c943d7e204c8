import { getFormProps, type SubmissionResult } from "@conform-to/react";
import type { MouseEvent, Ref } from "react";
import { Form, Link } from "react-router";
import { FormErrors, SelectField, TextField } from "~/ui/field";
import { useSchemaForm } from "~/ui/schema-form";
import { SubmitButton } from "~/ui/submit-button";
import { HighlightedText } from "./highlighted-text";
import { segmentAnchor } from "./paths";
import { formatClock } from "./segments";
import { SPEAKER_NAME_MAX, speakerRenameSchema } from "./validation";

// The pieces of the transcript reader (routes/meetings/transcript.tsx).

const AUDIO = /\.(mp3|m4a|aac|wav|oga|ogg|opus|flac|weba)$/i;

/**
 * The meeting's recording, from `startSeconds` when given: the media fragment (#t=) makes the
 * browser start there, so a timestamp link works without JavaScript.
 */
export function RecordingPlayer({
  url,
  startSeconds,
  mediaRef,
}: {
  url: string;
  startSeconds: number | null;
  mediaRef: Ref<HTMLVideoElement & HTMLAudioElement>;
}) {
  const address = new URL(url);
  const audio = AUDIO.test(address.pathname);
  address.hash = startSeconds === null ? "" : `t=${startSeconds}`;
  const props = {
    ref: mediaRef,
    src: address.href,
    controls: true,
    preload: "metadata",
    autoPlay: startSeconds !== null,
    "aria-label": "Recording",
    className: audio ? "w-full" : "max-h-72 w-full rounded-md bg-black",
  } as const;
  return (
    <div className="sticky top-0 z-10 -mx-2 bg-slate-50/95 px-2 py-3 dark:bg-slate-950/95">
      {audio ? <audio {...props} /> : <video {...props} />}
    </div>
  );
}

export interface ReaderSegmentView {
  position: number;
  speaker: string | null;
  startMs: number | null;
  text: string;
  match: boolean;
}

export function SegmentItem({
  segment,
  current,
  timeHref,
  onSeek,
}: {
  segment: ReaderSegmentView;
  /** The match the hit navigation is on. */
  current: boolean;
  /** Where the timestamp leads (the page with ?t=), or null without a recording. */
  timeHref: string | null;
  onSeek: (seconds: number, event: MouseEvent) => void;
}) {
  const time = segment.startMs === null ? null : formatClock(segment.startMs);
  const seconds = segment.startMs === null ? 0 : segment.startMs / 1000;
  return (
    <li
      id={segmentAnchor(segment.position)}
      aria-current={current ? "true" : undefined}
      data-match={segment.match ? "true" : undefined}
      className={`grid scroll-mt-40 gap-x-4 gap-y-1 rounded-md px-2 py-2 sm:grid-cols-[5rem_1fr] ${
        current ? "bg-amber-50 ring-2 ring-amber-400 dark:bg-amber-950" : ""
      }`}
    >
      <div className="text-sm tabular-nums text-slate-500 dark:text-slate-400">
        {time && timeHref ? (
          <a
            href={timeHref}
            onClick={(event) => onSeek(seconds, event)}
            className="link"
            aria-label={`Play from ${time}`}
          >
            {time}
          </a>
        ) : (
          time
        )}
      </div>
      <div className="min-w-0">
        {segment.speaker ? (
          <span className="mr-2 font-semibold" data-testid="speaker">
            {segment.speaker}
          </span>
        ) : null}
        <span className="break-words">
          {segment.match ? <HighlightedText text={segment.text} /> : segment.text}
        </span>
      </div>
    </li>
  );
}

type HitView = { ordinal: number; position: number };

export interface HitsView {
  count: number;
  current: HitView | null;
  previous: HitView | null;
  next: HitView | null;
}

/** "Match 2 of 5", with links to the previous and next matches (on whichever page). */
export function HitNavigation({
  hits,
  q,
  hrefFor,
}: {
  hits: HitsView;
  q: string;
  hrefFor: (hit: HitView) => string;
}) {
  const linkClass =
    "rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";
  return (
    <nav
      aria-label="Search matches"
      className="mt-4 flex flex-wrap items-center gap-3 rounded-md border border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-900"
    >
      <p className="text-sm" data-testid="hit-count">
        {hits.count === 0
          ? `No matches for “${q}”`
          : hits.current === null
            ? `${hits.count} ${hits.count === 1 ? "match" : "matches"} for “${q}”`
            : `Match ${hits.current.ordinal} of ${hits.count} for “${q}”`}
      </p>
      {hits.previous ? (
        <Link to={hrefFor(hits.previous)} className={linkClass} rel="prev">
          Previous match
        </Link>
      ) : null}
      {hits.next ? (
        <Link to={hrefFor(hits.next)} className={linkClass} rel="next">
          Next match
        </Link>
      ) : null}
    </nav>
  );
}

/** Label → display name, for one speaker at a time. */
export function SpeakerRenameForm({
  speakers,
  lastResult,
}: {
  speakers: Array<{ label: string; name: string | null }>;
  lastResult?: SubmissionResult<string[]>;
}) {
  const [form, fields] = useSchemaForm(speakerRenameSchema, {
    id: "rename-speaker",
    lastResult,
    defaultValue: { label: speakers[0]?.label ?? "" },
  });
  return (
    <Form
      method="post"
      {...getFormProps(form)}
      className="mt-4 grid gap-4 sm:grid-cols-[1fr_1fr_auto] sm:items-start"
    >
      <div className="sm:col-span-3">
        <FormErrors id={form.errorId} errors={form.errors} />
      </div>
      <SelectField
        label="Speaker"
        meta={fields.label}
        options={speakers.map((s) => ({
          value: s.label,
          label: s.name ? `${s.label} (now ${s.name})` : s.label,
        }))}
      />
      <TextField
        label="Display name"
        meta={fields.name}
        autoComplete="off"
        hint={`Up to ${SPEAKER_NAME_MAX} characters; leave empty to show the label.`}
      />
      <div className="sm:pt-6">
        <SubmitButton pendingLabel="Renaming…" intent="rename">
          Rename
        </SubmitButton>
      </div>
    </Form>
  );
}
