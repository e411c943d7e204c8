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

  it("takes transcripts of up to 10 MiB and fetches them from private addresses only on a loopback APP_URL or when told", () => {
    expect(parseConfig(base).transcripts).toEqual({
      maxBytes: 10 * 1024 * 1024,
      fetchPrivateAddresses: true,
    });
    const deployed = { ...base, APP_URL: "https://notion.example.com" };
    expect(parseConfig(deployed).transcripts).toEqual({
      maxBytes: 10 * 1024 * 1024,
      fetchPrivateAddresses: false,
    });
    expect(
      parseConfig({ ...deployed, FETCH_PRIVATE_ADDRESSES: "on", TRANSCRIPT_MAX_BYTES: "2048" })
        .transcripts,
    ).toEqual({ maxBytes: 2048, fetchPrivateAddresses: true });
    expect(problemsOf({ ...base, TRANSCRIPT_MAX_BYTES: "10MB" })).toEqual([
      "TRANSCRIPT_MAX_BYTES must be a number of bytes",
    ]);
    expect(problemsOf({ ...base, FETCH_PRIVATE_ADDRESSES: "yes" })).toEqual([
      "FETCH_PRIVATE_ADDRESSES must be on or off",
    ]);
  });
});
