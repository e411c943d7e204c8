import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { nanoid } from "nanoid";

// The tables of the schema document (../shared/seeds), exactly as documented; tables of our own
// follow them at the end of the file.

// Timestamps are UTC wall-clock values; the defaults do not depend on the session's time zone.
const utcNow = sql`(now() at time zone 'utc')`;
const createdAt = () => timestamp("created_at").notNull().default(utcNow);
const updatedAt = () =>
  timestamp("updated_at")
    .notNull()
    .default(utcNow)
    .$onUpdate(() => new Date());

export const user = pgTable(
  "user",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    email: text("email").notNull().unique(),
    emailVerified: boolean("email_verified").notNull().default(false),
    image: text("image"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  // Emails are compared case-insensitively, so "Ann@x.org" and "ann@x.org" are one address.
  (t) => [uniqueIndex("user_email_lower_key").on(sql`lower(${t.email})`)],
);

export const session = pgTable(
  "session",
  {
    id: text("id").primaryKey(),
    expiresAt: timestamp("expires_at").notNull(),
    token: text("token").notNull().unique(),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at")
      .notNull()
      .$onUpdate(() => new Date()),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
  },
  (t) => [
    index("session_user_id_idx").on(t.userId),
    index("session_expires_at_idx").on(t.expiresAt),
  ],
);

export const account = pgTable(
  "account",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: timestamp("access_token_expires_at"),
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at"),
    scope: text("scope"),
    password: text("password"),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at")
      .notNull()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    uniqueIndex("account_provider_id_account_id_key").on(t.providerId, t.accountId),
    index("account_user_id_idx").on(t.userId),
    // One GitHub account per user: with two, whose token counts would be a guess.
    uniqueIndex("account_user_id_github_key")
      .on(t.userId)
      .where(sql`${t.providerId} = 'github'`),
  ],
);

export const verification = pgTable(
  "verification",
  {
    id: text("id").primaryKey(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
    createdAt: timestamp("created_at").default(utcNow),
    updatedAt: timestamp("updated_at")
      .default(utcNow)
      .$onUpdate(() => new Date()),
  },
  // Links carry a token; its hash finds the row.
  (t) => [
    index("verification_identifier_idx").on(t.identifier),
    uniqueIndex("verification_value_key").on(t.value),
  ],
);

export const agents = pgTable(
  "agents",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => nanoid()),
    name: text("name").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    instructions: text("instructions").notNull(),
    githubRepo: text("github_repo"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("agents_user_id_created_at_idx").on(
      t.userId,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
  ],
);

export const meetingStatus = pgEnum("meeting_status", [
  "upcoming",
  "active",
  "completed",
  "processing",
  "cancelled",
]);

export const meetings = pgTable(
  "meetings",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => nanoid()),
    name: text("name").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    status: meetingStatus("status").notNull().default("upcoming"),
    startedAt: timestamp("started_at"),
    endedAt: timestamp("ended_at"),
    transcriptUrl: text("transcript_url"),
    recordingUrl: text("recording_url"),
    summary: text("summary"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("meetings_user_id_created_at_idx").on(
      t.userId,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("meetings_agent_id_idx").on(t.agentId),
    check("meetings_ended_after_started", sql`${t.endedAt} >= ${t.startedAt}`),
    check(
      "meetings_active_has_started_at",
      sql`${t.status} <> 'active' OR ${t.startedAt} IS NOT NULL`,
    ),
    check(
      "meetings_finished_has_times",
      sql`${t.status} NOT IN ('processing', 'completed') OR (${t.startedAt} IS NOT NULL AND ${t.endedAt} IS NOT NULL)`,
    ),
  ],
);

export type Agent = typeof agents.$inferSelect;
export type Meeting = typeof meetings.$inferSelect;
export type MeetingStatus = (typeof meetingStatus.enumValues)[number];

// ---------------------------------------------------------------------------------------------
// Tables of our own, beyond the schema document: what meeting processing needs. Each came with
// a migration of its own. (pg-boss keeps its job tables in the "pgboss" schema.)

/**
 * A meeting's action items: found by the summariser (origin "summary") or added by a person.
 * `at_ms` is the moment in the transcript; `github_issue_url` the issue filed for it, and
 * `issue_claimed_at` marks a filing under way, so a double click files one issue.
 */
export const actionItems = pgTable(
  "action_items",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => nanoid()),
    meetingId: text("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    text: text("text").notNull(),
    owner: text("owner"),
    atMs: integer("at_ms"),
    done: boolean("done").notNull().default(false),
    githubIssueUrl: text("github_issue_url"),
    origin: text("origin", { enum: ["summary", "person"] })
      .notNull()
      .default("person"),
    issueClaimedAt: timestamp("issue_claimed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("action_items_meeting_id_idx").on(t.meetingId),
    // The limits of the action item form (processing/validation.ts).
    check("action_items_text_length", sql`char_length(${t.text}) BETWEEN 1 AND 500`),
    check("action_items_owner_length", sql`char_length(${t.owner}) <= 200`),
    check("action_items_at_ms_positive", sql`${t.atMs} >= 0`),
    check("action_items_origin", sql`${t.origin} IN ('summary', 'person')`),
  ],
);

export type ActionItem = typeof actionItems.$inferSelect;

export const processingStages = [
  "queued",
  "waiting_for_transcript",
  "summarising",
  "retrying",
  "failed",
  "completed",
] as const;

/**
 * Where a meeting's processing stands, as its job last reported: the newest job sent for the
 * meeting, its stage, and the reason of its last failure, in words.
 */
export const meetingProcessing = pgTable(
  "meeting_processing",
  {
    meetingId: text("meeting_id")
      .primaryKey()
      .references(() => meetings.id, { onDelete: "cascade" }),
    jobId: text("job_id"),
    stage: text("stage", { enum: processingStages }).notNull(),
    attempt: integer("attempt").notNull().default(0),
    error: text("error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check(
      "meeting_processing_stage",
      sql`${t.stage} IN (${sql.raw(processingStages.map((s) => `'${s}'`).join(", "))})`,
    ),
  ],
);

export type ProcessingStage = (typeof processingStages)[number];
export type MeetingProcessing = typeof meetingProcessing.$inferSelect;
