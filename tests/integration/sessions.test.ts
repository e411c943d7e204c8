import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSession,
  deleteExpiredSessions,
  deleteSession,
  findSessionUser,
  hashSessionToken,
  SESSION_RENEW_AFTER_MS,
  SESSION_TTL_MS,
} from "~/auth/session.server";
import type { DatabaseHandle } from "~/db/client.server";
import { session, user } from "~/db/schema";
import { createTestDatabase } from "../support/database";

let database: DatabaseHandle;
const client = { ipAddress: "203.0.113.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64)" };
const day = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.insert(user).values({ id: "u1", name: "Ada", email: "ada@example.test" });
});
afterAll(() => database.close());

const rowFor = async (token: string) =>
  (
    await database.db
      .select()
      .from(session)
      .where(eq(session.token, hashSessionToken(token)))
  )[0];

describe("database sessions", () => {
  it("stores only the SHA-256 hash of a random 256-bit token, with client details", async () => {
    const now = new Date("2026-03-01T12:00:00Z");
    const { token, expiresAt } = await createSession(database.db, "u1", client, now);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    const row = await rowFor(token);
    expect(row).toMatchObject({
      token: hashSessionToken(token),
      userId: "u1",
      ipAddress: client.ipAddress,
      userAgent: client.userAgent,
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
    });
    expect(row!.token).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.token).not.toContain(token);
    expect(expiresAt).toEqual(row!.expiresAt);
  });

  it("creates a new session row for every sign-in", async () => {
    const a = await createSession(database.db, "u1", client);
    const b = await createSession(database.db, "u1", client);
    expect(a.token).not.toBe(b.token);
    expect(await rowFor(a.token)).toBeDefined();
    expect(await rowFor(b.token)).toBeDefined();
  });

  it("finds the user of a live session without renewing it within a day", async () => {
    const now = new Date();
    const { token } = await createSession(database.db, "u1", client, now);
    const found = await findSessionUser(database.db, token, new Date(now.getTime() + 60_000));
    expect(found).toEqual({
      user: { id: "u1", name: "Ada", email: "ada@example.test", emailVerified: false, image: null },
      sessionId: expect.any(String),
      renewedUntil: null,
    });
  });

  it("slides the expiry forward once more than a day has passed", async () => {
    const start = new Date("2026-03-01T12:00:00Z");
    const { token } = await createSession(database.db, "u1", client, start);
    const later = new Date(start.getTime() + SESSION_RENEW_AFTER_MS + 1000);
    const found = await findSessionUser(database.db, token, later);
    expect(found?.renewedUntil).toEqual(new Date(later.getTime() + SESSION_TTL_MS));
    expect((await rowFor(token))!.expiresAt).toEqual(new Date(later.getTime() + SESSION_TTL_MS));
    // The renewal counts as the last one: an hour later nothing is written again.
    const soon = await findSessionUser(database.db, token, new Date(later.getTime() + 3_600_000));
    expect(soon?.renewedUntil).toBeNull();
  });

  it("treats an expired session as signed out", async () => {
    const start = new Date("2026-01-01T00:00:00Z");
    const { token } = await createSession(database.db, "u1", client, start);
    const afterExpiry = new Date(start.getTime() + SESSION_TTL_MS + 1);
    expect(await findSessionUser(database.db, token, afterExpiry)).toBeNull();
  });

  it("does not find a session for an unknown or altered token", async () => {
    const { token } = await createSession(database.db, "u1", client);
    expect(await findSessionUser(database.db, `${token}x`)).toBeNull();
    expect(await findSessionUser(database.db, hashSessionToken(token))).toBeNull();
  });

  it("signing out deletes the session row", async () => {
    const { token } = await createSession(database.db, "u1", client);
    await deleteSession(database.db, token);
    expect(await rowFor(token)).toBeUndefined();
    expect(await findSessionUser(database.db, token)).toBeNull();
  });

  it("removes expired rows and keeps live ones", async () => {
    const old = await createSession(database.db, "u1", client, new Date(Date.now() - 40 * day));
    const live = await createSession(database.db, "u1", client);
    await deleteExpiredSessions(database.db);
    expect(await rowFor(old.token)).toBeUndefined();
    expect(await rowFor(live.token)).toBeDefined();
  });
});
