import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGitHubStandIn, type GitHubStandIn } from "~/sandbox/github/server";

const CALLBACK = "http://app.test:3000/auth/github/callback";
const client = { clientId: "client-1", clientSecret: "secret-1", callbackUrl: CALLBACK };
const otherClient = { clientId: "client-2", clientSecret: "secret-2", callbackUrl: CALLBACK };
const appClient = {
  clientId: "app-1",
  clientSecret: "app-secret",
  callbackUrl: CALLBACK,
  expiringTokens: true,
};

let clock = Date.parse("2025-01-01T12:00:00Z");
let standIn: GitHubStandIn;
let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  standIn = createGitHubStandIn({ clients: [client, otherClient, appClient], now: () => clock });
  ({ url: base, close } = await standIn.listen());
});
afterAll(() => close());
beforeEach(() => {
  clock = Date.parse("2025-01-01T12:00:00Z");
  standIn.reset();
});

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
}

/** Runs the browser half of the flow: shows the page, submits the form, returns the redirect. */
async function authorize(
  query: Record<string, string>,
  form: Record<string, string>,
): Promise<URL> {
  const page = await fetch(`${base}/login/oauth/authorize?${new URLSearchParams(query)}`);
  expect(page.status).toBe(200);
  const response = await fetch(`${base}/login/oauth/authorize`, {
    method: "POST",
    body: new URLSearchParams({ ...query, ...form }),
    redirect: "manual",
  });
  expect(response.status).toBe(302);
  return new URL(response.headers.get("location")!);
}

