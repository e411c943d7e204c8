import { and, asc, count, desc, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import { nanoid } from "nanoid";
import { isForeignKeyViolation, type Database } from "~/db/client.server";
import { agents, meetings, type Meeting, type MeetingStatus } from "~/db/schema";
import { isVersion, nextVersion } from "~/db/version.server";
import { meetingIdsMatching, withSearchPlan } from "~/transcripts/search.server";
import { editableFields, moves, type MeetingMove } from "./lifecycle";
import type { MeetingResults } from "./validation";

// Every query is scoped by userId: another user's meeting or agent id simply finds nothing.

export const MEETINGS_PER_PAGE = 10;

const listColumns = {
  id: meetings.id,
  name: meetings.name,
  status: meetings.status,
  agentId: meetings.agentId,
  agentName: agents.name,
  startedAt: meetings.startedAt,
  endedAt: meetings.endedAt,
  createdAt: meetings.createdAt,
};

export type MeetingListItem = {
  id: string;
  name: string;
  status: MeetingStatus;
  agentId: string;
  agentName: string;
  startedAt: Date | null;
  endedAt: Date | null;
  createdAt: Date;
};

export interface MeetingFilters {
  status?: MeetingStatus;
  agentId?: string;
  q?: string;
  page?: number;
}

export async function listMeetings(
  db: Database,
  userId: string,
  { status, agentId, q = "", page = 1 }: MeetingFilters = {},
): Promise<{ meetings: MeetingListItem[]; total: number; page: number; pageCount: number }> {
  const where = and(
    eq(meetings.userId, userId),
    status ? eq(meetings.status, status) : undefined,
    agentId ? eq(meetings.agentId, agentId) : undefined,
    // The name, the summary or the transcript (see transcripts/search.server.ts).
    q ? inArray(meetings.id, meetingIdsMatching(db, userId, q)) : undefined,
  );
  const list = async (db: Database) => {
    const [{ total } = { total: 0 }] = await db
      .select({ total: count() })
      .from(meetings)
      .where(where);
    const pageCount = Math.max(1, Math.ceil(total / MEETINGS_PER_PAGE));
    const current = Math.min(Math.max(1, page), pageCount);
    const rows = await db
      .select(listColumns)
      .from(meetings)
      .innerJoin(agents, eq(agents.id, meetings.agentId))
      .where(where)
      .orderBy(desc(meetings.createdAt), desc(meetings.id))
      .limit(MEETINGS_PER_PAGE)
      .offset((current - 1) * MEETINGS_PER_PAGE);
    return { meetings: rows, total, page: current, pageCount };
  };
  return q ? withSearchPlan(db, list) : list(db);
}

export async function getMeeting(
  db: Database,
  userId: string,
  meetingId: string,
): Promise<(Meeting & { agentName: string }) | undefined> {
  const [row] = await db
    .select({ ...getTableColumns(meetings), agentName: agents.name })
    .from(meetings)
    .innerJoin(agents, eq(agents.id, meetings.agentId))
    .where(and(eq(meetings.id, meetingId), eq(meetings.userId, userId)));
  return row;
}

/** Whether `agentId` is one of the user's agents (a meeting may only use those). */
async function ownsAgent(db: Database, userId: string, agentId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: agents.id })
    .from(agents)
    .where(and(eq(agents.id, agentId), eq(agents.userId, userId)));
  return row !== undefined;
}

/**
 * Schedules a meeting with one of the user's agents; null when the agent is not theirs.
 * As for agents, `formKey` makes a double submission of the same form create one meeting.
 */
export async function createMeeting(
  db: Database,
  userId: string,
  input: { name: string; agentId: string },
  formKey?: string,
): Promise<Meeting | null> {
  if (!(await ownsAgent(db, userId, input.agentId))) return null;
  const now = new Date();
  const id = formKey && /^[A-Za-z0-9_-]{21}$/.test(formKey) ? formKey : nanoid();
  let created: Meeting | undefined;
  try {
    [created] = await db
      .insert(meetings)
      .values({ id, userId, ...input, createdAt: now, updatedAt: now })
      .onConflictDoNothing({ target: meetings.id })
      .returning();
  } catch (error) {
    // The agent was deleted after the check above: as if it had never been there.
    if (isForeignKeyViolation(error)) return null;
    throw error;
  }
  if (created) return created;
  const earlier = await getMeeting(db, userId, id);
  if (earlier && earlier.name === input.name && earlier.agentId === input.agentId) return earlier;
  // Another user's key, or a form page restored with "Back" and filled in anew: a new meeting.
  return createMeeting(db, userId, input);
}

export type MoveResult =
  | { status: "moved"; meeting: Meeting }
  | { status: "refused"; current: MeetingStatus }
  | { status: "not_found" };

/**
 * Performs a lifecycle move as one UPDATE guarded by the expected current status, so of two
 * concurrent moves exactly one changes the meeting and the other is refused.
 */
