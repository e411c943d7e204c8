// GitHub's JSON shapes for users and repositories. URLs are built from the stand-in's base as the
// caller sees it, so links and avatars work both standalone and mounted under a prefix.
import type { StandInIssue, StandInRepo, StandInUser } from "./store.js";

function avatarUrl(base: string, login: string): string {
  return `${base}/avatars/${encodeURIComponent(login)}.svg?v=4`;
}

export function simpleUserJson(base: string, user: StandInUser) {
  const api = `${base}/api/v3/users/${user.login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: Buffer.from(`04:User${user.id}`).toString("base64"),
    avatar_url: avatarUrl(base, user.login),
    gravatar_id: "",
    url: api,
    html_url: `${base}/${user.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: "User",
    user_view_type: "public",
    site_admin: false,
  };
}

export function privateUserJson(base: string, user: StandInUser, repos: StandInRepo[]) {
  const privateRepos = repos.filter((r) => r.private).length;
  const publicEmail = user.emails.find((e) => e.primary && e.verified)?.email ?? null;
  return {
    ...simpleUserJson(base, user),
    user_view_type: "private",
    name: user.name,
    company: null,
    blog: "",
    location: null,
    email: publicEmail,
    hireable: null,
    bio: null,
    twitter_username: null,
    notification_email: publicEmail,
    public_repos: repos.length - privateRepos,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    private_gists: 0,
    total_private_repos: privateRepos,
    owned_private_repos: privateRepos,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: false,
    plan: { name: "free", space: 976562499, collaborators: 0, private_repos: 10000 },
  };
}

/** `full` adds the fields GitHub only sends for a single repository. */
export function repoJson(
  base: string,
  repo: StandInRepo,
  owner: StandInUser | undefined,
  viewer: StandInUser | undefined,
  full: boolean,
) {
  const fullName = `${repo.owner}/${repo.name}`;
  const api = `${base}/api/v3/repos/${fullName}`;
  const html = `${base}/${fullName}`;
  const host = new URL(base).host;
  const isOwner = !!viewer && viewer.login.toLowerCase() === repo.owner.toLowerCase();
  return {
    id: repo.id,
    node_id: Buffer.from(`010:Repository${repo.id}`).toString("base64"),
    name: repo.name,
    full_name: fullName,
    private: repo.private,
    owner: owner ? simpleUserJson(base, owner) : null,
    html_url: html,
    description: repo.description,
    fork: false,
    url: api,
    forks_url: `${api}/forks`,
    keys_url: `${api}/keys{/key_id}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    teams_url: `${api}/teams`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    branches_url: `${api}/branches{/branch}`,
    tags_url: `${api}/tags`,
    languages_url: `${api}/languages`,
    contributors_url: `${api}/contributors`,
    commits_url: `${api}/commits{/sha}`,
    contents_url: `${api}/contents/{+path}`,
    created_at: repo.createdAt,
    updated_at: repo.updatedAt,
    pushed_at: repo.pushedAt,
    git_url: `git://${host}/${fullName}.git`,
    ssh_url: `git@${host}:${fullName}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
    homepage: null,
    size: 0,
    stargazers_count: repo.stars,
    watchers_count: repo.stars,
    language: null,
    has_issues: repo.hasIssues,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: 0,
    license: null,
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [],
    visibility: repo.private ? "private" : "public",
    forks: 0,
    open_issues: 0,
    watchers: repo.stars,
    default_branch: repo.defaultBranch,
    ...(viewer
      ? {
          permissions: {
            admin: isOwner,
            maintain: isOwner,
            push: isOwner,
            triage: isOwner,
            pull: true,
          },
        }
      : {}),
    ...(full ? { network_count: 0, subscribers_count: 0 } : {}),
  };
}

/** An issue as POST /repos/{owner}/{repo}/issues answers it. */
export function issueJson(
  base: string,
  issue: StandInIssue,
  author: StandInUser,
  repoOwner: StandInUser | undefined,
) {
  const repoApi = `${base}/api/v3/repos/${issue.owner}/${issue.repo}`;
  const api = `${repoApi}/issues/${issue.number}`;
  const isOwner = repoOwner?.login.toLowerCase() === author.login.toLowerCase();
  return {
    url: api,
    repository_url: repoApi,
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: `${base}/${issue.owner}/${issue.repo}/issues/${issue.number}`,
    id: issue.id,
    node_id: Buffer.from(`05:Issue${issue.id}`).toString("base64"),
    number: issue.number,
    title: issue.title,
    user: simpleUserJson(base, author),
    labels: [],
    state: "open",
    locked: false,
    assignee: null,
    assignees: [],
    milestone: null,
    comments: 0,
    created_at: issue.createdAt,
    updated_at: issue.createdAt,
    closed_at: null,
    author_association: isOwner ? "OWNER" : "NONE",
    type: null,
    active_lock_reason: null,
    sub_issues_summary: { total: 0, completed: 0, percent_completed: 0 },
    body: issue.body,
    closed_by: null,
    reactions: {
      url: `${api}/reactions`,
      total_count: 0,
      "+1": 0,
      "-1": 0,
      laugh: 0,
      hooray: 0,
      confused: 0,
      heart: 0,
      rocket: 0,
      eyes: 0,
    },
    timeline_url: `${api}/timeline`,
    performed_via_github_app: null,
    state_reason: null,
  };
}
