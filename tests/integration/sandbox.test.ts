import { mkdtemp } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { GitHubIdentity } from "~/auth/github.server";
import { SignInRefused, signInWithGitHub } from "~/auth/sign-in.server";
import { setDatabaseHandle, type DatabaseHandle } from "~/db/client.server";
import { account } from "~/db/schema";
import { stopProcessing } from "~/processing/processing.server";
import { start } from "~/server";
import { createTestDatabase } from "../support/database";
import { createUser } from "../support/users";

// `npm start` without GITHUB_CLIENT_ID on a loopback APP_URL: the app serves the GitHub
// stand-in itself at /_github, so a newcomer can sign in at once.

let database: DatabaseHandle;
let server: Server;
let base: string;

beforeAll(async () => {
  database = await createTestDatabase();
  setDatabaseHandle(database);
  Object.assign(process.env, {
    GITHUB_SANDBOX: "auto",
    APP_URL: "http://127.0.0.1:3999",
    // The sandbox keeps its users beside the embedded database's directory.
    PGLITE_DIR: path.join(await mkdtemp(path.join(tmpdir(), "smtg-sandbox-")), "pglite"),
  });
  delete process.env.GITHUB_CLIENT_ID;
  const { app, log } = await start();
  expect(log).toContainEqual(
    expect.stringMatching(/^GitHub: local sandbox at http:\/\/127\.0\.0\.1:3999\/_github/),
  );
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/_github`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  // start() also started the job queue on the test database.
  await stopProcessing(1000);
  await database.close();
});

describe("the GitHub sandbox", () => {
  it("serves the authorization page for the sandbox client", async () => {
    const params = new URLSearchParams({
      client_id: "sandbox-client",
      redirect_uri: "http://127.0.0.1:3999/auth/github/callback",
      scope: "read:user user:email",
      state: "s",
    });
    const response = await fetch(`${base}/login/oauth/authorize?${params}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Authorize");
  });

  it("speaks the REST API under /api/v3", async () => {
    const response = await fetch(`${base}/api/v3/user`);
    expect(response.status).toBe(401);
  });

  it("does not expose the stand-in's unauthenticated control API", async () => {
    const response = await fetch(`${base}/_stand-in/users`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ login: "intruder" }),
    });
    expect(response.status).toBe(404);
  });
});

describe("a sandbox identity", () => {
  it("with the address of an existing account is refused, not signed in to that account", async () => {
    // Anyone can invent a sandbox user with any address ticked as verified.
    const dana = await createUser(database.db, { email: "dana@example.test", emailVerified: true });
    const invented: GitHubIdentity = {
      profile: { id: 31337, login: "mallory", name: null, avatar_url: `${base}/avatars/m.svg` },
      emails: [{ email: "dana@example.test", verified: true, primary: true }],
      tokens: {
        accessToken: "t",
        refreshToken: null,
        accessTokenExpiresAt: null,
        refreshTokenExpiresAt: null,
        scope: null,
      },
    };
    await expect(
      signInWithGitHub(database.db, invented, { ipAddress: null, userAgent: null }),
    ).rejects.toEqual(new SignInRefused("sandbox_email_in_use"));
    const githubRows = await database.db.select().from(account).where(eq(account.userId, dana.id));
    expect(githubRows).toEqual([]);
  });
});
