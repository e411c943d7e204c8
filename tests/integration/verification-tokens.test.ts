import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetPassword } from "~/auth/credentials.server";
import { confirmEmail } from "~/auth/mail-links.server";
import {
  EMAIL_VERIFICATION_TTL_MS,
  PASSWORD_RESET_TTL_MS,
  consumeToken,
  deleteExpiredVerifications,
  issueToken,
  peekResetToken,
  peekToken,
} from "~/auth/verification.server";
import type { DatabaseHandle } from "~/db/client.server";
import { user, verification } from "~/db/schema";
import { createTestDatabase } from "../support/database";
import { createUser, newEmail } from "../support/users";

// The links in mails: random tokens whose SHA-256 hash is all the database keeps, each for one
// purpose, usable once and for a limited time.

let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const hour = 60 * 60_000;
const sha256 = (token: string) => createHash("sha256").update(token).digest("hex");
const rowsNamed = (identifier: string) =>
  database.db.select().from(verification).where(eq(verification.identifier, identifier));
const userRow = async (id: string) =>
  (await database.db.select().from(user).where(eq(user.id, id)))[0]!;

describe("issuing a link token", () => {
  it("stores only the SHA-256 hex of a random 256-bit token, under the email it verifies", async () => {
    const email = newEmail("hash");
    const token = await issueToken(
      database.db,
      { kind: "verify-email", email },
      EMAIL_VERIFICATION_TTL_MS,
    );
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    const rows = await rowsNamed(email);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.value).toBe(sha256(token));
    expect(rows[0]!.value).toMatch(/^[0-9a-f]{64}$/);
    const anywhere = await database.db.select().from(verification);
    expect(JSON.stringify(anywhere)).not.toContain(token);
  });

  it("makes verification links last 24 hours and reset links one hour", async () => {
    const now = new Date("2026-05-01T08:00:00Z");
    const { id, email } = await createUser(database.db);
    await issueToken(database.db, { kind: "verify-email", email }, EMAIL_VERIFICATION_TTL_MS, now);
    await issueToken(
      database.db,
      { kind: "password-reset", userId: id },
      PASSWORD_RESET_TTL_MS,
      now,
    );
    expect(EMAIL_VERIFICATION_TTL_MS).toBe(24 * hour);
    expect(PASSWORD_RESET_TTL_MS).toBe(hour);
    expect((await rowsNamed(email))[0]!.expiresAt).toEqual(new Date(now.getTime() + 24 * hour));
    expect((await rowsNamed(`password-reset:${id}`))[0]!.expiresAt).toEqual(
      new Date(now.getTime() + hour),
    );
  });

  it("names an email change `email-change:<userId>:<new email>`", async () => {
    const { id } = await createUser(database.db);
    const email = newEmail("new");
    const token = await issueToken(
      database.db,
      { kind: "email-change", userId: id, email },
      EMAIL_VERIFICATION_TTL_MS,
    );
    expect(await rowsNamed(`email-change:${id}:${email}`)).toHaveLength(1);
    expect(await peekToken(database.db, token)).toEqual({
      kind: "email-change",
      userId: id,
      email,
    });
  });

  it("makes the previous link of the same purpose stop working", async () => {
    const email = newEmail("reissue");
    const older = await issueToken(database.db, { kind: "verify-email", email }, hour);
    const newer = await issueToken(database.db, { kind: "verify-email", email }, hour);
    expect(await consumeToken(database.db, older, ["verify-email"])).toBeNull();
    expect(await consumeToken(database.db, newer, ["verify-email"])).toEqual({
      kind: "verify-email",
      email,
    });
  });

  it("leaves the links of other addresses and purposes working", async () => {
    const { id, email } = await createUser(database.db);
    const verify = await issueToken(database.db, { kind: "verify-email", email }, hour);
    const reset = await issueToken(database.db, { kind: "password-reset", userId: id }, hour);
    await issueToken(database.db, { kind: "verify-email", email: newEmail("other") }, hour);
    expect(await peekToken(database.db, verify)).toEqual({ kind: "verify-email", email });
    expect(await peekToken(database.db, reset)).toEqual({ kind: "password-reset", userId: id });
  });

  it("keeps one pending email change per user: asking for another address cancels the first", async () => {
    const { id } = await createUser(database.db);
    const [first, second] = [newEmail("first"), newEmail("second")];
    const older = await issueToken(
      database.db,
      { kind: "email-change", userId: id, email: first },
      hour,
    );
    await issueToken(database.db, { kind: "email-change", userId: id, email: second }, hour);
    expect(await peekToken(database.db, older)).toBeNull();
    expect(await rowsNamed(`email-change:${id}:${first}`)).toHaveLength(0);
    expect(await rowsNamed(`email-change:${id}:${second}`)).toHaveLength(1);
  });
});

