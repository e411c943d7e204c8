import { lineError, SegmentList, type Segment } from "./segments";

// JSON Lines as call providers write transcripts (Stream Video: one object per line with
// speaker_id, text, start_ts and stop_ts in milliseconds, and a type). JSON.parse is all the
// parser it takes.

export function parseJsonLines(input: string): Segment[] {
  const list = new SegmentList();
  input.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === "") return;
    let item: unknown;
    try {
      item = JSON.parse(raw);
    } catch {
      throw lineError(line, "this is not valid JSON (each line must be one JSON object).");
    }
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      throw lineError(line, "expected a JSON object with a text.");
    }
    const record = item as Record<string, unknown>;
    // Providers write other kinds of lines too (events, partial results); speech is the transcript.
    if (record.type !== undefined && record.type !== "speech") return;
    if (typeof record.text !== "string") throw lineError(line, 'the object has no "text".');
    const speaker = record.speaker_id ?? null;
    if (speaker !== null && typeof speaker !== "string" && typeof speaker !== "number") {
      throw lineError(line, '"speaker_id" must be a string.');
    }
    list.add(
      {
        speaker: speaker === null ? null : String(speaker),
        startMs: milliseconds(record.start_ts, "start_ts", line),
        endMs: milliseconds(record.stop_ts, "stop_ts", line),
        text: record.text,
      },
      line,
    );
  });
  return list.segments;
}

function milliseconds(value: unknown, name: string, line: number): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw lineError(line, `"${name}" must be a number of milliseconds.`);
  }
  return Math.round(value);
}
