// The benchmark's data, written by SQL alone (generate_series) so that a million meetings take
// seconds, not the minutes that one request per meeting would. Runs on PostgreSQL and PGlite.

const topics = [
  "Design review",
  "Standup",
  "Planning",
  "Retro",
  "Roadmap",
  "Incident review",
  "Customer call",
  "Research sync",
  "Hiring debrief",
  "Budget",
];
/** Matches one meeting in ten, as a search in a long list would. */
export const searchTerm = "retro";

const topicArray = `ARRAY[${topics.map((t) => `'${t}'`).join(", ")}]`;
const instructions =
  "Take notes of the decisions and the action items, name an owner for each, and keep the " +
  "summary under two hundred words. Ask when something is unclear rather than guessing.";
const summary =
  "Decisions: ship the beta behind a flag on Monday; keep the old importer for a month. " +
  "Action items: Ada writes the migration notes, Lin checks the error budget, Sam books the " +
  "customer calls. Open question: who owns the on-call rota after the reorganisation?";

/**
 * Meetings numbered from..to: mostly completed, some cancelled, upcoming and processing, and
 * two active ones (g 1 and 2), one every seven minutes going back from now. `idPrefix` keeps
 * the ids (21 characters, like nanoid's) of different series apart.
 */
function insertMeetings({ idPrefix, from, to, userId, agentId }) {
  return `
    INSERT INTO meetings (id, name, user_id, agent_id, status, started_at, ended_at, summary,
      created_at, updated_at)
    SELECT substr(md5('${idPrefix}' || g), 1, 21),
      (${topicArray})[1 + g % 10] || ' #' || g,
      ${userId}, ${agentId},
      s.status::meeting_status,
      CASE WHEN s.status IN ('active', 'completed', 'processing')
        THEN s.created + interval '5 minutes' END,
      CASE WHEN s.status IN ('completed', 'processing') THEN s.created + interval '35 minutes'
        WHEN s.status = 'cancelled' THEN s.created + interval '1 minute' END,
      CASE WHEN s.status = 'completed' THEN '${summary}' END,
      s.created, s.created
    FROM generate_series(${from}, ${to}) g,
    LATERAL (SELECT
      CASE WHEN g <= 2 THEN 'active'
        WHEN g % 20 < 12 THEN 'completed'
        WHEN g % 20 < 14 THEN 'cancelled'
        WHEN g % 20 < 18 THEN 'upcoming'
        ELSE 'processing' END AS status,
      (now() AT TIME ZONE 'utc') - g * interval '7 minutes' AS created) s`;
}

/** The signed-in user's ten agents. */
export function userAgents(userId) {
  return [
    `INSERT INTO agents (id, name, user_id, instructions)
     SELECT 'bench-agent-' || a, 'Scribe ' || a, '${userId}', '${instructions}'
     FROM generate_series(1, 10) a`,
  ];
}

/** Meetings from..to of the signed-in user, spread over their ten agents. */
export function userMeetings(userId, from, to) {
  return [
    insertMeetings({
      idPrefix: "u",
      from,
      to,
      userId: `'${userId}'`,
      agentId: `'bench-agent-' || (1 + g % 10)`,
    }),
  ];
}

/** `users` other users with three agents each, and `meetings` meetings spread over them. */
export function otherUsers(users, meetings) {
  return [
    `INSERT INTO "user" (id, name, email, email_verified)
     SELECT 'bench-user-' || u, 'Other user ' || u, 'other' || u || '@example.test', true
     FROM generate_series(1, ${users}) u`,
    `INSERT INTO agents (id, name, user_id, instructions)
     SELECT 'bench-agent-' || u || '-' || a, 'Scribe ' || a, 'bench-user-' || u, '${instructions}'
     FROM generate_series(1, ${users}) u, generate_series(1, 3) a`,
    // Else the foreign-key checks of the next insert plan for the tables' old sizes (10 agents,
    // one user): a sequential scan per row, which turns a minute into an hour.
    `ANALYZE "user", agents`,
    insertMeetings({
      idPrefix: "o",
      from: 1,
      to: meetings,
      userId: `'bench-user-' || (1 + g % ${users})`,
      agentId: `'bench-agent-' || (1 + g % ${users}) || '-' || (1 + g % 3)`,
    }),
  ];
}
