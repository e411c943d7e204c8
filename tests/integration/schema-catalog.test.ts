import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgent } from "~/agents/queries.server";
import type { DatabaseHandle } from "~/db/client.server";
import { meetings } from "~/db/schema";
import { createTestDatabase } from "../support/database";
import { queryRows } from "../support/sql";
import { createUser } from "../support/users";

// The schema document (shared/seeds), table by table: column, type, nullable, default.
type Column = [name: string, type: string, nullable: boolean, defaultPattern: RegExp | null];
const now = /now\(\)/;
const documented: Record<string, Column[]> = {
  user: [
    ["id", "text", false, null],
    ["name", "text", false, null],
    ["email", "text", false, null],
    ["email_verified", "boolean", false, /^false$/],
    ["image", "text", true, null],
    ["created_at", "timestamp without time zone", false, now],
    ["updated_at", "timestamp without time zone", false, now],
  ],
  session: [
    ["id", "text", false, null],
    ["expires_at", "timestamp without time zone", false, null],
    ["token", "text", false, null],
    ["created_at", "timestamp without time zone", false, null],
    ["updated_at", "timestamp without time zone", false, null],
    ["ip_address", "text", true, null],
    ["user_agent", "text", true, null],
    ["user_id", "text", false, null],
  ],
  account: [
    ["id", "text", false, null],
    ["account_id", "text", false, null],
    ["provider_id", "text", false, null],
    ["user_id", "text", false, null],
    ["access_token", "text", true, null],
    ["refresh_token", "text", true, null],
    ["id_token", "text", true, null],
    ["access_token_expires_at", "timestamp without time zone", true, null],
    ["refresh_token_expires_at", "timestamp without time zone", true, null],
    ["scope", "text", true, null],
    ["password", "text", true, null],
    ["created_at", "timestamp without time zone", false, null],
    ["updated_at", "timestamp without time zone", false, null],
  ],
  verification: [
    ["id", "text", false, null],
    ["identifier", "text", false, null],
    ["value", "text", false, null],
    ["expires_at", "timestamp without time zone", false, null],
    ["created_at", "timestamp without time zone", true, now],
    ["updated_at", "timestamp without time zone", true, now],
  ],
  agents: [
    ["id", "text", false, null],
    ["name", "text", false, null],
    ["user_id", "text", false, null],
    ["instructions", "text", false, null],
    ["github_repo", "text", true, null],
    ["created_at", "timestamp without time zone", false, now],
    ["updated_at", "timestamp without time zone", false, now],
  ],
  meetings: [
    ["id", "text", false, null],
    ["name", "text", false, null],
    ["user_id", "text", false, null],
    ["agent_id", "text", false, null],
    ["status", "meeting_status", false, /^'upcoming'::meeting_status$/],
    ["started_at", "timestamp without time zone", true, null],
    ["ended_at", "timestamp without time zone", true, null],
    ["transcript_url", "text", true, null],
    ["recording_url", "text", true, null],
    ["summary", "text", true, null],
    ["created_at", "timestamp without time zone", false, now],
    ["updated_at", "timestamp without time zone", false, now],
  ],
};

// Tables of our own, each added by a migration of its own (below the seed's in schema.ts).
const ours = ["summary_search", "transcript_segments", "transcript_speakers", "transcripts"];

