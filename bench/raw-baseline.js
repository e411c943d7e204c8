// The raw baseline: what the meetings list costs without a framework. node:http and postgres.js
// run the queries our /meetings runs (the session and its user, the agent picker, the count,
// one page of rows) and write the rows as string HTML. Started by bench/run.js.
import { createHash, createHmac } from "node:crypto";
import { createServer } from "node:http";
import postgres from "postgres";

const { DATABASE_URL, SESSION_SECRET, PORT } = process.env;
const perPage = 10;
const statuses = new Set(["upcoming", "active", "completed", "processing", "cancelled"]);
// The same pool and settings as app/db/client.server.ts.
const sql = postgres(DATABASE_URL, {
  max: 10,
  onnotice: () => {},
  connection: { TimeZone: "UTC" },
});

/** The session token from React Router's signed cookie (base64 JSON, then "." and its HMAC). */
function sessionToken(cookieHeader = "") {
  const pair = cookieHeader.split(/;\s*/).find((part) => part.startsWith("smtg_session="));
  if (!pair) return null;
  const signed = decodeURIComponent(pair.slice("smtg_session=".length));
  const dot = signed.lastIndexOf(".");
  const value = signed.slice(0, dot);
  const expected = createHmac("sha256", SESSION_SECRET).update(value).digest("base64");
  if (expected.replace(/=+$/, "") !== signed.slice(dot + 1)) return null;
  return JSON.parse(Buffer.from(value, "base64").toString("utf8"));
}

const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function meetingsPage(req, res) {
  const url = new URL(req.url, "http://localhost");
  const token = sessionToken(req.headers.cookie);
  const [found] = token
    ? await sql`
        select s.id, s.updated_at, u.id as user_id, u.name, u.email, u.email_verified, u.image
        from session s join "user" u on u.id = s.user_id
        where s.token = ${createHash("sha256").update(token).digest("hex")}
          and s.expires_at > ${new Date()}
        limit 1`
    : [];
  if (!found) {
    res.writeHead(302, { Location: "/login" }).end();
    return;
  }
  const userId = found.user_id;
  const status = statuses.has(url.searchParams.get("status"))
    ? url.searchParams.get("status")
    : null;
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 100);
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const agents = await sql`select id, name from agents where user_id = ${userId} order by name`;
  const where = sql`m.user_id = ${userId}
    ${status ? sql`and m.status = ${status}` : sql``}
    ${q ? sql`and m.name ilike ${pattern}` : sql``}`;
  const [{ total }] = await sql`select count(*)::int as total from meetings m where ${where}`;
  const pageCount = Math.max(1, Math.ceil(total / perPage));
  const page = Math.min(
    Math.max(1, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1),
    pageCount,
  );
  const rows = await sql`
    select m.id, m.name, m.status, m.agent_id, a.name as agent_name, m.started_at, m.ended_at,
      m.created_at
    from meetings m join agents a on a.id = m.agent_id
    where ${where}
    order by m.created_at desc, m.id desc
    limit ${perPage} offset ${(page - 1) * perPage}`;

  const items = rows
    .map(
      (m) =>
        `<li><a href="/meetings/${escapeHtml(m.id)}">${escapeHtml(m.name)}</a>` +
        `<p>with ${escapeHtml(m.agent_name)}${m.started_at ? ` · started ${m.started_at.toISOString()}` : ""}</p>` +
        `<span>${m.status}</span></li>`,
    )
    .join("");
  const options = agents
    .map((a) => `<option value="${escapeHtml(a.id)}">${escapeHtml(a.name)}</option>`)
    .join("");
  res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
  res.end(
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Meetings</title></head>` +
      `<body><header>${escapeHtml(found.name)}</header><main><h1>Meetings</h1>` +
      `<form method="get"><select name="agentId">${options}</select>` +
      `<input type="search" name="q" value="${escapeHtml(q)}"><button>Apply filters</button></form>` +
      `<ul>${items}</ul><p>Page ${page} of ${pageCount} (${total} meetings)</p></main></body></html>`,
  );
}

createServer((req, res) => {
  if (req.url === "/healthz") return void res.writeHead(200).end("ok");
  meetingsPage(req, res).catch((error) => {
    console.error(error);
    res.writeHead(500).end();
  });
}).listen(Number(PORT), "127.0.0.1", () => console.log(`raw baseline on ${PORT}`));
