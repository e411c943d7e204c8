import { randomBytes } from "node:crypto";
import net from "node:net";
import { sql } from "drizzle-orm";
import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgent } from "~/agents/queries.server";
import { sessionMiddleware } from "~/auth/guards.server";
import { HASHING_QUEUE, HASHING_SLOTS, verifyPassword } from "~/auth/password.server";
import { createSession, serializeSessionCookie } from "~/auth/session.server";
import { openDatabase, setDatabaseHandle, type DatabaseHandle } from "~/db/client.server";
import { deadlineMiddleware } from "~/web/deadline.server";
import { responseHeadersMiddleware } from "~/web/response-headers.server";
import { startApp, type AppProcess } from "../support/app-process";
import { createTestDatabase, databaseUrlOf } from "../support/database";
import { createUser, newEmail, scryptHash } from "../support/users";

// One test per finding of the attack-and-fault run of issue #11; each failed on the code
// before the fix. Most go over real HTTP to the whole app in a process of its own (Vite's
// development server, as `npm run dev` runs it); the deadline, the hashing queue and HSTS are
// also checked in this process, against the same modules.

// For the checks in this process (the app process has its own environment).
Object.assign(process.env, { REQUEST_DEADLINE: "400", APP_URL: "https://notion.example.test" });

let database: DatabaseHandle;
let app: AppProcess;
beforeAll(async () => {
  database = await createTestDatabase();
  setDatabaseHandle(database);
  const url = databaseUrlOf(database);
  app = await startApp({
    env: { REQUEST_RECEIVE_TIMEOUT: "3000", ...(url ? { DATABASE_URL: url } : {}) },
  });
  // The development server compiles each route on its first request; time the second.
  for (const path of ["/", "/login", "/signup", "/forgot-password", "/verify-email"]) {
    await fetch(`${app.url}${path}`);
  }
}, 240_000);
afterAll(async () => {
  await app?.stop();
  await database?.close();
});

let ipCounter = 0;
/** A client address of its own for each request that counts against per-IP limits. */
const newIp = () => `203.0.113.${++ipCounter}`;

const formHeaders = () => ({
  Origin: app.url,
  "Content-Type": "application/x-www-form-urlencoded",
  "X-Forwarded-For": newIp(),
});

