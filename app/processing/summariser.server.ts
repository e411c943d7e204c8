import type { SummaryConfig } from "~/config.server";

import { summariseTranscript } from "./extractive-summary.server";
import { formatSummary, type Segment, type SummarySections } from "./summary-format";
import { ACTION_ITEM_OWNER_MAX, ACTION_ITEM_TEXT_MAX } from "./validation";

// A summariser turns a meeting's transcript into the stored summary and its action items.
// Offline (the default) or a model behind an OpenAI-compatible API (SUMMARY_PROVIDER=openai).

export interface SummaryRequest {
  meetingId: string;
  meetingName: string;
  agentName: string;
  /** The agent's instructions: the model reads them as its system prompt. */
  agentInstructions: string;
  segments: Segment[];
}

export interface SummaryActionItem {
  text: string;
  owner: string | null;
  atMs: number | null;
}

export interface Summary {
  text: string;
  actionItems: SummaryActionItem[];
}

export interface Summariser {
  /** For logs: "offline" or "openai (model)". */
  name: string;
  summarise(request: SummaryRequest): Promise<Summary>;
}

/**
 * Why processing failed, in words for the meeting page ("The model server did not answer
 * within 60 s"). Anything else thrown is shown as an unexpected error.
 */
export class ProcessingError extends Error {
  override name = "ProcessingError";
}

function clip(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1).trimEnd()}…`;
}

/** The stored summary and the action item records for a summary's sections. */
export function summaryOf(meetingId: string, sections: SummarySections): Summary {
  return {
    text: formatSummary(meetingId, sections),
    actionItems: sections.actionItems.map((item) => ({
      text: clip(item.text, ACTION_ITEM_TEXT_MAX),
      owner: item.speaker ? clip(item.speaker, ACTION_ITEM_OWNER_MAX) : null,
      atMs: item.atMs,
    })),
  };
}

export const offlineSummariser: Summariser = {
  name: "offline",
  async summarise({ meetingId, segments }) {
    return summaryOf(meetingId, summariseTranscript(segments));
  },
};

/** The summariser the configuration asks for. */
export async function summariserFor(config: SummaryConfig): Promise<Summariser> {
  if (config.provider === "offline") return offlineSummariser;
  // Loaded only when configured: the offline default never loads the OpenAI client.
  const { openAiSummariser } = await import("./openai-summary.server");
  return openAiSummariser(config);
}
