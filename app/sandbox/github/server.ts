// A GitHub stand-in: the parts of GitHub's OAuth web flow and REST API that SMTG Notion uses,
// with GitHub's response shapes, status codes, headers and error bodies. Laid out like GitHub
// Enterprise Server: web endpoints at {base}/login/oauth/..., the REST API at {base}/api/v3.
// Runs standalone (listen) or mounted in an Express app (handle), where req.baseUrl is the prefix.
import { createHash } from "node:crypto";
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  authorizePage,
  avatarSvg,
  indexPage,
  issuePage,
  messagePage,
  profilePage,
  repoPage,
} from "./pages.js";
import {
  BodyTooLarge,
  clampInt,
  context,
  etagMatches,
  isRecord,
  readBody,
  redirect,
  safeDecode,
  send,
  sendHtml,
  sendJson,
  sendNoContent,
  sendText,
  type Ctx,
  type Params,
} from "./http.js";
import { hasScope, normalizeScopes } from "./scopes.js";
import { issueJson, privateUserJson, repoJson } from "./shapes.js";
import {
  loginProblem,
  randomString,
  StandInInputError,
  Store,
  type StandInIssue,
  type StandInRepo,
  type StandInRepoInput,
  type StandInUser,
  type StandInUserInput,
  type TokenRecord,
} from "./store.js";

export type {
  StandInIssue,
  StandInRepo,
  StandInRepoInput,
  StandInUser,
  StandInUserInput,
} from "./store.js";
export { StandInInputError } from "./store.js";

export interface StandInClient {
  clientId: string;
  clientSecret: string;
  callbackUrl: string;
  /** GitHub App user tokens: ghu_ access tokens that expire, with ghr_ refresh tokens. */
  expiringTokens?: boolean;
  /** Shown on the authorize page; defaults to "SMTG Notion". */
  name?: string;
}

export interface StandInFault {
  /** Path prefix relative to the base, e.g. "/api/v3/user"; matches whole path segments. */
  path: string;
  status?: number;
  delayMs?: number;
  /** How many requests it applies to; default: until clearFaults(). */
  times?: number;
}

export interface GitHubStandIn {
  handle(req: IncomingMessage & { baseUrl?: string }, res: ServerResponse): void;
  listen(port?: number, host?: string): Promise<{ url: string; close(): Promise<void> }>;
  addUser(input: StandInUserInput): StandInUser;
  addRepo(input: StandInRepoInput): StandInRepo;
  issueToken(login: string, scopes: string[]): string;
  revokeTokens(login: string): void;
  /** The issues opened in `owner/name`, oldest first. */
  issuesOf(fullName: string): StandInIssue[];
  setFault(fault: StandInFault): void;
  clearFaults(): void;
  reset(): void;
}

export interface StandInOptions {
  clients: StandInClient[];
  stateFile?: string;
  /** Clock in epoch milliseconds; tests move it to expire codes and tokens. */
  now?: () => number;
  /** Serve the unauthenticated /_stand-in control API (default true); off in the app's sandbox. */
  controlApi?: boolean;
}

const CODE_TTL_MS = 10 * 60 * 1000;
const ACCESS_TOKEN_TTL_S = 28_800;
const REFRESH_TOKEN_TTL_S = 15_897_600;
const API_VERSION = "2022-11-28";
const REST_DOCS = "https://docs.github.com/rest";
const AUTHORIZE_ERRORS_DOCS =
  "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/";
const TOKEN_ERRORS_DOCS =
  "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/";

const TOKEN_ERRORS = {
  incorrect_client_credentials: [
    "The client_id and/or client_secret passed are incorrect.",
    `${TOKEN_ERRORS_DOCS}#incorrect-client-credentials`,
  ],
  redirect_uri_mismatch: [
    "The redirect_uri MUST match the registered callback URL for this application.",
    `${TOKEN_ERRORS_DOCS}#redirect-uri-mismatch2`,
  ],
  bad_verification_code: [
    "The code passed is incorrect or expired.",
    `${TOKEN_ERRORS_DOCS}#bad-verification-code`,
  ],
  bad_refresh_token: [
    "The refresh token passed is incorrect or expired.",
    "https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens",
  ],
  unsupported_grant_type: [
    "The grant type is not supported.",
    "https://docs.github.com/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps",
  ],
} as const;

