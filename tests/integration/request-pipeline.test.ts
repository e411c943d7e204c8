import { once } from "node:events";
import type { AddressInfo } from "node:net";
import express from "express";
import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { formBodyMiddleware, originCheckMiddleware } from "~/web/request-checks.server";
import { sessionMiddleware, userContext } from "~/auth/guards.server";
import {
  createSession,
  SESSION_RENEW_AFTER_MS,
  serializeSessionCookie,
} from "~/auth/session.server";
import { openDatabase, setDatabaseHandle, type DatabaseHandle } from "~/db/client.server";
import { user } from "~/db/schema";
import { healthz } from "~/server";
import { isThisMachine } from "~/web/request-context.server";
import { createTestDatabase } from "../support/database";

// The root middleware as React Router runs it, and /healthz over HTTP, on a real database.

let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
  setDatabaseHandle(database);
  await database.db.insert(user).values({ id: "u1", name: "Ada", email: "ada@example.test" });
});
afterAll(() => database.close());

const appUrl = "http://localhost:3000";

async function runSessionMiddleware(cookie: string | null) {
  const url = new URL("/agents", appUrl);
  const request = new Request(url, { headers: cookie ? { Cookie: cookie } : {} });
  const context = new RouterContextProvider();
  const response = (await sessionMiddleware(
    { request, context, url, params: {}, unstable_pattern: "" } as never,
    async () => new Response("page"),
  )) as Response;
  return {
    response,
    user: context.get(userContext),
    setCookie: response.headers.get("Set-Cookie"),
  };
}

async function cookieFor(created: { token: string; expiresAt: Date }) {
  return (await serializeSessionCookie(created.token, created.expiresAt)).split(";")[0]!;
}

describe("the session middleware", () => {
  it("signs in the request of a live session without touching the cookie", async () => {
    const cookie = await cookieFor(
      await createSession(database.db, "u1", { ipAddress: null, userAgent: null }),
    );
    const { user: found, setCookie } = await runSessionMiddleware(cookie);
    expect(found).toMatchObject({ id: "u1", name: "Ada" });
    expect(setCookie).toBeNull();
  });

  it("sends the renewed expiry to the browser when the session slid forward", async () => {
    const started = new Date(Date.now() - SESSION_RENEW_AFTER_MS - 60_000);
    const cookie = await cookieFor(
      await createSession(database.db, "u1", { ipAddress: null, userAgent: null }, started),
    );
    const { user: found, setCookie } = await runSessionMiddleware(cookie);
    expect(found?.id).toBe("u1");
    expect(setCookie).toMatch(/^smtg_session=.+; Path=\/; Expires=.+; HttpOnly; SameSite=Lax$/);
    const expires = new Date(/Expires=([^;]+)/.exec(setCookie!)![1]!);
    expect(expires.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);
  });

  it("signs the browser out cleanly when its session expired", async () => {
    const longAgo = new Date(Date.now() - 31 * 24 * 3600 * 1000);
    const cookie = await cookieFor(
      await createSession(database.db, "u1", { ipAddress: null, userAgent: null }, longAgo),
    );
    const { user: found, setCookie } = await runSessionMiddleware(cookie);
    expect(found).toBeNull();
    expect(setCookie).toMatch(/^smtg_session=;.* Max-Age=0;/);
  });

  it("treats a request without a cookie as signed out and sets nothing", async () => {
    const { user: found, setCookie } = await runSessionMiddleware(null);
    expect(found).toBeNull();
    expect(setCookie).toBeNull();
  });
});

describe("the Origin check middleware", () => {
  const post = (origin: string) => {
    const url = new URL("/logout", appUrl);
    return {
      request: new Request(url, { method: "POST", headers: { Origin: origin } }),
      context: new RouterContextProvider(),
      url,
      params: {},
    } as never;
  };

  it("refuses a cross-site POST with 403 before any route runs", async () => {
    const next = vi.fn(async () => new Response("changed"));
    const refusal = await (async () => originCheckMiddleware(post("https://evil.example"), next))()
      .then(() => null)
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(Response);
    expect((refusal as Response).status).toBe(403);
    expect(next).not.toHaveBeenCalled();
  });

  it("lets a POST from the app's own origin through", async () => {
    const next = vi.fn(async () => new Response("changed"));
    await originCheckMiddleware(post(appUrl), next);
    expect(next).toHaveBeenCalledOnce();
  });
});

describe("the form body middleware", () => {
  const post = (headers: Record<string, string>, body?: string) => {
    const url = new URL("/agents/new", appUrl);
    return {
      request: new Request(url, { method: "POST", headers, body }),
      context: new RouterContextProvider(),
      url,
      params: {},
    } as never;
  };
  const run = (args: never) => {
    const next = vi.fn(async () => new Response("handled"));
    const outcome = (async () => formBodyMiddleware(args, next))().catch((e: unknown) => e);
    return { next, outcome };
  };

  it("answers 415 to a POST that is not a form, before any action reads it", async () => {
    for (const headers of <Record<string, string>[]>[
      {},
      { "Content-Type": "application/json" },
      { "Content-Type": "text/plain" },
    ]) {
      const { next, outcome } = run(post(headers, "{}"));
      expect(((await outcome) as Response).status).toBe(415);
      expect(next).not.toHaveBeenCalled();
    }
  });

  it("lets both kinds of form through", async () => {
    for (const type of ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const { next } = run(post({ "Content-Type": type }));
      await vi.waitFor(() => expect(next).toHaveBeenCalledOnce());
    }
  });
});

describe("/healthz", () => {
  /** GET /healthz from an Express app that serves only the health check, as the app does. */
  async function getHealthz() {
    const app = express();
    app.get("/healthz", healthz);
    const server = app.listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      return { response, body: await response.json() };
    } finally {
      server.close();
    }
  }

  it("answers 200 with the database check, never cached", async () => {
    const { response, body } = await getHealthz();
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(body).toMatchObject({ status: "ok", database: { ok: true } });
  });

  it("answers 503 when the database is down", async () => {
    const down = openDatabase({ url: "postgres://nobody@127.0.0.1:1/none" });
    setDatabaseHandle(down);
    try {
      const { response, body } = await getHealthz();
      expect(response.status).toBe(503);
      expect(body).toMatchObject({ status: "unavailable", database: { ok: false } });
    } finally {
      setDatabaseHandle(database);
      await down.close();
    }
  });
});

describe("a connection from this machine", () => {
  it("is one from a loopback address, in IPv4, IPv6 or IPv4-mapped form", () => {
    for (const address of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"]) {
      expect(isThisMachine(address), address).toBe(true);
    }
  });

  it("is not one from any other address, nor one of unknown origin", () => {
    for (const address of ["192.0.2.2", "::ffff:192.0.2.2", "fd00::2", "127.example", undefined]) {
      expect(isThisMachine(address), String(address)).toBe(false);
    }
  });
});