export async function moveMeeting(
  db: Database,
  userId: string,
  meetingId: string,
  move: MeetingMove,
  results: MeetingResults = {},
): Promise<MoveResult> {
  const { from, to } = moves[move];
  // Times come from the database's clock, the same for every app instance; an end is never
  // before the start.
  const now = sql`(now() at time zone 'utc')`;
  const [moved] = await db
    .update(meetings)
    .set({
      status: to,
      updatedAt: nextVersion(meetings.updatedAt),
      ...(move === "start" ? { startedAt: now } : {}),
      ...(move === "end" ? { endedAt: sql`greatest(${now}, ${meetings.startedAt})` } : {}),
      ...(move === "cancel" ? { endedAt: now } : {}),
      ...(move === "complete" ? resultColumns(results) : {}),
    })
    .where(and(eq(meetings.id, meetingId), eq(meetings.userId, userId), eq(meetings.status, from)))
    .returning();
  if (moved) return { status: "moved", meeting: moved };
  const current = await getMeeting(db, userId, meetingId);
  return current ? { status: "refused", current: current.status } : { status: "not_found" };
}

function resultColumns(results: MeetingResults) {
  return {
    transcriptUrl: results.transcriptUrl ?? null,
    recordingUrl: results.recordingUrl ?? null,
    summary: results.summary ?? null,
  };
}

export type MeetingUpdate = { name: string; agentId?: string } & MeetingResults;

export type UpdateMeetingResult =
  | { status: "updated"; meeting: Meeting }
  | { status: "conflict"; current: Meeting & { agentName: string } }
  | { status: "agent_not_found" }
  | { status: "not_found" };

/**
 * Saves the edit form if the meeting is still the version it was loaded from. What may change
 * follows the status: the name always, the agent while upcoming, the results once processing.
 */
export async function updateMeeting(
  db: Database,
  userId: string,
  meetingId: string,
  expectedVersion: Date,
  update: MeetingUpdate,
): Promise<UpdateMeetingResult> {
  const current = await getMeeting(db, userId, meetingId);
  if (!current) return { status: "not_found" };
  const editable = editableFields(current.status);
  const changesAgent =
    editable.agent && update.agentId !== undefined && update.agentId !== current.agentId;
  if (changesAgent && !(await ownsAgent(db, userId, update.agentId!))) {
    return { status: "agent_not_found" };
  }
  let updated: Meeting | undefined;
  try {
    [updated] = await db
      .update(meetings)
      .set({
        name: update.name,
        updatedAt: nextVersion(meetings.updatedAt),
        ...(changesAgent ? { agentId: update.agentId } : {}),
        ...(editable.results ? resultColumns(update) : {}),
      })
      .where(
        and(
          eq(meetings.id, meetingId),
          eq(meetings.userId, userId),
          // Status and version together: a move in between (which changes both) is a conflict.
          eq(meetings.status, current.status),
          isVersion(meetings.updatedAt, expectedVersion),
        ),
      )
      .returning();
  } catch (error) {
    // The new agent was deleted after the check above.
    if (isForeignKeyViolation(error)) return { status: "agent_not_found" };
    throw error;
  }
  if (updated) return { status: "updated", meeting: updated };
  const latest = await getMeeting(db, userId, meetingId);
  return latest ? { status: "conflict", current: latest } : { status: "not_found" };
}

export async function deleteMeeting(db: Database, userId: string, meetingId: string) {
  const deleted = await db
    .delete(meetings)
    .where(and(eq(meetings.id, meetingId), eq(meetings.userId, userId)))
    .returning({ id: meetings.id });
  return deleted.length > 0;
}

/** Everything the dashboard shows, for one user. */
export async function getDashboard(db: Database, userId: string) {
  const [countRows, active, upcoming, completed] = await Promise.all([
    db
      .select({ status: meetings.status, total: count() })
      .from(meetings)
      .where(eq(meetings.userId, userId))
      .groupBy(meetings.status),
    db
      .select(listColumns)
      .from(meetings)
      .innerJoin(agents, eq(agents.id, meetings.agentId))
      .where(and(eq(meetings.userId, userId), eq(meetings.status, "active")))
      .orderBy(asc(meetings.startedAt)),
    db
      .select(listColumns)
      .from(meetings)
      .innerJoin(agents, eq(agents.id, meetings.agentId))
      .where(and(eq(meetings.userId, userId), eq(meetings.status, "upcoming")))
      .orderBy(asc(meetings.createdAt), asc(meetings.id))
      .limit(5),
    db
      .select({ ...listColumns, summary: sql<string | null>`left(${meetings.summary}, 240)` })
      .from(meetings)
      .innerJoin(agents, eq(agents.id, meetings.agentId))
      .where(and(eq(meetings.userId, userId), eq(meetings.status, "completed")))
      .orderBy(desc(meetings.endedAt))
      .limit(5),
  ]);
  const counts = Object.fromEntries(countRows.map((row) => [row.status, row.total])) as Partial<
    Record<MeetingStatus, number>
  >;
  return { counts, active, upcoming, completed };
}
