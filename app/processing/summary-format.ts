import { MEETING_SUMMARY_MAX } from "~/meetings/validation";

// The stored summary: Markdown-like plain text in `meetings.summary`, written by the summariser
// (or by a person) and read back here for the page. Only a small, known subset is understood
// (headings, list items, links, bold); the page builds React elements from it, never HTML.

export interface Segment {
  /** Order of the segment in the transcript, from 0. */
  position: number;
  /** The speaker's display name, or null when the transcript does not say who spoke. */
  speaker: string | null;
  startMs: number | null;
  endMs: number | null;
  text: string;
}

export interface SummaryItem {
  text: string;
  speaker: string | null;
  /** The moment in the transcript it was said, and its segment. */
  atMs: number | null;
  position: number | null;
  /** For action items: the due phrase found in it ("by Friday"). */
  due?: string | null;
}

export interface SummarySections {
  overview: SummaryItem[];
  actionItems: SummaryItem[];
  decisions: SummaryItem[];
  openQuestions: SummaryItem[];
}

export const sectionTitles: Record<keyof SummarySections, string> = {
  overview: "Overview",
  actionItems: "Action items",
  decisions: "Decisions",
  openQuestions: "Open questions",
};

export const sectionOrder = ["overview", "actionItems", "decisions", "openQuestions"] as const;

/**
 * The transcript reader at one moment: `?t=` (whole seconds) plays the recording from there,
 * the fragment scrolls to the segment. The one place that knows the reader's address.
 */
export function transcriptMomentPath(
  meetingId: string,
  moment: { atMs: number | null; position: number | null },
): string {
  const base = `/meetings/${encodeURIComponent(meetingId)}/transcript`;
  const query = moment.atMs === null ? "" : `?t=${Math.floor(moment.atMs / 1000)}`;
  const fragment = moment.position === null ? "" : `#segment-${moment.position}`;
  return `${base}${query}${fragment}`;
}

