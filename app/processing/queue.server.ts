import type { PGlite } from "@electric-sql/pglite";
import PgBoss from "pg-boss";
import type { DatabaseHandle } from "~/db/client.server";

// The job queue: pg-boss on the app's own database. On PostgreSQL it opens a small pool of its
// own (its tables live in the "pgboss" schema), so any number of web and worker processes share
// one queue, and a job goes to exactly one of them (FOR UPDATE SKIP LOCKED). On PGlite, which
// only this process can open, it runs its SQL through the app's PGlite.

export const JOB_SCHEMA = "pgboss";
/** How long a stopping process waits for the job in hand before handing it back. */
export const SHUTDOWN_GRACE_MS = 20_000;

export type JobQueue = PgBoss;
export type { PgBoss };

/**
 * pg-boss's `db` option over PGlite. pg-boss sends its migrations as several statements in one
 * parameterless query, which only `exec` (the simple protocol) accepts; everything with
 * parameters goes through `query`.
 */
export function pgliteJobDatabase(pglite: PGlite): PgBoss.Db {
  return {
    async executeSql(text: string, values?: unknown[]) {
      if (!values || values.length === 0) {
        const results = await pglite.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      }
      const result = await pglite.query(text, values);
      return { rows: result.rows };
    },
  };
}

/** Starts pg-boss on the database behind `handle`, creating or migrating its tables. */
export async function openJobQueue(
  handle: DatabaseHandle,
  options: { pollingIntervalSeconds?: number } = {},
): Promise<JobQueue> {
  const common = {
    schema: JOB_SCHEMA,
    // No cron schedules: a meeting's waiting time is judged when its page is read.
    schedule: false,
    // Jobs of workers that died are failed (and retried) after their expiry by maintenance.
    supervise: true,
    maintenanceIntervalSeconds: 60,
    // pg-boss checks the key's presence, so it is left out rather than undefined.
    ...(options.pollingIntervalSeconds
      ? { pollingIntervalSeconds: options.pollingIntervalSeconds }
      : {}),
  };
  let boss: PgBoss;
  if (handle.pglite) {
    boss = new PgBoss({ ...common, db: pgliteJobDatabase(handle.pglite) });
  } else if (handle.url) {
    boss = new PgBoss({
      ...common,
      connectionString: handle.url,
      max: 4,
      application_name: "smtg-notion-jobs",
      // pg's pool options, passed through: no call to the database waits forever.
      ...({ connectionTimeoutMillis: 5000, query_timeout: 30_000 } as object),
    });
  } else {
    throw new Error("The job queue needs PostgreSQL or PGlite");
  }
  // pg-boss reports failed polls and maintenance as events; unheard, an "error" event would
  // end the process.
  boss.on("error", (error) => console.error(`Job queue: ${describeQueueError(error)}`));
  await boss.start();
  return boss;
}

function describeQueueError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error && "message" in error) return String(error.message);
  return String(error);
}

/**
 * Stops taking jobs, waits up to `graceMs` for the jobs in hand, then hands back those still
 * running (pg-boss fails them, so they are retried, by this process or another).
 */
export async function closeJobQueue(queue: JobQueue, graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
  await queue.stop({ graceful: true, wait: true, timeout: graceMs });
}
