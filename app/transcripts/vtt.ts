import { createRequire } from "node:module";
import type * as WebVTT from "webvtt-parser";
import {
  formatTimestamp,
  lineError,
  SegmentList,
  splitSpeakerLine,
  type Segment,
} from "./segments";

// WebVTT through webvtt-parser, the W3C's validator: it reports each problem with its line.
// It is CommonJS that assigns its exports at run time, so Node's ESM loader cannot name them;
// require() reads them. Its default entity table lacks the forms with ";" ("&amp;" came out as
// "&;"), so it gets the full HTML table that it ships, as its README advises.
const require = createRequire(import.meta.url);
const { WebVTTParser, WebVTTCueTextParser } = require("webvtt-parser") as typeof WebVTT;
const entities = require("webvtt-parser/html-entities.json") as Record<WebVTT.Entity, string>;

// The validator reports everything; we refuse what garbles a cue's timing (the parser then
// drops the cue or keeps nonsense times) and accept the rest (unknown settings, tag slips, cue
// order), as browsers do.
const fatal = new Set([
  'No valid signature. (File needs to start with "WEBVTT".)',
  "Cue identifier needs to be followed by timestamp.",
  "No timestamp found.",
  "Timestamp must start with a character in the range 0-9.",
  "No time unit separator found.",
  "Must be exactly two digits.",
  "No seconds found or minutes is greater than 59.",
  'No decimal separator (".") found.',
  "Milliseconds must be given in three digits.",
  "You cannot have more than 59 minutes.",
  "You cannot have more than 59 seconds.",
  "Timestamp not separated from '-->' by whitespace.",
  "No valid timestamp separator found.",
  "'-->' not separated from timestamp by whitespace.",
  "End timestamp is not greater than start timestamp.",
  "Timestamp must not have trailing characters.",
]);

let parser: WebVTT.WebVTTParser | undefined;

export function parseVtt(input: string): Segment[] {
  parser ??= new WebVTTParser(entities);
  const { cues, errors } = parser.parse(input, "subtitles");
  const problem = errors.find((error) => fatal.has(error.message));
  if (problem) throw lineError(problem.line, problem.message);

  const list = new SegmentList();
  const lines = lineNumbersOfCues(input);
  cues.forEach((cue, i) => {
    const line = lines[i] ?? 1;
    const voice = voiceOf(cue.tree.children);
    let speaker = voice === null ? null : textOf(parseCueText(voice));
    let text = textOf(cue.tree.children);
    if (voice === null) {
      // Without a voice tag, "Ada: hello" names the speaker. Read from the cue as written, so
      // that an escaped colon ("&#58;") in the text is not taken for one.
      const spoken = splitSpeakerLine(cue.text);
      if (spoken) {
        speaker = textOf(parseCueText(spoken.speaker));
        text = textOf(parseCueText(spoken.rest));
      }
    }
    list.add(
      {
        speaker: speaker || null,
        startMs: Math.round(cue.startTime * 1000),
        endMs: Math.round(cue.endTime * 1000),
        text,
      },
      line,
    );
  });
  return list.segments;
}

/** WebVTT with a voice tag for each speaker; segments without times are given some (see spans). */
export function writeVtt(segments: Segment[]): string {
  const cues = spans(segments).map(({ segment, startMs, endMs }) => {
    const timing = `${formatTimestamp(startMs, ".")} --> ${formatTimestamp(endMs, ".")}`;
    let text = escapeCueText(segment.text);
    if (segment.speaker) {
      // A name ending in "--" would make "-->" with the tag's end, which reads as a timing.
      text = `<v ${escapeCueText(segment.speaker).replace(/-$/, "&#45;")}>${text}`;
    } else if (splitSpeakerLine(text)) {
      // Keep "Note: this" unlabelled when it is read again.
      text = text.replace(":", "&#58;");
    }
    return `${timing}\n${text}\n`;
  });
  return ["WEBVTT\n", ...cues].join("\n");
}

/**
 * Cue times for every segment: its own where it has them; otherwise it starts where the one
 * before ended and lasts until the next one starts (or one second). Cues must end after they
 * start.
 */
export function spans<S extends Segment>(segments: S[]) {
  let previousEnd = 0;
  return segments.map((segment, i) => {
    const startMs = segment.startMs ?? previousEnd;
    const nextStart = segments[i + 1]?.startMs ?? null;
    let endMs =
      segment.endMs ?? (nextStart !== null && nextStart > startMs ? nextStart : startMs + 1000);
    if (endMs <= startMs) endMs = startMs + 1;
    previousEnd = endMs;
    return { segment, startMs, endMs };
  });
}

function escapeCueText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function parseCueText(text: string): Node[] {
  return new WebVTTCueTextParser(text, () => {}, "subtitles", entities).parse(0, 0).children;
}

type Node = WebVTT.TreeNode<WebVTT.TreeNodeObjectTagNameWithRt>;

/** The annotation of the cue's voice tag (`<v Ada>`: "Ada"), as written; null without one. */
function voiceOf(nodes: Node[]): string | null {
  for (const node of nodes) {
    if (node.type === "object" && node.name === "v") return node.value;
  }
  return null;
}

/** The words of a cue: its text without tags, timestamps or ruby annotations. */
function textOf(nodes: Node[]): string {
  let text = "";
  for (const node of nodes) {
    if (node.type === "text") text += node.value;
    else if (node.type === "object" && node.name !== "rt") text += textOf(node.children);
  }
  return text;
}

/** The line of each cue's timing, in order, so a problem with cue N can name its line. */
function lineNumbersOfCues(input: string): number[] {
  const numbers: number[] = [];
  input.split(/\r\n|\r|\n/).forEach((line, i) => {
    if (line.includes("-->")) numbers.push(i + 1);
  });
  return numbers;
}
