import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { describeFileError } from "~/directories.server";

// The only module that reads process.env. Every setting is validated once, at start-up.

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

/** A whole number of milliseconds (or bytes) above zero. */
const positive = z.coerce
  .number({ error: "must be a number" })
  .int("must be a whole number")
  .min(1, "must be at least 1");

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
  TRANSCRIPT_MAX_BYTES: optional(
    z.coerce
      .number({ error: "must be a number of bytes" })
      .int("must be a whole number of bytes")
      .min(1024, "must be at least 1024 bytes"),
  ).default(10 * 1024 * 1024),
  FETCH_PRIVATE_ADDRESSES: z.enum(["on", "off"], { error: "must be on or off" }).default("off"),
  FORM_MAX_BYTES: optional(positive).default(1024 * 1024),
  DATABASE_STATEMENT_TIMEOUT: optional(positive).default(5_000),
  REQUEST_DEADLINE: optional(positive).default(15_000),
  REQUEST_RECEIVE_TIMEOUT: optional(positive).default(30_000),
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
  transcripts: {
    /** The largest transcript file or download taken (TRANSCRIPT_MAX_BYTES, 10 MiB by default). */
    maxBytes: number;
    /**
     * Transcript URLs may lead to loopback, private and link-local addresses: on a loopback
     * APP_URL, or with FETCH_PRIVATE_ADDRESSES=on (a call provider on the private network).
     */
    fetchPrivateAddresses: boolean;
  };
  limits: {
    /** The largest form body an action reads (FORM_MAX_BYTES); larger ones are answered 413. */
    formMaxBytes: number;
    /** PostgreSQL's statement_timeout for the app's connections (DATABASE_STATEMENT_TIMEOUT). */
    statementTimeoutMs: number;
    /** A page that has not answered by then answers 503 (REQUEST_DEADLINE). */
    requestDeadlineMs: number;
    /** How long a client may take to send a whole request (REQUEST_RECEIVE_TIMEOUT). */
    receiveTimeoutMs: number;
  };
}

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
    transcripts: {
      maxBytes: e.TRANSCRIPT_MAX_BYTES,
      fetchPrivateAddresses: e.FETCH_PRIVATE_ADDRESSES === "on" || isLoopback(appUrl),
    },
    limits: {
      formMaxBytes: e.FORM_MAX_BYTES,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT,
      requestDeadlineMs: e.REQUEST_DEADLINE,
      receiveTimeoutMs: e.REQUEST_RECEIVE_TIMEOUT,
    },
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
