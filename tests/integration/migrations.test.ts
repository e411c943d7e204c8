import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);

it("has committed migrations that match app/db/schema.ts (drizzle-kit has nothing to generate)", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "smtg-migrations-"));
  try {
    await cp("drizzle", path.join(dir, "drizzle"), { recursive: true });
    const before = await readdir(path.join(dir, "drizzle"));
    const config = path.join(dir, "drizzle.config.mjs");
    await writeFile(
      config,
      `export default ${JSON.stringify({
        dialect: "postgresql",
        schema: path.resolve("app/db/schema.ts"),
        // drizzle-kit resolves "out" against the working directory.
        out: path.relative(process.cwd(), path.join(dir, "drizzle")),
      })};\n`,
    );
    const { stdout, stderr } = await run("npx", ["drizzle-kit", "generate", "--config", config], {
      env: { ...process.env, CI: "true" },
    });
    expect(stdout + stderr).toContain("No schema changes, nothing to migrate");
    expect(await readdir(path.join(dir, "drizzle"))).toEqual(before);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 60_000);
