// The stand-in's data: users, repositories, tokens and one-time codes, optionally persisted to a
// small JSON file so the local sandbox keeps its accounts across app restarts.
import { createHash, randomInt } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface StandInUserInput {
  login: string;
  name?: string | null;
  email?: string;
  emailVerified?: boolean;
  extraEmails?: Array<{ email: string; verified: boolean; primary?: boolean }>;
}

export interface StandInRepoInput {
  owner: string;
  name: string;
  private?: boolean;
  description?: string | null;
  defaultBranch?: string;
  stars?: number;
  pushedAt?: string;
  /** Issues turned on (GitHub's has_issues); off, creating one answers 410. */
  hasIssues?: boolean;
}

export interface StandInEmail {
  email: string;
  verified: boolean;
  primary: boolean;
}

export interface StandInUser {
  id: number;
  login: string;
  name: string | null;
  emails: StandInEmail[];
  createdAt: string;
  updatedAt: string;
}

export interface StandInRepo {
  id: number;
  /** The owner's login, spelled as the owner spells it. */
  owner: string;
  name: string;
  private: boolean;
  description: string | null;
  defaultBranch: string;
  stars: number;
  pushedAt: string;
  createdAt: string;
  updatedAt: string;
  hasIssues: boolean;
}

export interface StandInIssue {
  id: number;
  number: number;
  /** The repository's owner and name, spelled as the repository spells them. */
  owner: string;
  repo: string;
  title: string;
  body: string | null;
  /** Login of the user who opened it. */
  user: string;
  createdAt: string;
}

export interface TokenRecord {
  /** SHA-256 of the token: the state file never holds a usable token. */
  hash: string;
  kind: "access" | "refresh";
  login: string;
  scopes: string[];
  clientId: string | null;
  /** Epoch milliseconds; null for tokens that never expire (OAuth app tokens). */
  expiresAt: number | null;
}

export interface CodeRecord {
  clientId: string;
  login: string;
  redirectUri: string;
  scopes: string[];
  expiresAt: number;
}

/** Bad input from a test or the authorize form; shown to the caller, never a crash. */
export class StandInInputError extends Error {
  override name = "StandInInputError";
}

// GitHub's rule: 1–39 alphanumerics or single hyphens, no leading or trailing hyphen.
const LOGIN_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
// Top-level paths of the stand-in itself; a user with one of these logins would shadow them.
const RESERVED_LOGINS = new Set(["login", "api", "avatars"]);
const REPO_NAME_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;
const EMAIL_PATTERN = /^[^\s@<>]+@[^\s@<>]+$/;

export function loginProblem(login: string): string | null {
  if (!LOGIN_PATTERN.test(login)) {
    return "Login may only contain alphanumeric characters or single hyphens, cannot begin or end with a hyphen, and is at most 39 characters.";
  }
  if (RESERVED_LOGINS.has(login.toLowerCase())) return `Login '${login}' is reserved.`;
  return null;
}

/** GitHub timestamps carry no milliseconds. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomString(length: number, alphabet = BASE62): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

// Derived from the name so a login keeps its id across restarts and separate test runs.
function stableId(key: string): number {
  const n = createHash("sha256").update(key).digest().readUInt32BE(0) & 0x7fffffff;
  return n === 0 ? 1 : n;
}

interface StateFile {
  version: 1;
  users: StandInUser[];
  repos: StandInRepo[];
  tokens: TokenRecord[];
  /** Added later: older files have none. */
  issues?: StandInIssue[];
}

export class Store {
  readonly users = new Map<string, StandInUser>(); // key: lowercased login
  readonly repos = new Map<string, StandInRepo>(); // key: lowercased "owner/name"
  readonly tokens = new Map<string, TokenRecord>(); // key: token hash
  readonly codes = new Map<string, CodeRecord>();
  readonly issues: StandInIssue[] = [];

  constructor(
    private readonly file: string | undefined,
    private readonly now: () => number,
  ) {
    if (file && existsSync(file)) this.load(file);
  }

  findUser(login: string): StandInUser | undefined {
    return this.users.get(login.toLowerCase());
  }

