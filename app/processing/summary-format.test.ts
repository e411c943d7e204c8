import { describe, expect, it } from "vitest";
import { MEETING_SUMMARY_MAX } from "~/meetings/validation";
import {
  formatMoment,
  formatSummary,
  parseSummary,
  safeSummaryHref,
  summaryPreview,
  transcriptMomentPath,
  type SummaryItem,
} from "./summary-format";

describe("reading a stored summary", () => {
  it("reads headings, list items with moment links and bold speakers, and paragraphs", () => {
    const blocks = parseSummary(
      "## Overview\n\n- [1:05](/meetings/m/transcript?t=65#segment-3) **Ada**: We ship.\n* Two\n\nA plain\nparagraph.",
    );
    expect(blocks).toEqual([
      { type: "heading", text: "Overview" },
      {
        type: "list",
        items: [
          [
            { type: "link", text: "1:05", href: "/meetings/m/transcript?t=65#segment-3" },
            { type: "text", text: " " },
            { type: "strong", text: "Ada" },
            { type: "text", text: ": We ship." },
          ],
          [{ type: "text", text: "Two" }],
        ],
      },
      {
        type: "paragraph",
        lines: [[{ type: "text", text: "A plain" }], [{ type: "text", text: "paragraph." }]],
      },
    ]);
  });

  it("keeps HTML as text and turns unsafe links into their label", () => {
    const [list] = parseSummary(
      "- <img src=x onerror=alert(1)> [click](javascript:alert(1)) [x](//evil.example) [ok](https://example.com/a)",
    );
    expect(list).toEqual({
      type: "list",
      items: [
        [
          { type: "text", text: "<img src=x onerror=alert(1)> [click](javascript:alert(1)) x " },
          { type: "link", text: "ok", href: "https://example.com/a" },
        ],
      ],
    });
  });

  it("allows only app paths and http(s) URLs as link targets", () => {
    expect(safeSummaryHref("/meetings/a/transcript?t=1#segment-0")).toBe(
      "/meetings/a/transcript?t=1#segment-0",
    );
    expect(safeSummaryHref("https://example.com/x")).toBe("https://example.com/x");
    for (const bad of ["javascript:alert(1)", "//evil.example/x", "data:text/html,x", "/\\evil"]) {
      expect(safeSummaryHref(bad)).toBeNull();
    }
  });

  it("previews the words without headings or moment links", () => {
    const text = formatSummary("m", {
      overview: [{ text: "We ship in May.", speaker: "Ada", atMs: 1000, position: 0 }],
      actionItems: [],
      decisions: [],
      openQuestions: [],
    });
    expect(summaryPreview(text)).toBe("Ada: We ship in May.");
    expect(summaryPreview("Went well.\n\nNext time: earlier.")).toBe(
      "Went well. Next time: earlier.",
    );
  });
});

describe("writing a summary", () => {
  it("links a moment to the transcript reader, in whole seconds", () => {
    expect(transcriptMomentPath("m 1", { atMs: 65_900, position: 4 })).toBe(
      "/meetings/m%201/transcript?t=65#segment-4",
    );
    expect(transcriptMomentPath("m", { atMs: null, position: 4 })).toBe(
      "/meetings/m/transcript#segment-4",
    );
    expect(formatMoment(3_725_000)).toBe("1:02:05");
    expect(formatMoment(65_000)).toBe("1:05");
  });

  it("keeps item text from breaking the format", () => {
    const text = formatSummary("m", {
      overview: [{ text: "A [link](x)\n## heading **bold**", speaker: null, atMs: 0, position: 0 }],
      actionItems: [],
      decisions: [],
      openQuestions: [],
    });
    expect(text).toContain(
      "- [0:00](/meetings/m/transcript?t=0#segment-0) A (link)(x) ## heading *bold*",
    );
    expect(parseSummary(text).filter((b) => b.type === "heading")).toHaveLength(4);
  });

  it("fits the summary column's limit by dropping items from the longest section", () => {
    const many = (n: number): SummaryItem[] =>
      Array.from({ length: n }, (_, i) => ({
        text: "x".repeat(270),
        speaker: "Speaker",
        atMs: i * 1000,
        position: i,
      }));
    const text = formatSummary("m", {
      overview: many(5),
      actionItems: many(200),
      decisions: many(15),
      openQuestions: many(10),
    });
    expect(text.length).toBeLessThanOrEqual(MEETING_SUMMARY_MAX);
    expect(text).toContain("## Open questions");
  });
});
