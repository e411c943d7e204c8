import type { Database } from "~/db/client.server";
import type { Segment } from "./summary-format";

export type { Segment };

// How processing reads a meeting's transcript: its segments in order, speakers by their display
// names. The transcripts feature keeps them in `transcript_segments` (with the speakers'
// display names per meeting); until that table exists in this branch, the segments come from a
// TEMPORARY in-process store that tests and the benchmark fill. At the merge, `loadTranscript`
// and `hasTranscript` read the table and the temporary store goes.

const temporaryTranscripts = new Map<string, Segment[]>();

/** TEMPORARY, until the transcripts table: gives `meetingId` these segments (or none). */
export function setTemporaryTranscript(meetingId: string, segments: Segment[] | null): void {
  if (segments) temporaryTranscripts.set(meetingId, segments);
  else temporaryTranscripts.delete(meetingId);
}

/**
 * The meeting's transcript, segments in order with speakers' display names; null when it has
 * none yet. `db` is the handle the transcripts table will be read through.
 */
export async function loadTranscript(_db: Database, meetingId: string): Promise<Segment[] | null> {
  const segments = temporaryTranscripts.get(meetingId);
  if (!segments || segments.length === 0) return null;
  return [...segments].sort((a, b) => a.position - b.position);
}

/** Whether the meeting has a transcript, without reading it. */
export async function hasTranscript(_db: Database, meetingId: string): Promise<boolean> {
  return (temporaryTranscripts.get(meetingId)?.length ?? 0) > 0;
}
