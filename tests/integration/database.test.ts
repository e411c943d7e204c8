import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDatabase, openDatabase, type DatabaseHandle } from "~/db/client.server";
import { agents, meetings, session, user } from "~/db/schema";
import { createTestDatabase } from "../support/database";

let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

async function insertUser(id: string) {
  await database.db.insert(user).values({ id, name: `User ${id}`, email: `${id}@example.test` });
}

async function insertAgent(userId: string) {
  const [agent] = await database.db
    .insert(agents)
    .values({ name: "Scribe", userId, instructions: "Take notes." })
    .returning();
  return agent!;
}

describe("the database module", () => {
  it("answers a health check on a working database", async () => {
    expect(await checkDatabase(database.db)).toMatchObject({ ok: true });
  });

  it("reports an unreachable PostgreSQL server in plain words, without a stack trace", async () => {
    const unreachable = openDatabase({ url: "postgres://nobody:secret@127.0.0.1:1/none" });
    try {
      const result = await checkDatabase(unreachable.db);
      expect(result).toEqual({
        ok: false,
        error: "connection refused (is PostgreSQL running and listening there?)",
      });
    } finally {
      await unreachable.close();
    }
  });

  it("gives agents and meetings nanoid ids and defaults the status to upcoming", async () => {
    await insertUser("u-ids");
    const agent = await insertAgent("u-ids");
    const [meeting] = await database.db
      .insert(meetings)
      .values({ name: "Kick-off", userId: "u-ids", agentId: agent.id })
      .returning();
    expect(agent.id).toMatch(/^[A-Za-z0-9_-]{21}$/);
    expect(meeting!.id).toMatch(/^[A-Za-z0-9_-]{21}$/);
    expect(meeting!.status).toBe("upcoming");
  });

  it("stores default timestamps in UTC whatever the session's time zone", async () => {
    const [row] = await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local time zone 'America/New_York'`);
      await tx.insert(user).values({ id: "u-utc", name: "U", email: "u-utc@example.test" });
      return tx.select().from(user).where(eq(user.id, "u-utc"));
    });
    expect(Math.abs(row!.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("changes updatedAt on every update", async () => {
    await insertUser("u-upd");
    const agent = await insertAgent("u-upd");
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [updated] = await database.db
      .update(agents)
      .set({ name: "Renamed" })
      .where(eq(agents.id, agent.id))
      .returning();
    expect(updated!.updatedAt.getTime()).toBeGreaterThan(agent.updatedAt.getTime());
  });

  it("moves updatedAt forward even for an update written in raw SQL", async () => {
    await insertUser("u-raw");
    const agent = await insertAgent("u-raw");
    await new Promise((resolve) => setTimeout(resolve, 20));
    await database.db.execute(sql`update agents set name = 'Raw' where id = ${agent.id}`);
    const [row] = await database.db.select().from(agents).where(eq(agents.id, agent.id));
    expect(row!.name).toBe("Raw");
    expect(row!.updatedAt.getTime()).toBeGreaterThan(agent.updatedAt.getTime());
  });

  it("refuses a second user with the same email", async () => {
    await insertUser("u-dup");
    await expect(
      database.db.insert(user).values({ id: "u-dup2", name: "Dup", email: "u-dup@example.test" }),
    ).rejects.toThrow();
  });

  describe("meeting invariants (CHECK constraints)", () => {
    let agentId: string;
    beforeAll(async () => {
      await insertUser("u-chk");
      agentId = (await insertAgent("u-chk")).id;
    });
    const base = () => ({ name: "M", userId: "u-chk", agentId });
    const t0 = new Date("2026-01-01T10:00:00Z");
    const t1 = new Date("2026-01-01T11:00:00Z");

    it("refuses an active meeting without startedAt", async () => {
      await expect(
        database.db.insert(meetings).values({ ...base(), status: "active" }),
      ).rejects.toThrow();
    });

    it("refuses a processing or completed meeting without both times", async () => {
      for (const status of ["processing", "completed"] as const) {
        await expect(
          database.db.insert(meetings).values({ ...base(), status, startedAt: t0 }),
        ).rejects.toThrow();
      }
    });

    it("refuses endedAt before startedAt", async () => {
      await expect(
        database.db
          .insert(meetings)
          .values({ ...base(), status: "completed", startedAt: t1, endedAt: t0 }),
      ).rejects.toThrow();
    });

    it("accepts a completed meeting with both times in order", async () => {
      await expect(
        database.db
          .insert(meetings)
          .values({ ...base(), status: "completed", startedAt: t0, endedAt: t1 }),
      ).resolves.toBeDefined();
    });
  });

  it("deleting a user cascades to their sessions, agents and meetings", async () => {
    await insertUser("u-del");
    const agent = await insertAgent("u-del");
    await database.db.insert(meetings).values({ name: "M", userId: "u-del", agentId: agent.id });
    await database.db.insert(session).values({
      id: "s-del",
      token: "hash-del",
      userId: "u-del",
      expiresAt: new Date(Date.now() + 1000),
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    await database.db.delete(user).where(eq(user.id, "u-del"));
    expect(await database.db.select().from(agents).where(eq(agents.userId, "u-del"))).toEqual([]);
    expect(await database.db.select().from(meetings).where(eq(meetings.userId, "u-del"))).toEqual(
      [],
    );
    expect(await database.db.select().from(session).where(eq(session.userId, "u-del"))).toEqual([]);
  });
});
