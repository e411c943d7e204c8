import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The GitHub sandbox is production code, but a deployment with a real GitHub never loads it:
// app/server.ts imports it dynamically, only when the sandbox is on. Each case starts the app
// in a process of its own and records every module that process loads.

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), "smtg-modules-"));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function modulesLoadedByStart(name: string, env: Record<string, string>) {
  const record = path.join(folder, `${name}.txt`);
  const script =
    'const { start } = await import("./app/server.ts");' +
    "const { shutdown } = await start(); await shutdown();";
  await promisify(execFile)(
    process.execPath,
    [
      "--import",
      "tsx",
      "--import",
      "./tests/support/record-modules.mjs",
      "--input-type=module",
      "-e",
      script,
    ],
    {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        RECORD_MODULES_TO: record,
        APP_URL: "http://127.0.0.1:3999",
        PGLITE_DIR: path.join(folder, name, "pglite"),
        SESSION_SECRET: "test-session-secret-that-is-long-enough-0123456789",
        ...env,
      },
      timeout: 60_000,
    },
  );
  return (await readFile(record, "utf8")).split("\n").filter(Boolean);
}

const sandboxModules = (urls: string[]) => urls.filter((url) => url.includes("/app/sandbox/"));

// Each case starts a Node process that migrates a PGlite database: seconds, more on a busy machine.
describe("loading the GitHub sandbox", { timeout: 120_000 }, () => {
  it("never imports the sandbox when a GitHub client id is configured", async () => {
    const loaded = await modulesLoadedByStart("real-github", {
      GITHUB_CLIENT_ID: "real-client-id",
      GITHUB_CLIENT_SECRET: "real-client-secret",
    });
    expect(loaded.some((url) => url.endsWith("/app/server.ts"))).toBe(true);
    expect(sandboxModules(loaded)).toEqual([]);
  });

  it("imports it when the sandbox is on", async () => {
    const loaded = await modulesLoadedByStart("sandbox", { GITHUB_SANDBOX: "on" });
    expect(sandboxModules(loaded)).toContainEqual(
      expect.stringMatching(/\/app\/sandbox\/github\/server\.ts$/),
    );
  });
});
