CREATE TABLE "meeting_processing" (
	"meeting_id" text PRIMARY KEY NOT NULL,
	"job_id" text,
	"stage" text NOT NULL,
	"attempt" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_at" timestamp DEFAULT (now() at time zone 'utc') NOT NULL,
	"updated_at" timestamp DEFAULT (now() at time zone 'utc') NOT NULL,
	CONSTRAINT "meeting_processing_stage" CHECK ("meeting_processing"."stage" IN ('queued', 'waiting_for_transcript', 'summarising', 'retrying', 'failed', 'completed'))
);
--> statement-breakpoint
ALTER TABLE "meeting_processing" ADD CONSTRAINT "meeting_processing_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;