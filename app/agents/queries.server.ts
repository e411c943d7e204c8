import { and, asc, count, desc, eq, getTableColumns, ilike, sql } from "drizzle-orm";
import { nanoid } from "nanoid";
import type { Database } from "~/db/client.server";
import { isVersion, nextVersion } from "~/db/version.server";
import { agents, meetings, type Agent } from "~/db/schema";
import { containsPattern } from "~/db/search";
import type { AgentInput } from "./validation";

// Every query is scoped by userId: another user's agent id simply finds nothing.

export const AGENTS_PER_PAGE = 10;

export interface AgentListItem {
  id: string;
  name: string;
  instructions: string;
  githubRepo: string | null;
  meetingCount: number;
  createdAt: Date;
}

const meetingCount =
  sql<number>`(select count(*) from ${meetings} where ${meetings.agentId} = ${agents.id})`.mapWith(
    Number,
  );

export type AgentSortKey = "name" | "created" | "meetings";

export interface AgentFilters {
  q?: string;
  page?: number;
  /** Newest first unless asked otherwise. */
  sort?: { key: AgentSortKey; direction: "asc" | "desc" };
}

/** ORDER BY for a sort, ending with the id so that rows never swap places between pages. */
function agentOrder({ key, direction }: NonNullable<AgentFilters["sort"]>) {
  const by = direction === "asc" ? asc : desc;
  switch (key) {
    case "name":
      return [by(sql`lower(${agents.name})`), by(agents.id)];
    case "meetings":
      return [by(meetingCount), desc(agents.createdAt), desc(agents.id)];
    case "created":
      return [by(agents.createdAt), by(agents.id)];
  }
}

export async function listAgents(
  db: Database,
  userId: string,
  { q = "", page = 1, sort = { key: "created", direction: "desc" } }: AgentFilters = {},
): Promise<{ agents: AgentListItem[]; total: number; page: number; pageCount: number }> {
  const where = and(
    eq(agents.userId, userId),
    q ? ilike(agents.name, containsPattern(q)) : undefined,
  );
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(agents).where(where);
  const pageCount = Math.max(1, Math.ceil(total / AGENTS_PER_PAGE));
  const current = Math.min(Math.max(1, page), pageCount);
  const rows = await db
    .select({
      id: agents.id,
      name: agents.name,
      // The list shows only the start of the instructions.
      instructions: sql<string>`left(${agents.instructions}, 200)`,
      githubRepo: agents.githubRepo,
      meetingCount,
      createdAt: agents.createdAt,
    })
    .from(agents)
    .leftJoin(meetings, eq(meetings.agentId, agents.id))
    .where(where)
    .groupBy(agents.id)
    .orderBy(...agentOrder(sort))
    .limit(AGENTS_PER_PAGE)
    .offset((current - 1) * AGENTS_PER_PAGE);
  return { agents: rows, total, page: current, pageCount };
}

/** All of the user's agents, for pickers such as the meeting form. */
export function listAgentChoices(db: Database, userId: string) {
  return db
    .select({ id: agents.id, name: agents.name })
    .from(agents)
    .where(eq(agents.userId, userId))
    .orderBy(agents.name);
}

export async function getAgent(
  db: Database,
  userId: string,
  agentId: string,
): Promise<(Agent & { meetingCount: number }) | undefined> {
  const [row] = await db
    .select({ ...getTableColumns(agents), meetingCount })
    .from(agents)
    .leftJoin(meetings, eq(meetings.agentId, agents.id))
    .where(and(eq(agents.id, agentId), eq(agents.userId, userId)))
    .groupBy(agents.id);
  return row;
}

/**
 * Creates an agent. `formKey` is a random id the form was rendered with: a second submission
 * of the same form finds the agent the first one created instead of making another.
 */
export async function createAgent(
  db: Database,
  userId: string,
  input: AgentInput,
  formKey?: string,
): Promise<Agent> {
  const now = new Date();
  const id = formKey && /^[A-Za-z0-9_-]{21}$/.test(formKey) ? formKey : nanoid();
  const [created] = await db
    .insert(agents)
    .values({ id, userId, ...input, createdAt: now, updatedAt: now })
    .onConflictDoNothing({ target: agents.id })
    .returning();
  if (created) return created;
  const earlier = await getAgent(db, userId, id);
  const sameForm =
    earlier &&
    earlier.name === input.name &&
    earlier.instructions === input.instructions &&
    earlier.githubRepo === input.githubRepo;
  if (sameForm) return earlier;
  // Another user's key, or a form page restored with "Back" and filled in anew: a new agent.
  return createAgent(db, userId, input);
}

export type UpdateResult =
  | { status: "updated"; agent: Agent }
  | { status: "conflict"; current: Agent }
  | { status: "not_found" };

/**
 * Saves the form only if the agent is still the version the form was loaded from
 * (`expectedVersion`, its updatedAt), so concurrent edits are never silently lost.
 */
export async function updateAgent(
  db: Database,
  userId: string,
  agentId: string,
  expectedVersion: Date,
  input: AgentInput,
): Promise<UpdateResult> {
  const [updated] = await db
    .update(agents)
    .set({ ...input, updatedAt: nextVersion(agents.updatedAt) })
    .where(
      and(
        eq(agents.id, agentId),
        eq(agents.userId, userId),
        isVersion(agents.updatedAt, expectedVersion),
      ),
    )
    .returning();
  if (updated) return { status: "updated", agent: updated };
  const current = await getAgent(db, userId, agentId);
  return current ? { status: "conflict", current } : { status: "not_found" };
}

/** What deleting the agent takes with it: its meetings, and which results they have. */
export async function listAgentMeetingNames(db: Database, userId: string, agentId: string) {
  return db
    .select({
      id: meetings.id,
      name: meetings.name,
      hasTranscript: sql<boolean>`${meetings.transcriptUrl} is not null`,
      hasRecording: sql<boolean>`${meetings.recordingUrl} is not null`,
      hasSummary: sql<boolean>`${meetings.summary} is not null`,
    })
    .from(meetings)
    .where(and(eq(meetings.agentId, agentId), eq(meetings.userId, userId)))
    .orderBy(desc(meetings.createdAt));
}

/** Deletes the agent and, by cascade, its meetings. False when there was no such agent. */
export async function deleteAgent(db: Database, userId: string, agentId: string): Promise<boolean> {
  const deleted = await db
    .delete(agents)
    .where(and(eq(agents.id, agentId), eq(agents.userId, userId)))
    .returning({ id: agents.id });
  return deleted.length > 0;
}

export function listRecentAgentMeetings(db: Database, userId: string, agentId: string, limit = 5) {
  return db
    .select({
      id: meetings.id,
      name: meetings.name,
      status: meetings.status,
      createdAt: meetings.createdAt,
    })
    .from(meetings)
    .where(and(eq(meetings.agentId, agentId), eq(meetings.userId, userId)))
    .orderBy(desc(meetings.createdAt), desc(meetings.id))
    .limit(limit);
}
