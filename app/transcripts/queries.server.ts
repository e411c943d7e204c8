import { and, asc, count, eq, gt, lt, sql, type SQL } from "drizzle-orm";
import type { Database } from "~/db/client.server";
import { meetings, transcriptSegments, transcriptSpeakers, transcripts } from "~/db/schema";
import { matchesSearch, searchHeadline } from "~/db/search";
import type { ExportSegment } from "./exports";
import { headlineOptions } from "./highlight";
import type { TranscriptFormat } from "./segments";

// Reading a meeting's transcript. Every query joins the meeting with the user's id, so another
// user's meeting simply has no transcript.

/** Long transcripts are read a page at a time: a 3-hour meeting is some ten pages. */
export const SEGMENTS_PER_PAGE = 200;

export interface TranscriptInfo {
  format: TranscriptFormat;
  source: string;
  segmentCount: number;
  importedAt: Date;
}

const ownedMeeting = (userId: string) =>
  and(eq(meetings.id, transcriptSegments.meetingId), eq(meetings.userId, userId));

export async function getTranscript(
  db: Database,
  userId: string,
  meetingId: string,
): Promise<TranscriptInfo | undefined> {
  const [row] = await db
    .select({
      format: transcripts.format,
      source: transcripts.source,
      segmentCount: transcripts.segmentCount,
      importedAt: transcripts.importedAt,
    })
    .from(transcripts)
    .innerJoin(meetings, eq(meetings.id, transcripts.meetingId))
    .where(and(eq(transcripts.meetingId, meetingId), eq(meetings.userId, userId)));
  return row as TranscriptInfo | undefined;
}

export interface Speaker {
  label: string;
  /** The display name someone gave; null shows the label. */
  name: string | null;
}

export async function listSpeakers(
  db: Database,
  userId: string,
  meetingId: string,
): Promise<Speaker[]> {
  return db
    .select({ label: transcriptSpeakers.label, name: transcriptSpeakers.name })
    .from(transcriptSpeakers)
    .innerJoin(meetings, eq(meetings.id, transcriptSpeakers.meetingId))
    .where(and(eq(transcriptSpeakers.meetingId, meetingId), eq(meetings.userId, userId)))
    .orderBy(asc(transcriptSpeakers.label));
}

/** Shows `label` as `name` everywhere (null: as the label again); false for an unknown label. */
export async function renameSpeaker(
  db: Database,
  userId: string,
  meetingId: string,
  label: string,
  name: string | null,
): Promise<boolean> {
  const renamed = await db
    .update(transcriptSpeakers)
    .set({ name: name || null })
    .where(
      and(
        eq(transcriptSpeakers.meetingId, meetingId),
        eq(transcriptSpeakers.label, label),
        sql`exists (select 1 from ${meetings} where ${meetings.id} = ${meetingId} and ${meetings.userId} = ${userId})`,
      ),
    )
    .returning({ label: transcriptSpeakers.label });
  return renamed.length > 0;
}

const displayName = sql<
  string | null
>`coalesce(${transcriptSpeakers.name}, ${transcriptSegments.speaker})`;
const speakerJoin = and(
  eq(transcriptSpeakers.meetingId, transcriptSegments.meetingId),
  eq(transcriptSpeakers.label, transcriptSegments.speaker),
);

/** Every segment, with display names: for the exports and for summaries. */
export async function listSegments(
  db: Database,
  userId: string,
  meetingId: string,
): Promise<ExportSegment[]> {
  return db
    .select({
      position: transcriptSegments.position,
      label: transcriptSegments.speaker,
      speaker: displayName,
      startMs: transcriptSegments.startMs,
      endMs: transcriptSegments.endMs,
      text: transcriptSegments.text,
    })
    .from(transcriptSegments)
    .innerJoin(meetings, ownedMeeting(userId))
    .leftJoin(transcriptSpeakers, speakerJoin)
    .where(eq(transcriptSegments.meetingId, meetingId))
    .orderBy(asc(transcriptSegments.position));
}

export interface ReaderSegment extends ExportSegment {
  /** Matches the search: `text` then holds the matching words between highlight markers. */
  match: boolean;
}

/** A match of the search, by its number (1 = the first) and the segment it is in. */
export interface Hit {
  ordinal: number;
  position: number;
}

export interface ReaderPage {
  segments: ReaderSegment[];
  /** Segments of the transcript (of the chosen speaker). */
  total: number;
  page: number;
  pageCount: number;
  hits: { count: number; current: Hit | null; previous: Hit | null; next: Hit | null } | null;
}

