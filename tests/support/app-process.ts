import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./ports";

// The whole app as it runs for people: `node server.js` in a process of its own (Vite in
// development, or the build with `production`), reached over real HTTP.

export interface AppProcess {
  url: string;
  pid: number;
  /** Everything the app wrote to stdout and stderr so far, line by line. */
  output: string[];
  stop(): Promise<void>;
}

/**
 * Starts the app with `env` (on a fresh PGlite directory unless DATABASE_URL is given) and
 * waits until /healthz answers. Only PATH and HOME come from this process's environment, so a
 * test runner's variables (VITEST, NODE_ENV) do not change how the app runs.
 */
export async function startApp(
  options: { env?: Record<string, string>; production?: boolean; timeoutMs?: number } = {},
): Promise<AppProcess> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    PORT: String(port),
    APP_URL: url,
    PGLITE_DIR: path.join(mkdtempSync(path.join(tmpdir(), "smtg-app-")), "pglite"),
    SESSION_SECRET: "app-process-session-secret-that-is-long-enough-0123",
    GITHUB_SANDBOX: "off",
    ...options.env,
  };
  const args = ["server.js", ...(options.production ? ["--production"] : [])];
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let rest = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop() ?? "";
      output.push(...lines);
    });
  }
  const app = { url, pid: child.pid!, output, stop: () => stop(child) };
  try {
    await waitUntilHealthy(child, url, options.timeoutMs ?? 150_000);
  } catch (error) {
    await app.stop();
    throw new Error(`${(error as Error).message}\n${output.join("\n")}`, { cause: error });
  }
  return app;
}

async function waitUntilHealthy(child: ChildProcess, url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The app exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The app did not answer /healthz within ${timeoutMs} ms`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(force);
}
