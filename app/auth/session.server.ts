import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, gt, lt, ne } from "drizzle-orm";
import { nanoid } from "nanoid";
import { createCookie } from "react-router";
import { getConfig } from "~/config.server";
import type { Database } from "~/db/client.server";
import { session, user } from "~/db/schema";
import { lockUser } from "./users.server";
import { revokeAccountLinks } from "./verification.server";

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** A session's expiry slides forward at most once a day, so most requests only read. */
export const SESSION_RENEW_AFTER_MS = 24 * 60 * 60 * 1000;

export const sessionCookieName = "smtg_session";

export type SessionUser = Pick<
  typeof user.$inferSelect,
  "id" | "name" | "email" | "emailVerified" | "image"
>;

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Starts a session; the database keeps only the token's hash, the browser the token. */
export async function createSession(
  db: Database,
  userId: string,
  client: { ipAddress: string | null; userAgent: string | null },
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.insert(session).values({
    id: nanoid(),
    token: hashSessionToken(token),
    userId,
    expiresAt,
    createdAt: now,
    updatedAt: now,
    ipAddress: client.ipAddress,
    userAgent: client.userAgent?.slice(0, 512) ?? null,
  });
  return { token, expiresAt };
}

/**
 * The user behind a session token, or null when the session is unknown or expired.
 * `renewedUntil` is set when this call slid the expiry forward (the cookie must follow).
 */
export async function findSessionUser(
  db: Database,
  token: string,
  now = new Date(),
): Promise<{ user: SessionUser; sessionId: string; renewedUntil: Date | null } | null> {
  const [row] = await db
    .select({
      sessionId: session.id,
      updatedAt: session.updatedAt,
      user: {
        id: user.id,
        name: user.name,
        email: user.email,
        emailVerified: user.emailVerified,
        image: user.image,
      },
    })
    .from(session)
    .innerJoin(user, eq(user.id, session.userId))
    .where(and(eq(session.token, hashSessionToken(token)), gt(session.expiresAt, now)))
    .limit(1);
  if (!row) return null;

  if (now.getTime() - row.updatedAt.getTime() < SESSION_RENEW_AFTER_MS) {
    return { user: row.user, sessionId: row.sessionId, renewedUntil: null };
  }
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.update(session).set({ expiresAt, updatedAt: now }).where(eq(session.id, row.sessionId));
  return { user: row.user, sessionId: row.sessionId, renewedUntil: expiresAt };
}

export async function deleteSession(db: Database, token: string): Promise<void> {
  await db.delete(session).where(eq(session.token, hashSessionToken(token)));
}

export interface SessionListing {
  id: string;
  current: boolean;
  ipAddress: string | null;
  userAgent: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The user's live sessions, the most recently renewed first. */
export async function listSessions(
  db: Database,
  userId: string,
  currentSessionId: string | null,
  now = new Date(),
): Promise<SessionListing[]> {
  const rows = await db
    .select({
      id: session.id,
      ipAddress: session.ipAddress,
      userAgent: session.userAgent,
      createdAt: session.createdAt,
      updatedAt: session.updatedAt,
    })
    .from(session)
    .where(and(eq(session.userId, userId), gt(session.expiresAt, now)))
    .orderBy(desc(session.updatedAt), desc(session.id));
  return rows.map((row) => ({ ...row, current: row.id === currentSessionId }));
}

/** Signs out one of the user's sessions; false when the user has no session with that id. */
export async function revokeSession(
  db: Database,
  userId: string,
  sessionId: string,
): Promise<boolean> {
  const deleted = await db
    .delete(session)
    .where(and(eq(session.id, sessionId), eq(session.userId, userId)))
    .returning({ id: session.id });
  return deleted.length > 0;
}

/**
 * Signs out every session of the user but `keepSessionId`, and revokes the reset and
 * email-change links one of them may have asked for; returns how many sessions ended.
 */
export async function revokeOtherSessions(
  db: Database,
  userId: string,
  keepSessionId: string,
): Promise<number> {
  return db.transaction(async (tx) => {
    await lockUser(tx, userId);
    const deleted = await tx
      .delete(session)
      .where(and(eq(session.userId, userId), ne(session.id, keepSessionId)))
      .returning({ id: session.id });
    await revokeAccountLinks(tx, userId);
    return deleted.length;
  });
}

export async function deleteExpiredSessions(db: Database, now = new Date()): Promise<void> {
  await db.delete(session).where(lt(session.expiresAt, now));
}

function sessionCookie() {
  const config = getConfig();
  return createCookie(sessionCookieName, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: config.secureCookies,
    secrets: [config.sessionSecret],
  });
}

export async function readSessionToken(request: Request): Promise<string | null> {
  const value: unknown = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

export function serializeSessionCookie(token: string, expiresAt: Date): Promise<string> {
  return sessionCookie().serialize(token, { expires: expiresAt });
}

export function serializeClearedSessionCookie(): Promise<string> {
  return sessionCookie().serialize("", { maxAge: 0 });
}