export interface ReaderQuery {
  /** Words to find (PostgreSQL full-text search, as on the meetings list). */
  q?: string;
  /** Only this speaker's segments (by label). */
  speaker?: string;
  page?: number;
  /** Show the page that holds this segment. */
  at?: number;
  /** With q: show this match (1 = the first). */
  hit?: number;
}

/**
 * One page of the reader. With a search, the page is the one holding the match asked for (the
 * first by default), its matches are marked, and the previous and next matches are found.
 */
export async function readTranscriptPage(
  db: Database,
  userId: string,
  meetingId: string,
  { q = "", speaker, page = 1, at, hit }: ReaderQuery,
): Promise<ReaderPage> {
  const inView = and(
    eq(transcriptSegments.meetingId, meetingId),
    speaker === undefined ? undefined : eq(transcriptSegments.speaker, speaker),
  );
  const isMatch = q ? matchesSearch(transcriptSegments.search, q) : undefined;
  const countWhere = async (where: SQL | undefined) => {
    const [row] = await db
      .select({ n: count() })
      .from(transcriptSegments)
      .innerJoin(meetings, ownedMeeting(userId))
      .where(and(inView, where));
    return row?.n ?? 0;
  };
  /** The position of the n-th match (1 = the first). */
  const nthMatch = async (n: number): Promise<Hit | null> => {
    if (!isMatch || n < 1) return null;
    const [row] = await db
      .select({ position: transcriptSegments.position })
      .from(transcriptSegments)
      .innerJoin(meetings, ownedMeeting(userId))
      .where(and(inView, isMatch))
      .orderBy(asc(transcriptSegments.position))
      .offset(n - 1)
      .limit(1);
    return row ? { ordinal: n, position: row.position } : null;
  };

  const total = await countWhere(undefined);
  const hitCount = isMatch ? await countWhere(isMatch) : 0;

  // The segment the page must show, and which match it is.
  let focus: number | null = null;
  let current: number | null = null;
  if (isMatch && hitCount > 0 && (hit !== undefined || (at === undefined && page === 1))) {
    current = Math.min(Math.max(1, hit ?? 1), hitCount);
    focus = (await nthMatch(current))!.position;
  } else if (at !== undefined) {
    focus = at;
    if (isMatch && (await countWhere(and(isMatch, eq(transcriptSegments.position, at)))) > 0) {
      current = (await countWhere(and(isMatch, lt(transcriptSegments.position, at)))) + 1;
    }
  }

  const pageCount = Math.max(1, Math.ceil(total / SEGMENTS_PER_PAGE));
  const shown =
    focus === null
      ? Math.min(Math.max(1, page), pageCount)
      : Math.floor((await countWhere(lt(transcriptSegments.position, focus))) / SEGMENTS_PER_PAGE) +
        1;

  const segments: ReaderSegment[] = await db
    .select({
      position: transcriptSegments.position,
      label: transcriptSegments.speaker,
      speaker: displayName,
      startMs: transcriptSegments.startMs,
      endMs: transcriptSegments.endMs,
      text: isMatch
        ? sql<string>`case when ${isMatch} then ${searchHeadline(transcriptSegments.text, q, headlineOptions("HighlightAll=true"))} else ${transcriptSegments.text} end`
        : transcriptSegments.text,
      match: isMatch ?? sql<boolean>`false`,
    })
    .from(transcriptSegments)
    .innerJoin(meetings, ownedMeeting(userId))
    .leftJoin(transcriptSpeakers, speakerJoin)
    .where(inView)
    .orderBy(asc(transcriptSegments.position))
    .offset((shown - 1) * SEGMENTS_PER_PAGE)
    .limit(SEGMENTS_PER_PAGE);

  let hits: ReaderPage["hits"] = null;
  if (isMatch && current !== null) {
    const [previous, next] = await Promise.all([nthMatch(current - 1), nthMatch(current + 1)]);
    hits = { count: hitCount, current: { ordinal: current, position: focus! }, previous, next };
  } else if (isMatch) {
    // No match chosen: the matches just before and just after this page.
    const [first, last] = [segments[0]?.position ?? -1, segments.at(-1)?.position ?? -1];
    const before = await countWhere(and(isMatch, lt(transcriptSegments.position, first)));
    const after = await countWhere(and(isMatch, gt(transcriptSegments.position, last)));
    const [previous, next] = await Promise.all([
      nthMatch(before),
      after > 0 ? nthMatch(hitCount - after + 1) : null,
    ]);
    hits = { count: hitCount, current: null, previous, next };
  }

  return { segments, total, page: shown, pageCount, hits };
}
