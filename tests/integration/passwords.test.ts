import * as crypto from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { hashPassword, verifyNothing, verifyPassword } from "~/auth/password.server";
import { PASSWORD_MAX, PASSWORD_MIN, signUpSchema } from "~/auth/validation";
import { scryptHash } from "../support/users";

// Password hashing and the sign-up form's rules. Real-cost hashes take about 0.3 s and 128 MiB
// each, so only the specs about the stored format make them; the others use scryptHash's
// cheapest accepted parameters, which verifyPassword reads from the stored string.

// ESM namespaces cannot be spied on, so the comparison is observed through a module mock that
// wraps Node's own timingSafeEqual.
vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof crypto>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});
const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);
beforeEach(() => {
  timingSafeEqual.mockClear();
});

const phc = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([\w-]+)\$([\w-]+)$/;

describe("password hashes", () => {
  const password = "correct horse battery staple";
  let first: string;
  beforeAll(async () => {
    first = await hashPassword(password);
  });

  it("are PHC strings `$scrypt$ln=17,r=8,p=1$<salt>$<hash>` with a 16-byte salt and a 32-byte scrypt hash", () => {
    const match = phc.exec(first);
    expect(match?.slice(1, 4)).toEqual(["17", "8", "1"]);
    const salt = Buffer.from(match![4]!, "base64url");
    const hash = Buffer.from(match![5]!, "base64url");
    expect(salt).toHaveLength(16);
    expect(hash).toHaveLength(32);
    expect(first).not.toContain(password);
    // The stated parameters are the ones used: scrypt(N=2^17, r=8, p=1) gives the same hash.
    const expected = crypto.scryptSync(password, salt, 32, {
      N: 2 ** 17,
      r: 8,
      p: 1,
      maxmem: 256 * 1024 * 1024,
    });
    expect(hash.equals(expected)).toBe(true);
  });

  it("are salted per password: hashing the same password twice gives different strings", async () => {
    const second = await hashPassword(password);
    expect(second).not.toBe(first);
    expect(phc.exec(second)![4]).not.toBe(phc.exec(first)![4]);
    expect(await verifyPassword(password, second)).toBe(true);
  });

  it("verify the right password and refuse a wrong one", async () => {
    expect(await verifyPassword(password, first)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", first)).toBe(false);
  });

  it("are compared in constant time, for right and wrong passwords alike", async () => {
    const stored = scryptHash("s3cret-enough");
    expect(await verifyPassword("s3cret-enough", stored)).toBe(true);
    expect(await verifyPassword("s3cret-enougH", stored)).toBe(false);
    expect(timingSafeEqual).toHaveBeenCalledTimes(2);
    for (const [a, b] of timingSafeEqual.mock.calls) {
      expect(a).toHaveLength(32);
      expect(b).toHaveLength(32);
    }
  });

  it("keep their own parameters: a hash made with other costs still verifies", async () => {
    const cheaper = scryptHash("older-password", { logN: 14, r: 8, p: 1 });
    expect(await verifyPassword("older-password", cheaper)).toBe(true);
    expect(await verifyPassword("older-passworD", cheaper)).toBe(false);
  });

  it("match a password typed in another Unicode normalization form", async () => {
    const stored = scryptHash("café au lait".normalize("NFC"));
    expect(await verifyPassword("café au lait".normalize("NFD"), stored)).toBe(true);
  });

  it("refuse malformed stored strings instead of throwing", async () => {
    const valid = scryptHash("anything-at-all");
    const [, , , , salt, hash] = phc.exec(valid)!;
    for (const stored of [
      "",
      "anything-at-all",
      "$2b$12$abcdefghijklmnopqrstuuPo1xq1Vw4X3f9pXnI0bA3cUQmBqC6e2",
      "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g",
      `$scrypt$ln=10,r=8,p=1$${salt}`,
      `$scrypt$ln=10,r=8$${salt}$${hash}`,
      `$scrypt$ln=10,r=8,p=1$${salt}$${hash}$extra`,
      `$scrypt$ln=10,r=8,p=1$${salt}$${hash}=`,
      `$scrypt$ln=ten,r=8,p=1$${salt}$${hash}`,
      `${valid}\n`,
    ]) {
      await expect(verifyPassword("anything-at-all", stored), stored).resolves.toBe(false);
    }
    expect(timingSafeEqual).not.toHaveBeenCalled();
  });

  it("refuse parameters outside the accepted bounds, even when the hash matches", async () => {
    // Too cheap to trust: a genuine hash with N=2^9.
    expect(await verifyPassword("pw-bounds", scryptHash("pw-bounds", { logN: 9 }))).toBe(false);
    // Too expensive to attempt (over 256 MiB of memory): refused before deriving anything.
    const [, , , , salt, hash] = phc.exec(scryptHash("pw-bounds"))!;
    for (const params of [
      "ln=21,r=8,p=1",
      // 2^20 * 32 * 128 bytes: 4 GiB.
      "ln=20,r=32,p=1",
      "ln=18,r=9,p=1",
      "ln=10,r=0,p=1",
      "ln=10,r=8,p=0",
      "ln=10,r=8,p=17",
    ]) {
      await expect(
        verifyPassword("pw-bounds", `$scrypt$${params}$${salt}$${hash}`),
        params,
      ).resolves.toBe(false);
    }
    expect(timingSafeEqual).not.toHaveBeenCalled();
  });

  it("treat a hash part of another length as a mismatch, without throwing", async () => {
    // timingSafeEqual throws on buffers of different lengths; the length is checked first.
    for (const hashBytes of [31, 33, 64]) {
      const stored = scryptHash("pw-length", { hashBytes });
      await expect(verifyPassword("pw-length", stored)).resolves.toBe(false);
    }
    expect(timingSafeEqual).not.toHaveBeenCalled();
  });
});

describe("verifyNothing", () => {
  it("answers false after doing the work of a real check", async () => {
    expect(await verifyNothing("whatever-was-typed")).toBe(false);
    // It derived a real-cost hash and compared it, as a check of a real account would.
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
    expect(timingSafeEqual.mock.calls[0]![0]).toHaveLength(32);
  });
});

describe("the sign-up form's rules", () => {
  const valid = { name: "  Ada Lovelace ", email: "  Ada@Example.TEST ", password: "analytical" };

  it("trims and lower-cases the email, and trims the name", () => {
    expect(signUpSchema.parse(valid)).toEqual({
      name: "Ada Lovelace",
      email: "ada@example.test",
      password: "analytical",
    });
  });

  it("refuses a password that is the account's own email, whatever its case", () => {
    const result = signUpSchema.safeParse({ ...valid, password: "ADA@example.test" });
    expect(result.success).toBe(false);
    expect(result.error!.issues).toEqual([
      expect.objectContaining({
        path: ["password"],
        message: "Choose a password that is not your email address",
      }),
    ]);
  });

  it(`takes passwords of ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`, () => {
    const issuesFor = (password: string) =>
      signUpSchema.safeParse({ ...valid, password }).error?.issues ?? [];
    expect(PASSWORD_MIN).toBe(8);
    expect(PASSWORD_MAX).toBe(128);
    expect(issuesFor("x".repeat(7))).toEqual([
      expect.objectContaining({
        path: ["password"],
        message: "Password must be at least 8 characters",
      }),
    ]);
    expect(issuesFor("x".repeat(8))).toEqual([]);
    expect(issuesFor("x".repeat(128))).toEqual([]);
    expect(issuesFor("x".repeat(129))).toEqual([
      expect.objectContaining({
        path: ["password"],
        message: "Password must be at most 128 characters",
      }),
    ]);
  });

  it("refuses an address that is not an email", () => {
    const result = signUpSchema.safeParse({ ...valid, email: "ada.example.test" });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([["email"]]);
  });
});
