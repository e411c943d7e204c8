import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";
import { openDatabase, type DatabaseHandle } from "~/db/client.server";
import { withDatabase } from "./database-template";

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
  return {
    ...handle,
    async close() {
      await handle.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