async function exchange(
  params: Record<string, string>,
  auth = basic(client.clientId, client.clientSecret),
) {
  const response = await fetch(`${base}/login/oauth/access_token`, {
    method: "POST",
    headers: { Accept: "application/json", Authorization: auth },
    body: new URLSearchParams(params),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, string | number>;
}

async function codeFor(
  login: string,
  scope = "read:user user:email",
  clientId = client.clientId,
): Promise<string> {
  const redirected = await authorize(
    { client_id: clientId, scope, state: "s1", redirect_uri: CALLBACK },
    { decision: "approve", user: "", login, email_verified: "1" },
  );
  return redirected.searchParams.get("code")!;
}

function api(path: string, token?: string, headers: Record<string, string> = {}) {
  return fetch(`${base}/api/v3${path}`, {
    headers: {
      Accept: "application/vnd.github+json",
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
  });
}

describe("authorize page", () => {
  it("answers an unknown client_id with an HTML 404 page", async () => {
    const response = await fetch(`${base}/login/oauth/authorize?client_id=nope`);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("text/html");
  });

  it("redirects to the registered callback with redirect_uri_mismatch for a foreign redirect_uri", async () => {
    for (const bad of [
      "http://evil.test:3000/auth/github/callback",
      "http://app.test:4000/auth/github/callback",
      "https://app.test:3000/auth/github/callback",
      "http://app.test:3000/auth/github/callbackx",
      "http://app.test:3000/auth",
    ]) {
      const response = await fetch(
        `${base}/login/oauth/authorize?${new URLSearchParams({ client_id: client.clientId, redirect_uri: bad, state: "xyz" })}`,
        { redirect: "manual" },
      );
      expect(response.status, bad).toBe(302);
      const location = new URL(response.headers.get("location")!);
      expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
      expect(Object.fromEntries(location.searchParams)).toEqual({
        error: "redirect_uri_mismatch",
        error_description:
          "The redirect_uri MUST match the registered callback URL for this application.",
        error_uri:
          "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#redirect-uri-mismatch",
        state: "xyz",
      });
    }
  });

  it("accepts a redirect_uri below the callback path", async () => {
    const redirected = await authorize(
      { client_id: client.clientId, redirect_uri: `${CALLBACK}/deeper?x=1`, state: "s" },
      { decision: "approve", login: "alice" },
    );
    expect(redirected.pathname).toBe("/auth/github/callback/deeper");
    expect(redirected.searchParams.get("x")).toBe("1");
    expect(redirected.searchParams.get("code")).toMatch(/^[0-9a-f]{20}$/);
  });

  it("renders a no-JavaScript form that escapes everything and lists scopes and users", async () => {
    standIn.addUser({ login: "bob", name: "<b>Bob</b>" });
    const state = `"><script>alert(1)</script>`;
    const response = await fetch(
      `${base}/login/oauth/authorize?${new URLSearchParams({ client_id: client.clientId, scope: "read:user,user:email", state })}`,
    );
    const html = await response.text();
    expect(html).toContain("<title>Authorize SMTG Notion</title>");
    expect(html).toContain("local GitHub stand-in");
    expect(html).not.toContain("<script>");
    expect(html).toContain('name="state" value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).toContain("<code>read:user</code>");
    expect(html).toContain("<code>user:email</code>");
    expect(html).toMatch(
      /<input type="radio" name="user" id="user-0" value="bob"> <label for="user-0">bob<\/label>/,
    );
    for (const label of ["Login", "Name", "Email", "Email verified"])
      expect(html).toContain(`>${label}</label>`);
    expect(html).toMatch(/id="email_verified" name="email_verified" value="1" checked/);
    expect(html).toContain(
      '<button type="submit" name="decision" value="approve">Authorize</button>',
    );
    expect(html).toContain('<form method="post" action="/login/oauth/authorize">');
  });

  it("redirects with a code and the state on approval, creating the user with sample repos", async () => {
    const redirected = await authorize(
      { client_id: client.clientId, scope: "read:user", state: "st" },
      {
        decision: "approve",
        login: "Carol",
        name: "Carol C",
        email: "carol@example.test",
        email_verified: "1",
      },
    );
    expect(`${redirected.origin}${redirected.pathname}`).toBe(CALLBACK);
    expect(redirected.searchParams.get("state")).toBe("st");
    const tokens = await exchange({ code: redirected.searchParams.get("code")! });
    const user = await (await api("/user", String(tokens.access_token))).json();
    expect(user).toMatchObject({
      login: "Carol",
      name: "Carol C",
      email: "carol@example.test",
      type: "User",
    });
    const repos = (await (
      await api("/user/repos", standIn.issueToken("carol", ["repo"]))
    ).json()) as Array<{ full_name: string }>;
    expect(repos.map((r) => r.full_name).sort()).toEqual(["Carol/notes", "Carol/private-plans"]);
  });

  it("redirects with access_denied when the user cancels", async () => {
    const redirected = await authorize(
      { client_id: client.clientId, state: "st" },
      { decision: "deny" },
    );
    expect(Object.fromEntries(redirected.searchParams)).toEqual({
      error: "access_denied",
      error_description: "The user has denied your application access.",
      error_uri:
        "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#access-denied",
      state: "st",
    });
  });

  it("re-renders the page with 422 for an invalid new login, keeping what was typed", async () => {
    for (const login of ["", "-bad", "bad-", "a--b", "x".repeat(40), "has space"]) {
      const response = await fetch(`${base}/login/oauth/authorize`, {
        method: "POST",
        body: new URLSearchParams({
          client_id: client.clientId,
          state: "s",
          decision: "approve",
          login,
          name: "N<>",
        }),
        redirect: "manual",
      });
      expect(response.status, login).toBe(422);
      const html = await response.text();
      expect(html).toContain('role="alert"');
      expect(html).toContain('value="N&lt;&gt;"');
      expect(html).toContain('name="state" value="s"');
    }
  });

  it("uses the existing user when a new-user login is already taken, case-insensitively", async () => {
    const dave = standIn.addUser({ login: "Dave" });
    const code = await codeFor("dave");
    const tokens = await exchange({ code });
    const user = (await (await api("/user", String(tokens.access_token))).json()) as {
      id: number;
      login: string;
    };
    expect(user).toMatchObject({ id: dave.id, login: "Dave" });
  });

  it("signs in as the existing user picked with the radio button", async () => {
    standIn.addUser({ login: "erin" });
    const redirected = await authorize(
      { client_id: client.clientId, state: "s" },
      { decision: "approve", user: "erin", login: "" },
    );
    const tokens = await exchange({ code: redirected.searchParams.get("code")! });
    expect(
      ((await (await api("/user", String(tokens.access_token))).json()) as { login: string }).login,
    ).toBe("erin");
  });
});

describe("access token endpoint", () => {
  it("exchanges a code for a gho_ token with normalized, comma-separated scopes", async () => {
    const code = await codeFor("alice", "user:email read:user repo public_repo bogus");
    const tokens = await exchange({ code, redirect_uri: CALLBACK });
    expect(tokens).toEqual({
      access_token: expect.stringMatching(/^gho_[A-Za-z0-9]{36}$/),
      token_type: "bearer",
      scope: "read:user,repo,user:email",
    });
  });

  it("answers form-encoded without Accept: application/json, and takes credentials from the body", async () => {
    const code = await codeFor("alice");
    const response = await fetch(`${base}/login/oauth/access_token`, {
      method: "POST",
      body: new URLSearchParams({
        code,
        client_id: client.clientId,
        client_secret: client.clientSecret,
      }),
    });
    expect(response.headers.get("content-type")).toContain("application/x-www-form-urlencoded");
    const body = new URLSearchParams(await response.text());
    expect(body.get("access_token")).toMatch(/^gho_/);
    expect(body.get("scope")).toBe("read:user,user:email");
    expect(body.get("token_type")).toBe("bearer");
  });

  it("accepts a JSON request body", async () => {
    const code = await codeFor("alice");
    const response = await fetch(`${base}/login/oauth/access_token`, {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      body: JSON.stringify({
        code,
        client_id: client.clientId,
        client_secret: client.clientSecret,
      }),
    });
    expect(((await response.json()) as { access_token: string }).access_token).toMatch(/^gho_/);
  });

  it("rejects wrong client credentials with incorrect_client_credentials (HTTP 200)", async () => {
    const code = await codeFor("alice");
    expect(await exchange({ code }, basic(client.clientId, "wrong"))).toEqual({
      error: "incorrect_client_credentials",
      error_description: "The client_id and/or client_secret passed are incorrect.",
      error_uri:
        "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#incorrect-client-credentials",
    });
  });

  it("rejects a code used twice with bad_verification_code", async () => {
    const code = await codeFor("alice");
    expect((await exchange({ code })).access_token).toBeDefined();
    expect(await exchange({ code })).toMatchObject({
      error: "bad_verification_code",
      error_description: "The code passed is incorrect or expired.",
    });
  });

  it("rejects an expired code (older than 10 minutes) with bad_verification_code", async () => {
    const code = await codeFor("alice");
    clock += 10 * 60 * 1000 + 1;
    expect((await exchange({ code })).error).toBe("bad_verification_code");
  });

  it("rejects an unknown code and a code issued to another client with bad_verification_code", async () => {
    expect((await exchange({ code: "0123456789abcdef0123" })).error).toBe("bad_verification_code");
    const code = await codeFor("alice", "", otherClient.clientId);
    expect((await exchange({ code })).error).toBe("bad_verification_code");
    expect(
      (await exchange({ code }, basic(otherClient.clientId, otherClient.clientSecret)))
        .access_token,
    ).toBeDefined();
  });

  it("rejects a redirect_uri differing from the authorize request with redirect_uri_mismatch", async () => {
    const code = await codeFor("alice");
    expect(await exchange({ code, redirect_uri: `${CALLBACK}/other` })).toMatchObject({
      error: "redirect_uri_mismatch",
      error_description:
        "The redirect_uri MUST match the registered callback URL for this application.",
    });
  });

  it("issues expiring ghu_ tokens with rotating ghr_ refresh tokens for GitHub App clients", async () => {
    const auth = basic(appClient.clientId, appClient.clientSecret);
    const code = await codeFor("alice", "", appClient.clientId);
    const first = await exchange({ code }, auth);
    expect(first).toEqual({
      access_token: expect.stringMatching(/^ghu_/),
      expires_in: 28800,
      refresh_token: expect.stringMatching(/^ghr_/),
      refresh_token_expires_in: 15897600,
      token_type: "bearer",
      scope: "",
    });
    const second = await exchange(
      { grant_type: "refresh_token", refresh_token: String(first.refresh_token) },
      auth,
    );
    expect(second.access_token).toMatch(/^ghu_/);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(
      await exchange(
        { grant_type: "refresh_token", refresh_token: String(first.refresh_token) },
        auth,
      ),
    ).toMatchObject({
      error: "bad_refresh_token",
    });
    expect((await api("/user", String(second.access_token))).status).toBe(200);
    clock += 28800 * 1000;
    expect(await (await api("/user", String(second.access_token))).json()).toEqual({
      message: "Bad credentials",
      documentation_url: "https://docs.github.com/rest",
      status: "401",
    });
  });
});

describe("REST API", () => {
  it("returns the private user shape with GitHub's headers", async () => {
    const alice = standIn.addUser({ login: "alice", name: "Alice" });
    const token = standIn.issueToken("alice", ["read:user", "user:email"]);
    const response = await api("/user", token);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("x-github-api-version-selected")).toBe("2022-11-28");
    expect(response.headers.get("x-oauth-scopes")).toBe("read:user, user:email");
    expect(response.headers.get("x-accepted-oauth-scopes")).toBe("");
    expect(response.headers.get("x-ratelimit-limit")).toBe("5000");
    expect(response.headers.get("x-ratelimit-remaining")).toBe("4999");
    expect(Number(response.headers.get("x-ratelimit-reset"))).toBeGreaterThan(clock / 1000);
    expect(response.headers.get("etag")).toMatch(/^W\/"[0-9a-f]{64}"$/);
    const user = (await response.json()) as Record<string, unknown>;
    expect(user).toMatchObject({
      login: "alice",
      id: alice.id,
      node_id: expect.any(String),
      avatar_url: `${base}/avatars/alice.svg?v=4`,
      html_url: `${base}/alice`,
      type: "User",
      name: "Alice",
      email: "alice@users.stand-in.test",
      created_at: "2025-01-01T12:00:00Z",
    });
    const avatar = await fetch(String(user.avatar_url));
    expect(avatar.headers.get("content-type")).toContain("image/svg+xml");
  });

  it("answers missing credentials with 401 Requires authentication and bad ones with Bad credentials", async () => {
    expect(await (await api("/user")).json()).toMatchObject({
      message: "Requires authentication",
      status: "401",
    });
    for (const header of ["Bearer nope", "token gho_unknown", "Bearer ", "Basic abc"]) {
      const response = await fetch(`${base}/api/v3/user`, { headers: { Authorization: header } });
      expect(response.status, header).toBe(401);
      expect(await response.json()).toEqual({
        message: "Bad credentials",
        documentation_url: "https://docs.github.com/rest",
        status: "401",
      });
    }
  });

  it("accepts the `token` authorization scheme", async () => {
    standIn.addUser({ login: "alice" });
    const token = standIn.issueToken("alice", []);
    expect(
      (await fetch(`${base}/api/v3/user`, { headers: { Authorization: `token ${token}` } })).status,
    ).toBe(200);
  });

  it("rejects revoked tokens as Bad credentials", async () => {
    standIn.addUser({ login: "alice" });
    const token = standIn.issueToken("alice", ["read:user"]);
    standIn.revokeTokens("ALICE");
    expect((await api("/user", token)).status).toBe(401);
  });

  it("lists emails only with the user:email or user scope", async () => {
    standIn.addUser({
      login: "alice",
      email: "a@example.test",
      emailVerified: false,
      extraEmails: [{ email: "b@example.test", verified: true, primary: true }],
    });
    const without = await api("/user/emails", standIn.issueToken("alice", ["read:user"]));
    expect(without.status).toBe(404);
    expect(await without.json()).toEqual({
      message: "Not Found",
      documentation_url:
        "https://docs.github.com/rest/users/emails#list-email-addresses-for-the-authenticated-user",
      status: "404",
    });
    for (const scope of ["user:email", "user"]) {
      const response = await api("/user/emails", standIn.issueToken("alice", [scope]));
      expect(await response.json()).toEqual([
        { email: "a@example.test", primary: false, verified: false, visibility: null },
        { email: "b@example.test", primary: true, verified: true, visibility: "public" },
      ]);
    }
  });

  it("lists private repositories only for tokens with the repo scope, sorted by pushed_at", async () => {
    standIn.addUser({ login: "alice" });
    standIn.addRepo({ owner: "alice", name: "old", pushedAt: "2024-01-01T00:00:00Z" });
    standIn.addRepo({
      owner: "alice",
      name: "secret",
      private: true,
      pushedAt: "2024-06-01T00:00:00Z",
    });
    standIn.addRepo({ owner: "alice", name: "new", pushedAt: "2024-12-01T00:00:00.123Z" });
    const names = async (token: string) =>
      ((await (await api("/user/repos?sort=pushed", token)).json()) as Array<{ name: string }>).map(
        (r) => r.name,
      );
    expect(await names(standIn.issueToken("alice", ["read:user"]))).toEqual(["new", "old"]);
    expect(await names(standIn.issueToken("alice", ["repo"]))).toEqual(["new", "secret", "old"]);
    const full = await api("/user/repos?sort=full_name", standIn.issueToken("alice", ["repo"]));
    expect(
      ((await full.json()) as Array<{ name: string; pushed_at: string }>).map((r) => r.name),
    ).toEqual(["new", "old", "secret"]);
  });

  it("paginates with a GitHub-style Link header that keeps the other query parameters", async () => {
    standIn.addUser({ login: "alice" });
    for (let i = 0; i < 5; i++) standIn.addRepo({ owner: "alice", name: `r${i}` });
    const token = standIn.issueToken("alice", ["repo"]);
    const first = await api("/user/repos?sort=full_name&per_page=2", token);
    expect(((await first.json()) as unknown[]).length).toBe(2);
    const url = (page: number) =>
      `<${base}/api/v3/user/repos?sort=full_name&per_page=2&page=${page}>`;
    expect(first.headers.get("link")).toBe(`${url(2)}; rel="next", ${url(3)}; rel="last"`);
    const middle = await api("/user/repos?sort=full_name&per_page=2&page=2", token);
    expect(middle.headers.get("link")).toBe(
      `${url(1)}; rel="prev", ${url(3)}; rel="next", ${url(3)}; rel="last", ${url(1)}; rel="first"`,
    );
    const last = await api("/user/repos?sort=full_name&per_page=2&page=3", token);
    expect(((await last.json()) as Array<{ name: string }>).map((r) => r.name)).toEqual(["r4"]);
    expect(last.headers.get("link")).toBe(`${url(2)}; rel="prev", ${url(1)}; rel="first"`);
    const single = await api("/user/repos?per_page=100", token);
    expect(single.headers.get("link")).toBeNull();
  });

  it("finds a repository case-insensitively and answers with its canonical spelling", async () => {
    const owner = standIn.addUser({ login: "Alice" });
    standIn.addRepo({
      owner: "alice",
      name: "Notes",
      description: "d",
      stars: 3,
      defaultBranch: "trunk",
    });
    const response = await api("/repos/ALICE/notes", standIn.issueToken("alice", []));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      name: "Notes",
      full_name: "Alice/Notes",
      owner: { login: "Alice", id: owner.id, type: "User" },
      private: false,
      visibility: "public",
      html_url: `${base}/Alice/Notes`,
      description: "d",
      fork: false,
      default_branch: "trunk",
      stargazers_count: 3,
      archived: false,
      language: null,
    });
  });

  it("hides a private repository from other users and from tokens without repo scope", async () => {
    standIn.addUser({ login: "alice" });
    standIn.addUser({ login: "mallory" });
    standIn.addRepo({ owner: "alice", name: "secret", private: true });
    const notFound = {
      message: "Not Found",
      documentation_url: "https://docs.github.com/rest/repos/repos#get-a-repository",
      status: "404",
    };
    for (const token of [
      standIn.issueToken("mallory", ["repo"]),
      standIn.issueToken("alice", ["read:user"]),
    ]) {
      const response = await api("/repos/alice/secret", token);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual(notFound);
    }
    expect((await api("/repos/alice/secret", standIn.issueToken("alice", ["repo"]))).status).toBe(
      200,
    );
  });

  it("answers a matching If-None-Match with 304 without using up the rate limit", async () => {
    standIn.addUser({ login: "alice" });
    const token = standIn.issueToken("alice", []);
    const first = await api("/user", token);
    const etag = first.headers.get("etag")!;
    const second = await api("/user", token, { "If-None-Match": etag });
    expect(second.status).toBe(304);
    expect(await second.text()).toBe("");
    expect(second.headers.get("x-ratelimit-remaining")).toBe(
      first.headers.get("x-ratelimit-remaining"),
    );
    const third = await api("/user", token, { "If-None-Match": 'W/"stale"' });
    expect(third.status).toBe(200);
    expect(Number(third.headers.get("x-ratelimit-remaining"))).toBe(
      Number(first.headers.get("x-ratelimit-remaining")) - 1,
    );
  });

  it("answers unknown API paths with a JSON 404 and other unknown paths with a plain 404", async () => {
    standIn.addUser({ login: "alice" });
    const response = await api("/nope", standIn.issueToken("alice", []));
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ message: "Not Found" });
    const web = await fetch(`${base}/login/oauth/nothing`, { method: "POST" });
    expect(web.status).toBe(404);
    expect(web.headers.get("content-type")).toContain("text/plain");
  });
});