const DOCS = {
  user: `${REST_DOCS}/users/users#get-the-authenticated-user`,
  emails: `${REST_DOCS}/users/emails#list-email-addresses-for-the-authenticated-user`,
  repos: `${REST_DOCS}/repos/repos#list-repositories-for-the-authenticated-user`,
  repo: `${REST_DOCS}/repos/repos#get-a-repository`,
  createIssue: `${REST_DOCS}/issues/issues#create-an-issue`,
  rateLimit: `${REST_DOCS}/overview/rate-limits-for-the-rest-api`,
};

interface ApiResult {
  status: number;
  body: unknown;
  acceptedScopes?: string;
  headers?: Record<string, string>;
}

export function createGitHubStandIn(options: StandInOptions): GitHubStandIn {
  const now = options.now ?? Date.now;
  const clients = new Map(options.clients.map((c) => [c.clientId, c]));
  const store = new Store(options.stateFile, now);
  let faults: Array<StandInFault & { remaining: number }> = [];
  // Rate-limit windows by user (or by client address when unauthenticated); not persisted.
  const rateWindows = new Map<string, { used: number; resetAt: number }>();

  function setFault(fault: StandInFault): void {
    if (typeof fault?.path !== "string" || !fault.path.startsWith("/")) {
      throw new StandInInputError("fault.path must start with '/'.");
    }
    if (
      fault.status !== undefined &&
      !(Number.isInteger(fault.status) && fault.status >= 400 && fault.status <= 599)
    ) {
      throw new StandInInputError("fault.status must be an HTTP error status (400–599).");
    }
    if (fault.delayMs !== undefined && !(Number.isFinite(fault.delayMs) && fault.delayMs >= 0)) {
      throw new StandInInputError("fault.delayMs must be a non-negative number.");
    }
    if (fault.times !== undefined && !(Number.isInteger(fault.times) && fault.times > 0)) {
      throw new StandInInputError("fault.times must be a positive integer.");
    }
    faults = faults.filter((f) => f.path !== fault.path);
    faults.push({ ...fault, remaining: fault.times ?? Infinity });
  }

  function takeFault(path: string): StandInFault | undefined {
    const fault = faults.find(
      (f) => path === f.path || path.startsWith(f.path.endsWith("/") ? f.path : `${f.path}/`),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) faults = faults.filter((f) => f !== fault);
    return fault;
  }

  function issueToken(login: string, scopes: string[]): string {
    const user = store.findUser(login);
    if (!user) throw new StandInInputError(`Unknown user '${login}'.`);
    return store.issueToken("access", user.login, normalizeScopes(scopes.join(" ")), null, null);
  }

  function handle(req: IncomingMessage & { baseUrl?: string }, res: ServerResponse): void {
    // A client that hangs up mid-response must never take the server (or the host app) down.
    res.on("error", () => {});
    req.on("error", () => {});
    let ctx: Ctx;
    try {
      ctx = context(req, res);
    } catch {
      sendText(res, 400, "Bad Request");
      return;
    }
    dispatch(ctx).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof BodyTooLarge) {
        sendJson(res, 413, {
          message: "Payload Too Large",
          documentation_url: REST_DOCS,
          status: "413",
        });
        return;
      }
      if (error instanceof StandInInputError) {
        sendJson(res, 422, { message: error.message, documentation_url: REST_DOCS, status: "422" });
        return;
      }
      sendJson(res, 500, { message: "Server Error" });
    });
  }

  async function dispatch(ctx: Ctx): Promise<void> {
    const { path, method } = ctx;
    // The control API stays outside fault injection, so tests can always clear faults.
    if (path.startsWith("/_stand-in/") && options.controlApi !== false) return control(ctx);

    const fault = takeFault(path);
    if (fault?.delayMs) {
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (ctx.res.destroyed || ctx.req.destroyed) return;
    }
    if (fault?.status) return sendFault(ctx, fault.status);

    if (path === "/api/v3" || path.startsWith("/api/v3/"))
      return api(ctx, path.slice("/api/v3".length) || "/");
    if (path === "/login/oauth/authorize") {
      if (method === "GET" || method === "HEAD") return authorizeForm(ctx);
      if (method === "POST") return authorizeDecision(ctx);
    }
    if (path === "/login/oauth/access_token" && method === "POST") return accessToken(ctx);
    if (method === "GET" || method === "HEAD") return webPage(ctx);
    sendText(ctx.res, 404, "Not Found");
  }

  // --- OAuth web flow ---------------------------------------------------------------------

  /** The client and where to send the browser back to, or an answer already sent. */
  function checkAuthorizeRequest(
    ctx: Ctx,
    params: Params,
  ): { client: StandInClient; redirectUri: string } | null {
    const client = clients.get(params.client_id ?? "");
    if (!client) {
      sendHtml(
        ctx.res,
        404,
        messagePage("Page not found", "No application is registered with this client_id."),
      );
      return null;
    }
    const requested = params.redirect_uri;
    if (requested && !redirectUriAllowed(requested, client.callbackUrl)) {
      redirect(ctx.res, client.callbackUrl, {
        error: "redirect_uri_mismatch",
        error_description:
          "The redirect_uri MUST match the registered callback URL for this application.",
        error_uri: `${AUTHORIZE_ERRORS_DOCS}#redirect-uri-mismatch`,
        state: params.state,
      });
      return null;
    }
    return { client, redirectUri: requested || client.callbackUrl };
  }

  function renderAuthorize(
    ctx: Ctx,
    client: StandInClient,
    params: Params,
    status: number,
    error?: string,
  ): void {
    const formFields = new Set(["user", "login", "name", "email", "email_verified", "decision"]);
    const users = [...store.users.values()].sort((a, b) => a.login.localeCompare(b.login));
    // On first display GitHub's `login` parameter suggests an account; afterwards it is the form field.
    const suggested = ctx.method === "POST" ? undefined : params.login;
    const suggestedUser = suggested ? store.findUser(suggested) : undefined;
    const html = authorizePage({
      appName: client.name ?? "SMTG Notion",
      action: `${ctx.prefix}/login/oauth/authorize`,
      hidden: Object.entries(params).filter(([name]) => !formFields.has(name)),
      scopes: normalizeScopes(params.scope),
      users,
      selected: params.user ?? suggestedUser?.login ?? "",
      values: {
        login: params.login ?? (suggestedUser ? "" : (suggested ?? "")),
        name: params.name ?? "",
        email: params.email ?? "",
        emailVerified: ctx.method === "POST" ? params.email_verified !== undefined : true,
      },
      error,
    });
    sendHtml(ctx.res, status, html);
  }

  function authorizeForm(ctx: Ctx): void {
    const params = Object.fromEntries(ctx.query);
    const checked = checkAuthorizeRequest(ctx, params);
    if (checked) renderAuthorize(ctx, checked.client, params, 200);
  }

  async function authorizeDecision(ctx: Ctx): Promise<void> {
    const params = await readParams(ctx);
    const checked = checkAuthorizeRequest(ctx, params);
    if (!checked) return;
    const { client, redirectUri } = checked;
    if (params.decision !== "approve") {
      redirect(ctx.res, redirectUri, {
        error: "access_denied",
        error_description: "The user has denied your application access.",
        error_uri: `${AUTHORIZE_ERRORS_DOCS}#access-denied`,
        state: params.state,
      });
      return;
    }
    let user = params.user ? store.findUser(params.user) : undefined;
    if (!user) {
      const login = (params.login ?? "").trim();
      if (!login)
        return renderAuthorize(
          ctx,
          client,
          params,
          422,
          "Choose a user or enter a login for a new one.",
        );
      const problem = loginProblem(login);
      if (problem) return renderAuthorize(ctx, client, params, 422, problem);
      user = store.findUser(login);
      if (!user) {
        try {
          user = store.addUser({
            login,
            name: params.name || null,
            email: (params.email ?? "").trim() || undefined,
            emailVerified: params.email_verified !== undefined,
          });
        } catch (error) {
          if (error instanceof StandInInputError)
            return renderAuthorize(ctx, client, params, 422, error.message);
          throw error;
        }
        store.addSampleRepos(user.login);
      }
    }
    const code = randomString(20, "0123456789abcdef");
    store.codes.set(code, {
      clientId: client.clientId,
      login: user.login,
      redirectUri,
      scopes: normalizeScopes(params.scope),
      expiresAt: now() + CODE_TTL_MS,
    });
    redirect(ctx.res, redirectUri, { code, state: params.state });
  }

  async function accessToken(ctx: Ctx): Promise<void> {
    const params = await readParams(ctx);
    const json = (ctx.req.headers.accept ?? "").toLowerCase().includes("application/json");
    const answer = (body: Record<string, string | number>) => {
      ctx.res.setHeader("Cache-Control", "no-store");
      if (json) return sendJson(ctx.res, 200, body);
      const form = new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)]));
      send(ctx.res, 200, "application/x-www-form-urlencoded; charset=utf-8", form.toString());
    };
    const fail = (error: keyof typeof TOKEN_ERRORS) => {
      const [description, uri] = TOKEN_ERRORS[error];
      answer({ error, error_description: description, error_uri: uri });
    };

    const [clientId, clientSecret] = clientCredentials(ctx.req, params);
    const client = clients.get(clientId);
    if (!client || client.clientSecret !== clientSecret)
      return fail("incorrect_client_credentials");

    const grant = params.grant_type || "authorization_code";
    let login: string;
    let scopes: string[];
    if (grant === "authorization_code") {
      const code = params.code ?? "";
      const record = store.codes.get(code);
      if (!record || record.clientId !== client.clientId || record.expiresAt <= now()) {
        return fail("bad_verification_code");
      }
      if (params.redirect_uri && params.redirect_uri !== record.redirectUri)
        return fail("redirect_uri_mismatch");
      store.codes.delete(code);
      ({ login, scopes } = record);
    } else if (grant === "refresh_token") {
      const refreshToken = params.refresh_token ?? "";
      const record = client.expiringTokens ? store.lookupToken(refreshToken, "refresh") : undefined;
      if (!record || record.clientId !== client.clientId) return fail("bad_refresh_token");
      store.deleteToken(refreshToken);
      ({ login, scopes } = record);
    } else {
      return fail("unsupported_grant_type");
    }

    const scope = scopes.join(",");
    if (!client.expiringTokens) {
      const token = store.issueToken("access", login, scopes, client.clientId, null);
      return answer({ access_token: token, token_type: "bearer", scope });
    }
    const token = store.issueToken("access", login, scopes, client.clientId, ACCESS_TOKEN_TTL_S);
    const refresh = store.issueToken(
      "refresh",
      login,
      scopes,
      client.clientId,
      REFRESH_TOKEN_TTL_S,
    );
    answer({
      access_token: token,
      expires_in: ACCESS_TOKEN_TTL_S,
      refresh_token: refresh,
      refresh_token_expires_in: REFRESH_TOKEN_TTL_S,
      token_type: "bearer",
      scope,
    });
  }

  // --- REST API ---------------------------------------------------------------------------

  async function api(ctx: Ctx, route: string): Promise<void> {
    const { req, res } = ctx;
    const authorization = req.headers.authorization ?? "";
    const match = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(authorization);
    const token = match?.[1] ? store.lookupToken(match[1], "access") : undefined;
    const user = token ? store.findUser(token.login) : undefined;
    const limitKey = user ? `user:${user.id}` : `ip:${req.socket.remoteAddress ?? "?"}`;
    const limit = user ? 5000 : 60;

    let result: ApiResult;
    if (authorization && !user) {
      result = {
        status: 401,
        body: { message: "Bad credentials", documentation_url: REST_DOCS, status: "401" },
      };
    } else if (rateWindow(limitKey).used >= limit) {
      result = {
        status: 403,
        body: {
          message: `API rate limit exceeded for ${user ? `user ID ${user.id}` : "this address"}.`,
          documentation_url: DOCS.rateLimit,
        },
      };
    } else if (ctx.method === "POST" && issuesRoute.test(route)) {
      result = await createIssue(ctx, route, user, token);
    } else if (ctx.method !== "GET" && ctx.method !== "HEAD") {
      result = notFound(REST_DOCS);
    } else {
      result = apiRoute(ctx, route, user, token);
    }

    const text = JSON.stringify(result.body, null, 2);
    const etag = `W/"${createHash("sha256").update(text).digest("hex")}"`;
    const notModified = result.status === 200 && etagMatches(req.headers["if-none-match"], etag);
    // Like GitHub, a conditional request answered with 304 does not count against the limit.
    const window = rateWindow(limitKey);
    if (!notModified) window.used += 1;
    const headers: Record<string, string> = {
      "X-GitHub-Api-Version-Selected": API_VERSION,
      "X-GitHub-Media-Type": "github.v3; format=json",
      "X-RateLimit-Limit": String(limit),
      "X-RateLimit-Remaining": String(Math.max(0, limit - window.used)),
      "X-RateLimit-Reset": String(Math.floor(window.resetAt / 1000)),
      "X-RateLimit-Used": String(window.used),
      "X-RateLimit-Resource": "core",
      "X-Accepted-OAuth-Scopes": result.acceptedScopes ?? "",
      Vary: "Accept, Authorization, Cookie, X-GitHub-OTP",
      ...(user && token ? { "X-OAuth-Scopes": token.scopes.join(", ") } : {}),
      ...result.headers,
    };
    if (result.status === 200 || result.status === 201) {
      headers.ETag = etag;
      headers["Cache-Control"] = user
        ? "private, max-age=60, s-maxage=60"
        : "public, max-age=60, s-maxage=60";
    }
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (notModified) {
      res.statusCode = 304;
      res.end();
      return;
    }
    sendJson(res, result.status, result.body, text);
  }

  function rateWindow(key: string): { used: number; resetAt: number } {
    let window = rateWindows.get(key);
    if (!window || window.resetAt <= now()) {
      window = { used: 0, resetAt: now() + 3_600_000 };
      rateWindows.set(key, window);
    }
    return window;
  }

  function apiRoute(
    ctx: Ctx,
    route: string,
    user: StandInUser | undefined,
    token: TokenRecord | undefined,
  ): ApiResult {
    const scopes = token?.scopes ?? [];
    const requireAuth = (docs: string): ApiResult => ({
      status: 401,
      body: { message: "Requires authentication", documentation_url: docs, status: "401" },
    });
    if (route === "/user") {
      if (!user) return requireAuth(DOCS.user);
      return {
        status: 200,
        body: privateUserJson(ctx.base, user, store.reposOf(user.login)),
        acceptedScopes: "",
      };
    }
    if (route === "/user/emails") {
      if (!user) return requireAuth(DOCS.emails);
      const acceptedScopes = "user, user:email";
      if (!hasScope(scopes, "user:email")) return { ...notFound(DOCS.emails), acceptedScopes };
      const body = user.emails.map((e) => ({
        email: e.email,
        primary: e.primary,
        verified: e.verified,
        visibility: e.primary && e.verified ? "public" : null,
      }));
      return { status: 200, body, acceptedScopes };
    }
    if (route === "/user/repos") {
      if (!user) return requireAuth(DOCS.repos);
      return listRepos(ctx, user, scopes);
    }
    const repoMatch = /^\/repos\/([^/]+)\/([^/]+)$/.exec(route);
    if (repoMatch) {
      const repo = store.findRepo(
        decodeURIComponent(repoMatch[1]!),
        decodeURIComponent(repoMatch[2]!),
      );
      if (!repo || !canSee(repo, user, scopes))
        return { ...notFound(DOCS.repo), acceptedScopes: "repo" };
      return {
        status: 200,
        body: repoJson(ctx.base, repo, store.findUser(repo.owner), user, true),
        acceptedScopes: "repo",
      };
    }
    return notFound(REST_DOCS);
  }

  /**
   * POST /repos/{owner}/{repo}/issues. Like GitHub with an OAuth token: a repository the token
   * may not write to (no public_repo or repo scope, or a private one it cannot see) is 404;
   * issues turned off is 410; a missing or too long title is 422.
   */
  async function createIssue(
    ctx: Ctx,
    route: string,
    user: StandInUser | undefined,
    token: TokenRecord | undefined,
  ): Promise<ApiResult> {
    if (!user || !token) {
      return {
        status: 401,
        body: {
          message: "Requires authentication",
          documentation_url: DOCS.createIssue,
          status: "401",
        },
      };
    }
    const [, owner = "", name = ""] = issuesRoute.exec(route)!;
    const repo = store.findRepo(safeDecode(owner), safeDecode(name));
    const acceptedScopes = "repo";
    const needed = repo?.private ? "repo" : "public_repo";
    if (!repo || !canSee(repo, user, token.scopes) || !hasScope(token.scopes, needed)) {
      return { ...notFound(DOCS.createIssue), acceptedScopes };
    }
    if (!repo.hasIssues) {
      return {
        status: 410,
        body: {
          message: "Issues are disabled for this repo",
          documentation_url: "https://docs.github.com/v3/issues/",
          status: "410",
        },
        acceptedScopes,
      };
    }
    let params: Record<string, unknown>;
    try {
      params = await readParamsJson(ctx);
    } catch (error) {
      if (!(error instanceof StandInInputError)) throw error;
      return {
        status: 400,
        body: {
          message: "Problems parsing JSON",
          documentation_url: DOCS.createIssue,
          status: "400",
        },
        acceptedScopes,
      };
    }
    const title =
      typeof params.title === "string" || typeof params.title === "number"
        ? String(params.title)
        : "";
    if (!title.trim()) {
      return {
        status: 422,
        body: {
          message: 'Invalid request.\n\n"title" wasn\'t supplied.',
          documentation_url: DOCS.createIssue,
          status: "422",
        },
        acceptedScopes,
      };
    }
    if (title.length > 256) {
      return {
        status: 422,
        body: {
          message: "Validation Failed",
          errors: [
            {
              resource: "Issue",
              code: "custom",
              field: "title",
              message: "title is too long (maximum is 256 characters)",
            },
          ],
          documentation_url: DOCS.createIssue,
          status: "422",
        },
        acceptedScopes,
      };
    }
    const body = typeof params.body === "string" ? params.body : null;
    const issue = store.addIssue(repo, user.login, title, body);
    const json = issueJson(ctx.base, issue, user, store.findUser(repo.owner));
    return { status: 201, body: json, acceptedScopes, headers: { Location: json.url } };
  }

  function canSee(repo: StandInRepo, user: StandInUser | undefined, scopes: string[]): boolean {
    if (!repo.private) return true;
    return (
      !!user && repo.owner.toLowerCase() === user.login.toLowerCase() && hasScope(scopes, "repo")
    );
  }

  function listRepos(ctx: Ctx, user: StandInUser, scopes: string[]): ApiResult {
    const q = ctx.query;
    const visibility = q.get("visibility") ?? "all";
    const affiliation = (q.get("affiliation") ?? "owner,collaborator,organization_member").split(
      ",",
    );
    const sort = q.get("sort") ?? "full_name";
    const direction = q.get("direction") ?? (sort === "full_name" ? "asc" : "desc");
    const perPage = clampInt(q.get("per_page"), 30, 1, 100);
    const page = clampInt(q.get("page"), 1, 1, Number.MAX_SAFE_INTEGER);

    let repos = affiliation.map((a) => a.trim()).includes("owner") ? store.reposOf(user.login) : [];
    repos = repos.filter((r) => canSee(r, user, scopes));
    if (visibility === "public") repos = repos.filter((r) => !r.private);
    if (visibility === "private") repos = repos.filter((r) => r.private);
    const key = (r: StandInRepo): string =>
      sort === "pushed"
        ? r.pushedAt
        : sort === "updated"
          ? r.updatedAt
          : sort === "created"
            ? r.createdAt
            : `${r.owner}/${r.name}`.toLowerCase();
    repos.sort((a, b) => key(a).localeCompare(key(b)) || a.id - b.id);
    if (direction === "desc") repos.reverse();

    const last = Math.max(1, Math.ceil(repos.length / perPage));
    const body = repos
      .slice((page - 1) * perPage, page * perPage)
      .map((r) => repoJson(ctx.base, r, user, user, false));
    const link = linkHeader(ctx, page, last);
    return { status: 200, body, acceptedScopes: "", headers: link ? { Link: link } : {} };
  }

  // GitHub's order: prev, next, last, first; every other query parameter is kept as sent.
  function linkHeader(ctx: Ctx, page: number, last: number): string | null {
    const url = (n: number) => {
      const query = new URLSearchParams(ctx.query);
      query.set("page", String(n));
      return `<${ctx.base}/api/v3${ctx.path.slice("/api/v3".length)}?${query}>`;
    };
    const parts: string[] = [];
    if (page > 1) parts.push(`${url(Math.min(page - 1, last))}; rel="prev"`);
    if (page < last) parts.push(`${url(page + 1)}; rel="next"`, `${url(last)}; rel="last"`);
    if (page > 1) parts.push(`${url(1)}; rel="first"`);
    return parts.length ? parts.join(", ") : null;
  }

  // --- Web pages, avatars, control API ----------------------------------------------------

  function webPage(ctx: Ctx): void {
    const segments = ctx.path.split("/").filter(Boolean).map(safeDecode);
    const avatar = ctx.path.startsWith("/avatars/")
      ? /^([^/]+)\.svg$/.exec(segments[1] ?? "")
      : null;
    if (avatar && segments.length === 2) {
      const user = store.findUser(avatar[1]!);
      if (!user) return sendText(ctx.res, 404, "Not Found");
      ctx.res.setHeader("Cache-Control", "public, max-age=300");
      return send(ctx.res, 200, "image/svg+xml; charset=utf-8", avatarSvg(user.login, user.id));
    }
    const users = [...store.users.values()].sort((a, b) => a.login.localeCompare(b.login));
    if (segments.length === 0) return sendHtml(ctx.res, 200, indexPage(ctx.prefix, users));
    const user = store.findUser(segments[0]!);
    if (user && segments.length === 1) {
      const repos = store.reposOf(user.login).sort((a, b) => a.name.localeCompare(b.name));
      return sendHtml(ctx.res, 200, profilePage(ctx.prefix, user, repos));
    }
    const repo = segments.length >= 2 ? store.findRepo(segments[0]!, segments[1]!) : undefined;
    if (repo && segments.length === 2) return sendHtml(ctx.res, 200, repoPage(repo));
    if (repo && segments.length === 4 && segments[2] === "issues") {
      const issue = store
        .issuesOf(repo.owner, repo.name)
        .find((i) => String(i.number) === segments[3]);
      if (issue) return sendHtml(ctx.res, 200, issuePage(issue));
    }
    sendHtml(
      ctx.res,
      404,
      messagePage("Page not found", "There is nothing at this address in the GitHub stand-in."),
    );
  }

  async function control(ctx: Ctx): Promise<void> {
    const { res, method } = ctx;
    const route = `${method} ${ctx.path.replace(/\/$/, "")}`;
    const body = method === "POST" ? await readParamsJson(ctx) : {};
    switch (route) {
      case "POST /_stand-in/users":
        return sendJson(res, 201, standIn.addUser(body as unknown as StandInUserInput));
      case "POST /_stand-in/repos":
        return sendJson(res, 201, standIn.addRepo(body as unknown as StandInRepoInput));
      case "POST /_stand-in/tokens": {
        const scopes = Array.isArray(body.scopes) ? body.scopes.map(String) : [];
        return sendJson(res, 201, { token: issueToken(String(body.login ?? ""), scopes) });
      }
      case "POST /_stand-in/faults":
        setFault(body as unknown as StandInFault);
        return sendNoContent(res);
      case "DELETE /_stand-in/faults":
        standIn.clearFaults();
        return sendNoContent(res);
      case "POST /_stand-in/revoke":
        standIn.revokeTokens(String(body.login ?? ""));
        return sendNoContent(res);
      case "POST /_stand-in/reset":
        standIn.reset();
        return sendNoContent(res);
      case "GET /_stand-in/issues":
        return sendJson(res, 200, standIn.issuesOf(ctx.query.get("repo") ?? ""));
      default:
        sendJson(res, 404, { message: "Not Found", documentation_url: REST_DOCS, status: "404" });
    }
  }

  function sendFault(ctx: Ctx, status: number): void {
    const res = ctx.res;
    if (status === 403 || status === 429) {
      res.setHeader("X-RateLimit-Limit", "5000");
      res.setHeader("X-RateLimit-Remaining", "0");
      res.setHeader("X-RateLimit-Used", "5000");
      res.setHeader("X-RateLimit-Reset", String(Math.floor(now() / 1000) + 3600));
      res.setHeader("X-RateLimit-Resource", "core");
      return sendJson(res, status, {
        message: "API rate limit exceeded for user ID 1.",
        documentation_url: DOCS.rateLimit,
      });
    }
    if (status >= 500) return sendJson(res, status, { message: "Server Error" });
    const message = status === 401 ? "Bad credentials" : (STATUS_CODES[status] ?? "Error");
    sendJson(res, status, { message, documentation_url: REST_DOCS, status: String(status) });
  }

  async function readParamsJson(ctx: Ctx): Promise<Record<string, unknown>> {
    const raw = await readBody(ctx);
    if (raw === null) return isRecord(ctx.req.body) ? ctx.req.body : {};
    if (!raw.trim()) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new StandInInputError("Problems parsing JSON");
    }
    if (!isRecord(parsed)) throw new StandInInputError("Expected a JSON object.");
    return parsed;
  }

  /** Form-encoded or JSON body as strings. */
  async function readParams(ctx: Ctx): Promise<Params> {
    const type = (ctx.req.headers["content-type"] ?? "").toLowerCase();
    let values: Record<string, unknown>;
    if (type.includes("json")) {
      values = await readParamsJson(ctx).catch((error: unknown) => {
        if (error instanceof StandInInputError) return {};
        throw error;
      });
    } else {
      const raw = await readBody(ctx);
      values =
        raw === null
          ? isRecord(ctx.req.body)
            ? ctx.req.body
            : {}
          : Object.fromEntries(new URLSearchParams(raw));
    }
    const params: Params = {};
    for (const [key, value] of Object.entries(values)) {
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
        params[key] = String(value);
    }
    return params;
  }

  const standIn: GitHubStandIn = {
    handle,
    async listen(port = 0, host = "127.0.0.1") {
      const server = createServer((req, res) => handle(req, res));
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve();
        });
      });
      const address = server.address() as AddressInfo;
      const hostPart = address.family === "IPv6" ? `[${address.address}]` : address.address;
      return {
        url: `http://${hostPart}:${address.port}`,
        close: () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      };
    },
    addUser: (input) => store.addUser(input),
    addRepo: (input) => store.addRepo(input),
    issueToken,
    revokeTokens: (login) => store.revokeTokens(login),
    issuesOf(fullName) {
      const [owner = "", name = ""] = fullName.split("/");
      return store.issuesOf(owner, name);
    },
    setFault,
    clearFaults() {
      faults = [];
    },
    reset() {
      store.clear();
      faults = [];
      rateWindows.clear();
    },
  };
  return standIn;
}

function clientCredentials(req: IncomingMessage, params: Params): [string, string] {
  const basic = /^basic\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon >= 0)
      return [safeDecode(decoded.slice(0, colon)), safeDecode(decoded.slice(colon + 1))];
  }
  return [params.client_id ?? "", params.client_secret ?? ""];
}

// GitHub: same scheme, host and port; the path equal to the callback's or below it.
function redirectUriAllowed(candidate: string, callbackUrl: string): boolean {
  let uri: URL;
  let callback: URL;
  try {
    uri = new URL(candidate);
    callback = new URL(callbackUrl);
  } catch {
    return false;
  }
  if (uri.protocol !== callback.protocol || uri.host !== callback.host) return false;
  const base = callback.pathname.replace(/\/+$/, "");
  return (
    uri.pathname === callback.pathname ||
    uri.pathname === base ||
    uri.pathname.startsWith(`${base}/`)
  );
}

const issuesRoute = /^\/repos\/([^/]+)\/([^/]+)\/issues$/;

function notFound(docs: string): ApiResult {
  return { status: 404, body: { message: "Not Found", documentation_url: docs, status: "404" } };
}
