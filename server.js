// Serves SMTG Notion: `node server.js` for development (Vite), `--production` for the build.
// With `--worker` it serves nothing and only works the job queue (`npm run worker`).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import compression from "compression";
import express from "express";
import { isBuildCurrent } from "./app/build-stamp.js";

if (existsSync(".env")) process.loadEnvFile(".env");
const production = process.argv.includes("--production");
const worker = process.argv.includes("--worker");
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
  server.use(logRequests);
  appModule = await import("./build/server/index.js");
} else {
  const vite = await import("vite");
  const viteDevServer = await vite.createServer({ server: { middlewareMode: true } });
  server.use(viteDevServer.middlewares);
  server.use(logRequests);
  appModule = await viteDevServer.ssrLoadModule("./app/server.ts");
}

let started;
try {
  started = await (worker ? appModule.startWorker() : appModule.start());
} catch (error) {
  if (error?.name !== "StartupError") throw error;
  console.error(error.message);
  process.exit(1);
}

if (worker) {
  for (const line of started.log) console.log(line);
  console.log(`SMTG Notion worker (${process.env.NODE_ENV}) is working the job queue`);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    // Finish the job in hand (or hand it back after the grace period), then close the database.
    process.once(signal, () => started.shutdown().finally(() => process.exit(0)));
  }
} else {
  serve(started);
}

function serve({ app, config, log, shutdown }) {
  server.use(app);

  const listener = server.listen(config.port, () => {
    for (const line of log) console.log(line);
    console.log(`SMTG Notion (${process.env.NODE_ENV}) is running at ${config.appUrl}`);
  });
  listener.on("error", (error) => {
    console.error(
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
}

// One line per request, without the query string, which may carry OAuth codes.
function logRequests(req, res, next) {
  const started = performance.now();
  res.on("finish", () => {
    const ms = Math.round(performance.now() - started);
    console.log(`${req.method} ${req.path} ${res.statusCode} ${ms}ms`);
  });
  next();
}
