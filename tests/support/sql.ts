import type { SQL } from "drizzle-orm";
import type { Database } from "~/db/client.server";

/** Rows of a raw query; postgres.js returns an array, PGlite an object with `rows`. */
export async function queryRows<T>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
