ALTER TABLE "campaign_reporters" ADD COLUMN "self_committee_ratings" jsonb;--> statement-breakpoint
ALTER TABLE "campaign_reporters" ADD COLUMN "self_committee_participants" integer;--> statement-breakpoint
ALTER TABLE "campaign_reporters" ADD COLUMN "self_committee_note" text;--> statement-breakpoint
ALTER TABLE "campaign_reporters" ADD COLUMN "self_committee_filed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaign_reporters" ADD COLUMN "self_committee_filed_by" integer;--> statement-breakpoint
ALTER TABLE "campaign_reporters" ADD CONSTRAINT "campaign_reporters_self_committee_filed_by_users_id_fk" FOREIGN KEY ("self_committee_filed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;