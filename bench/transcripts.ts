// `npm run bench:transcripts`: how long a 3-hour transcript takes to import and to read, and how
// long the meetings list takes to search a user's 10,000 meetings with transcripts.
//
// On a fresh database of its own: PGlite in a temporary directory, or, with TEST_DATABASE_URL,
// a new database on that PostgreSQL server (dropped at the end). Everything is seeded through
// the app's domain functions and SQL; the reader is timed over HTTP against the production
// build (`npm run build` first, or this builds it).
//
// BENCH_MEETINGS (10000), BENCH_SEGMENTS (segments per meeting, 20) and BENCH_WORDS (words per
// segment, 25) size the search corpus; see the README for what the defaults stand for.
// BENCH_KEEP=1 keeps the database afterwards (its location is printed), to look at query plans.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { freePort } from "../tests/support/ports";
import type { Database } from "~/db/client.server";

const meetingsCount = Number(process.env.BENCH_MEETINGS ?? 10_000);
const segmentsPerMeeting = Number(process.env.BENCH_SEGMENTS ?? 20);
const wordsPerSegment = Number(process.env.BENCH_WORDS ?? 25);
const serverUrl = process.env.TEST_DATABASE_URL;

const dir = mkdtempSync(path.join(tmpdir(), "smtg-bench-"));
const port = await freePort();
Object.assign(process.env, {
  NODE_ENV: "production",
  APP_URL: `http://localhost:${port}`,
  PGLITE_DIR: path.join(dir, "pglite"),
  SESSION_SECRET: randomBytes(32).toString("base64url"),
  GITHUB_SANDBOX: "off",
});

// Imported after the environment is set: the configuration is read once.
const { openDatabase } = await import("~/db/client.server");
const { user, meetings, transcripts, transcriptSegments } = await import("~/db/schema");
const { searchDocument } = await import("~/db/search");
const { createAgent } = await import("~/agents/queries.server");
const { createMeeting, listMeetings, moveMeeting } = await import("~/meetings/queries.server");
const { createSession, serializeSessionCookie } = await import("~/auth/session.server");
const { importTranscript } = await import("~/transcripts/import.server");
const { searchSnippets } = await import("~/transcripts/search.server");
const { formatTimestamp } = await import("~/transcripts/segments");

const benchDatabase = `smtg_bench_${process.pid}`;
let databaseUrl: string | undefined;
if (serverUrl) {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${benchDatabase}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${benchDatabase}`;
  databaseUrl = url.toString();
}
const target = databaseUrl ? { url: databaseUrl } : { pgliteDir: process.env.PGLITE_DIR };
const engine = databaseUrl ? "PostgreSQL" : "PGlite";
const results: Array<[string, string]> = [];
const report = (what: string, value: string) => {
  results.push([what, value]);
  console.log(`${what}: ${value}`);
};

try {
  console.log(`Benchmark on ${engine} (${dir})`);
  let handle = openDatabase(target);
  await handle.migrate();

  // A 3-hour meeting: 2,000 segments of five seconds of speech each, four speakers.
  await handle.db.insert(user).values({ id: "reader", name: "Reader", email: "r@bench.test" });
  const agent = await createAgent(handle.db, "reader", {
    name: "Scribe",
    instructions: "Notes",
    githubRepo: null,
  });
  const meeting = (await createMeeting(handle.db, "reader", {
    name: "Quarterly planning",
    agentId: agent.id,
  }))!;
  await moveMeeting(handle.db, "reader", meeting.id, "start");
  await moveMeeting(handle.db, "reader", meeting.id, "end");
  const vtt = threeHourTranscript(2000);
  const importTimes: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    const result = await importTranscript(handle.db, "reader", meeting.id, {
      file: { name: "planning.vtt", bytes: vtt },
    });
    importTimes.push(performance.now() - started);
    if (result.status !== "imported") throw new Error(`import failed: ${JSON.stringify(result)}`);
  }
  report(
    "Import of a 3-hour WebVTT transcript (2,000 segments, parsing included)",
    `median ${ms(median(importTimes))} (of 5 imports, each replacing the last)`,
  );

  const session = await createSession(handle.db, "reader", { ipAddress: null, userAgent: null });
  const cookie = (await serializeSessionCookie(session.token, session.expiresAt)).split(";")[0]!;
  // PGlite's directory can be open in one process only: the server's, now.
  await handle.close();
  await timeReader(meeting.id, cookie);

  handle = openDatabase(target);
  await seedSearchCorpus(handle.db);
  await timeSearch(handle.db);
  await handle.close();
} finally {
  if (process.env.BENCH_KEEP) {
    console.log(`Kept the database: ${databaseUrl ?? process.env.PGLITE_DIR}`);
  } else if (serverUrl) {
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`DROP DATABASE IF EXISTS "${benchDatabase}" WITH (FORCE)`);
    await admin.end();
  }
  if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
}

console.log(`\n| ${engine} | |\n| --- | --- |`);
for (const [what, value] of results) console.log(`| ${what} | ${value} |`);

/** GET the reader's pages from the production build, as a signed-in browser would. */
async function timeReader(meetingId: string, sessionCookie: string) {
  if (!existsSync("build/server/index.js")) {
    spawnSync("npx", ["react-router", "build"], { stdio: "inherit" });
  }
  const server = spawn("node", ["server.js", "--production"], {
    env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl ?? "" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    await waitFor(`http://localhost:${port}/healthz`);
    const pages: Array<[string, string]> = [
      ["first page (200 segments)", ""],
      ["last page", "?page=10"],
      ["a search (marked matches, previous/next)", "?q=roadmap+budget"],
    ];
    for (const [what, query] of pages) {
      const times: number[] = [];
      for (let run = 0; run < 12; run++) {
        const started = performance.now();
        const response = await fetch(
          `http://localhost:${port}/meetings/${meetingId}/transcript${query}`,
          {
            headers: { Cookie: sessionCookie },
          },
        );
        const html = await response.text();
        if (response.status !== 200 || !html.includes('aria-label="Transcript"')) {
          throw new Error(`the reader answered ${response.status}`);
        }
        if (run >= 2) times.push(performance.now() - started);
      }
      report(`Reader over HTTP, ${what}`, `median ${ms(median(times))}`);
    }
  } finally {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
  }
}

