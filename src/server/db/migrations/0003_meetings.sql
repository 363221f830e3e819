CREATE TABLE "meeting_agenda_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"meeting_id" integer NOT NULL,
	"reporter_id" integer NOT NULL,
	"position" integer NOT NULL,
	"written_only" boolean DEFAULT false NOT NULL,
	"speaking_minutes" integer,
	"speech_started_at" timestamp with time zone,
	"speech_ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "meetings" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"title" text NOT NULL,
	"meeting_date" date NOT NULL,
	"place" text NOT NULL,
	"state" text DEFAULT 'preparing' NOT NULL,
	"current_step" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "meeting_agenda_items" ADD CONSTRAINT "meeting_agenda_items_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_agenda_items" ADD CONSTRAINT "meeting_agenda_items_reporter_id_campaign_reporters_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."campaign_reporters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_agenda_reporter_uq" ON "meeting_agenda_items" USING btree ("meeting_id","reporter_id");--> statement-breakpoint
CREATE INDEX "meeting_agenda_position_idx" ON "meeting_agenda_items" USING btree ("meeting_id","position");--> statement-breakpoint
CREATE INDEX "meetings_campaign_idx" ON "meetings" USING btree ("campaign_id");