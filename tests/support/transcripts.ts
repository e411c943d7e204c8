import type { Segment } from "~/processing/summary-format";

// Transcripts for specs and the benchmark, written here: a short planning meeting, and a
// generated hour of talk with the same kinds of sentences.

export function transcriptOf(
  lines: Array<[speaker: string | null, seconds: number, text: string]>,
): Segment[] {
  return lines.map(([speaker, seconds, text], position) => ({
    position,
    speaker,
    startMs: seconds * 1000,
    endMs: seconds * 1000 + 6000,
    text,
  }));
}

export const planningMeeting = transcriptOf([
  ["Ada", 0, "Welcome. Today we plan the billing migration to the new ledger."],
  ["Bob", 14, "The billing migration moves every invoice from the old system to the new ledger."],
  ["Cleo", 31, "The old invoicing system failed twice during the monthly invoice run."],
  ["Ada", 47, "We decided to go with PostgreSQL for the new ledger."],
  ["Cleo", 62, "I'll write the import script for the old invoices by Friday."],
  ["Bob", 80, "Bob will review the import script before the end of the week."],
  ["Ada", 95, "Who owns the customer emails about the migration?"],
  ["Bob", 110, "The monthly invoice run after the migration uses the new ledger."],
]);

const topics = [
  ["billing", "invoice", "ledger", "migration"],
  ["onboarding", "signup", "email", "welcome flow"],
  ["search", "index", "latency", "query"],
  ["mobile app", "release", "crash report", "store review"],
  ["pricing page", "plan", "trial", "upgrade"],
];
const speakers = ["Ada", "Bob", "Cleo", "Dev"];
const weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

/**
 * About `minutes` of a meeting: a segment every 5 seconds, four speakers, two or three
 * sentences each, with commitments, decisions and questions mixed in. Always the same text.
 */
export function generatedMeeting(minutes = 60): Segment[] {
  const segments: Segment[] = [];
  const count = Math.round((minutes * 60) / 5);
  for (let i = 0; i < count; i++) {
    const [a, b, c, d] = topics[Math.floor(i / (count / topics.length)) % topics.length]!;
    const speaker = speakers[(i * 7 + Math.floor(i / 3)) % speakers.length]!;
    const n = i % 11;
    const sentences = [
      `We looked at the ${a} numbers for the ${b} again this week, and the ${c} is still higher than we want.`,
      n === 3
        ? `I'll update the ${b} document and share it by ${weekdays[i % 5]}.`
        : n === 6
          ? `We decided to move the ${d} work into the next sprint.`
          : n === 8
            ? `What happens to the ${c} when the ${a} traffic doubles?`
            : `The ${d} depends on the ${a} team finishing the ${c} changes first.`,
      i % 2 === 0 ? `That matches what customers told us about the ${b} last month.` : "",
    ];
    segments.push({
      position: i,
      speaker,
      startMs: i * 5000,
      endMs: i * 5000 + 4800,
      text: sentences.filter(Boolean).join(" "),
    });
  }
  return segments;
}
