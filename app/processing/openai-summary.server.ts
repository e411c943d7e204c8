import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  AuthenticationError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from "openai";
import type { SummaryConfig } from "~/config.server";
import {
  EMPTY_SECTION,
  formatMoment,
  parseSummary,
  sectionOrder,
  sectionTitles,
  type Segment,
  type SummaryInline,
  type SummaryItem,
  type SummarySections,
} from "./summary-format";
import {
  ProcessingError,
  summaryOf,
  type Summariser,
  type SummaryRequest,
} from "./summariser.server";

// Summaries by a model behind an OpenAI-compatible chat completions API (OpenAI, Ollama, vLLM,
// …). The agent's instructions go into the system prompt; a long transcript is summarised in
// parts whose notes are then combined. The answer must come in the summary's four sections;
// it is read back item by item and written out in our own format, so links in the stored
// summary only ever come from us. Timeouts and errors fail the job, which pg-boss retries.

type OpenAiConfig = Extract<SummaryConfig, { provider: "openai" }>;

/** Transcript characters per request: roughly 6,000 tokens, which small local models take. */
export const CHUNK_CHARS = 24_000;

const format = `Answer in exactly this format and nothing else:

## ${sectionTitles.overview}
- [m:ss] Three to five sentences that say what the meeting was about.

## ${sectionTitles.actionItems}
- [m:ss] Name: what that person committed to do (due: when, if it was said)

## ${sectionTitles.decisions}
- [m:ss] What was decided.

## ${sectionTitles.openQuestions}
- [m:ss] What was asked or left open and not answered.

Start every item with the time, in brackets, of the transcript line it comes from. Use only
times and names that appear in the transcript. Write "${EMPTY_SECTION}" under a heading with
nothing to list. No other headings, no HTML, no links.`;

function systemPrompt(request: SummaryRequest): string {
  return [
    `You take the notes of a meeting with the AI agent "${request.agentName}".`,
    `The agent's instructions, which say what matters in its meetings:\n"""\n${request.agentInstructions.trim()}\n"""`,
    format,
  ].join("\n\n");
}

function transcriptLine(segment: Segment): string {
  const time = segment.startMs === null ? "" : `[${formatMoment(segment.startMs)}] `;
  return `${time}${segment.speaker ? `${segment.speaker}: ` : ""}${segment.text.replace(/\s+/g, " ").trim()}`;
}

