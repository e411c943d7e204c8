import { and, eq, ilike, inArray, sql, type SQL } from "drizzle-orm";
import { union } from "drizzle-orm/pg-core";
import type { Database } from "~/db/client.server";
import { meetings, summarySearch, transcriptSegments, transcripts } from "~/db/schema";
import { containsPattern, matchesSearch, searchHeadline, searchQuery } from "~/db/search";
import { headlineOptions } from "./highlight";

// Search across meetings: a meeting matches by its name (as typed, anywhere in it), or by the
// words of its summary or transcript (PostgreSQL full-text search).

/**
 * The ids of the user's meetings that match `q`, as a subquery for `inArray`. Three indexed
 * lookups joined by UNION: one OR over three tables could use none of the indexes.
 */
export function meetingIdsMatching(db: Database, userId: string, q: string) {
  const own = eq(meetings.userId, userId);
  return union(
    db
      .select({ id: meetings.id })
      .from(meetings)
      .where(and(own, ilike(meetings.name, containsPattern(q)))),
    db
      .select({ id: summarySearch.meetingId })
      .from(summarySearch)
      .innerJoin(meetings, eq(meetings.id, summarySearch.meetingId))
      .where(and(own, matchesSearch(summarySearch.document, q))),
    db
      .select({ id: transcripts.meetingId })
      .from(transcripts)
      .innerJoin(meetings, eq(meetings.id, transcripts.meetingId))
      .where(and(own, matchesTranscript(q))),
  );
}

/**
 * A transcript matches when its document has every word of `q` and, for a phrase ("quoted
 * words", or a hyphenated word), when one of its segments says the phrase: the per-meeting
 * document keeps no word positions, so only the segments can tell a phrase.
 */
function matchesTranscript(q: string): SQL {
  const query = searchQuery(q);
  const phrase = sql`${query}::text ~ '<(-|[0-9]+)>'`;
  const wordsOnly = sql`regexp_replace(${query}::text, '<(-|[0-9]+)>', '&', 'g')::tsquery`;
  return sql`(${transcripts.search} @@ ${wordsOnly} and (not ${phrase} or exists (
    select 1 from ${transcriptSegments}
    where ${transcriptSegments.meetingId} = ${transcripts.meetingId}
      and ${matchesSearch(transcriptSegments.search, q)})))`;
}

/**
 * Runs a search's statements with PostgreSQL reading the GIN indexes' posting lists (bitmap
 * scans) instead of each row. Its planner counts a row's search document as free to read, but
 * a transcript's is some 20 KB stored aside (TOAST) that must be fetched and decompressed: for a
 * word found in most meetings it would read all of them (0.7 s at 10,000 one-hour meetings)
 * where the index answers in milliseconds. SET LOCAL: for this transaction only.
 */
export async function withSearchPlan<T>(db: Database, run: (tx: Database) => Promise<T>) {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);
    await tx.execute(sql`set local enable_indexscan = off`);
    return run(tx);
  });
}

export type SearchSnippet =
  | { source: "transcript"; position: number; startMs: number | null; text: string }
  | { source: "summary"; text: string };

const snippetOptions = headlineOptions("MaxWords=20, MinWords=8, MaxFragments=1, ShortWord=2");

/**
 * For each meeting of a page of search results, a few words around the first match, marked:
 * from the transcript (with the segment, to link to it), else from the summary.
 */
export async function searchSnippets(
  db: Database,
  userId: string,
  meetingIds: string[],
  q: string,
): Promise<Record<string, SearchSnippet>> {
  if (meetingIds.length === 0 || !q) return {};
  const snippets: Record<string, SearchSnippet> = {};

  // The first matching segment of each meeting, then its headline: ts_headline is slow
  // enough that it should run once per meeting, not on every matching segment.
  const first = db
    .select({
      meetingId: meetings.id,
      firstPosition: sql<number>`hit.position`.as("first_position"),
    })
    .from(meetings)
    .innerJoinLateral(
      db
        .select({ position: transcriptSegments.position })
        .from(transcriptSegments)
        .where(
          and(
            eq(transcriptSegments.meetingId, meetings.id),
            matchesSearch(transcriptSegments.search, q),
          ),
        )
        .orderBy(transcriptSegments.position)
        .limit(1)
        .as("hit"),
      sql`true`,
    )
    .where(and(eq(meetings.userId, userId), inArray(meetings.id, meetingIds)))
    .as("first");
  const fromTranscripts = await db
    .select({
      meetingId: first.meetingId,
      position: transcriptSegments.position,
      startMs: transcriptSegments.startMs,
      text: searchHeadline(transcriptSegments.text, q, snippetOptions),
    })
    .from(first)
    .innerJoin(
      transcriptSegments,
      and(
        eq(transcriptSegments.meetingId, first.meetingId),
        eq(transcriptSegments.position, first.firstPosition),
      ),
    );
  for (const { meetingId, ...hit } of fromTranscripts) {
    snippets[meetingId] = { source: "transcript", ...hit };
  }

  const rest = meetingIds.filter((id) => !snippets[id]);
  if (rest.length > 0) {
    const fromSummaries = await db
      .select({ id: meetings.id, text: searchHeadline(meetings.summary, q, snippetOptions) })
      .from(meetings)
      .innerJoin(summarySearch, eq(summarySearch.meetingId, meetings.id))
      .where(
        and(
          eq(meetings.userId, userId),
          inArray(meetings.id, rest),
          matchesSearch(summarySearch.document, q),
        ),
      );
    for (const { id, text } of fromSummaries) snippets[id] = { source: "summary", text };
  }
  return snippets;
}