describe("creating issues", () => {
  const createIssue = (fullName: string, token: string | null, body: unknown) =>
    fetch(`${base}/api/v3/repos/${fullName}/issues`, {
      method: "POST",
      headers: {
        Accept: "application/vnd.github+json",
        "Content-Type": "application/json",
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  it("opens an issue with GitHub's shape, Location header and a page at its html_url", async () => {
    standIn.addUser({ login: "alice" });
    standIn.addRepo({ owner: "alice", name: "notes" });
    const token = standIn.issueToken("alice", ["public_repo"]);
    const response = await createIssue("Alice/Notes", token, {
      title: "Ship it",
      body: "Soon <b>",
    });
    expect(response.status).toBe(201);
    const issue = await response.json();
    expect(issue).toMatchObject({
      number: 1,
      title: "Ship it",
      body: "Soon <b>",
      state: "open",
      user: { login: "alice" },
      author_association: "OWNER",
      html_url: `${base}/alice/notes/issues/1`,
      url: `${base}/api/v3/repos/alice/notes/issues/1`,
      labels: [],
      assignees: [],
    });
    expect(response.headers.get("location")).toBe(issue.url);
    expect(response.headers.get("x-oauth-scopes")).toBe("public_repo");
    const second = await (await createIssue("alice/notes", token, { title: "Again" })).json();
    expect(second.number).toBe(2);
    expect(standIn.issuesOf("alice/notes").map((i) => i.title)).toEqual(["Ship it", "Again"]);
    const page = await fetch(issue.html_url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Ship it");
    expect(html).toContain("Soon &lt;b&gt;");
  });

  it("answers 404 without public_repo or repo, and for private repositories without repo", async () => {
    standIn.addUser({ login: "alice" });
    standIn.addRepo({ owner: "alice", name: "notes" });
    standIn.addRepo({ owner: "alice", name: "secret", private: true });
    const noScope = await createIssue("alice/notes", standIn.issueToken("alice", ["read:user"]), {
      title: "x",
    });
    expect(noScope.status).toBe(404);
    expect(noScope.headers.get("x-accepted-oauth-scopes")).toBe("repo");
    expect(await noScope.json()).toMatchObject({ message: "Not Found", status: "404" });
    const publicOnly = standIn.issueToken("alice", ["public_repo"]);
    expect((await createIssue("alice/secret", publicOnly, { title: "x" })).status).toBe(404);
    const full = standIn.issueToken("alice", ["repo"]);
    expect((await createIssue("alice/secret", full, { title: "x" })).status).toBe(201);
    expect((await createIssue("alice/gone", full, { title: "x" })).status).toBe(404);
    expect((await createIssue("alice/notes", null, { title: "x" })).status).toBe(401);
  });

  it("answers 410 when issues are turned off, and 422 or 400 for bad input", async () => {
    standIn.addUser({ login: "alice" });
    standIn.addRepo({ owner: "alice", name: "quiet", hasIssues: false });
    standIn.addRepo({ owner: "alice", name: "notes" });
    const token = standIn.issueToken("alice", ["repo"]);
    const gone = await createIssue("alice/quiet", token, { title: "x" });
    expect(gone.status).toBe(410);
    expect(await gone.json()).toEqual({
      message: "Issues are disabled for this repo",
      documentation_url: "https://docs.github.com/v3/issues/",
      status: "410",
    });
    const untitled = await createIssue("alice/notes", token, { body: "no title" });
    expect(untitled.status).toBe(422);
    expect((await untitled.json()).message).toBe('Invalid request.\n\n"title" wasn\'t supplied.');
    const long = await createIssue("alice/notes", token, { title: "x".repeat(257) });
    expect(long.status).toBe(422);
    expect((await long.json()).errors).toEqual([
      {
        resource: "Issue",
        code: "custom",
        field: "title",
        message: "title is too long (maximum is 256 characters)",
      },
    ]);
    expect((await createIssue("alice/notes", token, "{not json")).status).toBe(400);
    expect(standIn.issuesOf("alice/notes")).toEqual([]);
  });
});

describe("faults", () => {
  it("answers with a server error for the given number of requests, then normally", async () => {
    standIn.addUser({ login: "alice" });
    const token = standIn.issueToken("alice", []);
    standIn.setFault({ path: "/api/v3/user", status: 502, times: 1 });
    const failed = await api("/user", token);
    expect(failed.status).toBe(502);
    expect(await failed.json()).toEqual({ message: "Server Error" });
    expect((await api("/user", token)).status).toBe(200);
  });

  it("matches whole path segments, so /api/v3/user also covers /api/v3/user/emails but not /api/v3/users", async () => {
    standIn.setFault({ path: "/api/v3/user", status: 500 });
    expect((await api("/user/emails")).status).toBe(500);
    expect((await api("/users")).status).toBe(404);
    standIn.clearFaults();
    expect((await api("/user/emails")).status).toBe(401);
  });

  it("simulates a rate limit with 403 and X-RateLimit-Remaining: 0", async () => {
    standIn.setFault({ path: "/api/v3", status: 403 });
    const response = await api("/user");
    expect(response.status).toBe(403);
    expect(response.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(await response.json()).toEqual({
      message: "API rate limit exceeded for user ID 1.",
      documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
    });
  });

  it("fails the token endpoint too", async () => {
    standIn.setFault({ path: "/login/oauth/access_token", status: 503 });
    const response = await fetch(`${base}/login/oauth/access_token`, { method: "POST" });
    expect(response.status).toBe(503);
  });

  it("delays responses, and survives clients that give up while waiting", async () => {
    standIn.addUser({ login: "alice" });
    const token = standIn.issueToken("alice", []);
    standIn.setFault({ path: "/api/v3/user", delayMs: 150 });
    const started = Date.now();
    expect((await api("/user", token)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await expect(
      fetch(`${base}/api/v3/user`, {
        headers: { Authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(30),
      }),
    ).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 200));
    standIn.clearFaults();
    expect((await api("/user", token)).status).toBe(200);
  });
});

describe("robustness", () => {
  it("refuses request bodies over 64 KiB with 413", async () => {
    const response = await fetch(`${base}/login/oauth/access_token`, {
      method: "POST",
      body: new URLSearchParams({ code: "x".repeat(70 * 1024) }),
    });
    expect(response.status).toBe(413);
  });

  it("refuses oversized bodies sent without a Content-Length", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${base}/_stand-in/users`, {
        method: "POST",
        headers: { "Transfer-Encoding": "chunked" },
      });
      request.on("response", (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on("error", reject);
      for (let i = 0; i < 80; i++) request.write("x".repeat(1024));
      request.end();
    });
    expect(status).toBe(413);
  });

  it("validates logins like GitHub and keeps them unique case-insensitively", () => {
    for (const login of ["", "-a", "a-", "a--b", "a_b", "x".repeat(40), "login"]) {
      expect(() => standIn.addUser({ login }), login).toThrow();
    }
    standIn.addUser({ login: "Zed-9" });
    expect(() => standIn.addUser({ login: "zed-9" })).toThrow(/taken/);
    expect(standIn.addUser({ login: "x".repeat(39) }).login).toHaveLength(39);
  });

  it("derives the same user id from a login in every instance", () => {
    const other = createGitHubStandIn({ clients: [] });
    expect(other.addUser({ login: "Frank" }).id).toBe(standIn.addUser({ login: "frank" }).id);
  });
});

describe("state file", () => {
  async function userStatus(instance: GitHubStandIn, token: string): Promise<number> {
    const server = await instance.listen();
    try {
      return (
        await fetch(`${server.url}/api/v3/user`, { headers: { Authorization: `Bearer ${token}` } })
      ).status;
    } finally {
      await server.close();
    }
  }

  it("keeps users, repos and tokens across restarts without storing raw tokens", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stand-in-"));
    try {
      const stateFile = join(dir, "nested", "state.json");
      const first = createGitHubStandIn({ clients: [client], stateFile });
      first.addUser({ login: "grace" });
      first.addRepo({ owner: "grace", name: "kept" });
      const token = first.issueToken("grace", ["repo"]);
      expect(readFileSync(stateFile, "utf8")).not.toContain(token);

      const second = createGitHubStandIn({ clients: [client], stateFile });
      expect(() => second.addUser({ login: "GRACE" })).toThrow(/taken/);
      expect(() => second.addRepo({ owner: "grace", name: "kept" })).toThrow(/exists/);
      expect(await userStatus(second, token)).toBe(200);
      second.revokeTokens("grace");

      const third = createGitHubStandIn({ clients: [client], stateFile });
      expect(await userStatus(third, token)).toBe(401);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("mounted in an Express app under a prefix", () => {
  let appUrl: string;
  let mounted: GitHubStandIn;
  let server: ReturnType<ReturnType<typeof express>["listen"]>;

  beforeAll(async () => {
    mounted = createGitHubStandIn({ clients: [client] });
    const app = express();
    app.use(express.urlencoded({ extended: false }));
    app.use("/_github", mounted.handle);
    await new Promise<void>((resolve) => {
      server = app.listen(0, "127.0.0.1", () => resolve());
    });
    const address = server.address();
    if (typeof address !== "object" || !address) throw new Error("no address");
    appUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );

  it("posts its form to the prefixed path and completes the flow even after a body parser ran", async () => {
    const page = await (
      await fetch(`${appUrl}/_github/login/oauth/authorize?client_id=${client.clientId}&state=s`)
    ).text();
    expect(page).toContain('action="/_github/login/oauth/authorize"');
    const approved = await fetch(`${appUrl}/_github/login/oauth/authorize`, {
      method: "POST",
      body: new URLSearchParams({
        client_id: client.clientId,
        state: "s",
        decision: "approve",
        login: "judy",
      }),
      redirect: "manual",
    });
    expect(approved.status).toBe(302);
    const code = new URL(approved.headers.get("location")!).searchParams.get("code")!;
    const tokens = (await (
      await fetch(`${appUrl}/_github/login/oauth/access_token`, {
        method: "POST",
        headers: {
          Accept: "application/json",
          Authorization: basic(client.clientId, client.clientSecret),
        },
        body: new URLSearchParams({ code }),
      })
    ).json()) as { access_token: string };
    expect(tokens.access_token).toMatch(/^gho_/);
  });

  it("builds absolute URLs from the Host header, X-Forwarded-Proto and the prefix", async () => {
    mounted.addUser({ login: "kim" });
    const token = mounted.issueToken("kim", ["repo"]);
    // fetch cannot set Host, so this goes through node:http.
    const body = await new Promise<string>((resolve, reject) => {
      const request = httpRequest(`${appUrl}/_github/api/v3/user`, {
        headers: {
          Authorization: `Bearer ${token}`,
          "X-Forwarded-Proto": "https",
          Host: "sandbox.example.test",
        },
      });
      request.on("response", (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => resolve(text));
      });
      request.on("error", reject);
      request.end();
    });
    const user = JSON.parse(body) as { avatar_url: string; html_url: string };
    expect(user.avatar_url).toBe("https://sandbox.example.test/_github/avatars/kim.svg?v=4");
    expect(user.html_url).toBe("https://sandbox.example.test/_github/kim");
  });
});

describe("control API", () => {
  it("creates users and repos, injects and clears faults, revokes tokens and resets", async () => {
    const post = (path: string, body?: unknown) =>
      fetch(`${base}/_stand-in/${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const created = await post("users", { login: "leo", name: "Leo" });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      login: "leo",
      name: "Leo",
      id: expect.any(Number),
    });
    expect((await post("users", { login: "LEO" })).status).toBe(422);
    expect((await post("repos", { owner: "leo", name: "app", private: true })).status).toBe(201);

    const { token } = (await (await post("tokens", { login: "leo", scopes: ["repo"] })).json()) as {
      token: string;
    };
    expect((await api("/repos/leo/app", token)).status).toBe(200);

    expect((await post("faults", { path: "/api/v3", status: 500 })).status).toBe(204);
    expect((await api("/repos/leo/app", token)).status).toBe(500);
    expect((await fetch(`${base}/_stand-in/faults`, { method: "DELETE" })).status).toBe(204);
    expect((await api("/repos/leo/app", token)).status).toBe(200);

    expect((await post("revoke", { login: "leo" })).status).toBe(204);
    expect((await api("/repos/leo/app", token)).status).toBe(401);

    expect((await post("reset")).status).toBe(204);
    expect((await post("users", { login: "leo" })).status).toBe(201);
    expect((await post("faults", { path: "no-slash" })).status).toBe(422);
  });
});
