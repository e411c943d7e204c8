import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseTranscript } from "./parse";
import { MAX_SEGMENTS, TranscriptError } from "./segments";

// Real-world-shaped samples, written for these tests, in tests/fixtures/transcripts.
const sample = (name: string) => readFileSync(`tests/fixtures/transcripts/${name}`);
const text = (value: string) => new TextEncoder().encode(value);

function problemOf(bytes: Uint8Array): string {
  try {
    parseTranscript(bytes);
  } catch (error) {
    if (error instanceof TranscriptError) return error.message;
    throw error;
  }
  throw new Error("parsed without a problem");
}

describe("WebVTT", () => {
  it("reads voice tags as speakers and drops styling, notes, styles, settings and inner timestamps", () => {
    expect(parseTranscript(sample("voices.vtt"))).toEqual({
      format: "vtt",
      segments: [
        {
          speaker: "Ada",
          startMs: 1000,
          endMs: 4500,
          text: "Good morning, everyone. Let's look at the deploy plan & the budget.",
        },
        {
          speaker: "Grace Hopper",
          startMs: 5000,
          endMs: 8250,
          text: "The staging cluster is ready; production goes out on Friday <if QA agrees>.",
        },
        { speaker: "Ada", startMs: 8250, endMs: 10000, text: "Great. Thanks." },
        { speaker: "Linus", startMs: 11000, endMs: 13000, text: "I added the release notes." },
        { speaker: null, startMs: 13500, endMs: 15000, text: "[laughter]" },
      ],
    });
  });

  it("names the line of a broken cue timing", () => {
    expect(problemOf(sample("broken.vtt"))).toBe('Line 6: No decimal separator (".") found.');
  });

  it("refuses a cue that ends before it starts, naming its line", () => {
    const vtt = "WEBVTT\n\n00:00:05.000 --> 00:00:04.000\nBackwards\n";
    expect(problemOf(text(vtt))).toBe("Line 3: End timestamp is not greater than start timestamp.");
  });

  it("accepts what browsers accept: unknown settings and unclosed tags", () => {
    const vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000 colour:red\n<b>Bold <i>still\n";
    expect(parseTranscript(text(vtt)).segments).toEqual([
      { speaker: null, startMs: 1000, endMs: 2000, text: "Bold still" },
    ]);
  });
});

describe("SRT", () => {
  it("reads a Windows file (byte-order mark, CRLF) with formatting tags and speaker names", () => {
    expect(parseTranscript(sample("windows.srt"))).toEqual({
      format: "srt",
      segments: [
        { speaker: "Ada", startMs: 1000, endMs: 3500, text: "Can everyone hear me?" },
        { speaker: "Grace", startMs: 4000, endMs: 7120, text: "Yes, loud and clear. Let's begin." },
        { speaker: null, startMs: 7500, endMs: 9000, text: "[music]" },
      ],
    });
  });

  it("names the line of a timing without its arrow", () => {
    expect(problemOf(sample("broken.srt"))).toBe(
      "Line 6: expected a timing such as 00:00:01,000 --> 00:00:04,000.",
    );
  });

  it("names the line of text where a new block was expected", () => {
    const srt = "1\n00:00:01,000 --> 00:00:02,000\nOne\n\nstray words\n";
    expect(problemOf(text(srt))).toBe(
      "Line 5: expected a subtitle number or a timing such as 00:00:01,000 --> 00:00:04,000.",
    );
  });
});

describe("JSON Lines (Stream Video)", () => {
  it("reads speech lines with their speaker ids and times, and skips other kinds of lines", () => {
    expect(parseTranscript(sample("stream.jsonl"))).toEqual({
      format: "jsonl",
      segments: [
        {
          speaker: "user_ada",
          startMs: 1120,
          endMs: 4480,
          text: "Morning everyone, let's get started with the roadmap.",
        },
        {
          speaker: "agent_scribe",
          startMs: 5010,
          endMs: 9300,
          text: "I will take notes and file the action items.",
        },
        { speaker: "user_ada", startMs: 9900, endMs: 12000, text: "We decided to ship on Friday." },
      ],
    });
  });

  it("names the line that is not JSON", () => {
    expect(problemOf(sample("broken.jsonl"))).toBe(
      "Line 2: this is not valid JSON (each line must be one JSON object).",
    );
  });

  it("names the line whose times are not milliseconds", () => {
    const jsonl = '{"text":"a","start_ts":0}\n{"text":"b","start_ts":"soon"}\n';
    expect(problemOf(text(jsonl))).toBe('Line 2: "start_ts" must be a number of milliseconds.');
  });
});

