import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTranscript } from "./parse";
import { MAX_TIME_MS, normalizeText, type Segment } from "./segments";
import { writeVtt } from "./vtt";

// Characters that WebVTT gives a meaning to, beside any text at all.
const tricky = fc.constantFrom(
  "&",
  "<",
  ">",
  ":",
  ";",
  "#",
  "-->",
  "<v ",
  "</v>",
  "&amp;",
  "&#58;",
  "NOTE",
  "WEBVTT",
  "00:00:01.000",
  " ",
  "\t",
  "\n",
  "é",
  "漢",
  "🙂",
  ".",
  "'",
  "-",
);
const words = fc
  .oneof(fc.string({ unit: "grapheme", maxLength: 30 }), fc.string({ unit: tricky, maxLength: 12 }))
  .map(normalizeText);
const speaker = fc.option(
  words.filter((name) => name.length <= 100),
  { nil: null },
);

/** Segments as an import stores them: normalized text, cues in order, each ending after it starts. */
const segments = fc
  .array(
    fc.record({
      speaker,
      text: words.filter(Boolean),
      gapMs: fc.integer({ min: 0, max: 60_000 }),
      lengthMs: fc.integer({ min: 1, max: 120_000 }),
    }),
    { minLength: 1, maxLength: 30 },
  )
  .map((items) => {
    let clock = 0;
    return items.map(({ speaker, text, gapMs, lengthMs }): Segment => {
      const startMs = Math.min(clock + gapMs, MAX_TIME_MS - 1);
      clock = Math.min(startMs + lengthMs, MAX_TIME_MS);
      return { speaker: speaker || null, startMs, endMs: clock, text };
    });
  });

describe("the WebVTT export", () => {
  it("reads back as the same segments (speakers, times to the millisecond, text)", () => {
    fc.assert(
      fc.property(segments, (original) => {
        const vtt = new TextEncoder().encode(writeVtt(original));
        expect(parseTranscript(vtt)).toEqual({ format: "vtt", segments: original });
      }),
      { numRuns: 300 },
    );
    // 300 round trips take a few seconds on a busy machine.
  }, 60_000);

  it("escapes what WebVTT would read as markup, and keeps 'Note: x' without a speaker", () => {
    const vtt = writeVtt([
      { speaker: "R&D <lead>", startMs: 0, endMs: 1500, text: "a < b --> c & d" },
      { speaker: null, startMs: 1500, endMs: 3000, text: "Note: nothing to add" },
    ]);
    expect(vtt).toBe(
      "WEBVTT\n\n" +
        "00:00:00.000 --> 00:00:01.500\n<v R&amp;D &lt;lead&gt;>a &lt; b --&gt; c &amp; d\n\n" +
        "00:00:01.500 --> 00:00:03.000\nNote&#58; nothing to add\n",
    );
  });

  it("gives segments without times consecutive cues, each ending after it starts", () => {
    const vtt = writeVtt([
      { speaker: null, startMs: null, endMs: null, text: "first" },
      { speaker: null, startMs: 5000, endMs: null, text: "second" },
      { speaker: null, startMs: 5000, endMs: 5000, text: "third" },
    ]);
    expect(vtt).toContain("00:00:00.000 --> 00:00:05.000\nfirst");
    expect(vtt).toContain("00:00:05.000 --> 00:00:06.000\nsecond");
    expect(vtt).toContain("00:00:05.000 --> 00:00:05.001\nthird");
  });
});
