import { describe, expect, it } from "vitest";
import { findDue, summariseTranscript } from "./extractive-summary.server";
import { formatSummary, parseSummary, type Segment } from "./summary-format";

// Transcripts written for these tests: a product planning meeting, and a short support call.

function transcript(
  lines: Array<[speaker: string | null, seconds: number, text: string]>,
): Segment[] {
  return lines.map(([speaker, seconds, text], position) => ({
    position,
    speaker,
    startMs: seconds * 1000,
    endMs: seconds * 1000 + 8000,
    text,
  }));
}

const planning = transcript([
  [
    "Ada",
    0,
    "Good morning everyone. Today we plan the billing migration for the new invoicing system.",
  ],
  [
    "Bob",
    12,
    "The billing migration moves every customer invoice from the old invoicing system to the new ledger.",
  ],
  [
    "Ada",
    30,
    "The invoicing system has to keep running while the ledger imports the old invoices.",
  ],
  [
    "Cleo",
    45,
    "Last quarter the old invoicing system failed twice during the monthly invoice run.",
  ],
  ["Bob", 61, "So the ledger import should run at night, when nobody creates invoices."],
  ["Ada", 80, "We decided to go with PostgreSQL for the new ledger."],
  ["Cleo", 95, "I'll write the import script for the old invoices by Friday."],
  ["Bob", 110, "Bob will review the invoice import script before the end of the week."],
  ["Ada", 124, "Who owns the customer emails about the migration?"],
  ["Cleo", 140, "I will say the weather has been lovely."],
  ["Bob", 152, "Let's go with a two-week freeze on invoice changes."],
  ["Ada", 170, "We need to update the runbook for the ledger."],
  ["Cleo", 185, "Right?"],
  ["Bob", 190, "Cleo, can you check the tax rules for the ledger export?"],
  ["Ada", 205, "It is not sure yet whether finance signs off in March."],
  [
    "Cleo",
    220,
    "The monthly invoice run after the migration uses the new ledger for every customer.",
  ],
]);

describe("the offline summariser", () => {
  const sections = summariseTranscript(planning);

  it("finds the commitments as action items, with who and when", () => {
    const byText = (fragment: string) =>
      sections.actionItems.find((item) => item.text.includes(fragment));
    expect(byText("import script for the old invoices")).toEqual({
      text: "I'll write the import script for the old invoices by Friday.",
      speaker: "Cleo",
      atMs: 95_000,
      position: 6,
      due: "by Friday",
    });
    // A speaker named at the start of the sentence is the owner, whoever said it.
    expect(byText("Bob will review")).toMatchObject({
      speaker: "Bob",
      due: "before the end of the week",
    });
    expect(byText("update the runbook")).toMatchObject({ speaker: "Ada", due: null });
    expect(byText("check the tax rules")).toMatchObject({ speaker: "Cleo", atMs: 190_000 });
  });

  it("does not take a figure of speech for a commitment", () => {
    const all = [...sections.actionItems, ...sections.overview, ...sections.decisions];
    expect(all.some((item) => item.text.includes("weather"))).toBe(false);
  });

  it("finds the decisions, including 'let's go with'", () => {
    expect(sections.decisions.map((d) => d.text)).toEqual([
      "We decided to go with PostgreSQL for the new ledger.",
      "Let's go with a two-week freeze on invoice changes.",
    ]);
    expect(sections.actionItems.some((a) => a.text.includes("two-week freeze"))).toBe(false);
  });

  it("keeps real questions and open points, not one-word ones", () => {
    expect(sections.openQuestions.map((q) => q.text)).toEqual([
      "Who owns the customer emails about the migration?",
      "It is not sure yet whether finance signs off in March.",
    ]);
  });

  it("opens with the most representative statements, in transcript order", () => {
    const overview = sections.overview.map((o) => o.position);
    expect(overview.length).toBeGreaterThanOrEqual(3);
    expect(overview.length).toBeLessThanOrEqual(5);
    expect(overview).toEqual([...overview].sort((a, b) => a! - b!));
    // The sentences about the migration, the invoicing system and the ledger, which the
    // others share words with; not the greeting-free aside about the night run.
    const texts = sections.overview.map((o) => o.text).join(" ");
    expect(texts).toContain("billing migration moves every customer invoice");
    expect(texts).toContain("monthly invoice run");
    // Never a sentence already listed as an action, decision or question.
    for (const o of sections.overview) {
      expect(sections.actionItems.map((a) => a.position)).not.toContain(o.position);
      expect(sections.decisions.map((d) => d.position)).not.toContain(o.position);
    }
  });

  it("gives the same summary for the same transcript, in whatever order it arrives", () => {
    const again = summariseTranscript([...planning].reverse());
    expect(again).toEqual(sections);
    expect(formatSummary("m1", again)).toBe(formatSummary("m1", sections));
  });

  it("splits a segment into sentences and links each to its segment's moment", () => {
    const [item] = summariseTranscript(
      transcript([["Dee", 3725, "Thanks for joining. I will send the notes tomorrow."]]),
    ).actionItems;
    expect(item).toMatchObject({
      text: "I will send the notes tomorrow.",
      atMs: 3_725_000,
      due: null,
    });
  });

  it("has empty sections for an empty transcript", () => {
    const empty = summariseTranscript([]);
    expect(empty).toEqual({ overview: [], actionItems: [], decisions: [], openQuestions: [] });
    expect(formatSummary("m1", empty)).toContain("## Action items\n\nNone noted.");
  });

  it("works on segments without speakers or times", () => {
    const result = summariseTranscript([
      {
        position: 0,
        speaker: null,
        startMs: null,
        endMs: null,
        text: "We agreed to close the office on Fridays.",
      },
    ]);
    expect(result.decisions).toEqual([
      { text: "We agreed to close the office on Fridays.", speaker: null, atMs: null, position: 0 },
    ]);
  });
});

describe("due phrases", () => {
  it.each([
    ["Send it by Friday please", "by Friday"],
    ["before the end of the month we ship", "before the end of the month"],
    ["by next Tuesday", "by next Tuesday"],
    ["due March 3rd", "due March 3rd"],
    ["on the 14th", "on the 14th"],
    ["We ship it eventually", null],
  ])("%s → %s", (text, due) => {
    expect(findDue(text)).toBe(due);
  });
});

describe("the stored summary", () => {
  it("lists each section with links to the transcript moments", () => {
    const text = formatSummary("meet 1", summariseTranscript(planning));
    const headings = parseSummary(text)
      .filter((b) => b.type === "heading")
      .map((b) => (b.type === "heading" ? b.text : ""));
    expect(headings).toEqual(["Overview", "Action items", "Decisions", "Open questions"]);
    expect(text).toContain(
      "- [1:35](/meetings/meet%201/transcript?t=95#segment-6) **Cleo**: I'll write the import script for the old invoices by Friday. (due by Friday)",
    );
  });
});
