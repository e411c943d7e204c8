import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";
import { openDatabase, type DatabaseHandle } from "~/db/client.server";
import { withDatabase } from "./database-template";

const urls = new WeakMap<DatabaseHandle, string>();

/**
 * A fresh, migrated database for one spec file: a copy of the migrated template on PostgreSQL
 * (TEST_DATABASE_URL), or in-memory PGlite. `close()` drops it.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const url = process.env.TEST_DATABASE_URL;
  const template = inject("templateDatabase");
  if (!url || !template) {
    const handle = openDatabase({ pgliteDir: "memory://" });
    await handle.migrate();
    return handle;
  }

  const name = `smtg_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  const handle = openDatabase({ url: withDatabase(url, name) });
  const testHandle: DatabaseHandle = {
    ...handle,
    async close() {
      await handle.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
  urls.set(testHandle, withDatabase(url, name));
  return testHandle;
}

/**
 * A second connection pool to the same test database, as another app instance behind a load
 * balancer would have. Null on PGlite, whose in-memory database only one handle can open.
 * Close it before the test database.
 */
export function openAnotherInstance(handle: DatabaseHandle): DatabaseHandle | null {
  const url = urls.get(handle);
  return url ? openDatabase({ url }) : null;
}

/** The URL of a PostgreSQL test database, for an app process of its own; null on PGlite. */
export function databaseUrlOf(handle: DatabaseHandle): string | null {
  return urls.get(handle) ?? null;
}
