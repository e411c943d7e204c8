import { like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  limits,
  networkOf,
  release,
  reserveAttempt,
  resetAttempts,
  type LimitKey,
} from "~/auth/rate-limit.server";
import { retryMessage } from "~/web/too-many-attempts";
import type { DatabaseHandle } from "~/db/client.server";
import { verification } from "~/db/schema";
import { createTestDatabase, openAnotherInstance } from "../support/database";
import { newEmail } from "../support/users";

// Limits on sign-in attempts and mails, counted in the database so that every app instance
// sees the same attempts. Times are passed in, so the sliding window is tested without waiting.

let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const minute = 60_000;
const start = new Date("2026-06-01T10:00:00Z");
const at = (ms: number) => new Date(start.getTime() + ms);
let ipCounter = 0;
/** An IP address no other test uses, so each test starts under every limit. */
const newIp = () => `198.51.100.${++ipCounter}`;
/** The keys the sign-in form reserves: one per email and one per IP address. */
const signIn = (email: string, ip: string): LimitKey[] => [
  { limit: "signInEmail", key: email },
  { limit: "signInIp", key: ip },
];
const attemptRows = async () =>
  (await database.db.select().from(verification).where(like(verification.identifier, "attempt:%")))
    .length;

describe("failed sign-ins", () => {
  it("are limited to 10 per email in 15 minutes, then refused until the oldest stops counting", async () => {
    expect(limits.signInEmail).toMatchObject({ max: 10, windowMs: 15 * minute });
    const [email, ip] = [newEmail("brute"), newIp()];
    for (let i = 0; i < 10; i++) {
      const attempt = await reserveAttempt(database.db, signIn(email, ip), at(i * minute));
      expect(attempt.allowed, `attempt ${i + 1}`).toBe(true);
    }
    // The first attempt (at 0) stops counting at 15 minutes: 5 minutes after the 11th.
    expect(await reserveAttempt(database.db, signIn(email, ip), at(10 * minute))).toEqual({
      allowed: false,
      retryAfterMs: 5 * minute,
    });
    // Any other address from the same IP address is still welcome.
    expect(
      (await reserveAttempt(database.db, signIn(newEmail(), ip), at(10 * minute))).allowed,
    ).toBe(true);
  });

  it("count in a sliding window: attempts older than 15 minutes no longer count", async () => {
    const [email, ip] = [newEmail("slide"), newIp()];
    for (let i = 0; i < 10; i++) {
      await reserveAttempt(database.db, signIn(email, ip), at(i * minute));
    }
    expect(
      (await reserveAttempt(database.db, signIn(email, ip), at(15 * minute - 1))).allowed,
    ).toBe(false);
    // At 15 minutes the first attempt has left the window: one more fits.
    expect((await reserveAttempt(database.db, signIn(email, ip), at(15 * minute))).allowed).toBe(
      true,
    );
    // Full again; the next slot frees when the attempt made at 1 minute leaves the window.
    expect(await reserveAttempt(database.db, signIn(email, ip), at(15 * minute + 1))).toEqual({
      allowed: false,
      retryAfterMs: minute - 1,
    });
  });

  it("are counted per email whatever its case", async () => {
    const [email, ip] = [newEmail("case"), newIp()];
    for (let i = 0; i < 10; i++) {
      const key = i % 2 ? email.toUpperCase() : email;
      expect((await reserveAttempt(database.db, signIn(key, ip), at(0))).allowed).toBe(true);
    }
    expect((await reserveAttempt(database.db, signIn(email, ip), at(0))).allowed).toBe(false);
  });

  it("from one IP address count across emails, up to 50 in 15 minutes", async () => {
    expect(limits.signInIp).toMatchObject({ max: 50, windowMs: 15 * minute });
    const ip = newIp();
    for (let i = 0; i < 50; i++) {
      const attempt = await reserveAttempt(
        database.db,
        signIn(newEmail("spray"), ip),
        at(i * 1000),
      );
      expect(attempt.allowed, `attempt ${i + 1}`).toBe(true);
    }
    expect(await reserveAttempt(database.db, signIn(newEmail("spray"), ip), at(50_000))).toEqual({
      allowed: false,
      retryAfterMs: 15 * minute - 50_000,
    });
    // Another IP address is not affected.
    expect(
      (await reserveAttempt(database.db, signIn(newEmail(), newIp()), at(50_000))).allowed,
    ).toBe(true);
  });

  it("from one IPv6 /64 network count together, whichever of its addresses they come from", async () => {
    const network = `2001:db8:${++ipCounter}:7`;
    for (let i = 0; i < 50; i++) {
      const ip = `${network}::${(i + 1).toString(16)}`;
      const attempt = await reserveAttempt(database.db, signIn(newEmail("v6"), ip), at(i * 1000));
      expect(attempt.allowed, `attempt ${i + 1}`).toBe(true);
    }
    const next = await reserveAttempt(
      database.db,
      signIn(newEmail("v6"), `${network}:ffff:ffff:ffff:ffff`),
      at(50_000),
    );
    expect(next.allowed).toBe(false);
    // The neighbouring /64 is another network.
    const neighbour = `2001:db8:${ipCounter}:8::1`;
    expect(
      (await reserveAttempt(database.db, signIn(newEmail(), neighbour), at(50_000))).allowed,
    ).toBe(true);
  });

  it("leave no row behind when refused", async () => {
    const [email, ip] = [newEmail("refused"), newIp()];
    for (let i = 0; i < 10; i++) await reserveAttempt(database.db, signIn(email, ip), at(0));
    const before = await attemptRows();
    for (let i = 0; i < 3; i++) {
      expect((await reserveAttempt(database.db, signIn(email, ip), at(minute))).allowed).toBe(
        false,
      );
    }
    expect(await attemptRows()).toBe(before);
  });

  it("can be taken back with release (a successful sign-in does not count)", async () => {
    const [email, ip] = [newEmail("release"), newIp()];
    const attempts = [];
    for (let i = 0; i < 10; i++) {
      attempts.push(await reserveAttempt(database.db, signIn(email, ip), at(0)));
    }
    const last = attempts.at(-1)!;
    expect(last.allowed && last.ids).toHaveLength(2);
    await release(database.db, last.allowed ? last.ids : []);
    expect((await reserveAttempt(database.db, signIn(email, ip), at(0))).allowed).toBe(true);
    expect((await reserveAttempt(database.db, signIn(email, ip), at(0))).allowed).toBe(false);
  });

  it("of one key are forgotten by resetAttempts, leaving other keys counted", async () => {
    const [email, ip] = [newEmail("reset"), newIp()];
    for (let i = 0; i < 10; i++) await reserveAttempt(database.db, signIn(email, ip), at(0));
    expect((await reserveAttempt(database.db, signIn(email, ip), at(0))).allowed).toBe(false);
    await resetAttempts(database.db, { limit: "signInEmail", key: email.toUpperCase() });
    expect((await reserveAttempt(database.db, signIn(email, ip), at(0))).allowed).toBe(true);
    // The IP address still counts those 11 attempts: 39 more reach its limit of 50.
    for (let i = 0; i < 39; i++) {
      const attempt = await reserveAttempt(database.db, signIn(newEmail(), ip), at(0));
      expect(attempt.allowed).toBe(true);
    }
    expect((await reserveAttempt(database.db, signIn(newEmail(), ip), at(0))).allowed).toBe(false);
  });
});

