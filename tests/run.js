// `npm test`: unit and integration specs (Vitest), then e2e specs (Playwright), and one
// closing line with the totals of all suites. `npm test -- integration` runs only some suites.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import postgres from "postgres";

const known = ["unit", "integration", "e2e"];
// `npm test -- e2e -- --project=js tests/e2e/auth.spec.ts`: what follows a second "--" goes to
// Playwright as it is.
const args = process.argv.slice(2);
const split = args.indexOf("--");
const requested = split === -1 ? args : args.slice(0, split);
const playwrightArgs = split === -1 ? [] : args.slice(split + 1);
const unknown = requested.filter((suite) => !known.includes(suite));
if (unknown.length > 0) {
  console.error(`Unknown suite: ${unknown.join(", ")} (choose from ${known.join(", ")})`);
  process.exit(2);
}
const suites = requested.length > 0 ? requested : known;
const totals = { passed: 0, failed: 0, skipped: 0 };
mkdirSync(".cache", { recursive: true });

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  return result.status === 0;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

const vitestProjects = suites.filter((suite) => suite !== "e2e");
if (vitestProjects.length > 0) {
  const report = ".cache/vitest.json";
  rmSync(report, { force: true });
  const ok = run("npx", [
    "vitest",
    "run",
    ...vitestProjects.flatMap((project) => ["--project", project]),
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
  ]);
  const json = readJson(report);
  if (json) {
    totals.passed += json.numPassedTests;
    totals.failed += json.numFailedTests;
    totals.skipped += json.numPendingTests + json.numTodoTests;
  }
  // A crash or a failing file outside any test still has to fail the run.
  if (!ok && (!json || json.numFailedTests === 0)) totals.failed += 1;
}

if (suites.includes("e2e")) {
  if (!ensureChromium() || !run("npx", ["react-router", "build"])) {
    totals.failed += 1;
  } else {
    await withE2eDatabase(async (env) => {
      const report = ".cache/playwright.json";
      rmSync(report, { force: true });
      const ok = run("npx", ["playwright", "test", ...playwrightArgs], env);
      const stats = readJson(report)?.stats;
      if (stats) {
        totals.passed += stats.expected;
        totals.failed += stats.unexpected + stats.flaky;
        totals.skipped += stats.skipped;
      }
      if (!ok && (!stats || stats.unexpected + stats.flaky === 0)) totals.failed += 1;
    });
  }
}

const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : "";
console.log(`${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exit(totals.failed > 0 ? 1 : 0);

/** Playwright drives a system Chromium; when there is none, install one and say so. */
function ensureChromium() {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium"];
  if (candidates.some((path) => path && existsSync(path))) return true;
  if (process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")) {
    console.log("No Chromium found: installing Debian's chromium package (apt-get).");
    return (
      run("apt-get", ["update", "-qq"]) && run("apt-get", ["install", "-y", "-qq", "chromium"])
    );
  }
  console.log("No Chromium found: installing Playwright's (npx playwright install chromium).");
  return run("npx", ["playwright", "install", "chromium"]);
}

/** With TEST_DATABASE_URL the e2e app runs on a PostgreSQL database of its own, dropped after. */
async function withE2eDatabase(body) {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return body({});
  const name = `smtg_e2e_${process.pid}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE "${name}"`);
    const databaseUrl = new URL(url);
    databaseUrl.pathname = `/${name}`;
    await body({ E2E_DATABASE_URL: databaseUrl.toString() });
  } finally {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}
