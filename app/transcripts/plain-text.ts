import {
  formatClock,
  normalizeText,
  SEGMENT_TEXT_MAX,
  SegmentList,
  splitSpeakerLine,
  type Segment,
} from "./segments";

// Plain text, as people and note-takers write transcripts: "Speaker: text" lines, each
// optionally after a time ("[00:01:02] Ada: hello", "1:02 Ada: hello", or the time alone on a
// line above the words). Text that is mostly not such lines is prose: one unlabelled segment
// per paragraph. No package reads this loose a format, so it is read here.

const TIME = String.raw`((?:\d{1,3}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)`;
const TIME_PREFIX = new RegExp(String.raw`^[[(]?${TIME}[\])]?(?:[ \t]+|$)`);

interface LineStart {
  startMs: number | null;
  speaker: string | null;
  rest: string;
}

/** What a line starts with: a time, a speaker, both, or neither (null). */
function readLineStart(line: string): LineStart | null {
  let rest = line;
  let startMs: number | null = null;
  const time = TIME_PREFIX.exec(rest);
  if (time) {
    startMs = clockToMs(time[1]!);
    rest = rest.slice(time[0].length);
  }
  const spoken = splitSpeakerLine(rest);
  if (spoken) return { startMs, speaker: spoken.speaker, rest: spoken.rest };
  return startMs === null ? null : { startMs, speaker: null, rest };
}

export function parsePlainText(input: string): Segment[] {
  const lines = input.split(/\r\n|\r|\n/).map((line) => line.trim());
  const written = lines.filter(Boolean);
  const marked = written.filter((line) => readLineStart(line) !== null).length;
  return marked * 2 >= written.length ? byLines(lines) : byParagraphs(lines);
}

function byLines(lines: string[]): Segment[] {
  const list = new SegmentList();
  let current: (Segment & { line: number }) | null = null;
  const finish = () => {
    if (current) list.add(current, current.line);
  };
  lines.forEach((line, i) => {
    if (!line) return;
    const start = readLineStart(line);
    if (start && start.startMs === null && current?.startMs !== null && current?.text === "") {
      // "0:09" alone on a line, then "Ada: hello": Ada at 0:09.
      current.speaker = start.speaker;
      current.text = start.rest;
    } else if (start) {
      finish();
      const { speaker, startMs, rest } = start;
      current = { speaker, startMs, endMs: null, text: rest, line: i + 1 };
    } else if (current) {
      current.text += ` ${line}`;
    } else {
      current = { speaker: null, startMs: null, endMs: null, text: line, line: i + 1 };
    }
  });
  finish();
  return list.segments;
}

function byParagraphs(lines: string[]): Segment[] {
  const list = new SegmentList();
  let paragraph: string[] = [];
  let firstLine = 1;
  const finish = () => {
    for (const text of pieces(normalizeText(paragraph.join(" ")))) {
      list.add({ speaker: null, startMs: null, endMs: null, text }, firstLine);
    }
    paragraph = [];
  };
  lines.forEach((line, i) => {
    if (!line) return finish();
    if (paragraph.length === 0) firstLine = i + 1;
    paragraph.push(line);
  });
  finish();
  return list.segments;
}

/** A paragraph longer than a segment may be, cut after a sentence (or else a word). */
function pieces(text: string): string[] {
  const result: string[] = [];
  let rest = text;
  while (rest.length > SEGMENT_TEXT_MAX) {
    let cut = rest.lastIndexOf(". ", SEGMENT_TEXT_MAX - 1) + 1;
    if (cut < SEGMENT_TEXT_MAX / 2) cut = rest.lastIndexOf(" ", SEGMENT_TEXT_MAX);
    if (cut <= 0) cut = SEGMENT_TEXT_MAX;
    result.push(rest.slice(0, cut));
    rest = rest.slice(cut).trimStart();
  }
  if (rest) result.push(rest);
  return result;
}

/** "[01:02:03] Ada: text" lines: what the plain-text export writes and this parser reads. */
export function writePlainText(segments: Segment[]): string {
  return segments
    .map((segment) => {
      const time = segment.startMs === null ? "" : `[${formatClock(segment.startMs)}] `;
      const speaker = segment.speaker ? `${segment.speaker}: ` : "";
      return `${time}${speaker}${segment.text}\n`;
    })
    .join("");
}

function clockToMs(clock: string): number {
  const [whole, fraction = ""] = clock.split(/[.,]/);
  const parts = whole!.split(":").map(Number);
  const seconds = parts.reduce((total, part) => total * 60 + part, 0);
  return seconds * 1000 + Number(fraction.padEnd(3, "0").slice(0, 3));
}
