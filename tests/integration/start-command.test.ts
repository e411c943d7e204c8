import { spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/ports";

// `npm start` (node server.js --production) as a user runs it, in a copy of the project made
// for this spec, so that builds and data stay out of the checkout.

const checkout = path.resolve(".");
const copied = [
  "app",
  "public",
  "drizzle",
  "server.js",
  "package.json",
  "package-lock.json",
  "react-router.config.ts",
  "vite.config.ts",
  "tsconfig.json",
];
let project: string;

beforeAll(async () => {
  project = await mkdtemp(path.join(tmpdir(), "smtg-start-"));
  for (const entry of copied) {
    await cp(path.join(checkout, entry), path.join(project, entry), { recursive: true });
  }
  await symlink(path.join(checkout, "node_modules"), path.join(project, "node_modules"), "dir");
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

interface Started {
  output: string;
  url: string;
  stop(): Promise<void>;
}

/** Runs `node server.js --production` until it serves, or until it exits (then throws its output). */
async function npmStart(env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, ["server.js", "--production"], {
    cwd: project,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      APP_URL: `http://127.0.0.1:${port}`,
      SESSION_SECRET: "test-session-secret-that-is-long-enough-0123456789",
      GITHUB_SANDBOX: "off",
      ...env,
    },
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const serving = new Promise<void>((resolve) => {
    const check = () => (output.includes("is running at") ? resolve() : undefined);
    child.stdout.on("data", check);
  });
  const first = await Promise.race([serving.then(() => "serving" as const), exited]);
  if (first !== "serving") throw new StartFailed(first, output);
  return {
    get output() {
      return output;
    },
    url: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

class StartFailed extends Error {
  constructor(
    readonly code: number | null,
    readonly output: string,
  ) {
    super(`npm start exited with ${code}:\n${output}`);
  }
}

async function titleOf(url: string): Promise<string | undefined> {
  const html = await (await fetch(url)).text();
  return /<title>([^<]*)<\/title>/.exec(html)?.[1];
}

// Builds take seconds to a minute on a loaded machine.
describe("npm start", { timeout: 240_000 }, () => {
  it("rebuilds when a route changed since the last build, and serves the change", async () => {
    const pglite = path.join(project, "data", "pglite");
    const first = await npmStart({ PGLITE_DIR: pglite });
    await first.stop();
    expect(first.output).toContain("No build found: building the app first");

    const login = path.join(project, "app/routes/auth/login.tsx");
    const source = await readFile(login, "utf8");
    expect(source).toContain('"Sign in · SMTG Notion"');
    await writeFile(
      login,
      source.replace('"Sign in · SMTG Notion"', '"Welcome back · SMTG Notion"'),
    );

    const second = await npmStart({ PGLITE_DIR: pglite });
    try {
      expect(second.output).toContain("The sources changed since the last build");
      expect(await titleOf(`${second.url}/login`)).toBe("Welcome back · SMTG Notion");
    } finally {
      await second.stop();
    }

    // Unchanged sources: the build is current, so no second build.
    const third = await npmStart({ PGLITE_DIR: pglite });
    await third.stop();
    expect(third.output).not.toMatch(/building the app/);
  });

  it("creates a PGLITE_DIR whose parent folders do not exist yet", async () => {
    const nested = path.join(project, "not", "there", "yet", "pglite");
    const started = await npmStart({ PGLITE_DIR: nested });
    try {
      const health = await fetch(`${started.url}/healthz`);
      expect(health.status).toBe(200);
      expect(started.output).toContain(`Database: PGlite in ${nested}`);
    } finally {
      await started.stop();
    }
  });

  it("stops with one line naming a PGLITE_DIR that cannot be created, and why", async () => {
    const file = path.join(project, "a-file");
    await writeFile(file, "in the way\n");
    const dir = path.join(file, "pglite");
    const failure = await npmStart({ PGLITE_DIR: dir }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(StartFailed);
    expect((failure as StartFailed).code).toBe(1);
    const lines = (failure as StartFailed).output.trim().split("\n");
    expect(lines).toEqual([
      `Cannot use the database (PGlite in ${dir}): cannot create ${dir}: a file is in the way. Check PGLITE_DIR.`,
    ]);
  });

  it("says so in one line when SESSION_SECRET is unset and its file cannot be written", async () => {
    const file = path.join(project, "another-file");
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, "in the way\n");
    const failure = await npmStart({
      PGLITE_DIR: path.join(file, "pglite"),
      SESSION_SECRET: "",
    }).then(
      () => null,
      (error: unknown) => error,
    );
    expect((failure as StartFailed).code).toBe(1);
    expect((failure as StartFailed).output.trim().split("\n")).toEqual([
      `Invalid configuration: SESSION_SECRET is not set and ${path.join(file, "session-secret")} cannot be written (a file is in the way): set SESSION_SECRET or choose another PGLITE_DIR`,
    ]);
  });
});