/** "4:05" or "1:02:03", as the transcript reader shows times. */
export function formatMoment(ms: number): string {
  const total = Math.floor(Math.max(0, ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** Text as it may stand inside a list item: one line, and no characters the format reads. */
function inline(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .replace(/\*\*/g, "*")
    .replace(/\[/g, "(")
    .replace(/\]/g, ")")
    .trim();
}

function itemLine(meetingId: string, item: SummaryItem): string {
  const parts: string[] = ["-"];
  if (item.atMs !== null || item.position !== null) {
    const label = item.atMs !== null ? formatMoment(item.atMs) : `segment ${item.position! + 1}`;
    parts.push(`[${label}](${transcriptMomentPath(meetingId, item)})`);
  }
  parts.push(
    item.speaker ? `**${inline(item.speaker)}**: ${inline(item.text)}` : inline(item.text),
  );
  if (item.due) parts.push(`(due ${inline(item.due)})`);
  return parts.join(" ");
}

export const EMPTY_SECTION = "None noted.";

/**
 * The summary as stored: the four sections in order, each a list of items that link to their
 * moment in the transcript. Trimmed from the end of the longest sections until it fits the
 * column's limit, so the summary stays editable in the meeting form.
 */
export function formatSummary(meetingId: string, sections: SummarySections): string {
  const current: SummarySections = {
    overview: [...sections.overview],
    actionItems: [...sections.actionItems],
    decisions: [...sections.decisions],
    openQuestions: [...sections.openQuestions],
  };
  for (;;) {
    const text = sectionOrder
      .map((key) => {
        const items = current[key];
        const body = items.length
          ? items.map((item) => itemLine(meetingId, item)).join("\n")
          : EMPTY_SECTION;
        return `## ${sectionTitles[key]}\n\n${body}`;
      })
      .join("\n\n");
    if (text.length <= MEETING_SUMMARY_MAX) return text;
    const longest = sectionOrder.reduce((a, b) => (current[b].length > current[a].length ? b : a));
    if (current[longest].length === 0) return text.slice(0, MEETING_SUMMARY_MAX);
    current[longest].pop();
  }
}

// --- Reading it back ---------------------------------------------------------------------

export type SummaryInline =
  | { type: "text"; text: string }
  | { type: "strong"; text: string }
  | { type: "link"; text: string; href: string };

export type SummaryBlock =
  | { type: "heading"; text: string }
  | { type: "list"; items: SummaryInline[][] }
  | { type: "paragraph"; lines: SummaryInline[][] };

/**
 * Where a link in a summary may lead: a path of this app, or an absolute http(s) URL. Anything
 * else (javascript:, data:, protocol-relative //host) is shown as plain text.
 */
export function safeSummaryHref(href: string): string | null {
  if (/^\/(?!\/)[^\s\\]*$/.test(href)) return href;
  try {
    const url = new URL(href);
    return url.protocol === "http:" || url.protocol === "https:" ? url.toString() : null;
  } catch {
    return null;
  }
}

const inlinePattern = /\*\*([^*]+?)\*\*|\[([^\]\n]+)\]\(([^()\s]+)\)/g;

export function parseInline(text: string): SummaryInline[] {
  const parts: SummaryInline[] = [];
  let last = 0;
  const push = (part: SummaryInline) => {
    const previous = parts.at(-1);
    if (part.type === "text" && previous?.type === "text") previous.text += part.text;
    else if (part.type !== "text" || part.text) parts.push(part);
  };
  for (const match of text.matchAll(inlinePattern)) {
    push({ type: "text", text: text.slice(last, match.index) });
    if (match[1] !== undefined) {
      push({ type: "strong", text: match[1] });
    } else {
      const href = safeSummaryHref(match[3]!);
      push(href ? { type: "link", text: match[2]!, href } : { type: "text", text: match[2]! });
    }
    last = match.index + match[0].length;
  }
  push({ type: "text", text: text.slice(last) });
  return parts;
}

/** The stored summary as blocks: headings (#, ##, ###), lists (-, *, 1.) and paragraphs. */
export function parseSummary(text: string): SummaryBlock[] {
  const blocks: SummaryBlock[] = [];
  let list: SummaryInline[][] | null = null;
  let paragraph: SummaryInline[][] | null = null;
  const close = () => {
    list = null;
    paragraph = null;
  };
  for (const raw of text.replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.trimEnd();
    const heading = /^#{1,6}\s+(.+)$/.exec(line);
    const item = /^\s*(?:[-*•]|\d+[.)])\s+(.*)$/.exec(line);
    if (!line.trim()) {
      close();
    } else if (heading) {
      close();
      blocks.push({ type: "heading", text: heading[1]!.replace(/\s*#+\s*$/, "").trim() });
    } else if (item) {
      paragraph = null;
      if (!list) {
        list = [];
        blocks.push({ type: "list", items: list });
      }
      list.push(parseInline(item[1]!));
    } else if (list && /^\s{2,}\S/.test(raw)) {
      // An indented line continues the list item above it.
      const previous = list.at(-1)!;
      previous.push({ type: "text", text: " " }, ...parseInline(line.trim()));
    } else {
      list = null;
      if (!paragraph) {
        paragraph = [];
        blocks.push({ type: "paragraph", lines: paragraph });
      }
      paragraph.push(parseInline(line));
    }
  }
  return blocks;
}

/** A short plain-text preview (the dashboard): the words, without headings or moment links. */
export function summaryPreview(text: string, maxChars = 240): string {
  const words = parseSummary(text)
    .filter((block) => block.type !== "heading")
    .flatMap((block) => (block.type === "list" ? block.items : block.lines))
    .map((parts) =>
      parts
        .filter((part) => part.type !== "link" || !part.href.includes("/transcript"))
        .map((part) => part.text)
        .join("")
        .trim(),
    )
    .filter((line) => line && line !== EMPTY_SECTION)
    .join(" ");
  return words.length > maxChars ? `${words.slice(0, maxChars - 1).trimEnd()}…` : words;
}
