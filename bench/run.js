// `npm run bench`: our production build side by side with a bare React Router app (the framework
// floor) and a node:http + postgres.js page (the raw baseline), on a fresh database, at two
// data sizes; prints one table and the targets as ratios measured in this run.
//
//   npm run bench                      PostgreSQL (TEST_DATABASE_URL, else the local server)
//   npm run bench -- --stages a        only stage (a): 1,000 meetings
//   npm run bench -- --pglite          the embedded PGlite (stage a only: one user)
//   npm run bench -- --rounds 3 --duration 5 --connections 16   (the defaults)
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import postgres from "postgres";
import { isBuildCurrent } from "../app/build-stamp.js";
import { firstLoadJs } from "./first-load.js";
import { otherUsers, searchTerm, userAgents, userMeetings } from "./seed.js";

const { values: args } = parseArgs({
  options: {
    pglite: { type: "boolean", default: false },
    stages: { type: "string", default: "a,b" },
    duration: { type: "string", default: "5" },
    rounds: { type: "string", default: "3" },
    connections: { type: "string", default: "16" },
  },
});
const duration = Number(args.duration);
const connections = Number(args.connections);
const rounds = Number(args.rounds);
const stages = args.pglite ? ["a"] : args.stages.split(",");
if (!stages.includes("a") || stages.some((stage) => !["a", "b"].includes(stage))) {
  console.error("--stages is a or a,b: stage (b) and the baselines are compared with stage (a).");
  process.exit(2);
}
if (args.pglite && args.stages.includes("b")) {
  console.log("PGlite serves one user on one machine: measuring stage (a) only.");
}
const engine = args.pglite ? "PGlite" : "PostgreSQL";
const sessionSecret = "bench-session-secret-that-is-long-enough-0123456789";
const work = mkdtempSync(path.join(tmpdir(), "smtg-bench-"));
const children = new Set();
process.on("exit", () => children.forEach((child) => child.kill("SIGKILL")));

// ---- processes ---------------------------------------------------------------------------

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts a server process (output to a log file) and waits until `readyUrl` answers 200. */
async function startProcess(name, command, commandArgs, { cwd, env, readyUrl }) {
  const log = path.join(work, `${name}.log`);
  const fd = openSync(log, "a");
  const child = spawn(command, commandArgs, { cwd, env, stdio: ["ignore", fd, fd] });
  children.add(child);
  let exited = false;
  child.once("exit", () => {
    exited = true;
    children.delete(child);
  });
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${name} exited while starting; see ${log}`);
    const ok = await fetch(readyUrl).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} did not answer ${readyUrl} in 5 minutes; see ${log}`);
}

async function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const force = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(force);
}

/** Resident memory of a process, in MB (Linux). */
function rssMb(child) {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024);
  } catch {
    return null;
  }
}

// ---- the database ------------------------------------------------------------------------

const adminUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const databaseName = `smtg_bench_${process.pid}`;
const pgliteDir = path.join(work, "pglite");
let databaseUrl;

async function createDatabase() {
  if (args.pglite) return;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${databaseName}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  databaseUrl = url.toString();
}

async function dropDatabase() {
  if (!databaseUrl) return;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  await admin.end();
}

/** A SQL connection for seeding; PGlite's only while the app is stopped (one process owns it). */
async function openSql() {
  if (args.pglite) {
    const { PGlite } = await import("@electric-sql/pglite");
    const db = new PGlite(pgliteDir);
    return {
      run: (statement) => db.exec(statement),
      rows: async (statement) => (await db.query(statement)).rows,
      close: () => db.close(),
    };
  }
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  return { run: (s) => sql.unsafe(s), rows: (s) => sql.unsafe(s), close: () => sql.end() };
}

async function seed(statements) {
  const started = performance.now();
  const sql = await openSql();
  try {
    for (const statement of statements) await sql.run(statement);
    await sql.run("VACUUM ANALYZE");
  } finally {
    await sql.close();
  }
  return Math.round((performance.now() - started) / 1000);
}

// ---- the servers -------------------------------------------------------------------------

const root = path.resolve(import.meta.dirname, "..");
const floorDir = path.join(import.meta.dirname, "floor");

function buildAll() {
  if (!isBuildCurrent(root)) {
    console.log("Building the app (npm run build)…");
    execFileSync("npx", ["react-router", "build"], { cwd: root, stdio: "ignore" });
  }
  console.log("Building the framework floor (bench/floor)…");
  execFileSync("npx", ["react-router", "build"], { cwd: floorDir, stdio: "ignore" });
}