describe("simultaneous attempts", () => {
  const key = (): LimitKey[] => [{ limit: "signInEmail", key: newEmail("burst") }];

  it("never let more than the limit through", async () => {
    const keys = key();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => reserveAttempt(database.db, keys, at(0))),
    );
    expect(results.filter((r) => r.allowed).length).toBeLessThanOrEqual(10);
    // Whatever got through is what counts: the key is at or under its limit.
    const allowed = results.filter((r) => r.allowed).length;
    for (let i = allowed; i < 10; i++) {
      expect((await reserveAttempt(database.db, keys, at(0))).allowed).toBe(true);
    }
    expect((await reserveAttempt(database.db, keys, at(0))).allowed).toBe(false);
  });

  it("at the limit still let exactly the limit through (20 at once for a limit of 10)", async () => {
    const keys = key();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => reserveAttempt(database.db, keys, at(0))),
    );
    // Fewer would refuse people who are within the limit; none at all means each attempt
    // counted the others' rows before any decided, and all of them gave up.
    expect(results.filter((r) => r.allowed).length, "attempts let through").toBe(10);
  });
});

// Several instances need a database server: this spec exists only on PostgreSQL runs (CI runs
// the integration suite on both engines), rather than being reported as skipped on PGlite.
if (process.env.TEST_DATABASE_URL)
  describe("the count", () => {
    it("is shared by every app instance: another connection pool sees the same attempts", async () => {
      const other = openAnotherInstance(database)!;
      try {
        const [email, ip] = [newEmail("instances"), newIp()];
        for (let i = 0; i < 10; i++) {
          const db = i % 2 ? other.db : database.db;
          expect((await reserveAttempt(db, signIn(email, ip), at(0))).allowed).toBe(true);
        }
        expect((await reserveAttempt(other.db, signIn(email, ip), at(0))).allowed).toBe(false);
        expect((await reserveAttempt(database.db, signIn(email, ip), at(0))).allowed).toBe(false);
      } finally {
        await other.close();
      }
    });
  });

describe("the network a per-IP limit counts", () => {
  it("is an IPv4 address itself, also when written as IPv6", () => {
    expect(networkOf("203.0.113.9")).toBe("203.0.113.9");
    expect(networkOf("::ffff:203.0.113.9")).toBe("203.0.113.9");
  });

  it("is the /64 of an IPv6 address, however the address is written", () => {
    const network = "2001:db8:a:b::/64";
    for (const address of [
      "2001:db8:a:b::1",
      "2001:DB8:A:B:FFFF:FFFF:FFFF:FFFF",
      "2001:0db8:000a:000b:0:0:0:1",
      "2001:db8:a:b:1:2:3.4.5.6",
      "2001:db8:a:b::1%eth0",
    ]) {
      expect(networkOf(address), address).toBe(network);
    }
    expect(networkOf("2001:db8::")).toBe("2001:db8:0:0::/64");
    expect(networkOf("::1")).toBe("0:0:0:0::/64");
    expect(networkOf("2001:db8:a:c::1")).not.toBe(network);
  });

  it("leaves what is not an IP address as it is", () => {
    expect(networkOf("unknown")).toBe("unknown");
  });
});

describe("the refusal message", () => {
  it("says how many minutes to wait, rounded up, at least one", () => {
    expect(retryMessage(5 * minute)).toBe("Too many attempts. Try again in 5 minutes.");
    expect(retryMessage(4 * minute + 1)).toBe("Too many attempts. Try again in 5 minutes.");
    expect(retryMessage(minute)).toBe("Too many attempts. Try again in 1 minute.");
    expect(retryMessage(1)).toBe("Too many attempts. Try again in 1 minute.");
    expect(retryMessage(0)).toBe("Too many attempts. Try again in 1 minute.");
  });
});
