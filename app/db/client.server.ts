import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { getConfig } from "~/config.server";
import { makeDirectory } from "~/directories.server";
import * as schema from "./schema";

/** The one Drizzle type the app sees, whichever engine is underneath. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  db: Database;
  engine: "postgres" | "pglite";
  migrate(): Promise<void>;
  close(): Promise<void>;
}

const migrationsFolder = path.resolve("drizzle");
// Any constant works; it only has to be the same for every instance of the app.
const migrationLockId = 4_380_300_972;

/**
 * Opens PostgreSQL when a URL is given, else PGlite in `pgliteDir`
 * ("memory://" for a throw-away in-memory database). With `statementTimeoutMs`, PostgreSQL
 * ends any statement of the app's that runs longer, and any transaction left idle that long.
 */
export function openDatabase(target: {
  url?: string;
  pgliteDir?: string;
  statementTimeoutMs?: number;
}): DatabaseHandle {
  if (target.url) return openPostgres(target.url, target.statementTimeoutMs ?? 0);
  return openPglite(target.pgliteDir ?? "memory://");
}

function openPostgres(url: string, statementTimeoutMs: number): DatabaseHandle {
  const options = {
    connect_timeout: 5,
    onnotice: () => {},
    connection: { TimeZone: "UTC" },
  };
  // Sent when each connection starts; migrations (and the wait for another instance's) are
  // exempt, as they may rightly take longer.
  const timeouts = {
    statement_timeout: statementTimeoutMs,
    idle_in_transaction_session_timeout: statementTimeoutMs,
  };
  const client = postgres(url, {
    ...options,
    connection: { ...options.connection, ...timeouts },
    max: 10,
  });
  return {
    db: drizzlePostgres(client, { schema }) as unknown as Database,
    engine: "postgres",
    async migrate() {
      // Several instances may start at once: one migrates, the others wait for it.
      const lockClient = postgres(url, { ...options, max: 1 });
      try {
        await lockClient`select pg_advisory_lock(${migrationLockId})`;
        await migratePostgres(drizzlePostgres(lockClient), {
          migrationsFolder,
        });
      } finally {
        await lockClient.end();
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}

function openPglite(dir: string): DatabaseHandle {
  if (!dir.startsWith("memory://")) makeDirectory(dir);
  const client = new PGlite(dir);
  const db = drizzlePglite(client, { schema });
  return {
    db: db as unknown as Database,
    engine: "pglite",
    async migrate() {
      await client.exec("SET TIME ZONE 'UTC'");
      await migratePglite(db, { migrationsFolder });
    },
    close: () => client.close(),
  };
}

/** A readable name for logs: the server's host and database (no credentials), or PGlite's directory. */
export function describeDatabase(target: { databaseUrl?: string; pgliteDir: string }): string {
  if (!target.databaseUrl) return `PGlite in ${target.pgliteDir}`;
  const { hostname, port, pathname } = new URL(target.databaseUrl);
  return `PostgreSQL at ${hostname}:${port || 5432}${pathname}`;
}

/** Answers within `timeoutMs` whether the database takes a query. */
export async function checkDatabase(
  db: Database,
  timeoutMs = 2000,
): Promise<{ ok: true; latencyMs: number } | { ok: false; error: string }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.execute(sql`select 1`),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("timed out")), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, error: describeDatabaseError(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** True for PostgreSQL's unique_violation, however the driver or Drizzle wrapped it. */
export function isUniqueViolation(error: unknown): boolean {
  return postgresCodeOf(error) === "23505";
}

/** A row it refers to was deleted meanwhile (by a concurrent request). */
export function isForeignKeyViolation(error: unknown): boolean {
  return postgresCodeOf(error) === "23503";
}

/** A value over one of PostgreSQL's limits, such as a tsvector larger than 1 MB. */
export function isProgramLimitExceeded(error: unknown): boolean {
  return postgresCodeOf(error) === "54000";
}

function postgresCodeOf(error: unknown): string | undefined {
  // Drizzle wraps driver errors; the driver's code is on the cause.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return (cause as { code?: string } | null)?.code;
}

/** One line for people: what went wrong reaching the database, without credentials. */
export function describeDatabaseError(error: unknown): string {
  // Drizzle wraps driver errors; the driver's code is on the cause.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: string }).code;
  const message = cause instanceof Error ? cause.message : String(cause);
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused (is PostgreSQL running and listening there?)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host not found";
    case "CONNECT_TIMEOUT":
    case "ETIMEDOUT":
      return "connection timed out";
    case "3D000":
      return "the database does not exist";
    case "28P01":
    case "28000":
      return "authentication failed";
    default:
      return message;
  }
}

// One handle per process, kept on globalThis so that dev-server reloads reuse it.
const globalForDb = globalThis as typeof globalThis & {
  __smtgDatabase?: DatabaseHandle;
};

export function getDatabaseHandle(): DatabaseHandle {
  const config = getConfig();
  globalForDb.__smtgDatabase ??= openDatabase({
    url: config.databaseUrl,
    pgliteDir: config.pgliteDir,
    statementTimeoutMs: config.limits.statementTimeoutMs,
  });
  return globalForDb.__smtgDatabase;
}

/** Makes `handle` the process's database; integration specs use it for a fresh test database. */
export function setDatabaseHandle(handle: DatabaseHandle): void {
  globalForDb.__smtgDatabase = handle;
}

/** The app's Drizzle handle. */
export function getDb(): Database {
  return getDatabaseHandle().db;
}

export async function closeDatabase(): Promise<void> {
  const handle = globalForDb.__smtgDatabase;
  globalForDb.__smtgDatabase = undefined;
  await handle?.close();
}
