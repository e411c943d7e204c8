import { describe, expect, it } from "vitest";
import { readAnswer, transcriptChunks } from "./openai-summary.server";
import type { Segment } from "./summary-format";

const segments: Segment[] = [
  { position: 0, speaker: "Ada", startMs: 0, endMs: 5000, text: "Hello." },
  { position: 1, speaker: "Bob", startMs: 65_000, endMs: 70_000, text: "I will ship it." },
];

describe("reading a model's answer", () => {
  it("reads each section's items with their moment, speaker and due date", () => {
    const sections = readAnswer(
      [
        "## Overview",
        "- [0:00] Ada opened the meeting.",
        "## Action Items",
        "- [1:07] **Bob**: I will ship it. (due: Friday)",
        "- [9:59] Carol: something at a time nobody spoke",
        "## Decisions:",
        "None noted.",
        "## Open questions",
        "* (1:05) Who tests it?",
      ].join("\n"),
      segments,
    );
    expect(sections).toEqual({
      overview: [
        { text: "Ada opened the meeting.", speaker: null, atMs: 0, position: 0, due: null },
      ],
      actionItems: [
        { text: "I will ship it.", speaker: "Bob", atMs: 65_000, position: 1, due: "Friday" },
        // 9:59 is long after the transcript's end, and "Carol" did not speak: neither is kept.
        {
          text: "Carol: something at a time nobody spoke",
          speaker: null,
          atMs: null,
          position: null,
          due: null,
        },
      ],
      decisions: [],
      openQuestions: [
        { text: "Who tests it?", speaker: null, atMs: 65_000, position: 1, due: null },
      ],
    });
  });

  it("refuses an answer without the four sections", () => {
    expect(() => readAnswer("## Overview\n- Fine.\n## Decisions\n- None.", segments)).toThrow(
      "The model's answer did not follow the summary's sections (missing: Action items, Open questions).",
    );
  });

  it("cuts a transcript into parts at line ends", () => {
    const many: Segment[] = Array.from({ length: 50 }, (_, i) => ({
      position: i,
      speaker: "Ada",
      startMs: i * 1000,
      endMs: null,
      text: "word ".repeat(20),
    }));
    const chunks = transcriptChunks(many, 1000);
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(1000);
    expect(chunks.join("\n").split("\n")).toHaveLength(50);
  });
});
