// `npm run db:migrate`: applies the migrations in drizzle/ to the configured database.
import { ConfigError, getConfig } from "~/config.server";
import {
  closeDatabase,
  describeDatabase,
  describeDatabaseError,
  getDatabaseHandle,
} from "./client.server";

try {
  const database = describeDatabase(getConfig());
  try {
    await getDatabaseHandle().migrate();
    console.log(`Migrations applied to ${database}.`);
  } catch (error) {
    console.error(`Cannot migrate ${database}: ${describeDatabaseError(error)}`);
    process.exitCode = 1;
  } finally {
    await closeDatabase();
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`Invalid configuration: ${error.problems.join("; ")}`);
  process.exitCode = 1;
}
