import {
  formatTimestamp,
  lineError,
  SegmentList,
  splitSpeakerLine,
  type Segment,
} from "./segments";

// SRT is read here rather than with a package: the npm SRT parsers we tried (subtitle,
// srt-parser-2, @plussub/srt-vtt-parser, media-captions) skip or run together a malformed
// block without saying where, and a person fixing a file needs the line.

const TIMING =
  /^(\d{1,3}):(\d{2}):(\d{2})[,.](\d{1,3})[ \t]*-->[ \t]*(\d{1,3}):(\d{2}):(\d{2})[,.](\d{1,3})(?:[ \t].*)?$/;
const EXAMPLE = "00:00:01,000 --> 00:00:04,000";

/** Whether `line` is an SRT timing line; used to recognise the format. */
export function isSrtTiming(line: string): boolean {
  return TIMING.test(line.trim());
}

export function parseSrt(input: string): Segment[] {
  const lines = input.split(/\r\n|\r|\n/);
  const list = new SegmentList();
  let i = 0;
  for (;;) {
    while (i < lines.length && lines[i]!.trim() === "") i++;
    if (i >= lines.length) break;
    // A block: its number (often left out by hand-made files), its timing, its text.
    const numbered = /^\d+$/.test(lines[i]!.trim());
    if (numbered) i++;
    const timingLine = i + 1;
    const timing = TIMING.exec((lines[i] ?? "").trim());
    if (!timing) {
      throw lineError(
        Math.min(timingLine, lines.length),
        numbered
          ? `expected a timing such as ${EXAMPLE}.`
          : `expected a subtitle number or a timing such as ${EXAMPLE}.`,
      );
    }
    i++;
    const text: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== "") text.push(lines[i++]!);
    const [startMs, endMs] = [timing.slice(1, 5), timing.slice(5, 9)].map(toMs) as [number, number];
    const words = stripFormatting(text.join("\n"));
    const spoken = splitSpeakerLine(words);
    list.add(
      {
        speaker: spoken?.speaker ?? null,
        startMs,
        endMs,
        text: spoken?.rest ?? words,
      },
      timingLine,
    );
  }
  return list.segments;
}

/** SRT as players expect it; a speaker's name leads the text ("Ada: hello"). */
export function writeSrt(
  spans: Array<{ segment: Segment; startMs: number; endMs: number }>,
): string {
  return spans
    .map(({ segment, startMs, endMs }, i) => {
      const text = segment.speaker ? `${segment.speaker}: ${segment.text}` : segment.text;
      const timing = `${formatTimestamp(startMs, ",")} --> ${formatTimestamp(endMs, ",")}`;
      return `${i + 1}\n${timing}\n${text}\n`;
    })
    .join("\n");
}

function toMs(parts: string[]): number {
  const [h, m, s, ms] = parts as [string, string, string, string];
  // "1,5" is 500 ms: a fraction of a second, however many digits it was written with.
  return Number(h) * 3_600_000 + Number(m) * 60_000 + Number(s) * 1000 + Number(ms.padEnd(3, "0"));
}

/** Players' formatting: <i>, <b>, <u>, <font …> and {\an8}-style position codes. */
function stripFormatting(text: string): string {
  return text.replace(/<\/?(?:i|b|u|font)\b[^>]*>/gi, "").replace(/\{\\[^}]*\}/g, "");
}
