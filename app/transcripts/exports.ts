import { formatDate, formatDuration } from "~/ui/time";
import type { ExportFormat } from "./export-formats";
import { writePlainText } from "./plain-text";
import { formatClock, normalizeText, type Segment } from "./segments";
import { writeSrt } from "./srt";
import { spans, writeVtt } from "./vtt";

// The downloads of a transcript. Speakers appear by their display names everywhere.

const contentTypes: Record<ExportFormat, string> = {
  txt: "text/plain; charset=utf-8",
  vtt: "text/vtt; charset=utf-8",
  srt: "application/x-subrip; charset=utf-8",
  json: "application/json; charset=utf-8",
  md: "text/markdown; charset=utf-8",
};

/** A segment as exported: `speaker` is the display name, `label` the name in the source. */
export interface ExportSegment extends Segment {
  position: number;
  label: string | null;
}

export interface ExportMeeting {
  id: string;
  name: string;
  agentName: string;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  summary: string | null;
}

export function renderExport(
  format: ExportFormat,
  meeting: ExportMeeting,
  segments: ExportSegment[],
): { body: string; contentType: string; filename: string } {
  return {
    body: writers[format](meeting, segments),
    contentType: contentTypes[format],
    filename: `${fileName(meeting.name)}.${format}`,
  };
}

const writers: Record<ExportFormat, (meeting: ExportMeeting, segments: ExportSegment[]) => string> =
  {
    txt: (_, segments) => writePlainText(segments),
    vtt: (_, segments) => writeVtt(segments),
    srt: (_, segments) => writeSrt(spans(segments)),
    json: (meeting, segments) =>
      `${JSON.stringify(
        {
          meeting: { id: meeting.id, name: meeting.name },
          segments: segments.map((s) => ({
            position: s.position,
            speaker: s.speaker,
            speaker_label: s.label,
            start_ms: s.startMs,
            end_ms: s.endMs,
            text: s.text,
          })),
        },
        null,
        2,
      )}\n`,
    md: markdown,
  };

function markdown(meeting: ExportMeeting, segments: ExportSegment[]): string {
  const facts = [
    `- Agent: ${meeting.agentName}`,
    `- Date: ${formatDate(meeting.startedAt ?? meeting.createdAt)}`,
  ];
  if (meeting.startedAt && meeting.endedAt) {
    facts.push(
      `- Duration: ${formatDuration(meeting.endedAt.getTime() - meeting.startedAt.getTime())}`,
    );
  }
  const lines = segments.map((s) => {
    const time = s.startMs === null ? "" : ` [${formatClock(s.startMs)}]`;
    const who = s.speaker ? `**${s.speaker}**${time}: ` : time ? `${time.trim()} ` : "";
    return `${who}${s.text}`;
  });
  return (
    [
      `# ${meeting.name}`,
      facts.join("\n"),
      "## Summary",
      meeting.summary?.trim() || "No summary yet.",
      "## Transcript",
      ...lines,
    ].join("\n\n") + "\n"
  );
}

/** The meeting's name as a file name: no path separators or characters systems refuse. */
export function fileName(name: string): string {
  const safe = normalizeText(name.replace(/[/\\:*?"<>|]+/g, " "));
  return safe.slice(0, 100).trim() || "transcript";
}
