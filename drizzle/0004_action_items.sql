CREATE TABLE "action_items" (
	"id" text PRIMARY KEY NOT NULL,
	"meeting_id" text NOT NULL,
	"text" text NOT NULL,
	"owner" text,
	"at_ms" integer,
	"done" boolean DEFAULT false NOT NULL,
	"github_issue_url" text,
	"origin" text DEFAULT 'person' NOT NULL,
	"issue_claimed_at" timestamp,
	"created_at" timestamp DEFAULT (now() at time zone 'utc') NOT NULL,
	"updated_at" timestamp DEFAULT (now() at time zone 'utc') NOT NULL,
	CONSTRAINT "action_items_text_length" CHECK (char_length("action_items"."text") BETWEEN 1 AND 500),
	CONSTRAINT "action_items_owner_length" CHECK (char_length("action_items"."owner") <= 200),
	CONSTRAINT "action_items_at_ms_positive" CHECK ("action_items"."at_ms" >= 0),
	CONSTRAINT "action_items_origin" CHECK ("action_items"."origin" IN ('summary', 'person'))
);
--> statement-breakpoint
ALTER TABLE "action_items" ADD CONSTRAINT "action_items_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "action_items_meeting_id_idx" ON "action_items" USING btree ("meeting_id");