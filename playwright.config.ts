import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { freePort } from "./tests/support/ports";

// The app (built, production mode), the GitHub stand-in and the mail catcher (SMTP and HTTP) each
// get a free port. The config is evaluated again in every worker, so the first evaluation's
// choices travel in the environment.
process.env.E2E_APP_PORT ??= String(await freePort());
process.env.E2E_GITHUB_PORT ??= String(await freePort());
process.env.E2E_SMTP_PORT ??= String(await freePort());
process.env.E2E_MAIL_HTTP_PORT ??= String(await freePort());
const appUrl = `http://localhost:${process.env.E2E_APP_PORT}`;
const githubUrl = `http://127.0.0.1:${process.env.E2E_GITHUB_PORT}`;
const mailUrl = `http://127.0.0.1:${process.env.E2E_MAIL_HTTP_PORT}`;
process.env.E2E_APP_URL = appUrl;
process.env.E2E_GITHUB_URL = githubUrl;
// Specs read the mails the app sent from here, with tests/support/mail.ts.
process.env.E2E_MAIL_URL = mailUrl;
// Without a PostgreSQL database from the test runner, the app runs on a throw-away PGlite.
process.env.E2E_PGLITE_DIR ??= path.join(mkdtempSync(path.join(tmpdir(), "smtg-e2e-")), "pglite");

const client = { id: "e2e-client-id", secret: "e2e-client-secret" };

export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium"];
  return candidates.find((candidate) => candidate && existsSync(candidate));
}

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  // The account specs walk whole flows (sign up, mails, several password hashes of 0.3 s) and
  // take 20–29 s with two workers on two cores; a minute leaves room without hiding a hang.
  timeout: 60_000,
  expect: { timeout: 5_000 },
  reporter: [["list"], ["json", { outputFile: ".cache/playwright.json" }]],
  use: {
    baseURL: appUrl,
    trace: "retain-on-failure",
    actionTimeout: 10_000,
    navigationTimeout: 15_000,
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider",
      ],
    },
  },
  projects: [
    { name: "no-js", use: { javaScriptEnabled: false } },
    { name: "js", use: { javaScriptEnabled: true } },
  ],
  webServer: [
    {
      command: "npx tsx tests/support/github-stand-in-cli.ts",
      port: Number(process.env.E2E_GITHUB_PORT),
      reuseExistingServer: false,
      stdout: "ignore",
      env: {
        STAND_IN_PORT: process.env.E2E_GITHUB_PORT,
        STAND_IN_CLIENT_ID: client.id,
        STAND_IN_CLIENT_SECRET: client.secret,
        STAND_IN_CALLBACK_URL: `${appUrl}/auth/github/callback`,
      },
    },
    {
      command: "npx tsx tests/mail-catcher/cli.ts",
      url: `${mailUrl}/messages`,
      reuseExistingServer: false,
      stdout: "ignore",
      env: {
        MAIL_CATCHER_SMTP_PORT: process.env.E2E_SMTP_PORT,
        MAIL_CATCHER_HTTP_PORT: process.env.E2E_MAIL_HTTP_PORT,
      },
    },
    {
      command: "node server.js --production",
      url: `${appUrl}/healthz`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "ignore",
      env: {
        PORT: process.env.E2E_APP_PORT,
        APP_URL: appUrl,
        DATABASE_URL: process.env.E2E_DATABASE_URL ?? "",
        PGLITE_DIR: process.env.E2E_PGLITE_DIR,
        SESSION_SECRET: "e2e-session-secret-that-is-long-enough-0123456789",
        GITHUB_CLIENT_ID: client.id,
        GITHUB_CLIENT_SECRET: client.secret,
        GITHUB_URL: githubUrl,
        GITHUB_API_URL: `${githubUrl}/api/v3`,
        GITHUB_SCOPES: "read:user user:email repo",
        // The catcher offers no STARTTLS, so nodemailer sends in plain text with no extra options.
        SMTP_URL: `smtp://127.0.0.1:${process.env.E2E_SMTP_PORT}`,
        MAIL_FROM: "SMTG Notion <no-reply@smtg.test>",
      },
    },
  ],
});
