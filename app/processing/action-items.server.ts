import { and, asc, desc, eq, getTableColumns, inArray, isNull, sql } from "drizzle-orm";
import { isForeignKeyViolation, type Database } from "~/db/client.server";
import { actionItems, meetings, type ActionItem, type MeetingStatus } from "~/db/schema";
import { nextVersion } from "~/db/version.server";
import type { SummaryActionItem } from "./summariser.server";
import { actionItemStatuses } from "./validation";

// A meeting's action items. Every query reaches them through the meeting and its user, so
// another user's item or meeting id finds nothing.

const ownMeeting = (userId: string) =>
  sql`${actionItems.meetingId} IN (SELECT ${meetings.id} FROM ${meetings} WHERE ${meetings.userId} = ${userId})`;

export async function listActionItems(
  db: Database,
  userId: string,
  meetingId: string,
): Promise<ActionItem[]> {
  return db
    .select(getTableColumns(actionItems))
    .from(actionItems)
    .innerJoin(meetings, eq(meetings.id, actionItems.meetingId))
    .where(and(eq(meetings.id, meetingId), eq(meetings.userId, userId)))
    .orderBy(
      sql`${actionItems.atMs} ASC NULLS LAST`,
      asc(actionItems.createdAt),
      asc(actionItems.id),
    );
}

export async function getActionItem(
  db: Database,
  userId: string,
  meetingId: string,
  itemId: string,
): Promise<ActionItem | undefined> {
  const [row] = await db
    .select(getTableColumns(actionItems))
    .from(actionItems)
    .innerJoin(meetings, eq(meetings.id, actionItems.meetingId))
    .where(
      and(eq(actionItems.id, itemId), eq(meetings.id, meetingId), eq(meetings.userId, userId)),
    );
  return row;
}

export type ActionItemInput = { text: string; owner?: string | null };

export type AddActionItemResult =
  | { status: "added"; item: ActionItem }
  | { status: "refused"; current: MeetingStatus }
  | { status: "not_found" };

/** A person's own action item, on a meeting that has started and was not cancelled. */
export async function addActionItem(
  db: Database,
  userId: string,
  meetingId: string,
  input: ActionItemInput,
): Promise<AddActionItemResult> {
  const [meeting] = await db
    .select({ status: meetings.status })
    .from(meetings)
    .where(and(eq(meetings.id, meetingId), eq(meetings.userId, userId)));
  if (!meeting) return { status: "not_found" };
  if (!actionItemStatuses.includes(meeting.status)) {
    return { status: "refused", current: meeting.status };
  }
  try {
    const [item] = await db
      .insert(actionItems)
      .values({ meetingId, text: input.text, owner: input.owner || null, origin: "person" })
      .returning();
    return { status: "added", item: item! };
  } catch (error) {
    // The meeting was deleted meanwhile.
    if (isForeignKeyViolation(error)) return { status: "not_found" };
    throw error;
  }
}

export async function setActionItemDone(
  db: Database,
  userId: string,
  meetingId: string,
  itemId: string,
  done: boolean,
): Promise<ActionItem | undefined> {
  const [item] = await db
    .update(actionItems)
    .set({ done, updatedAt: nextVersion(actionItems.updatedAt) })
    .where(
      and(eq(actionItems.id, itemId), eq(actionItems.meetingId, meetingId), ownMeeting(userId)),
    )
    .returning();
  return item;
}

/** A person's edit; a new summary keeps an item once it was changed. */
export async function editActionItem(
  db: Database,
  userId: string,
  meetingId: string,
  itemId: string,
  input: ActionItemInput,
): Promise<ActionItem | undefined> {
  const [item] = await db
    .update(actionItems)
    .set({
      text: input.text,
      owner: input.owner || null,
      updatedAt: nextVersion(actionItems.updatedAt),
    })
    .where(
      and(eq(actionItems.id, itemId), eq(actionItems.meetingId, meetingId), ownMeeting(userId)),
    )
    .returning();
  return item;
}

