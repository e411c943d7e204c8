import { randomBytes, scryptSync } from "node:crypto";
import { nanoid } from "nanoid";
import { CREDENTIAL_PROVIDER } from "~/auth/credentials.server";
import type { Database } from "~/db/client.server";
import { account, user } from "~/db/schema";

/**
 * A stored password in the app's format (`$scrypt$ln=…,r=…,p=…$<salt>$<hash>`), made here with
 * whatever parameters a spec asks for. The default, N=2^10, is the cheapest cost verifyPassword
 * accepts: a millisecond and 1 MiB instead of the real 0.3 s and 128 MiB, for specs that need a
 * user with a password but are not about hashing.
 */
export function scryptHash(
  password: string,
  { logN = 10, r = 8, p = 1, hashBytes = 32 } = {},
): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password.normalize("NFKC"), salt, hashBytes, {
    N: 2 ** logN,
    r,
    p,
    maxmem: 2 * 128 * 2 ** logN * r,
  });
  return `$scrypt$ln=${logN},r=${r},p=${p}$${salt.toString("base64url")}$${hash.toString("base64url")}`;
}

/** An address no other test of the file uses. */
export function newEmail(prefix = "user"): string {
  return `${prefix}-${nanoid(8)}@example.test`.toLowerCase();
}

/**
 * A user written straight to the database: with a password (a credential account holding a
 * cheap hash) and/or a GitHub account (`githubId`), as a spec needs.
 */
export async function createUser(
  db: Database,
  options: {
    email?: string;
    name?: string;
    emailVerified?: boolean;
    password?: string;
    githubId?: number;
  } = {},
): Promise<{ id: string; email: string }> {
  const id = nanoid();
  const email = options.email ?? newEmail();
  const now = new Date();
  await db.insert(user).values({
    id,
    name: options.name ?? "Test User",
    email,
    emailVerified: options.emailVerified ?? false,
    createdAt: now,
    updatedAt: now,
  });
  if (options.password !== undefined) {
    await db.insert(account).values({
      id: nanoid(),
      providerId: CREDENTIAL_PROVIDER,
      accountId: id,
      userId: id,
      password: scryptHash(options.password),
      createdAt: now,
      updatedAt: now,
    });
  }
  if (options.githubId !== undefined) {
    await db.insert(account).values({
      id: nanoid(),
      providerId: "github",
      accountId: String(options.githubId),
      userId: id,
      accessToken: null,
      createdAt: now,
      updatedAt: now,
    });
  }
  return { id, email };
}
