// `npm run bench:sign-in`: how a flood of wrong sign-ins slows another, signed-in person's
// pages. Starts the production build (on a fresh PGlite, or on BENCH_DATABASE_URL), signs Bea
// up, then measures her dashboard: alone, and while 50 wrong sign-ins arrive at once from 50
// addresses (so that no per-IP limit helps). Prints the latencies and what the flood got.
import { readFileSync } from "node:fs";
import { startApp } from "../tests/support/app-process";

const FLOOD = 50;
const BASELINE_PAGES = 40;

const app = await startApp({
  production: true,
  env: process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {},
});
try {
  const cookie = await signUpBea(app.url);
  const page = async () => {
    const started = performance.now();
    const response = await fetch(`${app.url}/`, { headers: { Cookie: cookie } });
    await response.text();
    if (response.status !== 200) throw new Error(`Bea's dashboard answered ${response.status}`);
    return performance.now() - started;
  };

  for (let i = 0; i < 5; i++) await page();
  const alone: number[] = [];
  for (let i = 0; i < BASELINE_PAGES; i++) alone.push(await page());

  const before = memoryMb(app.pid, "VmHWM");
  const started = performance.now();
  let flooding = true;
  const flood = Promise.all(
    Array.from({ length: FLOOD }, (_, i) => wrongSignIn(app.url, i)),
  ).finally(() => (flooding = false));
  const during: number[] = [];
  while (flooding) during.push(await page());
  const statuses = await flood;
  const floodMs = performance.now() - started;

  const counts = Object.entries(
    statuses.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {}),
  )
    .map(([status, count]) => `${count} × ${status}`)
    .join(", ");
  console.log(`Bea's dashboard alone:        ${summary(alone)}`);
  console.log(`during ${FLOOD} wrong sign-ins:   ${summary(during)}`);
  console.log(`the flood: ${counts} in ${Math.round(floodMs)} ms`);
  console.log(
    `server peak memory: ${before} MB before the flood, ${memoryMb(app.pid, "VmHWM")} MB after`,
  );
} finally {
  await app.stop();
}

async function signUpBea(url: string): Promise<string> {
  const response = await fetch(`${url}/signup`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      name: "Bea",
      email: `bea-${Date.now()}@example.test`,
      password: "bea's long password",
    }),
  });
  const session = response.headers.getSetCookie().find((c) => c.startsWith("smtg_session="));
  if (response.status !== 302 || !session) throw new Error(`Sign-up answered ${response.status}`);
  return session.split(";")[0]!;
}

async function wrongSignIn(url: string, i: number): Promise<string> {
  const sent = performance.now();
  const response = await fetch(`${url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: {
      Origin: url,
      "Content-Type": "application/x-www-form-urlencoded",
      // The app trusts X-Forwarded-For from loopback, as from a load balancer.
      "X-Forwarded-For": `198.51.100.${i + 1}`,
    },
    body: new URLSearchParams({
      intent: "password",
      email: `flood-${i}@example.test`,
      password: "a wrong password",
    }),
  });
  const text = await response.text();
  const reason = /The (server is busy|database is not answering)/.exec(text)?.[0];
  return `${response.status}${reason ? ` (${reason})` : ""} by ${bucket(performance.now() - sent)}`;
}

/** Seconds, rounded up, for a compact count of when answers came. */
function bucket(ms: number): string {
  return `${Math.ceil(ms / 1000)} s`;
}

function summary(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
  return `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms (${ms.length} pages)`;
}

/** A memory figure of the server process (VmHWM: its peak resident size), in MB. */
function memoryMb(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024);
}
