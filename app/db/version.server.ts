import { sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/*
 * A record's version is its updatedAt, as the browser sees it: to the millisecond. An edit
 * form carries the version it was loaded from, and the save succeeds only if it still matches.
 */

/** True while the record is still at `expected`. */
export function isVersion(updatedAt: PgColumn, expected: Date): SQL {
  return sql`date_trunc('milliseconds', ${updatedAt}) = ${expected.toISOString()}::timestamp`;
}

/**
 * The updatedAt of a save: now, but always at least a millisecond past the version it
 * replaces, so two saves within one millisecond (or on a clock behind) never share a version.
 */
export function nextVersion(updatedAt: PgColumn): SQL {
  return sql`greatest(now() at time zone 'utc', date_trunc('milliseconds', ${updatedAt}) + interval '1 millisecond')`;
}
