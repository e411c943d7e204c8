import type { ExportFormat } from "./export-formats";

// The transcript's addresses, for links, redirects and other features (a summary's action
// item links to its moment).

export function transcriptPath(meetingId: string, params?: URLSearchParams | string): string {
  const query = params?.toString() ?? "";
  return `/meetings/${meetingId}/transcript${query ? `?${query}` : ""}`;
}

export function transcriptImportPath(meetingId: string): string {
  return `/meetings/${meetingId}/transcript/import`;
}

export function transcriptExportPath(meetingId: string, format: ExportFormat): string {
  return `/meetings/${meetingId}/transcript/export/${format}`;
}

/** The element id of a segment in the reader, for #fragment links. */
export function segmentAnchor(position: number): string {
  return `segment-${position}`;
}

/**
 * A link to one segment of the reader: the page that holds it, scrolled to it (and, with `q`,
 * its words marked).
 */
export function transcriptMomentPath(
  meetingId: string,
  position: number,
  options: { q?: string } = {},
): string {
  const params = new URLSearchParams();
  if (options.q) params.set("q", options.q);
  params.set("at", String(position));
  return `${transcriptPath(meetingId, params)}#${segmentAnchor(position)}`;
}