async function startApp(name) {
  const port = await freePort();
  const appUrl = `http://localhost:${port}`;
  const env = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    APP_URL: appUrl,
    SESSION_SECRET: sessionSecret,
    GITHUB_SANDBOX: "off",
    PASSWORD_AUTH: "on",
  };
  delete env.DATABASE_URL;
  delete env.SMTP_URL;
  if (args.pglite) env.PGLITE_DIR = pgliteDir;
  else env.DATABASE_URL = databaseUrl;
  const child = await startProcess(name, process.execPath, ["server.js", "--production"], {
    cwd: root,
    env,
    readyUrl: `${appUrl}/healthz`,
  });
  return { child, url: appUrl };
}

async function startFloor() {
  const port = await freePort();
  const serve = path.join(root, "node_modules", "@react-router", "serve", "bin.js");
  const child = await startProcess("floor", process.execPath, [serve, "build/server/index.js"], {
    cwd: floorDir,
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1" },
    readyUrl: `http://127.0.0.1:${port}/login`,
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

async function startRawBaseline() {
  const port = await freePort();
  const child = await startProcess("raw", process.execPath, ["raw-baseline.js"], {
    cwd: import.meta.dirname,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: sessionSecret,
      PORT: String(port),
    },
    readyUrl: `http://127.0.0.1:${port}/healthz`,
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

/** Signs up through the app's own form, as a person would; returns the session cookie. */
async function signUp(appUrl) {
  const response = await fetch(`${appUrl}/signup`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: appUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      name: "Bench User",
      email: "bench@example.test",
      password: "correct horse battery staple",
    }),
  });
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(";")[0])
    .find((pair) => pair.startsWith("smtg_session="));
  if (response.status !== 302 || !cookie) {
    throw new Error(`Signing up answered ${response.status} without a session cookie`);
  }
  return cookie;
}

// ---- measuring ---------------------------------------------------------------------------

/** CPU time (user and system) a process has used so far, in ms (Linux). */
const clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
function cpuMs(child) {
  const stat = readFileSync(`/proc/${child.pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
}

/**
 * One sample of one target under `connections` concurrent clients: req/s, p50 and p99, and
 * the server process's CPU time per request, which the other work on a shared machine hardly
 * changes. Ends once the app is idle again (`drain`), so that the CPU of requests still running
 * when the sample ends is counted too.
 */
async function sample(target, seconds, healthUrl) {
  const cpuBefore = cpuMs(target.server);
  const result = await autocannon({
    url: target.url,
    headers: target.headers,
    connections,
    duration: seconds,
  });
  await drain(healthUrl);
  const cpuPerRequest = (cpuMs(target.server) - cpuBefore) / Math.max(1, result.requests.sent);
  // No answer within the sample: slower than the sample is long.
  if (result.requests.total === 0) {
    return { rps: 0, p50: Infinity, p99: Infinity, cpu: cpuPerRequest, failed: 0 };
  }
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpu: cpuPerRequest,
    failed: result.errors + result.timeouts + result.non2xx,
  };
}

/**
 * Waits until the app answers /healthz quickly again: requests that the load generator gave up
 * on still hold the database pool, and would slow down the next page measured.
 */
async function drain(healthUrl) {
  const deadline = Date.now() + 120_000;
  let quick = 0;
  while (quick < 3 && Date.now() < deadline) {
    const started = performance.now();
    await fetch(healthUrl).catch(() => {});
    quick = performance.now() - started < 50 ? quick + 1 : 0;
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Measures every target in turn, `rounds` times, and keeps each one's medians: the machine's
 * load changes while we measure, and interleaving spreads it over all targets alike.
 */
async function measureAll(stage, targets, healthUrl) {
  for (const target of targets) {
    const check = await fetch(target.url, { headers: target.headers, redirect: "manual" });
    if (check.status !== 200) throw new Error(`${target.url} answered ${check.status}, not 200`);
    await sample(target, duration, healthUrl);
  }
  const samples = targets.map(() => []);
  for (let round = 1; round <= rounds; round++) {
    console.log(`Stage (${stage}), round ${round} of ${rounds}…`);
    for (const [i, target] of targets.entries()) {
      samples[i].push(await sample(target, duration, healthUrl));
    }
  }
  for (const [i, target] of targets.entries()) {
    const taken = samples[i];
    record({
      name: target.name,
      stage,
      rps: median(taken.map((s) => s.rps)),
      p50: median(taken.map((s) => s.p50)),
      p99: median(taken.map((s) => s.p99)),
      cpu: median(taken.map((s) => s.cpu)),
      failed: taken.reduce((total, s) => total + s.failed, 0),
    });
  }
}

const rows = [];
/** Milliseconds, or "> 5000" for requests that did not finish within a sample. */
const ms = (value) => (Number.isFinite(value) ? String(value) : `> ${duration * 1000}`);

function record(row) {
  rows.push(row);
  const failed = row.failed ? `  (${row.failed} failed requests)` : "";
  console.log(
    `  ${row.name} [${row.stage}]: ${Math.round(row.rps)} req/s, p50 ${ms(row.p50)} ms, p99 ${ms(row.p99)} ms${failed}`,
  );
}

// ---- the run -----------------------------------------------------------------------------

const memory = {};
const seedTimes = {};
try {
  buildAll();
  await createDatabase();
  console.log(
    `Engine: ${engine}; ${connections} connections; each page ${rounds} times ${duration} s, after a warm-up as long.`,
  );

  // A fresh database: the app migrates it, then we sign up.
  let app = await startApp("app-first-boot");
  memory.firstBoot = rssMb(app.child);
  const cookie = await signUp(app.url);
  await stopProcess(app.child);

  const sql = await openSql();
  const [{ id: userId }] = await sql.rows(
    `SELECT id FROM "user" WHERE email = 'bench@example.test'`,
  );
  await sql.run(`UPDATE "user" SET email_verified = true WHERE id = '${userId}'`);
  await sql.close();
  seedTimes.a = await seed([...userAgents(userId), ...userMeetings(userId, 1, 1000)]);
  const meetingSql = await openSql();
  const [{ id: meetingId }] = await meetingSql.rows(
    `SELECT id FROM meetings WHERE user_id = '${userId}' AND status = 'completed'
     ORDER BY created_at DESC LIMIT 1`,
  );
  await meetingSql.close();

  const signedIn = { Cookie: cookie };
  const pages = [
    { name: "/login (anonymous)", path: "/login", headers: {} },
    { name: "dashboard /", path: "/", headers: signedIn },
    { name: "meetings list", path: "/meetings", headers: signedIn },
    { name: "meetings page 50", path: "/meetings?page=50", headers: signedIn },
    { name: "meetings search", path: `/meetings?q=${searchTerm}`, headers: signedIn },
    { name: "meetings status filter", path: "/meetings?status=completed", headers: signedIn },
    { name: "one meeting", path: `/meetings/${meetingId}`, headers: signedIn },
    { name: "agents list", path: "/agents", headers: signedIn },
  ];

  app = await startApp("app");
  memory.boot = rssMb(app.child);
  for (const stage of stages) {
    if (stage === "b") {
      // PostgreSQL only, so the app keeps running: its RSS is after both stages.
      console.log(
        "Seeding stage (b): 99,000 more meetings for the user, 900,000 for 1,000 others…",
      );
      seedTimes.b = await seed([
        ...userMeetings(userId, 1001, 100_000),
        ...otherUsers(1000, 900_000),
      ]);
    }
    const targets = pages.map((page) => ({
      ...page,
      url: `${app.url}${page.path}`,
      server: app.child,
    }));
    const floor = stage === "a" ? await startFloor() : null;
    const raw = args.pglite ? null : await startRawBaseline();
    if (raw)
      targets.unshift({
        name: "raw baseline",
        url: `${raw.url}/meetings`,
        headers: signedIn,
        server: raw.child,
      });
    if (floor) {
      targets.unshift({
        name: "framework floor",
        url: `${floor.url}/login`,
        headers: {},
        server: floor.child,
      });
    }
    await measureAll(stage, targets, `${app.url}/healthz`);
    for (const helper of [floor, raw]) if (helper) await stopProcess(helper.child);
    memory[stage] = rssMb(app.child);
  }
  await stopProcess(app.child);
  report();
} finally {
  for (const child of children) await stopProcess(child);
  await dropDatabase().catch((error) =>
    console.error(`Could not drop ${databaseName}: ${error.message}`),
  );
  rmSync(work, { recursive: true, force: true });
}

// ---- the report --------------------------------------------------------------------------

function report() {
  const find = (name, stage) => rows.find((row) => row.name === name && row.stage === stage);
  const floor = find("framework floor", "a");
  const raw = find("raw baseline", "a");
  const ratio = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : "∞");
  // Throughput by req/s, and by CPU time per request (the rate one core would reach).
  const versus = (row, base, label) =>
    `${ratio(row.rps / base.rps)} (CPU ${ratio(base.cpu / row.cpu)}) ${label}`;
  const compared = (row) => {
    if (row.name === "framework floor" || row.name === "raw baseline") return "";
    if (row.stage === "b") {
      const a = find(row.name, "a");
      return a ? `p50 ${ratio(row.p50 / a.p50)}, CPU ${ratio(row.cpu / a.cpu)} stage (a)` : "";
    }
    const parts = [versus(row, floor, "floor")];
    if (row.name.startsWith("meetings") && raw) parts.push(versus(row, raw, "raw"));
    return parts.join(", ");
  };

  console.log(
    `\n## ${engine}: medians of ${rounds} rounds of ${duration} s per page, ${connections} connections\n`,
  );
  console.log("| Page | Stage | req/s | p50 ms | p99 ms | CPU ms/req | Compared |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: | --- |");
  for (const row of rows) {
    const failed = row.failed ? ` (${row.failed} failed)` : "";
    console.log(
      `| ${row.name} | ${row.stage} | ${Math.round(row.rps)}${failed} | ${ms(row.p50)} | ${ms(row.p99)} | ${row.cpu.toFixed(1)} | ${compared(row)} |`,
    );
  }

  const checks = [];
  // A page with failed requests meets nothing, however fast its failures were.
  const check = (ok, text, row) =>
    checks.push(`${ok && !row?.failed ? "met    " : "NOT met"}  ${text}`);
  for (const row of rows.filter(
    (r) => r.stage === "a" && !["framework floor", "raw baseline"].includes(r.name),
  )) {
    const target = row.name.includes("anonymous") ? 0.6 : 0.5;
    const x = row.rps / floor.rps;
    check(
      x >= target,
      `${row.name}: ${ratio(x)} the floor's req/s (target ≥ ${target}x; by CPU per request ${ratio(floor.cpu / row.cpu)})`,
      row,
    );
  }
  const list = find("meetings list", "a");
  if (raw)
    check(
      list.rps / raw.rps >= 0.25,
      `meetings list: ${ratio(list.rps / raw.rps)} the raw baseline's req/s (target ≥ 0.25x; by CPU per request ${ratio(raw.cpu / list.cpu)})`,
      list,
    );
  for (const row of rows.filter((r) => r.stage === "b" && r.name !== "raw baseline")) {
    const x = row.p50 / find(row.name, "a").p50;
    check(x <= 1.5, `${row.name}: p50 at stage (b) ${ratio(x)} stage (a) (target ≤ 1.5x)`, row);
  }
  const lastRss = memory.b ?? memory.a;
  if (!args.pglite)
    check(lastRss < 300, `server RSS after the run ${lastRss} MB (target < 300 MB)`);
  console.log("\nTargets:\n" + checks.map((line) => `  ${line}`).join("\n"));

  console.log(
    `\nServer RSS (${engine}): ${memory.firstBoot} MB after the first boot on a fresh database, ` +
      `${memory.boot} MB after a boot on the seeded one, ${memory.a} MB after stage (a)` +
      (memory.b ? `, ${memory.b} MB after stage (b)` : "") +
      `.\nSeeding took ${seedTimes.a} s for stage (a)` +
      (seedTimes.b !== undefined ? ` and ${seedTimes.b} s for stage (b).` : "."),
  );

  const kb = (bytes) => (bytes / 1024).toFixed(1);
  console.log("\n## First-load JavaScript, KB gzip (entry and manifest, framework, routes)\n");
  console.log("| Page | Entry | Framework | Routes | Total |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  const floorJs = firstLoadJs(path.join(floorDir, "build", "client"));
  const appJs = firstLoadJs(path.join(root, "build", "client"));
  for (const page of [...floorJs.map((p) => ({ ...p, page: `floor ${p.page}` })), ...appJs]) {
    console.log(
      `| ${page.page} | ${kb(page.entry)} | ${kb(page.framework)} | ${kb(page.routes)} | ${kb(page.total)} |`,
    );
  }
  const largest = appJs.reduce((a, b) => (b.total > a.total ? b : a));
  console.log(
    `\n${largest.total < 120 * 1024 ? "met    " : "NOT met"}  largest first load: ${largest.page}, ${kb(largest.total)} KB gzip (target < 120 KB)`,
  );
}