let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe("the migrated database matches the schema document", () => {
  it("has exactly the documented tables, and ours beside them", async () => {
    const rows = await queryRows<{ table_name: string }>(
      database.db,
      sql`select table_name from information_schema.tables
          where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual(
      [...Object.keys(documented), ...ours].sort(),
    );
  });

  for (const [table, columns] of Object.entries(documented)) {
    it(`gives ${table} every documented column with its type, nullability and default`, async () => {
      const rows = await queryRows<{
        column_name: string;
        type: string;
        is_nullable: "YES" | "NO";
        column_default: string | null;
      }>(
        database.db,
        sql`select column_name,
                   case when data_type = 'USER-DEFINED' then udt_name else data_type end as type,
                   is_nullable, column_default
            from information_schema.columns
            where table_schema = 'public' and table_name = ${table}
            order by ordinal_position`,
      );
      expect(rows.map((r) => r.column_name)).toEqual(columns.map(([name]) => name));
      for (const [name, type, nullable, defaultPattern] of columns) {
        const row = rows.find((r) => r.column_name === name)!;
        expect({ name, type: row.type, nullable: row.is_nullable === "YES" }).toEqual({
          name,
          type,
          nullable,
        });
        if (defaultPattern) expect(row.column_default, name).toMatch(defaultPattern);
        else expect(row.column_default, name).toBeNull();
      }
    });
  }

  it("has the meeting_status enum with the five values in the documented order", async () => {
    const rows = await queryRows<{ value: string }>(
      database.db,
      sql`select e.enumlabel as value from pg_enum e join pg_type t on t.oid = e.enumtypid
          where t.typname = 'meeting_status' order by e.enumsortorder`,
    );
    expect(rows.map((r) => r.value)).toEqual([
      "upcoming",
      "active",
      "completed",
      "processing",
      "cancelled",
    ]);
  });

  it("has a primary key on every documented table's id", async () => {
    const rows = await queryRows<{ table_name: string; column_name: string }>(
      database.db,
      sql`select tc.table_name, kcu.column_name
          from information_schema.table_constraints tc
          join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name
          where tc.table_schema = 'public' and tc.constraint_type = 'PRIMARY KEY'
            and tc.table_name in ${sql.raw(
              `(${Object.keys(documented)
                .map((t) => `'${t}'`)
                .join(", ")})`,
            )}`,
    );
    expect(rows.map((r) => `${r.table_name}.${r.column_name}`).sort()).toEqual(
      Object.keys(documented)
        .map((t) => `${t}.id`)
        .sort(),
    );
  });

  it("makes user.email, session.token, verification.value and account (provider_id, account_id) unique", async () => {
    const rows = await queryRows<{ table_name: string; columns: string }>(
      database.db,
      sql`select t.relname as table_name,
                 string_agg(a.attname, ',' order by array_position(i.indkey, a.attnum)) as columns
          from pg_index i
          join pg_class t on t.oid = i.indrelid
          join pg_namespace n on n.oid = t.relnamespace and n.nspname = 'public'
          join pg_attribute a on a.attrelid = t.oid and a.attnum = any(i.indkey)
          where i.indisunique and not i.indisprimary
          group by t.relname, i.indexrelid`,
    );
    expect(rows.map((r) => `${r.table_name}(${r.columns})`).sort()).toEqual([
      "account(provider_id,account_id)",
      // Partial: one GitHub account per user (next test).
      "account(user_id)",
      "session(token)",
      // Ours: a segment's place in its transcript.
      "transcript_segments(meeting_id,position)",
      "user(email)",
      "verification(value)",
    ]);
  });

  it("lets a user have one GitHub account, and any number of other accounts", async () => {
    const rows = await queryRows<{ indexdef: string }>(
      database.db,
      sql`select indexdef from pg_indexes where tablename = 'account' and indexname = 'account_user_id_github_key'`,
    );
    expect(rows.map((r) => r.indexdef)).toEqual([
      expect.stringMatching(
        /^CREATE UNIQUE INDEX .* USING btree \(user_id\) WHERE \(provider_id = 'github'::text\)$/,
      ),
    ]);
  });

  it("makes user.email unique whatever its letter case", async () => {
    const rows = await queryRows<{ indexdef: string }>(
      database.db,
      sql`select indexdef from pg_indexes where tablename = 'user' and indexname = 'user_email_lower_key'`,
    );
    expect(rows.map((r) => r.indexdef)).toEqual([
      expect.stringMatching(/^CREATE UNIQUE INDEX .* USING btree \(lower\(email\)\)$/),
    ]);
  });

  it("has every documented foreign key, each cascading on delete", async () => {
    const rows = await queryRows<{ source: string; target: string; on_delete: string }>(
      database.db,
      sql`select cl.relname || '.' || a.attname as source,
                 ft.relname || '.' || fa.attname as target,
                 c.confdeltype as on_delete
          from pg_constraint c
          join pg_class cl on cl.oid = c.conrelid
          join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
          join pg_class ft on ft.oid = c.confrelid
          join pg_attribute fa on fa.attrelid = c.confrelid and fa.attnum = c.confkey[1]
          where c.contype = 'f'`,
    );
    expect(rows.map((r) => `${r.source} -> ${r.target} ${r.on_delete}`).sort()).toEqual([
      "account.user_id -> user.id c",
      "agents.user_id -> user.id c",
      "meetings.agent_id -> agents.id c",
      "meetings.user_id -> user.id c",
      "session.user_id -> user.id c",
      "summary_search.meeting_id -> meetings.id c",
      "transcript_segments.meeting_id -> meetings.id c",
      "transcript_speakers.meeting_id -> meetings.id c",
      "transcripts.meeting_id -> meetings.id c",
    ]);
  });

  it("indexes every foreign key column and the newest-first list queries", async () => {
    const rows = await queryRows<{ indexdef: string }>(
      database.db,
      sql`select indexdef from pg_indexes where schemaname = 'public'`,
    );
    const defs = rows.map((r) => r.indexdef).join("\n");
    expect(defs).toMatch(/ON public\.session USING btree \(user_id\)/);
    expect(defs).toMatch(/ON public\.account USING btree \(user_id\)/);
    expect(defs).toMatch(/ON public\.agents USING btree \(user_id, created_at DESC, id DESC\)/);
    expect(defs).toMatch(/ON public\.meetings USING btree \(user_id, created_at DESC, id DESC\)/);
    expect(defs).toMatch(/ON public\.meetings USING btree \(agent_id\)/);
  });
});

describe("our transcript tables", () => {
  it("keeps each segment's words as a generated full-text document, with GIN indexes for search", async () => {
    const columns = await queryRows<{ column_name: string; generation_expression: string | null }>(
      database.db,
      sql`select column_name, generation_expression from information_schema.columns
          where table_schema = 'public' and table_name = 'transcript_segments' and is_generated = 'ALWAYS'`,
    );
    expect(columns).toEqual([
      { column_name: "search", generation_expression: "to_tsvector('english'::regconfig, text)" },
    ]);
    const rows = await queryRows<{ indexdef: string }>(
      database.db,
      sql`select indexdef from pg_indexes where schemaname = 'public' and indexdef like '%USING gin%'`,
    );
    expect(
      rows.map((r) => r.indexdef.replace(/^CREATE INDEX (\w+) ON public\./, "$1 on ")).sort(),
    ).toEqual([
      "summary_search_document_idx on summary_search USING gin (document)",
      "transcript_segments_search_idx on transcript_segments USING gin (search)",
      "transcripts_search_idx on transcripts USING gin (search)",
    ]);
  });

  it("keeps each summary's words stored as it is written, changed and cleared", async () => {
    const owner = await createUser(database.db);
    const agent = await createAgent(database.db, owner.id, {
      name: "Scribe",
      instructions: "Notes",
      githubRepo: null,
    });
    const [meeting] = await database.db
      .insert(meetings)
      .values({
        name: "Standup",
        userId: owner.id,
        agentId: agent.id,
        summary: "We deployed the billing service.",
      })
      .returning();
    const documentOf = async () =>
      (
        await queryRows<{ document: string }>(
          database.db,
          sql`select document::text from summary_search where meeting_id = ${meeting!.id}`,
        )
      ).map((r) => r.document);

    expect(await documentOf()).toEqual(["'bill':4 'deploy':2 'servic':5"]);
    await database.db
      .update(meetings)
      .set({ summary: "Invoices go out on Friday." })
      .where(eq(meetings.id, meeting!.id));
    expect(await documentOf()).toEqual(["'friday':5 'go':2 'invoic':1"]);
    await database.db.update(meetings).set({ summary: null }).where(eq(meetings.id, meeting!.id));
    expect(await documentOf()).toEqual([]);
  });
});
