// Serves SMTG Notion: `node server.js` for development (Vite), `--production` for the build.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import compression from "compression";
import express from "express";
import { isBuildCurrent } from "./app/build-stamp.js";

if (existsSync(".env")) process.loadEnvFile(".env");
const production = process.argv.includes("--production");
process.env.NODE_ENV = production ? "production" : "development";

const server = express();
server.disable("x-powered-by");
server.use(compression());

let appModule;
if (production) {
  if (!isBuildCurrent()) {
    console.log(
      existsSync("build/server/index.js")
        ? "The sources changed since the last build: building the app again (npm run build)."
        : "No build found: building the app first (npm run build).",
    );
    execFileSync("npx", ["react-router", "build"], { stdio: "inherit" });
  }
  server.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
  server.use(express.static("build/client", { maxAge: "1h" }));
  appModule = await import("./build/server/index.js");
} else {
  const vite = await import("vite");
  const viteDevServer = await vite.createServer({ server: { middlewareMode: true } });
  server.use(viteDevServer.middlewares);
  appModule = await viteDevServer.ssrLoadModule("./app/server.ts");
}

let started;
try {
  started = await appModule.start();
} catch (error) {
  if (error?.name !== "StartupError") throw error;
  console.error(error.message);
  process.exit(1);
}
const { app, config, log, logger, shutdown } = started;
server.use(app);

// A client gets REQUEST_RECEIVE_TIMEOUT to send a whole request (and at most 10 s for its
// headers), checked every second, instead of Node's 5 minutes.
const receiveTimeout = config.limits.receiveTimeoutMs;
const listener = createServer(
  {
    requestTimeout: receiveTimeout,
    headersTimeout: Math.min(10_000, receiveTimeout),
    connectionsCheckingInterval: 1_000,
  },
  server,
);
listener.listen(config.port, () => {
  for (const line of log) logger.info(line);
  logger.info(`SMTG Notion (${process.env.NODE_ENV}) is running at ${config.appUrl}`);
});
listener.on("error", (error) => {
  logger.fatal(
    error.code === "EADDRINUSE"
      ? `Port ${config.port} is already in use: set PORT.`
      : error.message,
  );
  process.exit(1);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    // Finish the requests in flight (for up to 10 s), then close the database.
    listener.closeIdleConnections();
    const force = setTimeout(() => listener.closeAllConnections(), 10_000).unref();
    listener.close(() => {
      clearTimeout(force);
      shutdown().finally(() => process.exit(0));
    });
  });
}