/** The transcript as lines, cut into parts of at most `maxChars` (a line is never split). */
export function transcriptChunks(segments: Segment[], maxChars = CHUNK_CHARS): string[] {
  const chunks: string[] = [];
  let current = "";
  for (const segment of segments) {
    const line = transcriptLine(segment).slice(0, maxChars);
    if (current && current.length + line.length + 1 > maxChars) {
      chunks.push(current);
      current = "";
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) chunks.push(current);
  return chunks;
}

function describeApiError(error: unknown, config: OpenAiConfig): Error {
  const host = new URL(config.apiUrl).host;
  if (error instanceof APIConnectionTimeoutError) {
    return new ProcessingError(
      `The model server at ${host} did not answer within ${Math.round(config.timeoutMs / 1000)} s.`,
    );
  }
  if (error instanceof APIConnectionError) {
    return new ProcessingError(`The model server at ${host} could not be reached.`);
  }
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) {
    return new ProcessingError(
      `The model server at ${host} refused the API key (SUMMARY_API_KEY).`,
    );
  }
  if (error instanceof NotFoundError) {
    return new ProcessingError(
      `The model server at ${host} does not know the model “${config.model}” (SUMMARY_MODEL).`,
    );
  }
  if (error instanceof RateLimitError) {
    return new ProcessingError(`The model server at ${host} is busy (rate limit reached).`);
  }
  if (error instanceof APIError) {
    return new ProcessingError(
      `The model server at ${host} answered with an error (HTTP ${error.status ?? "?"}).`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

// --- Reading the answer back --------------------------------------------------------------------

const titleKeys = new Map<string, keyof SummarySections>(
  sectionOrder.map((key) => [sectionTitles[key].toLowerCase(), key]),
);

const timePattern = /^\s*[[(]?\s*((?:\d{1,2}:)?\d{1,2}:\d{2})\s*[\])]?\s*[-–—:]?\s*/;

function toMs(time: string): number {
  const parts = time.split(":").map(Number);
  return parts.reduce((total, part) => total * 60 + part, 0) * 1000;
}

/** The segment said at (or last before) `atMs`; none for a time after the transcript's end. */
function segmentAt(segments: Segment[], atMs: number): Segment | undefined {
  let found: Segment | undefined;
  let end = -Infinity;
  for (const segment of segments) {
    if (segment.startMs === null) continue;
    end = Math.max(end, segment.endMs ?? segment.startMs);
    if (segment.startMs > atMs) continue;
    if (!found || segment.startMs >= found.startMs!) found = segment;
  }
  return atMs > end + 60_000 ? undefined : found;
}

function plain(parts: SummaryInline[]): string {
  return parts
    .map((part) => part.text)
    .join("")
    .replace(/\s+/g, " ")
    .trim();
}

function readItem(text: string, segments: Segment[], speakers: Set<string>): SummaryItem | null {
  let rest = text.replace(/\*\*/g, "").trim();
  if (!rest || rest.replace(/\.$/, "") === EMPTY_SECTION.replace(/\.$/, "")) return null;
  let atMs: number | null = null;
  let position: number | null = null;
  const time = timePattern.exec(rest);
  if (time) {
    rest = rest.slice(time[0].length);
    const segment = segmentAt(segments, toMs(time[1]!));
    // A time the transcript does not have is dropped rather than linked somewhere wrong.
    if (segment) {
      atMs = segment.startMs;
      position = segment.position;
    }
  }
  let speaker: string | null = null;
  const named = /^([^:]{1,60}):\s+(.+)$/.exec(rest);
  if (named && speakers.has(named[1]!.trim())) {
    speaker = named[1]!.trim();
    rest = named[2]!;
  }
  let due: string | null = null;
  const dueMatch = /\s*\(due:?\s*([^)]+)\)\s*\.?$/i.exec(rest);
  if (dueMatch) {
    due = dueMatch[1]!.trim();
    rest = rest.slice(0, dueMatch.index).trim();
  }
  if (!rest) return null;
  return { text: rest.slice(0, 280), speaker, atMs, position, due };
}

/** The model's answer as the four sections; a ProcessingError when it is not in that form. */
export function readAnswer(answer: string, segments: Segment[]): SummarySections {
  const sections: SummarySections = {
    overview: [],
    actionItems: [],
    decisions: [],
    openQuestions: [],
  };
  const seen = new Set<keyof SummarySections>();
  const speakers = new Set(segments.flatMap((s) => (s.speaker ? [s.speaker] : [])));
  let current: keyof SummarySections | null = null;
  for (const block of parseSummary(answer)) {
    if (block.type === "heading") {
      current = titleKeys.get(block.text.replace(/[:*]/g, "").trim().toLowerCase()) ?? null;
      if (current) seen.add(current);
      continue;
    }
    if (!current) continue;
    const lines = block.type === "list" ? block.items : block.lines;
    for (const line of lines) {
      const item = readItem(plain(line), segments, speakers);
      if (item) sections[current].push(item);
    }
  }
  const missing = sectionOrder.filter((key) => !seen.has(key));
  if (missing.length > 0) {
    throw new ProcessingError(
      `The model's answer did not follow the summary's sections (missing: ${missing
        .map((key) => sectionTitles[key])
        .join(", ")}).`,
    );
  }
  return sections;
}

// --- The summariser -----------------------------------------------------------------------------

export function openAiSummariser(config: OpenAiConfig): Summariser {
  const client = new OpenAI({
    baseURL: config.apiUrl,
    // Local servers (Ollama, vLLM) take any key; the SDK insists on one.
    apiKey: config.apiKey || "no-key",
    timeout: config.timeoutMs,
    // Retries are the job's: three tries with backoff.
    maxRetries: 0,
  });

  async function complete(system: string, user: string): Promise<string> {
    let answer;
    try {
      answer = await client.chat.completions.create({
        model: config.model,
        temperature: 0,
        messages: [
          { role: "system", content: system },
          { role: "user", content: user },
        ],
      });
    } catch (error) {
      throw describeApiError(error, config);
    }
    const choice = answer.choices[0];
    const content = choice?.message?.content?.trim();
    if (choice?.finish_reason === "length") {
      throw new ProcessingError("The model's answer was cut off: it ran out of tokens.");
    }
    if (!content) throw new ProcessingError("The model gave an empty answer.");
    return content;
  }

  return {
    name: `openai (${config.model} at ${new URL(config.apiUrl).host})`,
    async summarise(request) {
      const system = systemPrompt(request);
      const chunks = transcriptChunks(request.segments);
      const heading = `Meeting: ${request.meetingName}`;
      let answer: string;
      if (chunks.length <= 1) {
        answer = await complete(system, `${heading}\n\nTranscript:\n${chunks[0] ?? ""}`);
      } else {
        // Notes of each part, then one set of notes from them.
        const notes: string[] = [];
        for (const [i, chunk] of chunks.entries()) {
          notes.push(
            await complete(
              system,
              `${heading}\n\nThis is part ${i + 1} of ${chunks.length} of the transcript. Take the notes of this part.\n\nTranscript:\n${chunk}`,
            ),
          );
        }
        answer = await complete(
          system,
          `${heading}\n\nThese are the notes of the ${chunks.length} parts of the meeting, in order. Combine them into the notes of the whole meeting: merge repeated items, keep each item's time.\n\n${notes
            .map((note, i) => `Notes of part ${i + 1}:\n${note}`)
            .join("\n\n")}`,
        );
      }
      return summaryOf(request.meetingId, readAnswer(answer, request.segments));
    },
  };
}
