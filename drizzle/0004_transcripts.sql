CREATE TABLE "summary_search" (
	"meeting_id" text PRIMARY KEY NOT NULL,
	"document" "tsvector" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transcript_segments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "transcript_segments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"meeting_id" text NOT NULL,
	"position" integer NOT NULL,
	"speaker" text,
	"start_ms" integer,
	"end_ms" integer,
	"text" text NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('english', "transcript_segments"."text")) STORED NOT NULL,
	CONSTRAINT "transcript_segments_position" CHECK ("transcript_segments"."position" >= 0),
	CONSTRAINT "transcript_segments_times" CHECK ("transcript_segments"."start_ms" >= 0 AND "transcript_segments"."end_ms" >= "transcript_segments"."start_ms")
);
--> statement-breakpoint
CREATE TABLE "transcript_speakers" (
	"meeting_id" text NOT NULL,
	"label" text NOT NULL,
	"name" text,
	CONSTRAINT "transcript_speakers_meeting_id_label_pk" PRIMARY KEY("meeting_id","label")
);
--> statement-breakpoint
CREATE TABLE "transcripts" (
	"meeting_id" text PRIMARY KEY NOT NULL,
	"format" text NOT NULL,
	"source" text NOT NULL,
	"segment_count" integer NOT NULL,
	"imported_at" timestamp DEFAULT (now() at time zone 'utc') NOT NULL,
	"search" "tsvector" NOT NULL,
	CONSTRAINT "transcripts_format" CHECK ("transcripts"."format" IN ('vtt', 'srt', 'jsonl', 'text'))
);
--> statement-breakpoint
ALTER TABLE "summary_search" ADD CONSTRAINT "summary_search_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transcript_segments" ADD CONSTRAINT "transcript_segments_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transcript_speakers" ADD CONSTRAINT "transcript_speakers_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transcripts" ADD CONSTRAINT "transcripts_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "summary_search_document_idx" ON "summary_search" USING gin ("document");--> statement-breakpoint
CREATE UNIQUE INDEX "transcript_segments_meeting_id_position_key" ON "transcript_segments" USING btree ("meeting_id","position");--> statement-breakpoint
CREATE INDEX "transcript_segments_search_idx" ON "transcript_segments" USING gin ("search");--> statement-breakpoint
CREATE INDEX "transcripts_search_idx" ON "transcripts" USING gin ("search");--> statement-breakpoint
-- summary_search follows meetings.summary, whatever code writes it (the configuration is
-- SEARCH_CONFIG of app/db/search.ts).
CREATE FUNCTION index_meeting_summary() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.summary IS NULL THEN
    DELETE FROM summary_search WHERE meeting_id = NEW.id;
  ELSE
    INSERT INTO summary_search (meeting_id, document)
    VALUES (NEW.id, to_tsvector('english', NEW.summary))
    ON CONFLICT (meeting_id) DO UPDATE SET document = excluded.document;
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER meetings_index_summary AFTER INSERT OR UPDATE OF summary ON "meetings" FOR EACH ROW EXECUTE FUNCTION index_meeting_summary();--> statement-breakpoint
INSERT INTO summary_search (meeting_id, document)
SELECT id, to_tsvector('english', summary) FROM meetings WHERE summary IS NOT NULL;
