// `npm run db:migrate`: applies the migrations in drizzle/ to the configured database.
import { ConfigError } from "~/config.server";
import { closeDatabase, describeDatabaseError, getDatabaseHandle } from "./client.server";

try {
  const database = getDatabaseHandle();
  try {
    await database.migrate();
    console.log(`Migrations applied to ${database.description}.`);
  } catch (error) {
    console.error(`Cannot migrate ${database.description}: ${describeDatabaseError(error)}`);
    process.exitCode = 1;
  } finally {
    await closeDatabase();
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`Invalid configuration: ${error.problems.join("; ")}`);
  process.exitCode = 1;
}