  addUser(input: StandInUserInput): StandInUser {
    if (typeof input?.login !== "string") throw new StandInInputError("login is required.");
    const problem = loginProblem(input.login);
    if (problem) throw new StandInInputError(problem);
    if (this.findUser(input.login))
      throw new StandInInputError(`Login '${input.login}' is already taken.`);
    const name =
      typeof input.name === "string" && input.name.trim() ? input.name.trim().slice(0, 255) : null;
    const emails = buildEmails(input);
    let id = stableId(input.login.toLowerCase());
    const taken = new Set([...this.users.values()].map((u) => u.id));
    while (taken.has(id)) id = id >= 0x7fffffff ? 1 : id + 1;
    const at = isoSeconds(this.now());
    const user: StandInUser = {
      id,
      login: input.login,
      name,
      emails,
      createdAt: at,
      updatedAt: at,
    };
    this.users.set(input.login.toLowerCase(), user);
    this.save();
    return user;
  }

  findRepo(owner: string, name: string): StandInRepo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  reposOf(login: string): StandInRepo[] {
    const key = login.toLowerCase();
    return [...this.repos.values()].filter((r) => r.owner.toLowerCase() === key);
  }

  addRepo(input: StandInRepoInput): StandInRepo {
    const owner = typeof input?.owner === "string" ? this.findUser(input.owner) : undefined;
    if (!owner)
      throw new StandInInputError(`Unknown owner '${String(input?.owner)}': add the user first.`);
    if (
      typeof input.name !== "string" ||
      !REPO_NAME_PATTERN.test(input.name) ||
      /^\.\.?$/.test(input.name)
    ) {
      throw new StandInInputError(
        "Repository names may contain letters, digits, '.', '-' and '_' (at most 100).",
      );
    }
    if (this.findRepo(owner.login, input.name)) {
      throw new StandInInputError(`Repository '${owner.login}/${input.name}' already exists.`);
    }
    const stars = input.stars ?? 0;
    if (!Number.isInteger(stars) || stars < 0)
      throw new StandInInputError("stars must be a non-negative integer.");
    const pushedMs = input.pushedAt === undefined ? this.now() : Date.parse(input.pushedAt);
    if (Number.isNaN(pushedMs)) throw new StandInInputError("pushedAt must be an ISO 8601 date.");
    if (
      input.description !== undefined &&
      input.description !== null &&
      typeof input.description !== "string"
    ) {
      throw new StandInInputError("description must be a string or null.");
    }
    if (input.defaultBranch !== undefined && typeof input.defaultBranch !== "string") {
      throw new StandInInputError("defaultBranch must be a string.");
    }
    const at = isoSeconds(this.now());
    const repo: StandInRepo = {
      id: stableId(`repo:${owner.login}/${input.name}`.toLowerCase()),
      owner: owner.login,
      name: input.name,
      private: input.private === true,
      description: input.description ?? null,
      defaultBranch: input.defaultBranch || "main",
      stars,
      pushedAt: isoSeconds(pushedMs),
      createdAt: at,
      updatedAt: at,
      hasIssues: input.hasIssues !== false,
    };
    this.repos.set(`${owner.login}/${input.name}`.toLowerCase(), repo);
    this.save();
    return repo;
  }

  issuesOf(owner: string, name: string): StandInIssue[] {
    const key = `${owner}/${name}`.toLowerCase();
    return this.issues.filter((issue) => `${issue.owner}/${issue.repo}`.toLowerCase() === key);
  }

  addIssue(repo: StandInRepo, login: string, title: string, body: string | null): StandInIssue {
    const issue: StandInIssue = {
      id: stableId(`issue:${repo.owner}/${repo.name}#${this.issues.length}:${randomString(8)}`),
      number: this.issuesOf(repo.owner, repo.name).length + 1,
      owner: repo.owner,
      repo: repo.name,
      title,
      body,
      user: login,
      createdAt: isoSeconds(this.now()),
    };
    this.issues.push(issue);
    this.save();
    return issue;
  }

  /** Gives people who sign up through the authorize page something to link right away. */
  addSampleRepos(login: string): void {
    const now = this.now();
    this.addRepo({
      owner: login,
      name: "notes",
      description: "Notes kept in the local GitHub stand-in",
      pushedAt: isoSeconds(now - 3_600_000),
    });
    this.addRepo({
      owner: login,
      name: "private-plans",
      private: true,
      description: "A private repository in the local GitHub stand-in",
      pushedAt: isoSeconds(now - 86_400_000),
    });
  }

