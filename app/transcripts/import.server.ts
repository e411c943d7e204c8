import { and, eq, inArray, isNotNull, notInArray, sql } from "drizzle-orm";
import { getConfig } from "~/config.server";
import { isProgramLimitExceeded, type Database } from "~/db/client.server";
import {
  meetings,
  transcriptSegments,
  transcriptSpeakers,
  transcripts,
  type MeetingStatus,
} from "~/db/schema";
import { searchDocument } from "~/db/search";
import { nextVersion } from "~/db/version.server";
import { fetchTranscript } from "./fetch.server";
import { parseTranscript, type ParsedTranscript } from "./parse";
import { transcriptExportPath } from "./paths";
import { formatSize, normalizeText, TranscriptError, type TranscriptFormat } from "./segments";
import { acceptsTranscript, transcriptStatuses } from "./validation";

/** An uploaded file, or a URL the server fetches (with the same limits and address checks). */
export type TranscriptSource = { file: { name: string; bytes: Uint8Array } } | { url: string };

export type ImportResult =
  | { status: "imported"; format: TranscriptFormat; segmentCount: number }
  | { status: "not_found" }
  | { status: "refused"; current: MeetingStatus }
  | { status: "invalid"; message: string; httpStatus: 400 | 413 };

// Rows per INSERT: well under PostgreSQL's 65,535 parameters a statement.
const INSERT_BATCH = 1000;

/**
 * Brings a transcript into one of the user's meetings (active, processing or completed),
 * replacing the one it had, if any, in one transaction: a reader sees the old transcript or the
 * new one, never a mix, and a transcript that fails anywhere leaves the meeting as it was.
 * `meetings.transcript_url` becomes the URL fetched, or for a file the app's own WebVTT export.
 */
export async function importTranscript(
  db: Database,
  userId: string,
  meetingId: string,
  source: TranscriptSource,
  options: { fetchTimeoutMs?: number } = {},
): Promise<ImportResult> {
  const [meeting] = await db
    .select({ status: meetings.status })
    .from(meetings)
    .where(and(eq(meetings.id, meetingId), eq(meetings.userId, userId)));
  if (!meeting) return { status: "not_found" };
  if (!acceptsTranscript(meeting.status)) return { status: "refused", current: meeting.status };

  const config = getConfig();
  const { maxBytes, fetchPrivateAddresses } = config.transcripts;
  let parsed: ParsedTranscript;
  let origin: { source: string; transcriptUrl: string };
  try {
    if ("url" in source) {
      // As parsed: percent-encoded, so nothing PostgreSQL cannot store reaches it.
      const url = URL.canParse(source.url) ? new URL(source.url).href : null;
      if (!url) throw new TranscriptError("This is not a URL.");
      const bytes = await fetchTranscript(url, {
        maxBytes,
        allowPrivate: fetchPrivateAddresses,
        allowHttp: config.loopback,
        timeoutMs: options.fetchTimeoutMs,
      });
      parsed = parseTranscript(bytes);
      origin = { source: url, transcriptUrl: url };
    } else {
      if (source.file.bytes.length > maxBytes) {
        throw new TranscriptError(
          `The file is larger than ${formatSize(maxBytes)}, the largest transcript we take.`,
          413,
        );
      }
      parsed = parseTranscript(source.file.bytes);
      origin = {
        source: normalizeText(source.file.name) || "uploaded file",
        transcriptUrl: `${config.appUrl}${transcriptExportPath(meetingId, "vtt")}`,
      };
    }
  } catch (error) {
    if (error instanceof TranscriptError) {
      return { status: "invalid", message: error.message, httpStatus: error.status };
    }
    throw error;
  }

  try {
    return await replaceTranscript(db, userId, meetingId, parsed, origin);
  } catch (error) {
    // A tsvector holds at most 1 MB: only a transcript of (made-up) words by the hundred
    // thousand reaches it.
    if (isProgramLimitExceeded(error)) {
      return {
        status: "invalid",
        message:
          "This transcript has too many different words to index for search (more than PostgreSQL's 1 MB of distinct words).",
        httpStatus: 400,
      };
    }
    throw error;
  }
}

async function replaceTranscript(
  db: Database,
  userId: string,
  meetingId: string,
  { format, segments }: ParsedTranscript,
  origin: { source: string; transcriptUrl: string },
): Promise<ImportResult> {
  return db.transaction(async (tx) => {
    // First, as it locks the meeting: two imports into one meeting take turns.
    const [updated] = await tx
      .update(meetings)
      .set({ transcriptUrl: origin.transcriptUrl, updatedAt: nextVersion(meetings.updatedAt) })
      .where(
        and(
          eq(meetings.id, meetingId),
          eq(meetings.userId, userId),
          inArray(meetings.status, [...transcriptStatuses]),
        ),
      )
      .returning({ id: meetings.id });
    if (!updated) {
      // Deleted or moved on since the check above; nothing was written.
      const [current] = await tx
        .select({ status: meetings.status })
        .from(meetings)
        .where(and(eq(meetings.id, meetingId), eq(meetings.userId, userId)));
      return current ? { status: "refused", current: current.status } : { status: "not_found" };
    }

    await tx.delete(transcriptSegments).where(eq(transcriptSegments.meetingId, meetingId));
    for (let offset = 0; offset < segments.length; offset += INSERT_BATCH) {
      await tx
        .insert(transcriptSegments)
        .values(
          segments
            .slice(offset, offset + INSERT_BATCH)
            .map((segment, i) => ({ meetingId, position: offset + i, ...segment })),
        );
    }

    const document = sql`(select strip(${searchDocument(sql`string_agg(${transcriptSegments.text}, ' ')`)})
      from ${transcriptSegments} where ${transcriptSegments.meetingId} = ${meetingId})`;
    const transcript = {
      format,
      source: origin.source,
      segmentCount: segments.length,
      importedAt: sql`(now() at time zone 'utc')`,
      search: document,
    };
    await tx
      .insert(transcripts)
      .values({ meetingId, ...transcript })
      .onConflictDoUpdate({ target: transcripts.meetingId, set: transcript });

    // Display names stay with their labels across imports ("spk_1" is still "Ada").
    const labels = tx
      .selectDistinct({ label: transcriptSegments.speaker })
      .from(transcriptSegments)
      .where(
        and(eq(transcriptSegments.meetingId, meetingId), isNotNull(transcriptSegments.speaker)),
      );
    await tx
      .delete(transcriptSpeakers)
      .where(
        and(
          eq(transcriptSpeakers.meetingId, meetingId),
          notInArray(transcriptSpeakers.label, labels),
        ),
      );
    await tx
      .insert(transcriptSpeakers)
      .select(
        tx
          .selectDistinct({
            meetingId: sql`${meetingId}::text`.as("meeting_id"),
            label: sql<string>`${transcriptSegments.speaker}`.as("label"),
            name: sql<null>`null::text`.as("name"),
          })
          .from(transcriptSegments)
          .where(
            and(eq(transcriptSegments.meetingId, meetingId), isNotNull(transcriptSegments.speaker)),
          ),
      )
      .onConflictDoNothing();
    return { status: "imported", format, segmentCount: segments.length };
  });
}
