import path from "node:path";
import { createRequestHandler } from "@react-router/express";
import express, { type Request, type Response } from "express";
import { RouterContextProvider, type RouterContext } from "react-router";
import { ConfigError, getConfig, sandboxClient, sandboxGitHubPath } from "~/config.server";
import {
  checkDatabase,
  closeDatabase,
  describeDatabase,
  describeDatabaseError,
  getDatabaseHandle,
  getDb,
} from "~/db/client.server";
import { getLogger } from "~/log.server";
import {
  clientIpContext,
  fromThisMachineContext,
  isThisMachine,
  requestIdContext,
} from "~/web/request-context.server";
import { refuseUnservableRequests } from "~/web/request-checks.server";
import { logRequests } from "~/web/request-log.server";

/** A start-up failure explained in one line; server.js prints it without a stack trace. */
export class StartupError extends Error {
  name = "StartupError";
}

/**
 * GET /healthz for load balancers: 200 with a database check, 503 when the database does not
 * answer. It is served beside React Router, not through its middleware, which needs the
 * database for the session.
 */
export async function healthz(_req: Request, res: Response) {
  const database = await checkDatabase(getDb());
  res
    .status(database.ok ? 200 : 503)
    .set("Cache-Control", "no-store")
    .json({ status: database.ok ? "ok" : "unavailable", database });
}

/**
 * Reads the configuration, migrates the database and returns the Express app that serves
 * React Router (and, in sandbox mode, the GitHub stand-in).
 */
export async function start() {
  let config;
  try {
    config = getConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new StartupError(`Invalid configuration: ${error.problems.join("; ")}`);
    }
    throw error;
  }

  const database = describeDatabase(config);
  try {
    await getDatabaseHandle().migrate();
  } catch (error) {
    await closeDatabase().catch(() => {});
    throw new StartupError(
      `Cannot use the database (${database}): ${describeDatabaseError(error)}. ` +
        (config.databaseUrl ? "Check DATABASE_URL." : "Check PGLITE_DIR."),
    );
  }

  const app = express();
  app.disable("x-powered-by");
  app.use(logRequests);
  // Behind a load balancer on a private network, the client's address comes from X-Forwarded-For.
  app.set("trust proxy", "loopback, linklocal, uniquelocal");
  const log: string[] = [`Database: ${database} (migrations applied)`];

  if (config.github?.sandbox) {
    // Loaded only here: a deployment with a real GitHub never imports the sandbox.
    const { createGitHubStandIn } = await import("~/sandbox/github/server");
    const standIn = createGitHubStandIn({
      clients: [
        {
          ...sandboxClient,
          callbackUrl: `${config.appUrl}/auth/github/callback`,
        },
      ],
      stateFile: path.join(path.dirname(config.pgliteDir), "github-sandbox.json"),
      controlApi: false,
    });
    // Anyone who reaches the sandbox can invent a GitHub identity: on a developer's machine
    // it answers only that machine, even when the port is reachable from the network.
    app.use(sandboxGitHubPath, (req, res) => {
      if (config.loopback && !isThisMachine(req.socket.remoteAddress)) res.sendStatus(404);
      else standIn.handle(req, res);
    });
    log.push(
      `GitHub: local sandbox at ${config.github.url} (set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET for real GitHub)`,
    );
  } else if (config.github) {
    log.push(`GitHub: OAuth app ${config.github.clientId} at ${config.github.url}`);
  } else {
    log.push("GitHub: sign-in disabled (no GITHUB_CLIENT_ID and GITHUB_SANDBOX=off)");
  }

  const { mail } = config;
  if (mail.smtpUrl) {
    // The host only: the URL may carry the SMTP password.
    const smtp = new URL(mail.smtpUrl);
    log.push(`Mail: over SMTP via ${smtp.protocol}//${smtp.host}, from ${mail.from}`);
  } else if (mail.devMailbox) {
    log.push(`Mail: not sent but listed at ${config.appUrl}/dev/mail (set SMTP_URL to send)`);
  } else {
    log.push("Mail: SMTP_URL is not set, so verification and password-reset mails are not sent");
  }
  log.push(`Password sign-in: ${config.passwordAuth ? "on" : "off (PASSWORD_AUTH=off)"}`);

  app.get("/healthz", healthz);
  app.use(refuseUnservableRequests);
  app.use(
    createRequestHandler({
      build: () => import("virtual:react-router/server-build"),
      getLoadContext: (req, res) =>
        new RouterContextProvider(
          new Map<RouterContext, unknown>([
            [clientIpContext, req.ip ?? null],
            [fromThisMachineContext, isThisMachine(req.socket.remoteAddress)],
            [requestIdContext, res.locals.requestId ?? null],
          ]),
        ),
    }),
  );

  return { app, config, log, logger: getLogger(), shutdown: closeDatabase };
}
