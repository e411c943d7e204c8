// What every transcript becomes, whatever its format: segments in order, each with who spoke
// (when the source says), when (likewise) and what was said. Shared by the parsers, the
// exports and the reader.

export const transcriptFormats = ["vtt", "srt", "jsonl", "text"] as const;
export type TranscriptFormat = (typeof transcriptFormats)[number];

export const formatNames: Record<TranscriptFormat, string> = {
  vtt: "WebVTT",
  srt: "SRT",
  jsonl: "JSON Lines",
  text: "plain text",
};

export interface Segment {
  /** The speaker's label as the source gives it ("spk_1", "Ada"), or null. */
  speaker: string | null;
  startMs: number | null;
  endMs: number | null;
  text: string;
}

export const MAX_SEGMENTS = 50_000;
/** Longer plain-text paragraphs are split; a longer cue is refused (see SegmentList). */
export const SEGMENT_TEXT_MAX = 10_000;
export const SPEAKER_LABEL_MAX = 100;
/** Times are stored as whole milliseconds in a PostgreSQL integer; 100 hours is plenty. */
export const MAX_TIME_MS = 100 * 3600 * 1000;

/** A transcript the app cannot take, with a message for the person that names the problem. */
export class TranscriptError extends Error {
  name = "TranscriptError";
  constructor(
    message: string,
    /** 413 for a transcript over the size limit, 400 for everything else. */
    readonly status: 400 | 413 = 400,
  ) {
    super(message);
  }
}

export function lineError(line: number, problem: string): TranscriptError {
  return new TranscriptError(`Line ${line}: ${problem}`);
}

// Control characters other than tabs and line breaks are junk in a transcript, and PostgreSQL
// cannot store NUL; they also mark search highlights (see highlight.ts), so none may remain.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Text as stored: no control characters, every run of white space one space, trimmed. */
export function normalizeText(text: string): string {
  return text.replace(CONTROL, "").replace(/\s+/g, " ").trim();
}

// "Ada: hello" and "Dr. Ruth Smith: hello": a name of up to 60 characters that starts with a
// letter, then a colon and a space. Used on lines of plain text, SRT and WebVTT cues without
// a voice tag; the WebVTT export escapes the colon of a line that would read as one.
const SPEAKER_LINE = /^(\p{L}[\p{L}\p{N}\p{M} ._'’()&@-]{0,59}):[ \t]+(?=\S)/u;

/** The speaker and the rest of a "Speaker: text" line, or null for any other line. */
export function splitSpeakerLine(line: string): { speaker: string; rest: string } | null {
  const match = SPEAKER_LINE.exec(line);
  if (!match) return null;
  const speaker = match[1]!.trim();
  return speaker ? { speaker, rest: line.slice(match[0].length) } : null;
}

/**
 * Collects a parser's segments and enforces what every format shares: text normalized, empty
 * segments dropped, at most MAX_SEGMENTS, times within range and in order, labels short.
 */
export class SegmentList {
  readonly segments: Segment[] = [];

  add(segment: Segment, line: number): void {
    const text = normalizeText(segment.text);
    if (!text) return;
    if (text.length > SEGMENT_TEXT_MAX) {
      throw lineError(
        line,
        `this segment has more than ${SEGMENT_TEXT_MAX.toLocaleString("en-US")} characters of text.`,
      );
    }
    const speaker = segment.speaker === null ? null : normalizeText(segment.speaker) || null;
    if (speaker && speaker.length > SPEAKER_LABEL_MAX) {
      throw lineError(line, `the speaker's name is longer than ${SPEAKER_LABEL_MAX} characters.`);
    }
    for (const time of [segment.startMs, segment.endMs]) {
      if (time !== null && (time < 0 || time > MAX_TIME_MS)) {
        throw lineError(line, "a time is beyond 100 hours.");
      }
    }
    if (segment.startMs !== null && segment.endMs !== null && segment.endMs < segment.startMs) {
      throw lineError(line, "the segment ends before it starts.");
    }
    if (this.segments.length === MAX_SEGMENTS) {
      throw new TranscriptError(
        `The transcript has more than ${MAX_SEGMENTS.toLocaleString("en-US")} segments, the most we take.`,
      );
    }
    this.segments.push({ speaker, startMs: segment.startMs, endMs: segment.endMs, text });
  }
}

/** "04:05" below an hour, "1:04:05" from an hour on: the reader's times. */
export function formatClock(ms: number): string {
  const total = Math.floor(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mmss = `${String(minutes).padStart(2, "0")}:${String(seconds).padStart(2, "0")}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}

/** "01:02:03.456" (WebVTT) or "01:02:03,456" (SRT). */
export function formatTimestamp(ms: number, separator: "." | ","): string {
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  const millis = ms % 1000;
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}${separator}${pad(millis, 3)}`;
}

/** "10 MB" for 10 MiB: sizes in the words of messages about limits. */
export function formatSize(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1) return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
  const kb = bytes / 1024;
  return kb >= 1 ? `${Number.isInteger(kb) ? kb : kb.toFixed(1)} KB` : `${bytes} bytes`;
}
