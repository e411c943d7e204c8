// The transcript's download formats: what the reader offers and the export route serves.

export const exportFormats = ["txt", "vtt", "srt", "json", "md"] as const;
export type ExportFormat = (typeof exportFormats)[number];

export const exportLabels: Record<ExportFormat, string> = {
  txt: "Text",
  vtt: "WebVTT",
  srt: "SRT",
  json: "JSON",
  md: "Markdown",
};

export function isExportFormat(value: string | undefined): value is ExportFormat {
  return (exportFormats as readonly string[]).includes(value ?? "");
}
