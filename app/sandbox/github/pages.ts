// The stand-in's few web pages. Plain HTML forms, no JavaScript: they must work in any browser
// and be easy for Playwright to drive by label.
import { SCOPE_DESCRIPTIONS } from "./scopes.js";

export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f8fa;color:#1f2328}
main{max-width:34rem;margin:2rem auto;padding:1.5rem 2rem;background:#fff;border:1px solid #d0d7de;border-radius:8px}
.banner{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:.5rem .75rem;font-size:.9rem}
.error{background:#ffebe9;border:1px solid #ff8182;border-radius:6px;padding:.5rem .75rem}
fieldset{border:1px solid #d0d7de;border-radius:6px;margin:1rem 0;padding:.5rem 1rem 1rem}
.field{display:grid;gap:.2rem;margin-top:.6rem}
input[type=text],input[type=email]{font:inherit;padding:.3rem .5rem;border:1px solid #d0d7de;border-radius:6px}
.actions{display:flex;gap:.75rem;margin-top:1rem}
button{font:inherit;padding:.4rem 1rem;border-radius:6px;border:1px solid #d0d7de;background:#f6f8fa;cursor:pointer}
button[value=approve]{background:#1f883d;color:#fff;border-color:#1a7f37}
code{background:#eff1f3;padding:0 .25rem;border-radius:4px}
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="banner">This is the <strong>local GitHub stand-in</strong>, not the real GitHub. Its users and repositories exist only on this machine.</p>
${body}
</main>
</body>
</html>
`;
}

export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
}

export interface AuthorizePageInput {
  appName: string;
  action: string;
  /** The authorization request's parameters, carried through the form. */
  hidden: Array<[string, string]>;
  scopes: string[];
  users: Array<{ login: string; name: string | null }>;
  /** Login of the chosen existing user, or "" for "create a new user". */
  selected: string;
  values: { login: string; name: string; email: string; emailVerified: boolean };
  error?: string;
}

export function authorizePage(input: AuthorizePageInput): string {
  const title = `Authorize ${input.appName}`;
  const scopes = input.scopes.length
    ? `<ul>${input.scopes
        .map((s) => {
          const description = SCOPE_DESCRIPTIONS[s];
          return `<li><code>${escapeHtml(s)}</code>${description ? ` — ${escapeHtml(description)}` : ""}</li>`;
        })
        .join("")}</ul>`
    : "<p>No scopes: read-only access to public information.</p>";
  const hidden = input.hidden
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
    )
    .join("\n");
  const radio = (value: string, label: string, id: string) =>
    `<div><input type="radio" name="user" id="${id}" value="${escapeHtml(value)}"${
      input.selected === value ? " checked" : ""
    }> <label for="${id}">${escapeHtml(label)}</label></div>`;
  const existing = input.users.length
    ? `<fieldset><legend>Continue as an existing stand-in user</legend>
${input.users.map((u, i) => radio(u.login, u.login, `user-${i}`)).join("\n")}
${radio("", "Create a new user (below)", "user-new")}
</fieldset>`
    : `<input type="hidden" name="user" value="">`;
  const v = input.values;
  const body = `<h1>${escapeHtml(title)}</h1>
<p><strong>${escapeHtml(input.appName)}</strong> would like permission to:</p>
${scopes}
${input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>` : ""}
<form method="post" action="${escapeHtml(input.action)}">
${hidden}
${existing}
<fieldset><legend>New stand-in user</legend>
<div class="field"><label for="login">Login</label><input type="text" id="login" name="login" value="${escapeHtml(v.login)}" autocomplete="off" maxlength="39"></div>
<div class="field"><label for="name">Name</label><input type="text" id="name" name="name" value="${escapeHtml(v.name)}" autocomplete="off"></div>
<div class="field"><label for="email">Email</label><input type="email" id="email" name="email" value="${escapeHtml(v.email)}" autocomplete="off"></div>
<div><input type="checkbox" id="email_verified" name="email_verified" value="1"${v.emailVerified ? " checked" : ""}> <label for="email_verified">Email verified</label></div>
</fieldset>
<div class="actions">
<button type="submit" name="decision" value="approve">Authorize</button>
<button type="submit" name="decision" value="deny" formnovalidate>Cancel</button>
</div>
</form>`;
  return page(title, body);
}

export function indexPage(
  base: string,
  users: Array<{ login: string; name: string | null }>,
): string {
  const list = users.length
    ? `<ul>${users.map((u) => `<li><a href="${escapeHtml(`${base}/${u.login}`)}">${escapeHtml(u.login)}</a>${u.name ? ` (${escapeHtml(u.name)})` : ""}</li>`).join("")}</ul>`
    : "<p>No users yet: they are created when you sign in.</p>";
  return page(
    "GitHub stand-in",
    `<h1>GitHub stand-in</h1>\n<p>REST API: <code>${escapeHtml(base)}/api/v3</code></p>\n${list}`,
  );
}

export function profilePage(
  base: string,
  user: { login: string; name: string | null },
  repos: Array<{ name: string; private: boolean; description: string | null }>,
): string {
  const list = repos
    .map(
      (r) =>
        `<li><a href="${escapeHtml(`${base}/${user.login}/${r.name}`)}">${escapeHtml(r.name)}</a>${r.private ? " (private)" : ""}${
          r.description ? ` — ${escapeHtml(r.description)}` : ""
        }</li>`,
    )
    .join("");
  return page(
    user.login,
    `<h1>${escapeHtml(user.name ?? user.login)}</h1>\n<p>@${escapeHtml(user.login)}</p>\n<ul>${list}</ul>`,
  );
}

export function repoPage(repo: {
  owner: string;
  name: string;
  private: boolean;
  description: string | null;
  defaultBranch: string;
}): string {
  const fullName = `${repo.owner}/${repo.name}`;
  return page(
    fullName,
    `<h1>${escapeHtml(fullName)}</h1>
<p>${repo.private ? "Private" : "Public"} repository · default branch <code>${escapeHtml(repo.defaultBranch)}</code></p>
${repo.description ? `<p>${escapeHtml(repo.description)}</p>` : ""}`,
  );
}

export function issuePage(issue: {
  owner: string;
  repo: string;
  number: number;
  title: string;
  body: string | null;
  user: string;
}): string {
  const fullName = `${issue.owner}/${issue.repo}`;
  return page(
    `${issue.title} · Issue #${issue.number} · ${fullName}`,
    `<p>${escapeHtml(fullName)}</p>
<h1>${escapeHtml(issue.title)} <span>#${issue.number}</span></h1>
<p>Open · opened by ${escapeHtml(issue.user)}</p>
${issue.body ? `<pre style="white-space:pre-wrap">${escapeHtml(issue.body)}</pre>` : "<p>No description provided.</p>"}`,
  );
}

/** A generated identicon-like avatar, so avatars render without internet access. */
export function avatarSvg(login: string, id: number): string {
  const hue = id % 360;
  const initial = escapeHtml((login[0] ?? "?").toUpperCase());
  return `<svg xmlns="http://www.w3.org/2000/svg" width="460" height="460" viewBox="0 0 460 460" role="img" aria-label="${escapeHtml(login)}">
<rect width="460" height="460" fill="hsl(${hue} 55% 45%)"/>
<text x="50%" y="50%" dy=".35em" text-anchor="middle" font-family="system-ui,sans-serif" font-size="240" fill="#fff">${initial}</text>
</svg>
`;
}