async function post(path: string, body: string | URLSearchParams, headers = {}) {
  return fetch(`${app.url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { ...formHeaders(), ...headers },
    body,
  });
}

/** Signs up a new person over HTTP and gives their session cookie. */
async function signUp(email = newEmail("hardening")): Promise<{ email: string; cookie: string }> {
  const response = await post(
    "/signup",
    new URLSearchParams({ name: "Hardy", email, password: "a long enough password" }),
  );
  expect(response.status).toBe(302);
  const session = response.headers.getSetCookie().find((c) => c.startsWith("smtg_session="));
  return { email, cookie: session!.split(";")[0]! };
}

/** The cookie of a new session of `userId`, written to the test database. */
async function sessionCookie(userId: string): Promise<string> {
  const session = await createSession(database.db, userId, { ipAddress: null, userAgent: null });
  return (await serializeSessionCookie(session.token, session.expiresAt)).split(";")[0]!;
}

/** Polls `check` until it holds; fails after 60 seconds. */
async function until(check: () => Promise<boolean>) {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("Gave up waiting");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The id in the Location of a redirect to /agents/:id or /meetings/:id. */
const createdId = (response: Response) => response.headers.get("Location")!.split("/").pop()!;

/** Sends `head` and then `body` (in chunks, as fast as the server takes them) on a raw socket. */
function rawExchange(head: string, body: { chunk: Buffer; total: number; chunked?: boolean }) {
  return new Promise<{ written: number; response: string; closed: boolean }>((resolve) => {
    const socket = net.connect(Number(new URL(app.url).port), "127.0.0.1");
    let written = 0;
    let response = "";
    let answered = false;
    const frame = (chunk: Buffer) =>
      body.chunked
        ? Buffer.concat([
            Buffer.from(`${chunk.length.toString(16)}\r\n`),
            chunk,
            Buffer.from("\r\n"),
          ])
        : chunk;
    const pump = () => {
      while (!answered && written < body.total) {
        written += body.chunk.length;
        if (!socket.write(frame(body.chunk))) return void socket.once("drain", pump);
      }
    };
    socket.on("connect", () => {
      socket.write(head);
      pump();
    });
    socket.on("data", (data) => {
      response += data.toString("latin1");
      answered = true;
    });
    const done = (closed: boolean) => resolve({ written, response, closed });
    socket.on("close", () => done(true));
    socket.on("error", () => socket.destroy());
    setTimeout(() => {
      socket.destroy();
      done(false);
    }, 15_000).unref();
  });
}

describe("a form repeating one field name (F1)", () => {
  it("is answered within a second, and /healthz answers meanwhile", async () => {
    const body = `${"a=1&".repeat(40_000)}email=q%40example.com`;
    const started = performance.now();
    const [refused, health] = await Promise.all([
      post("/forgot-password", body).then(async (r) => [r.status, performance.now() - started]),
      fetch(`${app.url}/healthz`).then(async (r) => [r.status, performance.now() - started]),
    ]);
    expect(refused[0]).toBe(413);
    expect(refused[1]).toBeLessThan(1_000);
    expect(health[0]).toBe(200);
    expect(health[1]).toBeLessThan(1_000);
  });
});

describe("a 50 MB body (F2)", () => {
  const head = (length: string) =>
    `POST /forgot-password HTTP/1.1\r\nHost: ${new URL(app.url).host}\r\nOrigin: ${app.url}\r\n` +
    `Content-Type: application/x-www-form-urlencoded\r\n${length}\r\n`;
  const fifty = { chunk: Buffer.alloc(64 * 1024, "a"), total: 50 * 1024 * 1024 };

  it("is refused with 413 before it is read, whether it says its length or not", async () => {
    const declared = await rawExchange(head(`Content-Length: ${fifty.total}\r\n`), fifty);
    expect(declared.response).toMatch(/^HTTP\/1\.1 413 /);
    expect(declared.response).toMatch(/\r\nConnection: close\r\n/i);
    expect(declared.closed).toBe(true);
    // What the sockets' buffers took before the server closed the connection, not 50 MB.
    expect(declared.written).toBeLessThan(10 * 1024 * 1024);

    // Chunked, the server reads up to FORM_MAX_BYTES, then answers and closes the connection.
    const chunked = await rawExchange(head("Transfer-Encoding: chunked\r\n"), {
      ...fifty,
      chunked: true,
    });
    expect(chunked.closed).toBe(true);
    expect(chunked.written).toBeLessThan(10 * 1024 * 1024);
  });

  it("sent too slowly (1,000 bytes announced, 10 sent) is given up after REQUEST_RECEIVE_TIMEOUT", async () => {
    const started = performance.now();
    const slow = await rawExchange(head("Content-Length: 1000\r\n"), {
      chunk: Buffer.alloc(10, "a"),
      total: 10,
    });
    expect(slow.closed).toBe(true);
    expect(slow.response).toMatch(/^HTTP\/1\.1 408 /);
    // 3 s in this app process, checked every second.
    expect(performance.now() - started).toBeLessThan(8_000);
  });
});

/** A TCP proxy to PostgreSQL that can fall silent: connections stay open, nothing passes. */
async function silenceableProxy(target: URL) {
  const pairs = new Set<[net.Socket, net.Socket]>();
  let silent = false;
  const connect = ([client, upstream]: [net.Socket, net.Socket]) => {
    client.pipe(upstream);
    upstream.pipe(client);
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    for (const socket of pair) {
      socket.on("error", () => pair.forEach((s) => s.destroy()));
      socket.on("close", () => {
        pair.forEach((s) => s.destroy());
        pairs.delete(pair);
      });
    }
    if (!silent) connect(pair);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    silence() {
      silent = true;
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    resume() {
      silent = false;
      for (const pair of pairs) connect(pair);
    },
    async close() {
      for (const pair of pairs) pair.forEach((s) => s.destroy());
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe("a database that does not answer (F8)", () => {
  it("makes a page answer 503 by REQUEST_DEADLINE instead of waiting for it, on PGlite too", async () => {
    const { id } = await createUser(database.db);
    const cookie = await sessionCookie(id);
    const page = () => {
      const url = new URL("/", "https://notion.example.test");
      const args = {
        request: new Request(url, { headers: { Cookie: cookie } }),
        context: new RouterContextProvider(),
        url,
        params: {},
        unstable_pattern: "",
      } as never;
      const session = async () =>
        (await sessionMiddleware(args, async () => new Response("page"))) as Response;
      return deadlineMiddleware(args, session);
    };

    // A transaction holds the session table: PostgreSQL makes the session lookup wait for its
    // lock, PGlite (one connection) for the transaction itself.
    let release!: () => void;
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const lock = database.db.transaction(async (tx) => {
      await tx.execute(sql`lock table "session" in access exclusive mode`);
      held();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await holding;
    const started = performance.now();
    const refusal = await Promise.resolve(page()).catch((thrown: unknown) => thrown);
    const waited = performance.now() - started;
    release();
    await lock;

    expect(refusal).toBeInstanceOf(Response);
    expect((refusal as Response).status).toBe(503);
    expect((refusal as Response).statusText).toBe("The database is not answering");
    expect(waited).toBeGreaterThanOrEqual(390);
    expect(waited).toBeLessThan(3_000);
    // Once the database answers again, so does the page.
    expect(await ((await page()) as Response).text()).toBe("page");
  });

  if (process.env.TEST_DATABASE_URL) {
    it("on PostgreSQL, a connection gone silent gives 503 with Retry-After, and the app recovers with nothing lost", async () => {
      const url = new URL(databaseUrlOf(database)!);
      const proxy = await silenceableProxy(url);
      const proxied = new URL(url);
      proxied.hostname = "127.0.0.1";
      proxied.port = String(proxy.port);
      const deadlineMs = 2_000;
      // The app's cookie secret is this process's, so the session made here signs it in.
      const silentApp = await startApp({
        env: {
          DATABASE_URL: proxied.toString(),
          REQUEST_DEADLINE: String(deadlineMs),
          SESSION_SECRET: process.env.SESSION_SECRET!,
        },
      });
      try {
        const { id } = await createUser(database.db);
        const cookie = await sessionCookie(id);
        const agent = await createAgent(database.db, id, {
          name: "Kept",
          instructions: "Survive the outage.",
          githubRepo: null,
        });
        const agentPage = `${silentApp.url}/agents/${agent.id}`;
        // The first request compiles the route, which may take longer than the deadline.
        await until(async () => (await fetch(agentPage, { headers: { Cookie: cookie } })).ok);

        proxy.silence();
        const started = performance.now();
        const during = await fetch(agentPage, { headers: { Cookie: cookie } });
        const waited = performance.now() - started;
        expect(during.status).toBe(503);
        expect(during.headers.get("Retry-After")).toMatch(/^\d+$/);
        expect(await during.text()).toContain("The database is not answering");
        expect(waited).toBeGreaterThanOrEqual(deadlineMs - 50);
        expect(waited).toBeLessThan(deadlineMs + 3_000);
        expect((await fetch(`${silentApp.url}/healthz`)).status).toBe(503);

        proxy.resume();
        const after = await fetch(agentPage, { headers: { Cookie: cookie } });
        expect(after.status).toBe(200);
        expect(await after.text()).toContain("Survive the outage.");
      } finally {
        await silentApp.stop();
        await proxy.close();
      }
    }, 240_000);

    it("on PostgreSQL, a statement of the app's that runs past DATABASE_STATEMENT_TIMEOUT is ended", async () => {
      const handle = openDatabase({ url: databaseUrlOf(database)!, statementTimeoutMs: 200 });
      try {
        await expect(handle.db.execute(sql`select pg_sleep(2)`)).rejects.toMatchObject({
          cause: { code: "57014" },
        });
      } finally {
        await handle.close();
      }
    });
  }
});

describe("a flood of sign-ins (F9)", () => {
  it("hashes a bounded number of passwords at once and answers the rest 503 at once", async () => {
    // A cheap stored hash (N=2^10): the queue, not scrypt's cost, is under test.
    const stored = scryptHash("the password");
    const checks = Array.from({ length: HASHING_SLOTS + HASHING_QUEUE + 2 }, () =>
      verifyPassword("the password", stored),
    );
    const outcomes = await Promise.allSettled(checks);
    const refused = outcomes.filter((o) => o.status === "rejected");
    expect(refused).toHaveLength(2);
    for (const { reason } of refused as PromiseRejectedResult[]) {
      expect(reason).toBeInstanceOf(Response);
      expect((reason as Response).status).toBe(503);
    }
    expect(outcomes.filter((o) => o.status === "fulfilled" && o.value === true)).toHaveLength(
      HASHING_SLOTS + HASHING_QUEUE,
    );
    // Every slot was given back.
    expect(await verifyPassword("the password", stored)).toBe(true);
  });
});

describe("caching (F4) and security headers (F5)", () => {
  it("marks every page and .data answer private and never stored, varying by cookie", async () => {
    const { cookie } = await signUp();
    const answers = {
      "signed-in page": await fetch(`${app.url}/`, { headers: { Cookie: cookie } }),
      "signed-in .data": await fetch(`${app.url}/_.data`, { headers: { Cookie: cookie } }),
      "anonymous page": await fetch(`${app.url}/login`),
      redirect: await fetch(`${app.url}/agents`, { redirect: "manual" }),
      "not found": await fetch(`${app.url}/no/such/page`),
    };
    for (const [what, response] of Object.entries(answers)) {
      expect(response.headers.get("Cache-Control"), what).toBe("private, no-store");
      expect(response.headers.get("Vary"), what).toMatch(/\bCookie\b/);
      expect(response.headers.get("X-Content-Type-Options"), what).toBe("nosniff");
    }
    expect(answers["signed-in .data"].status).toBe(200);
    expect(answers["signed-in .data"].headers.get("Content-Security-Policy")).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    );
  });

  it("sends HSTS when APP_URL is https", async () => {
    const url = new URL("/", "https://notion.example.test");
    const answer = (await responseHeadersMiddleware(
      { request: new Request(url), context: new RouterContextProvider(), url, params: {} } as never,
      async () => new Response("<p>page</p>", { headers: { "Content-Type": "text/html" } }),
    )) as Response;
    expect(answer.headers.get("Strict-Transport-Security")).toBe(
      "max-age=31536000; includeSubDomains",
    );
    // Pages get their own policy, with the script nonce, where they are rendered.
    expect(answer.headers.get("Content-Security-Policy")).toBeNull();
  });
});

describe("bad input (F7)", () => {
  it("is answered with a 4xx, never a 500", async () => {
    const { cookie } = await signUp();
    const multipart = (boundary: string) => ({
      "Content-Type": `multipart/form-data${boundary}`,
    });
    for (const [path, headers] of [
      ["/login", multipart("; boundary=zz")],
      ["/forgot-password", multipart("")],
      ["/agents/new", { ...multipart("; boundary=zz"), Cookie: cookie }],
    ] as const) {
      const response = await post(path, "garbage", headers);
      expect(response.status, path).toBe(400);
    }

    const trace = await rawExchange(
      `TRACE /login HTTP/1.1\r\nHost: ${new URL(app.url).host}\r\nConnection: close\r\n\r\n`,
      { chunk: Buffer.alloc(0), total: 0 },
    );
    expect(trace.response).toMatch(/^HTTP\/1\.1 405 /);
    expect(trace.response).toMatch(/\r\nAllow: GET, HEAD, POST\r\n/);

    const http10 = await rawExchange("GET /login HTTP/1.0\r\n\r\n", {
      chunk: Buffer.alloc(0),
      total: 0,
    });
    expect(http10.response).toMatch(/^HTTP\/1\.1 400 /);

    const nul = await post("/settings/sessions", "intent=revoke&sessionId=a%00", {
      Cookie: cookie,
    });
    expect(nul.status).toBe(404);

    const signedIn = { Cookie: cookie };
    const agent = await post("/agents/new", "name=Ag&instructions=Help", signedIn);
    const meeting = await post("/meetings/new", `name=Mt&agentId=${createdId(agent)}`, signedIn);
    expect(meeting.status).toBe(302);
    const edit = await post(
      `/meetings/${createdId(meeting)}/edit`,
      new URLSearchParams({ name: "Mt", version: "+275760-09-13T00:00:00.000Z" }),
      signedIn,
    );
    expect(edit.status).toBe(400);
  });

  it("makes a redirectTo the answer cannot carry '/' (F3), before the account is created", async () => {
    const target = "/\u3002x";
    const { email } = await signUp();
    const signedIn = await post(
      "/login",
      new URLSearchParams({
        intent: "password",
        email,
        password: "a long enough password",
        redirectTo: target,
      }),
    );
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get("Location")).toBe("/");

    const newcomer = newEmail("newcomer");
    const fields = { name: "New", email: newcomer, password: "a long enough password" };
    const joined = await post("/signup", new URLSearchParams({ ...fields, redirectTo: target }));
    expect(joined.status).toBe(302);
    expect(joined.headers.get("Location")).toBe("/");
    // The account was made once, by that answer.
    expect((await post("/signup", new URLSearchParams(fields))).status).toBe(409);

    const resent = await post(
      "/verify-email",
      new URLSearchParams({ intent: "resend", email: newEmail("resend"), redirectTo: target }),
    );
    expect(resent.status).toBe(302);
    expect(resent.headers.get("Location")).toBe("/verify-email");
  });
});

describe("asking for a mail (F6)", () => {
  /** The answer to a signed-out mail request, as the browser would follow it. */
  async function answerTo(path: string, fields: Record<string, string>, address: string) {
    const response = await post(path, new URLSearchParams(fields));
    const location = response.headers.get("Location");
    const flash = response.headers.getSetCookie().find((c) => c.startsWith("smtg_flash="));
    const next = await fetch(`${app.url}${location ?? path}`, {
      headers: { Cookie: flash?.split(";")[0] ?? "" },
    });
    const message = /<div role="status"[^>]*>([\s\S]*?)<\/div>/.exec(await next.text())?.[1];
    return {
      status: response.status,
      location,
      cookieAttributes: flash?.split(";").slice(1),
      page: next.status,
      message: message?.replaceAll(address, "ADDRESS"),
    };
  }
  const mailsTo = (address: string) =>
    app.output.filter((line) => line.startsWith(`Mail to ${address}:`)).length;
  async function waitForMail(address: string) {
    const deadline = Date.now() + 10_000;
    while (mailsTo(address) === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it("answers the same for an address mailed a moment ago as for an unknown one, and sends nothing", async () => {
    // Signing up mails the address a verification link: its one mail of the minute.
    const { email } = await signUp(newEmail("mailed"));
    await waitForMail(email);
    expect(mailsTo(email)).toBe(1);

    for (const [path, fields] of [
      ["/forgot-password", (address: string) => ({ email: address })],
      ["/verify-email", (address: string) => ({ intent: "resend", email: address })],
    ] as const) {
      const stranger = newEmail("stranger");
      const forStranger = await answerTo(path, fields(stranger), stranger);
      const forMailed = await answerTo(path, fields(email), email);
      expect(forStranger.status, path).toBe(302);
      expect(forMailed, path).toEqual(forStranger);
      expect(forMailed.message, path).toContain("ADDRESS");
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mailsTo(email)).toBe(1);
  });
});

describe("logs and refusals (item 7)", () => {
  it("log a refusal as one JSON line without a stack, and .data answers in the page's words", async () => {
    const before = app.output.length;
    const crossSite = { Origin: "https://evil.example" };
    const refusals = [
      await post("/forgot-password", "email=a%40example.com", crossSite),
      await post("/forgot-password", `email=${"x".repeat(1024 * 1024)}`),
    ];
    const ip = { "X-Forwarded-For": `198.51.100.${randomBytes(1)[0]}` };
    for (let i = 0; i < 20; i++) {
      await post("/forgot-password", `email=${newEmail("nobody")}`, ip);
    }
    refusals.push(await post("/forgot-password", `email=${newEmail("nobody")}`, ip));
    expect(refusals.map((r) => r.status)).toEqual([403, 413, 429]);

    const data = await post("/forgot-password.data", "email=a%40example.com", crossSite);
    expect(data.status).toBe(403);
    expect(await data.text()).toContain("This form was sent from another site, so it was refused.");
    expect(await refusals[0]!.text()).toContain(
      "This form was sent from another site, so it was refused.",
    );

    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = app.output.slice(before);
    expect(lines.filter((line) => /^\s+at /.test(line))).toEqual([]);
    for (const refusal of [...refusals, data]) {
      const id = refusal.headers.get("X-Request-Id")!;
      const mentions = lines.filter((line) => line.includes(id)).map((line) => JSON.parse(line));
      expect(mentions).toEqual([
        expect.objectContaining({
          level: "info",
          reqId: id,
          status: refusal.status,
          method: "POST",
        }),
      ]);
      expect(mentions[0]).not.toHaveProperty("err");
    }
  });
});
