CREATE TABLE "evaluation_field_tallies" (
	"reporter_id" integer PRIMARY KEY NOT NULL,
	"completed_at" timestamp with time zone NOT NULL,
	"score" numeric NOT NULL,
	"max_points" numeric NOT NULL
);
--> statement-breakpoint
ALTER TABLE "evaluation_field_tallies" ADD CONSTRAINT "evaluation_field_tallies_reporter_id_campaign_reporters_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."campaign_reporters"("id") ON DELETE cascade ON UPDATE no action;