describe("using a link token", () => {
  it("peeking tells the purpose without using the token up", async () => {
    const email = newEmail("peek");
    const token = await issueToken(database.db, { kind: "verify-email", email }, hour);
    expect(await peekToken(database.db, token)).toEqual({ kind: "verify-email", email });
    expect(await peekToken(database.db, token)).toEqual({ kind: "verify-email", email });
    expect(await consumeToken(database.db, token, ["verify-email"])).not.toBeNull();
  });

  it("works once: a second use finds nothing", async () => {
    const email = newEmail("once");
    const token = await issueToken(database.db, { kind: "verify-email", email }, hour);
    expect(await consumeToken(database.db, token, ["verify-email"])).toEqual({
      kind: "verify-email",
      email,
    });
    expect(await consumeToken(database.db, token, ["verify-email"])).toBeNull();
    expect(await peekToken(database.db, token)).toBeNull();
    expect(await rowsNamed(email)).toHaveLength(0);
  });

  it("works until it expires, and not from then on", async () => {
    const issuedAt = new Date("2026-05-01T08:00:00Z");
    const expiry = issuedAt.getTime() + hour;
    const [a, b] = [newEmail("expiry"), newEmail("expired")];
    const live = await issueToken(database.db, { kind: "verify-email", email: a }, hour, issuedAt);
    const dead = await issueToken(database.db, { kind: "verify-email", email: b }, hour, issuedAt);
    expect(await peekToken(database.db, dead, new Date(expiry))).toBeNull();
    expect(await consumeToken(database.db, dead, ["verify-email"], new Date(expiry))).toBeNull();
    expect(
      await consumeToken(database.db, dead, ["verify-email"], new Date(expiry + 1)),
    ).toBeNull();
    expect(await consumeToken(database.db, live, ["verify-email"], new Date(expiry - 1))).toEqual({
      kind: "verify-email",
      email: a,
    });
  });

  it("refuses an altered token, and the real one still works afterwards", async () => {
    const email = newEmail("altered");
    const token = await issueToken(database.db, { kind: "verify-email", email }, hour);
    const last = token.at(-1) === "A" ? "B" : "A";
    for (const altered of [token.slice(0, -1) + last, token.slice(1), `${token}x`, ""]) {
      expect(await consumeToken(database.db, altered, ["verify-email"])).toBeNull();
    }
    expect(await consumeToken(database.db, token, ["verify-email"])).not.toBeNull();
  });

  it("refuses a token of another purpose without using it up", async () => {
    const { id, email } = await createUser(database.db);
    const reset = await issueToken(database.db, { kind: "password-reset", userId: id }, hour);
    const verify = await issueToken(database.db, { kind: "verify-email", email }, hour);
    expect(await confirmEmail(database.db, reset)).toEqual({ ok: false, reason: "invalid" });
    expect(await resetPassword(database.db, verify, "never set this")).toBeNull();
    expect(await peekResetToken(database.db, verify)).toBeNull();
    expect(await peekResetToken(database.db, reset)).toBe(email);
    expect(await peekToken(database.db, verify)).toEqual({ kind: "verify-email", email });
    expect((await userRow(id)).emailVerified).toBe(false);
  });

  it("lets exactly one of several simultaneous uses of one token succeed", async () => {
    const email = newEmail("race");
    const token = await issueToken(database.db, { kind: "verify-email", email }, hour);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => consumeToken(database.db, token, ["verify-email"])),
    );
    expect(results.filter(Boolean)).toEqual([{ kind: "verify-email", email }]);
  });
});

describe("confirming an email address", () => {
  it("marks the address verified and deletes the link", async () => {
    const { id, email } = await createUser(database.db);
    const token = await issueToken(database.db, { kind: "verify-email", email }, hour);
    expect(await confirmEmail(database.db, token)).toEqual({
      ok: true,
      kind: "verify-email",
      email,
    });
    expect((await userRow(id)).emailVerified).toBe(true);
    expect(await rowsNamed(email)).toHaveLength(0);
    expect(await confirmEmail(database.db, token)).toEqual({ ok: false, reason: "invalid" });
  });

  it("changes the user's email only when the new address is confirmed, and marks it verified", async () => {
    const { id, email: old } = await createUser(database.db, { emailVerified: false });
    const next = newEmail("moved");
    const token = await issueToken(
      database.db,
      { kind: "email-change", userId: id, email: next },
      EMAIL_VERIFICATION_TTL_MS,
    );
    expect(await userRow(id)).toMatchObject({ email: old, emailVerified: false });

    expect(await confirmEmail(database.db, token)).toEqual({
      ok: true,
      kind: "email-change",
      email: next,
    });
    expect(await userRow(id)).toMatchObject({ email: next, emailVerified: true });
  });

  it("refuses an email change to an address someone took meanwhile, keeping the old email", async () => {
    const { id, email: old } = await createUser(database.db, { emailVerified: true });
    const next = newEmail("contested");
    const token = await issueToken(
      database.db,
      { kind: "email-change", userId: id, email: next },
      EMAIL_VERIFICATION_TTL_MS,
    );
    await createUser(database.db, { email: next.toUpperCase() });
    expect(await confirmEmail(database.db, token)).toEqual({ ok: false, reason: "taken" });
    expect(await userRow(id)).toMatchObject({ email: old, emailVerified: true });
  });
});

describe("clearing out", () => {
  it("deletes expired links and leaves live ones", async () => {
    const now = new Date("2026-06-01T12:00:00Z");
    const [stale, live] = [newEmail("stale"), newEmail("live")];
    await issueToken(database.db, { kind: "verify-email", email: stale }, hour, now);
    await issueToken(database.db, { kind: "verify-email", email: live }, 3 * hour, now);
    await deleteExpiredVerifications(database.db, new Date(now.getTime() + 2 * hour));
    expect(await rowsNamed(stale)).toEqual([]);
    expect(await rowsNamed(live)).toHaveLength(1);
  });
});
