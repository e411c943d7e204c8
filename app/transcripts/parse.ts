import { parseJsonLines } from "./jsonl";
import { parsePlainText } from "./plain-text";
import { TranscriptError, type Segment, type TranscriptFormat } from "./segments";
import { isSrtTiming, parseSrt } from "./srt";
import { parseVtt } from "./vtt";

export interface ParsedTranscript {
  format: TranscriptFormat;
  segments: Segment[];
}

const FORMATS_WE_READ = "WebVTT, SRT, JSON Lines or plain text";

/**
 * Reads a transcript file into segments. The format is recognised from the content (a file's
 * name and a server's Content-Type are too often wrong): "WEBVTT" first, a JSON object per
 * line, numbered SRT blocks, and otherwise plain text. Throws a TranscriptError naming the
 * problem, with the line for a syntax error.
 */
export function parseTranscript(bytes: Uint8Array): ParsedTranscript {
  const text = decode(bytes);
  if (text.trim() === "") throw new TranscriptError("The transcript is empty: it has no text.");
  const format = detectFormat(text);
  const segments = parsers[format](text);
  if (segments.length === 0) {
    throw new TranscriptError(
      `The transcript has no text: its ${formatLabel(format)} holds no words.`,
    );
  }
  return { format, segments };
}

const parsers: Record<TranscriptFormat, (text: string) => Segment[]> = {
  vtt: parseVtt,
  srt: parseSrt,
  jsonl: parseJsonLines,
  text: parsePlainText,
};

function formatLabel(format: TranscriptFormat): string {
  return { vtt: "WebVTT file", srt: "SRT file", jsonl: "JSON Lines", text: "text" }[format];
}

export function detectFormat(text: string): TranscriptFormat {
  if (/^WEBVTT(?:[ \t\r\n]|$)/.test(text)) return "vtt";
  const lines = text.split(/\r\n|\r|\n/).filter((line) => line.trim() !== "");
  const first = lines[0]!.trim();
  if (first.startsWith("{")) return "jsonl";
  if (isSrtTiming(first) || (/^\d+$/.test(first) && isSrtTiming(lines[1] ?? ""))) return "srt";
  if (/^<(?:!doctype html|html|head|body)\b/i.test(first)) {
    throw new TranscriptError(
      `This is a web page (HTML), not a transcript. Use ${FORMATS_WE_READ}.`,
    );
  }
  return "text";
}

/** UTF-8 (or UTF-16 with its byte-order mark), without the byte-order mark; binary is refused. */
function decode(bytes: Uint8Array): string {
  let encoding = "utf-8";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = "utf-16le";
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = "utf-16be";
  let text: string;
  try {
    // TextDecoder drops the byte-order mark itself.
    text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw notText();
  }
  if (text.includes("\u0000")) throw notText();
  return text;
}

function notText(): TranscriptError {
  return new TranscriptError(
    `This is not a text file (it holds binary data, or text that is not UTF-8). Use ${FORMATS_WE_READ}, saved as UTF-8.`,
  );
}
