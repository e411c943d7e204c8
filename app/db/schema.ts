import { sql, type SQL } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { nanoid } from "nanoid";
import { searchDocument } from "./search";

// The tables of the schema document (../shared/seeds), and nothing else.

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

// Our tables, beyond the schema document's: each came with a migration of its own.

/** PostgreSQL's full-text document type; Drizzle has no built-in column for it. */
const tsvector = customType<{ data: string }>({
  dataType: () => "tsvector",
});

/**
 * A meeting's transcript (zero or one): where it came from, and one full-text document of all
 * its words, so that searching 10,000 meetings looks at 10,000 documents, not millions of
 * segments. Replaced with its segments in one transaction.
 */
export const transcripts = pgTable(
  "transcripts",
  {
    meetingId: text("meeting_id")
      .primaryKey()
      .references(() => meetings.id, { onDelete: "cascade" }),
    format: text("format").notNull(),
    /** The uploaded file's name, or the URL it was fetched from. */
    source: text("source").notNull(),
    segmentCount: integer("segment_count").notNull(),
    importedAt: timestamp("imported_at").notNull().default(utcNow),
    /** The lexemes of every segment, without positions (a tsvector holds at most 1 MB). */
    search: tsvector("search").notNull(),
  },
  (t) => [
    index("transcripts_search_idx").using("gin", t.search),
    check("transcripts_format", sql`${t.format} IN ('vtt', 'srt', 'jsonl', 'text')`),
  ],
);

/**
 * The words of each meeting's summary as a stored full-text document, kept by a trigger on
 * `meetings.summary` (migration 0004): searching reads the index and these documents instead of
 * parsing every summary again, which is what made a frequent word slow.
 */
export const summarySearch = pgTable(
  "summary_search",
  {
    meetingId: text("meeting_id")
      .primaryKey()
      .references(() => meetings.id, { onDelete: "cascade" }),
    document: tsvector("document").notNull(),
  },
  (t) => [index("summary_search_document_idx").using("gin", t.document)],
);

/** The transcript's segments in their order: who spoke, when (when the source says) and what. */
export const transcriptSegments = pgTable(
  "transcript_segments",
  {
    // Segments are many and never addressed on their own (links use the position), so a
    // compact identity rather than a nanoid.
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    meetingId: text("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    /** The speaker's label as the source gave it ("spk_1"); display names are in transcript_speakers. */
    speaker: text("speaker"),
    startMs: integer("start_ms"),
    endMs: integer("end_ms"),
    text: text("text").notNull(),
    search: tsvector("search")
      .notNull()
      .generatedAlwaysAs((): SQL => searchDocument(transcriptSegments.text)),
  },
  (t) => [
    uniqueIndex("transcript_segments_meeting_id_position_key").on(t.meetingId, t.position),
    index("transcript_segments_search_idx").using("gin", t.search),
    check("transcript_segments_position", sql`${t.position} >= 0`),
    check("transcript_segments_times", sql`${t.startMs} >= 0 AND ${t.endMs} >= ${t.startMs}`),
  ],
);

/** The speakers of a meeting's transcript, by label, with the display name someone gave them. */
export const transcriptSpeakers = pgTable(
  "transcript_speakers",
  {
    meetingId: text("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    label: text("label").notNull(),
    /** Null: shown as the label. */
    name: text("name"),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.label] })],
);

export type Agent = typeof agents.$inferSelect;
export type Meeting = typeof meetings.$inferSelect;
export type MeetingStatus = (typeof meetingStatus.enumValues)[number];
