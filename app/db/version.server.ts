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

/**
 * The version an edit form sent back, or null when it is not one: exactly the form's own
 * `toISOString()` shape, so that no date PostgreSQL cannot store (year +275760) reaches a query.
 */
export function parseVersion(value: FormDataEntryValue | null): Date | null {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value)) {
    return null;
  }
  const version = new Date(value);
  return Number.isNaN(version.getTime()) ? null : version;
}
