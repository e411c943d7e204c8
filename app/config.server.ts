import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { describeFileError } from "~/directories.server";

// The only module that reads process.env. Every setting is validated once, at start-up.

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

/** "24h", "90m", "30s", "500ms", "2d", or a number of seconds; in milliseconds. */
export function parseDuration(value: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(value.trim());
  if (!match) return null;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? "s"]!;
  return Math.round(Number(match[1]) * unit);
}

const duration = z.string().transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === null || ms <= 0) {
    ctx.addIssue({ code: "custom", message: "must be a duration such as 30s, 15m or 24h" });
    return z.NEVER;
  }
  return ms;
});

const httpUrl = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
  .transform((value) => value.replace(/\/+$/, ""));

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce
    .number({ error: "must be a port number" })
    .int("must be a whole number")
    .min(1, "must be between 1 and 65535")
    .max(65535, "must be between 1 and 65535")
    .default(3000),
  APP_URL: optional(httpUrl),
  DATABASE_URL: optional(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// connection URL"),
  ),
  PGLITE_DIR: optional(z.string()).transform((dir) => path.resolve(dir ?? "data/pglite")),
  SESSION_SECRET: optional(z.string().min(32, "must be at least 32 characters long")),
  GITHUB_CLIENT_ID: optional(z.string()),
  GITHUB_CLIENT_SECRET: optional(z.string()),
  GITHUB_URL: optional(httpUrl).default("https://github.com"),
  GITHUB_API_URL: optional(httpUrl),
  GITHUB_SCOPES: optional(z.string()).default("read:user user:email"),
  GITHUB_SANDBOX: z
    .enum(["auto", "on", "off"], { error: "must be auto, on or off" })
    .default("auto"),
  PASSWORD_AUTH: z.enum(["on", "off"], { error: "must be on or off" }).default("on"),
  SMTP_URL: optional(z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" })),
  MAIL_FROM: optional(z.string()),
  WORKER: z.enum(["on", "off"], { error: "must be on or off" }).default("on"),
  PROCESSING_TIMEOUT: optional(duration).default(24 * 3_600_000),
  SUMMARY_PROVIDER: z
    .enum(["offline", "openai"], { error: "must be offline or openai" })
    .default("offline"),
  SUMMARY_API_URL: optional(httpUrl),
  SUMMARY_API_KEY: optional(z.string()),
  SUMMARY_MODEL: optional(z.string()),
  SUMMARY_TIMEOUT: optional(duration).default(60_000),
  CALL_EVENTS_SECRET: optional(
    z
      .string()
      .regex(
        /^whsec_[A-Za-z0-9+/]{32,}={0,2}$/,
        "must be a whsec_ secret: whsec_ and at least 24 random bytes in base64",
      ),
  ),
});

export interface Config {
  env: "development" | "production" | "test";
  port: number;
  appUrl: string;
  /**
   * APP_URL is a loopback address: the app is a developer's own, and its sandbox and dev
   * mailbox answer only requests from this machine.
   */
  loopback: boolean;
  secureCookies: boolean;
  databaseUrl: string | undefined;
  pgliteDir: string;
  sessionSecret: string;
  github: {
    /** No GITHUB_CLIENT_ID, on a loopback APP_URL (or GITHUB_SANDBOX=on): the stand-in at /_github. */
    sandbox: boolean;
    clientId: string;
    clientSecret: string;
    url: string;
    apiUrl: string;
    scopes: string[];
  } | null;
  /** Sign-up and sign-in with email and password (PASSWORD_AUTH, on by default). */
  passwordAuth: boolean;
  mail: {
    /** Where mail goes; without it mails are not sent (see devMailbox). */
    smtpUrl: string | undefined;
    from: string;
    /** No SMTP_URL on a loopback APP_URL: mails are logged and listed at /dev/mail. */
    devMailbox: boolean;
  };
  processing: {
    /** This process works the job queue (WORKER, on by default); it always sends jobs. */
    work: boolean;
    /** How long a processing meeting may wait for its transcript before the page says so. */
    timeoutMs: number;
  };
  summary: SummaryConfig;
  /** Signed call-provider events at POST /api/calls/events; null (the endpoint is off) without a secret. */
  callEvents: { secret: string } | null;
}

export type SummaryConfig =
  | { provider: "offline" }
  | {
      provider: "openai";
      apiUrl: string;
      apiKey: string | undefined;
      model: string;
      timeoutMs: number;
    };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