/**
 * A user with `meetingsCount` completed meetings, each with a transcript and a summary. The
 * words are drawn from a vocabulary of 5,000 made-up words with a long tail (log-uniform
 * ranks, so a few words are everywhere and most are rare), by PostgreSQL itself.
 */
async function seedSearchCorpus(db: Database) {
  const started = performance.now();
  await db.insert(user).values({ id: "searcher", name: "Searcher", email: "s@bench.test" });
  const agent = await createAgent(db, "searcher", {
    name: "Host",
    instructions: "Hosts",
    githubRepo: null,
  });
  await db.execute(sql`
    insert into ${meetings} (id, name, user_id, agent_id, status, started_at, ended_at, summary, created_at, updated_at)
    select 'bench-' || n, 'Weekly sync ' || n, 'searcher', ${agent.id}, 'completed',
      timestamp '2025-01-01' + n * interval '1 hour',
      timestamp '2025-01-01' + n * interval '1 hour' + interval '55 minutes',
      'We agreed on the plan for ' || ${words(sql`n`, sql`0`, 30)} || '.',
      timestamp '2025-01-01' + n * interval '1 hour', now()
    from generate_series(1, ${meetingsCount}::int) n`);
  const batch = 500;
  for (let from = 1; from <= meetingsCount; from += batch) {
    await db.execute(sql`
      insert into ${transcriptSegments} (meeting_id, position, speaker, start_ms, end_ms, text)
      select 'bench-' || n, p, 'spk_' || (p % 4),
        p * ${Math.floor(3_600_000 / segmentsPerMeeting)}, (p + 1) * ${Math.floor(3_600_000 / segmentsPerMeeting)} - 1,
        ${words(sql`n`, sql`p + 1`, wordsPerSegment)}
          -- Planted words: one meeting in a thousand says "kubernetes", one in ten "invoice".
          || case when p = 7 and n % 1000 = 0 then ' kubernetes' else '' end
          || case when p = 3 and n % 10 = 0 then ' invoice' else '' end
      from generate_series(${from}::int, ${Math.min(from + batch - 1, meetingsCount)}::int) n,
           generate_series(0, ${segmentsPerMeeting - 1}::int) p`);
    process.stdout.write(
      `\rSeeding transcripts: ${Math.min(from + batch - 1, meetingsCount)}/${meetingsCount}`,
    );
  }
  // The per-meeting search documents, built as an import builds them.
  await db.execute(sql`
    insert into ${transcripts} (meeting_id, format, source, segment_count, search)
    select meeting_id, 'vtt', 'bench', count(*), strip(${searchDocument(sql`string_agg(text, ' ')`)})
    from ${transcriptSegments} where meeting_id like 'bench-%' group by meeting_id`);
  // What autovacuum does soon after a bulk load: statistics, and the GIN indexes' pending
  // entries merged into their posting lists (until then every search reads them all).
  await db.execute(sql`vacuum analyze`);
  console.log("");
  report(
    "Search corpus",
    `${meetingsCount.toLocaleString("en-US")} meetings × ${segmentsPerMeeting} segments × ${wordsPerSegment} words, seeded in ${ms(performance.now() - started)}`,
  );
}