export async function deleteActionItem(
  db: Database,
  userId: string,
  meetingId: string,
  itemId: string,
): Promise<boolean> {
  const deleted = await db
    .delete(actionItems)
    .where(
      and(eq(actionItems.id, itemId), eq(actionItems.meetingId, meetingId), ownMeeting(userId)),
    )
    .returning({ id: actionItems.id });
  return deleted.length > 0;
}

export type OpenActionItem = Pick<ActionItem, "id" | "text" | "owner" | "atMs" | "createdAt"> & {
  meetingId: string;
  meetingName: string;
};

/** The dashboard's list: the user's open action items across meetings, newest first. */
export async function listOpenActionItems(
  db: Database,
  userId: string,
  limit = 10,
): Promise<{ items: OpenActionItem[]; total: number }> {
  const where = and(eq(meetings.userId, userId), eq(actionItems.done, false));
  const [items, [counted]] = await Promise.all([
    db
      .select({
        id: actionItems.id,
        text: actionItems.text,
        owner: actionItems.owner,
        atMs: actionItems.atMs,
        createdAt: actionItems.createdAt,
        meetingId: meetings.id,
        meetingName: meetings.name,
      })
      .from(actionItems)
      .innerJoin(meetings, eq(meetings.id, actionItems.meetingId))
      .where(where)
      .orderBy(desc(actionItems.createdAt), asc(actionItems.atMs), asc(actionItems.id))
      .limit(limit),
    db
      .select({ total: sql<number>`count(*)::int` })
      .from(actionItems)
      .innerJoin(meetings, eq(meetings.id, actionItems.meetingId))
      .where(where),
  ]);
  return { items, total: counted?.total ?? 0 };
}

/**
 * Inside the transaction that stores a new summary: the summariser's earlier items make way
 * for the new ones, except those a person changed since (ticked, edited), filed as an issue or
 * is filing. A new item that repeats a kept one (the same text, or the same moment) is not
 * added again.
 */
export async function replaceGeneratedActionItems(
  tx: Database,
  meetingId: string,
  items: SummaryActionItem[],
): Promise<void> {
  await tx
    .delete(actionItems)
    .where(
      and(
        eq(actionItems.meetingId, meetingId),
        eq(actionItems.origin, "summary"),
        eq(actionItems.done, false),
        isNull(actionItems.githubIssueUrl),
        isNull(actionItems.issueClaimedAt),
        eq(actionItems.updatedAt, actionItems.createdAt),
      ),
    );
  const kept = await tx
    .select({ text: actionItems.text, atMs: actionItems.atMs })
    .from(actionItems)
    .where(eq(actionItems.meetingId, meetingId));
  const texts = new Set(kept.map((item) => item.text.toLowerCase()));
  const moments = new Set(kept.flatMap((item) => (item.atMs === null ? [] : [item.atMs])));
  const fresh = items.filter((item) => {
    const key = item.text.toLowerCase();
    const at = item.atMs === null ? null : Math.max(0, Math.round(item.atMs));
    if (texts.has(key) || (at !== null && moments.has(at))) return false;
    texts.add(key);
    return true;
  });
  if (fresh.length === 0) return;
  await tx.insert(actionItems).values(
    fresh.map((item) => ({
      meetingId,
      text: item.text,
      owner: item.owner,
      atMs: item.atMs === null ? null : Math.max(0, Math.round(item.atMs)),
      origin: "summary" as const,
    })),
  );
}

/** The items of one meeting among `itemIds` (others are dropped), for filing issues. */
export async function actionItemsByIds(
  db: Database,
  userId: string,
  meetingId: string,
  itemIds: string[],
): Promise<ActionItem[]> {
  if (itemIds.length === 0) return [];
  return db
    .select(getTableColumns(actionItems))
    .from(actionItems)
    .innerJoin(meetings, eq(meetings.id, actionItems.meetingId))
    .where(
      and(
        inArray(actionItems.id, itemIds),
        eq(meetings.id, meetingId),
        eq(meetings.userId, userId),
      ),
    )
    .orderBy(
      sql`${actionItems.atMs} ASC NULLS LAST`,
      asc(actionItems.createdAt),
      asc(actionItems.id),
    );
}
