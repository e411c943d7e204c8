import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { ConfigError, parseConfig } from "./config.server";

const secret = "x".repeat(32);
const base = { SESSION_SECRET: secret };

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("configuration", () => {
  it("has working defaults: port 3000, localhost APP_URL, PGlite in ./data, the GitHub sandbox", () => {
    const config = parseConfig(base);
    expect(config.port).toBe(3000);
    expect(config.appUrl).toBe("http://localhost:3000");
    expect(config.databaseUrl).toBeUndefined();
    expect(config.pgliteDir).toBe(path.resolve("data/pglite"));
    expect(config.secureCookies).toBe(false);
    expect(config.github).toMatchObject({
      sandbox: true,
      url: "http://localhost:3000/_github",
      apiUrl: "http://localhost:3000/_github/api/v3",
      scopes: ["read:user", "user:email"],
    });
  });

  it("derives APP_URL from PORT and uses Secure cookies for an https APP_URL", () => {
    expect(parseConfig({ ...base, PORT: "8080" }).appUrl).toBe("http://localhost:8080");
    const config = parseConfig({ ...base, APP_URL: "https://notion.example.com/" });
    expect(config.appUrl).toBe("https://notion.example.com");
    expect(config.secureCookies).toBe(true);
  });

  it("names the variable and the problem for a bad value", () => {
    expect(problemsOf({ ...base, PORT: "eighty" })).toEqual(["PORT must be a port number"]);
    expect(problemsOf({ ...base, PORT: "70000" })).toEqual(["PORT must be between 1 and 65535"]);
    expect(problemsOf({ ...base, APP_URL: "ftp://x" })).toEqual(["APP_URL must be an http(s) URL"]);
    expect(problemsOf({ ...base, DATABASE_URL: "mysql://x" })).toEqual([
      "DATABASE_URL must be a postgres:// or postgresql:// connection URL",
    ]);
    expect(problemsOf({ SESSION_SECRET: "short" })).toEqual([
      "SESSION_SECRET must be at least 32 characters long",
    ]);
    expect(problemsOf({ ...base, GITHUB_CLIENT_ID: "id" })).toEqual([
      "GITHUB_CLIENT_SECRET is required when GITHUB_CLIENT_ID is set",
    ]);
  });

  it("uses real GitHub endpoints with a client id, and GITHUB_URL/api/v3 for Enterprise", () => {
    const github = { ...base, GITHUB_CLIENT_ID: "id", GITHUB_CLIENT_SECRET: "s" };
    expect(parseConfig(github).github).toMatchObject({
      sandbox: false,
      url: "https://github.com",
      apiUrl: "https://api.github.com",
    });
    expect(parseConfig({ ...github, GITHUB_URL: "https://ghe.example.com" }).github).toMatchObject({
      url: "https://ghe.example.com",
      apiUrl: "https://ghe.example.com/api/v3",
    });
    expect(
      parseConfig({ ...github, GITHUB_SCOPES: "read:user user:email repo" }).github?.scopes,
    ).toEqual(["read:user", "user:email", "repo"]);
  });

  it("turns GitHub off without a client id when the sandbox is off", () => {
    expect(parseConfig({ ...base, GITHUB_SANDBOX: "off" }).github).toBeNull();
  });

  it("runs the sandbox by default only on a loopback APP_URL", () => {
    const publicUrl = { ...base, APP_URL: "https://notion.example.com" };
    expect(parseConfig(publicUrl).github).toBeNull();
    expect(parseConfig({ ...publicUrl, GITHUB_SANDBOX: "on" }).github?.sandbox).toBe(true);
    expect(parseConfig({ ...base, APP_URL: "http://127.0.0.1:3000" }).github?.sandbox).toBe(true);
  });

  it("generates a session secret once, stores it in the data directory and warns", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "smtg-config-"));
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const env = { PGLITE_DIR: path.join(dir, "pglite") };
    const first = parseConfig(env).sessionSecret;
    const second = parseConfig(env).sessionSecret;
    expect(first).toHaveLength(43);
    expect(second).toBe(first);
    expect(readFileSync(path.join(dir, "session-secret"), "utf8").trim()).toBe(first);
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });

  it("works the job queue by default, with a 24-hour wait for transcripts and the offline summariser", () => {
    const config = parseConfig(base);
    expect(config.processing).toEqual({ work: true, timeoutMs: 24 * 3_600_000 });
    expect(config.summary).toEqual({ provider: "offline" });
    expect(config.callEvents).toBeNull();
    expect(parseConfig({ ...base, WORKER: "off" }).processing.work).toBe(false);
    expect(parseConfig({ ...base, PROCESSING_TIMEOUT: "90m" }).processing.timeoutMs).toBe(
      5_400_000,
    );
    expect(parseConfig({ ...base, PROCESSING_TIMEOUT: "3600" }).processing.timeoutMs).toBe(
      3_600_000,
    );
  });

  it("asks for the model server's address and model with SUMMARY_PROVIDER=openai", () => {
    expect(problemsOf({ ...base, SUMMARY_PROVIDER: "openai" })).toEqual([
      "SUMMARY_API_URL is required when SUMMARY_PROVIDER=openai",
      "SUMMARY_MODEL is required when SUMMARY_PROVIDER=openai",
    ]);
    const config = parseConfig({
      ...base,
      SUMMARY_PROVIDER: "openai",
      SUMMARY_API_URL: "http://127.0.0.1:11434/v1/",
      SUMMARY_MODEL: "llama3.1",
      SUMMARY_TIMEOUT: "2m",
    });
    expect(config.summary).toEqual({
      provider: "openai",
      apiUrl: "http://127.0.0.1:11434/v1",
      apiKey: undefined,
      model: "llama3.1",
      timeoutMs: 120_000,
    });
  });

  it("names bad processing, summary and call-event settings", () => {
    expect(problemsOf({ ...base, WORKER: "maybe" })).toEqual(["WORKER must be on or off"]);
    expect(problemsOf({ ...base, PROCESSING_TIMEOUT: "soon" })).toEqual([
      "PROCESSING_TIMEOUT must be a duration such as 30s, 15m or 24h",
    ]);
    expect(problemsOf({ ...base, SUMMARY_PROVIDER: "magic" })).toEqual([
      "SUMMARY_PROVIDER must be offline or openai",
    ]);
    expect(problemsOf({ ...base, CALL_EVENTS_SECRET: "secret" })).toEqual([
      "CALL_EVENTS_SECRET must be a whsec_ secret: whsec_ and at least 24 random bytes in base64",
    ]);
    const secret = `whsec_${Buffer.alloc(24, 7).toString("base64")}`;
    expect(parseConfig({ ...base, CALL_EVENTS_SECRET: secret }).callEvents).toEqual({ secret });
  });
});