describe("plain text", () => {
  it("reads Speaker: lines with [hh:mm:ss] and hh:mm:ss times, continuing lines without one", () => {
    expect(parseTranscript(sample("notes.txt"))).toEqual({
      format: "text",
      segments: [
        {
          speaker: "Ada",
          startMs: 5000,
          endMs: null,
          text: "Welcome to the retro. We have three topics today.",
        },
        { speaker: "Grace", startMs: 70_000, endMs: null, text: "First, the outage on Tuesday." },
        {
          speaker: "Linus",
          startMs: 3_723_000,
          endMs: null,
          text: "Last, hiring. Unlabelled closing remark from the notes.",
        },
      ],
    });
  });

  it("makes one unlabelled segment per paragraph of prose", () => {
    expect(parseTranscript(sample("prose.txt")).segments).toEqual([
      { speaker: null, startMs: null, endMs: null, text: "Meeting notes, typed during the call." },
      {
        speaker: null,
        startMs: null,
        endMs: null,
        text: "The team agreed that the launch moves to May, because the payment provider needs two more weeks.",
      },
      {
        speaker: null,
        startMs: null,
        endMs: null,
        text: "Next steps: update the roadmap and tell support.",
      },
    ]);
  });

  it("reads a time alone on its line as the start of the words (and speaker) below it", () => {
    const transcript = "0:05\nHello and welcome.\n0:09\nGrace: Today, the roadmap.\n";
    expect(parseTranscript(text(transcript)).segments).toEqual([
      { speaker: null, startMs: 5000, endMs: null, text: "Hello and welcome." },
      { speaker: "Grace", startMs: 9000, endMs: null, text: "Today, the roadmap." },
    ]);
  });

  it("cuts a paragraph longer than 10,000 characters after a sentence", () => {
    const sentence = "This sentence is forty characters long. ";
    const segments = parseTranscript(text(sentence.repeat(400))).segments;
    expect(segments.map((s) => s.text.length)).toEqual([9999, 6000 - 1]);
    expect(segments.every((s) => s.text.endsWith("long."))).toBe(true);
  });
});

describe("what is not a transcript", () => {
  it("refuses an empty file", () => {
    expect(problemOf(text(" \n\n\t"))).toBe("The transcript is empty: it has no text.");
  });

  it("refuses binary data and text that is not UTF-8", () => {
    const pdf = new Uint8Array([
      0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0xe2, 0xe3, 0xcf, 0xd3,
    ]);
    const zipped = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]);
    for (const bytes of [pdf, zipped]) {
      expect(problemOf(bytes)).toMatch(/^This is not a text file \(it holds binary data/);
    }
  });

  it("refuses an HTML page, such as a sign-in page served instead of the file", () => {
    expect(problemOf(text("<!DOCTYPE html>\n<html><body>Sign in</body></html>"))).toMatch(
      /^This is a web page \(HTML\), not a transcript\./,
    );
  });

  it("refuses a WebVTT file whose cues hold no words", () => {
    expect(problemOf(text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<b></b>\n"))).toBe(
      "The transcript has no text: its WebVTT file holds no words.",
    );
  });

  it(`refuses more than ${MAX_SEGMENTS.toLocaleString("en-US")} segments`, () => {
    const lines = Array.from({ length: MAX_SEGMENTS + 1 }, (_, i) => `{"text":"word ${i}"}`);
    expect(problemOf(text(lines.join("\n")))).toBe(
      "The transcript has more than 50,000 segments, the most we take.",
    );
    // Parsing 50,000 lines takes a second or two on a busy machine.
  }, 60_000);

  it("reads UTF-16 with its byte-order mark, as Windows Notepad saves 'Unicode'", () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from("Ada: Hallo Grüße\n", "utf16le")]);
    expect(parseTranscript(utf16).segments).toEqual([
      { speaker: "Ada", startMs: null, endMs: null, text: "Hallo Grüße" },
    ]);
  });
});
