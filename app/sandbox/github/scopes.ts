// OAuth scopes the way GitHub treats them: unknown scopes are dropped, scopes implied by a broader
// granted scope are folded into it, and the result is reported comma-separated.

// Each scope and the narrower scopes it includes.
const INCLUDES: Record<string, string[]> = {
  repo: ["repo:status", "repo_deployment", "public_repo", "repo:invite", "security_events"],
  "repo:status": [],
  repo_deployment: [],
  public_repo: [],
  "repo:invite": [],
  security_events: [],
  "admin:repo_hook": ["write:repo_hook"],
  "write:repo_hook": ["read:repo_hook"],
  "read:repo_hook": [],
  "admin:org": ["write:org"],
  "write:org": ["read:org"],
  "read:org": [],
  "admin:public_key": ["write:public_key"],
  "write:public_key": ["read:public_key"],
  "read:public_key": [],
  "admin:org_hook": [],
  gist: [],
  notifications: [],
  user: ["read:user", "user:email", "user:follow"],
  "read:user": [],
  "user:email": [],
  "user:follow": [],
  project: ["read:project"],
  "read:project": [],
  delete_repo: [],
  "write:packages": ["read:packages"],
  "read:packages": [],
  "delete:packages": [],
  "admin:gpg_key": ["write:gpg_key"],
  "write:gpg_key": ["read:gpg_key"],
  "read:gpg_key": [],
  "admin:ssh_signing_key": ["write:ssh_signing_key"],
  "write:ssh_signing_key": ["read:ssh_signing_key"],
  "read:ssh_signing_key": [],
  codespace: [],
  workflow: [],
  "admin:enterprise": ["manage_runners:enterprise", "manage_billing:enterprise", "read:enterprise"],
  "manage_runners:enterprise": [],
  "manage_billing:enterprise": [],
  "read:enterprise": [],
  audit_log: ["read:audit_log"],
  "read:audit_log": [],
};

export const SCOPE_DESCRIPTIONS: Record<string, string> = {
  repo: "Full control of private repositories",
  public_repo: "Access public repositories",
  user: "Read and write all user profile data",
  "read:user": "Read all user profile data",
  "user:email": "Access user email addresses (read-only)",
  "read:org": "Read org and team membership",
  gist: "Create gists",
  workflow: "Update GitHub Action workflows",
};

function narrower(scope: string): string[] {
  const direct = INCLUDES[scope] ?? [];
  return direct.flatMap((s) => [s, ...narrower(s)]);
}

/** Requested scopes (space- or comma-separated) to the granted list, sorted. */
export function normalizeScopes(requested: string | null | undefined): string[] {
  const known = new Set((requested ?? "").split(/[\s,]+/).filter((s) => s in INCLUDES));
  const implied = new Set([...known].flatMap(narrower));
  return [...known].filter((s) => !implied.has(s)).sort();
}

/** Whether a token with `granted` may do what `needed` allows. */
export function hasScope(granted: readonly string[], needed: string): boolean {
  return granted.some((s) => s === needed || narrower(s).includes(needed));
}
