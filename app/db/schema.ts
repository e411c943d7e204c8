import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { nanoid } from "nanoid";

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

export type Agent = typeof agents.$inferSelect;
export type Meeting = typeof meetings.$inferSelect;
export type MeetingStatus = (typeof meetingStatus.enumValues)[number];
