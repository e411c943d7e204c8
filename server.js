// Serves SMTG Notion: `node server.js` for development (Vite), `--production` for the build.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
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
  serveStaticFiles(server);
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
  started = await appModule.start({ production });
} catch (error) {
  if (error?.name !== "StartupError") throw error;
  console.error(error.message);
  process.exit(1);
}
const { app, config, log, shutdown } = started;
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

/**
 * The build's static files: /assets, and the few files and folders at the top of build/client
 * (favicon, robots.txt…), listed once here. Page requests go straight to the app rather than
 * through a stat() of a file that is not there.
 */
function serveStaticFiles(app) {
  const root = "build/client";
  app.use("/assets", express.static(`${root}/assets`, { immutable: true, maxAge: "1y" }));
  const rootFiles = new Set();
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.name === "assets") continue;
    if (entry.isDirectory()) {
      app.use(`/${entry.name}`, express.static(`${root}/${entry.name}`, { maxAge: "1h" }));
    } else {
      rootFiles.add(`/${entry.name}`);
    }
  }
  const serveRootFile = express.static(root, { maxAge: "1h", index: false });
  app.use((req, res, next) => (rootFiles.has(req.path) ? serveRootFile(req, res, next) : next()));
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