  issueToken(
    kind: TokenRecord["kind"],
    login: string,
    scopes: string[],
    clientId: string | null,
    ttlSeconds: number | null,
  ): string {
    const prefix = kind === "refresh" ? "ghr_" : ttlSeconds === null ? "gho_" : "ghu_";
    const token = prefix + randomString(kind === "refresh" ? 76 : 36);
    this.tokens.set(sha256(token), {
      hash: sha256(token),
      kind,
      login,
      scopes,
      clientId,
      expiresAt: ttlSeconds === null ? null : this.now() + ttlSeconds * 1000,
    });
    this.save();
    return token;
  }

  /** The live token record, or undefined for unknown, revoked, expired or orphaned tokens. */
  lookupToken(token: string, kind: TokenRecord["kind"]): TokenRecord | undefined {
    const record = this.tokens.get(sha256(token));
    if (!record || record.kind !== kind) return undefined;
    if (record.expiresAt !== null && record.expiresAt <= this.now()) return undefined;
    if (!this.findUser(record.login)) return undefined;
    return record;
  }

  deleteToken(token: string): void {
    this.tokens.delete(sha256(token));
    this.save();
  }

  revokeTokens(login: string): void {
    const key = login.toLowerCase();
    for (const [hash, record] of this.tokens) {
      if (record.login.toLowerCase() === key) this.tokens.delete(hash);
    }
    this.save();
  }

  clear(): void {
    this.users.clear();
    this.repos.clear();
    this.tokens.clear();
    this.codes.clear();
    this.issues.length = 0;
    this.save();
  }

  private load(file: string): void {
    let state: StateFile;
    try {
      state = JSON.parse(readFileSync(file, "utf8")) as StateFile;
      if (
        state.version !== 1 ||
        !Array.isArray(state.users) ||
        !Array.isArray(state.repos) ||
        !Array.isArray(state.tokens)
      ) {
        throw new Error("unexpected format");
      }
    } catch (error) {
      // Refuse to start rather than silently overwrite someone's sandbox data.
      throw new Error(
        `GitHub stand-in: cannot read state file ${file} (${error instanceof Error ? error.message : String(error)}). Delete it to start afresh.`,
        { cause: error },
      );
    }
    for (const user of state.users) this.users.set(user.login.toLowerCase(), user);
    for (const repo of state.repos)
      this.repos.set(`${repo.owner}/${repo.name}`.toLowerCase(), {
        ...repo,
        hasIssues: repo.hasIssues ?? true,
      });
    for (const token of state.tokens) this.tokens.set(token.hash, token);
    this.issues.push(...(state.issues ?? []));
  }

  private save(): void {
    if (!this.file) return;
    const state: StateFile = {
      version: 1,
      users: [...this.users.values()],
      repos: [...this.repos.values()],
      tokens: [...this.tokens.values()],
      issues: this.issues,
    };
    mkdirSync(dirname(this.file), { recursive: true });
    // Write-then-rename so a crash mid-write never leaves a truncated file behind.
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(state, null, 2) + "\n");
    renameSync(temporary, this.file);
  }
}

function buildEmails(input: StandInUserInput): StandInEmail[] {
  const main =
    input.email === undefined || input.email === ""
      ? `${input.login}@users.stand-in.test`
      : input.email;
  const extras = Array.isArray(input.extraEmails) ? input.extraEmails : [];
  for (const email of [main, ...extras.map((e) => e?.email)]) {
    if (typeof email !== "string" || !EMAIL_PATTERN.test(email) || email.length > 254) {
      throw new StandInInputError(`'${String(email)}' is not a valid email address.`);
    }
  }
  // An extra email marked primary takes over; GitHub has exactly one primary address.
  const primaryExtra = extras.findIndex((e) => e?.primary === true);
  const emails: StandInEmail[] = [
    { email: main, verified: input.emailVerified !== false, primary: primaryExtra === -1 },
  ];
  extras.forEach((extra, index) => {
    if (emails.some((e) => e.email.toLowerCase() === extra.email.toLowerCase())) return;
    emails.push({
      email: extra.email,
      verified: extra.verified === true,
      primary: index === primaryExtra,
    });
  });
  if (!emails.some((e) => e.primary)) emails[0]!.primary = true;
  return emails;
}
