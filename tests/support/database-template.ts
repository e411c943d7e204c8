import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { openDatabase } from "~/db/client.server";

// With TEST_DATABASE_URL, every spec file gets a database copied from one migrated template,
// which is much faster than migrating each one. Without it, specs use in-memory PGlite.

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string | null;
  }
}

export async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    project.provide("templateDatabase", null);
    return;
  }
  const name = `smtg_template_${process.pid}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS "${name}"`);
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const template = openDatabase({ url: withDatabase(url, name) });
  await template.migrate();
  await template.close();
  project.provide("templateDatabase", name);

  return async () => {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
