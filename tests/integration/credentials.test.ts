import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CREDENTIAL_PROVIDER,
  EmailTaken,
  signUp,
  verifyCredentials,
} from "~/auth/credentials.server";
import { verifyPassword } from "~/auth/password.server";
import { signUpSchema } from "~/auth/validation";
import type { DatabaseHandle } from "~/db/client.server";
import { account, user } from "~/db/schema";
import { createTestDatabase } from "../support/database";
import { createUser, newEmail } from "../support/users";

// Email and password accounts: signing up, and checking an email and password.

let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const counts = async () => ({
  users: (await database.db.select().from(user)).length,
  accounts: (await database.db.select().from(account)).length,
});

describe("signing up", () => {
  it("creates an unverified user and a credential account holding the scrypt hash", async () => {
    const form = signUpSchema.parse({
      name: " Ada Lovelace ",
      email: " Ada.Signup@Example.TEST ",
      password: "analytical engine",
    });
    const { userId } = await signUp(database.db, form);

    const [row] = await database.db.select().from(user).where(eq(user.id, userId));
    expect(row).toMatchObject({
      name: "Ada Lovelace",
      email: "ada.signup@example.test",
      emailVerified: false,
      image: null,
    });
    const accounts = await database.db.select().from(account).where(eq(account.userId, userId));
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatchObject({
      providerId: CREDENTIAL_PROVIDER,
      accountId: userId,
      accessToken: null,
    });
    expect(CREDENTIAL_PROVIDER).toBe("credential");
    const stored = accounts[0]!.password!;
    expect(stored).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/);
    expect(stored).not.toContain("analytical");
    expect(await verifyPassword("analytical engine", stored)).toBe(true);
  });

  it("refuses an email that is taken in another case, writing nothing", async () => {
    const taken = await createUser(database.db, { email: newEmail("taken"), password: "first" });
    const before = await counts();
    await expect(
      signUp(database.db, {
        name: "Second",
        email: taken.email.toUpperCase(),
        password: "another password",
      }),
    ).rejects.toBeInstanceOf(EmailTaken);
    // Neither a second user nor an account without its user.
    expect(await counts()).toEqual(before);
    const accounts = await database.db
      .select()
      .from(account)
      .where(eq(account.providerId, CREDENTIAL_PROVIDER));
    const users = new Set((await database.db.select().from(user)).map((row) => row.id));
    expect(accounts.every((row) => users.has(row.userId))).toBe(true);
  });
});

describe("checking an email and password", () => {
  let ada: { id: string; email: string };
  let octo: { id: string; email: string };
  beforeAll(async () => {
    ada = await createUser(database.db, { email: newEmail("ada"), password: "right password" });
    octo = await createUser(database.db, { emailVerified: true, githubId: 4242 });
  });

  it("gives the user for the right password, whatever the email's case", async () => {
    expect(await verifyCredentials(database.db, ada.email, "right password")).toBe(ada.id);
    expect(await verifyCredentials(database.db, ada.email.toUpperCase(), "right password")).toBe(
      ada.id,
    );
  });

  it("gives null for a wrong password", async () => {
    expect(await verifyCredentials(database.db, ada.email, "wrong password")).toBeNull();
    expect(await verifyCredentials(database.db, ada.email, "Right password")).toBeNull();
  });

  it("gives null for an email with no account", async () => {
    expect(await verifyCredentials(database.db, newEmail("nobody"), "right password")).toBeNull();
  });

  it("gives null for a user who signs in with GitHub only and has no password", async () => {
    expect(await verifyCredentials(database.db, octo.email, "any password")).toBeNull();
  });
});