async function timeSearch(db: Database) {
  const queries: Array<[string, string]> = [
    ["a rare word (10 meetings)", "kubernetes"],
    ["a word in one meeting of ten", "invoice"],
    ["a word in nearly every meeting", common()],
    ["two words", `invoice ${common()}`],
    ["a quoted phrase of the two most frequent words", `"${common()} ${common(1)}"`],
    ["a quoted phrase with a rare word", `"${common()} kubernetes"`],
    ["a meeting's name", "Weekly sync 4242"],
    ["a word in no meeting", "zyzzyva"],
  ];
  for (const [what, q] of queries) {
    const times: number[] = [];
    let total = 0;
    for (let run = 0; run < 12; run++) {
      const started = performance.now();
      const page = await listMeetings(db, "searcher", { q, page: 1 });
      await searchSnippets(
        db,
        "searcher",
        page.meetings.map((m) => m.id),
        q,
      );
      if (run >= 2) times.push(performance.now() - started);
      total = page.total;
    }
    report(
      `Search across meetings, ${what}: ${total.toLocaleString("en-US")} found`,
      `median ${ms(median(times))} from Node (count, first page and snippets); ${ms(await databaseTime(db, q))} in the database for the count`,
    );
  }
}

/**
 * PostgreSQL's own planning and execution time for the heaviest of the list's queries (the
 * count, which must find every match), from EXPLAIN ANALYZE: the database's share alone.
 */
async function databaseTime(db: Database, q: string): Promise<number> {
  const { and, count, eq, inArray } = await import("drizzle-orm");
  const { meetingIdsMatching } = await import("~/transcripts/search.server");
  const query = db
    .select({ total: count() })
    .from(meetings)
    .where(
      and(
        eq(meetings.userId, "searcher"),
        inArray(meetings.id, meetingIdsMatching(db, "searcher", q)),
      ),
    )
    .toSQL();
  // The bench's own strings, inlined: EXPLAIN takes no parameters.
  const inlined = query.sql.replace(/\$(\d+)/g, (_, i: string) => {
    const value = query.params[Number(i) - 1];
    return typeof value === "number" ? String(value) : `'${String(value).replace(/'/g, "''")}'`;
  });
  const { withSearchPlan } = await import("~/transcripts/search.server");
  const times: number[] = [];
  for (let run = 0; run < 7; run++) {
    // As listMeetings runs it: with the search's planner settings.
    const result = (await withSearchPlan(db, (tx) =>
      tx.execute(sql.raw(`explain (analyze, format json) ${inlined}`)),
    )) as unknown;
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<
      Record<string, unknown>
    >;
    const plan = rows[0]!["QUERY PLAN"];
    const [top] = (typeof plan === "string" ? JSON.parse(plan) : plan) as Array<{
      "Planning Time": number;
      "Execution Time": number;
    }>;
    if (run >= 2) times.push(top!["Planning Time"] + top!["Execution Time"]);
  }
  return median(times);
}

/** SQL for `count` words of the vocabulary, chosen by a hash of (meeting, segment, word). */
function words(
  meetingNumber: ReturnType<typeof sql>,
  segment: ReturnType<typeof sql>,
  count: number,
) {
  return sql`(select string_agg(
      'w' || floor(exp((abs(hashint8((${meetingNumber})::bigint * 1000003 + (${segment}) * 1009 + w)) % 1000000) / 1000000.0 * ln(5000)))::int
        || 'x', ' ')
    from generate_series(1, ${count}::int) w)`;
}

/** The vocabulary's most frequent words ("w1x", "w2x", ...). */
function common(rank = 0): string {
  return `w${rank + 1}x`;
}

function threeHourTranscript(count: number): Uint8Array {
  const vocabulary =
    "roadmap budget hiring launch customer support metrics deploy review quarter goal risk design test release plan team feedback revenue churn".split(
      " ",
    );
  let seed = 42;
  const next = () => (seed = (seed * 48271) % 2147483647);
  const step = Math.floor((3 * 3_600_000) / count);
  const cues = Array.from({ length: count }, (_, i) => {
    const text = Array.from({ length: 12 }, () => vocabulary[next() % vocabulary.length]).join(" ");
    return `${formatTimestamp(i * step, ".")} --> ${formatTimestamp(i * step + step - 200, ".")}\n<v spk_${i % 4}>${text}.\n`;
  });
  return new TextEncoder().encode(`WEBVTT\n\n${cues.join("\n")}`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`;
}

async function waitFor(url: string) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within 2 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