export const githubCallbackPath = "/auth/github/callback";
export const sandboxGitHubPath = "/_github";
export const sandboxClient = {
  clientId: "sandbox-client",
  clientSecret: "sandbox-secret",
};

export function parseConfig(
  env: Record<string, string | undefined>,
  readSecret: (dataDir: string) => string = readOrCreateSessionSecret,
): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`),
    );
  }
  const e = parsed.data;
  const appUrl = e.APP_URL ?? `http://localhost:${e.PORT}`;

  let github: Config["github"] = null;
  if (e.GITHUB_CLIENT_ID) {
    if (!e.GITHUB_CLIENT_SECRET) {
      throw new ConfigError(["GITHUB_CLIENT_SECRET is required when GITHUB_CLIENT_ID is set"]);
    }
    github = {
      sandbox: false,
      clientId: e.GITHUB_CLIENT_ID,
      clientSecret: e.GITHUB_CLIENT_SECRET,
      url: e.GITHUB_URL,
      apiUrl:
        e.GITHUB_API_URL ??
        (e.GITHUB_URL === "https://github.com"
          ? "https://api.github.com"
          : `${e.GITHUB_URL}/api/v3`),
      scopes: e.GITHUB_SCOPES.split(/[\s,]+/).filter(Boolean),
    };
  } else if (e.GITHUB_SANDBOX === "on" || (e.GITHUB_SANDBOX === "auto" && isLoopback(appUrl))) {
    const base = `${appUrl}${sandboxGitHubPath}`;
    github = {
      sandbox: true,
      ...sandboxClient,
      url: base,
      apiUrl: `${base}/api/v3`,
      scopes: e.GITHUB_SCOPES.split(/[\s,]+/).filter(Boolean),
    };
  }

  let summary: SummaryConfig = { provider: "offline" };
  if (e.SUMMARY_PROVIDER === "openai") {
    const missing = (["SUMMARY_API_URL", "SUMMARY_MODEL"] as const).filter((name) => !e[name]);
    if (missing.length > 0) {
      throw new ConfigError(
        missing.map((name) => `${name} is required when SUMMARY_PROVIDER=openai`),
      );
    }
    summary = {
      provider: "openai",
      apiUrl: e.SUMMARY_API_URL!,
      apiKey: e.SUMMARY_API_KEY,
      model: e.SUMMARY_MODEL!,
      timeoutMs: e.SUMMARY_TIMEOUT,
    };
  }

  return {
    env: e.NODE_ENV,
    port: e.PORT,
    appUrl,
    loopback: isLoopback(appUrl),
    secureCookies: appUrl.startsWith("https://"),
    databaseUrl: e.DATABASE_URL,
    pgliteDir: e.PGLITE_DIR,
    sessionSecret: e.SESSION_SECRET ?? readSecret(path.dirname(e.PGLITE_DIR)),
    github,
    passwordAuth: e.PASSWORD_AUTH === "on",
    mail: {
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM ?? `SMTG Notion <no-reply@${new URL(appUrl).hostname}>`,
      devMailbox: !e.SMTP_URL && isLoopback(appUrl),
    },
    processing: { work: e.WORKER === "on", timeoutMs: e.PROCESSING_TIMEOUT },
    summary,
    callEvents: e.CALL_EVENTS_SECRET ? { secret: e.CALL_EVENTS_SECRET } : null,
  };
}

/**
 * The GitHub sandbox and the dev mailbox expose what a deployment must not (invented
 * identities, other people's mail), so by default they only run on a loopback address.
 */
function isLoopback(appUrl: string): boolean {
  const host = new URL(appUrl).hostname;
  return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Without SESSION_SECRET a secret is made once and kept beside the embedded database. */
function readOrCreateSessionSecret(dataDir: string): string {
  const file = path.join(dataDir, "session-secret");
  if (existsSync(file)) {
    const stored = readFileSync(file, "utf8").trim();
    if (stored.length >= 32) return stored;
  }
  const secret = randomBytes(32).toString("base64url");
  try {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  } catch (error) {
    throw new ConfigError([
      `SESSION_SECRET is not set and ${file} cannot be written (${describeFileError(error)}): set SESSION_SECRET or choose another PGLITE_DIR`,
    ]);
  }
  console.warn(
    `SESSION_SECRET is not set: generated one and stored it in ${file}. ` +
      "Set SESSION_SECRET (the same on every instance) when you deploy.",
  );
  return secret;
}

let loaded: Config | undefined;

/** The configuration of this process, read from the environment on first use. */
export function getConfig(): Config {
  loaded ??= parseConfig(process.env);
  return loaded;
}
